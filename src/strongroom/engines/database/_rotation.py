"""Password rotation: static accounts (on schedule and on demand) and the connection's root
user. The database changes first; the new password is stored only once it took effect."""

from __future__ import annotations

import logging
from dataclasses import replace

from strongroom.engines.database._context import DatabaseContext, new_plugin
from strongroom.engines.database._messages import (
    ERR_ROOT_LITERAL_URL,
    ERR_ROOT_NO_PASSWORD,
    ERR_ROOT_NO_USERNAME,
    ERR_ROTATE_ROOT,
    ERR_SET_CREDENTIALS,
)
from strongroom.engines.database._models import STATIC_ROLE_PREFIX, StaticRole, url_has_password
from strongroom.engines.database.plugins import ConnectionFailed, DatabaseError
from strongroom.errors import InvalidRequest, UpstreamError
from strongroom.storage import Storage

_log = logging.getLogger("strongroom.database")


async def rotate_static(
    ctx: DatabaseContext, storage: Storage, name: str, role: StaticRole
) -> StaticRole:
    """Give the account a new password now; returns the stored role. Hold the role's lock.
    A database error is raised as it is (DatabaseError), for the caller to map."""
    config, plugin = await ctx.connection(storage, role.db_name)
    password = await ctx.generate_password(config.password_policy)
    if role.password:  # an existing role: mark the rotation in flight first
        await ctx.put_static_role(storage, name, replace(role, rotation_pending=True))
    await plugin.set_password(
        statements=role.rotation_statements, username=role.username, password=password
    )
    rotated = role.rotated(password, ctx.clock.now())
    await ctx.put_static_role(storage, name, rotated)
    return rotated


async def rotate_due(ctx: DatabaseContext, storage: Storage) -> int:
    """Rotate every static account whose period has passed; a failure is logged and retried
    on the next tick. Returns how many were rotated."""
    rotated = 0
    for name in await storage.list(STATIC_ROLE_PREFIX):
        async with ctx.locks.hold("static-role/" + name):
            role = await ctx.static_role(storage, name)
            if role is None or not role.due(ctx.clock.now()):
                continue
            try:
                await rotate_static(ctx, storage, name, role)
                rotated += 1
            except Exception as exc:
                # The text names the role and the driver's error class, never a password.
                _log.error("rotation of static role %s failed: %s", name, type(exc).__name__)
    return rotated


def setting_failed(exc: DatabaseError, *, request_input: bool) -> InvalidRequest | UpstreamError:
    """The error for a password change the database refused: a 400 when the request itself
    named what was wrong (e.g. a static role for an account that does not exist), else a 502."""
    message = ERR_SET_CREDENTIALS.format(exc)
    if request_input and not isinstance(exc, ConnectionFailed):
        return InvalidRequest(message)
    return UpstreamError(message)


async def rotate_root(ctx: DatabaseContext, storage: Storage, name: str) -> None:
    """Change the connection user's password to one only Strongroom knows."""
    config, plugin = await ctx.connection(storage, name)
    username = config.connection_details.get("username")
    if not isinstance(username, str) or not username:
        raise InvalidRequest(ERR_ROOT_NO_USERNAME)
    if not config.connection_details.get("password"):
        raise InvalidRequest(ERR_ROOT_NO_PASSWORD)
    url = config.connection_details.get("connection_url")
    if isinstance(url, str) and url_has_password(url):
        raise InvalidRequest(ERR_ROOT_LITERAL_URL)
    password = await ctx.generate_password(config.password_policy)
    try:
        await plugin.set_password(
            statements=config.root_credentials_rotate_statements,
            username=username,
            password=password,
        )
    except DatabaseError as exc:
        raise UpstreamError(ERR_ROTATE_ROOT.format(exc)) from None
    updated = replace(
        config, connection_details={**config.connection_details, "password": password}
    )
    await ctx.put_config(storage, name, updated)
    old = ctx.install(name, new_plugin(updated))
    if old is not None:
        await old.close()


__all__ = ["rotate_due", "rotate_root", "rotate_static", "setting_failed"]
