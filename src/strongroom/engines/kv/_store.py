"""Where the KV engine keeps things inside its mount's storage view, and nothing else.

Layout (all keys relative to the mount's view):
- kv v1: each secret at its own path, as a JSON object.
- kv v2: `config` (mount settings), `metadata/<key>` (KeyMetadata JSON; listing this prefix is
  the key listing), `versions/<sha256(key)>/<n>` (one version's data as JSON). Hashing the key
  keeps version entries from colliding with keys that contain `/` and digits.

Reads go straight to storage; multi-key changes go through one `transaction`. Callers hold the
key's lock (`_context.NamedLocks`) around read-modify-write. Metadata and the mount config are
read with `get_decoded`: storage is read every time, but an unchanged value is not decrypted
and parsed again (the `KeyMetadata` is shared: never mutate it). Version data, the secrets,
is decrypted on every read and never kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import orjson

from strongroom.engines.kv._model import Config, KeyMetadata
from strongroom.errors import InternalError
from strongroom.logical import Request
from strongroom.storage import Entry, Storage, TxnOp, get_decoded
from strongroom.types import JSON, JSONDict

CONFIG_KEY = "config"
METADATA_PREFIX = "metadata/"
VERSIONS_PREFIX = "versions/"


def storage_of(request: Request) -> Storage:
    """The mount's storage view; the core always sets it on routed requests."""
    if request.storage is None:
        raise InternalError("kv: request has no storage view")
    return request.storage


def _dumps(value: JSON) -> bytes:
    return orjson.dumps(value)


def _loads(entry: Entry | None) -> JSON:
    return None if entry is None else orjson.loads(entry.value)


# kv v1 ---------------------------------------------------------------------------------------


async def load_secret(storage: Storage, path: str) -> JSONDict | None:
    """A v1 secret, or None."""
    value = _loads(await storage.get(path))
    return value if isinstance(value, dict) else None


async def save_secret(storage: Storage, path: str, secret: JSONDict) -> None:
    """Store a v1 secret."""
    await storage.put(Entry(path, _dumps(secret)))


# kv v2 ---------------------------------------------------------------------------------------


def metadata_key(key: str) -> str:
    """Storage key of a key's metadata."""
    return METADATA_PREFIX + key


def version_key(key: str, version: int) -> str:
    """Storage key of one version's data."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return f"{VERSIONS_PREFIX}{digest}/{version}"


async def load_config(storage: Storage) -> Config:
    """The mount config, defaults when never written."""
    config = await get_decoded(storage, CONFIG_KEY, _decode_config)
    return Config() if config is None else config


def _decode_config(blob: bytes) -> Config | None:
    raw = orjson.loads(blob)
    return Config.from_json(raw) if isinstance(raw, dict) else None


async def save_config(storage: Storage, config: Config) -> None:
    """Store the mount config."""
    await storage.put(Entry(CONFIG_KEY, _dumps(config.to_json())))


async def load_metadata(storage: Storage, key: str) -> KeyMetadata | None:
    """A key's metadata, or None. Shared with other readers: never mutate it."""
    return await get_decoded(storage, metadata_key(key), _decode_metadata)


def _decode_metadata(blob: bytes) -> KeyMetadata | None:
    raw = orjson.loads(blob)
    return KeyMetadata.from_json(raw) if isinstance(raw, dict) else None


async def load_version(storage: Storage, key: str, version: int) -> tuple[bool, JSON]:
    """(found, data). Data may be JSON null: a version written with `"data": null`."""
    entry = await storage.get(version_key(key, version))
    if entry is None:
        return False, None
    return True, orjson.loads(entry.value)


async def list_keys(storage: Storage, prefix: str, after: str = "", limit: int = 0) -> list[str]:
    """Keys and folders (with a trailing "/") directly under `prefix`, sorted; only those
    after `after`, and at most `limit` of them when `limit` > 0 (OpenBao's paginated list)."""
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    keys = await storage.list(METADATA_PREFIX + prefix)
    if after:
        keys = [k for k in keys if k > after]
    return keys[:limit] if limit > 0 else keys


def put_metadata(meta: KeyMetadata) -> TxnOp:
    """Op: store metadata."""
    return TxnOp("put", metadata_key(meta.key), _dumps(meta.to_json()))


def put_version(key: str, version: int, data: JSON) -> TxnOp:
    """Op: store a version's data."""
    return TxnOp("put", version_key(key, version), _dumps(data))


def delete_version(key: str, version: int) -> TxnOp:
    """Op: drop a version's data."""
    return TxnOp("delete", version_key(key, version))


def delete_metadata(key: str) -> TxnOp:
    """Op: drop a key's metadata."""
    return TxnOp("delete", metadata_key(key))


async def apply(storage: Storage, ops: Sequence[TxnOp]) -> None:
    """Write several keys at once (a single op needs no transaction)."""
    if len(ops) == 1 and ops[0].op == "put":
        await storage.put(Entry(ops[0].key, ops[0].value))
    else:
        await storage.transaction(ops)


__all__ = [
    "CONFIG_KEY",
    "METADATA_PREFIX",
    "VERSIONS_PREFIX",
    "apply",
    "delete_metadata",
    "delete_version",
    "list_keys",
    "load_config",
    "load_metadata",
    "load_secret",
    "load_version",
    "metadata_key",
    "put_metadata",
    "put_version",
    "save_config",
    "save_secret",
    "storage_of",
    "version_key",
]
