"""`StorageView`: a `Storage` confined to one key prefix (Vault's BarrierView).

Each mount gets a view of the barrier under its own prefix and sees keys relative to it, so
an engine cannot name, list or overwrite anything outside its prefix. This module owns only
the prefix arithmetic and the path checks; it must not encrypt, cache or interpret values.

Keys are rejected (InvalidRequest) when they start with "/" or contain a ".." segment, so a
relative key can never climb out of the prefix on a backend that maps keys to files.
`close()` does nothing: a view does not own the storage under it. `get_decoded` passes
through to the storage under it (the barrier keeps decoded values; the view only maps keys).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar, cast

from strongroom.errors import InvalidRequest
from strongroom.storage._protocol import Entry, Storage, TxnOp
from strongroom.storage.decoded import get_decoded

T = TypeVar("T")


def _check_relative(key: str) -> str:
    """`key` if it is a safe relative key, else InvalidRequest."""
    if key.startswith("/"):
        raise InvalidRequest("storage key must be relative (no leading '/')")
    if ".." in key and ".." in key.split("/"):  # split only when it could matter
        raise InvalidRequest("relative paths ('..') are not supported in storage keys")
    return key


class StorageView:
    """The part of `storage` under `prefix`, with keys relative to that prefix."""

    __slots__ = ("_decoded", "_prefix", "_storage")

    def __init__(self, storage: Storage, prefix: str) -> None:
        """`prefix` is "" (the whole storage) or ends with "/"; ValueError otherwise."""
        if prefix and not prefix.endswith("/"):
            raise ValueError(f"view prefix {prefix!r} must be empty or end with '/'")
        if prefix.startswith("/") or ".." in prefix.split("/"):
            raise ValueError(f"view prefix {prefix!r} must be relative with no '..' segment")
        self._storage = storage
        self._prefix = prefix
        # The storage's own `get_decoded`, when it has one (looked up once, not per read).
        self._decoded: Callable[[str, Callable[[bytes], object]], Awaitable[object]] | None = (
            getattr(storage, "get_decoded", None)
        )

    @property
    def prefix(self) -> str:
        """The absolute prefix of this view in the underlying storage."""
        return self._prefix

    def sub_view(self, prefix: str) -> StorageView:
        """A view of `prefix` (relative to this view) over the same underlying storage."""
        _check_relative(prefix)
        return StorageView(self._storage, self._prefix + prefix)

    def _expand(self, key: str) -> str:
        return self._prefix + _check_relative(key)

    async def get(self, key: str) -> Entry | None:
        """The entry at the relative `key`, with its key relative, or None."""
        entry = await self._storage.get(self._expand(key))
        return None if entry is None else Entry(key, entry.value)

    async def get_decoded(self, key: str, decode: Callable[[bytes], T]) -> T | None:
        """`decode(value)` at the relative `key`, through the underlying storage's decoded
        values when it keeps them (see `strongroom.storage.get_decoded`)."""
        if self._decoded is None:
            return await get_decoded(self._storage, self._expand(key), decode)
        return cast("T | None", await self._decoded(self._expand(key), decode))

    async def put(self, entry: Entry) -> None:
        """Store at the relative `entry.key`."""
        await self._storage.put(Entry(self._expand(entry.key), entry.value))

    async def delete(self, key: str) -> None:
        """Delete the relative `key`."""
        await self._storage.delete(self._expand(key))

    async def list(self, prefix: str) -> list[str]:
        """Children of the relative `prefix` (names are relative to it already)."""
        return await self._storage.list(self._expand(prefix))

    async def transaction(self, ops: Sequence[TxnOp]) -> None:
        """Apply relative ops atomically; every key is checked before any op is sent."""
        expanded = [TxnOp(op.op, self._expand(op.key), op.value) for op in ops]
        await self._storage.transaction(expanded)

    async def close(self) -> None:
        """No-op: the underlying storage belongs to whoever created it."""


__all__ = ["StorageView"]
