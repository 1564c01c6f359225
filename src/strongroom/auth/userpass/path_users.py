"""`users/` (LIST) and `users/:username` (create, read, update, delete) of userpass.

Usernames are case-insensitive: stored and listed lowercased. A read returns the token
settings, never the password or its hash.
"""

from __future__ import annotations

from functools import partial

from strongroom.auth.userpass._context import UserpassContext
from strongroom.auth.userpass._messages import ERR_PASSWORD_REQUIRED
from strongroom.auth.userpass._password import (
    PASSWORD_FIELDS,
    new_password_hash,
    wants_new_password,
)
from strongroom.auth.userpass._token_fields import USER_TOKEN_FIELDS, user_token_settings
from strongroom.auth.userpass._user import (
    UserEntry,
    delete_user,
    list_users,
    load_user,
    save_user,
    storage_of,
)
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name
from strongroom.logical import Operation, Request, Response

USERNAME = Field(FieldType.LOWER_CASE_STRING, "Username for this user.")

USER_FIELDS: dict[str, Field] = {
    "username": USERNAME,
    **PASSWORD_FIELDS,
    **USER_TOKEN_FIELDS,
}


async def list_users_handler(request: Request, data: FieldData) -> Response | None:
    """The usernames, or 404 when there are none."""
    keys = await list_users(storage_of(request))
    return Response.of({"keys": keys}) if keys else None


async def read_user(request: Request, data: FieldData) -> Response | None:
    user = await load_user(storage_of(request), data.string("username"))
    return None if user is None else Response.of(user.render())


async def write_user(ctx: UserpassContext, request: Request, data: FieldData) -> Response | None:
    """Create or update a user. Creating needs a password; an update changes only what the
    request names. Settings are checked before any hashing, and the hash is computed outside
    the write lock so slow hashing does not hold up other writes."""
    storage = storage_of(request)
    username = data.string("username")
    current = await load_user(storage, username)
    user_token_settings(data, current)
    if current is None and not wants_new_password(data):
        raise InvalidRequest(ERR_PASSWORD_REQUIRED)
    new_hash = await new_password_hash(ctx.hasher, data)
    async with ctx.write_lock:
        old = await load_user(storage, username)
        settings = user_token_settings(data, old)
        if new_hash is None:
            if old is None:
                raise InvalidRequest(ERR_PASSWORD_REQUIRED)
            new_hash = old.password_hash
        user = UserEntry(new_hash, settings.token, settings.strictly_bind_ip, settings.deprecated)
        await save_user(storage, username, user)
    return None


async def delete_user_handler(
    ctx: UserpassContext, request: Request, data: FieldData
) -> Response | None:
    async with ctx.write_lock:
        await delete_user(storage_of(request), data.string("username"))
    return None


async def user_exists(request: Request, data: FieldData) -> bool:
    return await load_user(storage_of(request), data.string("username")) is not None


def users_paths(ctx: UserpassContext) -> list[Path]:
    """`users/` and `users/:username`, bound to `ctx`."""
    write = OperationSpec(
        partial(write_user, ctx),
        summary="Create or update a user.",
        operation_id="userpass-write-user",
    )
    return [
        Path(
            pattern=lit("users/"),
            operations={
                Operation.LIST: OperationSpec(
                    list_users_handler,
                    summary="List the users.",
                    operation_id="userpass-list-users",
                )
            },
            synopsis="Manage users allowed to authenticate.",
            description="Lists the users of this userpass mount.",
        ),
        Path(
            pattern=lit("users/") + name("username"),
            operations={
                Operation.READ: OperationSpec(
                    read_user, summary="Read a user.", operation_id="userpass-read-user"
                ),
                Operation.CREATE: write,
                Operation.UPDATE: write,
                Operation.DELETE: OperationSpec(
                    partial(delete_user_handler, ctx),
                    summary="Delete a user.",
                    operation_id="userpass-delete-user",
                ),
            },
            fields=USER_FIELDS,
            exists=user_exists,
            synopsis="Manage users allowed to authenticate.",
            description="A user has a password and the settings of the tokens its logins get.",
        ),
    ]


__all__ = ["USERNAME", "USER_FIELDS", "read_user", "users_paths", "write_user"]
