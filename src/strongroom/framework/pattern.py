"""Path patterns built from segments, never raw regex (sdk/framework path patterns).

The same segments compile to the matcher and to OpenAPI templates, so path help and the
OpenAPI document come from the code:

    lit("keys/") + name("name") + opt(lit("/") + name("version"))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product

# vault-compat: framework.GenericNameRegex and MatchAllRegex
_NAME_RE = r"\w(([\w.@-]+)?\w)?"


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a path pattern: its regex and its OpenAPI template alternatives."""

    regex: str
    templates: tuple[str, ...]
    params: tuple[str, ...] = ()

    def __add__(self, other: Segment | str) -> Segment:
        right = lit(other) if isinstance(other, str) else other
        return Segment(
            regex=self.regex + right.regex,
            templates=tuple(a + b for a, b in product(self.templates, right.templates)),
            params=self.params + right.params,
        )

    def __radd__(self, other: str) -> Segment:
        return lit(other) + self

    def compile(self) -> re.Pattern[str]:
        return re.compile("^" + self.regex + "$")


def lit(text: str) -> Segment:
    """A literal piece of path."""
    return Segment(regex=re.escape(text), templates=(text,))


def name(param: str) -> Segment:
    """One name segment (Vault's GenericNameRegex): letters, digits, `_ - . @`."""
    return Segment(
        regex=f"(?P<{param}>{_NAME_RE})", templates=("{" + param + "}",), params=(param,)
    )


def segment(param: str) -> Segment:
    """Any single path segment (no `/`), possibly empty-free."""
    return Segment(regex=f"(?P<{param}>[^/]+)", templates=("{" + param + "}",), params=(param,))


def rest(param: str) -> Segment:
    """Everything that is left, slashes included (Vault's MatchAllRegex)."""
    return Segment(regex=f"(?P<{param}>.*)", templates=("{" + param + "}",), params=(param,))


def opt(inner: Segment | str) -> Segment:
    """An optional piece; OpenAPI gets one template with it and one without."""
    seg = lit(inner) if isinstance(inner, str) else inner
    return Segment(
        regex=f"(?:{seg.regex})?",
        templates=(*seg.templates, ""),
        params=seg.params,
    )


def one_of(*choices: str) -> Segment:
    """One of several literals (e.g. `rotate` or `rotate/keyring`)."""
    ordered = sorted(choices, key=len, reverse=True)
    return Segment(regex="(?:" + "|".join(re.escape(c) for c in ordered) + ")", templates=choices)


__all__ = ["Segment", "lit", "name", "one_of", "opt", "rest", "segment"]
