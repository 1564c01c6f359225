"""The Go MySQL DSN that OpenBao's mysql plugin takes as `connection_url`."""

from __future__ import annotations

import pytest

from strongroom.engines.database.plugins import PluginConfigError
from strongroom.engines.database.plugins.mysql import DSN, parse_dsn


def test_tcp_dsn_with_credentials_database_and_tls() -> None:
    assert parse_dsn("app:p@ss:w@tcp(db.local:3307)/orders?tls=skip-verify") == DSN(
        user="app",
        password="p@ss:w",
        host="db.local",
        port=3307,
        database="orders",
        tls="skip-verify",
    )


def test_defaults_and_bare_host() -> None:
    assert parse_dsn("root@tcp(10.0.0.1)/") == DSN(user="root", password="", host="10.0.0.1")
    assert parse_dsn("u:p@/") == DSN(user="u", password="p")
    assert parse_dsn("u:p@tcp([::1]:3306)/") == DSN(user="u", password="p", host="::1")


def test_unix_socket() -> None:
    assert parse_dsn("u:p@unix(/run/mysqld.sock)/db") == DSN(
        user="u", password="p", unix_socket="/run/mysqld.sock", database="db"
    )


@pytest.mark.parametrize(
    "text",
    [
        "no-slash-here",
        "u:p@tcp(h:notaport)/",
        "u:p@udp(h:1)/",
        "postgresql://u:p@h:5432/db",
        "u:p@tcp(h:1)/?tls=maybe",
    ],
)
def test_malformed_dsns_are_config_errors(text: str) -> None:
    with pytest.raises(PluginConfigError):
        parse_dsn(text)
