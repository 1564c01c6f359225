"""The narrow view of the core the system backend needs (like Vault's SystemView)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from strongroom.audit import AuditBroker
from strongroom.barrier import KeyStatus, RotationConfig
from strongroom.clock import Clock
from strongroom.leases import ExpirationManager
from strongroom.logical import Request, Response
from strongroom.logical.mounts import MountConfig, MountEntry
from strongroom.policy import ACL
from strongroom.telemetry import Metrics
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


class PolicyStore(Protocol):
    """The ACL policy store (core.policy_store.PolicyStore)."""

    async def names(self) -> list[str]: ...

    async def record(self, name: str) -> JSONDict | None: ...

    async def put(self, name: str, text: str) -> None: ...

    async def delete(self, name: str) -> None: ...

    async def acl(self, names: tuple[str, ...]) -> ACL: ...


class PasswordPolicyStore(Protocol):
    """The password policy store (core.password_policies.PasswordPolicyStore)."""

    async def names(self) -> list[str]: ...

    async def get(self, name: str) -> str | None: ...

    async def put(self, name: str, text: str) -> None: ...

    async def delete(self, name: str) -> None: ...

    async def generate(self, name: str) -> str: ...


class AuditSpecLike(Protocol):
    """An enabled audit device's declaration (core.audit_table.AuditSpec)."""

    @property
    def path(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def options(self) -> dict[str, str]: ...

    @property
    def local(self) -> bool: ...


class AuditedHeadersLike(Protocol):
    """The audited request headers (core.audited_headers.AuditedHeaders)."""

    @property
    def headers(self) -> dict[str, bool]: ...

    async def set(self, name: str, hmac: bool) -> None: ...

    async def delete(self, name: str) -> None: ...


class SystemCore(Protocol):
    """What `sys/*` handlers may ask of the core; the Core facade satisfies it."""

    @property
    def mounts(self) -> MountTables: ...

    @property
    def policies(self) -> PolicyStore: ...

    @property
    def password_policies(self) -> PasswordPolicyStore: ...

    @property
    def expiration(self) -> ExpirationManager: ...

    @property
    def clock(self) -> Clock: ...

    async def token_policies(self, token: str) -> tuple[str, ...] | None: ...

    async def unwrap(self, token: str, caller: Request) -> Response: ...

    async def rewrap(self, token: str, caller: Request) -> Response: ...

    async def wrapping_lookup(self, token: str) -> JSONDict: ...

    async def accessor_policies(self, accessor: str) -> tuple[str, ...] | None: ...

    def mount_ttls(self, route_path: str) -> tuple[int, int]: ...

    def mount_for_path(self, path: str) -> MountEntry | None: ...

    def default_ttls(self) -> tuple[int, int]: ...

    @property
    def audit(self) -> AuditBroker: ...

    @property
    def metrics(self) -> Metrics: ...

    @property
    def audited_headers(self) -> AuditedHeadersLike: ...

    @property
    def prometheus_enabled(self) -> bool: ...

    @property
    def audit_specs(self) -> Sequence[AuditSpecLike]: ...

    async def enable_audit(
        self,
        *,
        path: str,
        device_type: str,
        description: str,
        options: dict[str, str],
        local: bool,
    ) -> None: ...

    async def disable_audit(self, path: str) -> None: ...

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


__all__ = ["MountTables", "PasswordPolicyStore", "PolicyStore", "SystemCore"]
