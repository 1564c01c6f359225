"""Leases made with batch tokens, as OpenBao ties them (a production-mode server, real
PostgreSQL): a batch token is never stored, so its leases belong to its parent (revoked with
it) and never outlive the batch token, at issue or on renewal."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.slow

PG_CREATE = (
    "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"
)
POLICY = """
path "database/creds/*" { capabilities = ["read"] }
path "sys/leases/renew" { capabilities = ["update"] }
path "auth/token/create" { capabilities = ["update"] }
"""


def eventually(check: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 204), response.text
    return response.json() if response.status_code == 200 else {}


def test_batch_token_leases_follow_the_parent_and_the_token_lifetime(
    server_factory: Any, postgres_server: Any
) -> None:
    server = server_factory()
    with httpx.Client(base_url=server.address, timeout=15) as client:
        init = ok(client.put("/v1/sys/init", json={"secret_shares": 1, "secret_threshold": 1}))
        ok(client.put("/v1/sys/unseal", json={"key": init["keys"][0]}))
        root = {"X-Vault-Token": init["root_token"]}
        ok(client.post("/v1/sys/mounts/database", json={"type": "database"}, headers=root))
        config = {
            "plugin_name": "postgresql-database-plugin",
            "connection_url": "postgresql://{{username}}:{{password}}@127.0.0.1:"
            f"{postgres_server.port}/{postgres_server.database}?sslmode=disable",
            "username": postgres_server.admin_user,
            "password": postgres_server.admin_password,
            "allowed_roles": "*",
        }
        ok(client.post("/v1/database/config/pg", json=config, headers=root))
        role = {"db_name": "pg", "creation_statements": [PG_CREATE], "default_ttl": "1h"}
        ok(client.post("/v1/database/roles/app", json=role, headers=root))
        ok(client.put("/v1/sys/policies/acl/app", json={"policy": POLICY}, headers=root))

        def token(headers: dict[str, str], path: str, **body: object) -> str:
            created = ok(client.post(f"/v1/auth/token/{path}", json=body, headers=headers))
            return str(created["auth"]["client_token"])

        parent = token(root, "create", policies=["app"], ttl="2h")
        as_parent = {"X-Vault-Token": parent}
        short = token(as_parent, "create", policies=["app"], type="batch", ttl="20s")
        child = token(as_parent, "create", policies=["app"], type="batch", ttl="1h")
        orphan = token(root, "create-orphan", policies=["app"], type="batch", ttl="1h")

        # The role asks for an hour; a lease made with a 20-second batch token gets 20 s at
        # most, and a renewal cannot stretch it past the token either.
        capped = ok(client.get("/v1/database/creds/app", headers={"X-Vault-Token": short}))
        assert 0 < capped["lease_duration"] <= 20
        renewed = ok(
            client.put(
                "/v1/sys/leases/renew",
                json={"lease_id": capped["lease_id"], "increment": 3600},
                headers={"X-Vault-Token": short},
            )
        )
        assert 0 < renewed["lease_duration"] <= 20

        tied = ok(client.get("/v1/database/creds/app", headers={"X-Vault-Token": child}))
        free = ok(client.get("/v1/database/creds/app", headers={"X-Vault-Token": orphan}))
        assert 3500 < tied["lease_duration"] <= 3600
        tied_user, free_user = tied["data"]["username"], free["data"]["username"]
        assert postgres_server.user_exists(tied_user) and postgres_server.user_exists(free_user)

        # Revoking the parent revokes what its batch child leased (the user is dropped), and
        # nothing an orphan batch token leased.
        ok(client.post("/v1/auth/token/revoke", json={"token": parent}, headers=root))
        eventually(lambda: not postgres_server.user_exists(tied_user), what="tied lease revoked")
        lookup = client.put(
            "/v1/sys/leases/lookup", json={"lease_id": tied["lease_id"]}, headers=root
        )
        assert lookup.status_code == 400
        kept = ok(
            client.put("/v1/sys/leases/lookup", json={"lease_id": free["lease_id"]}, headers=root)
        )
        assert kept["data"]["id"] == free["lease_id"]
        assert postgres_server.user_exists(free_user)
        ok(client.put("/v1/sys/leases/revoke", json={"lease_id": free["lease_id"]}, headers=root))
