"""Turning an auth method's login answer (`Response.auth` without a token) into a token.

The auth method decides who you are and with which token settings; the core owns the token
store, the mount's TTL limits, the default policy and the identity entity.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from strongroom.core.router import Route
from strongroom.errors import InvalidRequest
from strongroom.logical import Auth, Request, Response
from strongroom.tokens import BATCH, SERVICE, MountTTLs, TokenEntry, creation_ttl

if TYPE_CHECKING:
    from strongroom.core.core import Core


def _limits(core: Core, target: Route, auth: Auth) -> MountTTLs:
    default, maximum = core.mount_ttls(target.mount.route_path)
    if auth.max_ttl and auth.max_ttl < maximum:
        maximum = auth.max_ttl
    return MountTTLs(default_ttl=min(default, maximum), max_ttl=maximum)


def _policies(auth: Auth) -> tuple[str, ...]:
    policies = {p.strip().lower() for p in auth.policies if p.strip()}
    if "root" in policies:
        # vault-compat: no auth method may mint root tokens
        raise InvalidRequest("auth methods cannot create root tokens")
    if not auth.no_default_policy:
        policies.add("default")
    return tuple(sorted(policies))


async def issue_login_token(
    core: Core, target: Route, request: Request, response: Response
) -> Response:
    """Create the token a successful login earned and put it into the response."""
    auth = response.auth
    if auth is None or auth.client_token:
        return response
    now = core.clock.now()
    policies = _policies(auth)
    ttl, warnings = creation_ttl(
        requested=auth.lease_duration,
        period=auth.period,
        explicit_max_ttl=auth.explicit_max_ttl,
        ttls=_limits(core, target, auth),
        is_root=False,
    )
    entity_id = ""
    if auth.alias_name:
        entity_id = await core.identity.entity_for(
            target.mount.accessor, target.mount.type, auth.alias_name
        )
    prefix = target.mount.path.rstrip("/").replace("/", "-")
    token_type = BATCH if auth.token_type == BATCH else SERVICE
    template = TokenEntry(
        id="",
        accessor="",
        policies=policies,
        path=request.full_path,
        display_name=f"{prefix}-{auth.display_name}" if auth.display_name else prefix,
        metadata=dict(auth.metadata),
        num_uses=auth.num_uses,
        creation_time=now,
        ttl=ttl,
        expire_time=now + ttl if ttl > 0 else 0.0,
        explicit_max_ttl=auth.explicit_max_ttl,
        period=auth.period,
        token_type=token_type,
        entity_id=entity_id,
        orphan=True,
        renewable=auth.renewable and token_type == SERVICE and ttl > 0,
        bound_cidrs=auth.bound_cidrs,
    )
    token, entry = await core.tokens.store(template)
    issued = replace(
        auth,
        client_token=token,
        accessor=entry.accessor,
        policies=policies,
        token_policies=policies,
        lease_duration=ttl,
        renewable=entry.renewable,
        entity_id=entity_id,
        token_type=token_type,
        orphan=True,
    )
    return replace(response, auth=issued, warnings=(*response.warnings, *warnings))


__all__ = ["issue_login_token"]
