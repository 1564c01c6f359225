"""The userpass auth method factory (`auth/<mount>/`). Only lists paths; handlers live in
the `path_*` modules, storage layout in `_user`, hashing in `_hasher`."""

from __future__ import annotations

from strongroom.auth.userpass._context import UserpassContext
from strongroom.auth.userpass._hasher import PasswordHasher
from strongroom.auth.userpass.path_login import login_path
from strongroom.auth.userpass.path_user_password import password_path
from strongroom.auth.userpass.path_user_policies import policies_path
from strongroom.auth.userpass.path_users import users_paths
from strongroom.clock import Clock
from strongroom.framework import Backend, SpecialPaths

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
    )


__all__ = ["userpass_backend"]
