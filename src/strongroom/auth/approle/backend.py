"""The AppRole auth method factory. Only lists paths; handlers live in the `path_*` modules,
the storage layout in `_store`."""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.auth._renewal import require_same_policies
from strongroom.auth.approle._context import AppRoleContext
from strongroom.auth.approle._store import load_role
from strongroom.auth.approle.path_login import login_path
from strongroom.auth.approle.path_role import role_paths
from strongroom.auth.approle.path_role_fields import role_field_paths
from strongroom.auth.approle.path_secret_id import secret_id_paths
from strongroom.auth.approle.path_secret_id_lookup import secret_id_lookup_paths
from strongroom.auth.approle.path_tidy import tidy_path
from strongroom.clock import Clock
from strongroom.errors import InvalidRequest
from strongroom.framework import Backend, SpecialPaths
from strongroom.storage import Storage

HELP = (
    "Any registered Role can authenticate itself with OpenBao. The credentials depends on the "
    "constraints that are set on the Role. One common required credential is the 'role_id' "
    "which is a unique identifier of the Role. It can be retrieved from the "
    "'role/<appname>/role-id' endpoint.\n\nThe default constraint configuration is "
    "'bind_secret_id', which requires the credential 'secret_id' to be presented during "
    "login. Refer to the documentation for other types of constraints."
)


def approle_backend(*, clock: Clock) -> Backend:
    """An AppRole auth method for one mount; `clock` drives secret ID expiry."""
    ctx = AppRoleContext(clock=clock)
    return Backend(
        paths=[
            login_path(ctx),
            *role_paths(ctx),
            *role_field_paths(ctx),
            *secret_id_paths(ctx),
            *secret_id_lookup_paths(ctx),
            tidy_path(ctx),
        ],
        help=HELP,
        backend_type="credential",
        special_paths=SpecialPaths(unauthenticated=("login",)),
        renew_auth=_renew_check,
    )


async def _renew_check(
    storage: Storage, metadata: Mapping[str, str], policies: tuple[str, ...]
) -> None:
    """An AppRole token renews only while its role exists with the same policies."""
    name = metadata.get("role_name", "")
    role = await load_role(storage, name)
    if role is None:
        # vault-compat: approle renewal refusal
        raise InvalidRequest(f'role "{name}" does not exist during renewal')
    require_same_policies(role.token.token_policies, policies)


__all__ = ["approle_backend"]
