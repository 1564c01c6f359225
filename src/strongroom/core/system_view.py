"""`SystemView`: the core as the system backend sees it (engines.system.SystemCore).

Keeps the Core facade small: the keyring, root-generation, wrapping and token questions the
`sys/` endpoints ask are answered here by delegating to the core's components.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from strongroom.audit import AuditBroker
from strongroom.barrier import KeyStatus, RotationConfig
from strongroom.clock import Clock
from strongroom.core import audit_table, wrapping
from strongroom.core.audit_table import AuditSpec
from strongroom.core.audited_headers import AuditedHeaders
from strongroom.core.mount_manager import MountManager
from strongroom.core.password_policies import PasswordPolicyStore
from strongroom.core.policy_store import PolicyStore
from strongroom.errors import Sealed
from strongroom.framework import backend_paths
from strongroom.leases import ExpirationManager
from strongroom.logical import Request, Response
from strongroom.logical.mounts import MountEntry
from strongroom.telemetry import Metrics
from strongroom.types import JSONDict

if TYPE_CHECKING:
    from strongroom.core.core import Core

_log = logging.getLogger("strongroom.core")


class SystemView:
    """Delegates the system backend's questions to a core."""

    def __init__(self, core: Core) -> None:
        self._core = core

    @property
    def mounts(self) -> MountManager:
        return self._core.mounts

    @property
    def policies(self) -> PolicyStore:
        return self._core.policies

    @property
    def password_policies(self) -> PasswordPolicyStore:
        return self._core.password_policies

    @property
    def expiration(self) -> ExpirationManager:
        return self._core.expiration

    @property
    def clock(self) -> Clock:
        return self._core.clock

    @property
    def audited_headers(self) -> AuditedHeaders:
        return self._core.audited_headers

    @property
    def metrics(self) -> Metrics:
        return self._core.metrics

    @property
    def prometheus_enabled(self) -> bool:
        return self._core.options.prometheus_enabled

    @property
    def audit(self) -> AuditBroker:
        return self._core.audit

    @property
    def audit_specs(self) -> list[AuditSpec]:
        return self._core.audit_specs

    async def enable_audit(
        self,
        *,
        path: str,
        device_type: str,
        description: str,
        options: dict[str, str],
        local: bool,
    ) -> None:
        spec = AuditSpec(
            path=path, type=device_type, description=description, options=options, local=local
        )
        await audit_table.enable(self._core, spec)

    async def disable_audit(self, path: str) -> None:
        await audit_table.disable(self._core, path)

    async def seal(self) -> None:
        await self._core.seal()

    def mount_for_path(self, path: str) -> MountEntry | None:
        return self._core.mount_for_path(path)

    def default_ttls(self) -> tuple[int, int]:
        return self._core.default_ttls()

    def mount_ttls(self, route_path: str) -> tuple[int, int]:
        return self._core.mount_ttls(route_path)

    async def rotate_keyring(self) -> int:
        """Install a new barrier key term; returns it."""
        if self._core.sealed:
            raise Sealed()
        key = await self._core.barrier.rotate()
        _log.info("keyring rotated to term %d", key.term)
        return key.term

    def key_status(self) -> KeyStatus:
        if self._core.sealed:
            raise Sealed()
        return self._core.barrier.key_status()

    def rotation_config(self) -> RotationConfig:
        return self._core.barrier.rotation_config

    async def set_rotation_config(self, config: RotationConfig) -> None:
        await self._core.barrier.set_rotation_config(config)

    def openapi_paths(self) -> dict[str, JSONDict]:
        """OpenAPI path items of every mounted backend."""
        items: dict[str, JSONDict] = {}
        for mounted in self._core.router.routes():
            items.update(backend_paths(mounted.backend, mounted.mount.route_path))
        return items

    async def root_generation_status(self) -> JSONDict:
        return _authenticated_shape(await self._core.generate_root_token.status())

    async def start_root_generation(self, *, otp: str, pgp_key: str) -> JSONDict:
        started = await self._core.generate_root_token.start(otp=otp, pgp_key=pgp_key)
        return _authenticated_shape(started)

    def cancel_root_generation(self) -> None:
        self._core.generate_root_token.cancel()

    async def update_root_generation(self, share: bytes, nonce: str) -> JSONDict:
        return _authenticated_shape(await self._core.generate_root_token.update(share, nonce))

    async def token_policies(self, token: str) -> tuple[str, ...] | None:
        entry = await self._core.tokens.lookup(token)
        return None if entry is None else entry.policies

    async def accessor_policies(self, accessor: str) -> tuple[str, ...] | None:
        entry = await self._core.tokens.lookup_accessor(accessor)
        return None if entry is None else entry.policies

    async def unwrap(self, token: str, caller: Request) -> Response:
        return await wrapping.unwrap(self._core, token, caller)

    async def rewrap(self, token: str, caller: Request) -> Response:
        return await wrapping.rewrap(self._core, token, caller)

    async def wrapping_lookup(self, token: str) -> JSONDict:
        return await wrapping.lookup(self._core, token)


def _authenticated_shape(status: JSONDict) -> JSONDict:
    """sys/generate-root-token answers without the legacy `encoded_root_token`, and with
    `encoded_token` only once there is one."""
    shaped = {k: v for k, v in status.items() if k not in ("encoded_root_token", "encoded_token")}
    if status.get("encoded_token"):
        shaped["encoded_token"] = status["encoded_token"]
    return shaped


__all__ = ["SystemView"]
