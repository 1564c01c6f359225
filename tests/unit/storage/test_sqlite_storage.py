"""SQLiteStorage beyond the shared conformance suite: options, file permissions, durability
settings, group commit, failure handling and shutdown. Also `open_storage`."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Literal, cast

import pytest

from strongroom.errors import ConfigError, StorageError
from strongroom.storage import Entry, InmemStorage, SQLiteStorage, TxnOp, open_storage
from strongroom.storage._keyspace import successor
from strongroom.storage._sqlite_conn import open_write_connection
from strongroom.storage._sqlite_read import list_children
from strongroom.storage._sqlite_writer import apply_batch


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SQLiteStorage]:
    backend = SQLiteStorage(tmp_path / "s.db")
    try:
        yield backend
    finally:
        await backend.close()


@pytest.fixture
def write_conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn, _ = open_write_connection(str(tmp_path / "direct.db"), 1000, "full")
    try:
        yield conn
    finally:
        conn.close()


# --- options and the factory ---------------------------------------------------------------


@pytest.mark.parametrize("options", [{}, {"path": ""}])
def test_path_is_required(options: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match=r'^storage "sqlite": missing "path"$'):
        SQLiteStorage.from_options(options)


def test_unknown_option_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match='unknown option "journal"'):
        SQLiteStorage.from_options({"path": str(tmp_path / "s.db"), "journal": "wal"})


@pytest.mark.parametrize("level", ["off", "OFF", "normal", "Normal", "0", "1"])
def test_synchronous_below_full_is_refused(tmp_path: Path, level: str) -> None:
    with pytest.raises(ConfigError, match="not allowed"):
        SQLiteStorage.from_options({"path": str(tmp_path / "s.db"), "synchronous": level})


def test_synchronous_must_be_a_level(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match='must be "full" or "extra"'):
        SQLiteStorage.from_options({"path": str(tmp_path / "s.db"), "synchronous": "fast"})


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5", "", "²", "9" * 12])
def test_busy_timeout_must_be_milliseconds(tmp_path: Path, raw: str) -> None:
    with pytest.raises(ConfigError, match='"busy_timeout"'):
        SQLiteStorage.from_options({"path": str(tmp_path / "s.db"), "busy_timeout": raw})


def test_missing_directory_is_a_config_error(tmp_path: Path) -> None:
    # Decided: refuse at configuration time rather than create directories or fail later.
    with pytest.raises(ConfigError, match="does not exist"):
        SQLiteStorage(tmp_path / "absent" / "s.db")


@pytest.mark.parametrize("level", ["full", "extra"])
async def test_options_reach_the_connection(tmp_path: Path, level: str) -> None:
    options = {"path": str(tmp_path / "s.db"), "busy_timeout": "250", "synchronous": level}
    backend = SQLiteStorage.from_options(options)
    try:
        pragmas = await backend.pragmas()
    finally:
        await backend.close()
    assert pragmas == {"journal_mode": "wal", "synchronous": level, "busy_timeout": "250"}


async def test_open_storage_builds_each_kind(tmp_path: Path) -> None:
    inmem = open_storage("inmem", {})
    sqlite = open_storage("sqlite", {"path": str(tmp_path / "s.db")})
    assert isinstance(inmem, InmemStorage)
    assert isinstance(sqlite, SQLiteStorage)
    await inmem.close()
    await sqlite.close()


def test_open_storage_rejects_unknown_kind_and_options() -> None:
    expected = 'storage type "consul" is not supported (supported: inmem, sqlite)'
    with pytest.raises(ConfigError) as info:
        open_storage("consul", {})
    assert str(info.value) == expected
    with pytest.raises(ConfigError, match='storage "inmem": unknown option "path"'):
        open_storage("inmem", {"path": "/x"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a/", "a0"), ("", None), ("a\U0010ffff", "b"), ("\U0010ffff", None), ("\ud7ff", "\ue000")],
)
def test_successor_bounds_a_prefix(text: str, expected: str | None) -> None:
    assert successor(text) == expected


# --- durability settings and files ---------------------------------------------------------


async def test_wal_and_full_sync_are_set(storage: SQLiteStorage) -> None:
    await storage.put(Entry("k", b"v"))
    pragmas = await storage.pragmas()
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["synchronous"] == "full"
    # WAL is a property of the file: an independent connection sees it too.
    conn = sqlite3.connect(storage.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


async def test_files_are_private(tmp_path: Path) -> None:
    old_umask = os.umask(0)  # prove the mode comes from us, not from a friendly umask
    try:
        backend = SQLiteStorage(tmp_path / "s.db")
        await backend.put(Entry("k", b"v"))
    finally:
        os.umask(old_umask)
    try:
        for name in ("s.db", "s.db-wal"):
            assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600, name
    finally:
        await backend.close()


async def test_data_survives_close_and_reopen(tmp_path: Path) -> None:
    first = SQLiteStorage(tmp_path / "s.db")
    await first.put(Entry("a/b", b"\x00\xff"))
    await first.transaction([TxnOp("put", "c", b"c"), TxnOp("delete", "a/b")])
    await first.put(Entry("a/d", b"d"))
    await first.close()
    second = SQLiteStorage(tmp_path / "s.db")
    try:
        assert await second.list("") == ["a/", "c"]
        assert await second.get("a/d") == Entry("a/d", b"d")
        assert await second.get("a/b") is None
    finally:
        await second.close()


async def test_reads_see_acknowledged_writes(storage: SQLiteStorage) -> None:
    for i in range(50):
        await storage.put(Entry("rw", f"{i}".encode()))
        assert await storage.get("rw") == Entry("rw", f"{i}".encode())


# --- group commit --------------------------------------------------------------------------


async def test_concurrent_writes_share_commits(storage: SQLiteStorage) -> None:
    await storage.put(Entry("warm", b"up"))
    before = storage.commits
    await asyncio.gather(*(storage.put(Entry(f"g/{i:03d}", b"x")) for i in range(200)))
    assert len(await storage.list("g/")) == 200
    assert storage.commits - before < 50  # 200 writes, a handful of fsyncs


async def test_concurrent_writes_apply_in_submission_order(storage: SQLiteStorage) -> None:
    await storage.put(Entry("same", b"start"))
    await asyncio.gather(*(storage.put(Entry("same", f"{i}".encode())) for i in range(50)))
    assert await storage.get("same") == Entry("same", b"49")


def test_a_failing_job_does_not_fail_its_batch(write_conn: sqlite3.Connection) -> None:
    bad_op = cast(Literal["put", "delete"], "rename")
    jobs = [
        [TxnOp("put", "a", b"1"), TxnOp("put", "b", b"2")],
        [TxnOp("put", "c", b"3"), TxnOp("put", "d", cast(bytes, None))],
        [TxnOp("delete", "a")],
        [TxnOp("put", "e", b"5"), TxnOp(bad_op, "f")],
        [],
    ]
    outcomes, commits = apply_batch(write_conn, jobs)
    assert [type(outcome) for outcome in outcomes] == [
        type(None),
        StorageError,
        type(None),
        StorageError,
        type(None),
    ]
    assert commits == 1
    rows = write_conn.execute("SELECT key, value FROM entries ORDER BY key").fetchall()
    assert rows == [("b", b"2")]


def test_a_full_database_fails_only_the_job_that_filled_it(
    write_conn: sqlite3.Connection,
) -> None:
    # SQLITE_FULL rolls back the whole transaction, not only the savepoint: the innocent
    # job applied before the culprit must be retried, not failed.
    pages = write_conn.execute("PRAGMA page_count").fetchone()[0]
    write_conn.execute(f"PRAGMA max_page_count = {pages + 20}")
    jobs = [
        [TxnOp("put", "before", b"1")],
        [TxnOp("put", "big", bytes(200_000))],
        [TxnOp("put", "after", b"3")],
    ]
    outcomes, commits = apply_batch(write_conn, jobs)
    assert outcomes[0] is None
    assert isinstance(outcomes[1], StorageError)
    assert "full" in str(outcomes[1])
    assert outcomes[2] is None
    assert commits == 1
    rows = write_conn.execute("SELECT key FROM entries ORDER BY key").fetchall()
    assert rows == [("after",), ("before",)]


def test_list_seeks_past_subfolders(write_conn: sqlite3.Connection) -> None:
    rows = [(f"p/leaf{i}", b"v") for i in range(5)]
    rows += [(f"p/dir{d}/{i}/x", b"v") for d in range(3) for i in range(500)]
    write_conn.executemany("INSERT INTO entries VALUES (?, ?)", rows)
    statements: list[str] = []
    write_conn.set_trace_callback(statements.append)
    try:
        names = list_children(write_conn, "p/")
    finally:
        write_conn.set_trace_callback(None)
    assert names == ["dir0/", "dir1/", "dir2/", "leaf0", "leaf1", "leaf2", "leaf3", "leaf4"]
    # One range scan, plus one seek past each folder: not a walk over its 500 keys.
    assert sum(s.startswith("SELECT") for s in statements) == 4


# --- failures ------------------------------------------------------------------------------


async def test_a_locked_database_fails_the_write_not_the_writer(tmp_path: Path) -> None:
    backend = SQLiteStorage(tmp_path / "s.db", busy_timeout_ms=20)
    await backend.put(Entry("before", b"1"))
    other = sqlite3.connect(backend.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        with pytest.raises(StorageError, match="database is locked") as info:
            await backend.put(Entry("during", b"SECRET-VALUE"))
        assert "SECRET-VALUE" not in str(info.value)
        assert await backend.get("before") == Entry("before", b"1")  # reads go on (WAL)
        other.execute("ROLLBACK")
        await backend.put(Entry("after", b"3"))
        assert await backend.list("") == ["after", "before"]
    finally:
        other.close()
        await backend.close()


async def test_a_directory_as_path_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "dir.db").mkdir()
    backend = SQLiteStorage(tmp_path / "dir.db")
    try:
        with pytest.raises(StorageError, match="open database failed"):
            await backend.get("k")
    finally:
        await backend.close()


async def test_a_foreign_file_is_an_error_until_replaced(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not a database, not even close" * 100)
    backend = SQLiteStorage(path)
    try:
        with pytest.raises(StorageError, match="not a database") as info:
            await backend.put(Entry("k", b"SECRET-VALUE"))
        assert "SECRET-VALUE" not in str(info.value)
        path.write_bytes(b"")  # fixed underneath: the next call opens afresh
        await backend.put(Entry("k", b"v"))
        assert await backend.get("k") == Entry("k", b"v")
    finally:
        await backend.close()


async def test_invalid_transaction_reports_position_not_data(storage: SQLiteStorage) -> None:
    ops = [TxnOp("put", "a", b"SECRET-VALUE"), TxnOp("put", "b", cast(bytes, 42))]
    with pytest.raises(StorageError, match="transaction op 1 value must be bytes") as info:
        await storage.transaction(ops)
    assert "SECRET-VALUE" not in str(info.value)


# --- shutdown and cancellation -------------------------------------------------------------


async def test_close_finishes_queued_writes(tmp_path: Path) -> None:
    backend = SQLiteStorage(tmp_path / "s.db")
    await backend.put(Entry("first", b"1"))
    tasks = [asyncio.create_task(backend.put(Entry(f"q/{i}", b"v"))) for i in range(50)]
    await asyncio.sleep(0)  # every task has queued its write
    await backend.close()
    await asyncio.gather(*tasks)
    reopened = SQLiteStorage(tmp_path / "s.db")
    try:
        assert len(await reopened.list("q/")) == 50
    finally:
        await reopened.close()


async def test_closed_storage_refuses_calls(tmp_path: Path) -> None:
    backend = SQLiteStorage(tmp_path / "s.db")
    await backend.put(Entry("k", b"v"))
    await backend.close()
    await backend.close()  # idempotent
    for call in (backend.get("k"), backend.put(Entry("k", b"v")), backend.list("")):
        with pytest.raises(StorageError, match="closed"):
            await call


async def test_close_without_use_opens_nothing(tmp_path: Path) -> None:
    backend = SQLiteStorage(tmp_path / "s.db")
    await backend.close()
    assert not (tmp_path / "s.db").exists()


async def test_cancelled_writer_leaves_storage_usable(storage: SQLiteStorage) -> None:
    await storage.put(Entry("warm", b"up"))
    task = asyncio.create_task(storage.put(Entry("cancelled", b"maybe")))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await storage.put(Entry("after", b"yes"))
    assert await storage.get("after") == Entry("after", b"yes")
