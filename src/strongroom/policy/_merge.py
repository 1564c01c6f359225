"""Merging rules written for the same pattern (in one policy or across a token's policies).

Owns OpenBao's merge, as seen through `sys/internal/ui/resultant-acl` on 2.7.2:

- once the merged rule holds `deny`, later rules are ignored; a later `deny` replaces the
  capabilities and drops the allowed/denied parameter maps (other fields stay);
- otherwise capabilities are unioned;
- parameter maps: a side with no map takes the other's (so adding a policy *with* a map
  restricts writes that were open); for a key in both, an empty list (any value) wins,
  else the value lists are joined;
- required parameters are joined without repeats; wrapping TTLs take the lowest value set
  (0 means unset), keeping wrapped tokens as short-lived as any policy asks.

It must not decide which pattern applies to a path.
"""

from __future__ import annotations

import dataclasses

from strongroom.policy._model import Capability, ParameterMap, PathRule, freeze_parameters


def merge_rules(existing: PathRule, new: PathRule) -> PathRule:
    """The rule that results from `new` being added to `existing` (same pattern)."""
    if existing.capabilities & Capability.DENY:
        return existing
    if new.capabilities & Capability.DENY:
        return dataclasses.replace(
            existing,
            capabilities=Capability.DENY,
            allowed_parameters=freeze_parameters({}),
            denied_parameters=freeze_parameters({}),
        )
    required = existing.required_parameters + tuple(
        name
        for name in dict.fromkeys(new.required_parameters)
        if name not in existing.required_parameters
    )
    return dataclasses.replace(
        existing,
        capabilities=existing.capabilities | new.capabilities,
        allowed_parameters=_merge_parameters(existing.allowed_parameters, new.allowed_parameters),
        denied_parameters=_merge_parameters(existing.denied_parameters, new.denied_parameters),
        required_parameters=required,
        min_wrapping_ttl=_lowest_set(existing.min_wrapping_ttl, new.min_wrapping_ttl),
        max_wrapping_ttl=_lowest_set(existing.max_wrapping_ttl, new.max_wrapping_ttl),
        expiration=_earliest(existing.expiration, new.expiration),
        pagination_limit=_lowest_set(existing.pagination_limit, new.pagination_limit),
        list_scan_response_keys_filter_path=(
            existing.list_scan_response_keys_filter_path or new.list_scan_response_keys_filter_path
        ),
        mfa_methods=tuple(dict.fromkeys(existing.mfa_methods + new.mfa_methods)),
    )


def _merge_parameters(existing: ParameterMap, new: ParameterMap) -> ParameterMap:
    if not existing:
        return new
    merged = dict(existing)
    for name, values in new.items():
        if name not in merged:
            merged[name] = values
        elif not values or not merged[name]:
            merged[name] = ()
        else:
            merged[name] = values + merged[name]
    return freeze_parameters(merged)


def _lowest_set(left: int, right: int) -> int:
    if not left:
        return right
    if not right:
        return left
    return min(left, right)


def _earliest(left: int | None, right: int | None) -> int | None:
    if left is None:
        return right
    if right is None:
        return left
    return min(left, right)


__all__ = ["merge_rules"]
