"""Unit tests for StorageView: prefix confinement, relative keys, path-traversal refusal."""

from __future__ import annotations

import pytest

from strongroom.barrier import StorageView
from strongroom.errors import InvalidRequest
from strongroom.storage._protocol import Entry, TxnOp
from strongroom.storage.inmem import InmemStorage


async def test_keys_are_relative_and_confined() -> None:
    storage = InmemStorage()
    await storage.put(Entry("outside", b"o"))
    view = StorageView(storage, "logical/abc/")
    assert view.prefix == "logical/abc/"
    await view.put(Entry("config", b"c"))
    await view.put(Entry("data/one", b"1"))
    assert await storage.get("logical/abc/config") == Entry("logical/abc/config", b"c")
    assert await view.get("config") == Entry("config", b"c")
    assert await view.get("outside") is None
    assert await view.list("") == ["config", "data/"]
    assert await view.list("data/") == ["one"]
    await view.delete("config")
    assert await storage.get("logical/abc/config") is None
    assert await storage.get("outside") == Entry("outside", b"o")


async def test_transaction_is_relative() -> None:
    storage = InmemStorage()
    view = StorageView(storage, "p/")
    await view.put(Entry("gone", b"x"))
    await view.transaction([TxnOp("put", "a", b"1"), TxnOp("delete", "gone")])
    assert await storage.list("p/") == ["a"]
    assert await storage.get("p/a") == Entry("p/a", b"1")


async def test_sub_view_nests_prefixes() -> None:
    storage = InmemStorage()
    sub = StorageView(storage, "sys/").sub_view("token/")
    assert sub.prefix == "sys/token/"
    await sub.put(Entry("id/x", b"t"))
    assert await storage.list("sys/token/id/") == ["x"]
    assert StorageView(storage, "").sub_view("").prefix == ""


async def test_empty_prefix_is_the_whole_storage() -> None:
    storage = InmemStorage()
    view = StorageView(storage, "")
    await view.put(Entry("k", b"v"))
    assert await storage.get("k") == Entry("k", b"v")


@pytest.mark.parametrize("key", ["/abs", "..", "../x", "a/../b", "a/..", "a/../../etc/passwd"])
async def test_traversal_keys_are_refused(key: str) -> None:
    storage = InmemStorage()
    view = StorageView(storage, "mount/")
    with pytest.raises(InvalidRequest):
        await view.get(key)
    with pytest.raises(InvalidRequest):
        await view.put(Entry(key, b"x"))
    with pytest.raises(InvalidRequest):
        await view.delete(key)
    with pytest.raises(InvalidRequest):
        await view.list(key)
    with pytest.raises(InvalidRequest):
        await view.transaction([TxnOp("put", "fine", b"x"), TxnOp("delete", key)])
    with pytest.raises(InvalidRequest):
        view.sub_view(key + "/")
    assert await storage.list("") == []


async def test_dots_inside_a_segment_are_allowed() -> None:
    storage = InmemStorage()
    view = StorageView(storage, "m/")
    await view.put(Entry("a..b/.hidden/...", b"x"))
    assert await storage.get("m/a..b/.hidden/...") is not None


@pytest.mark.parametrize("prefix", ["noslash", "/abs/", "a/../", "../"])
def test_bad_prefixes_are_value_errors(prefix: str) -> None:
    with pytest.raises(ValueError, match="view prefix"):
        StorageView(InmemStorage(), prefix)


async def test_close_does_not_close_the_storage() -> None:
    storage = InmemStorage()
    await StorageView(storage, "x/").close()
    await storage.put(Entry("still", b"open"))
