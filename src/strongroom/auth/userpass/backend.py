"""The userpass auth method factory (`auth/<mount>/`). Only lists paths; handlers live in
the `path_*` modules, storage layout in `_user`, hashing in `_hasher`."""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.auth._renewal import require_same_policies
from strongroom.auth.userpass._context import UserpassContext
from strongroom.auth.userpass._hasher import PasswordHasher
from strongroom.auth.userpass._user import load_user
from strongroom.auth.userpass.path_login import login_path
from strongroom.auth.userpass.path_user_password import password_path
from strongroom.auth.userpass.path_user_policies import policies_path
from strongroom.auth.userpass.path_users import users_paths
from strongroom.clock import Clock
from strongroom.errors import InvalidRequest
from strongroom.framework import Backend, SpecialPaths
from strongroom.storage import Storage

HELP = (
    "The userpass auth method authenticates users by username and password. Users are "
    "managed under users/; a login at login/<username> returns a token carrying the user's "
    "token settings."
)


def userpass_backend(*, clock: Clock, hasher: PasswordHasher | None = None) -> Backend:
    """A userpass backend for one mount. `hasher` defaults to bcrypt at DEFAULT_COST; tests
    pass a cheaper one."""
    ctx = UserpassContext(clock=clock, hasher=hasher or PasswordHasher())
    return Backend(
        paths=[
            *users_paths(ctx),
            password_path(ctx),
            policies_path(ctx),
            login_path(ctx),
        ],
        help=HELP,
        backend_type="credential",
        special_paths=SpecialPaths(unauthenticated=("login/*",)),
        renew_auth=_renew_check,
    )


async def _renew_check(
    storage: Storage, metadata: Mapping[str, str], policies: tuple[str, ...]
) -> None:
    """A userpass token renews only while its user exists with the same policies."""
    user = await load_user(storage, metadata.get("username", ""))
    if user is None:
        # vault-compat: userpass renewal refusal
        raise InvalidRequest("user does not exist")
    require_same_policies(user.token.token_policies, policies)


__all__ = ["userpass_backend"]
