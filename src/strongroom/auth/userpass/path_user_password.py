"""`users/:username/password` (UPDATE): replace a user's password, from `password` or a
pre-hashed bcrypt `password_hash`. Nothing else about the user changes."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from strongroom.auth.userpass._context import UserpassContext
from strongroom.auth.userpass._messages import ERR_NO_SUCH_USER, ERR_PASSWORD_REQUIRED
from strongroom.auth.userpass._password import PASSWORD_FIELDS, new_password_hash
from strongroom.auth.userpass._user import load_user, save_user, storage_of
from strongroom.auth.userpass.path_users import USERNAME
from strongroom.errors import InvalidRequest
from strongroom.framework import FieldData, OperationSpec, Path, lit, name
from strongroom.logical import Operation, Request, Response


async def reset_password(
    ctx: UserpassContext, request: Request, data: FieldData
) -> Response | None:
    """Set a new password hash. An unknown user is a 400 (OpenBao answers 500)."""
    storage = storage_of(request)
    username = data.string("username")
    if await load_user(storage, username) is None:
        raise InvalidRequest(ERR_NO_SUCH_USER)
    new_hash = await new_password_hash(ctx.hasher, data)
    if new_hash is None:
        raise InvalidRequest(ERR_PASSWORD_REQUIRED)
    async with ctx.write_lock:
        user = await load_user(storage, username)
        if user is None:
            raise InvalidRequest(ERR_NO_SUCH_USER)
        await save_user(storage, username, replace(user, password_hash=new_hash))
    return None


def password_path(ctx: UserpassContext) -> Path:
    """`users/:username/password`, bound to `ctx`."""
    return Path(
        pattern=lit("users/") + name("username") + lit("/password"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(reset_password, ctx),
                summary="Reset a user's password.",
                operation_id="userpass-reset-password",
            )
        },
        fields={"username": USERNAME, **PASSWORD_FIELDS},
        synopsis="Reset user's password.",
        description="Replaces the password of an existing user; its tokens stay valid.",
    )


__all__ = ["password_path", "reset_password"]
