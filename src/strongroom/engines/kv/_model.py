"""The KV v2 records: mount `Config`, per-key `KeyMetadata` and per-version `VersionInfo`.

Pure: (de)serialisation to the stored JSON, the API renderings OpenBao sends, the effective
settings (key value, else mount value, else default) and time formatting. No storage access.

Times are integer microseconds since the epoch (0 = unset) and render as Go's RFC3339Nano:
trailing zeros trimmed, "Z" suffix, "" when unset.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from strongroom.clock import Clock
from strongroom.durations import format_duration
from strongroom.types import JSON, JSONDict

# vault-compat: versions kept per key when neither the key nor the mount sets max_versions
DEFAULT_MAX_VERSIONS = 10
UINT32 = 1 << 32

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


def now_us(clock: Clock) -> int:
    """The clock's wall time in whole microseconds."""
    return round(clock.now() * 1_000_000)


@lru_cache(maxsize=8192)
def format_time(us: int) -> str:
    """RFC3339 with trimmed fractional seconds, as Go's time.RFC3339Nano; "" for unset.
    (Memoised: every read of a version renders the same few stored times.)"""
    if us == 0:
        return ""
    try:
        moment = _EPOCH + timedelta(microseconds=us)
    except OverflowError:
        moment = _LATEST if us > 0 else _EPOCH
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def as_uint32(value: int) -> int:
    """OpenBao stores max_versions as uint32: -1 reads back as 4294967295."""
    return value % UINT32


@dataclass(frozen=True, slots=True)
class Config:
    """Mount-wide settings (`<mount>/config`)."""

    max_versions: int = 0
    cas_required: bool = False
    delete_version_after: int = 0  # seconds; negative disables expiry on every key
    metadata_cas_required: bool = False

    def render(self) -> JSONDict:
        return {
            "cas_required": self.cas_required,
            "delete_version_after": format_duration(self.delete_version_after),
            "max_versions": self.max_versions,
            "metadata_cas_required": self.metadata_cas_required,
        }

    def to_json(self) -> JSONDict:
        return {
            "max_versions": self.max_versions,
            "cas_required": self.cas_required,
            "delete_version_after": self.delete_version_after,
            "metadata_cas_required": self.metadata_cas_required,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, JSON]) -> Config:
        return cls(
            max_versions=int(raw.get("max_versions", 0)),
            cas_required=bool(raw.get("cas_required", False)),
            delete_version_after=int(raw.get("delete_version_after", 0)),
            metadata_cas_required=bool(raw.get("metadata_cas_required", False)),
        )


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """What the metadata records about one version."""

    created: int
    deletion: int = 0
    destroyed: bool = False

    def is_deleted(self, now: int) -> bool:
        """Soft-deleted: a deletion time that has come (a future one is a pending expiry)."""
        return self.deletion != 0 and self.deletion <= now

    def readable(self, now: int) -> bool:
        return not self.destroyed and not self.is_deleted(now)

    def render(self) -> JSONDict:
        return {
            "created_time": format_time(self.created),
            "deletion_time": format_time(self.deletion),
            "destroyed": self.destroyed,
        }


