"""The `file` audit device: one JSON record per line, appended to a file (or stdout).

Blocking file I/O runs on the device's own single worker thread (`_worker.Worker`), so a
hung disk stalls only this device and never the shared default executor; the single thread
also keeps records, chain values and reopen in order. Like Vault, it writes without fsync. A
failed write (ENOSPC) is rolled back to the previous file size so no partial line remains,
the chain does not advance, and the next write simply tries again.

It is a `QueuingDevice`: the broker's deadline is kept here, by one loop timer for all the
records waiting (armed at the earliest deadline), which fails a record's waiter with
`TimeoutError` when its time is up, so a hung disk is cut off without a timer per record.

Must not: decide whether the request proceeds (the broker does).
"""

from __future__ import annotations

import asyncio
import errno
import json
import math
import os
from collections.abc import Callable, Mapping
from typing import TypeVar

from strongroom.audit import chain
from strongroom.audit._worker import Worker
from strongroom.audit.device import RecordFormatter
from strongroom.audit.entry import AuditEntry
from strongroom.audit.format import Formatted
from strongroom.audit.salt import Salter
from strongroom.errors import InvalidRequest

T = TypeVar("T")
_Queued = tuple[Formatted, asyncio.Future[None], float]  # record, its waiter, its deadline
_TAIL_BYTES = 1 << 20
STDOUT = "stdout"
DISCARD = "discard"


class AuditWriteError(OSError):
    """A device could not write a record; the message names the device and the cause."""


def parse_mode(raw: str) -> int:
    """An octal permission string such as "0600"; "0000" means leave the mode alone."""
    try:
        mode = int(raw, 8)
    except ValueError:
        raise InvalidRequest(f"invalid file mode {raw!r}: want an octal string") from None
    if not 0 <= mode <= 0o777:
        raise InvalidRequest(f"invalid file mode {raw!r}")
    return mode


