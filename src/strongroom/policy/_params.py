"""Parameter rules: `required_parameters`, `allowed_parameters`, `denied_parameters`.

Owns how request data is checked against one (merged) rule, matching OpenBao 2.7.2 as
observed:

- a required name is lower-cased and must then be a key of the data exactly as sent
  (`required_parameters = ["Req"]` is met by `req`, not by `Req`);
- data with no keys skips the allowed/denied checks (required ones still apply);
- allowed/denied keys are compared lower-cased; a `"*"` key in denied refuses any parameter,
  and a `"*"` key in allowed lets through any parameter not listed, whatever its values say;
- an empty value list means any value; otherwise the value must equal one listed value, where
  a string containing `*` (other than `"*"` itself, which is literal) is a glob;
- numbers never match anything, because Vault decodes request numbers as json.Number and
  compares them to the policy's integers by type; other values compare structurally.

It must not decide which rule applies to a path.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from strongroom.policy._model import PathRule
from strongroom.types import JSON

_ANY = "*"


def parameter_problem(rule: PathRule, data: Mapping[str, JSON] | None) -> str | None:
    """None when `data` satisfies the rule's parameter constraints; else why it does not."""
    data = data or {}
    for name in rule.required_parameters:
        if name.lower() not in data:
            return f'missing required parameter "{name.lower()}"'
    if not data:
        return None
    denied, allowed = rule.denied_parameters, rule.allowed_parameters
    for key, value in data.items():
        name = key.lower()
        if _ANY in denied:
            return f'parameter "{key}" is denied (all parameters are)'
        refused = denied.get(name)
        if refused is not None and (not refused or value_in(value, refused)):
            return f'parameter "{key}" is denied'
        if not allowed:
            continue
        permitted = allowed.get(name)
        if permitted is None:
            if _ANY not in allowed:
                return f'parameter "{key}" is not allowed'
        elif permitted and not value_in(value, permitted):
            return f'value of parameter "{key}" is not allowed'
    return None


def value_in(value: JSON, candidates: Sequence[JSON]) -> bool:
    """Whether a request value matches any of a rule's listed values."""
    return any(_matches(value, candidate) for candidate in candidates)


def _matches(value: JSON, candidate: JSON) -> bool:
    if isinstance(candidate, str) and isinstance(value, str):
        if candidate != _ANY and _ANY in candidate:
            return _glob(candidate).fullmatch(value) is not None
        return candidate == value
    return _equal(value, candidate)


def _equal(left: JSON, right: JSON) -> bool:
    """Structural equality in which numbers are never equal to anything."""
    if _is_number(left) or _is_number(right):
        return False
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_equal, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_equal(left[k], right[k]) for k in left)
    return type(left) is type(right) and bool(left == right)


def _is_number(value: JSON) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@functools.lru_cache(maxsize=1024)
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split(_ANY)), re.DOTALL)


__all__ = ["parameter_problem", "value_in"]
