"""Policy documents before validation: raw `path` stanzas from JSON (or HCL's object form).

Owns the document shape shared by both syntaxes (`{"name": ..., "path": {"<pattern>":
{...}}}`, where `path` may also be a list of such objects) and the one error constructor every
parsing step uses. It must not interpret the keys inside a stanza.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from strongroom.errors import InvalidRequest
from strongroom.types import JSON

# vault-compat: OpenBao prefixes every policy syntax error with this.
ERR_PARSE_PREFIX = "failed to parse policy"

# One `key = value` inside a stanza, with the line it was written on (None for JSON).
Entry = tuple[str, JSON, int | None]


@dataclass(frozen=True, slots=True)
class RawRule:
    """One `path` stanza as written: its pattern and its entries in order."""

    pattern: str
    entries: tuple[Entry, ...]
    line: int | None


def parse_error(
    detail: str, *, line: int | None = None, pattern: str | None = None
) -> InvalidRequest:
    """`failed to parse policy: line 3: path "a": <detail>` (the parts that are known)."""
    parts = [ERR_PARSE_PREFIX]
    if line is not None:
        parts.append(f"line {line}")
    if pattern is not None:
        parts.append(f"path {json.dumps(pattern)}")
    parts.append(detail)
    return InvalidRequest(": ".join(parts))


def invalid_key(key: str, line: int | None, pattern: str | None = None) -> InvalidRequest:
    """OpenBao rejects keys it does not know, at the top level and inside a stanza."""
    return parse_error(f"invalid key {json.dumps(key)}", line=line, pattern=pattern)


def rules_from_value(value: JSON, line: int | None) -> Iterator[RawRule]:
    """The stanzas of a `path` value: an object of pattern → stanza, or a list of those."""
    if isinstance(value, list):
        for item in value:
            yield from rules_from_value(item, line)
        return
    if not isinstance(value, Mapping):
        raise parse_error("path must be an object of patterns to rules", line=line)
    for pattern, body in value.items():
        if not isinstance(body, Mapping):
            raise parse_error("a path rule must be an object", line=line, pattern=str(pattern))
        entries = tuple((str(key), item, line) for key, item in body.items())
        yield RawRule(str(pattern), entries, line)


def _reject_constant(name: str) -> JSON:
    raise ValueError(f"{name} is not valid JSON")


def load_json(text: str) -> Mapping[str, JSON] | None:
    """The document when `text` is a JSON object; None when it is not JSON (so try HCL)."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return None
    return document if isinstance(document, Mapping) else None


def read_json(document: Mapping[str, JSON]) -> list[RawRule]:
    """The stanzas of a JSON policy document; `name` is ignored as OpenBao does."""
    rules: list[RawRule] = []
    for key, value in document.items():
        if key == "path":
            rules.extend(rules_from_value(value, None))
        elif key != "name":
            raise invalid_key(key, None)
    return rules


__all__ = [
    "ERR_PARSE_PREFIX",
    "Entry",
    "RawRule",
    "invalid_key",
    "load_json",
    "parse_error",
    "read_json",
    "rules_from_value",
]
