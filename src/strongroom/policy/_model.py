"""The policy value objects: capabilities, one path rule, one named policy.

This module owns the vocabulary (capability names and their wire order) and nothing else: it
must not parse text or evaluate requests. Values are frozen; parameter maps are read-only
views so a compiled ACL can share them safely.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from strongroom.types import JSON


class Capability(enum.IntFlag):
    """What a rule grants on a path (Vault's capability names, plus OpenBao's `scan`)."""

    NONE = 0
    CREATE = enum.auto()
    READ = enum.auto()
    UPDATE = enum.auto()
    PATCH = enum.auto()
    DELETE = enum.auto()
    LIST = enum.auto()
    SUDO = enum.auto()
    DENY = enum.auto()
    SCAN = enum.auto()


# vault-compat: the names policies use and `sys/capabilities` reports.
CAPABILITY_NAMES: Mapping[str, Capability] = MappingProxyType(
    {
        "create": Capability.CREATE,
        "read": Capability.READ,
        "update": Capability.UPDATE,
        "patch": Capability.PATCH,
        "delete": Capability.DELETE,
        "list": Capability.LIST,
        "sudo": Capability.SUDO,
        "deny": Capability.DENY,
        "scan": Capability.SCAN,
    }
)
# OpenBao's legacy `policy = "..."` shorthand. "write" has no patch (observed on 2.7.2).
_WRITE = Capability.CREATE | Capability.READ | Capability.UPDATE | Capability.DELETE
LEGACY_POLICIES: Mapping[str, Capability] = MappingProxyType(
    {
        "": Capability.NONE,
        "deny": Capability.DENY,
        "read": Capability.READ | Capability.LIST,
        "write": _WRITE | Capability.LIST,
        "sudo": _WRITE | Capability.LIST | Capability.SUDO,
    }
)


def capability_names(capabilities: Capability) -> list[str]:
    """The names `sys/capabilities` reports: sorted, `["deny"]` when denied or empty."""
    if capabilities & Capability.DENY or not capabilities:
        return ["deny"]
    return sorted(name for name, flag in CAPABILITY_NAMES.items() if capabilities & flag)


ParameterMap = Mapping[str, tuple[JSON, ...]]
_EMPTY: ParameterMap = MappingProxyType({})


def freeze_parameters(parameters: Mapping[str, tuple[JSON, ...]]) -> ParameterMap:
    """A read-only copy of a parameter map."""
    return MappingProxyType(dict(parameters)) if parameters else _EMPTY


@dataclass(frozen=True, slots=True)
class PathRule:
    """One `path "<pattern>" { ... }` stanza, validated.

    `pattern` has its one leading "/" removed, as OpenBao does. Parameter keys in the allowed
    and denied maps are lower-cased; `required_parameters` keep the case they were written in
    (OpenBao looks them up lower-cased at request time). TTLs are seconds, 0 meaning unset;
    `expiration` is a Unix time after which the rule no longer applies.
    """

    pattern: str
    capabilities: Capability = Capability.NONE
    allowed_parameters: ParameterMap = field(default_factory=lambda: _EMPTY)
    denied_parameters: ParameterMap = field(default_factory=lambda: _EMPTY)
    required_parameters: tuple[str, ...] = ()
    min_wrapping_ttl: int = 0
    max_wrapping_ttl: int = 0
    expiration: int | None = None
    pagination_limit: int = 0
    list_scan_response_keys_filter_path: str = ""
    mfa_methods: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)

    @property
    def capability_names(self) -> list[str]:
        """The capabilities as `sys/capabilities` would name them."""
        return capability_names(self.capabilities)


@dataclass(frozen=True, slots=True)
class Policy:
    """A named ACL policy: its rules in the order written, and the text they came from."""

    name: str
    rules: tuple[PathRule, ...]
    raw: str = ""


__all__ = [
    "CAPABILITY_NAMES",
    "LEGACY_POLICIES",
    "Capability",
    "ParameterMap",
    "PathRule",
    "Policy",
    "capability_names",
    "freeze_parameters",
]
