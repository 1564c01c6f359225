"""`parse_policy`: HCL or JSON text into a validated `Policy`.

Owns the meaning of every key inside a `path` stanza and OpenBao's validation order, as
observed on OpenBao 2.7.2: the legacy `policy = "..."` shorthand is checked first, then
capabilities are read left to right and `deny` ends the list (so `["deny", "bogus"]` is
accepted and `["bogus", "deny"]` is not); repeated keys append, as HCL 1 does; unknown keys are
errors. It must not merge rules or evaluate requests (that is the ACL's job).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from strongroom.durations import parse_duration
from strongroom.policy._hcl import read_hcl
from strongroom.policy._model import (
    CAPABILITY_NAMES,
    LEGACY_POLICIES,
    Capability,
    PathRule,
    Policy,
    freeze_parameters,
)
from strongroom.policy._raw import RawRule, invalid_key, load_json, parse_error, read_json
from strongroom.policy._template import check_template
from strongroom.types import JSON

_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", re.IGNORECASE)
_KEY_PLACEHOLDER = re.compile(r"\{\{[^}]*\.key\b[^}]*\}\}")


def parse_policy(name: str, text: str) -> Policy:
    """Parse an ACL policy written in HCL or JSON; InvalidRequest says what is wrong and where.

    JSON is recognised by a leading `{` that parses as a JSON object, as Vault's documents are
    `{"path": {"secret/*": {"capabilities": ["read"]}}}`.
    """
    document = load_json(text)
    raw_rules = read_json(document) if document is not None else read_hcl(text)
    return Policy(name, tuple(build_rule(raw) for raw in raw_rules), text)


@dataclass
class _Stanza:
    """The values of one stanza while its entries are read (repeated keys accumulate)."""

    capabilities: list[str] = field(default_factory=list)
    policy: str | None = None
    allowed: dict[str, list[JSON]] = field(default_factory=dict)
    denied: dict[str, list[JSON]] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    min_ttl: int = 0
    max_ttl: int = 0
    expiration: int | None = None
    pagination_limit: int = 0
    filter_path: str = ""
    mfa_methods: list[str] = field(default_factory=list)


def build_rule(raw: RawRule) -> PathRule:
    """Validate one raw stanza into a PathRule."""
    # OpenBao trims exactly one leading "/" from a pattern, and no spaces.
    pattern = raw.pattern[1:] if raw.pattern.startswith("/") else raw.pattern
    problem = _pattern_problem(pattern)
    if problem is not None:
        raise parse_error(problem, line=raw.line, pattern=raw.pattern)
    stanza = _Stanza()
    for key, value, line in raw.entries:
        reader = _READERS.get(key)
        if reader is None:
            raise invalid_key(key, line, raw.pattern)
        try:
            reader(stanza, value)
        except ValueError as exc:
            raise parse_error(str(exc), line=line, pattern=raw.pattern) from None
    try:
        return _finish(pattern, stanza, raw.line)
    except ValueError as exc:
        raise parse_error(str(exc), line=raw.line, pattern=raw.pattern) from None


def _pattern_problem(pattern: str) -> str | None:
    if "+*" in pattern:
        return "invalid use of wildcards ('+*' is forbidden)"
    return check_template(pattern)


def _finish(pattern: str, stanza: _Stanza, line: int | None) -> PathRule:
    capabilities = _capabilities(stanza)
    if stanza.min_ttl and stanza.max_ttl and stanza.max_ttl < stanza.min_ttl:
        raise ValueError("max_wrapping_ttl cannot be less than min_wrapping_ttl")
    if stanza.filter_path:
        if not capabilities & (Capability.LIST | Capability.SCAN):
            raise ValueError(
                "list_scan_response_keys_filter_path needs to be used on a path with the list "
                "capability"
            )
        if not _KEY_PLACEHOLDER.search(stanza.filter_path):
            raise ValueError(
                "list_scan_response_keys_filter_path resulted in same path for two different keys"
            )
    return PathRule(
        pattern=pattern,
        capabilities=capabilities,
        allowed_parameters=freeze_parameters({k: tuple(v) for k, v in stanza.allowed.items()}),
        denied_parameters=freeze_parameters({k: tuple(v) for k, v in stanza.denied.items()}),
        required_parameters=tuple(stanza.required),
        min_wrapping_ttl=stanza.min_ttl,
        max_wrapping_ttl=stanza.max_ttl,
        expiration=stanza.expiration,
        pagination_limit=stanza.pagination_limit,
        list_scan_response_keys_filter_path=stanza.filter_path,
        mfa_methods=tuple(stanza.mfa_methods),
        line=line,
    )


def _capabilities(stanza: _Stanza) -> Capability:
    legacy = Capability.NONE
    names = stanza.capabilities
    if stanza.policy is not None:
        if stanza.policy not in LEGACY_POLICIES:
            raise ValueError(f'invalid policy "{stanza.policy}"')
        legacy = LEGACY_POLICIES[stanza.policy]
        if legacy & Capability.DENY:
            names = ["deny"]  # the shorthand replaces the list outright
    result = Capability.NONE
    for name in names:
        if name == "deny":
            return Capability.DENY  # nothing after a deny is even looked at
        flag = CAPABILITY_NAMES.get(name)
        if flag is None:
            raise ValueError(f'invalid capability "{name}"')
        result |= flag
    return result | legacy


def _go_string(value: JSON) -> str:
    """How a scalar reads where OpenBao expects a string (HCL 1 coerces numbers and bools)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list | dict):
        raise ValueError(f"expected a string, got {type(value).__name__}")
    return str(value)


