"""Upgrading a kv v1 mount's data to kv v2 in place, as OpenBao does when a v1 mount is tuned
with `options.version=2`.

Owns two things: the storage ops that turn every v1 secret into a v2 key holding it as
version 1 (`upgrade_ops`), and the `UpgradeGate` through which a v1 backend serves requests,
so that whoever upgrades can stop the mount's traffic first. It must not apply the ops nor
touch the mount table: the core applies them in one barrier transaction together with the new
table, so that a crash leaves the mount wholly v1 or wholly v2.

OpenBao keeps v2 data under a per-mount prefix, so a v1 secret named `config` or
`metadata/x` simply becomes the v2 key of that name. Strongroom's v2 layout is unprefixed,
so every v1 secret is read before any op is built, and the ops delete only the v1 keys that
no v2 entry overwrites: whatever order a backend applies them in, nothing is lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson

from strongroom.engines.kv._messages import ERR_UPGRADING
from strongroom.engines.kv._model import KeyMetadata, VersionInfo
from strongroom.engines.kv._store import put_metadata, put_version
from strongroom.errors import InternalError, InvalidRequest
from strongroom.storage import Storage, TxnOp, walk_keys
from strongroom.types import JSON


class UpgradeGate:
    """Counts the requests a v1 backend is serving; once closed, refuses new ones with
    OpenBao's "Upgrading from non-versioned to versioned data" error (400)."""

    __slots__ = ("_active", "_closed", "_idle")

    def __init__(self) -> None:
        self._active = 0
        self._closed = False
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def closed(self) -> bool:
        """True while the mount is being upgraded, and for good once it was."""
        return self._closed

    def enter(self) -> None:
        """A request starts; InvalidRequest when the gate is closed. Pair with `leave`."""
        if self._closed:
            raise InvalidRequest(ERR_UPGRADING)
        self._active += 1
        self._idle.clear()

    def leave(self) -> None:
        """A request that `enter`ed is done."""
        self._active -= 1
        if self._active == 0:
            self._idle.set()

    @asynccontextmanager
    async def closed_for_upgrade(self) -> AsyncIterator[None]:
        """Refuse new requests, wait for those in progress, then run the block. If the block
        fails the gate opens again (the mount stays v1); if it succeeds it stays closed, since
        this backend no longer matches the data."""
        if self._closed:
            raise InvalidRequest(ERR_UPGRADING)
        self._closed = True
        try:
            await self._idle.wait()
            yield
        except BaseException:
            self._closed = False
            raise


async def upgrade_ops(storage: Storage, now: float) -> list[TxnOp]:
    """Ops (keys relative to the mount's view) that replace every v1 secret under `storage`
    by a v2 key whose version 1, created at `now` (seconds), holds the same JSON."""
    secrets: list[tuple[str, JSON]] = []
    keys = await walk_keys(storage)
    for key in keys:
        entry = await storage.get(key)
        if entry is None:
            continue
        try:
            secrets.append((key, orjson.loads(entry.value)))
        except orjson.JSONDecodeError:
            raise InternalError("kv upgrade: a stored secret is not valid JSON") from None
    created = round(now * 1_000_000)
    puts: list[TxnOp] = []
    for key, value in secrets:
        meta = KeyMetadata(
            key=key,
            created=created,
            updated=created,
            current_version=1,
            oldest_version=1,
            versions={1: VersionInfo(created=created)},
        )
        puts += (put_version(key, 1, value), put_metadata(meta))
    written = {op.key for op in puts}
    return [*(TxnOp("delete", key) for key in keys if key not in written), *puts]


__all__ = ["UpgradeGate", "upgrade_ops"]
