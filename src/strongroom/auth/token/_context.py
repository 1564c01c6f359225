"""What the token backend's handlers share: the store, the mount's TTLs, and helpers that
turn entries into Vault's JSON."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from strongroom.clock import rfc3339
from strongroom.errors import PermissionDenied
from strongroom.logical import Auth, Request
from strongroom.tokens import BATCH, MountTTLs, TokenEntry, TokenStore
from strongroom.types import JSONDict

PolicyExists = Callable[[str], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class TokenContext:
    """The token backend's dependencies."""

    store: TokenStore
    ttls: Callable[[], MountTTLs]
    policy_exists: PolicyExists
    renew_check: Callable[[TokenEntry], Awaitable[None]] | None = None


def lookup_json(entry: TokenEntry, token: str, now: float) -> JSONDict:
    """The `data` of a token lookup, in Vault's field set."""
    data: JSONDict = {
        "accessor": entry.accessor,
        "creation_time": int(entry.creation_time),
        "creation_ttl": entry.ttl,
        "display_name": entry.display_name,
        "entity_id": entry.entity_id,
        "expire_time": rfc3339(entry.expire_time) if entry.expire_time > 0 else None,
        "explicit_max_ttl": entry.explicit_max_ttl,
        "id": token,
        "issue_time": rfc3339(entry.creation_time),
        "meta": dict(entry.metadata) or None,
        "num_uses": entry.num_uses,
        "orphan": entry.orphan,
        "path": entry.path,
        "policies": list(entry.policies),
        "renewable": entry.renewable,
        "ttl": entry.remaining(now),
        "type": entry.token_type,
    }
    if entry.period:
        data["period"] = entry.period
    if entry.role:
        data["role"] = entry.role
    if entry.last_renewal_time:
        data["last_renewal_time"] = int(entry.last_renewal_time)
        data["last_renewal"] = rfc3339(entry.last_renewal_time)
    if entry.bound_cidrs:
        data["bound_cidrs"] = list(entry.bound_cidrs)
    return data


def auth_for(entry: TokenEntry, token: str, now: float) -> Auth:
    """The `auth` block for a created or renewed token."""
    return Auth(
        client_token=token,
        accessor=entry.accessor,
        policies=entry.policies,
        token_policies=entry.policies,
        metadata=entry.metadata,
        lease_duration=entry.remaining(now),
        renewable=entry.renewable,
        entity_id=entry.entity_id,
        token_type=entry.token_type,
        orphan=entry.orphan,
        num_uses=entry.num_uses,
    )


async def caller(context: TokenContext, request: Request) -> tuple[TokenEntry, str]:
    """The requesting token's entry and value; 403 when there is none."""
    if request.token is None:
        raise PermissionDenied()
    token = request.token.token_id.reveal()
    if request.token.token_type == BATCH:  # `hvb.` or `b.`: nothing stored
        entry = await context.store.lookup(token)
    else:
        entry = await context.store.entry(request.token.entry_id)
    if entry is None:
        raise PermissionDenied()
    return entry, token


__all__ = ["TokenContext", "auth_for", "caller", "lookup_json"]