def _strings(key: str, value: JSON) -> list[str]:
    if not isinstance(value, list):
        raise ValueError(f"{key} must be a list of strings")
    return [_go_string(item) for item in value]


def _read_capabilities(stanza: _Stanza, value: JSON) -> None:
    stanza.capabilities.extend(_strings("capabilities", value))


def _read_policy(stanza: _Stanza, value: JSON) -> None:
    if isinstance(value, list | dict):
        raise ValueError("policy must be a string")
    stanza.policy = _go_string(value)


def _parameters(key: str, value: JSON, into: dict[str, list[JSON]]) -> None:
    if not isinstance(value, Mapping):
        raise ValueError(f"{key} must be an object of parameter names to lists of values")
    for name, values in value.items():
        if not isinstance(values, list):
            raise ValueError(f'{key}: the values of "{name}" must be a list')
        into.setdefault(str(name).lower(), []).extend(values)


def _read_allowed(stanza: _Stanza, value: JSON) -> None:
    _parameters("allowed_parameters", value, stanza.allowed)


def _read_denied(stanza: _Stanza, value: JSON) -> None:
    _parameters("denied_parameters", value, stanza.denied)


def _read_required(stanza: _Stanza, value: JSON) -> None:
    stanza.required.extend(_strings("required_parameters", value))


def _ttl(key: str, value: JSON) -> int:
    if isinstance(value, float) and not isinstance(value, bool):
        value = int(value)
    try:
        return parse_duration(value)
    except ValueError:
        raise ValueError(f"error parsing {key}: could not parse duration {value!r}") from None


def _read_min_ttl(stanza: _Stanza, value: JSON) -> None:
    stanza.min_ttl = _ttl("min_wrapping_ttl", value)


def _read_max_ttl(stanza: _Stanza, value: JSON) -> None:
    stanza.max_ttl = _ttl("max_wrapping_ttl", value)


def _read_expiration(stanza: _Stanza, value: JSON) -> None:
    if isinstance(value, int) and not isinstance(value, bool):
        stanza.expiration = value
    elif isinstance(value, str) and value.strip().isdigit():
        stanza.expiration = int(value)
    elif isinstance(value, str) and _RFC3339.fullmatch(value.strip()):
        stanza.expiration = int(datetime.fromisoformat(value.strip().upper()).timestamp())
    else:
        raise ValueError("invalid expiration time: could not parse string as date and time")


def _read_pagination_limit(stanza: _Stanza, value: JSON) -> None:
    text = _go_string(value).strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(f"pagination_limit must be an integer, got {text!r}")
    stanza.pagination_limit = int(text)


def _read_filter_path(stanza: _Stanza, value: JSON) -> None:
    stanza.filter_path = _go_string(value)


def _read_mfa_methods(stanza: _Stanza, value: JSON) -> None:
    stanza.mfa_methods.extend(_strings("mfa_methods", value))


def _read_control_group(stanza: _Stanza, value: JSON) -> None:
    # Accepted for compatibility and not enforced: OpenBao has no control-group workflow.
    factors = value.get("factor") if isinstance(value, Mapping) else None
    if not factors:
        raise ValueError("error handling control_group: requires at least one factor but had none")


_READERS: Mapping[str, Callable[[_Stanza, JSON], None]] = {
    "capabilities": _read_capabilities,
    "policy": _read_policy,
    "allowed_parameters": _read_allowed,
    "denied_parameters": _read_denied,
    "required_parameters": _read_required,
    "min_wrapping_ttl": _read_min_ttl,
    "max_wrapping_ttl": _read_max_ttl,
    "expiration": _read_expiration,
    "pagination_limit": _read_pagination_limit,
    "list_scan_response_keys_filter_path": _read_filter_path,
    "mfa_methods": _read_mfa_methods,
    "control_group": _read_control_group,
}

__all__ = ["build_rule", "parse_policy"]
