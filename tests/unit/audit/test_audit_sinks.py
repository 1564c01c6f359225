"""Socket and syslog devices, and the broker over a real file device with a full disk."""

from __future__ import annotations

import asyncio
import errno
import json
import os
import socket
from pathlib import Path

import pytest
from audit_harness import SALTER, SECRET, entry
from test_audit_file import FlakyDisk

from strongroom.audit import AuditBroker, AuditFailed, SocketDevice, SyslogDevice
from strongroom.errors import InvalidRequest


async def test_socket_tcp_device_writes_lines() -> None:
    got: asyncio.Queue[bytes] = asyncio.Queue()
    done = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            await got.put(line)
        writer.close()
        await writer.wait_closed()
        done.set()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    dev = SocketDevice("sock/", {"address": f"127.0.0.1:{port}"}, SALTER)
    await dev.log_request(entry())
    await dev.log_request(entry())
    first = json.loads(await asyncio.wait_for(got.get(), 1))
    second = json.loads(await asyncio.wait_for(got.get(), 1))
    assert first["type"] == "request" and SECRET not in json.dumps(first)
    assert second["strongroom_seq"] == first["strongroom_seq"] + 1
    await dev.close()
    await asyncio.wait_for(done.wait(), 1)
    server.close()
    await server.wait_closed()


async def test_socket_unreachable_raises_and_bad_options(tmp_path: Path) -> None:
    dev = SocketDevice(
        "s/", {"address": str(tmp_path / "nope.sock"), "socket_type": "unix"}, SALTER
    )
    with pytest.raises(OSError):
        await dev.log_request(entry())
    for bad in ({}, {"address": "x", "socket_type": "tcp"}, {"address": "a:1", "socket_type": "q"}):
        with pytest.raises(InvalidRequest):
            SocketDevice("s/", bad, SALTER)


async def test_syslog_device_sends_and_fails_closed(tmp_path: Path) -> None:
    addr = str(tmp_path / "log.sock")
    sink = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sink.bind(addr)
    try:
        dev = SyslogDevice("sys/", {"address": addr, "tag": "sr", "facility": "local0"}, SALTER)
        await dev.log_request(entry())
        msg = sink.recv(65536).decode()
        assert msg.startswith("<134>sr: {")  # local0.info
        assert SECRET not in msg
        await dev.close()
    finally:
        sink.close()
    os.unlink(addr)
    dev = SyslogDevice("sys/", {"address": addr}, SALTER)
    with pytest.raises(OSError):
        await dev.log_request(entry())
    await dev.close()
    with pytest.raises(InvalidRequest):
        SyslogDevice("s/", {"facility": "nope"}, SALTER)


async def test_broker_fails_closed_on_full_disk_and_recovers(tmp_path: Path) -> None:
    dev = FlakyDisk("file/", {"file_path": str(tmp_path / "audit.log")}, SALTER)
    await dev.open()
    broker = AuditBroker()
    broker.add(dev)
    dev.fail = 1
    with pytest.raises(AuditFailed, match="No space left on device"):
        await broker.log_request(entry())
    await broker.log_request(entry())
    await broker.close()
    assert len((tmp_path / "audit.log").read_text().splitlines()) == 1
    assert errno.ENOSPC == 28
