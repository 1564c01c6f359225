"""Dynamic credentials: issuing a user for a role (`creds/:name`), and the lease handlers that
renew and revoke it.

The lease keeps the user's name, role and connection in its internal data; revocation uses the
role's current revocation statements, or those the role had at issue when it is gone since.
A failure to reach the database is raised, so the expiration manager retries the revocation
with backoff and never forgets the lease.
"""

from __future__ import annotations

from datetime import UTC, datetime

from strongroom.durations import ttl_capped_warning
from strongroom.engines.database._context import DatabaseContext, storage_of
from strongroom.engines.database._messages import (
    ERR_CREATE_USER,
    ERR_EMPTY_CREATION,
    ERR_NOT_ALLOWED,
    ERR_PASSWORD,
    ERR_PAST_MAX_TTL,
    ERR_RENEW_NO_ROLE,
    ERR_RENEW_USER,
    ERR_REVOKE_USER,
    ERR_UNKNOWN_ROLE,
    ERR_USERNAME,
)
from strongroom.engines.database._models import DynamicRole
from strongroom.engines.database.plugins import DatabaseError, DatabasePlugin
from strongroom.errors import InvalidRequest, UpstreamError
from strongroom.framework import SECRET_TYPE_KEY, FieldData, SecretType
from strongroom.framework.template import TemplateError, compile_template
from strongroom.logical import Request, Response, Secret

CREDS_SECRET = "creds"


def _lease_ttl(role: DynamicRole, mount: tuple[int, int]) -> int:
    default, maximum = mount
    ttl = role.default_ttl or default
    for cap in (role.max_ttl, maximum):
        if cap > 0:
            ttl = min(ttl, cap)
    return ttl


def username_for(plugin: DatabasePlugin, request: Request, role_name: str, now: float) -> str:
    """The new user's name from the connection's username template (or the plugin's)."""
    text = plugin.settings.username_template or plugin.default_username_template
    display = request.token.display_name if request.token is not None else ""
    try:
        return compile_template(text).render(
            {"DisplayName": display, "RoleName": role_name},
            now=datetime.fromtimestamp(now, UTC),
        )
    except TemplateError as exc:
        raise InvalidRequest(ERR_USERNAME.format(exc)) from None


async def issue(ctx: DatabaseContext, request: Request, role_name: str) -> Response:
    storage = storage_of(request)
    role = await ctx.role(storage, role_name)
    if role is None:
        raise InvalidRequest(ERR_UNKNOWN_ROLE.format(role_name))
    config, plugin = await ctx.connection(storage, role.db_name)
    if not config.allows(role_name):
        raise InvalidRequest(ERR_NOT_ALLOWED.format(role_name))
    if not role.creation_statements:
        raise InvalidRequest(ERR_EMPTY_CREATION)
    now = ctx.clock.now()
    mount_ttls = ctx.mount_ttls()
    wanted = role.default_ttl or mount_ttls[0]
    ttl = _lease_ttl(role, mount_ttls)
    username = username_for(plugin, request, role_name, now)
    try:
        password = await ctx.generate_password(config.password_policy)
    except InvalidRequest as exc:
        raise InvalidRequest(ERR_PASSWORD.format("; ".join(exc.messages))) from None
    try:
        await plugin.new_user(
            creation=role.creation_statements,
            rollback=role.rollback_statements,
            username=username,
            password=password,
            expiration=datetime.fromtimestamp(now + ttl, UTC),
        )
    except DatabaseError as exc:
        raise UpstreamError(ERR_CREATE_USER.format(exc)) from None
    warnings = (ttl_capped_warning(wanted, ttl),) if ttl < wanted else ()
    return Response(
        warnings=warnings,
        data={"username": username, "password": password},
        secret=Secret(
            ttl=ttl,
            max_ttl=role.max_ttl,
            renewable=True,
            internal_data={
                SECRET_TYPE_KEY: CREDS_SECRET,
                "username": username,
                "role": role_name,
                "db_name": role.db_name,
                "revocation_statements": list(role.revocation_statements),
            },
        ),
    )


def creds_secret(ctx: DatabaseContext) -> SecretType:
    """The lease handlers of dynamic credentials."""

    async def renew(request: Request, data: FieldData) -> Response | None:
        internal = request.data
        storage = storage_of(request)
        role_name = str(internal["role"])
        role = await ctx.role(storage, role_name)
        if role is None:
            raise InvalidRequest(ERR_RENEW_NO_ROLE.format(role_name))
        now = ctx.clock.now()
        default, maximum = ctx.mount_ttls()
        increment = int(internal.get("increment") or 0)
        ttl = increment or role.default_ttl or default
        cap = role.max_ttl or maximum
        if cap > 0:
            issued = float(internal.get("issue_time") or now)
            remaining = int(issued) + cap - int(now)  # whole seconds, as OpenBao
            if remaining <= 0:
                raise InvalidRequest(ERR_PAST_MAX_TTL)
            ttl = min(ttl, remaining)
        _, plugin = await ctx.connection(storage, str(internal["db_name"]))
        try:
            await plugin.renew_user(
                statements=role.renew_statements,
                username=str(internal["username"]),
                expiration=datetime.fromtimestamp(now + ttl, UTC),
            )
        except DatabaseError as exc:
            raise UpstreamError(ERR_RENEW_USER.format(exc)) from None
        return Response(secret=Secret(ttl=ttl, renewable=True))

    async def revoke(request: Request, data: FieldData) -> Response | None:
        internal = request.data
        storage = storage_of(request)
        role = await ctx.role(storage, str(internal["role"]))
        statements = (
            role.revocation_statements
            if role is not None
            else tuple(str(s) for s in internal.get("revocation_statements") or ())
        )
        _, plugin = await ctx.connection(storage, str(internal["db_name"]))
        try:
            await plugin.delete_user(statements=statements, username=str(internal["username"]))
        except DatabaseError as exc:
            raise UpstreamError(ERR_REVOKE_USER.format(exc)) from None
        return None

    return SecretType(name=CREDS_SECRET, revoke=revoke, renew=renew)


__all__ = ["CREDS_SECRET", "creds_secret", "issue", "username_for"]
