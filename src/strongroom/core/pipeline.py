"""The request pipeline: small named steps every logical request goes through, in order.

sealed? -> route to mount -> resolve token -> existence check -> ACL -> audit request ->
backend -> login token, lease, wrap -> audit response. No step mutates a request: routing and
the token step together derive one routed Request (a single construction instead of two
`dataclasses.replace` calls, about 5 µs each), and later steps derive another only when they
change something.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from strongroom.core.audit_step import entry_for, log_request, log_response
from strongroom.core.expiration import register_lease
from strongroom.core.login import issue_login_token
from strongroom.core.router import Route
from strongroom.core.wrapping import WRAPPING_PATHS, is_wrapping_token, wrap
from strongroom.errors import (
    ERR_UNSUPPORTED_PATH,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    Sealed,
    StrongroomError,
)
from strongroom.framework import help_response
from strongroom.logical import Operation, Request, Response, TokenInfo
from strongroom.telemetry import names
from strongroom.tokens import check_bound_cidrs

if TYPE_CHECKING:
    from strongroom.core.core import Core


# Each operation's wire name (`Operation.value` is an enum property lookup per call).
_OPERATION_NAMES = {operation: operation.value for operation in Operation}


def check_sealed(core: Core) -> None:
    """Nothing but the unauthenticated sys endpoints works while sealed."""
    if core.sealed:
        raise Sealed()


def route(
    request: Request, target: Route, path: str, token: TokenInfo | None, unauthenticated: bool
) -> Request:
    """The request as its mount sees it: `path` relative to the mount, the mount's storage
    view, and the caller's token. Every other field is carried over as it came."""
    return Request(
        operation=request.operation,
        path=path,
        id=request.id,
        data=request.data,
        client_token=request.client_token,
        headers=request.headers,
        connection=request.connection,
        mount_point=target.mount_point,
        mount_type=target.mount.type,
        mount_accessor=target.mount.accessor,
        storage=target.storage,
        token=token,
        wrap_ttl=request.wrap_ttl,
        unauthenticated=unauthenticated,
        sudo=request.sudo,
    )


async def resolve_token(
    core: Core, target: Route, request: Request, path: str
) -> tuple[TokenInfo | None, bool]:
    """(the caller's token, whether the request is unauthenticated) for `path` (relative to
    the mount); 403 when the token is missing, unknown, revoked or expired, unless the path
    is unauthenticated."""
    # The HTTP layer may already mark a request unauthenticated (listener options).
    unauthenticated = request.unauthenticated or target.backend.special_paths.is_unauthenticated(
        path
    )
    client_token = request.client_token
    if client_token is None or not client_token:
        if unauthenticated:
            return request.token, True
        raise PermissionDenied()
    entry = await core.tokens.lookup(client_token.reveal())
    if entry is None:
        if unauthenticated:
            return request.token, True
        # vault-compat: OpenBao answers an unknown token with "permission denied" too
        raise PermissionDenied()
    if entry.bound_cidrs and not check_bound_cidrs(
        entry.bound_cidrs, request.connection.remote_addr
    ):
        raise PermissionDenied()
    if entry.num_uses > 0:
        # A use is consumed when the request is admitted, whatever its outcome (Vault).
        entry = entry.with_uses(entry.num_uses - 1 if entry.num_uses > 1 else -1)
        await core.tokens.update(entry)
    info = TokenInfo(
        accessor=entry.accessor,
        policies=entry.policies,
        token_id=client_token,
        entity_id=entry.entity_id,
        display_name=entry.display_name,
        ttl=entry.ttl,
        num_uses=entry.num_uses,
        entry_id=entry.id,
        token_type=entry.token_type,
        metadata=entry.metadata,
        parent=entry.parent,
        expire_time=entry.expire_time,
    )
    return info, unauthenticated


async def require_valid_token(core: Core, request: Request) -> None:
    """403 unless the request carries a live token (Vault checks the token before it admits
    that a path does not exist)."""
    if request.client_token is None or not request.client_token:
        raise PermissionDenied()
    if await core.tokens.lookup(request.client_token.reveal()) is None:
        raise PermissionDenied()


async def existence_check(target: Route, request: Request) -> Request:
    """A write to a path with an existence check is CREATE when the target does not exist
    (so that policies can tell create from update, as in Vault)."""
    if request.operation is not Operation.UPDATE:
        return request
    exists = await target.backend.exists(request)
    if exists is False:
        return replace(request, operation=Operation.CREATE)
    return request


