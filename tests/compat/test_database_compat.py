"""The database secrets engine driven by the real `bao` CLI, against Strongroom and against
OpenBao, each talking to a real PostgreSQL and a real MariaDB started on loopback.

A scenario that passes on both encodes OpenBao's behaviour: users that exist only while their
lease does, renewal, revocation (one lease and by prefix), expiry by itself, static accounts
rotated on demand and on schedule, and root rotation.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.compat.conftest import DevTarget

pytestmark = [pytest.mark.compat, pytest.mark.slow]

PG_CREATE = (
    "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"
)
MY_CREATE = (
    "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';"
    " GRANT SELECT ON *.* TO '{{name}}'@'%';"
)


def eventually(check: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _suffix() -> str:
    return secrets.token_hex(3)


def configure_pg(target: DevTarget, pg: Any, name: str = "pg", *extra: str) -> None:
    target.ok("secrets", "enable", "database")
    target.ok(
        "write",
        f"database/config/{name}",
        "plugin_name=postgresql-database-plugin",
        f"connection_url=postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{pg.port}/{pg.database}?sslmode=disable",
        f"username={pg.admin_user}",
        f"password={pg.admin_password}",
        "allowed_roles=*",
        *extra,
    )


def configure_my(target: DevTarget, my: Any, name: str = "my") -> None:
    target.ok("secrets", "enable", "database")
    target.ok(
        "write",
        f"database/config/{name}",
        "plugin_name=mysql-database-plugin",
        f"connection_url={{{{username}}}}:{{{{password}}}}@tcp(127.0.0.1:{my.port})/",
        f"username={my.admin_user}",
        f"password={my.admin_password}",
        "allowed_roles=*",
    )


def creds(target: DevTarget, role: str) -> dict[str, Any]:
    out: dict[str, Any] = target.json("read", f"database/creds/{role}")
    return out


def test_postgresql_dynamic_user_lives_as_long_as_its_lease(
    dev_target: DevTarget, postgres_server: Any
) -> None:
    configure_pg(dev_target, postgres_server)
    role = "app" + _suffix()
    dev_target.ok(
        "write",
        f"database/roles/{role}",
        "db_name=pg",
        f"creation_statements={PG_CREATE}",
        "default_ttl=1h",
        "max_ttl=24h",
    )
    first = creds(dev_target, role)
    user, password = first["data"]["username"], first["data"]["password"]
    assert first["lease_id"].startswith(f"database/creds/{role}/")
    assert first["lease_duration"] == 3600 and first["renewable"] is True
    assert postgres_server.can_login(user, password)
    assert not postgres_server.can_login(user, password + "x")

    # renew: the lease and the role's VALID UNTIL both move out
    before = postgres_server.valid_until(user)
    renewed = dev_target.json("lease renew", "-increment=2h", first["lease_id"])
    assert renewed["lease_duration"] == 7200
    assert postgres_server.valid_until(user) > before

    # revoke one lease: that user is dropped, others are not
    second = creds(dev_target, role)
    dev_target.ok("lease", "revoke", first["lease_id"])
    eventually(lambda: not postgres_server.user_exists(user), what="revoked user dropped")
    assert postgres_server.user_exists(second["data"]["username"])

    # revoke by prefix drops the rest
    third = creds(dev_target, role)
    dev_target.ok("lease", "revoke", "-prefix", f"database/creds/{role}")
    for issued in (second, third):
        eventually(
            lambda issued=issued: not postgres_server.user_exists(issued["data"]["username"]),
            what="prefix-revoked users dropped",
        )


def test_postgresql_short_lease_drops_the_user_by_itself(
    dev_target: DevTarget, postgres_server: Any
) -> None:
    configure_pg(dev_target, postgres_server)
    dev_target.ok(
        "write",
        "database/roles/short",
        "db_name=pg",
        f"creation_statements={PG_CREATE}",
        "default_ttl=3s",
    )
    issued = creds(dev_target, "short")
    assert issued["lease_duration"] == 3
    user = issued["data"]["username"]
    assert postgres_server.can_login(user, issued["data"]["password"])
    eventually(lambda: not postgres_server.user_exists(user), timeout=20, what="expiry")


def test_mariadb_dynamic_user_lifecycle(dev_target: DevTarget, mariadb_server: Any) -> None:
    configure_my(dev_target, mariadb_server)
    dev_target.ok(
        "write",
        "database/roles/app",
        "db_name=my",
        f"creation_statements={MY_CREATE}",
        "default_ttl=1h",
    )
    first = creds(dev_target, "app")
    user, password = first["data"]["username"], first["data"]["password"]
    assert len(user) <= 32
    assert mariadb_server.can_login(user, password)
    renewed = dev_target.json("lease renew", "-increment=2h", first["lease_id"])
    assert renewed["lease_duration"] == 7200
    dev_target.ok("lease", "revoke", first["lease_id"])
    eventually(lambda: not mariadb_server.user_exists(user), what="revoked user dropped")

    dev_target.ok(
        "write",
        "database/roles/short",
        "db_name=my",
        f"creation_statements={MY_CREATE}",
        "default_ttl=3s",
    )
    short = creds(dev_target, "short")
    assert mariadb_server.can_login(short["data"]["username"], short["data"]["password"])
    eventually(
        lambda: not mariadb_server.user_exists(short["data"]["username"]), timeout=20, what="expiry"
    )


def test_postgresql_static_role_rotates_on_demand_and_on_schedule(
    dev_target: DevTarget, postgres_server: Any
) -> None:
    account = "static_" + _suffix()
    postgres_server.execute(f"CREATE ROLE {account} LOGIN PASSWORD 'initial-password'")
    configure_pg(dev_target, postgres_server)
    dev_target.ok(
        "write",
        "database/static-roles/st",
        "db_name=pg",
        f"username={account}",
        "rotation_period=1h",
    )
    role = dev_target.json("read", "database/static-roles/st")["data"]
    assert role["username"] == account and role["rotation_period"] == 3600
    first = dev_target.json("read", "database/static-creds/st")["data"]
    assert first["username"] == account
    assert 3590 <= first["ttl"] <= 3600
    assert not postgres_server.can_login(account, "initial-password")
    assert postgres_server.can_login(account, first["password"])

    dev_target.ok("write", "-f", "database/rotate-role/st")
    second = dev_target.json("read", "database/static-creds/st")["data"]
    assert second["password"] != first["password"]
    assert second["last_vault_rotation"] != first["last_vault_rotation"]
    assert postgres_server.can_login(account, second["password"])
    assert not postgres_server.can_login(account, first["password"])

    # on schedule: a 5 s period changes the password by itself
    # (OpenBao wants the username repeated on every update)
    dev_target.ok("write", "database/static-roles/st", f"username={account}", "rotation_period=5s")
    eventually(
        lambda: (
            dev_target.json("read", "database/static-creds/st")["data"]["password"]
            != second["password"]
        ),
        timeout=20,
        what="scheduled rotation",
    )
    third = dev_target.json("read", "database/static-creds/st")["data"]
    assert postgres_server.can_login(account, third["password"])


def test_mariadb_static_role_rotation(dev_target: DevTarget, mariadb_server: Any) -> None:
    account = "static_" + _suffix()
    mariadb_server.execute(f"CREATE USER '{account}'@'%' IDENTIFIED BY 'initial-password'")
    configure_my(dev_target, mariadb_server)
    dev_target.ok(
        "write",
        "database/static-roles/st",
        "db_name=my",
        f"username={account}",
        "rotation_period=1h",
    )
    first = dev_target.json("read", "database/static-creds/st")["data"]
    assert mariadb_server.can_login(account, first["password"])
    assert not mariadb_server.can_login(account, "initial-password")
    dev_target.ok("write", "-f", "database/rotate-role/st")
    second = dev_target.json("read", "database/static-creds/st")["data"]
    assert mariadb_server.can_login(account, second["password"])
    assert not mariadb_server.can_login(account, first["password"])


def test_rotate_root_leaves_only_the_server_knowing_the_password(
    dev_target: DevTarget, postgres_server: Any
) -> None:
    root = "root_" + _suffix()
    postgres_server.execute(f"CREATE ROLE {root} LOGIN CREATEROLE PASSWORD 'root-initial'")
    dev_target.ok("secrets", "enable", "database")
    dev_target.ok(
        "write",
        "database/config/owned",
        "plugin_name=postgresql-database-plugin",
        f"connection_url=postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{postgres_server.port}/{postgres_server.database}?sslmode=disable",
        f"username={root}",
        "password=root-initial",
        "allowed_roles=app",
    )
    assert postgres_server.can_login(root, "root-initial")
    dev_target.ok("write", "-f", "database/rotate-root/owned")
    assert not postgres_server.can_login(root, "root-initial")
    # the new root password works: the engine can still create users
    dev_target.ok(
        "write", "database/roles/app", "db_name=owned", f"creation_statements={PG_CREATE}"
    )
    issued = creds(dev_target, "app")
    assert postgres_server.can_login(issued["data"]["username"], issued["data"]["password"])
    config = dev_target.json("read", "database/config/owned")["data"]
    assert "password" not in config["connection_details"]
    dev_target.ok("lease", "revoke", "-prefix", "database/creds/app")


def test_config_read_and_list_show_no_password(dev_target: DevTarget, postgres_server: Any) -> None:
    configure_pg(dev_target, postgres_server, "pg", "max_open_connections=7")
    config = dev_target.json("read", "database/config/pg")["data"]
    assert config["plugin_name"] == "postgresql-database-plugin"
    assert config["allowed_roles"] == ["*"]
    details = config["connection_details"]
    assert details["username"] == postgres_server.admin_user
    assert str(details["max_open_connections"]) == "7"  # echoed as sent (the CLI sends text)
    assert "password" not in details
    assert postgres_server.admin_password not in json.dumps(config)
    assert dev_target.json("list", "database/config") == ["pg"]


def test_bad_input_is_refused_and_creates_nothing(
    dev_target: DevTarget, postgres_server: Any
) -> None:
    dev_target.ok("secrets", "enable", "database")
    url = f"connection_url=postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{postgres_server.port}/{postgres_server.database}?sslmode=disable"
    # wrong root credentials: 400, nothing stored
    wrong = dev_target.bao(
        "write",
        "database/config/bad",
        "plugin_name=postgresql-database-plugin",
        url,
        f"username={postgres_server.admin_user}",
        "password=wrong",
    )
    assert wrong.returncode != 0 and "Code: 400" in wrong.stderr
    assert "error verifying connection" in wrong.stderr
    assert "wrong" not in wrong.stderr.replace("password=wrong", "")
    assert dev_target.bao("read", "database/config/bad").returncode != 0
    # unreachable database: 400
    unreachable = dev_target.bao(
        "write",
        "database/config/down",
        "plugin_name=postgresql-database-plugin",
        "connection_url=postgresql://{{username}}:{{password}}@127.0.0.1:1/x?sslmode=disable",
        "username=u",
        "password=p",
    )
    assert unreachable.returncode != 0 and "Code: 400" in unreachable.stderr
    # no plugin name
    empty = dev_target.bao("write", "database/config/none", url)
    assert "empty plugin name" in empty.stderr and "Code: 400" in empty.stderr
    # a role the connection does not allow
    configure_pg_allowed = dev_target.bao(
        "write",
        "database/config/pg",
        "plugin_name=postgresql-database-plugin",
        url,
        f"username={postgres_server.admin_user}",
        f"password={postgres_server.admin_password}",
        "allowed_roles=other",
    )
    assert configure_pg_allowed.returncode == 0, configure_pg_allowed.stderr
    dev_target.ok("write", "database/roles/app", "db_name=pg", f"creation_statements={PG_CREATE}")
    refused = dev_target.bao("read", "database/creds/app")
    assert refused.returncode != 0 and '"app" is not an allowed role' in refused.stderr
    # unknown role
    unknown = dev_target.bao("read", "database/creds/nosuch")
    assert "unknown role: nosuch" in unknown.stderr and "Code: 400" in unknown.stderr
    # role without db_name; static role below 5 s
    assert (
        "database name is required"
        in dev_target.bao("write", "database/roles/x", f"creation_statements={PG_CREATE}").stderr
    )
    assert (
        "rotation_period must be 5 seconds or more"
        in dev_target.bao(
            "write", "database/static-roles/s", "db_name=pg", "username=u", "rotation_period=2s"
        ).stderr
    )
    # a role and a static role cannot share a name
    assert (
        "Role and Static Role names must be unique"
        in dev_target.bao(
            "write", "database/static-roles/app", "db_name=pg", "username=u", "rotation_period=1h"
        ).stderr
    )
    assert dev_target.json("list", "database/roles") == ["app"]
    # no lease was created by any of the failures
    leases = dev_target.bao("list", "sys/leases/lookup/database/creds/app")
    assert leases.returncode != 0 or leases.stdout.strip() in ("", "Keys\n----")


def test_revoking_the_token_revokes_the_users_it_leased(
    dev_target: DevTarget, postgres_server: Any
) -> None:
    configure_pg(dev_target, postgres_server)
    dev_target.ok("write", "database/roles/app", "db_name=pg", f"creation_statements={PG_CREATE}")
    dev_target.ok(
        "policy",
        "write",
        "db-app",
        "-",
        stdin=(
            'path "database/creds/app" { capabilities = ["read"] }\n'
            'path "auth/token/create" { capabilities = ["update"] }'
        ),
    )
    parent = dev_target.json("token create", "-policy=db-app")["auth"]["client_token"]
    child = dev_target.json("token create", "-policy=db-app", token=parent)["auth"]["client_token"]
    mine = dev_target.json("read", "database/creds/app", token=parent)["data"]["username"]
    childs = dev_target.json("read", "database/creds/app", token=child)["data"]["username"]
    other = creds(dev_target, "app")["data"]["username"]  # leased by the root token
    assert postgres_server.user_exists(mine) and postgres_server.user_exists(childs)
    # revoking the parent revokes its child token, and both tokens' leases
    dev_target.ok("token", "revoke", parent)
    for user in (mine, childs):
        eventually(
            lambda user=user: not postgres_server.user_exists(user), what="token's users dropped"
        )
    assert postgres_server.user_exists(other)


def test_moving_the_mount_revokes_its_leases(dev_target: DevTarget, postgres_server: Any) -> None:
    configure_pg(dev_target, postgres_server)
    dev_target.ok("write", "database/roles/app", "db_name=pg", f"creation_statements={PG_CREATE}")
    user = creds(dev_target, "app")["data"]["username"]
    assert postgres_server.user_exists(user)
    dev_target.ok("secrets", "move", "database/", "db2/")
    eventually(lambda: not postgres_server.user_exists(user), what="moved mount's user dropped")
    # the configuration moved with the mount and still works
    issued = dev_target.json("read", "db2/creds/app")
    assert issued["lease_id"].startswith("db2/creds/app/")
    assert postgres_server.can_login(issued["data"]["username"], issued["data"]["password"])
