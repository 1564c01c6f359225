"""Version bookkeeping shared by the kv v2 paths: reading a version, adding one (with
check-and-set and `max_versions` trimming) and changing the state of several (delete,
undelete, destroy).

Callers decide what to answer; this module only computes and stores. It must not render
responses beyond the metadata objects of `_model`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import NamedTuple

from strongroom.engines.kv._context import KVContext
from strongroom.engines.kv._messages import ERR_CAS_MISMATCH, ERR_CAS_PARSE, ERR_CAS_REQUIRED
from strongroom.engines.kv._model import (
    Config,
    KeyMetadata,
    VersionInfo,
    cas_required,
    effective_delete_version_after,
    effective_max_versions,
)
from strongroom.engines.kv._store import (
    apply,
    delete_version,
    load_config,
    load_metadata,
    load_version,
    put_metadata,
    put_version,
)
from strongroom.errors import InvalidRequest
from strongroom.framework import FieldData
from strongroom.storage import Storage, TxnOp
from strongroom.types import JSON

_GO_INT = re.compile(r"[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)")
_US = 1_000_000


def _go_int(text: str) -> int:
    """Go's strconv.ParseInt(text, 0, 64) for the forms clients send: 12, 0x1f, 017, 0b11."""
    if text == "":
        return 0  # weak decoding turns "" into 0
    if _GO_INT.fullmatch(text) is None:
        raise ValueError(text)
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").lower()
    if body.startswith("0x"):
        return sign * int(body[2:], 16)
    if body.startswith("0b"):
        return sign * int(body[2:], 2)
    if body.startswith("0o"):
        return sign * int(body[2:], 8)
    if len(body) > 1 and body.startswith("0"):
        return sign * int(body[1:], 8)
    return sign * int(body)


def parse_cas(options: Mapping[str, JSON]) -> int | None:
    """The `options.cas` of a data write: None when absent; 400 when it is not an integer
    (null reads as 0 and true as 1, as Vault's weak decoding does)."""
    if "cas" not in options:
        return None
    value = options["cas"]
    if value is None:
        return 0
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, str):
        try:
            return _go_int(value)
        except ValueError:
            pass
    raise InvalidRequest(ERR_CAS_PARSE)


def check_cas(config: Config, meta: KeyMetadata | None, cas: int | None) -> None:
    """Check-and-set: `cas` must be the current version (0 for a key with none)."""
    if cas is None:
        if cas_required(config, meta):
            raise InvalidRequest(ERR_CAS_REQUIRED)
        return
    current = meta.current_version if meta is not None else 0
    if cas != current:
        raise InvalidRequest(ERR_CAS_MISMATCH)


def parse_versions(data: FieldData, message: str) -> list[int]:
    """The `versions` list of delete/undelete/destroy; 400 with `message` when empty."""
    versions = [int(v) for v in data.get("versions")]
    if not versions:
        raise InvalidRequest(message)
    return versions


def add_version(
    config: Config, meta: KeyMetadata | None, key: str, payload: JSON, now: int
) -> tuple[KeyMetadata, int, list[TxnOp]]:
    """A new latest version holding `payload`, trimming versions beyond `max_versions`.

    Returns the new metadata, the new version number and the storage ops to apply.
    """
    base = meta if meta is not None else KeyMetadata(key=key, created=now, updated=now)
    version = base.current_version + 1
    expiry = effective_delete_version_after(config, base)
    versions = dict(base.versions)
    versions[version] = VersionInfo(created=now, deletion=now + expiry * _US if expiry else 0)
    ops = [put_version(key, version, payload)]
    oldest = base.oldest_version
    cut = version - effective_max_versions(config, base)
    if cut > 0:
        for old in [n for n in versions if n <= cut]:
            del versions[old]
            ops.append(delete_version(key, old))
        oldest = max(oldest, cut + 1)
    updated = replace(
        base, current_version=version, oldest_version=oldest, updated=now, versions=versions
    )
    ops.append(put_metadata(updated))
    return updated, version, ops


class VersionRead(NamedTuple):
    """One version as a read sees it. `data` is meaningful only when `readable`. (A named
    tuple: one is built per read, for a fraction of a frozen dataclass.)"""

    meta: KeyMetadata
    version: int
    info: VersionInfo
    readable: bool
    data: JSON = None

    def metadata(self) -> dict[str, JSON]:
        """The `metadata` object of the response."""
        return self.meta.version_metadata(self.version, self.info)


async def read_version(storage: Storage, key: str, version: int, now: int) -> VersionRead | None:
    """The requested version (<= 0: the latest), or None when it does not exist (never
    written, trimmed by max_versions, or the key has no versions)."""
    if key == "" or key.endswith("/"):
        return None
    meta = await load_metadata(storage, key)
    if meta is None:
        return None
    number = version if version > 0 else meta.current_version
    info = meta.versions.get(number)
    if info is None:
        return None
    if not info.readable(now):
        return VersionRead(meta, number, info, readable=False)
    found, data = await load_version(storage, key, number)
    if not found:
        return None  # trimmed or destroyed between the two reads
    return VersionRead(meta, number, info, readable=True, data=data)


# (info, now, delete_version_after seconds) -> the new state, or None for no change
Change = Callable[[VersionInfo, int, int], VersionInfo | None]


def soft_delete(info: VersionInfo, now: int, expiry: int) -> VersionInfo | None:
    """Mark deleted now; an already deleted (or expired) or destroyed version keeps its state."""
    if info.destroyed or info.is_deleted(now):
        return None
    return replace(info, deletion=now)


def undelete(info: VersionInfo, now: int, expiry: int) -> VersionInfo | None:
    """Restore; the expiry clock restarts from now (OpenBao resets deletion_time)."""
    if info.destroyed:
        return None
    return replace(info, deletion=now + expiry * _US if expiry else 0)


def destroy(info: VersionInfo, now: int, expiry: int) -> VersionInfo | None:
    """Destroy: the data goes, the deletion time stays."""
    if info.destroyed:
        return None
    return replace(info, destroyed=True)


async def change_versions(
    ctx: KVContext, storage: Storage, key: str, versions: Sequence[int] | None, change: Change
) -> None:
    """Apply `change` to each listed version (None: the latest); unknown versions are ignored,
    as OpenBao does."""
    async with ctx.key_lock(key):
        meta = await load_metadata(storage, key)
        if meta is None:
            return
        config = await load_config(storage)
        now = ctx.now()
        expiry = effective_delete_version_after(config, meta)
        targets = [meta.current_version] if versions is None else versions
        updated = dict(meta.versions)
        ops: list[TxnOp] = []
        for number in targets:
            info = updated.get(number)
            new = None if info is None else change(info, now, expiry)
            if info is None or new is None or new == info:
                continue
            updated[number] = new
            if new.destroyed:
                ops.append(delete_version(key, number))
        if updated == dict(meta.versions):
            return
        ops.append(put_metadata(replace(meta, versions=updated)))
        await apply(storage, ops)


__all__ = [
    "VersionRead",
    "add_version",
    "change_versions",
    "check_cas",
    "destroy",
    "parse_cas",
    "parse_versions",
    "read_version",
    "soft_delete",
    "undelete",
]
