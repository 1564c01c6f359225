"""kv v2 over the barrier, where metadata is read through the decoded-value cache: every
change is seen by the next read, and the metadata object is shared but never changed."""

from __future__ import annotations

from kv_harness import KV, START

from strongroom.barrier import AESGCMBarrier, StorageView
from strongroom.engines.kv import kv_backend
from strongroom.engines.kv._store import load_metadata
from strongroom.storage import InmemStorage
from strongroom.testing.clock import FakeClock

ROOT_KEY = bytes(range(32))


async def _kv() -> tuple[KV, StorageView]:
    clock = FakeClock(START)
    barrier = AESGCMBarrier(InmemStorage(), clock=clock)
    await barrier.initialize(ROOT_KEY)
    await barrier.unseal(ROOT_KEY)
    view = StorageView(barrier, "logical/kv/")
    return KV(kv_backend({"version": "2"}, clock=clock), view, clock), view  # type: ignore[arg-type]


async def test_every_change_is_seen_by_the_next_read() -> None:
    kv, view = await _kv()
    await kv.put("app", {"v": 1})
    first = await load_metadata(view, "app")
    assert first is not None and await load_metadata(view, "app") is first  # decoded once
    assert (await kv.data("data/app"))["data"] == {"v": 1}  # type: ignore[index]
    await kv.put("app", {"v": 2})
    assert (await kv.data("data/app"))["metadata"]["version"] == 2  # type: ignore[index]
    await kv.write("metadata/app", custom_metadata={"team": "a"})
    body = await kv.data("data/app")
    assert body["metadata"]["custom_metadata"] == {"team": "a"}  # type: ignore[index]
    await kv.delete("data/app")
    deleted = await kv.read("data/app")
    assert deleted is not None and deleted.status == 404
    await kv.write("undelete/app", versions=[2])
    assert (await kv.data("data/app"))["data"] == {"v": 2}  # type: ignore[index]
    await kv.write("destroy/app", versions=[2])
    destroyed = await kv.read("data/app")
    assert destroyed is not None and destroyed.status == 404
    await kv.delete("metadata/app")
    assert await kv.read("data/app") is None
    assert first.current_version == 1 and dict(first.custom_metadata) == {}  # never mutated
