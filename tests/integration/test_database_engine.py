"""The database engine in a production-mode server (SQLite storage) against a real PostgreSQL
and a real MariaDB on loopback: what only Strongroom promises, beyond OpenBao's behaviour.

- a short lease drops its user by itself also when the server was down at the time;
- a revocation that cannot reach the database is retried with backoff, never forgotten;
- a failing creation statement leaves no half-made user and no lease (MariaDB commits DDL as
  it goes, so this needs the rollback; OpenBao leaves the user behind there);
- no connection password appears in a response, the server log or the audit log.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from strongroom.clock import SystemClock
from strongroom.engines.database._context import DatabaseContext
from strongroom.engines.database._models import DatabaseConfig
from strongroom.policy.password import generate_default
from strongroom.storage import InmemStorage

pytestmark = pytest.mark.slow

PG_CREATE = (
    "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"
)
MY_CREATE = "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';"


def eventually(check: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@contextmanager
def unsealed(server: Any, keys: list[str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.address, timeout=15) as client:
        for key in keys:
            client.put("/v1/sys/unseal", json={"key": key})
        yield client


def initialise(server: Any) -> tuple[list[str], dict[str, str]]:
    with httpx.Client(base_url=server.address, timeout=15) as client:
        init = client.put("/v1/sys/init", json={"secret_shares": 1, "secret_threshold": 1})
        body = init.json()
        client.put("/v1/sys/unseal", json={"key": body["keys"][0]})
        return body["keys"], {"X-Vault-Token": body["root_token"]}


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 204), response.text
    return response.json() if response.status_code == 200 else {}


def pg_config(pg: Any, username: str | None = None, password: str | None = None) -> dict[str, Any]:
    return {
        "plugin_name": "postgresql-database-plugin",
        "connection_url": (
            "postgresql://{{username}}:{{password}}@127.0.0.1:"
            f"{pg.port}/{pg.database}?sslmode=disable"
        ),
        "username": username or pg.admin_user,
        "password": password or pg.admin_password,
        "allowed_roles": "*",
    }


def test_a_lease_that_ended_while_the_server_was_down_is_revoked_after_restart(
    server_factory: Any, postgres_server: Any
) -> None:
    server = server_factory()
    keys, root = initialise(server)
    with unsealed(server, []) as client:
        ok(client.post("/v1/sys/mounts/database", json={"type": "database"}, headers=root))
        ok(client.post("/v1/database/config/pg", json=pg_config(postgres_server), headers=root))
        ok(
            client.post(
                "/v1/database/roles/short",
                json={"db_name": "pg", "creation_statements": [PG_CREATE], "default_ttl": "3s"},
                headers=root,
            )
        )
        issued = ok(client.get("/v1/database/creds/short", headers=root))
    user = issued["data"]["username"]
    assert postgres_server.can_login(user, issued["data"]["password"])
    server.stop()
    time.sleep(4)  # the lease ends while no server runs
    assert postgres_server.user_exists(user)
    server.start()
    with unsealed(server, keys):
        eventually(lambda: not postgres_server.user_exists(user), what="revocation after restart")


def test_revocation_retries_until_the_database_answers(
    server_factory: Any, postgres_server: Any
) -> None:
    admin = "engine_admin_retry"
    postgres_server.execute(f"DROP ROLE IF EXISTS {admin}")
    postgres_server.execute(f"CREATE ROLE {admin} LOGIN CREATEROLE PASSWORD 'admin-pw'")
    server = server_factory()
    _, root = initialise(server)
    with unsealed(server, []) as client:
        ok(client.post("/v1/sys/mounts/database", json={"type": "database"}, headers=root))
        ok(
            client.post(
                "/v1/database/config/pg",
                json=pg_config(postgres_server, admin, "admin-pw"),
                headers=root,
            )
        )
        ok(
            client.post(
                "/v1/database/roles/short",
                json={"db_name": "pg", "creation_statements": [PG_CREATE], "default_ttl": "2s"},
                headers=root,
            )
        )
        issued = ok(client.get("/v1/database/creds/short", headers=root))
        user = issued["data"]["username"]
        # the engine's own login stops working: revocation at expiry must fail
        postgres_server.execute(f"ALTER ROLE {admin} NOLOGIN")
        postgres_server.execute(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{admin}'"
        )
        time.sleep(5)
        assert postgres_server.user_exists(user)
        lease = client.put(
            "/v1/sys/leases/lookup", json={"lease_id": issued["lease_id"]}, headers=root
        )
        assert lease.status_code == 200, "a lease that could not be revoked was forgotten"
        # the database comes back: a retry drops the user and forgets the lease
        postgres_server.execute(f"ALTER ROLE {admin} LOGIN")
        eventually(lambda: not postgres_server.user_exists(user), timeout=40, what="retry")
        eventually(
            lambda: (
                client.put(
                    "/v1/sys/leases/lookup", json={"lease_id": issued["lease_id"]}, headers=root
                ).status_code
                == 400
            ),
            what="lease forgotten after revocation",
        )


def test_a_failed_creation_leaves_no_user_and_no_lease(
    server_factory: Any, mariadb_server: Any, postgres_server: Any
) -> None:
    server = server_factory()
    _, root = initialise(server)
    my_url = "{{username}}:{{password}}@tcp(127.0.0.1:" + str(mariadb_server.port) + ")/"
    with unsealed(server, []) as client:
        ok(client.post("/v1/sys/mounts/database", json={"type": "database"}, headers=root))
        ok(
            client.post(
                "/v1/database/config/my",
                json={
                    "plugin_name": "mysql-database-plugin",
                    "connection_url": my_url,
                    "username": mariadb_server.admin_user,
                    "password": mariadb_server.admin_password,
                    "allowed_roles": "*",
                    "username_template": "halfmade-{{random 8}}",
                },
                headers=root,
            )
        )
        ok(client.post("/v1/database/config/pg", json=pg_config(postgres_server), headers=root))
        broken_grant = MY_CREATE + " GRANT SELEC ON *.* TO '{{name}}'@'%';"
        ok(
            client.post(
                "/v1/database/roles/my-broken",
                json={"db_name": "my", "creation_statements": [broken_grant]},
                headers=root,
            )
        )
        ok(
            client.post(
                "/v1/database/roles/pg-broken",
                json={
                    "db_name": "pg",
                    "creation_statements": [PG_CREATE, 'GRANT nosuchrole TO "{{name}}";'],
                },
                headers=root,
            )
        )
        before_pg = postgres_server.users_like("v-%")
        for role in ("my-broken", "pg-broken"):
            failed = client.get(f"/v1/database/creds/{role}", headers=root)
            assert failed.status_code == 502, failed.text
            assert failed.json()["errors"][0].startswith("failed to create user: ")
        assert mariadb_server.users_like("halfmade-%") == []
        assert postgres_server.users_like("v-%") == before_pg
        for role in ("my-broken", "pg-broken"):
            listed = client.request(
                "LIST", f"/v1/sys/leases/lookup/database/creds/{role}/", headers=root
            )
            assert listed.status_code == 404, listed.text


def test_no_connection_password_in_responses_logs_or_audit(
    server_factory: Any, postgres_server: Any, tmp_path: Path
) -> None:
    audit_log = tmp_path / "audit.log"
    server = server_factory(
        top_extra=f'audit "file" "file/" {{\n  options {{\n    file_path = "{audit_log}"\n  }}\n}}'
    )
    _, root = initialise(server)
    with unsealed(server, []) as client:
        ok(client.post("/v1/sys/mounts/database", json={"type": "database"}, headers=root))
        ok(client.post("/v1/database/config/pg", json=pg_config(postgres_server), headers=root))
        ok(
            client.post(
                "/v1/database/roles/app",
                json={"db_name": "pg", "creation_statements": [PG_CREATE]},
                headers=root,
            )
        )
        issued = ok(client.get("/v1/database/creds/app", headers=root))
        read = client.get("/v1/database/config/pg", headers=root).text
        bad = client.post(
            "/v1/database/config/bad",
            json={**pg_config(postgres_server), "password": "not-the-password-1234"},
            headers=root,
        )
        assert bad.status_code == 400
        ok(client.put("/v1/sys/leases/revoke-prefix/database/creds/app", headers=root))
    secrets_shown = [
        postgres_server.admin_password,
        issued["data"]["password"],
        "not-the-password-1234",
    ]
    for text, where in (
        (read, "config read"),
        (bad.text, "error"),
        (server.log, "server log"),
        (audit_log.read_text(), "audit log"),
    ):
        for secret in secrets_shown:
            assert secret not in text, f"a password appears in the {where}"


async def test_an_interrupted_root_rotation_keeps_the_password_the_database_took(
    postgres_server: Any,
) -> None:
    """A crash between storing the pending root password and storing the result: the next
    connection tries both and keeps the one PostgreSQL accepts."""
    admin = "engine_admin_pending"
    postgres_server.execute(f"DROP ROLE IF EXISTS {admin}")
    postgres_server.execute(f"CREATE ROLE {admin} LOGIN CREATEROLE PASSWORD 'new-root-pw'")
    details = pg_config(postgres_server, admin, "old-root-pw")
    del details["plugin_name"], details["allowed_roles"]

    async def generate(_: str) -> str:
        return generate_default()

    storage = InmemStorage()
    ctx = DatabaseContext(
        clock=SystemClock(), generate_password=generate, mount_ttls=lambda: (60, 60)
    )
    interrupted = DatabaseConfig(
        plugin_name="postgresql-database-plugin",
        connection_details=details,
        pending_root_password="new-root-pw",
    )
    await ctx.put_config(storage, "pg", interrupted)
    config, plugin = await ctx.connection(storage, "pg")
    try:
        await plugin.verify()
        assert config.connection_details["password"] == "new-root-pw"
        stored = await ctx.config(storage, "pg")
        assert stored is not None and stored.pending_root_password == ""
        assert stored.connection_details["password"] == "new-root-pw"
    finally:
        await ctx.close_all()
