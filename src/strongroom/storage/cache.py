"""`CachedStorage`: an LRU read cache in front of a physical backend (Vault's physical cache,
`cache_size` / `disable_cache` in the server config).

It caches what storage holds (ciphertext), hits and misses alike. Writes go straight to the
backend and drop the key from the cache before and after; a read that raced with any write
does not fill the cache, so a stale value can never be cached.
Another node's writes arrive through `invalidate` (HA backends report them).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from strongroom.storage._protocol import Entry, Storage, TxnOp

DEFAULT_CACHE_SIZE = 131072
_ABSENT = Entry("", b"")  # marks a cached miss


class CachedStorage:
    """Storage with an LRU cache of `get` results."""

    def __init__(self, inner: Storage, *, size: int = DEFAULT_CACHE_SIZE) -> None:
        self.inner = inner
        self._size = max(1, size)
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._writes = 0  # bumped by every write, so racing reads do not fill the cache

    def _remember(self, key: str, entry: Entry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)

    async def get(self, key: str) -> Entry | None:
        cached = self._entries.get(key)
        if cached is not None:
            self._entries.move_to_end(key)
            return None if cached is _ABSENT else cached
        before = self._writes
        entry = await self.inner.get(key)
        if self._writes == before:
            self._remember(key, entry if entry is not None else _ABSENT)
        return entry

    async def put(self, entry: Entry) -> None:
        self._writes += 1
        self._entries.pop(entry.key, None)
        try:
            await self.inner.put(entry)
        finally:
            self._writes += 1
            # Not filled from the write: concurrent writes to one key may finish in any order
            # here, so the next read fills the cache from storage.
            self._entries.pop(entry.key, None)

    async def delete(self, key: str) -> None:
        self._writes += 1
        self._entries.pop(key, None)
        try:
            await self.inner.delete(key)
        finally:
            self._writes += 1
            self._entries.pop(key, None)

    async def list(self, prefix: str) -> list[str]:
        return await self.inner.list(prefix)

    async def transaction(self, ops: Sequence[TxnOp]) -> None:
        self._writes += 1
        for op in ops:
            self._entries.pop(op.key, None)
        try:
            await self.inner.transaction(ops)
        finally:
            self._writes += 1
            for op in ops:
                self._entries.pop(op.key, None)

    def invalidate(self, key: str) -> None:
        """Forget `key` (another node changed it)."""
        self._writes += 1
        self._entries.pop(key, None)

    def purge(self) -> None:
        self._writes += 1
        self._entries.clear()

    async def close(self) -> None:
        self.purge()
        await self.inner.close()


__all__ = ["DEFAULT_CACHE_SIZE", "CachedStorage"]
