"""The read cache never serves a value storage no longer holds."""

from __future__ import annotations

import asyncio

from strongroom.storage import CachedStorage, Entry, InmemStorage


class _Slow(InmemStorage):
    """Reads pause, so a write can land while a read is in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0
        self.gate = asyncio.Event()

    async def get(self, key: str) -> Entry | None:
        self.reads += 1
        value = await super().get(key)
        await self.gate.wait()
        return value


async def test_hits_and_misses_are_cached_and_writes_drop_them() -> None:
    inner = _Slow()
    inner.gate.set()
    cache = CachedStorage(inner, size=4)
    assert await cache.get("a") is None
    assert await cache.get("a") is None
    assert inner.reads == 1  # the miss was cached
    await cache.put(Entry("a", b"1"))
    assert await cache.get("a") == Entry("a", b"1")
    await cache.delete("a")
    assert await cache.get("a") is None


async def test_a_read_racing_a_write_does_not_fill_the_cache() -> None:
    inner = _Slow()
    cache = CachedStorage(inner, size=4)
    await inner.put(Entry("k", b"old"))
    reader = asyncio.ensure_future(cache.get("k"))
    await asyncio.sleep(0)  # the read has fetched "old" and waits at the gate
    await cache.put(Entry("k", b"new"))
    inner.gate.set()
    assert await reader == Entry("k", b"old")
    assert await cache.get("k") == Entry("k", b"new")  # not the stale value


async def test_lru_bound_and_invalidate() -> None:
    inner = _Slow()
    inner.gate.set()
    cache = CachedStorage(inner, size=2)
    for key in ("a", "b", "c"):
        await inner.put(Entry(key, key.encode()))
        await cache.get(key)
    reads = inner.reads
    await cache.get("a")  # evicted: read again
    assert inner.reads == reads + 1
    await inner.put(Entry("c", b"changed"))  # another node's write...
    cache.invalidate("c")  # ...reported through invalidation
    assert await cache.get("c") == Entry("c", b"changed")
