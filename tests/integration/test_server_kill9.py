"""Acknowledged writes survive SIGKILL of a real server process (SQLite storage).

Writers hammer `sys/rotate` (each call persists a new keyring term) from several threads;
the server is killed mid-load; after a restart and unseal the term must cover every rotation
that was acknowledged with a 204 before the kill.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.slow


def _rotate_until_failure(
    address: str, token: str, acked: list[int], stop: threading.Event
) -> None:
    with httpx.Client(base_url=address, headers={"X-Vault-Token": token}, timeout=5) as client:
        while not stop.is_set():
            try:
                response = client.put("/v1/sys/rotate")
            except httpx.HTTPError:
                return  # the server died under us: this write was never acknowledged
            if response.status_code == 204:
                acked.append(1)


@pytest.mark.parametrize("trial", range(3))
def test_acknowledged_rotations_survive_kill9(server_factory: Any, trial: int) -> None:
    server = server_factory()
    with httpx.Client(base_url=server.address, timeout=5) as client:
        init = client.put("/v1/sys/init", json={"secret_shares": 1, "secret_threshold": 1}).json()
        client.put("/v1/sys/unseal", json={"key": init["keys"][0]})
    acked: list[int] = []
    stop = threading.Event()
    writers = [
        threading.Thread(
            target=_rotate_until_failure, args=(server.address, init["root_token"], acked, stop)
        )
        for _ in range(8)
    ]
    for writer in writers:
        writer.start()
    time.sleep(1.0 + 0.3 * trial)
    server.process.kill()
    stop.set()
    for writer in writers:
        writer.join(10)
    acknowledged = len(acked)
    assert acknowledged > 10, "the load never got going"

    server.start()
    with httpx.Client(base_url=server.address, timeout=5) as client:
        unsealed = client.put("/v1/sys/unseal", json={"key": init["keys"][0]}).json()
        assert unsealed["sealed"] is False
        status = client.get("/v1/sys/key-status", headers={"X-Vault-Token": init["root_token"]})
        assert status.status_code == 200
        term = status.json()["data"]["term"]
    assert term >= 1 + acknowledged
