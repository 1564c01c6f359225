"""The broker fails closed, tolerates one bad device of two, and cuts off hanging devices."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import pytest
from audit_harness import entry

from strongroom.audit import AuditBroker, AuditEntry, AuditFailed, hash_value
from strongroom.errors import InternalError


class FakeDevice:
    type = "fake"

    def __init__(self, path: str, *, fail: bool = False, hang: bool = False) -> None:
        self._path = path
        self.fail = fail
        self.hang = hang
        self.seen: list[str] = []

    @property
    def path(self) -> str:
        return self._path

    @property
    def options(self) -> Mapping[str, str]:
        return {}

    def hash(self, value: str) -> str:
        return "hmac-sha256:" + value[::-1]

    async def _log(self, phase: str) -> None:
        if self.hang:
            await asyncio.Event().wait()
        if self.fail:
            raise OSError("disk on fire")
        self.seen.append(phase)

    async def log_request(self, entry: AuditEntry) -> None:
        await self._log("request")

    async def log_response(self, entry: AuditEntry) -> None:
        await self._log("response")

    async def reopen(self) -> None:
        pass

    async def close(self) -> None:
        pass


async def test_no_devices_passes() -> None:
    broker = AuditBroker()
    await broker.log_request(entry())
    assert not broker.enabled()


async def test_single_failing_device_fails_closed() -> None:
    broker = AuditBroker()
    broker.add(FakeDevice("bad/", fail=True))
    with pytest.raises(AuditFailed) as info:
        await broker.log_request(entry())
    assert isinstance(info.value, InternalError) and info.value.status == 500
    assert "bad/: disk on fire" in str(info.value)
    with pytest.raises(AuditFailed):
        await broker.log_response(entry())


async def test_one_of_two_failing_passes() -> None:
    broker = AuditBroker()
    good = FakeDevice("good/")
    broker.add(FakeDevice("bad/", fail=True))
    broker.add(good)
    await broker.log_request(entry())
    await broker.log_response(entry())
    assert good.seen == ["request", "response"]


async def test_hanging_device_is_cut_off() -> None:
    broker = AuditBroker(timeout=0.01)
    broker.add(FakeDevice("slow/", hang=True))
    with pytest.raises(AuditFailed, match="timed out"):
        await broker.log_request(entry())
    good = FakeDevice("good/")
    broker.add(good)
    await broker.log_request(entry())  # the hung one is cut off; the good one suffices
    assert good.seen == ["request"]


async def test_add_remove_and_hash() -> None:
    broker = AuditBroker()
    dev = FakeDevice("a/")
    broker.add(dev)
    with pytest.raises(ValueError):
        broker.add(FakeDevice("a/"))
    assert broker.get("a/") is dev and broker.devices == (dev,)
    assert hash_value(dev, "abc") == "hmac-sha256:cba"
    await broker.reopen()
    assert broker.remove("a/") is dev and broker.remove("a/") is None
    broker.add(dev)
    await broker.close()
    assert broker.devices == ()


async def test_outside_cancel_of_a_hanging_device_stays_a_cancel() -> None:
    broker = AuditBroker(timeout=5)
    broker.add(FakeDevice("slow/", hang=True))
    task = asyncio.create_task(broker.log_request(entry()))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_many_concurrent_calls_only_the_hung_ones_time_out() -> None:
    broker = AuditBroker(timeout=0.01)
    good = FakeDevice("good/")
    broker.add(good)
    results = await asyncio.gather(*(broker.log_request(entry()) for _ in range(20)))
    assert results == [None] * 20 and len(good.seen) == 20
    broker.remove("good/")
    broker.add(FakeDevice("slow/", hang=True))
    outcomes = await asyncio.gather(
        *(broker.log_response(entry()) for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(o, AuditFailed) and "timed out after 0.01s" in str(o) for o in outcomes)
    assert asyncio.current_task().cancelling() == 0  # type: ignore[union-attr]