async def authorize(core: Core, target: Route, request: Request) -> Request:
    """Deny by default: the token's policies must grant the operation on the full path, with
    sudo on the backend's root paths, and the policy's wrapping TTL bounds must hold.
    Unauthenticated paths (e.g. login) pass without a token."""
    if request.token is None:
        if request.unauthenticated:
            return request
        raise PermissionDenied()
    if is_wrapping_token(request.token.policies):
        # A wrapping token may only unwrap, look itself up, or rewrap.
        if request.full_path.rstrip("/") not in WRAPPING_PATHS:
            raise PermissionDenied()
        return request
    if request.token.is_root:
        return request if request.sudo else replace(request, sudo=True)
    if request.unauthenticated:
        return request
    acl = await core.policies.acl(request.token.policies)
    decision = acl.allowed(_OPERATION_NAMES[request.operation], request.full_path, request.data)
    if not decision.allowed:
        raise PermissionDenied()
    if not decision.sudo and target.backend.special_paths.is_root(request.path):
        raise PermissionDenied()
    if decision.min_wrapping_ttl or decision.max_wrapping_ttl:
        check_wrapping_ttl(decision.min_wrapping_ttl, decision.max_wrapping_ttl, request.wrap_ttl)
    if request.sudo == decision.sudo:
        return request  # nothing to derive (a replace costs about 5 µs per request)
    return replace(request, sudo=decision.sudo)


def check_wrapping_ttl(minimum: int, maximum: int, requested: int) -> None:
    """A policy's `min_wrapping_ttl` / `max_wrapping_ttl` on the path."""
    if minimum and requested < minimum:
        raise InvalidRequest(
            f"request requires response wrapping with a TTL of at least {minimum}s"
        )
    if maximum and requested > maximum:
        raise InvalidRequest(
            f"response wrapping TTL {requested}s exceeds the policy maximum of {maximum}s"
        )


async def handle(core: Core, request: Request) -> Response | None:
    """Run one logical request through every step (timed, and counted while in flight)."""
    is_login = request.path.startswith("auth/") and "login" in request.path
    name = names.CORE_HANDLE_LOGIN_REQUEST if is_login else names.CORE_HANDLE_REQUEST
    metrics = core.metrics
    metrics.add_gauge(names.CORE_IN_FLIGHT_REQUESTS, 1)
    try:
        start = metrics.clock()
        try:
            return await _handle(core, request)
        finally:
            metrics.observe_since(name, start)
    finally:
        metrics.add_gauge(names.CORE_IN_FLIGHT_REQUESTS, -1)


async def _handle(core: Core, request: Request) -> Response | None:
    check_sealed(core)
    matched = core.router.match(request.path)
    if matched is None:
        await require_valid_token(core, request)
        # vault-compat: router error text
        raise NotFound(f'no handler for route "{request.path}". route entry not found.')
    target, path = matched
    token, unauthenticated = await resolve_token(core, target, request, path)
    routed = route(request, target, path, token, unauthenticated)
    if routed.operation is Operation.HELP:
        routed = await authorize(core, target, routed)
        body = help_response(target.backend, routed.path, routed.mount_point)
        if body is None:
            raise NotFound(ERR_UNSUPPORTED_PATH)
        return Response(data=body, status=200, raw=True)
    audit = entry_for(core, target, routed)
    try:
        try:
            if routed.operation is Operation.UPDATE:  # the only one it can change
                routed = await existence_check(target, routed)
            routed = await authorize(core, target, routed)
        except StrongroomError as exc:
            await log_request(core, audit)  # a refused request is recorded too
            await log_response(core, audit, None, str(exc))
            raise
        if routed is not audit.request:  # a read passes both steps unchanged
            audit = replace(audit, request=routed)
        await log_request(core, audit)  # fail closed: no record, no request
        try:
            response = await _run(core, target, routed)
        except StrongroomError as exc:
            await log_response(core, audit, None, str(exc))
            raise
        await log_response(core, audit, response)
        return response
    finally:
        if routed.token is not None and routed.token.num_uses == -1:
            await revoke_if_used_up(core, routed)


async def _run(core: Core, target: Route, routed: Request) -> Response | None:
    """The backend, then what the core adds to its answer: login token, lease, wrapping."""
    response = await target.backend.handle(routed)
    if response is not None and response.auth is not None and target.mount.table == "auth":
        response = await issue_login_token(core, target, routed, response)
    if response is not None and response.secret is not None:
        response = apply_secret_ttl(core, target, response)
        response = await register_lease(core.expiration, target, routed, response)
    if routed.wrap_ttl > 0 and response is not None and _wrappable(response):
        response = await wrap(core, routed, response, routed.wrap_ttl)
    return response


def _wrappable(response: Response) -> bool:
    return response.wrap_info is None and (
        response.data is not None or response.auth is not None or response.secret is not None
    )


def apply_secret_ttl(core: Core, target: Route, response: Response | None) -> Response | None:
    """A secret's TTL: the backend's hint, else the mount's default, never above its max.
    (Lease registration arrives with the expiration manager.)"""
    if response is None or response.secret is None:
        return response
    default, maximum = core.mount_ttls(target.mount.route_path)
    ttl = response.secret.ttl or default
    if maximum > 0:
        ttl = min(ttl, maximum)
    return replace(response, secret=replace(response.secret, ttl=ttl))


async def revoke_if_used_up(core: Core, request: Request) -> None:
    """A token whose last use this request was is revoked once the request is done."""
    if request.token is not None and request.token.num_uses == -1:
        await core.tokens.revoke_id(request.token.entry_id)


__all__ = [
    "authorize",
    "check_sealed",
    "existence_check",
    "handle",
    "require_valid_token",
    "resolve_token",
    "route",
]
