"""A conformance suite for any `Storage` backend (as OpenBao's physical.ExerciseBackend).

Each `check_*` coroutine takes an EMPTY storage, exercises one part of the contract in
`strongroom.storage._protocol`, and deletes what it wrote, leaving the storage empty again.
`STORAGE_CHECKS` lists them all; `exercise_storage` runs them in order on one storage and also
checks that each leaves nothing behind. A new backend plugs in by running them from a pytest
fixture that yields a fresh, empty instance:

    @pytest.mark.parametrize("check", STORAGE_CHECKS, ids=lambda c: c.__name__)
    async def test_conformance(storage: Storage, check: StorageCheck) -> None:
        await check(storage)

Contract points a backend author might miss, all checked here: `list` returns immediate
children sorted by code point (Python's `str` order; in PostgreSQL use COLLATE "C"), folders
once with a trailing "/", and a folder disappears with its last key; values are arbitrary
bytes (empty, NUL, non-UTF-8, 1 MiB); a transaction is all-or-none even when a later op is
invalid; a key containing NUL or a lone surrogate, or a value that is not bytes, raises
StorageError. Failures raise `StorageConformanceError` (an AssertionError). This module only
calls the Protocol: it must not reach into any backend.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable
from typing import Literal, cast

from strongroom.errors import StorageError
from strongroom.storage import Entry, Storage, TxnOp

StorageCheck = Callable[[Storage], Awaitable[None]]

LARGE_VALUE_SIZE = 1 << 20
CONCURRENT_WRITERS = 100


class StorageConformanceError(AssertionError):
    """A backend broke the Storage contract."""


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 200 else f"{text[:200]}... ({len(text)} chars)"


def _expect(what: str, actual: object, expected: object) -> None:
    if actual != expected:
        raise StorageConformanceError(f"{what}: expected {_show(expected)}, got {_show(actual)}")


async def _expect_entry(storage: Storage, key: str, value: bytes | None) -> None:
    expected = None if value is None else Entry(key, value)
    _expect(f"get({key!r})", await storage.get(key), expected)


async def _expect_list(storage: Storage, prefix: str, expected: list[str]) -> None:
    _expect(f"list({prefix!r})", await storage.list(prefix), expected)


async def _expect_storage_error(what: str, call: Awaitable[None]) -> None:
    try:
        await call
    except StorageError:
        return
    except Exception as exc:
        raise StorageConformanceError(
            f"{what}: expected StorageError, got {type(exc).__name__}"
        ) from exc
    raise StorageConformanceError(f"{what}: expected StorageError, nothing was raised")


async def _put_all(storage: Storage, entries: dict[str, bytes]) -> None:
    for key, value in entries.items():
        await storage.put(Entry(key, value))


async def _delete_all(storage: Storage, keys: Iterable[str]) -> None:
    for key in keys:
        await storage.delete(key)


async def check_get_missing(storage: Storage) -> None:
    """`get` of a key never written is None, whatever its depth."""
    for key in ("missing", "missing/deeper/key", "missing/"):
        await _expect_entry(storage, key, None)


async def check_put_get(storage: Storage) -> None:
    """A put is read back, at the root and nested."""
    entries = {"alpha": b"one", "nested/deeper/beta": b"two"}
    await _put_all(storage, entries)
    for key, value in entries.items():
        await _expect_entry(storage, key, value)
    await _delete_all(storage, entries)


async def check_overwrite(storage: Storage) -> None:
    """A second put replaces the value, including with a shorter or empty one."""
    for value in (b"first", b"a much longer second value", b"3", b""):
        await storage.put(Entry("overwrite/key", value))
        await _expect_entry(storage, "overwrite/key", value)
    await storage.delete("overwrite/key")


async def check_delete(storage: Storage) -> None:
    """A deleted key is gone from `get` and `list`; its siblings stay."""
    await _put_all(storage, {"del/a": b"a", "del/b": b"b"})
    await storage.delete("del/a")
    await _expect_entry(storage, "del/a", None)
    await _expect_entry(storage, "del/b", b"b")
    await _expect_list(storage, "del/", ["b"])
    await storage.delete("del/b")


async def check_delete_missing(storage: Storage) -> None:
    """Deleting a missing key is not an error, and deleting a folder's name (not a key)
    deletes nothing under it."""
    await storage.delete("never/written")
    await storage.put(Entry("folder/child", b"x"))
    await storage.delete("folder")
    await storage.delete("folder/")
    await _expect_entry(storage, "folder/child", b"x")
    await storage.delete("folder/child")
    await storage.delete("folder/child")


async def check_list_empty(storage: Storage) -> None:
    """An empty storage lists nothing, at the root or under any prefix."""
    for prefix in ("", "nothing/", "nothing/here/"):
        await _expect_list(storage, prefix, [])


async def check_list_nested(storage: Storage) -> None:
    """`list` returns immediate children: leaves as-is, each folder once with "/"."""
    keys = ["a", "b/c", "b/d/e", "b/d/f", "b/g", "b/d/h/i/j"]
    await _put_all(storage, {key: key.encode() for key in keys})
    await _expect_list(storage, "", ["a", "b/"])
    await _expect_list(storage, "b/", ["c", "d/", "g"])
    await _expect_list(storage, "b/d/", ["e", "f", "h/"])
    await _expect_list(storage, "b/d/h/", ["i/"])
    await _expect_list(storage, "b/d/e/", [])  # a leaf used as a folder
    await _expect_list(storage, "z/", [])
    await _delete_all(storage, keys)


async def check_list_shared_prefix(storage: Storage) -> None:
    """Keys that share a prefix ("foo", "foo/bar", "foobar", "foo-baz", "fo") stay apart."""
    keys = ["foo", "foo/bar", "foobar", "foo-baz", "fo", "foo/bar/baz", "foo0/x"]
    await _put_all(storage, {key: key.encode() for key in keys})
    await _expect_list(storage, "", ["fo", "foo", "foo-baz", "foo/", "foo0/", "foobar"])
    await _expect_list(storage, "foo/", ["bar", "bar/"])
    await _expect_list(storage, "foo/bar/", ["baz"])
    await _expect_list(storage, "foo0/", ["x"])
    await _expect_list(storage, "fooba/", [])
    await _delete_all(storage, keys)


async def check_list_folder_pruned(storage: Storage) -> None:
    """A folder disappears from `list` once its last key is deleted."""
    await _put_all(storage, {"p/keep": b"k", "p/sub/x": b"x", "p/sub/deep/y": b"y"})
    await storage.delete("p/sub/x")
    await _expect_list(storage, "p/", ["keep", "sub/"])
    await storage.delete("p/sub/deep/y")
    await _expect_list(storage, "p/", ["keep"])
    await _expect_list(storage, "p/sub/", [])
    await storage.delete("p/keep")
    await _expect_list(storage, "", [])


async def check_list_many_children(storage: Storage) -> None:
    """Many leaves and folders, including names around "/" in sort order ("x.", "x0") and
    big subtrees that an efficient `list` skips rather than returns."""
    keys = [f"many/leaf-{i:03d}" for i in range(60)]
    keys += [f"many/dir-{i:02d}/item-{j:02d}" for i in range(12) for j in range(15)]
    keys += [f"many/dir-05/sub/{j}" for j in range(20)]
    keys += ["many/x", "many/x.y", "many/x/1", "many/x/2/3", "many/x0", "many/x0/1", "many/y-"]
    await _put_all(storage, {key: b"v" for key in keys})
    leaves = [f"leaf-{i:03d}" for i in range(60)] + ["x", "x.y", "x0", "y-"]
    expected = sorted(leaves + [f"dir-{i:02d}/" for i in range(12)] + ["x/", "x0/"])
    await _expect_list(storage, "many/", expected)
    await _expect_list(
        storage, "many/dir-05/", sorted([f"item-{j:02d}" for j in range(15)] + ["sub/"])
    )
    await _expect_list(storage, "", ["many/"])
    await _delete_all(storage, keys)


async def check_binary_values(storage: Storage) -> None:
    """Values are opaque bytes: empty, NUL bytes, every byte value, invalid UTF-8."""
    entries = {
        "bin/empty": b"",
        "bin/nul": b"\x00",
        "bin/nuls": b"\x00\x00x\x00",
        "bin/all-bytes": bytes(range(256)),
        "bin/not-utf8": b"\xff\xfe\xc3\x28\x80",
    }
    await _put_all(storage, entries)
    for key, value in entries.items():
        await _expect_entry(storage, key, value)
    await _expect_list(storage, "bin/", sorted(key[len("bin/") :] for key in entries))
    await _delete_all(storage, entries)


async def check_large_value(storage: Storage) -> None:
    """A 1 MiB value round-trips byte for byte."""
    value = random.Random(1).randbytes(LARGE_VALUE_SIZE)
    await storage.put(Entry("large/value", value))
    got = await storage.get("large/value")
    _expect("large value round trip", got is not None and got.value == value, True)
    await storage.delete("large/value")


async def check_unicode_keys(storage: Storage) -> None:
    """Keys are any Unicode text but NUL: non-ASCII, astral, spaces and punctuation."""
    keys = [
        *("ключ", "日本語/キー", "emoji/🔑", "astral/𝄞", "space key/a b"),
        *("punct/%2F?#&=", "quote/'\"", "ctrl/tab\there", "long/" + "k" * 512),
    ]
    await _put_all(storage, {key: key.encode() for key in keys})
    for key in keys:
        await _expect_entry(storage, key, key.encode())
    roots = sorted({key.split("/")[0] + ("/" if "/" in key else "") for key in keys})
    await _expect_list(storage, "", roots)
    await _expect_list(storage, "日本語/", ["キー"])
    await _expect_list(storage, "emoji/", ["🔑"])
    await _delete_all(storage, keys)


async def check_invalid_input_rejected(storage: Storage) -> None:
    """A key with NUL or a lone surrogate, or a value that is not bytes, raises StorageError
    and stores nothing."""
    await _expect_storage_error("put with NUL in key", storage.put(Entry("a\x00b", b"")))
    await _expect_storage_error("put with lone surrogate", storage.put(Entry("\ud800", b"")))
    bad_value = cast(bytes, "not bytes")
    await _expect_storage_error("put of a str value", storage.put(Entry("str", bad_value)))
    await _expect_list(storage, "", [])


async def check_transaction_mixed(storage: Storage) -> None:
    """One transaction mixing puts, overwrites, deletes and a delete of a missing key."""
    await _put_all(storage, {"t/old1": b"1", "t/old2": b"2", "t/other": b"o"})
    await storage.transaction(
        [
            TxnOp("put", "t/new1", b"n1"),
            TxnOp("delete", "t/old1"),
            TxnOp("put", "t/old2", b"two"),
            TxnOp("delete", "t/missing"),
            TxnOp("put", "t/sub/new2", b"n2"),
        ]
    )
    await _expect_list(storage, "t/", ["new1", "old2", "other", "sub/"])
    await _expect_entry(storage, "t/old1", None)
    await _expect_entry(storage, "t/old2", b"two")
    await _expect_entry(storage, "t/sub/new2", b"n2")
    await _delete_all(storage, ["t/new1", "t/old2", "t/other", "t/sub/new2"])


async def check_transaction_order(storage: Storage) -> None:
    """Ops apply in order: put-then-delete leaves nothing, delete-then-put leaves the put."""
    await storage.transaction([TxnOp("put", "o/a", b"a"), TxnOp("delete", "o/a")])
    await storage.transaction([TxnOp("delete", "o/b"), TxnOp("put", "o/b", b"b")])
    await storage.transaction([TxnOp("put", "o/c", b"1"), TxnOp("put", "o/c", b"2")])
    await _expect_entry(storage, "o/a", None)
    await _expect_entry(storage, "o/b", b"b")
    await _expect_entry(storage, "o/c", b"2")
    await storage.transaction([TxnOp("delete", "o/b"), TxnOp("delete", "o/c")])
    await storage.transaction([])
    await _expect_list(storage, "", [])


async def check_transaction_failing(storage: Storage) -> None:
    """A transaction whose last op is invalid raises StorageError and applies nothing; the
    storage keeps working afterwards."""
    await storage.put(Entry("txn/keep", b"keep"))
    good = [TxnOp("put", "txn/new", b"new"), TxnOp("delete", "txn/keep")]
    bad_ops = [
        TxnOp("put", "txn/bad", cast(bytes, "not bytes")),
        TxnOp("put", "txn/bad\x00key", b"v"),
        TxnOp(cast(Literal["put", "delete"], "rename"), "txn/renamed"),
    ]
    for bad in bad_ops:
        ops = [*good, bad]
        await _expect_storage_error(f"transaction ending in {bad.op}", storage.transaction(ops))
        await _expect_list(storage, "txn/", ["keep"])
        await _expect_entry(storage, "txn/keep", b"keep")
    await storage.transaction(good)
    await _expect_list(storage, "txn/", ["new"])
    await storage.delete("txn/new")


async def check_concurrent_puts(storage: Storage) -> None:
    """100 concurrent puts all land, and are all visible once every one has returned."""
    entries = {f"conc/{i:03d}": f"value-{i}".encode() for i in range(CONCURRENT_WRITERS)}
    await asyncio.gather(*(storage.put(Entry(k, v)) for k, v in entries.items()))
    for key, value in entries.items():
        await _expect_entry(storage, key, value)
    await _expect_list(storage, "conc/", sorted(key[len("conc/") :] for key in entries))
    await asyncio.gather(*(storage.delete(key) for key in entries))
    await _expect_list(storage, "", [])


async def check_concurrent_transactions(storage: Storage) -> None:
    """Concurrent transactions (some failing) each apply whole or not at all, and concurrent
    writers of one key leave one of their values."""

    def ops(i: int) -> list[TxnOp]:
        value = cast(bytes, None) if i % 5 == 0 else f"{i}".encode()
        return [TxnOp("put", f"ct/{i:02d}/a", b"a"), TxnOp("put", f"ct/{i:02d}/b", value)]

    calls = [storage.transaction(ops(i)) for i in range(40)]
    results = await asyncio.gather(*calls, return_exceptions=True)
    for i, result in enumerate(results):
        failed = i % 5 == 0
        _expect(f"transaction {i} failed", isinstance(result, StorageError), failed)
        await _expect_entry(storage, f"ct/{i:02d}/a", None if failed else b"a")
    await asyncio.gather(*(storage.put(Entry("ct/same", f"{i}".encode())) for i in range(20)))
    got = await storage.get("ct/same")
    written = {f"{i}".encode() for i in range(20)}
    _expect(
        "a key written concurrently holds one of the writes",
        got is not None and got.value in written,
        True,
    )
    await _delete_all(storage, [f"ct/{i:02d}/{s}" for i in range(40) for s in "ab"] + ["ct/same"])


STORAGE_CHECKS: tuple[StorageCheck, ...] = (
    check_get_missing,
    check_put_get,
    check_overwrite,
    check_delete,
    check_delete_missing,
    check_list_empty,
    check_list_nested,
    check_list_shared_prefix,
    check_list_folder_pruned,
    check_list_many_children,
    check_binary_values,
    check_large_value,
    check_unicode_keys,
    check_invalid_input_rejected,
    check_transaction_mixed,
    check_transaction_order,
    check_transaction_failing,
    check_concurrent_puts,
    check_concurrent_transactions,
)


async def exercise_storage(storage: Storage) -> None:
    """Run every check in `STORAGE_CHECKS` on one empty storage, checking after each that it
    left the storage empty (which also proves deletes prune every folder)."""
    await _expect_list(storage, "", [])
    for check in STORAGE_CHECKS:
        await check(storage)
        remaining = await storage.list("")
        if remaining:
            raise StorageConformanceError(f"{check.__name__} left keys behind: {_show(remaining)}")


__all__ = [
    "CONCURRENT_WRITERS",
    "LARGE_VALUE_SIZE",
    "STORAGE_CHECKS",
    "StorageCheck",
    "StorageConformanceError",
    "check_binary_values",
    "check_concurrent_puts",
    "check_concurrent_transactions",
    "check_delete",
    "check_delete_missing",
    "check_get_missing",
    "check_invalid_input_rejected",
    "check_large_value",
    "check_list_empty",
    "check_list_folder_pruned",
    "check_list_many_children",
    "check_list_nested",
    "check_list_shared_prefix",
    "check_overwrite",
    "check_put_get",
    "check_transaction_failing",
    "check_transaction_mixed",
    "check_transaction_order",
    "check_unicode_keys",
    "exercise_storage",
]
