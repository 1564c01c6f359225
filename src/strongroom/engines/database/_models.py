"""What the engine stores in its mount: connection configurations (`config/<name>`), dynamic
roles (`role/<name>`) and static roles (`static-role/<name>`), as JSON in the barrier. A
connection's root password and a static account's password are stored here, never returned."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import orjson

from strongroom.clock import rfc3339_nano
from strongroom.types import JSON, JSONDict

CONFIG_PREFIX = "config/"
ROLE_PREFIX = "role/"
STATIC_ROLE_PREFIX = "static-role/"

# `user:password@` after a URL's scheme, or at the start of a Go DSN
_URL_PASSWORD = re.compile(r"^(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:@/]*:)(?P<pw>[^@/]+)@")
_DSN_PASSWORD = re.compile(r"^(?P<head>[^:@/]*:)(?P<pw>[^@]+)@")


def _password_match(url: str) -> re.Match[str] | None:
    pattern = _URL_PASSWORD if "://" in url else _DSN_PASSWORD
    match = pattern.match(url)
    return None if match is None or match.group("pw") == "{{password}}" else match


def url_has_password(url: str) -> bool:
    """Whether the URL carries a literal (not templated) password."""
    return _password_match(url) is not None


def mask_url_password(url: str) -> str:
    """The URL with a literal password replaced by `xxxxx`, as OpenBao shows it."""
    match = _password_match(url)
    return url if match is None else match.group("head") + "xxxxx@" + url[match.end() :]


def glob_matches(pattern: str, value: str) -> bool:
    """Vault's glob: `*` matches any run of characters, nothing else is special."""
    parts = pattern.split("*")
    if len(parts) == 1:
        return pattern == value
    if not value.startswith(parts[0]) or not value.endswith(parts[-1]):
        return False
    position = len(parts[0])
    end = len(value) - len(parts[-1])
    for middle in parts[1:-1]:
        found = value.find(middle, position, end)
        if found < 0:
            return False
        position = found + len(middle)
    return position <= end


def _dump(value: Any) -> bytes:
    return orjson.dumps(asdict(value))


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    """One connection: the plugin, its settings (`connection_details`), and which roles may
    use it."""

    plugin_name: str
    connection_details: dict[str, JSON] = field(default_factory=dict, repr=False)
    plugin_version: str = ""
    allowed_roles: tuple[str, ...] = ()
    password_policy: str = ""
    root_credentials_rotate_statements: tuple[str, ...] = ()
    verify_connection: bool = True
    # A root rotation in flight: the new password is stored before the database changes, so a
    # crash between the two never loses it (see DatabaseContext.connection).
    pending_root_password: str = field(default="", repr=False)

    def allows(self, role: str) -> bool:
        return any(glob_matches(pattern, role) for pattern in self.allowed_roles)

    def public(self) -> JSONDict:
        """The read response: the password removed, a literal URL password masked."""
        details = {k: v for k, v in self.connection_details.items() if k != "password"}
        url = details.get("connection_url")
        if isinstance(url, str):
            details["connection_url"] = mask_url_password(url)
        return {
            "allowed_roles": list(self.allowed_roles),
            "connection_details": details,
            "password_policy": self.password_policy,
            "plugin_name": self.plugin_name,
            "plugin_version": self.plugin_version,
            "root_credentials_rotate_statements": list(self.root_credentials_rotate_statements),
        }

    def serialize(self) -> bytes:
        return _dump(self)

    @staticmethod
    def deserialize(blob: bytes) -> DatabaseConfig:
        raw = orjson.loads(blob)
        return DatabaseConfig(
            **{
                **raw,
                "allowed_roles": tuple(raw["allowed_roles"]),
                "root_credentials_rotate_statements": tuple(
                    raw["root_credentials_rotate_statements"]
                ),
            }
        )


_STATEMENT_KEYS = (
    "creation_statements",
    "revocation_statements",
    "rollback_statements",
    "renew_statements",
)


@dataclass(frozen=True, slots=True)
class DynamicRole:
    """A role whose credentials are created on each `creds/:name` read and leased."""

    db_name: str
    creation_statements: tuple[str, ...] = ()
    revocation_statements: tuple[str, ...] = ()
    rollback_statements: tuple[str, ...] = ()
    renew_statements: tuple[str, ...] = ()
    default_ttl: int = 0
    max_ttl: int = 0
    credential_type: str = "password"
    credential_config: dict[str, JSON] = field(default_factory=dict)

    def public(self) -> JSONDict:
        body: JSONDict = {
            "db_name": self.db_name,
            "default_ttl": self.default_ttl,
            "max_ttl": self.max_ttl,
            "credential_type": self.credential_type,
        }
        for key in _STATEMENT_KEYS:
            body[key] = list(getattr(self, key))
        if self.credential_config:
            body["credential_config"] = dict(self.credential_config)
        return body

    def serialize(self) -> bytes:
        return _dump(self)

    @staticmethod
    def deserialize(blob: bytes) -> DynamicRole:
        raw = orjson.loads(blob)
        for key in _STATEMENT_KEYS:
            raw[key] = tuple(raw[key])
        return DynamicRole(**raw)


@dataclass(frozen=True, slots=True)
class StaticRole:
    """A database account whose password Strongroom rotates every `rotation_period`."""

    db_name: str
    username: str
    rotation_period: int
    rotation_statements: tuple[str, ...] = ()
    credential_type: str = "password"
    password: str = field(default="", repr=False)
    last_vault_rotation: float = 0.0
    # Set while a rotation is in flight (stored before the database changes): a role found
    # with it after a crash may hold a stale password and is rotated again at once.
    rotation_pending: bool = False

    def next_rotation(self) -> float:
        return self.last_vault_rotation + self.rotation_period

    def due(self, now: float) -> bool:
        return self.rotation_pending or self.next_rotation() <= now

    def rotated(self, password: str, now: float) -> StaticRole:
        return replace(self, password=password, last_vault_rotation=now, rotation_pending=False)

    def public(self) -> JSONDict:
        return {
            "db_name": self.db_name,
            "username": self.username,
            "rotation_period": self.rotation_period,
            "rotation_statements": list(self.rotation_statements),
            "credential_type": self.credential_type,
            "last_vault_rotation": rfc3339_nano(self.last_vault_rotation),
        }

    def credentials(self, now: float) -> JSONDict:
        return {
            "username": self.username,
            "password": self.password,
            "last_vault_rotation": rfc3339_nano(self.last_vault_rotation),
            "rotation_period": self.rotation_period,
            "ttl": max(0, round(self.next_rotation() - now)),
        }

    def serialize(self) -> bytes:
        return _dump(self)

    @staticmethod
    def deserialize(blob: bytes) -> StaticRole:
        raw = orjson.loads(blob)
        raw["rotation_statements"] = tuple(raw["rotation_statements"])
        return StaticRole(**raw)


__all__ = [
    "CONFIG_PREFIX",
    "ROLE_PREFIX",
    "STATIC_ROLE_PREFIX",
    "DatabaseConfig",
    "DynamicRole",
    "StaticRole",
    "glob_matches",
    "mask_url_password",
    "url_has_password",
]
