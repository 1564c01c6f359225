"""`users/:username/policies` (UPDATE): replace the policies of a user's future tokens.

Unlike `users/:username`, this endpoint parses `token_policies` as policy names (lowercased,
deduplicated, sorted), as OpenBao does."""

from __future__ import annotations

from functools import partial

from strongroom.auth.userpass._context import UserpassContext
from strongroom.auth.userpass._messages import ERR_NO_SUCH_USER
from strongroom.auth.userpass._token_fields import POLICIES_FIELDS, policy_settings
from strongroom.auth.userpass._user import UserEntry, load_user, save_user, storage_of
from strongroom.auth.userpass.path_users import USERNAME
from strongroom.errors import InvalidRequest
from strongroom.framework import FieldData, OperationSpec, Path, lit, name
from strongroom.logical import Operation, Request, Response


async def update_policies(
    ctx: UserpassContext, request: Request, data: FieldData
) -> Response | None:
    """Set the user's token policies. An unknown user is a 400 (OpenBao answers 500)."""
    storage = storage_of(request)
    username = data.string("username")
    async with ctx.write_lock:
        user = await load_user(storage, username)
        if user is None:
            raise InvalidRequest(ERR_NO_SUCH_USER)
        settings = policy_settings(data, user)
        updated = UserEntry(
            user.password_hash, settings.token, settings.strictly_bind_ip, settings.deprecated
        )
        await save_user(storage, username, updated)
    return None


def policies_path(ctx: UserpassContext) -> Path:
    """`users/:username/policies`, bound to `ctx`."""
    return Path(
        pattern=lit("users/") + name("username") + lit("/policies"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(update_policies, ctx),
                summary="Update the policies of a user.",
                operation_id="userpass-update-policies",
            )
        },
        fields={"username": USERNAME, **POLICIES_FIELDS},
        synopsis="Update the policies associated with the username.",
        description="Replaces the policies of the tokens that the user's next logins get.",
    )


__all__ = ["policies_path", "update_policies"]
