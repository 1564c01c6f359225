"""The mount table: which backend type is mounted where, persisted inside the barrier.

Each mount gets a uuid-named storage view (`logical/<uuid>/`, `auth/<uuid>/`), so a remount
moves no data and a disabled mount's data can be deleted by prefix.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import asdict, dataclass, field

from strongroom.types import JSONDict

MOUNT_TABLE_PATH = "core/mounts"
AUTH_TABLE_PATH = "core/auth"


@dataclass(frozen=True, slots=True)
class MountConfig:
    """Per-mount tunables (seconds; 0 = inherit the system default)."""

    default_lease_ttl: int = 0
    max_lease_ttl: int = 0


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
        item["config"] = MountConfig(**item.get("config", {}))
        entries.append(MountEntry(**item))
    return entries


def default_mounts() -> list[MountEntry]:
    """The mounts every initialised server starts with."""
    return [
        MountEntry.new(
            "sys/", "system", description="system endpoints used for control, policy and debugging"
        )
    ]


__all__ = [
    "AUTH_TABLE_PATH",
    "MOUNT_TABLE_PATH",
    "MountConfig",
    "MountEntry",
    "default_mounts",
    "deserialize_table",
    "serialize_table",
]
