"""Durability under kill -9 at the storage layer: every write that SQLiteStorage acknowledged
is in the database after the process is killed mid-stream (DESIGN: an acknowledged write is
durable).

A child process writes with 16 concurrent writers and prints each write only after its call
returned; we SIGKILL it after ~1.5 s, reopen the file and look for every printed write. A
kill -9 loses the process but not the OS page cache, so this proves the ack-after-commit
ordering, not fsync itself (that needs power-loss testing; synchronous=FULL is checked in
the unit tests).
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from strongroom.storage import SQLiteStorage

CHILD = Path(__file__).with_name("sqlite_kill9_child.py")
WRITERS = 16
RUN_SECONDS = 1.5
START_TIMEOUT = 30.0


def _collect(stream: Iterable[str], lines: list[str], first: threading.Event) -> None:
    for line in stream:
        lines.append(line)
        first.set()
    first.set()


def _run_and_kill(db: Path, stderr_path: Path) -> list[str]:
    """Start the child, let it write for RUN_SECONDS, SIGKILL it; return its complete lines."""
    lines: list[str] = []
    first = threading.Event()
    with stderr_path.open("w") as stderr:
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(db), str(WRITERS)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        assert child.stdout is not None
        with child.stdout:
            reader = threading.Thread(target=_collect, args=(child.stdout, lines, first))
            reader.start()
            try:
                first.wait(START_TIMEOUT)
                time.sleep(RUN_SECONDS)
            finally:
                child.send_signal(signal.SIGKILL)
                child.wait()
                reader.join()
    assert child.returncode == -signal.SIGKILL, stderr_path.read_text()
    # A line cut short by the kill was never fully reported: ignore it.
    return [line.rstrip("\n") for line in lines if line.endswith("\n")]


async def _missing_writes(db: Path, lines: list[str]) -> list[str]:
    """Keys whose stored state contradicts an acknowledged write."""
    allowed: dict[str, set[bytes | None]] = {}
    for line in lines:
        kind, *fields = line.split(" ")
        if kind == "deleting":  # not acknowledged yet: it may or may not have committed
            allowed[fields[0]].add(None)
        elif kind == "del":
            allowed[fields[0]] = {None}
        else:  # put, txn: key value pairs
            for key, value in zip(fields[::2], fields[1::2], strict=True):
                allowed[key] = {bytes.fromhex(value)}
    storage = SQLiteStorage(db)
    try:
        found = await asyncio.gather(*(storage.get(key) for key in allowed))
    finally:
        await storage.close()
    return [
        key
        for (key, values), entry in zip(allowed.items(), found, strict=True)
        if (None if entry is None else entry.value) not in values
    ]


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(3))
def test_acknowledged_writes_survive_kill9(tmp_path: Path, trial: int) -> None:
    db = tmp_path / f"kill9-{trial}.db"
    lines = _run_and_kill(db, tmp_path / "child-stderr.txt")
    assert len(lines) > 200, f"the child reported only {len(lines)} writes"
    missing = asyncio.run(_missing_writes(db, lines))
    assert missing == [], f"{len(missing)} of {len(lines)} acknowledged writes lost"
