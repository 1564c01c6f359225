"""The real PostgreSQL and MariaDB servers the database engine tests run against: the admin can
create, grant to and drop users, and `can_login` / `user_exists` see what the server sees."""

from __future__ import annotations

import datetime
import secrets

import psycopg
import pytest

from tests.dbservers import MariaDBServer, PostgresServer

pytestmark = pytest.mark.slow


def _name(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


def test_postgres_admin_is_superuser(postgres_server: PostgresServer) -> None:
    server = postgres_server
    assert server.host == "127.0.0.1"
    assert server.admin_user == "strongroom_admin"
    query = "SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = %s"
    assert server.execute(query, ("strongroom_admin",)) == [(True, True)]
    assert server.execute("SELECT current_database()") == [("strongroom",)]
    assert server.execute("SHOW server_version")[0][0].startswith("15.")
    assert server.execute("SHOW listen_addresses") == [("127.0.0.1",)]
    assert server.can_login(server.admin_user, server.admin_password)


def test_postgres_user_lifecycle(postgres_server: PostgresServer) -> None:
    server = postgres_server
    user, password = _name("v_token"), secrets.token_urlsafe(16)
    assert not server.user_exists(user)
    assert not server.can_login(user, password)

    server.execute(f"CREATE ROLE \"{user}\" WITH LOGIN PASSWORD '{password}'")
    server.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{user}"')
    assert server.user_exists(user)
    assert server.users_like(user[:-4] + "%") == [user]
    assert server.valid_until(user) is None
    server.execute(f"ALTER ROLE \"{user}\" VALID UNTIL '2100-01-01 00:00:00+00'")
    assert server.valid_until(user) == datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
    assert server.can_login(user, password)
    assert not server.can_login(user, password + "x")
    with psycopg.connect(server.url(user, password)) as conn:
        assert conn.execute("SELECT current_user").fetchall() == [(user,)]

    server.execute(f'DROP ROLE "{user}"')
    assert not server.user_exists(user)
    assert server.users_like(user) == []
    with pytest.raises(KeyError):
        server.valid_until(user)
    assert not server.can_login(user, password)


def test_postgres_template_url(postgres_server: PostgresServer) -> None:
    server = postgres_server
    filled = server.template_url().replace("{{username}}", server.admin_user)
    assert filled.replace("{{password}}", server.admin_password) == server.url()


def test_mariadb_admin_has_grant_option(mariadb_server: MariaDBServer) -> None:
    server = mariadb_server
    assert server.host == "127.0.0.1"
    assert server.admin_user == "strongroom_admin"
    grants = " ".join(row[0] for row in server.execute("SHOW GRANTS FOR CURRENT_USER()"))
    assert "ALL PRIVILEGES ON *.*" in grants and "WITH GRANT OPTION" in grants
    assert server.execute("SELECT DATABASE()") == [(None,)]
    assert server.execute("SHOW DATABASES LIKE 'strongroom'") == [("strongroom",)]
    assert "MariaDB" in server.execute("SELECT VERSION()")[0][0]
    assert server.can_login(server.admin_user, server.admin_password)


def test_mariadb_user_lifecycle(mariadb_server: MariaDBServer) -> None:
    server = mariadb_server
    user, password = _name("v_tok"), secrets.token_urlsafe(16)
    assert not server.user_exists(user)
    assert not server.can_login(user, password)

    server.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'")
    server.execute(f"GRANT SELECT ON `strongroom`.* TO '{user}'@'%'")
    assert server.user_exists(user)
    assert server.user_exists(user, host="%")
    assert server.users_like(user[:-4] + "%") == [user]
    assert not server.user_exists(user, host="localhost")
    assert server.can_login(user, password)
    assert not server.can_login(user, password + "x")

    server.execute(f"DROP USER '{user}'@'%'")
    assert not server.user_exists(user)
    assert server.users_like(user) == []
    assert not server.can_login(user, password)


def test_mariadb_template_url(mariadb_server: MariaDBServer) -> None:
    server = mariadb_server
    filled = server.template_url().replace("{{username}}", server.admin_user)
    assert filled.replace("{{password}}", server.admin_password) == server.url()
