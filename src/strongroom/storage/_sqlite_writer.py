"""The SQLite write path: one thread owns the write connection and group-commits.

Callers enqueue a `WriteJob` (their ops and an asyncio future) and await the future. The
writer thread drains everything queued, applies each job inside its own SAVEPOINT within ONE
transaction, commits once (one fsync for the whole batch), and only then resolves the futures
through `call_soon_threadsafe`. A job whose ops fail is rolled back to its savepoint and gets
the error; the rest of the batch still commits.

This module must never touch a future from the writer thread except through its loop, and a
failure must never end the thread while callers could still be waiting on it.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from strongroom.errors import StorageError
from strongroom.storage._keyspace import check_op
from strongroom.storage._protocol import TxnOp
from strongroom.storage._sqlite_conn import DELETE_SQL, PUT_SQL, rollback_quietly, storage_error

_log = logging.getLogger(__name__)

Outcome = StorageError | None

# Bounds one transaction's size (and so the latency of its first caller); anything beyond
# waits for the next commit, which starts straight away.
DEFAULT_MAX_BATCH = 512


@dataclass(frozen=True, slots=True)
class WriteJob:
    """One caller's atomic unit of work and the future that reports its outcome."""

    ops: tuple[TxnOp, ...]
    future: asyncio.Future[None]


def apply_batch(
    conn: sqlite3.Connection, jobs: Sequence[Sequence[TxnOp]]
) -> tuple[list[Outcome], int]:
    """Apply every job, each atomically, committing as few transactions as possible.

    Returns one outcome per job (None: committed) and the number of commits made. Blocking;
    writer thread only.
    """
    outcomes: list[Outcome] = [None] * len(jobs)
    commits = 0
    pending = list(range(len(jobs)))
    while pending:
        applied, pending = _apply_some(conn, jobs, pending, outcomes)
        if not applied:
            rollback_quietly(conn)
            continue
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            rollback_quietly(conn)
            for index in applied:
                outcomes[index] = storage_error("commit", exc)
        else:
            commits += 1
    return outcomes, commits


def _apply_some(
    conn: sqlite3.Connection,
    jobs: Sequence[Sequence[TxnOp]],
    pending: list[int],
    outcomes: list[Outcome],
) -> tuple[list[int], list[int]]:
    """Open a transaction and apply the `pending` jobs in order. Returns the jobs applied in
    the (still open) transaction, and the jobs to retry in a new one."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        for index in pending:
            outcomes[index] = storage_error("begin transaction", exc)
        return [], []
    applied: list[int] = []
    for position, index in enumerate(pending):
        error = _apply_job(conn, jobs[index])
        if not conn.in_transaction:
            # Some errors (disk full, I/O error) make SQLite roll back the whole transaction,
            # not just this job's savepoint. This job failed; the jobs applied before it were
            # innocent and are retried, with the rest, in a new transaction. Each round fails
            # at least one job, so this ends.
            outcomes[index] = error or StorageError("sqlite: write failed: rolled back")
            return [], applied + pending[position + 1 :]
        if error is None:
            applied.append(index)
        else:
            outcomes[index] = error
    return applied, []


def _apply_job(conn: sqlite3.Connection, ops: Sequence[TxnOp]) -> Outcome:
    """Apply one caller's ops inside a savepoint: all of them, or none and an error."""
    conn.execute("SAVEPOINT job")
    try:
        for index, op in enumerate(ops):
            kind, key, value = check_op(index, op)
            if kind == "put":
                conn.execute(PUT_SQL, (key, value))
            else:
                conn.execute(DELETE_SQL, (key,))
    except (sqlite3.Error, StorageError) as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK TO job")
            conn.execute("RELEASE job")
        return storage_error("write", exc)
    conn.execute("RELEASE job")
    return None


def _set_ready(ready: Ready, pragmas: dict[str, str] | None, error: StorageError | None) -> None:
    """Runs on the opener's event loop."""
    if ready.done():
        return
    if error is not None:
        ready.set_exception(error)
    elif pragmas is not None:
        ready.set_result(pragmas)


def _resolve(items: list[tuple[asyncio.Future[None], Outcome]]) -> None:
    """Runs on the callers' event loop: report each outcome unless its caller gave up."""
    for future, error in items:
        if future.done():
            continue
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(error)


