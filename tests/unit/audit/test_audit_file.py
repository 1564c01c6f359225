"""The file device: one JSON line per record, no secret in the clear, reopen, full disk."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest
from audit_harness import ACCESSOR, ROOT_TOKEN, SALTER, SECRET, entry, login_response

from strongroom.audit import AuditWriteError, FileDevice, Salter, new_device
from strongroom.errors import InvalidRequest
from strongroom.storage.inmem import InmemStorage


async def _device(tmp_path: Path, **options: str) -> FileDevice:
    dev = FileDevice("file/", {"file_path": str(tmp_path / "audit.log"), **options}, SALTER)
    await dev.open()
    return dev


def _records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_writes_one_json_line_per_record_and_no_secret(tmp_path: Path) -> None:
    dev = await _device(tmp_path)
    await dev.log_request(entry())
    await dev.log_response(entry(login_response()))
    await dev.close()
    path = tmp_path / "audit.log"
    text = path.read_text()
    for secret in (ROOT_TOKEN, ACCESSOR, SECRET, "s.newTOKEN456", "newACCESSOR", "s.wrapTOKEN"):
        assert secret not in text
    recs = _records(path)
    assert [r["type"] for r in recs] == ["request", "response"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_mode_and_prefix_and_log_raw(tmp_path: Path) -> None:
    dev = await _device(tmp_path, mode="0640", prefix="AUDIT ", log_raw="true")
    await dev.log_request(entry())
    await dev.close()
    path = tmp_path / "audit.log"
    line = path.read_text()
    assert line.startswith("AUDIT {")
    assert SECRET in line  # log_raw writes everything in the clear
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


async def test_discard_and_bad_options(tmp_path: Path) -> None:
    dev = FileDevice("d/", {"file_path": "discard"}, SALTER)
    await dev.open()
    await dev.log_request(entry())
    await dev.close()
    with pytest.raises(InvalidRequest):
        FileDevice("x/", {}, SALTER)
    with pytest.raises(InvalidRequest):
        FileDevice("x/", {"file_path": "/tmp/x", "mode": "rw"}, SALTER)
    with pytest.raises(InvalidRequest):
        FileDevice("x/", {"file_path": "/tmp/x", "log_raw": "maybe"}, SALTER)


async def test_reopen_after_rename_writes_new_file(tmp_path: Path) -> None:
    dev = await _device(tmp_path)
    await dev.log_request(entry())
    path = tmp_path / "audit.log"
    rotated = tmp_path / "audit.log.1"
    os.rename(path, rotated)
    await dev.log_request(entry())  # still goes to the renamed file (open fd)
    await dev.reopen()
    await dev.log_response(entry(login_response()))
    await dev.close()
    assert len(rotated.read_text().splitlines()) == 2
    assert [r["type"] for r in _records(path)] == ["response"]


class FlakyDisk(FileDevice):
    """A device whose disk is full (after writing half a line) for the next `fail` writes."""

    fail = 0

    def _write_all(self, fd: int, data: bytes) -> None:
        if self.fail:
            self.fail -= 1
            os.write(fd, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        super()._write_all(fd, data)


async def test_full_disk_fails_clearly_then_recovers(tmp_path: Path) -> None:
    dev = FlakyDisk("file/", {"file_path": str(tmp_path / "audit.log")}, SALTER)
    await dev.open()
    await dev.log_request(entry())
    dev.fail = 2
    for _ in range(2):
        with pytest.raises(AuditWriteError) as info:
            await dev.log_request(entry())
        assert info.value.errno == errno.ENOSPC
        assert "No space left on device" in str(info.value)
    await dev.log_response(entry(login_response()))
    await dev.close()
    recs = _records(tmp_path / "audit.log")  # the torn half-lines were rolled back
    assert [r["type"] for r in recs] == ["request", "response"]


async def test_new_device_persists_salt(tmp_path: Path) -> None:
    storage = InmemStorage()
    one = await new_device("file/", "file", {"file_path": str(tmp_path / "a.log")}, storage)
    two = await new_device("file/", "file", {"file_path": str(tmp_path / "a.log")}, storage)
    other = await new_device("f2/", "file", {"file_path": "discard"}, InmemStorage())
    assert one.hash("x") == two.hash("x") != other.hash("x")
    for dev in (one, two, other):
        await dev.close()
    with pytest.raises(InvalidRequest):
        await new_device("x/", "nope", {}, storage)
    assert repr(Salter(b"k" * 32)) == "Salter(**********)"