@dataclass(frozen=True, slots=True)
class KeyMetadata:
    """Everything about one key except its versions' data (`<mount>/metadata/<key>`)."""

    key: str
    created: int
    updated: int
    current_version: int = 0
    oldest_version: int = 0
    max_versions: int = 0
    cas_required: bool = False
    delete_version_after: int = 0
    custom_metadata: Mapping[str, str] = field(default_factory=dict)
    current_metadata_version: int = 0
    metadata_cas_required: bool = False
    versions: Mapping[int, VersionInfo] = field(default_factory=dict)

    def render(self) -> JSONDict:
        """The body of `GET metadata/<key>`. Go sorts map keys, so "10" precedes "2"."""
        versions = {str(n): info.render() for n, info in self.versions.items()}
        return {
            "cas_required": self.cas_required,
            "created_time": format_time(self.created),
            "current_metadata_version": self.current_metadata_version,
            "current_version": self.current_version,
            "custom_metadata": self.rendered_custom_metadata(),
            "delete_version_after": format_duration(self.delete_version_after),
            "max_versions": self.max_versions,
            "metadata_cas_required": self.metadata_cas_required,
            "oldest_version": self.oldest_version,
            "updated_time": format_time(self.updated),
            "versions": dict(sorted(versions.items())),
        }

    def rendered_custom_metadata(self) -> dict[str, str] | None:
        """An empty map renders as null, as a nil Go map does."""
        return dict(self.custom_metadata) or None

    def version_metadata(self, version: int, info: VersionInfo) -> JSONDict:
        """The `metadata` object of a data read, and the body of a data write."""
        return {
            "created_time": format_time(info.created),
            "custom_metadata": self.rendered_custom_metadata(),
            "deletion_time": format_time(info.deletion),
            "destroyed": info.destroyed,
            "version": version,
        }

    def to_json(self) -> JSONDict:
        return {
            "key": self.key,
            "created": self.created,
            "updated": self.updated,
            "current_version": self.current_version,
            "oldest_version": self.oldest_version,
            "max_versions": self.max_versions,
            "cas_required": self.cas_required,
            "delete_version_after": self.delete_version_after,
            "custom_metadata": dict(self.custom_metadata),
            "current_metadata_version": self.current_metadata_version,
            "metadata_cas_required": self.metadata_cas_required,
            "versions": {
                str(n): [info.created, info.deletion, info.destroyed]
                for n, info in self.versions.items()
            },
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, JSON]) -> KeyMetadata:
        versions = {
            int(n): VersionInfo(created=int(v[0]), deletion=int(v[1]), destroyed=bool(v[2]))
            for n, v in dict(raw.get("versions") or {}).items()
        }
        return cls(
            key=str(raw["key"]),
            created=int(raw["created"]),
            updated=int(raw["updated"]),
            current_version=int(raw.get("current_version", 0)),
            oldest_version=int(raw.get("oldest_version", 0)),
            max_versions=int(raw.get("max_versions", 0)),
            cas_required=bool(raw.get("cas_required", False)),
            delete_version_after=int(raw.get("delete_version_after", 0)),
            custom_metadata={str(k): str(v) for k, v in (raw.get("custom_metadata") or {}).items()},
            current_metadata_version=int(raw.get("current_metadata_version", 0)),
            metadata_cas_required=bool(raw.get("metadata_cas_required", False)),
            versions=dict(sorted(versions.items())),
        )


def effective_max_versions(config: Config, meta: KeyMetadata | None) -> int:
    """The key's setting, else the mount's, else 10."""
    if meta is not None and meta.max_versions > 0:
        return meta.max_versions
    if config.max_versions > 0:
        return config.max_versions
    return DEFAULT_MAX_VERSIONS


def effective_delete_version_after(config: Config, meta: KeyMetadata | None) -> int:
    """Seconds until a new or undeleted version expires; 0 for never.

    A negative mount value disables expiry everywhere; otherwise the shorter of the two
    non-zero settings wins (a key cannot outlive the mount's limit).
    """
    mount = config.delete_version_after
    key = meta.delete_version_after if meta is not None else 0
    if mount < 0:
        return 0
    if key <= 0:
        return mount
    if mount == 0:
        return key
    return min(key, mount)


def cas_required(config: Config, meta: KeyMetadata | None) -> bool:
    """Writes need `options.cas` when the mount or the key says so."""
    return config.cas_required or (meta is not None and meta.cas_required)


def metadata_cas_required(config: Config, meta: KeyMetadata | None) -> bool:
    """Metadata writes need `metadata_cas` when the mount or the key says so."""
    return config.metadata_cas_required or (meta is not None and meta.metadata_cas_required)


__all__ = [
    "DEFAULT_MAX_VERSIONS",
    "Config",
    "KeyMetadata",
    "VersionInfo",
    "as_uint32",
    "cas_required",
    "effective_delete_version_after",
    "effective_max_versions",
    "format_time",
    "metadata_cas_required",
    "now_us",
]