Opener = Callable[[], tuple[sqlite3.Connection, dict[str, str]]]
Ready = asyncio.Future[dict[str, str]]


class GroupCommitWriter:
    """The thread that owns the write connection: it opens it, group-commits submitted jobs,
    and closes it. Start it, await its ready future, submit jobs, stop, then join."""

    def __init__(self, opener: Opener, *, max_batch: int = DEFAULT_MAX_BATCH) -> None:
        self._opener = opener
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[WriteJob | None] = queue.SimpleQueue()
        self._commits = 0
        # Daemon: a process that exits without close() must not hang on this thread. SQLite
        # is crash-safe, so being stopped mid-commit loses only unacknowledged writes.
        self._thread = threading.Thread(
            target=self._run, name="strongroom-sqlite-writer", daemon=True
        )
        self._ready: Ready | None = None

    @property
    def commits(self) -> int:
        """Transactions committed so far (each one fsync)."""
        return self._commits

    def start(self, ready: Ready) -> None:
        """Start the thread; `ready` gets the connection's pragmas once it is open, or the
        StorageError that stopped it opening (the thread has then ended)."""
        self._ready = ready
        self._thread.start()

    def submit(self, job: WriteJob) -> None:
        """Queue `job`; its future is resolved once it is committed or has failed."""
        self._queue.put(job)

    def stop(self) -> None:
        """Finish every job queued so far, then close the connection and end the thread."""
        self._queue.put(None)

    def join(self) -> None:
        """Block until the thread has ended (after `stop`, or after failing to open)."""
        self._thread.join()

    def _run(self) -> None:
        try:
            conn, pragmas = self._opener()
        except Exception as exc:
            self._report_ready(None, storage_error("open database", exc))
            return
        self._report_ready(pragmas, None)
        try:
            stopping = False
            while not stopping:
                batch, stopping = self._next_batch()
                if batch:
                    self._commit(conn, batch)
            self._fail_leftovers()
        finally:
            try:
                conn.close()
            except sqlite3.Error:
                _log.warning("sqlite: closing the write connection failed", exc_info=True)

    def _report_ready(self, pragmas: dict[str, str] | None, error: StorageError | None) -> None:
        ready = self._ready
        if ready is None:  # pragma: no cover - start() always sets it
            return
        try:
            ready.get_loop().call_soon_threadsafe(_set_ready, ready, pragmas, error)
        except RuntimeError:
            return  # the loop is closed: nobody is waiting

    def _next_batch(self) -> tuple[list[WriteJob], bool]:
        """Wait for one job, then take whatever else is already queued (group commit)."""
        first = self._queue.get()
        if first is None:
            return [], True
        batch = [first]
        while len(batch) < self._max_batch:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is None:
                return batch, True
            batch.append(job)
        return batch, False

    def _commit(self, conn: sqlite3.Connection, batch: list[WriteJob]) -> None:
        try:
            outcomes, commits = apply_batch(conn, [job.ops for job in batch])
        except Exception as exc:
            # A driver failure outside any one job (SAVEPOINT, ROLLBACK TO) or a bug: the batch
            # fails as a whole and the thread lives on for the next one.
            _log.error("sqlite: write batch failed", exc_info=True)
            rollback_quietly(conn)
            outcomes = [storage_error("write", exc) for _ in batch]
            commits = 0
        self._commits += commits
        self._settle(batch, outcomes)

    def _fail_leftovers(self) -> None:
        """Jobs queued after `stop` (a caller racing close) get an error, not a hang."""
        leftovers: list[WriteJob] = []
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                leftovers.append(job)
        self._settle(leftovers, [StorageError("sqlite: storage is closed") for _ in leftovers])

    @staticmethod
    def _settle(batch: Sequence[WriteJob], outcomes: Sequence[Outcome]) -> None:
        """Hand outcomes back, one wake-up per event loop rather than one per job."""
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[None], Outcome]]] = {}
        for job, outcome in zip(batch, outcomes, strict=True):
            by_loop.setdefault(job.future.get_loop(), []).append((job.future, outcome))
        for loop, items in by_loop.items():
            try:
                loop.call_soon_threadsafe(_resolve, items)
            except RuntimeError:
                # That loop is closed: nobody is left waiting for these outcomes.
                continue


__all__ = ["DEFAULT_MAX_BATCH", "GroupCommitWriter", "WriteJob", "apply_batch"]
