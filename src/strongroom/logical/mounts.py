"""Mount entries: which backend type is mounted where (the mount and auth tables). Pure.

Each mount gets a uuid-named storage view (`logical/<uuid>/`, `auth/<uuid>/`), so a remount
moves no data and a disabled mount's data can be deleted by prefix.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import asdict, dataclass, field, replace

from strongroom.types import JSONDict

MOUNT_TABLE_PATH = "core/mounts"
AUTH_TABLE_PATH = "core/auth"


@dataclass(frozen=True, slots=True)
class MountConfig:
    """Per-mount tunables (seconds; 0 = inherit the system default)."""

    default_lease_ttl: int = 0
    max_lease_ttl: int = 0
    force_no_cache: bool = False
    listing_visibility: str = ""
    audit_non_hmac_request_keys: tuple[str, ...] = ()
    audit_non_hmac_response_keys: tuple[str, ...] = ()
    passthrough_request_headers: tuple[str, ...] = ()
    allowed_response_headers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MountEntry:
    """One mounted backend."""

    path: str
    type: str
    uuid: str
    accessor: str
    description: str = ""
    config: MountConfig = field(default_factory=MountConfig)
    options: dict[str, str] = field(default_factory=dict)
    local: bool = False
    seal_wrap: bool = False
    table: str = "mounts"

    @property
    def route_path(self) -> str:
        """Where the router mounts it: auth methods live under `auth/`."""
        return "auth/" + self.path if self.table == "auth" else self.path

    @property
    def storage_prefix(self) -> str:
        """Where this mount's data lives inside the barrier."""
        if self.type == "system":
            return "sys/"
        if self.table == "auth":
            return f"auth/{self.uuid}/"
        return f"logical/{self.uuid}/"

    @staticmethod
    def new(
        path: str, mount_type: str, *, description: str = "", table: str = "mounts"
    ) -> MountEntry:
        prefix = "auth" if table == "auth" else mount_type
        return MountEntry(
            path=path,
            type=mount_type,
            uuid=str(uuid.uuid4()),
            accessor=f"{prefix}_{secrets.token_hex(4)}",
            description=description,
            table=table,
        )


def serialize_table(entries: list[MountEntry]) -> bytes:
    """JSON for storage."""
    return json.dumps([asdict(e) for e in entries], sort_keys=True).encode()


def deserialize_table(blob: bytes) -> list[MountEntry]:
    raw: list[JSONDict] = json.loads(blob)
    entries = []
    for item in raw:
        config: JSONDict = {
            k: tuple(v) if isinstance(v, list) else v for k, v in item.get("config", {}).items()
        }
        item["config"] = MountConfig(**config)
        entries.append(MountEntry(**item))
    return entries


def default_mounts() -> list[MountEntry]:
    """The secret mounts every initialised server starts with."""
    return [
        MountEntry.new(
            "sys/", "system", description="system endpoints used for control, policy and debugging"
        ),
        replace(
            MountEntry.new(
                "cubbyhole/", "cubbyhole", description="per-token private secret storage"
            ),
            local=True,
        ),
    ]


def default_auth_mounts() -> list[MountEntry]:
    """The auth mounts every initialised server starts with."""
    return [MountEntry.new("token/", "token", description="token based credentials", table="auth")]


__all__ = [
    "AUTH_TABLE_PATH",
    "MOUNT_TABLE_PATH",
    "MountConfig",
    "MountEntry",
    "default_auth_mounts",
    "default_mounts",
    "deserialize_table",
    "serialize_table",
]
