"""The database secrets engine driven by hvac 2.4.0 (`client.secrets.database`, and `client.sys`
for leases), against Strongroom and against OpenBao 2.7.2 (the `dev_target` fixture runs each
test on both), each talking to the real PostgreSQL and MariaDB servers of tests/dbservers.py.

hvac returns a dict for a 200 with a JSON body and the `requests.Response` for a 204; it raises
by status: InvalidRequest (400), InvalidPath (404), InternalServerError (500), BadGateway (502).

Bad input: where OpenBao answers 4xx, hvac must raise the same class on both servers. Where
OpenBao answers 500 (its handler returns a plain error rather than an error response, which
OpenBao turns into a 500) Strongroom answers 400, so hvac raises InternalServerError on one and
InvalidRequest on the other (`bad_input_error`); the text must still be the same. OpenBao wraps
a 500's text in Go's multierror ("1 error occurred:\\n\\t* ..."), so texts are compared with `in`.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

import hvac
import pytest
from hvac import exceptions

from tests.compat.conftest import ROOT, DevTarget

pytestmark = [pytest.mark.compat, pytest.mark.slow]

JSON = dict[str, Any]

PG_PLUGIN = "postgresql-database-plugin"
MY_PLUGIN = "mysql-database-plugin"
PG_CREATE = (
    "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"
)
MY_CREATE = (
    "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';"
    " GRANT SELECT ON *.* TO '{{name}}'@'%';"
)
WARN_PASSWORD_IN_URL = (
    "Password found in connection_url, use a templated url to enable root rotation and "
    "prevent read access to password information."
)
# only lowercase letters, 30 of them
LOWER_30 = 'length = 30\nrule "charset" {\n  charset = "abcdefghijklmnopqrstuvwxyz"\n}\n'


# -- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture
def client(dev_target: DevTarget) -> Iterator[hvac.Client]:
    """A root hvac client with the `database` engine mounted at `database/`."""
    made = hvac.Client(url=dev_target.address, token=ROOT)
    made.sys.enable_secrets_engine("database")
    yield made
    made.adapter.close()


@pytest.fixture
def db(client: hvac.Client) -> Any:
    """hvac's `Database` API (`client.secrets.database`)."""
    return client.secrets.database


def bad_input_error(target: DevTarget) -> type[exceptions.VaultError]:
    """What hvac raises for bad input that OpenBao answers with a 500 and Strongroom (by
    design) with a 400."""
    error: type[exceptions.VaultError] = (
        exceptions.InternalServerError if target.name == "openbao" else exceptions.InvalidRequest
    )
    return error


def text(caught: pytest.ExceptionInfo[exceptions.VaultError]) -> str:
    return "\n".join(caught.value.errors or [])


