"""Opening SQLite connections for `SQLiteStorage`, its schema and SQL, and the translation of
driver errors into `StorageError`.

Everything here blocks: call it only from the writer thread or a read-pool thread, never from
the event loop. Error messages carry SQLite's own text (which never includes bound
parameters) or the database path, never a key's value.
"""

from __future__ import annotations

import os
import sqlite3

from strongroom.errors import StorageError

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID"
)
GET_SQL = "SELECT value FROM entries WHERE key = ?"
# An upsert rewrites the value in place; INSERT OR REPLACE would delete and reinsert the row.
PUT_SQL = (
    "INSERT INTO entries (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
DELETE_SQL = "DELETE FROM entries WHERE key = ?"
KEYS_FROM_SQL = "SELECT key FROM entries WHERE key >= ? ORDER BY key"
KEYS_BETWEEN_SQL = "SELECT key FROM entries WHERE key >= ? AND key < ? ORDER BY key"

SYNCHRONOUS_NAMES = {0: "off", 1: "normal", 2: "full", 3: "extra"}
# Durability is not negotiable: a write is acknowledged only once it is fsynced.
DURABLE_SYNCHRONOUS = ("full", "extra")


def storage_error(action: str, exc: BaseException) -> StorageError:
    """Translate a driver failure into a StorageError, keeping the original as the cause.

    SQLite's and the OS's messages are kept (they name no values); anything else is
    unexpected and reported by type only, in case its text echoes data.
    """
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, sqlite3.Error | OSError):
        error = StorageError(f"sqlite: {action} failed: {exc}")
    else:
        error = StorageError(f"sqlite: {action} failed: unexpected {type(exc).__name__}")
    error.__cause__ = exc
    return error


def create_private_file(path: str) -> None:
    """Create the database file with mode 0600 if it is missing (SQLite gives its -wal and
    -shm files the database file's mode). An existing file is left as it is."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    os.close(fd)


def connect(path: str, busy_timeout_ms: int) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN/COMMIT ourselves) that may be handed
    to another thread, but is only ever used by one thread at a time."""
    conn = sqlite3.connect(
        path,
        timeout=busy_timeout_ms / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    except BaseException:
        conn.close()
        raise
    return conn


def read_pragmas(conn: sqlite3.Connection) -> dict[str, str]:
    """The settings that make writes durable, as this connection sees them."""
    journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    synchronous = conn.execute("PRAGMA synchronous").fetchone()[0]
    busy = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    return {
        "journal_mode": str(journal).lower(),
        "synchronous": SYNCHRONOUS_NAMES.get(int(synchronous), str(synchronous)),
        "busy_timeout": str(busy),
    }


def open_write_connection(
    path: str, busy_timeout_ms: int, synchronous: str
) -> tuple[sqlite3.Connection, dict[str, str]]:
    """Create the file (0600) and schema, switch to WAL with fsync on every commit, and return
    the connection and its effective pragmas. Raises StorageError."""
    try:
        return _open_write_connection(path, busy_timeout_ms, synchronous)
    except (sqlite3.Error, OSError) as exc:
        raise storage_error("open database", exc) from exc


def _open_write_connection(
    path: str, busy_timeout_ms: int, synchronous: str
) -> tuple[sqlite3.Connection, dict[str, str]]:
    if synchronous not in DURABLE_SYNCHRONOUS:
        raise StorageError(f"sqlite: synchronous={synchronous} is not durable")
    create_private_file(path)
    conn = connect(path, busy_timeout_ms)
    try:
        mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
        if mode != "wal":
            raise StorageError(f"sqlite: cannot use WAL journal mode here (got {mode!r})")
        conn.execute(f"PRAGMA synchronous = {synchronous.upper()}")
        conn.execute(SCHEMA)
        pragmas = read_pragmas(conn)
    except BaseException:
        conn.close()
        raise
    return conn, pragmas


def open_read_connection(path: str, busy_timeout_ms: int) -> sqlite3.Connection:
    """A reader: `query_only`, so a bug in a read path can never write. Raises StorageError."""
    try:
        conn = connect(path, busy_timeout_ms)
    except (sqlite3.Error, OSError) as exc:
        raise storage_error("open database", exc) from exc
    try:
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise storage_error("open database", exc) from exc
    return conn


def rollback_quietly(conn: sqlite3.Connection) -> None:
    """End any open transaction after a failure that has already been reported."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            # The failure that brought us here is what the caller is told about; a failed
            # rollback leaves nothing committed, and the next BEGIN reports a lasting fault.
            pass


__all__ = [
    "DELETE_SQL",
    "DURABLE_SYNCHRONOUS",
    "GET_SQL",
    "KEYS_BETWEEN_SQL",
    "KEYS_FROM_SQL",
    "PUT_SQL",
    "SCHEMA",
    "connect",
    "create_private_file",
    "open_read_connection",
    "open_write_connection",
    "read_pragmas",
    "rollback_quietly",
    "storage_error",
]
