"""`ACL`: a token's policies compiled once, then asked about paths and requests.

Owns which single merged rule applies to a path and what that rule allows. Lookup order,
matching OpenBao 2.7.2 (verified by tests/compat/test_policy_differential.py):

1. the exact pattern;
2. for list (and capability) checks of a path ending in "/", the exact pattern without it;
3. the highest-priority glob or `+` pattern that matches (see `_pattern`);
4. for list checks of a path ending in "/", the best `+` pattern matching it without the "/".

Rules with the same pattern are merged first (`_merge`), so `deny` only wins against the
identical pattern: a more specific pattern's grant stands. The `help` operation needs no
capability, only a valid token. This module must not do I/O or read the clock; pass `now`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from strongroom.policy._merge import merge_rules
from strongroom.policy._model import Capability, PathRule, Policy, capability_names
from strongroom.policy._params import parameter_problem
from strongroom.policy._pattern import Pattern, compile_pattern
from strongroom.policy._template import fill_template, is_templated
from strongroom.types import JSON

ROOT_POLICY_NAME = "root"

_NEEDS: Mapping[str, Capability] = {
    "create": Capability.CREATE,
    "read": Capability.READ,
    "update": Capability.UPDATE,
    "patch": Capability.PATCH,
    "delete": Capability.DELETE,
    "list": Capability.LIST,
    "scan": Capability.SCAN,
    # Vault checks these lease/rollback operations against `update`.
    "renew": Capability.UPDATE,
    "revoke": Capability.UPDATE,
    "rollback": Capability.UPDATE,
}
# Operations whose request data is held to parameter rules (GET query strings count).
_PARAMETER_CHECKED = frozenset({"create", "update", "patch", "read"})
_LISTING = frozenset({"list", "scan"})
# How many paths an ACL remembers the governing rule of (oldest dropped first).
LOOKUP_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Decision:
    """The ACL's answer for one request.

    `sudo` is whether the applicable rule grants root privileges on the path (reported even
    when the operation itself is refused, as Vault does). `pattern` is the rule that decided.
    """

    allowed: bool
    sudo: bool
    reason: str
    min_wrapping_ttl: int = 0
    max_wrapping_ttl: int = 0
    pattern: str | None = None


class ACL:
    """The compiled union of a token's policies.

    `identity` fills templated patterns (`{{identity.entity.id}}` → value); `now` (Unix
    seconds) decides which rules with an `expiration` still apply. Without `now`, rules that
    expire are left out: the ACL fails closed rather than guess the time.
    """

    __slots__ = (
        "_decisions",
        "_exact",
        "_lengths",
        "_lookups",
        "_prefix",
        "_root",
        "_segment",
        "names",
        "valid_until",
    )

    def __init__(
        self,
        policies: Sequence[Policy],
        *,
        identity: Mapping[str, str] | None = None,
        now: float | None = None,
    ) -> None:
        self.names: tuple[str, ...] = tuple(policy.name for policy in policies)
        self._root = ROOT_POLICY_NAME in self.names
        merged = _merged_rules(policies, identity or {}, now)
        self.valid_until: int | None = min(
            (rule.expiration for rule in merged.values() if rule.expiration is not None),
            default=None,
        )
        self._exact: dict[str, PathRule] = {}
        self._prefix: dict[str, tuple[Pattern, PathRule]] = {}
        self._segment: list[tuple[Pattern, PathRule]] = []
        for rule in merged.values():
            pattern = compile_pattern(rule.pattern)
            if pattern.exact:
                self._exact[rule.pattern] = rule
            elif pattern.segments is None:
                self._prefix[pattern.prefix] = (pattern, rule)
            else:
                self._segment.append((pattern, rule))
        self._segment.sort(key=lambda item: item[0].priority, reverse=True)
        self._lengths = sorted({len(prefix) for prefix in self._prefix}, reverse=True)
        # An ACL never changes, so what it answered is remembered: the rule for a path (bounded,
        # paths are the client's), and the decision of a rule without parameter constraints
        # for an operation (which does not depend on the request data).
        self._lookups: dict[tuple[str, bool], PathRule | None] = {}
        self._decisions: dict[tuple[str, str], Decision] = {}

    @classmethod
    def root(cls) -> ACL:
        """The ACL of a root token: every capability everywhere, with sudo."""
        return cls([Policy(ROOT_POLICY_NAME, ())])

    @property
    def is_root(self) -> bool:
        """Whether the `root` policy is among the policies."""
        return self._root

    @property
    def rules(self) -> tuple[PathRule, ...]:
        """The merged rules, exact ones first (what `resultant-acl` shows)."""
        wild = [rule for _, rule in self._prefix.values()] + [rule for _, rule in self._segment]
        return (*self._exact.values(), *wild)

    def rule_for(self, path: str, *, listing: bool = False) -> PathRule | None:
        """The merged rule that governs `path`, or None when no pattern matches."""
        rule = self._exact.get(path)
        trimmed = path[:-1] if listing and path.endswith("/") else None
        if rule is None and trimmed is not None:
            rule = self._exact.get(trimmed)
        if rule is None:
            rule = self._best_wildcard(path)
        if rule is None and trimmed is not None:
            rule = self._best_segment(trimmed)[1]
        return rule

    def capabilities(self, path: str) -> list[str]:
        """What `sys/capabilities` reports for `path`: sorted names, `["deny"]`, or `["root"]`.

        Surrounding spaces and leading slashes are removed first, as OpenBao does.
        """
        if self._root:
            return ["root"]
        rule = self.rule_for(path.strip().lstrip("/"), listing=True)
        return capability_names(rule.capabilities if rule else Capability.NONE)

    def allowed(
        self, operation: str, path: str, data: Mapping[str, JSON] | None = None
    ) -> Decision:
        """Whether `operation` on `path` with request `data` is permitted."""
        if self._root:
            return _ROOT_DECISION
        if operation == "help":
            return _HELP_DECISION
        needed = _NEEDS.get(operation)
        if needed is None:
            return Decision(False, False, f"operation {operation!r} is not subject to policy")
        path = path.lstrip("/")
        rule = self._cached_rule_for(path, operation in _LISTING)
        if rule is None:
            return Decision(False, False, f'no policy grants access to "{path}"')
        if rule.required_parameters or rule.allowed_parameters or rule.denied_parameters:
            return _decide(rule, operation, needed, data)
        key = (rule.pattern, operation)
        decision = self._decisions.get(key)
        if decision is None:
            decision = self._decisions[key] = _decide(rule, operation, needed, None)
        return decision

    def _cached_rule_for(self, path: str, listing: bool) -> PathRule | None:
        key = (path, listing)
        lookups = self._lookups
        if key in lookups:
            return lookups[key]
        rule = self.rule_for(path, listing=listing)
        if len(lookups) >= LOOKUP_CACHE_SIZE:
            del lookups[next(iter(lookups))]
        lookups[key] = rule
        return rule

    def _best_wildcard(self, path: str) -> PathRule | None:
        prefix_match: tuple[Pattern, PathRule] | None = None
        for length in self._lengths:
            if length <= len(path):
                prefix_match = self._prefix.get(path[:length])
                if prefix_match is not None:
                    break
        segment_match = self._best_segment(path)
        if prefix_match is None:
            return segment_match[1]
        if segment_match[0] is not None and segment_match[0].priority > prefix_match[0].priority:
            return segment_match[1]
        return prefix_match[1]

    def _best_segment(self, path: str) -> tuple[Pattern | None, PathRule | None]:
        for pattern, rule in self._segment:  # sorted by priority, highest first
            if pattern.matches(path):
                return pattern, rule
        return None, None


_ROOT_DECISION = Decision(True, True, "root policy")
_HELP_DECISION = Decision(True, False, "help needs only a valid token")


def _decide(
    rule: PathRule, operation: str, needed: Capability, data: Mapping[str, JSON] | None
) -> Decision:
    granted = rule.capabilities
    pattern = rule.pattern
    if granted & Capability.DENY:
        return Decision(False, False, f'denied by "{pattern}"', pattern=pattern)
    sudo = bool(granted & Capability.SUDO)
    ttls = {"min_wrapping_ttl": rule.min_wrapping_ttl, "max_wrapping_ttl": rule.max_wrapping_ttl}
    if not granted & needed:
        reason = f'"{pattern}" does not grant {operation}'
        return Decision(False, sudo, reason, pattern=pattern, **ttls)
    if operation in _PARAMETER_CHECKED:
        problem = parameter_problem(rule, data)
        if problem is not None:
            return Decision(False, sudo, f'"{pattern}": {problem}', pattern=pattern, **ttls)
    return Decision(True, sudo, f'granted by "{pattern}"', pattern=pattern, **ttls)


def _merged_rules(
    policies: Iterable[Policy], identity: Mapping[str, str], now: float | None
) -> dict[str, PathRule]:
    merged: dict[str, PathRule] = {}
    for policy in policies:
        for rule in policy.rules:
            if rule.expiration is not None and (now is None or now >= rule.expiration):
                continue
            if is_templated(rule.pattern):
                filled = fill_template(rule.pattern, identity)
                if filled is None:
                    continue  # OpenBao skips a rule whose template cannot be filled
                rule = dataclasses.replace(rule, pattern=filled)
            existing = merged.get(rule.pattern)
            merged[rule.pattern] = rule if existing is None else merge_rules(existing, rule)
    return merged


__all__ = ["ACL", "ROOT_POLICY_NAME", "Decision"]
