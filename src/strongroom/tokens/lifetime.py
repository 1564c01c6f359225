"""Token lifetimes: TTL at creation and at renewal, by Vault's rules. Pure.

- a periodic token lives `period` from each renewal, with no maximum but an explicit max TTL;
- otherwise the TTL is the requested one or the mount default, capped by the mount's max TTL
  and by `explicit_max_ttl`, both counted from the token's creation time;
- root tokens created without a TTL never expire.
"""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.durations import ttl_capped_warning
from strongroom.errors import InvalidRequest


@dataclass(frozen=True, slots=True)
class MountTTLs:
    """The token mount's effective defaults (system defaults applied), in seconds."""

    default_ttl: int
    max_ttl: int


def creation_ttl(
    *, requested: int, period: int, explicit_max_ttl: int, ttls: MountTTLs, is_root: bool
) -> tuple[int, list[str]]:
    """(TTL in seconds, 0 = never expires; warnings) for a new token."""
    warnings: list[str] = []
    if requested < 0 or period < 0 or explicit_max_ttl < 0:
        raise InvalidRequest("ttl, period and explicit_max_ttl cannot be negative")
    if period > 0:
        ttl = period
    elif requested > 0:
        ttl = requested
    elif is_root:
        ttl = 0
    else:
        ttl = ttls.default_ttl
    limit = ttls.max_ttl if period == 0 else 0
    if explicit_max_ttl > 0:
        limit = min(limit, explicit_max_ttl) if limit else explicit_max_ttl
    if limit and ttl > limit:
        warnings.append(ttl_capped_warning(ttl, limit))
        ttl = limit
    elif ttl == 0 and explicit_max_ttl > 0:
        ttl = limit  # a token that would never expire still ends at its explicit max
    return ttl, warnings


def renewed_expiry(
    *,
    now: float,
    creation_time: float,
    increment: int,
    period: int,
    explicit_max_ttl: int,
    ttls: MountTTLs,
) -> tuple[float, list[str]]:
    """(the new expiry time in epoch seconds, warnings) of a renewed token."""
    if increment < 0:
        raise InvalidRequest("increment cannot be negative")
    ttl = period if period > 0 else (increment or ttls.default_ttl)
    expiry = now + ttl
    if period == 0 and ttls.max_ttl > 0:
        expiry = min(expiry, creation_time + ttls.max_ttl)
    if explicit_max_ttl > 0:
        expiry = min(expiry, creation_time + explicit_max_ttl)
    warnings = []
    if increment and expiry < now + increment:
        limit = ttls.max_ttl if period == 0 and ttls.max_ttl else explicit_max_ttl
        if explicit_max_ttl and ttls.max_ttl:
            limit = min(ttls.max_ttl, explicit_max_ttl)
        warnings.append(ttl_capped_warning(increment, limit))
    return expiry, warnings


__all__ = ["MountTTLs", "creation_ttl", "renewed_expiry"]
