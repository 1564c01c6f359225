"""The `kv` secrets engine factory: the mount option `version` picks kv v1 or kv v2.

Only lists paths. Handlers live in the `path_*` modules; storage layout in `_store`. A v1
backend serves every request through an `UpgradeGate` (see `_upgrade`), so that the core can
stop its traffic while it upgrades the mount to v2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from strongroom.clock import Clock
from strongroom.engines.kv._context import KVContext
from strongroom.engines.kv._messages import ERR_BAD_VERSION
from strongroom.engines.kv._upgrade import UpgradeGate
from strongroom.engines.kv.path_config import config_path
from strongroom.engines.kv.path_data import data_path
from strongroom.engines.kv.path_delete import delete_path
from strongroom.engines.kv.path_destroy import destroy_path
from strongroom.engines.kv.path_detailed_metadata import detailed_metadata_path
from strongroom.engines.kv.path_invalid import INVALID_PATH, ROOT_PATH
from strongroom.engines.kv.path_metadata import metadata_path
from strongroom.engines.kv.path_passthrough import PASSTHROUGH_PATH
from strongroom.engines.kv.path_subkeys import subkeys_path
from strongroom.engines.kv.path_undelete import undelete_path
from strongroom.errors import InvalidRequest
from strongroom.framework import Backend
from strongroom.logical import Request, Response

V1_HELP = (
    "The generic backend reads and writes arbitrary secrets to the backend. The secrets are "
    "encrypted/decrypted by OpenBao: they are never stored unencrypted in the backend and the "
    "backend never has an opportunity to see the unencrypted value."
)
V2_HELP = (
    "This backend provides a versioned key-value store. The kv backend reads and writes "
    "arbitrary secrets to the storage backend. The secrets are encrypted/decrypted by OpenBao: "
    "they are never stored unencrypted in the backend and the backend never has an "
    "opportunity to see the unencrypted value. Each key can have a configured number of "
    "versions, and versions can be retrieved based on their version numbers."
)


def kv_version(options: Mapping[str, str]) -> int:
    """1 or 2 from the mount's `options`; a missing or empty `version` is 1."""
    version = options.get("version", "")
    if version in ("", "1"):
        return 1
    if version == "2":
        return 2
    raise InvalidRequest(ERR_BAD_VERSION)


@dataclass
class _V1Backend(Backend):
    """A kv v1 backend: every request (and existence check) passes its `gate`."""

    gate: UpgradeGate = field(default_factory=UpgradeGate)

    async def handle(self, request: Request) -> Response | None:
        self.gate.enter()
        try:
            return await super().handle(request)
        finally:
            self.gate.leave()

    async def exists(self, request: Request) -> bool | None:
        self.gate.enter()
        try:
            return await super().exists(request)
        finally:
            self.gate.leave()


def upgrade_gate(backend: Backend) -> UpgradeGate | None:
    """The gate of a kv v1 backend; None for any other backend."""
    return backend.gate if isinstance(backend, _V1Backend) else None


def kv_backend(options: Mapping[str, str], *, clock: Clock) -> Backend:
    """A kv v1 or v2 backend for one mount. Raises InvalidRequest for an unknown version."""
    if kv_version(options) == 1:
        return _V1Backend(paths=[PASSTHROUGH_PATH], help=V1_HELP)
    ctx = KVContext(clock=clock)
    return Backend(
        paths=[
            config_path(ctx),
            data_path(ctx),
            metadata_path(ctx),
            detailed_metadata_path(ctx),
            subkeys_path(ctx),
            delete_path(ctx),
            undelete_path(ctx),
            destroy_path(ctx),
            ROOT_PATH,
            INVALID_PATH,
        ],
        help=V2_HELP,
    )


__all__ = ["kv_backend", "kv_version", "upgrade_gate"]
