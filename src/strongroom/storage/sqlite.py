"""`SQLiteStorage`: the embedded default physical backend.

    storage "sqlite" { path = "/var/lib/strongroom/strongroom.db" }

One table, `entries(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID`, in WAL mode with
`synchronous=FULL`: a `put`, `delete` or `transaction` returns only after its commit has been
fsynced. One writer thread group-commits all queued writes (see `_sqlite_writer`); reads run on
a small pool of reader threads (see `_sqlite_read`). This module owns option parsing and the
async facade, and must not block the event loop: every driver call happens in those threads.

Use one instance from one event loop. Cancelling a caller of `put`/`delete`/`transaction` does
not withdraw its write, which may still commit (as with any remote database).
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Mapping, Sequence

from strongroom.errors import ConfigError, StorageError
from strongroom.storage._keyspace import check_key
from strongroom.storage._protocol import Entry, TxnOp
from strongroom.storage._sqlite_conn import DURABLE_SYNCHRONOUS, open_write_connection
from strongroom.storage._sqlite_read import ReadPool, list_children, read_value
from strongroom.storage._sqlite_writer import GroupCommitWriter, Ready, WriteJob

DEFAULT_BUSY_TIMEOUT_MS = 5000
DEFAULT_READ_CONNECTIONS = 4
OPTIONS = ("path", "busy_timeout", "synchronous")
_NAME = 'storage "sqlite"'
_MAX_BUSY_TIMEOUT_MS = 2**31 - 1  # SQLite's busy_timeout is a C int


class SQLiteStorage:
    """Durable physical storage in one SQLite file."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        synchronous: str = "full",
        read_connections: int = DEFAULT_READ_CONNECTIONS,
    ) -> None:
        """Check the settings; no file is opened until the first operation.

        Raises ConfigError for an empty path, a directory that does not exist, a negative
        busy timeout, fewer than one reader, or a `synchronous` level below FULL.
        """
        text = os.fspath(path)
        if not text:
            raise ConfigError(f'{_NAME}: missing "path"')
        if not 0 <= busy_timeout_ms <= _MAX_BUSY_TIMEOUT_MS:
            raise ConfigError(
                f'{_NAME}: "busy_timeout" must be between 0 and {_MAX_BUSY_TIMEOUT_MS} milliseconds'
            )
        if read_connections < 1:
            raise ConfigError(f"{_NAME}: read_connections must be at least 1")
        self._synchronous = _check_synchronous(synchronous)
        self._path = os.path.abspath(text)
        directory = os.path.dirname(self._path)
        # Refuse rather than create it: a missing directory is almost always a typo or an
        # unmounted volume, and writing elsewhere would silently split the data.
        if not os.path.isdir(directory):
            raise ConfigError(f'{_NAME}: the directory of "path" does not exist: {directory}')
        self._busy_timeout_ms = busy_timeout_ms
        self._reads = ReadPool(self._path, busy_timeout_ms, read_connections)
        self._writer: GroupCommitWriter | None = None
        self._ready: Ready | None = None
        self._pragmas: dict[str, str] = {}
        self._closed = False

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> SQLiteStorage:
        """Build from the string options of a `storage "sqlite" { ... }` config block."""
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise ConfigError(f'{_NAME}: unknown option "{unknown[0]}"')
        path = str(options.get("path", ""))
        if not path:
            raise ConfigError(f'{_NAME}: missing "path"')
        busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS
        if "busy_timeout" in options:
            raw = str(options["busy_timeout"]).strip()
            if not (raw.isascii() and raw.isdigit()):
                raise ConfigError(
                    f'{_NAME}: "busy_timeout" must be a number of milliseconds >= 0, got {raw!r}'
                )
            busy_timeout_ms = int(raw)
        return cls(
            path,
            busy_timeout_ms=busy_timeout_ms,
            synchronous=str(options.get("synchronous", "full")),
        )

    @property
    def path(self) -> str:
        """The absolute path of the database file."""
        return self._path

    @property
    def commits(self) -> int:
        """Write transactions committed so far; with group commit, fewer than writes."""
        return 0 if self._writer is None else self._writer.commits

    async def get(self, key: str) -> Entry | None:
        """The entry at `key`, or None."""
        check_key(key)
        await self._started()
        value = await self._reads.run("read", functools.partial(read_value, key=key))
        return None if value is None else Entry(key, value)

    async def put(self, entry: Entry) -> None:
        """Store `entry`; returns once the commit is on disk."""
        await self._write((TxnOp("put", entry.key, entry.value),))

    async def delete(self, key: str) -> None:
        """Remove `key` (missing is fine); returns once the commit is on disk."""
        await self._write((TxnOp("delete", key),))

    async def list(self, prefix: str) -> list[str]:
        """Immediate children of `prefix`, sorted, folders once with a trailing "/"."""
        check_key(prefix, "prefix")
        await self._started()
        return await self._reads.run("list", functools.partial(list_children, prefix=prefix))

    async def transaction(self, ops: Sequence[TxnOp]) -> None:
        """Apply `ops` in order, all or none; returns once the commit is on disk."""
        await self._write(tuple(ops))

    async def pragmas(self) -> dict[str, str]:
        """The write connection's effective `journal_mode`, `synchronous`, `busy_timeout`."""
        await self._started()
        return dict(self._pragmas)

    async def close(self) -> None:
        """Let queued writes commit, stop the writer thread and close every connection.
        Further calls raise StorageError. Calling it again (say, after a cancelled close)
        finishes any shutdown left undone."""
        if not self._closed:
            self._closed = True
            if self._writer is not None:
                self._writer.stop()
        if self._writer is not None:
            await asyncio.to_thread(self._writer.join)
        await asyncio.to_thread(self._reads.close)

    async def _write(self, ops: tuple[TxnOp, ...]) -> None:
        writer = await self._started()
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        writer.submit(WriteJob(ops, future))
        await future

    async def _started(self) -> GroupCommitWriter:
        """The running writer, starting it (and so creating the file and schema) on first use.
        Readers wait for this too, so they never see a database without its table."""
        if self._closed:
            raise StorageError("sqlite: storage is closed")
        writer, ready = self._writer, self._ready
        if writer is None or ready is None:
            opener = functools.partial(
                open_write_connection, self._path, self._busy_timeout_ms, self._synchronous
            )
            writer = GroupCommitWriter(opener)
            ready = asyncio.get_running_loop().create_future()
            self._writer, self._ready = writer, ready
            writer.start(ready)
        try:
            # Shielded: one waiter being cancelled must not cancel the others' shared future.
            self._pragmas = await asyncio.shield(ready)
        except StorageError as exc:
            if self._writer is writer:
                # The thread has ended without a connection; the next call tries again.
                self._writer, self._ready = None, None
            raise StorageError(*exc.messages) from exc
        if self._closed:  # closed while we waited
            raise StorageError("sqlite: storage is closed")
        return writer


def _check_synchronous(value: str) -> str:
    level = value.strip().lower()
    if level in DURABLE_SYNCHRONOUS:
        return level
    if level in ("off", "normal", "0", "1"):
        raise ConfigError(
            f'{_NAME}: "synchronous" = {value!r} is not allowed: an acknowledged write must be '
            'on disk, so only "full" (the default) or "extra" are accepted'
        )
    raise ConfigError(f'{_NAME}: "synchronous" must be "full" or "extra", got {value!r}')


__all__ = ["DEFAULT_BUSY_TIMEOUT_MS", "OPTIONS", "SQLiteStorage"]
