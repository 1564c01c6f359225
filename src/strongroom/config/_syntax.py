"""File syntax: HCL (through python-hcl2) and JSON text into the located `Node` tree.

This module owns the two parsers and the translation of their errors into short
`ConfigError`s; it must not know any config key. HCL blocks become lists of objects keyed by
their labels, the shape python-hcl2 and Vault's JSON files share: `listener "tcp" {..}`
twice becomes `{"listener": [{"tcp": {..}}, {"tcp": {..}}]}`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import hcl2
from hcl2.rules.base import AttributeRule, BlockRule
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from strongroom.config._tree import Node, Where, node_from_plain
from strongroom.errors import ConfigError
from strongroom.types import JSON

_OPTIONS = hcl2.SerializationOptions(
    strip_string_quotes=True,
    explicit_blocks=False,
    with_comments=False,
    preserve_heredocs=False,
    preserve_scientific_notation=False,
)
# Grammar terminals worth naming in a "expected ..." hint; anything else is left out.
_TERMINALS = {
    "LBRACE": '"{"',
    "RBRACE": '"}"',
    "LSQB": '"["',
    "RSQB": '"]"',
    "LPAR": '"("',
    "RPAR": '")"',
    "EQ": '"="',
    "COMMA": '","',
    "COLON": '":"',
    "DBLQUOTE": "'\"'",
    "NAME": "a name",
    "NL_OR_COMMENT": "a newline",
}


def parse_hcl(text: str, filename: str) -> Node:
    """Parse HCL text into a root object node; syntax errors become ConfigError."""
    try:
        start = hcl2.parses(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, filename) from None
    except LarkError as exc:  # grammar-level failures that carry no position
        raise ConfigError(f"{filename}: invalid HCL: {exc}") from None
    return _body(start.body, Where(filename))


def _body(body: object, where: Where) -> Node:
    """One HCL body: attributes keep their value, blocks of one name collect into a list."""
    entries: dict[str, Node] = {}
    blocks: dict[str, list[Node]] = {}
    for child in getattr(body, "children", ()):
        line = _line(child)
        if isinstance(child, AttributeRule):
            key = str(child.identifier.serialize(_OPTIONS))
            if key in entries:
                raise Where(where.file, line).error(f'duplicate key "{key}"')
            entries[key] = _attribute(child, where.child(key, line))
        elif isinstance(child, BlockRule):
            labels = [str(label.serialize(_OPTIONS)) for label in child.labels]
            name = labels[0]
            if name in entries and name not in blocks:
                raise Where(where.file, line).error(f'"{name}" is both a key and a block')
            node = _body(child.body, where.child(name, line))
            for label in reversed(labels[1:]):
                node = Node({label: node}, node.where)
            if name not in blocks:
                blocks[name] = []
                entries[name] = node  # placeholder that keeps first-seen order
            blocks[name].append(node)
    for name, items in blocks.items():
        first = items[0].where
        entries[name] = Node(tuple(items), Where(first.file, first.line, (*where.path, name)))
    return Node(entries, where)


def _attribute(rule: AttributeRule, where: Where) -> Node:
    try:
        value = rule.expression.serialize(_OPTIONS)
    except (RuntimeError, ValueError, TypeError) as exc:
        raise where.error(f"cannot read value: {exc}") from None
    return node_from_plain(value, where)


def _line(rule: object) -> int | None:
    # python-hcl2 8.x accepts `with_meta` but no longer emits __start_line__; the rules keep
    # lark's propagated positions in `_meta`, which is the only place a line survives.
    line = getattr(getattr(rule, "_meta", None), "line", None)
    return line if isinstance(line, int) else None


def _syntax_error(exc: UnexpectedInput, filename: str) -> ConfigError:
    line = exc.line if isinstance(exc.line, int) and exc.line > 0 else None
    where = f"{filename}:{line}:{exc.column}" if line is not None else filename
    return ConfigError(f"{where}: invalid HCL: {_reason(exc)}")


def _reason(exc: UnexpectedInput) -> str:
    if isinstance(exc, UnexpectedCharacters):
        return f"unexpected character {json.dumps(exc.char)}"
    if not isinstance(exc, UnexpectedToken):
        return "syntax error"
    expected = set(exc.expected)
    if exc.token.type == "$END":
        if "DBLQUOTE" in expected and "STRING_CHARS" in expected:
            return "unterminated string"
        if "RBRACE" in expected:
            return 'unexpected end of file (missing "}")'
        return "unexpected end of file"
    text = str(exc.token.value)
    words = text.split()
    found = json.dumps(words[0][:30]) if words and text[0] not in "\r\n" else "newline"
    reason = f"unexpected {found}"
    if 0 < len(expected) <= 3 and expected <= _TERMINALS.keys():
        reason += ", expected " + " or ".join(sorted(_TERMINALS[name] for name in expected))
    return reason


class _DuplicateKeyError(ValueError):
    pass


def _unique_object(pairs: list[tuple[str, JSON]]) -> dict[str, JSON]:
    result: dict[str, JSON] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _no_constant(name: str) -> JSON:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(text: str, filename: str) -> Node:
    """Parse a JSON config document (an object at the top) into a root node."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_object, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{filename}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    except _DuplicateKeyError as exc:
        raise ConfigError(f'{filename}: invalid JSON: duplicate key "{exc.args[0]}"') from None
    except ValueError as exc:
        raise ConfigError(f"{filename}: invalid JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise ConfigError(f"{filename}: invalid JSON: the top level must be an object")
    return node_from_plain(data, Where(filename))


__all__ = ["parse_hcl", "parse_json"]
