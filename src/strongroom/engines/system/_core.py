"""The narrow view of the core the system backend needs (like Vault's SystemView)."""

from __future__ import annotations

from typing import Protocol

from strongroom.barrier import KeyStatus, RotationConfig
from strongroom.logical.mounts import MountConfig, MountEntry
from strongroom.types import JSONDict


class MountTables(Protocol):
    """The mount and auth tables (core.mount_manager.MountManager)."""

    def normalise(self, path: str) -> str: ...

    def entries(self, table: str) -> list[MountEntry]: ...

    def find(self, table: str, path: str) -> MountEntry | None: ...

    async def enable(self, table: str, entry: MountEntry) -> None: ...

    async def disable(self, table: str, path: str) -> None: ...

    async def tune(
        self,
        table: str,
        path: str,
        *,
        config: MountConfig,
        description: str | None,
        options: dict[str, str] | None,
    ) -> MountEntry: ...

    async def remount(self, table: str, source: str, target: str) -> MountEntry: ...


class SystemCore(Protocol):
    """What `sys/*` handlers may ask of the core; the Core facade satisfies it."""

    @property
    def mounts(self) -> MountTables: ...

    def mount_ttls(self, route_path: str) -> tuple[int, int]: ...

    def mount_for_path(self, path: str) -> MountEntry | None: ...

    def default_ttls(self) -> tuple[int, int]: ...

    async def seal(self) -> None: ...

    async def rotate_keyring(self) -> int: ...

    def key_status(self) -> KeyStatus: ...

    def rotation_config(self) -> RotationConfig: ...

    async def set_rotation_config(self, config: RotationConfig) -> None: ...

    def openapi_paths(self) -> dict[str, JSONDict]: ...

    async def root_generation_status(self) -> JSONDict: ...

    async def start_root_generation(self, *, otp: str, pgp_key: str) -> JSONDict: ...

    def cancel_root_generation(self) -> None: ...

    async def update_root_generation(self, share: bytes, nonce: str) -> JSONDict: ...


__all__ = ["MountTables", "SystemCore"]
