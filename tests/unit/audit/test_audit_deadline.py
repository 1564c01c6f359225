"""A lone file device keeps the broker's deadline itself (one watchdog timer, no
`asyncio.timeout` per record): a hung disk is still cut off after `broker.timeout`, the
request fails closed, and records that do get written are not disturbed."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from audit_harness import SALTER, entry

from strongroom.audit import AuditBroker, AuditFailed, AuditWriteError, FileDevice
from strongroom.audit.device import QueuingDevice


class StuckDisk(FileDevice):
    """A device whose writes block until `release` is set (a hung NFS mount)."""

    def __init__(self, path: Path) -> None:
        super().__init__("stuck/", {"file_path": str(path)}, SALTER)
        self.release = threading.Event()
        self.stuck = False

    def _write_all(self, fd: int, data: bytes) -> None:
        if self.stuck:
            self.release.wait(5)
        super()._write_all(fd, data)


async def _broker(device: FileDevice, timeout: float) -> AuditBroker:
    await device.open()
    broker = AuditBroker(timeout=timeout)
    broker.add(device)
    return broker


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines())


async def test_a_file_device_queues_and_the_broker_uses_it(tmp_path: Path) -> None:
    device = FileDevice("file/", {"file_path": str(tmp_path / "a.log")}, SALTER)
    assert isinstance(device, QueuingDevice)
    broker = await _broker(device, 5)
    await broker.log_request(entry())
    await broker.log_response(entry())
    await broker.close()
    assert _lines(tmp_path / "a.log") == 2
    assert device._watchdog is None  # close disarms it


async def test_a_hung_disk_is_cut_off_and_the_request_fails_closed(tmp_path: Path) -> None:
    device = StuckDisk(tmp_path / "a.log")
    broker = await _broker(device, 0.02)
    device.stuck = True
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(AuditFailed, match=r"stuck/: timed out after 0.02s"):
        await broker.log_request(entry())
    assert loop.time() - started >= 0.019  # (timers may fire within the clock resolution)
    device.stuck = False
    device.release.set()
    await broker.log_response(entry())  # the disk is back: written after the stuck batch
    await broker.close()
    assert _lines(tmp_path / "a.log") == 2  # the cut-off record was written late


async def test_each_waiting_record_gets_its_own_deadline(tmp_path: Path) -> None:
    """Records queued behind a hung write time out one by one, each `timeout` after it was
    queued: the watchdog re-arms for the next deadline."""
    device = StuckDisk(tmp_path / "a.log")
    broker = await _broker(device, 0.02)
    device.stuck = True
    loop = asyncio.get_running_loop()
    cut_off: list[float] = []

    async def one(delay: float) -> float:
        await asyncio.sleep(delay)
        queued = loop.time()
        with pytest.raises(AuditFailed, match="timed out"):
            await broker.log_request(entry())
        cut_off.append(loop.time() - queued)
        return queued

    first, second = await asyncio.gather(one(0), one(0.01))
    assert second > first
    assert all(0.019 <= waited < 0.5 for waited in cut_off)
    device.release.set()
    await broker.close()


async def test_a_record_written_in_time_is_not_cut_off(tmp_path: Path) -> None:
    device = StuckDisk(tmp_path / "a.log")
    broker = await _broker(device, 5)
    device.stuck = True
    threading.Timer(0.005, device.release.set).start()
    await asyncio.gather(*(broker.log_request(entry()) for _ in range(5)))
    assert device._watchdog is not None  # armed for the first deadline, to fire for nothing
    await broker.close()
    assert device._watchdog is None  # nothing waits: close disarms it
    assert _lines(tmp_path / "a.log") == 5


async def test_outside_cancel_of_a_queued_record_stays_a_cancel(tmp_path: Path) -> None:
    device = StuckDisk(tmp_path / "a.log")
    broker = await _broker(device, 5)
    device.stuck = True
    task = asyncio.create_task(broker.log_request(entry()))
    await asyncio.sleep(0.005)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    device.stuck = False
    device.release.set()
    await broker.log_request(entry())
    await broker.close()
    assert _lines(tmp_path / "a.log") == 2


async def test_two_devices_or_none_take_the_general_path(tmp_path: Path) -> None:
    one = FileDevice("one/", {"file_path": str(tmp_path / "1.log")}, SALTER)
    two = FileDevice("two/", {"file_path": str(tmp_path / "2.log")}, SALTER)
    broker = await _broker(one, 5)
    assert broker._queue is one
    await two.open()
    broker.add(two)
    assert broker._queue is None
    await broker.log_request(entry())
    assert broker.remove("one/") is one
    assert broker._queue is two
    await one.close()
    await broker.log_request(entry())
    await broker.close()
    assert broker._queue is None and not broker.enabled()
    await broker.log_request(entry())  # nothing enabled: passes unaudited
    assert (_lines(tmp_path / "1.log"), _lines(tmp_path / "2.log")) == (1, 2)


async def test_closing_a_hung_device_keeps_the_deadlines(tmp_path: Path) -> None:
    device = StuckDisk(tmp_path / "a.log")
    broker = await _broker(device, 0.02)
    device.stuck = True
    waiting = asyncio.ensure_future(broker.log_request(entry()))
    await asyncio.sleep(0.005)
    await broker.close()  # the device's close is cut off too (and logged)
    with pytest.raises(AuditFailed, match="timed out"):
        await waiting
    with pytest.raises(OSError, match="is closed"):
        await device.queue_request(entry(), 5)
    device.release.set()


async def test_a_record_left_when_the_worker_stops_fails(tmp_path: Path) -> None:
    device = FileDevice("file/", {"file_path": str(tmp_path / "a.log")}, SALTER)
    await device.open()
    waiter = device.queue_request(entry(), 5)  # its batch is due at the next loop turn
    device._worker.stop()  # as close() ends
    with pytest.raises(AuditWriteError, match="stopped"):
        await waiter
    with pytest.raises(RuntimeError, match="stopped"):
        await device.close()