def eventually(check: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    """Poll `check` (OpenBao revokes asynchronously after answering)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def dropped(server: Any, user: str) -> Callable[[], bool]:
    return lambda: not server.user_exists(user)


def _suffix() -> str:
    return secrets.token_hex(3)


def configure_pg(db: Any, pg: Any, name: str = "pg", **extra: Any) -> Any:
    return db.configure(
        name,
        PG_PLUGIN,
        allowed_roles=extra.pop("allowed_roles", ["*"]),
        connection_url=pg.template_url(),
        username=pg.admin_user,
        password=pg.admin_password,
        **extra,
    )


def configure_my(db: Any, my: Any, name: str = "my", **extra: Any) -> Any:
    return db.configure(
        name,
        MY_PLUGIN,
        allowed_roles=extra.pop("allowed_roles", ["*"]),
        connection_url=my.template_url(),
        username=my.admin_user,
        password=my.admin_password,
        **extra,
    )


def pg_root(pg: Any) -> str:
    """A dedicated PostgreSQL admin (password `root-initial`) to hand to the engine, so that
    rotating it never touches the fixture's admin."""
    name = "root_" + _suffix()
    pg.execute(f"CREATE ROLE {name} LOGIN CREATEROLE PASSWORD 'root-initial'")
    return name


# -- connections ------------------------------------------------------------------------------


def test_configure_read_list_and_delete_connections(db: Any, postgres_server: Any) -> None:
    pg = postgres_server
    written = configure_pg(db, pg, max_open_connections=5)
    assert written.status_code == 204

    config = db.read_connection("pg")["data"]
    assert config == {
        "allowed_roles": ["*"],
        "connection_details": {
            "connection_url": pg.template_url(),
            "username": pg.admin_user,
            "max_open_connections": 5,
        },
        "password_policy": "",
        "plugin_name": PG_PLUGIN,
        "plugin_version": "",
        "root_credentials_rotate_statements": [],
    }

    # a second connection, stored without connecting
    down = db.configure(
        "down",
        PG_PLUGIN,
        verify_connection=False,
        connection_url="postgresql://{{username}}:{{password}}@127.0.0.1:1/x?sslmode=disable",
        username="u",
        password="p-not-checked",
    )
    assert down.status_code == 204
    assert db.list_connections()["data"]["keys"] == ["down", "pg"]

    assert db.delete_connection("down").status_code == 204
    assert db.delete_connection("down").status_code == 204  # deleting again is no error
    with pytest.raises(exceptions.InvalidPath):
        db.read_connection("down")
    assert db.list_connections()["data"]["keys"] == ["pg"]


def test_update_changes_only_named_keys_and_reset_keeps_working(
    db: Any, client: hvac.Client, postgres_server: Any
) -> None:
    pg = postgres_server
    configure_pg(db, pg)
    # hvac always sends plugin_name; nothing else but allowed_roles changes
    assert db.configure("pg", PG_PLUGIN, allowed_roles=["app", "ro-*"]).status_code == 204
    config = db.read_connection("pg")["data"]
    assert config["allowed_roles"] == ["app", "ro-*"]
    assert config["connection_details"] == {
        "connection_url": pg.template_url(),
        "username": pg.admin_user,
    }

    assert db.reset_connection("pg").status_code == 204
    assert db.read_connection("pg")["data"] == config
    db.create_role("ro-reader", "pg", [PG_CREATE])  # allowed by the glob
    issued = db.generate_credentials("ro-reader")
    assert pg.can_login(issued["data"]["username"], issued["data"]["password"])
    client.sys.revoke_lease(issued["lease_id"])


def test_literal_password_in_url_is_masked_and_warned(db: Any, postgres_server: Any) -> None:
    pg = postgres_server
    written = db.configure("lit", PG_PLUGIN, allowed_roles=["*"], connection_url=pg.url())
    assert isinstance(written, dict)
    # OpenBao adds a second warning, "Endpoint ignored these unrecognized parameters:
    # [connection_url]" (wrong: the plugin does use it); Strongroom does not.
    assert WARN_PASSWORD_IN_URL in written["warnings"]
    details = db.read_connection("lit")["data"]["connection_details"]
    assert details == {
        "connection_url": pg.url().replace(pg.admin_password, "xxxxx"),
    }
    assert pg.admin_password not in details["connection_url"]


# -- dynamic roles and their leased users -----------------------------------------------------


def test_dynamic_role_crud(db: Any, postgres_server: Any) -> None:
    configure_pg(db, postgres_server)
    revoke = 'DROP ROLE IF EXISTS "{{name}}";'
    renew = "ALTER ROLE \"{{name}}\" VALID UNTIL '{{expiration}}';"
    created = db.create_role(
        "app",
        "pg",
        [PG_CREATE],
        default_ttl=3600,
        max_ttl=86400,
        revocation_statements=[revoke],
        rollback_statements=[revoke],
        renew_statements=[renew],
    )
    assert created.status_code == 204
    assert db.read_role("app")["data"] == {
        "creation_statements": [PG_CREATE],
        "credential_type": "password",
        "db_name": "pg",
        "default_ttl": 3600,
        "max_ttl": 86400,
        "renew_statements": [renew],
        "revocation_statements": [revoke],
        "rollback_statements": [revoke],
    }
    # durations as strings
    db.create_role("web", "pg", [PG_CREATE], default_ttl="1h", max_ttl="24h")
    web = db.read_role("web")["data"]
    assert (web["default_ttl"], web["max_ttl"]) == (3600, 86400)
    assert web["revocation_statements"] == []
    assert db.list_roles()["data"]["keys"] == ["app", "web"]

    assert db.delete_role("app").status_code == 204
    assert db.delete_role("app").status_code == 204
    with pytest.raises(exceptions.InvalidPath):
        db.read_role("app")
    assert db.list_roles()["data"]["keys"] == ["web"]


def test_postgresql_credentials_renew_and_revoke(
    db: Any, client: hvac.Client, postgres_server: Any
) -> None:
    pg = postgres_server
    configure_pg(db, pg)
    role = "app" + _suffix()
    db.create_role(role, "pg", [PG_CREATE], default_ttl=3600, max_ttl=86400)

    first = db.generate_credentials(role)
    user, password = first["data"]["username"], first["data"]["password"]
    assert first["lease_id"].startswith(f"database/creds/{role}/")
    assert (first["lease_duration"], first["renewable"]) == (3600, True)
    assert sorted(first["data"]) == ["password", "username"]
    assert pg.can_login(user, password)
    assert not pg.can_login(user, password + "x")

    before = pg.valid_until(user)
    renewed = client.sys.renew_lease(first["lease_id"], increment=7200)
    assert renewed["lease_id"] == first["lease_id"]
    assert (renewed["lease_duration"], renewed["renewable"]) == (7200, True)
    assert pg.valid_until(user) > before
    lease = client.sys.read_lease(first["lease_id"])["data"]
    assert lease["id"] == first["lease_id"] and 7190 <= lease["ttl"] <= 7200

    # revoke one lease: that user is dropped, the others are not
    second = db.generate_credentials(role)
    assert client.sys.revoke_lease(first["lease_id"]).status_code == 204
    eventually(dropped(pg, user), what="revoked user dropped")
    assert pg.can_login(second["data"]["username"], second["data"]["password"])

    # revoke by prefix drops the rest, and no lease is left
    third = db.generate_credentials(role)
    assert client.sys.revoke_prefix(f"database/creds/{role}").status_code == 204
    for issued in (second, third):
        eventually(dropped(pg, issued["data"]["username"]), what="prefix-revoked user dropped")
    with pytest.raises(exceptions.InvalidPath):
        client.sys.list_leases(f"database/creds/{role}")


def test_mariadb_credentials_renew_and_revoke(
    db: Any, client: hvac.Client, mariadb_server: Any
) -> None:
    my = mariadb_server
    configure_my(db, my)
    role = "app" + _suffix()
    db.create_role(role, "my", [MY_CREATE], default_ttl=3600)

    first = db.generate_credentials(role)
    user = first["data"]["username"]
    assert len(user) <= 32  # the mysql plugin's default template fits MySQL's limit
    assert first["lease_duration"] == 3600
    assert my.can_login(user, first["data"]["password"])
    assert client.sys.renew_lease(first["lease_id"], increment=7200)["lease_duration"] == 7200

    second = db.generate_credentials(role)
    client.sys.revoke_lease(first["lease_id"])
    eventually(dropped(my, user), what="revoked user dropped")
    assert my.user_exists(second["data"]["username"])
    client.sys.revoke_prefix(f"database/creds/{role}")
    eventually(dropped(my, second["data"]["username"]), what="prefix revoke")


def test_role_statements_are_used_and_outlive_the_role(
    db: Any, client: hvac.Client, postgres_server: Any
) -> None:
    """Custom renew and revocation statements run instead of the plugin's; a lease whose role
    is deleted can no longer renew, but still revokes with the statements it was issued with."""
    pg = postgres_server
    configure_pg(db, pg)
    role = "keep" + _suffix()
    db.create_role(
        role,
        "pg",
        [PG_CREATE],
        renew_statements=[
            "ALTER ROLE \"{{name}}\" VALID UNTIL '{{expiration}}' CONNECTION LIMIT 3;"
        ],
        revocation_statements=['ALTER ROLE "{{name}}" NOLOGIN;'],  # keeps the role
    )
    issued = db.generate_credentials(role)
    user, password = issued["data"]["username"], issued["data"]["password"]
    limit = "SELECT rolconnlimit FROM pg_roles WHERE rolname = %s"
    assert pg.execute(limit, (user,)) == [(-1,)]
    client.sys.renew_lease(issued["lease_id"], increment=600)
    assert pg.execute(limit, (user,)) == [(3,)]

    db.delete_role(role)
    # OpenBao prefixes "failed to renew entry: resp: (*logical.Response)(nil) err: " (its
    # expiration manager's wrapping); both say the rest.
    with pytest.raises(exceptions.InvalidRequest) as caught:
        client.sys.renew_lease(issued["lease_id"])
    assert f'error during renew: could not find role with name "{role}"' in text(caught)

    client.sys.revoke_lease(issued["lease_id"])
    eventually(lambda: not pg.can_login(user, password), what="revocation statements ran")
    assert pg.user_exists(user)  # NOLOGIN, not the default DROP ROLE
    pg.execute(f'DROP ROLE "{user}"')


def test_issued_ttl_is_capped_by_the_role_max_ttl_with_a_warning(
    db: Any, client: hvac.Client, postgres_server: Any
) -> None:
    configure_pg(db, postgres_server)
    db.create_role("capped", "pg", [PG_CREATE], default_ttl=7200, max_ttl=3600)
    issued = db.generate_credentials("capped")
    client.sys.revoke_lease(issued["lease_id"])
    assert issued["lease_duration"] == 3600
    assert issued["warnings"] == [
        'TTL of "2h" exceeded the effective max_ttl of "1h"; TTL value is capped accordingly'
    ]


def test_renewal_past_the_max_ttl_is_capped_with_a_warning(
    db: Any, client: hvac.Client, postgres_server: Any
) -> None:
    configure_pg(db, postgres_server)
    db.create_role("app", "pg", [PG_CREATE], default_ttl=3600, max_ttl=86400)
    issued = db.generate_credentials("app")
    renewed = client.sys.renew_lease(issued["lease_id"], increment=1_000_000)
    client.sys.revoke_lease(issued["lease_id"])
    # what is left of the 24 h from issue (OpenBao counts in whole seconds)
    assert 86390 <= renewed["lease_duration"] <= 86400
    [warning] = renewed["warnings"] or [""]
    assert warning.startswith('TTL of "277h46m40s" exceeded the effective max_ttl of "')
    assert warning.endswith('"; TTL value is capped accordingly')


# -- static roles -----------------------------------------------------------------------------


def test_postgresql_static_role_lifecycle(db: Any, postgres_server: Any) -> None:
    pg = postgres_server
    account = "static_" + _suffix()
    pg.execute(f"CREATE ROLE {account} LOGIN PASSWORD 'initial-password'")
    configure_pg(db, pg)

    # hvac always sends rotation_statements; an empty list means the plugin's default
    assert db.create_static_role("st", "pg", account, [], rotation_period=3600).status_code == 204
    role = db.read_static_role("st")["data"]
    stamp = role.pop("last_vault_rotation")
    assert role == {
        "credential_type": "password",
        "db_name": "pg",
        "rotation_period": 3600,
        "rotation_statements": [],
        "username": account,
    }
    assert db.list_static_roles()["data"]["keys"] == ["st"]

    first = db.get_static_credentials("st")["data"]
    assert (first["username"], first["rotation_period"]) == (account, 3600)
    assert first["last_vault_rotation"] == stamp
    assert 3590 <= first["ttl"] <= 3600
    assert not pg.can_login(account, "initial-password")  # set when the role was created
    assert pg.can_login(account, first["password"])

    assert db.rotate_static_role_credentials("st").status_code == 204
    second = db.get_static_credentials("st")["data"]
    assert second["password"] != first["password"]
    assert second["last_vault_rotation"] != first["last_vault_rotation"]
    assert pg.can_login(account, second["password"])
    assert not pg.can_login(account, first["password"])

    # an update (hvac repeats the username) changes the period, not the password
    db.create_static_role("st", "pg", account, [], rotation_period="2h")
    assert db.read_static_role("st")["data"]["rotation_period"] == 7200
    assert db.get_static_credentials("st")["data"]["password"] == second["password"]

    # deleting the role leaves the account as it is
    assert db.delete_static_role("st").status_code == 204
    assert db.delete_static_role("st").status_code == 204
    with pytest.raises(exceptions.InvalidPath):
        db.read_static_role("st")
    assert pg.can_login(account, second["password"])


def test_mariadb_static_role_with_rotation_statements(db: Any, mariadb_server: Any) -> None:
    my = mariadb_server
    account = "static_" + _suffix()
    my.execute(f"CREATE USER '{account}'@'%' IDENTIFIED BY 'initial-password'")
    configure_my(db, my)
    statement = "ALTER USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';"
    db.create_static_role("st", "my", account, [statement], rotation_period=3600)
    assert db.read_static_role("st")["data"]["rotation_statements"] == [statement]

    first = db.get_static_credentials("st")["data"]
    assert my.can_login(account, first["password"])
    assert not my.can_login(account, "initial-password")
    db.rotate_static_role_credentials("st")
    second = db.get_static_credentials("st")["data"]
    assert my.can_login(account, second["password"])
    assert not my.can_login(account, first["password"])
    db.delete_static_role("st")
    with pytest.raises(exceptions.InvalidPath):
        db.read_static_role("st")


# -- root rotation ----------------------------------------------------------------------------


def test_postgresql_rotate_root_credentials(
    db: Any, client: hvac.Client, postgres_server: Any
) -> None:
    pg = postgres_server
    root = pg_root(pg)
    db.configure(
        "owned",
        PG_PLUGIN,
        allowed_roles=["app"],
        connection_url=pg.template_url(),
        username=root,
        password="root-initial",
    )
    assert db.rotate_root_credentials("owned").status_code == 204
    assert not pg.can_login(root, "root-initial")
    config = db.read_connection("owned")
    assert config["data"]["connection_details"]["username"] == root
    assert "password" not in config["data"]["connection_details"]

    # the engine uses the new password, also after a reset and a second rotation
    db.create_role("app", "owned", [PG_CREATE])
    for step in ("rotated", "reset", "rotated again"):
        if step == "reset":
            assert db.reset_connection("owned").status_code == 204
        elif step == "rotated again":
            db.rotate_root_credentials("owned")
        issued = db.generate_credentials("app")
        assert pg.can_login(issued["data"]["username"], issued["data"]["password"]), step
    client.sys.revoke_prefix("database/creds/app")


def test_mariadb_rotate_root_credentials_with_statements(
    db: Any, client: hvac.Client, mariadb_server: Any
) -> None:
    my = mariadb_server
    root = "root_" + _suffix()
    my.execute(f"CREATE USER '{root}'@'%' IDENTIFIED BY 'root-initial'")
    my.execute(f"GRANT ALL PRIVILEGES ON *.* TO '{root}'@'%' WITH GRANT OPTION")
    statement = "ALTER USER '{{username}}'@'%' IDENTIFIED BY '{{password}}';"
    db.configure(
        "owned",
        MY_PLUGIN,
        allowed_roles=["app"],
        root_rotation_statements=[statement],
        connection_url=my.template_url(),
        username=root,
        password="root-initial",
    )
    assert db.read_connection("owned")["data"]["root_credentials_rotate_statements"] == [statement]
    db.rotate_root_credentials("owned")
    assert not my.can_login(root, "root-initial")
    db.create_role("app", "owned", [MY_CREATE])
    issued = db.generate_credentials("app")
    assert my.can_login(issued["data"]["username"], issued["data"]["password"])
    client.sys.revoke_prefix("database/creds/app")


# -- password policies ------------------------------------------------------------------------


def test_password_policy_shapes_generated_passwords(
    db: Any, client: hvac.Client, postgres_server: Any
) -> None:
    pg = postgres_server
    # hvac 2.4.0 has no password policy helper (no sys.create_or_update_password_policy)
    client.write_data("sys/policies/password/lower", data={"policy": LOWER_30})
    configure_pg(db, pg, password_policy="lower")
    assert db.read_connection("pg")["data"]["password_policy"] == "lower"

    db.create_role("app", "pg", [PG_CREATE])
    issued = db.generate_credentials("app")
    assert re.fullmatch(r"[a-z]{30}", issued["data"]["password"])
    assert pg.can_login(issued["data"]["username"], issued["data"]["password"])
    client.sys.revoke_lease(issued["lease_id"])

    account = "static_" + _suffix()
    pg.execute(f"CREATE ROLE {account} LOGIN PASSWORD 'initial-password'")
    db.create_static_role("st", "pg", account, [], rotation_period=3600)
    db.rotate_static_role_credentials("st")
    static = db.get_static_credentials("st")["data"]["password"]
    assert re.fullmatch(r"[a-z]{30}", static)
    assert pg.can_login(account, static)


def test_missing_password_policy_refuses_credentials(
    db: Any, dev_target: DevTarget, postgres_server: Any
) -> None:
    pg = postgres_server
    # the policy is looked up only when a password is made
    configure_pg(db, pg, password_policy="nosuch-" + _suffix())
    db.create_role("app", "pg", [PG_CREATE])
    with pytest.raises(bad_input_error(dev_target)) as caught:
        db.generate_credentials("app")
    assert "failed to generate password: no password policy found" in text(caught)


# -- bad input --------------------------------------------------------------------------------


def test_bad_connection_configs_are_refused_and_not_stored(db: Any, postgres_server: Any) -> None:
    pg = postgres_server
    url = pg.template_url()
    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.configure(
            "bad", PG_PLUGIN, connection_url=url, username=pg.admin_user, password="x-wrong"
        )
    assert text(caught).startswith("error creating database object: error verifying connection: ")
    assert f'password authentication failed for user "{pg.admin_user}"' in text(caught)
    assert "x-wrong" not in text(caught)

    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.configure(
            "down",
            PG_PLUGIN,
            connection_url="postgresql://{{username}}:{{password}}@127.0.0.1:1/x?sslmode=disable",
            username="someone",
            password="not-used-anywhere",
        )
    assert text(caught).startswith("error creating database object: error verifying connection: ")
    assert "connection refused" in text(caught).lower()

    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.configure("none", "", connection_url=url)
    assert caught.value.errors == ["empty plugin name"]

    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.configure("unknown", "nosuch-database-plugin", connection_url=url)
    assert text(caught).startswith("error creating database object: invalid database version: ")
    assert "plugin not found in the catalog: nosuch-database-plugin" in text(caught)

    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.configure("nourl", PG_PLUGIN, username=pg.admin_user, password=pg.admin_password)
    assert caught.value.errors == ["error creating database object: connection_url cannot be empty"]

    with pytest.raises(exceptions.InvalidRequest) as caught:
        configure_pg(db, pg, "pool", max_open_connections="many")
    assert text(caught).startswith("error creating database object: ")
    assert "'max_open_connections' cannot parse value as 'int'" in text(caught)

    for name in ("bad", "down", "none", "unknown", "nourl", "pool"):
        with pytest.raises(exceptions.InvalidPath):
            db.read_connection(name)


def test_mariadb_wrong_root_password_is_refused(db: Any, mariadb_server: Any) -> None:
    my = mariadb_server
    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.configure(
            "my",
            MY_PLUGIN,
            connection_url=my.template_url(),
            username=my.admin_user,
            password="x-wrong",
        )
    # OpenBao's mysql plugin says "error verifying - ping: Error 1045 (28000): ...", Strongroom
    # "error verifying connection: Error 1045: ..." (reported)
    assert text(caught).startswith("error creating database object: error verifying")
    assert f"Access denied for user '{my.admin_user}'" in text(caught)
    with pytest.raises(exceptions.InvalidPath):
        db.read_connection("my")


def test_bad_roles_are_refused_and_not_stored(db: Any, postgres_server: Any) -> None:
    pg = postgres_server
    configure_pg(db, pg)
    db.create_role("good", "pg", [PG_CREATE])

    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.create_role("nodb", "", [PG_CREATE])
    assert caught.value.errors == ["database name is required"]

    # OpenBao's words, the value not repeated but for durations (roles/:name has an existence
    # check, whose errors carry no "Field validation failed" prefix).
    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.create_role("badttl", "pg", [PG_CREATE], default_ttl="abc")
    assert (
        text(caught)
        == 'error converting input for field "default_ttl": time: invalid duration "abc"'
    )

    account = "static_" + _suffix()
    pg.execute(f"CREATE ROLE {account} LOGIN PASSWORD 'initial-password'")
    db.create_static_role("st", "pg", account, [], rotation_period=3600)
    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.create_role("st", "pg", [PG_CREATE])
    assert caught.value.errors == ["Role and Static Role names must be unique"]

    for name in ("nodb", "badttl", "st"):
        with pytest.raises(exceptions.InvalidPath):
            db.read_role(name)
    assert db.list_roles()["data"]["keys"] == ["good"]


def test_negative_ttl_is_refused(db: Any, postgres_server: Any) -> None:
    configure_pg(db, postgres_server)
    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.create_role("neg", "pg", [PG_CREATE], default_ttl=-5)
    assert caught.value.errors == [
        "error converting input for field \"default_ttl\": cannot provide negative value '-5'"
    ]
    with pytest.raises(exceptions.InvalidPath):
        db.read_role("neg")


def test_bad_static_roles_are_refused_and_not_stored(
    db: Any, dev_target: DevTarget, postgres_server: Any
) -> None:
    pg = postgres_server
    account = "static_" + _suffix()
    pg.execute(f"CREATE ROLE {account} LOGIN PASSWORD 'initial-password'")
    configure_pg(db, pg, allowed_roles=["s-*", "app"])
    db.create_role("app", "pg", [PG_CREATE])

    refused_400: dict[str, tuple[tuple[str, str, list[str], int], str]] = {
        "s-short": (("pg", account, [], 2), "rotation_period must be 5 seconds or more"),
        "s-nodb": (("", account, [], 3600), "database name is a required field"),
        "s-nouser": (
            ("pg", "", [], 3600),
            "username is a required field to create a static account",
        ),
        "app": (("pg", account, [], 3600), "Role and Static Role names must be unique"),
    }
    for name, (args, message) in refused_400.items():
        with pytest.raises(exceptions.InvalidRequest) as caught:
            db.create_static_role(name, *args)
        assert caught.value.errors == [message], name

    # OpenBao answers these with a 500, Strongroom with a 400; the words are the same
    missing = "nosuch_" + _suffix()
    with pytest.raises(bad_input_error(dev_target)) as caught:
        db.create_static_role("s-noaccount", "pg", missing, [], rotation_period=3600)
    assert "error setting credentials: " in text(caught)
    assert f'role "{missing}" does not exist' in text(caught)

    with pytest.raises(bad_input_error(dev_target)) as caught:
        db.create_static_role("s-noconn", "nodb", account, [], rotation_period=3600)
    assert 'failed to find entry for connection with name: "nodb"' in text(caught)

    with pytest.raises(bad_input_error(dev_target)) as caught:
        db.create_static_role("other", "pg", account, [], rotation_period=3600)
    assert '"other" is not an allowed role' in text(caught)

    for name in ("s-short", "s-nodb", "s-nouser", "app", "s-noaccount", "s-noconn", "other"):
        with pytest.raises(exceptions.InvalidPath):
            db.read_static_role(name)
    assert pg.can_login(account, "initial-password")  # no refused write touched it


def test_credentials_for_bad_roles_are_refused_without_a_lease(
    db: Any, client: hvac.Client, dev_target: DevTarget, postgres_server: Any
) -> None:
    configure_pg(db, postgres_server, allowed_roles=["other"])
    app = "app" + _suffix()
    db.create_role(app, "pg", [PG_CREATE])
    db.create_role("dangling", "nodb", [PG_CREATE])  # a role may name a missing connection

    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.generate_credentials("nosuch")
    assert caught.value.errors == ["unknown role: nosuch"]

    # OpenBao answers these with a 500, Strongroom with a 400; the words are the same
    with pytest.raises(bad_input_error(dev_target)) as caught:
        db.generate_credentials(app)
    assert f'"{app}" is not an allowed role' in text(caught)
    with pytest.raises(bad_input_error(dev_target)) as caught:
        db.generate_credentials("dangling")
    assert 'failed to find entry for connection with name: "nodb"' in text(caught)

    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.get_static_credentials("nosuch")
    assert caught.value.errors == ["unknown role: nosuch"]
    with pytest.raises(exceptions.InvalidRequest) as caught:
        db.rotate_static_role_credentials("nosuch")
    assert caught.value.errors == ["no static role found for role name"]

    with pytest.raises(exceptions.InvalidPath):
        client.sys.list_leases("database/creds/")
    assert postgres_server.users_like(f"%-{app}-%") == []


def test_connection_operations_on_bad_names_are_refused(
    db: Any, dev_target: DevTarget, postgres_server: Any
) -> None:
    pg = postgres_server
    # OpenBao answers these with a 500, Strongroom with a 400; the words are the same
    with pytest.raises(bad_input_error(dev_target)) as caught:
        db.reset_connection("nosuch")
    assert 'failed to find entry for connection with name: "nosuch"' in text(caught)
    with pytest.raises(bad_input_error(dev_target)) as caught:
        db.rotate_root_credentials("nosuch")
    assert 'failed to find entry for connection with name: "nosuch"' in text(caught)

    # credentials only in the URL: no `username` to rotate
    root = pg_root(pg)
    db.configure("lit", PG_PLUGIN, allowed_roles=["*"], connection_url=pg.url(root, "root-initial"))
    with pytest.raises(bad_input_error(dev_target)) as caught:
        db.rotate_root_credentials("lit")
    assert "unable to rotate root credentials: no username in configuration" in text(caught)
    assert pg.can_login(root, "root-initial")

    assert db.delete_connection("nosuch").status_code == 204


def test_rotate_root_without_a_password_is_refused(
    db: Any, dev_target: DevTarget, postgres_server: Any
) -> None:
    pg = postgres_server
    root = pg_root(pg)
    db.configure(
        "lit",
        PG_PLUGIN,
        allowed_roles=["*"],
        connection_url=pg.url(root, "root-initial"),
        username=root,
    )
    with pytest.raises(bad_input_error(dev_target)) as caught:
        db.rotate_root_credentials("lit")
    assert "unable to rotate root credentials: no password in configuration" in text(caught)
    assert pg.can_login(root, "root-initial")


def test_database_failures_when_issuing_credentials(
    db: Any, dev_target: DevTarget, postgres_server: Any
) -> None:
    """The database refuses the role's statements: nothing is issued, no user is left.

    OpenBao answers 500; Strongroom answers 502 "failed to create user: ..." (documented in
    docs/api-coverage.md), so hvac raises InternalServerError on one and BadGateway on the
    other (reported: neither OpenBao's status nor a 4xx)."""
    pg = postgres_server
    failure = (
        exceptions.InternalServerError if dev_target.name == "openbao" else exceptions.BadGateway
    )
    configure_pg(db, pg)
    role = "bad" + _suffix()
    db.create_role(role, "pg", ['CREATE ROLE "{{name}}" WITH NONSENSE;'])
    with pytest.raises(failure) as caught:
        db.generate_credentials(role)
    assert 'unrecognized role option "nonsense"' in text(caught)

    # a role without creation statements is bad input: Strongroom refuses it with a 400
    # before touching the database (OpenBao answers 500)
    empty = "empty" + _suffix()
    db.create_role(empty, "pg", [])
    with pytest.raises(bad_input_error(dev_target)) as caught:
        db.generate_credentials(empty)
    assert "empty creation statements" in text(caught)

    assert pg.users_like(f"%-{role}-%") == []
    assert pg.users_like(f"%-{empty}-%") == []


def test_empty_listings_are_404(db: Any, postgres_server: Any) -> None:
    for listing in (db.list_connections, db.list_roles, db.list_static_roles):
        with pytest.raises(exceptions.InvalidPath):
            listing()
    # and again once the last one is deleted
    configure_pg(db, postgres_server)
    db.create_role("app", "pg", [PG_CREATE])
    db.delete_role("app")
    db.delete_connection("pg")
    for listing in (db.list_connections, db.list_roles):
        with pytest.raises(exceptions.InvalidPath):
            listing()
