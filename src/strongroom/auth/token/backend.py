"""The token auth method (`auth/token/`): the token store's HTTP face."""

from __future__ import annotations

from strongroom.auth.token._context import TokenContext
from strongroom.auth.token.path_create import create_paths
from strongroom.auth.token.path_lookup import lookup_paths
from strongroom.auth.token.path_renew import renew_paths
from strongroom.auth.token.path_revoke import revoke_paths
from strongroom.auth.token.path_roles import role_paths
from strongroom.framework import Backend, SpecialPaths

# vault-compat: sudo paths of the token store
ROOT_PATHS = ("revoke-orphan/*", "revoke-orphan", "accessors/", "accessors/*")


def token_backend(context: TokenContext) -> Backend:
    """Build `auth/token/` around a token store."""
    return Backend(
        paths=[
            *create_paths(context),
            *lookup_paths(context),
            *renew_paths(context),
            *revoke_paths(context),
            *role_paths(context),
        ],
        help="The token store: create, look up, renew and revoke tokens.",
        backend_type="credential",
        special_paths=SpecialPaths(root=ROOT_PATHS),
    )


__all__ = ["TokenContext", "token_backend"]
