"""Path patterns: what a policy pattern matches, and which of two matches is more specific.

A pattern is exact (`secret/foo`), a prefix glob (a trailing `*`: `secret/foo*`), or has `+`
segments, each matching exactly one path segment, which may be empty (`secret/+/config`,
optionally ending in a glob: `secret/+/app*`). Only a whole segment `+` is a wildcard and only
the final `*` is a glob; any other `+` or `*` is a literal character.

Priority between two non-exact patterns that both match follows the OpenBao policy docs,
checked in order (the first difference decides): the later the first wildcard, the higher; no
trailing glob beats a trailing glob; fewer `+` segments win; the longer pattern wins; the
lexicographically greater pattern wins. Exact patterns are matched before any of these. One
quirk observed on OpenBao 2.7.2: in a pattern that has a `+` segment, the "first wildcard" is
its first `+` character even inside a literal segment, so `x/a+b*` beats `x/a+b/+`.

This module must not know about capabilities or merging.
"""

from __future__ import annotations

from dataclasses import dataclass

_PLUS = "+"


@dataclass(frozen=True, slots=True)
class Pattern:
    """A compiled pattern; `segments` is set only for patterns with `+` segments."""

    text: str
    prefix: str
    glob: bool
    segments: tuple[str, ...] | None
    priority: tuple[int, bool, int, int, str]

    @property
    def exact(self) -> bool:
        """No glob and no `+` segment: matched by dictionary lookup."""
        return not self.glob and self.segments is None

    def matches(self, path: str) -> bool:
        """Whether `path` falls under this pattern."""
        if self.segments is None:
            return path.startswith(self.prefix) if self.glob else path == self.prefix
        parts = path.split("/")
        wanted = self.segments
        if self.glob:
            if len(parts) < len(wanted):
                return False
            *heads, last = wanted
            return _segments_match(heads, parts) and parts[len(heads)].startswith(last)
        return len(parts) == len(wanted) and _segments_match(wanted, parts)


def _segments_match(wanted: tuple[str, ...] | list[str], parts: list[str]) -> bool:
    return all(want in (_PLUS, part) for want, part in zip(wanted, parts, strict=False))


def compile_pattern(text: str) -> Pattern:
    """Compile a pattern as stored in a PathRule (leading "/" already removed)."""
    glob = text.endswith("*")
    prefix = text[:-1] if glob else text
    split = prefix.split("/")
    plus_count = split.count(_PLUS)
    segments = tuple(split) if plus_count else None
    # OpenBao locates the first wildcard of a `+` pattern at its first "+" character, even
    # one inside a literal segment (`a+b/+` → 1); a plain glob's is its "*".
    first_wildcard = text.index(_PLUS) if plus_count else len(prefix)
    # Exact patterns never enter a priority comparison; their key is only for completeness.
    priority = (first_wildcard, not glob, -plus_count, len(text), text)
    return Pattern(text, prefix, glob, segments, priority)


__all__ = ["Pattern", "compile_pattern"]