def read_last_head(path: str) -> tuple[str, int] | None:
    """(chain value, seq) of the last complete record in `path`, or None when there is none."""
    try:
        with open(path, "rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - _TAIL_BYTES))
            tail = f.read()
    except FileNotFoundError:
        return None
    lines = tail.split(b"\n")[:-1]  # the part after the last newline is not complete
    for raw in reversed(lines):
        if not raw.strip():
            continue
        start = raw.find(b"{")
        try:
            record = json.loads(raw[start:]) if start >= 0 else None
        except ValueError:
            return None
        if not isinstance(record, dict):
            return None
        value, seq = record.get(chain.CHAIN_FIELD), record.get(chain.SEQ_FIELD)
        if isinstance(value, str) and isinstance(seq, int) and not isinstance(seq, bool):
            return value, seq
        return None
    return None


class FileDevice:
    """Appends audit records to `file_path` (or `stdout`, or `discard`)."""

    type = "file"

    def __init__(self, path: str, options: Mapping[str, str], salter: Salter) -> None:
        file_path = str(options.get("file_path", options.get("path", "")))
        if not file_path:
            raise InvalidRequest("file_path is required")
        self._path = path
        self._options = dict(options)
        self.file_path = file_path
        self.mode = parse_mode(str(options.get("mode", "0600")))
        self._fmt = RecordFormatter(salter, options)
        self._fd: int | None = None
        self._worker = Worker(f"audit-{path}")
        self._closed = False  # no new records (set when close begins)
        self._shut = False  # the sink is closed for good (set by the worker)
        self._pending: list[_Queued] = []  # waiting for the writer thread
        self._writing: list[_Queued] = []  # the batch the writer thread has
        self._flushing = False  # a batch is due to go (its flush is scheduled) or is out
        self._watchdog: asyncio.TimerHandle | None = None
        self._watchdog_at = math.inf  # the deadline the watchdog is armed for

    @property
    def path(self) -> str:
        return self._path

    @property
    def options(self) -> Mapping[str, str]:
        return self._options

    @property
    def chain_head(self) -> str:
        """The chain value of the last record written (for `verify -expect-head`)."""
        return self._fmt.head

    def chain_key(self) -> bytes:
        """The key `strongroom audit verify` needs; export only to a privileged operator."""
        return self._fmt.chain_key

    def hash(self, value: str) -> str:
        return self._fmt.salter.hash(value)

    async def open(self) -> None:
        """Open the sink now (enabling a device fails early if the file cannot be opened)."""
        await self._run(self._open_sync)

    async def log_request(self, entry: AuditEntry) -> None:
        await self._queue(self._fmt.request_record(entry), math.inf)

    async def log_response(self, entry: AuditEntry) -> None:
        await self._queue(self._fmt.response_record(entry), math.inf)

    def queue_request(self, entry: AuditEntry, timeout: float) -> asyncio.Future[None]:
        return self._queue(self._fmt.request_record(entry), timeout)

    def queue_response(self, entry: AuditEntry, timeout: float) -> asyncio.Future[None]:
        return self._queue(self._fmt.response_record(entry), timeout)

    def _queue(self, record: Formatted, timeout: float) -> asyncio.Future[None]:
        """Group commit: records of concurrent requests are written together, in arrival
        order, with one hand-off to the worker thread and one write per batch. The future
        fails with TimeoutError if the record is not written within `timeout` seconds."""
        if self._closed:
            raise AuditWriteError(errno.EBADF, f"audit device {self._path!r} is closed")
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        deadline = loop.time() + timeout
        self._pending.append((record, done, deadline))
        if not self._flushing:
            self._flushing = True
            loop.call_soon(self._flush, loop)
        if deadline < self._watchdog_at:
            self._watch(loop, deadline)
        return done

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        """Hand the pending records to the worker. Run from `call_soon`, so the records
        that the other tasks ready in this loop iteration queue join the same batch."""
        batch, self._pending = self._pending, []
        self._writing = batch
        records = [record for record, _, _ in batch]
        try:
            self._worker.submit(loop, self._write_batch_sync, (records,), self._settle)
        except RuntimeError as exc:  # the device closed meanwhile
            self._settle(None, AuditWriteError(errno.EBADF, f"audit device {self._path!r}: {exc}"))

    def _settle(self, _: object, error: BaseException | None) -> None:
        """The batch in `_writing` is written (or failed): wake its waiters, send the next."""
        batch = self._writing
        self._writing = []
        for _, waiter, _ in batch:
            if waiter.done():
                continue  # the caller gave up (a timeout); the record may still be written
            if error is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(None)
        if self._pending:
            loop = asyncio.get_running_loop()
            loop.call_soon(self._flush, loop)
        else:
            self._flushing = False

    def _watch(self, loop: asyncio.AbstractEventLoop, deadline: float) -> None:
        """Arm the watchdog for `deadline` (the earliest of the records waiting)."""
        if self._watchdog is not None:
            self._watchdog.cancel()
        self._watchdog = loop.call_at(deadline, self._expire, loop, deadline)
        self._watchdog_at = deadline

    def _expire(self, loop: asyncio.AbstractEventLoop, due: float) -> None:
        """The watchdog fired for `due`: fail every record waiting that is due by then (as
        its own timer would have), and re-arm for the earliest deadline left. It fires
        about once per `timeout` while records flow, and finds them written."""
        self._watchdog, self._watchdog_at = None, math.inf
        nearest = math.inf
        for _, waiter, deadline in (*self._writing, *self._pending):
            if waiter.done():
                continue
            if deadline <= due:
                waiter.set_exception(TimeoutError("the audit record was not written in time"))
            elif deadline < nearest:
                nearest = deadline
        if nearest < math.inf:
            self._watch(loop, nearest)

    async def reopen(self) -> None:
        await self._run(self._reopen_sync)

    async def close(self) -> None:
        """Close the sink once the records already handed to the worker are written; records
        queued from now on fail."""
        self._closed = True
        try:
            await self._run(self._shut_sync)
        finally:
            self._worker.stop()
            # Records still waiting (a hung disk) keep their deadlines.
            if self._watchdog is not None and not self._writing and not self._pending:
                self._watchdog.cancel()
                self._watchdog, self._watchdog_at = None, math.inf

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        return await self._worker.run(fn, *args)

    # --- everything below runs on the device's worker thread ---

    def _open_sync(self) -> None:
        if self._shut:
            raise AuditWriteError(errno.EBADF, f"audit device {self._path!r} is closed")
        if self._fd is not None or self.file_path == DISCARD:
            return
        if self.file_path == STDOUT:
            self._fd = 1
            return
        head = read_last_head(self.file_path)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.file_path, flags, self.mode or 0o600)
        try:
            if self.mode:
                os.fchmod(fd, self.mode)
            self._terminate_partial_line(fd)
        except OSError:
            os.close(fd)
            raise
        self._fd = fd
        self._fmt.restart_segment(head)

    def _terminate_partial_line(self, fd: int) -> None:
        """After a crash mid-write, end the torn line so the next record starts cleanly."""
        size = os.fstat(fd).st_size
        if size == 0:
            return
        with open(self.file_path, "rb") as f:
            f.seek(size - 1)
            last = f.read(1)
        if last != b"\n":
            self._write_all(fd, b"\n")

    def _write_sync(self, record: Formatted) -> None:
        self._write_batch_sync([record])

    def _write_batch_sync(self, records: list[Formatted]) -> None:
        """Seal the records along the chain and write them with one write; on failure nothing
        of the batch stays in the file and the chain state is as before."""
        with self._fmt.lock:
            self._open_sync()
            saved = (self._fmt.head, self._fmt.seq, self._fmt.state_prev)
            lines = []
            for record in records:
                line, head = self._fmt.seal(record)
                self._fmt.commit(head)
                lines.append(line)
            if self.file_path == DISCARD:
                return
            fd = self._fd
            if fd is None:  # pragma: no cover - _open_sync sets it or raises
                raise AuditWriteError(errno.EBADF, "audit file not open")
            size = os.fstat(fd).st_size if fd != 1 else -1
            try:
                self._write_all(fd, b"".join(lines))
            except OSError as exc:
                self._rollback(fd, size)
                self._fmt.head, self._fmt.seq, self._fmt.state_prev = saved
                raise AuditWriteError(
                    exc.errno or errno.EIO,
                    f"audit device {self._path!r}: writing {self.file_path}: {exc.strerror or exc}",
                ) from exc

    def _write_all(self, fd: int, data: bytes) -> None:
        """Write every byte (os.write may write fewer). Tests override this to fail."""
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]

    def _rollback(self, fd: int, size: int) -> None:
        if size < 0:
            return
        try:
            os.ftruncate(fd, size)
        except OSError:
            # Could not cut the torn line off: end it so the next record starts cleanly.
            self._close_sync()

    def _reopen_sync(self) -> None:
        with self._fmt.lock:
            self._close_sync()
            self._open_sync()

    def _shut_sync(self) -> None:
        with self._fmt.lock:
            self._shut = True
            self._close_sync()

    def _close_sync(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None and fd != 1:
            os.close(fd)


__all__ = ["DISCARD", "STDOUT", "AuditWriteError", "FileDevice", "parse_mode", "read_last_head"]
