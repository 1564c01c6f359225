"""Templated policy paths: `path "secret/{{identity.entity.id}}/*"`.

Owns the `{{ name }}` syntax: checking it is balanced when a policy is parsed, and filling it
in from the requester's identity when an ACL is compiled. A rule whose template cannot be
filled (no entity, unknown name, or a value that would change the pattern's shape) is left out
of the ACL, as OpenBao does. It must not look identities up itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_OPEN, _CLOSE = "{{", "}}"
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
# OpenBao refuses by default (allow_slashes/allow_wildcards_in_identity_templates = false)
# values that would add segments or wildcards to the pattern.
_UNSAFE = ("/", "*", "+")


def is_templated(pattern: str) -> bool:
    """Whether the pattern has `{{ ... }}` placeholders."""
    return _OPEN in pattern or _CLOSE in pattern


def check_template(pattern: str) -> str | None:
    """None when every `{{` is closed by a `}}` before the next one opens; else the problem."""
    position, depth = 0, 0
    while position < len(pattern):
        if pattern.startswith(_OPEN, position):
            depth += 1
            position += 2
        elif pattern.startswith(_CLOSE, position):
            depth -= 1
            position += 2
        else:
            position += 1
        if depth not in (0, 1):
            break
    if depth != 0:
        return "failed to validate policy templating: unbalanced templating characters"
    return None


def fill_template(pattern: str, identity: Mapping[str, str]) -> str | None:
    """The pattern with every placeholder filled in, or None when one cannot be."""
    missing = False

    def replace(match: re.Match[str]) -> str:
        nonlocal missing
        value = identity.get(match.group(1).strip())
        if value is None or value == "" or any(mark in value for mark in _UNSAFE):
            missing = True
            return ""
        return value

    filled = _PLACEHOLDER.sub(replace, pattern)
    return None if missing else filled


__all__ = ["check_template", "fill_template", "is_templated"]
