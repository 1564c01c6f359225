"""The SQLite read path: a small pool of `query_only` connections on dedicated threads, and
the queries behind `get` and `list`.

WAL lets these readers run beside the writer thread; each read starts after the previous
commit it depends on returned, so it sees every acknowledged write. `list` scans keys only,
never values, and skips over each sub-folder with one index seek instead of walking its
subtree. Blocking; never call the query functions from the event loop.
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from strongroom.storage._keyspace import successor
from strongroom.storage._sqlite_conn import (
    GET_SQL,
    KEYS_BETWEEN_SQL,
    KEYS_FROM_SQL,
    open_read_connection,
    storage_error,
)

T = TypeVar("T")


def read_value(conn: sqlite3.Connection, key: str) -> bytes | None:
    """The value stored at `key`, or None."""
    row = conn.execute(GET_SQL, (key,)).fetchone()
    return None if row is None else bytes(row[0])


def list_children(conn: sqlite3.Connection, prefix: str) -> list[str]:
    """Immediate children of `prefix` in one consistent snapshot, in sorted order.

    Leaves are read in one ordered range scan; on meeting a key inside a sub-folder, the
    folder is emitted and the scan restarts just past it (at successor("folder/")), so a deep
    subtree costs one seek rather than a walk over all its keys.
    """
    upper = successor(prefix)
    names: list[str] = []
    start = prefix
    conn.execute("BEGIN")
    try:
        while True:
            folder = _scan_leaves(conn, prefix, start, upper, names)
            if folder is None:
                return names
            names.append(folder)
            # Every key in the folder starts with prefix + folder; none is >= its successor.
            after = successor(prefix + folder)
            if after is None:
                return names
            start = after
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def _scan_leaves(
    conn: sqlite3.Connection, prefix: str, start: str, upper: str | None, names: list[str]
) -> str | None:
    """Append leaf names from `start` on to `names`; stop at the first key in a sub-folder
    and return that folder's name (with its trailing "/"), or None at the end of the range."""
    if upper is None:
        cursor = conn.execute(KEYS_FROM_SQL, (start,))
    else:
        cursor = conn.execute(KEYS_BETWEEN_SQL, (start, upper))
    try:
        for (key,) in cursor:
            slash = key.find("/", len(prefix))
            if slash >= 0:
                return str(key[len(prefix) : slash + 1])
            if len(key) > len(prefix):
                names.append(key[len(prefix) :])
        return None
    finally:
        cursor.close()


class ReadPool:
    """Up to `size` reader connections, each used by one pool thread at a time."""

    def __init__(self, path: str, busy_timeout_ms: int, size: int) -> None:
        self._path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._executor = ThreadPoolExecutor(
            max_workers=size, thread_name_prefix="strongroom-sqlite-read"
        )
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    async def run(self, action: str, query: Callable[[sqlite3.Connection], T]) -> T:
        """Run `query` on a reader connection in the pool; failures become StorageError."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, action, query)

    def _call(self, action: str, query: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._checkout()
        try:
            return query(conn)
        except sqlite3.Error as exc:
            raise storage_error(action, exc) from exc
        finally:
            self._idle.put(conn)

    def _checkout(self) -> sqlite3.Connection:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        # The executor runs at most `size` calls at once, so at most `size` connections exist.
        conn = open_read_connection(self._path, self._busy_timeout_ms)
        with self._lock:
            self._opened.append(conn)
        return conn

    def close(self) -> None:
        """Wait for reads in flight, then close every connection. Blocking."""
        self._executor.shutdown(wait=True)
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()


__all__ = ["ReadPool", "list_children", "read_value"]
