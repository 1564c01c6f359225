"""`bao audit enable file`, audit-hash and disable with the real CLI, against Strongroom and
OpenBao alike (both dev servers with `unsafe_allow_api_audit_creation = true`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from strongroom.testing.process import ServerProcess, free_port

pytestmark = [pytest.mark.compat, pytest.mark.slow]
BAO = shutil.which("bao") or "bao"
SECRET = "swordfish-0451"


class _Process(ServerProcess):
    def start(self, timeout: float = 30.0) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT)
        self.wait_ready(timeout)


@pytest.fixture(params=["strongroom", "openbao"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    config = tmp_path / "extra.hcl"
    config.write_text("unsafe_allow_api_audit_creation = true\n")
    address = f"127.0.0.1:{free_port()}"
    args = [
        "server",
        "-dev",
        "-dev-root-token-id=root",
        f"-dev-listen-address={address}",
        f"-config={config}",
    ]
    argv = (
        [BAO, *args]
        if request.param == "openbao"
        else [sys.executable, "-m", "strongroom.cli.main", *args]
    )
    process = _Process(argv, address="http://" + address, log_path=tmp_path / "server.log")
    process.start()
    try:
        yield "http://" + address
    finally:
        process.stop()


def _bao(address: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAO_", "VAULT_"))}
    env.update(BAO_ADDR=address, BAO_TOKEN="root")
    result = subprocess.run([BAO, *args], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_audit_file_device_hashes_everything(server: str, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    _bao(server, "audit", "enable", "file", f"file_path={log}")
    _bao(server, "kv", "put", "secret/app", f"password={SECRET}")
    _bao(server, "kv", "get", "secret/app")
    text = log.read_text()
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert {"request", "response"} <= {r["type"] for r in records}
    assert SECRET not in text and "root" not in [
        r.get("auth", {}).get("client_token") for r in records
    ]
    hashed = json.loads(
        _bao(server, "write", "-format=json", "sys/audit-hash/file", f"input={SECRET}")
    )
    expected = hashed["data"]["hash"]
    assert expected.startswith("hmac-sha256:")
    assert expected in text  # the logged value is the same HMAC
    _bao(server, "audit", "disable", "file")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAO_", "VAULT_"))}
    env.update(BAO_ADDR=server, BAO_TOKEN="root")
    listing = subprocess.run([BAO, "audit", "list"], env=env, capture_output=True, text=True)
    assert listing.returncode == 2 and "No audit devices are enabled" in listing.stdout
