"""The glue between the expiration manager and the rest of the core: revoking and renewing a
leased secret through the backend that issued it, registering leases for responses, and
keeping token leases in step with the token store."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from strongroom.core.router import Route
from strongroom.errors import InvalidRequest
from strongroom.framework import SECRET_TYPE_KEY, FieldData, SecretType
from strongroom.leases import ExpirationManager, LeaseEntry, Revokers
from strongroom.logical import Operation, Request, Response, Secret

_log = logging.getLogger("strongroom.expiration")

if TYPE_CHECKING:
    from strongroom.core.core import Core


def _secret_type(core: Core, lease: LeaseEntry) -> tuple[Route, SecretType]:
    matched = core.router.match(lease.mount_path)
    if matched is None:
        raise InvalidRequest(f"no mount at {lease.mount_path} for lease {lease.lease_id}")
    route = matched[0]
    spec = route.backend.secrets.get(str(lease.internal_data.get(SECRET_TYPE_KEY, "")))
    if spec is None:
        raise InvalidRequest("the backend has no handler for this secret type")
    return route, spec


def _request(route: Route, lease: LeaseEntry, operation: Operation, increment: int) -> Request:
    # A backend's renew handler sees the secret's internal data, the requested increment and
    # when the lease was issued (to hold the role's max TTL, as Vault's LeaseExtend does).
    data = {**lease.internal_data, "increment": increment, "issue_time": lease.issue_time}
    return Request(
        operation=operation,
        path=lease.lease_id.removeprefix(route.mount.route_path),
        data=data,
        storage=route.storage,
        mount_point=route.mount.route_path,
        mount_type=route.mount.type,
    )


def revokers(core: Core) -> Revokers:
    async def revoke_secret(lease: LeaseEntry) -> None:
        route, spec = _secret_type(core, lease)
        request = _request(route, lease, Operation.REVOKE, 0)
        await spec.revoke(request, FieldData(dict(request.data), {}))

    async def renew_secret(lease: LeaseEntry, increment: int) -> int:
        route, spec = _secret_type(core, lease)
        if spec.renew is None:
            raise InvalidRequest("lease is not renewable")
        request = _request(route, lease, Operation.RENEW, increment)
        response = await spec.renew(request, FieldData(dict(request.data), {}))
        default, maximum = core.mount_ttls(route.mount.route_path)
        ttl = (response.secret.ttl if response and response.secret else 0) or increment or default
        remaining = int(lease.issue_time) + maximum - int(core.clock.now())  # whole seconds
        return max(0, min(ttl, remaining))

    async def revoke_token(token_id: str) -> None:
        await core.tokens.revoke_id(token_id)

    return Revokers(
        revoke_secret=revoke_secret, renew_secret=renew_secret, revoke_token=revoke_token
    )


def _owner(request: Request) -> tuple[str, float]:
    """(the token whose revocation revokes the lease, the latest the lease may expire), as
    OpenBao ties them: a service token owns its leases; a batch token is never stored, so
    its leases go to its parent (none for an orphan) and never outlive the batch token."""
    token = request.token
    if token is None:
        return "", 0.0
    if token.token_type == "batch":
        return token.parent, token.expire_time
    return token.entry_id, 0.0


async def _revoke_unleased(
    target: Route, spec: SecretType, request: Request, secret: Secret
) -> None:
    data = dict(secret.internal_data)
    revoke = Request(
        operation=Operation.REVOKE,
        path=request.path,
        data=data,
        storage=target.storage,
        mount_point=target.mount.route_path,
        mount_type=target.mount.type,
    )
    try:
        await spec.revoke(revoke, FieldData(dict(data), {}))
    except Exception as exc:
        _log.error(
            "a secret issued at %s got no lease and could not be revoked: %s",
            request.full_path,
            type(exc).__name__,
        )


async def register_lease(
    expiration: ExpirationManager, target: Route, request: Request, response: Response | None
) -> Response | None:
    """Give a response's secret a lease when its backend knows how to revoke it."""
    if response is None or response.secret is None:
        return response
    secret_type = str(response.secret.internal_data.get(SECRET_TYPE_KEY, ""))
    spec = target.backend.secrets.get(secret_type)
    if spec is None:
        return response  # e.g. KV: a TTL hint without a lease, as in OpenBao
    owner, expire_limit = _owner(request)
    try:
        lease = await expiration.register_secret(
            path=request.full_path,
            mount_path=target.mount.route_path,
            ttl=response.secret.ttl,
            renewable=spec.renew is not None and response.secret.renewable,
            internal_data=dict(response.secret.internal_data),
            secret_data={},
            client_token=owner,
            expire_limit=expire_limit,
        )
    except Exception:
        # Without a lease nothing would ever revoke the secret (e.g. a database user): undo
        # it now, then fail the request.
        await _revoke_unleased(target, spec, request, response.secret)
        raise
    secret = replace(
        response.secret,
        lease_id=lease.lease_id,
        renewable=lease.renewable,
        ttl=max(0, round(lease.expire_time - lease.issue_time)),  # a batch token's limit
    )
    return replace(response, secret=secret)


__all__ = ["register_lease", "revokers"]
