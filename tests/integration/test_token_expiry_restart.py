"""A token with a short TTL is unusable after it expires, also when the server restarted in
between (real server process, SQLite storage)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.slow


def test_token_expires_across_a_restart(server_factory: Any) -> None:
    server = server_factory()
    with httpx.Client(base_url=server.address, timeout=5) as client:
        init = client.put("/v1/sys/init", json={"secret_shares": 1, "secret_threshold": 1}).json()
        client.put("/v1/sys/unseal", json={"key": init["keys"][0]})
        root = {"X-Vault-Token": init["root_token"]}
        created = client.post(
            "/v1/auth/token/create", json={"ttl": "6s", "policies": ["default"]}, headers=root
        )
        token = created.json()["auth"]["client_token"]
        assert (
            client.get("/v1/auth/token/lookup-self", headers={"X-Vault-Token": token}).status_code
            == 200
        )
    server.restart()
    with httpx.Client(base_url=server.address, timeout=5) as client:
        client.put("/v1/sys/unseal", json={"key": init["keys"][0]})
        count = client.get("/v1/sys/leases/count", headers=root).json()["data"]["lease_count"]
        assert count == 1  # the lease came back with the restart
        time.sleep(6.5)
        assert (
            client.get("/v1/auth/token/lookup-self", headers={"X-Vault-Token": token}).status_code
            == 403
        )
        deadline = time.monotonic() + 5
        while client.get("/v1/sys/leases/count", headers=root).json()["data"]["lease_count"]:
            assert time.monotonic() < deadline, "the expired lease was never revoked"
            time.sleep(0.2)
