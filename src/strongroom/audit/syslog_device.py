"""The `syslog` audit device: each record is one syslog message (Vault's `facility`, `tag`).

Uses the standard library's SysLogHandler over the local socket (`/dev/log`, or the
`address` option, which also accepts host:port for UDP), on the device's own thread. Unlike
the stdlib default, a send error is raised, so the broker can fail closed.
"""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from strongroom.audit.device import RecordFormatter
from strongroom.audit.entry import AuditEntry
from strongroom.audit.format import Formatted
from strongroom.audit.salt import Salter
from strongroom.errors import InvalidRequest

T = TypeVar("T")
_DEFAULT_ADDRESS = "/dev/log"


class _RaisingSysLogHandler(logging.handlers.SysLogHandler):
    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - stdlib name
        raise  # re-raise the send error emit() caught: fail closed, never print and go on


class SyslogDevice:
    """Sends audit records to syslog."""

    type = "syslog"

    def __init__(self, path: str, options: Mapping[str, str], salter: Salter) -> None:
        self._path = path
        self._options = dict(options)
        facility = str(options.get("facility", "AUTH")).lower()
        codes = logging.handlers.SysLogHandler.facility_names
        if facility not in codes:
            raise InvalidRequest(f"invalid syslog facility {facility!r}")
        self.facility = codes[facility]
        self.tag = str(options.get("tag", "strongroom"))
        address = str(options.get("address", _DEFAULT_ADDRESS))
        host, sep, port = address.rpartition(":")
        self.address: str | tuple[str, int] = (
            (host, int(port)) if sep and port.isdigit() else address
        )
        self._fmt = RecordFormatter(salter, options)
        self._handler: logging.handlers.SysLogHandler | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"audit-{path}")

    @property
    def path(self) -> str:
        return self._path

    @property
    def options(self) -> Mapping[str, str]:
        return self._options

    def hash(self, value: str) -> str:
        return self._fmt.salter.hash(value)

    async def log_request(self, entry: AuditEntry) -> None:
        await self._run(self._send_sync, self._fmt.request_record(entry))

    async def log_response(self, entry: AuditEntry) -> None:
        await self._run(self._send_sync, self._fmt.response_record(entry))

    async def reopen(self) -> None:
        await self._run(self._close_sync)

    async def close(self) -> None:
        try:
            await self._run(self._close_sync)
        finally:
            self._executor.shutdown(wait=False, cancel_futures=True)

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    def _send_sync(self, record: Formatted) -> None:
        with self._fmt.lock:
            if self._handler is None:
                handler = _RaisingSysLogHandler(address=self.address, facility=self.facility)
                handler.ident = self.tag + ": "
                self._handler = handler
                self._fmt.restart_segment()
            line, head = self._fmt.seal(record)
            message = logging.LogRecord(
                "strongroom.audit", logging.INFO, "", 0, line.decode().rstrip("\n"), None, None
            )
            try:
                self._handler.emit(message)
            except Exception:
                self._close_sync()
                raise
            self._fmt.commit(head)

    def _close_sync(self) -> None:
        handler, self._handler = self._handler, None
        if handler is not None:
            handler.close()


__all__ = ["SyslogDevice"]
