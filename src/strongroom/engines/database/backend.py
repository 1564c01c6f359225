"""The `database` secrets engine factory: lists paths; handlers live in the `path_*` modules."""

from __future__ import annotations

from collections.abc import Callable

from strongroom.clock import Clock
from strongroom.engines.database._context import DatabaseContext, PasswordGenerator
from strongroom.engines.database._credentials import creds_secret
from strongroom.engines.database._rotation import rotate_due
from strongroom.engines.database.path_config import config_paths
from strongroom.engines.database.path_creds import creds_paths
from strongroom.engines.database.path_roles import role_paths
from strongroom.engines.database.path_static_roles import static_role_paths
from strongroom.framework import Backend
from strongroom.storage import Storage

HELP = (
    "The database backend supports using many different databases as secret backends, "
    "including but not limited to: PostgreSQL, MySQL and MariaDB. It issues users that exist "
    "only for the life of their lease, and rotates the passwords of static accounts."
)

# vault-compat: the database engine checks its static-account queue every 5 seconds
ROTATION_TICK = 5.0


def database_backend(
    *,
    clock: Clock,
    generate_password: PasswordGenerator,
    mount_ttls: Callable[[], tuple[int, int]],
) -> Backend:
    """A database backend for one mount, with its own open connections."""
    ctx = DatabaseContext(clock=clock, generate_password=generate_password, mount_ttls=mount_ttls)
    secret = creds_secret(ctx)

    async def periodic(storage: Storage) -> None:
        await rotate_due(ctx, storage)

    return Backend(
        paths=[
            *config_paths(ctx),
            *role_paths(ctx),
            *static_role_paths(ctx),
            *creds_paths(ctx),
        ],
        help=HELP,
        secrets={secret.name: secret},
        invalidate=ctx.invalidate,
        clean=ctx.close_all,
        periodic=periodic,
        periodic_interval=ROTATION_TICK,
    )


__all__ = ["database_backend"]
