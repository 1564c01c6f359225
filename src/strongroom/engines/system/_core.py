"""The narrow view of the core the system backend needs (like Vault's SystemView)."""

from __future__ import annotations

from typing import Protocol

from strongroom.barrier import KeyStatus, RotationConfig
from strongroom.types import JSONDict


class SystemCore(Protocol):
    """What `sys/*` handlers may ask of the core; the Core facade satisfies it."""

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


__all__ = ["SystemCore"]
