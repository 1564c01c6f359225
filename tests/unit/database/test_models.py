"""Stored shapes of the database engine and what reads show of them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from strongroom.engines.database._models import (
    DatabaseConfig,
    DynamicRole,
    StaticRole,
    glob_matches,
    mask_url_password,
    url_has_password,
)


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        (
            "postgresql://{{username}}:{{password}}@h:5432/db",
            "postgresql://{{username}}:{{password}}@h:5432/db",
        ),
        ("postgresql://postgres:rootpw@h:5432/db", "postgresql://postgres:xxxxx@h:5432/db"),
        ("admin:s3cr3t@tcp(127.0.0.1:3306)/", "admin:xxxxx@tcp(127.0.0.1:3306)/"),
        (
            "{{username}}:{{password}}@tcp(127.0.0.1:3306)/",
            "{{username}}:{{password}}@tcp(127.0.0.1:3306)/",
        ),
        ("host=127.0.0.1 dbname=x", "host=127.0.0.1 dbname=x"),
        ("postgresql://user@h/db", "postgresql://user@h/db"),
    ],
)
def test_a_literal_password_in_the_url_is_masked(url: str, masked: str) -> None:
    assert mask_url_password(url) == masked
    assert url_has_password(url) == (url != masked)


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        ("*", "anything", True),
        ("app", "app", True),
        ("app", "apps", False),
        ("app-*", "app-ro", True),
        ("app-*", "ap-ro", False),
        ("*-ro", "app-ro", True),
        ("a*b*c", "aXXbYYc", True),
        ("a*b*c", "acb", False),
        ("a*a", "a", False),
    ],
)
def test_allowed_roles_globs(pattern: str, value: str, matches: bool) -> None:
    assert glob_matches(pattern, value) is matches


def test_config_read_never_shows_the_password() -> None:
    config = DatabaseConfig(
        plugin_name="postgresql-database-plugin",
        connection_details={
            "connection_url": "postgresql://root:literal@h/db",
            "username": "root",
            "password": "hunter2",
            "max_open_connections": 7,
        },
        allowed_roles=("app",),
    )
    public = config.public()
    assert public["connection_details"] == {
        "connection_url": "postgresql://root:xxxxx@h/db",
        "username": "root",
        "max_open_connections": 7,
    }
    assert "hunter2" not in repr(public) and "literal" not in repr(public)
    assert "hunter2" not in repr(config)
    assert DatabaseConfig.deserialize(config.serialize()) == config


def test_roles_round_trip_through_storage() -> None:
    role = DynamicRole(db_name="pg", creation_statements=("a", "b"), default_ttl=60)
    assert DynamicRole.deserialize(role.serialize()) == role
    static = StaticRole(db_name="pg", username="u", rotation_period=60).rotated("pw", 100.0)
    assert StaticRole.deserialize(static.serialize()) == static
    assert "pw" not in repr(static)


def test_static_credentials_count_down_to_the_next_rotation() -> None:
    role = StaticRole(db_name="pg", username="u", rotation_period=3600).rotated("pw", 1000.0)
    creds = role.credentials(1000.0 + 600)
    assert creds["ttl"] == 3000
    assert creds["password"] == "pw"
    assert creds["last_vault_rotation"] == "1970-01-01T00:16:40Z"
    assert role.credentials(1000.0 + 7200)["ttl"] == 0


def test_a_rotation_left_in_flight_is_due_at_once() -> None:
    role = StaticRole(db_name="pg", username="u", rotation_period=3600).rotated("pw", 1000.0)
    assert not role.due(1000.0 + 60)
    assert role.due(1000.0 + 3600)
    in_flight = replace(role, rotation_pending=True)
    assert in_flight.due(1000.0 + 60)
    assert not in_flight.rotated("new", 1100.0).due(1100.0 + 60)
