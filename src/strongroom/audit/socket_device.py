"""The `socket` audit device: records as JSON lines over TCP, UDP or a unix socket.

Options as Vault's: `address`, `socket_type` (tcp, udp, unix; default tcp), `write_timeout`
(seconds or a duration such as "2s"; default 2s). A failed or timed-out write drops the
connection (the next record reconnects) and does not advance the chain. The chain restarts
a segment on every new connection, since the far end's state cannot be read back.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Mapping

from strongroom.audit.device import RecordFormatter
from strongroom.audit.entry import AuditEntry
from strongroom.audit.format import Formatted
from strongroom.audit.salt import Salter
from strongroom.durations import parse_duration
from strongroom.errors import InvalidRequest

_TYPES = ("tcp", "udp", "unix")


def _host_port(address: str) -> tuple[str, int]:
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise InvalidRequest(f"invalid socket address {address!r}: want host:port")
    return host.strip("[]"), int(port)


class SocketDevice:
    """Writes audit records to a socket."""

    type = "socket"

    def __init__(self, path: str, options: Mapping[str, str], salter: Salter) -> None:
        self._path = path
        self._options = dict(options)
        self.address = str(options.get("address", ""))
        if not self.address:
            raise InvalidRequest("address is required")
        self.socket_type = str(options.get("socket_type", "tcp"))
        if self.socket_type not in _TYPES:
            raise InvalidRequest(f"invalid socket_type {self.socket_type!r}")
        if self.socket_type != "unix":
            _host_port(self.address)
        try:
            self.write_timeout = float(parse_duration(str(options.get("write_timeout", "2s"))))
        except ValueError as exc:
            raise InvalidRequest(f"invalid write_timeout: {exc}") from None
        self._fmt = RecordFormatter(salter, options)
        self._lock = asyncio.Lock()
        self._writer: asyncio.StreamWriter | None = None
        self._udp: socket.socket | None = None

    @property
    def path(self) -> str:
        return self._path

    @property
    def options(self) -> Mapping[str, str]:
        return self._options

    def hash(self, value: str) -> str:
        return self._fmt.salter.hash(value)

    async def log_request(self, entry: AuditEntry) -> None:
        await self._send(self._fmt.request_record(entry))

    async def log_response(self, entry: AuditEntry) -> None:
        await self._send(self._fmt.response_record(entry))

    async def reopen(self) -> None:
        async with self._lock:
            self._drop()

    async def close(self) -> None:
        async with self._lock:
            writer = self._writer
            self._drop()
            if writer is not None:
                try:
                    await writer.wait_closed()
                except OSError:
                    pass

    async def _send(self, record: Formatted) -> None:
        async with self._lock:
            try:
                await asyncio.wait_for(self._deliver(record), self.write_timeout)
            except BaseException:
                self._drop()
                raise

    async def _deliver(self, record: Formatted) -> None:
        if self.socket_type == "udp":
            if self._udp is None:
                self._udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                self._udp.setblocking(False)
                self._fmt.restart_segment()
            line, head = self._fmt.seal(record)
            loop = asyncio.get_running_loop()
            await loop.sock_sendto(self._udp, line, _host_port(self.address))
            self._fmt.commit(head)
            return
        if self._writer is None:
            if self.socket_type == "unix":
                _, self._writer = await asyncio.open_unix_connection(self.address)
            else:
                _, self._writer = await asyncio.open_connection(*_host_port(self.address))
            self._fmt.restart_segment()
        line, head = self._fmt.seal(record)
        self._writer.write(line)
        await self._writer.drain()
        self._fmt.commit(head)

    def _drop(self) -> None:
        """Forget the connection; the next record reconnects."""
        writer, self._writer = self._writer, None
        udp, self._udp = self._udp, None
        if udp is not None:
            udp.close()
        if writer is not None:
            writer.close()


__all__ = ["SocketDevice"]
