"""Tamper evidence: the chain verifies intact files and names the first bad line."""

from __future__ import annotations

import json
from pathlib import Path

from audit_harness import SALTER, entry, login_response

from strongroom.audit import FileDevice, verify_files
from strongroom.audit.chain import CHAIN_FIELD
from strongroom.cli.audit_verify import verify_command

KEY = SALTER.chain_key()


async def _write(path: Path, count: int) -> FileDevice:
    dev = FileDevice("file/", {"file_path": str(path)}, SALTER)
    await dev.open()
    for i in range(count):
        if i % 2:
            await dev.log_response(entry(login_response()))
        else:
            await dev.log_request(entry())
    return dev


def _check(path: Path, expected_head: str | None = None) -> list[tuple[int, str]]:
    [(_, result)] = verify_files(KEY, [str(path)], expected_head=expected_head)
    return [(f.line, f.kind) for f in result.findings]


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True)


async def test_intact(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    dev = await _write(path, 6)
    await dev.close()
    assert _check(path, expected_head=dev.chain_head) == []
    assert _check(path) == []


async def test_wrong_key_fails(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    await (await _write(path, 2)).close()
    [(_, result)] = verify_files(b"\x00" * 32, [str(path)])
    assert not result.intact and result.findings[0].line == 1


async def test_deleted_line(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    await (await _write(path, 6)).close()
    lines = _lines(path)
    del lines[2]
    path.write_text("".join(lines))
    assert _check(path) == [(3, "deleted")]


async def test_deleted_first_line(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    await (await _write(path, 4)).close()
    path.write_text("".join(_lines(path)[1:]))
    assert _check(path)[0] == (1, "deleted")


async def test_edited_line(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    await (await _write(path, 6)).close()
    lines = _lines(path)
    rec = json.loads(lines[3])
    rec["request"]["remote_address"] = "10.9.9.9"
    lines[3] = json.dumps(rec) + "\n"
    path.write_text("".join(lines))
    assert _check(path) == [(4, "altered")]


async def test_swapped_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    await (await _write(path, 6)).close()
    lines = _lines(path)
    lines[2], lines[3] = lines[3], lines[2]
    path.write_text("".join(lines))
    found = _check(path)
    assert found[0] == (3, "reordered")


async def test_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    dev = await _write(path, 4)
    await dev.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])  # torn last record
    assert _check(path) == [(4, "truncated")]
    lines = _lines(path)
    path.write_text("".join(lines[:2]))  # whole records cut from the end
    assert _check(path) == []  # undetectable without the head ...
    assert _check(path, expected_head=dev.chain_head) == [(3, "truncated")]  # ... caught


async def test_restart_continues_chain(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    await (await _write(path, 3)).close()
    dev = await _write(path, 3)  # a new device instance, as after a server restart
    await dev.close()
    assert _check(path, expected_head=dev.chain_head) == []
    seqs = [json.loads(line)["strongroom_seq"] for line in _lines(path)]
    assert seqs == list(range(6))


async def test_restart_after_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    await (await _write(path, 3)).close()
    with path.open("a") as f:
        f.write('{"time": "torn')  # crash mid-write
    dev = await _write(path, 2)
    await dev.close()
    assert _check(path, expected_head=dev.chain_head) == [(4, "malformed")]


async def test_rotation_verifies_across_files(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    dev = await _write(path, 3)
    rotated = tmp_path / "a.log.1"
    path.rename(rotated)
    await dev.reopen()
    await dev.log_request(entry())
    await dev.close()
    results = verify_files(KEY, [str(rotated), str(path)], expected_head=dev.chain_head)
    assert all(r.intact for _, r in results)
    [(_, alone)] = verify_files(KEY, [str(path)])
    assert alone.intact and alone.notes  # starts mid-chain, says so
    # the current file alone after the rotated one lost its last record
    rotated.write_text("".join(_lines(rotated)[:-1]))
    results = verify_files(KEY, [str(rotated), str(path)])
    assert [(f.line, f.kind) for f in results[1][1].findings] == [(1, "deleted")]


async def test_chain_field_present(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    await (await _write(path, 1)).close()
    assert len(json.loads(path.read_text())[CHAIN_FIELD]) == 64


async def test_cli(tmp_path: Path, capsys: object) -> None:
    path = tmp_path / "a.log"
    dev = await _write(path, 4)
    await dev.close()
    key_file = tmp_path / "key"
    key_file.write_text(KEY.hex() + "\n")
    assert verify_command(["-key-file", str(key_file), str(path)]) == 0
    head = dev.chain_head
    assert verify_command([f"-key-file={key_file}", f"-expect-head={head}", str(path)]) == 0
    lines = _lines(path)
    path.write_text("".join(lines[:1] + lines[2:]))
    assert verify_command(["-key-file", str(key_file), str(path)]) == 2
    assert verify_command(["-key-file", str(tmp_path / "missing"), str(path)]) == 1
    key_file.write_text("abcd")
    assert verify_command(["-key-file", str(key_file), str(path)]) == 1
    assert verify_command([]) == 1
