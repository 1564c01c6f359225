"""The `transit` secrets engine factory: lists paths; handlers live in the `path_*` modules."""

from __future__ import annotations

from strongroom.clock import Clock
from strongroom.engines.transit._context import TransitContext
from strongroom.engines.transit.path_backup import backup_path, restore_path
from strongroom.engines.transit.path_cache import CACHE_CONFIG_PATH
from strongroom.engines.transit.path_config import config_path
from strongroom.engines.transit.path_datakey import datakey_path
from strongroom.engines.transit.path_decrypt import decrypt_path
from strongroom.engines.transit.path_encrypt import encrypt_path
from strongroom.engines.transit.path_export import export_path
from strongroom.engines.transit.path_hash import HASH_PATH
from strongroom.engines.transit.path_hmac import hmac_path
from strongroom.engines.transit.path_keys import keys_list_path, keys_path
from strongroom.engines.transit.path_random import RANDOM_PATH
from strongroom.engines.transit.path_rewrap import rewrap_path
from strongroom.engines.transit.path_rotate import rotate_path
from strongroom.engines.transit.path_sign import sign_path, verify_path
from strongroom.engines.transit.path_trim import trim_path
from strongroom.engines.transit.rotation import rotate_due_keys
from strongroom.framework import Backend
from strongroom.storage import Storage

HELP = (
    "The transit backend is used for encryption/decryption of data in-transit. Keys are "
    "stored by name; data is never stored by the backend."
)


def transit_backend(*, clock: Clock) -> Backend:
    """A transit backend for one mount, with its own parsed-key cache."""
    ctx = TransitContext(clock=clock)
    return Backend(
        paths=[
            keys_list_path(ctx),
            config_path(ctx),
            rotate_path(ctx),
            trim_path(ctx),
            keys_path(ctx),
            encrypt_path(ctx),
            decrypt_path(ctx),
            rewrap_path(ctx),
            sign_path(ctx),
            verify_path(ctx),
            hmac_path(ctx),
            HASH_PATH,
            RANDOM_PATH,
            datakey_path(ctx),
            export_path(ctx),
            backup_path(ctx),
            restore_path(ctx),
            CACHE_CONFIG_PATH,
        ],
        help=HELP,
        invalidate=ctx.invalidate,
        periodic=lambda storage: _rotate(storage, clock, ctx),
    )


async def _rotate(storage: Storage, clock: Clock, ctx: TransitContext) -> None:
    await rotate_due_keys(storage, clock, invalidate=ctx.invalidate)


__all__ = ["transit_backend"]
