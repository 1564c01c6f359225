"""What every database plugin shares: its connection settings (the plugin-specific keys of
`config/:name`), its errors, and the operations the engine asks of it."""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar
from urllib.parse import quote

from strongroom.durations import parse_duration
from strongroom.engines.database._pool import PoolLimits
from strongroom.engines.database._statements import rendered_queries, user_values
from strongroom.types import JSON


class PluginConfigError(ValueError):
    """The connection settings are unusable (a 400 on `config/:name`)."""


class DatabaseError(Exception):
    """The database refused or failed an operation; the text is the driver's, with no secret."""


class ConnectionFailed(DatabaseError):
    """No connection could be made (unreachable, or the credentials were refused)."""


def _int(details: Mapping[str, JSON], key: str, default: int) -> int:
    value = details.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise PluginConfigError(f"'{key}' cannot parse value as 'int'")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise PluginConfigError(f"'{key}' cannot parse value as 'int'")


def _bool(details: Mapping[str, JSON], key: str) -> bool:
    value = details.get(key)
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    raise PluginConfigError(f"'{key}' cannot parse value as 'bool'")


def _str(details: Mapping[str, JSON], key: str) -> str:
    value = details.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise PluginConfigError(f"'{key}' expected type 'string'")


@dataclass(frozen=True, slots=True)
class ConnectionSettings:
    """The keys of `config/:name` that belong to the plugin."""

    connection_url: str
    username: str = ""
    password: str = field(default="", repr=False)
    limits: PoolLimits = field(default_factory=PoolLimits)
    username_template: str = ""
    disable_escaping: bool = False
    connect_timeout: float = 10.0

    def url(self, *, escape: bool = True) -> str:
        """The connection URL with `{{username}}` and `{{password}}` filled in (URL-escaped
        unless `disable_escaping`)."""

        def fill(value: str) -> str:
            return quote(value, safe="") if escape and not self.disable_escaping else value

        return self.connection_url.replace("{{username}}", fill(self.username)).replace(
            "{{password}}", fill(self.password)
        )

    def with_password(self, password: str) -> ConnectionSettings:
        return ConnectionSettings(
            connection_url=self.connection_url,
            username=self.username,
            password=password,
            limits=self.limits,
            username_template=self.username_template,
            disable_escaping=self.disable_escaping,
            connect_timeout=self.connect_timeout,
        )


def parse_settings(details: Mapping[str, JSON]) -> ConnectionSettings:
    """Validate the plugin keys of a connection configuration."""
    url = _str(details, "connection_url")
    if not url:
        raise PluginConfigError("connection_url cannot be empty")
    max_open = _int(details, "max_open_connections", 4)
    if max_open <= 0:
        raise PluginConfigError("max_open_connections must be greater than 0")
    max_idle = _int(details, "max_idle_connections", 0)
    if max_idle < 0:
        raise PluginConfigError("max_idle_connections must not be negative")
    lifetime_raw = details.get("max_connection_lifetime")
    try:
        lifetime = parse_duration(lifetime_raw) if lifetime_raw not in (None, "") else 0
    except ValueError as exc:
        raise PluginConfigError(f"invalid max_connection_lifetime: {exc}") from None
    return ConnectionSettings(
        connection_url=url,
        username=_str(details, "username"),
        password=_str(details, "password"),
        limits=PoolLimits(max_open=max_open, max_idle=max_idle, max_lifetime=float(lifetime)),
        username_template=_str(details, "username_template"),
        disable_escaping=_bool(details, "disable_escaping"),
    )


class DatabasePlugin(abc.ABC):
    """One configured database connection: the user operations the engine needs.

    Each operation runs the role's statements when it has some, else the plugin's default.
    A plugin supplies `_execute` (queries in one transaction where the database allows) and
    the defaults; creation, rollback and the statement templating are shared here.
    """

    name: ClassVar[str]
    default_username_template: ClassVar[str]

    def __init__(self, settings: ConnectionSettings) -> None:
        self.settings = settings

    @abc.abstractmethod
    async def _execute(self, queries: Sequence[str]) -> None:
        """Run the queries; DatabaseError (ConnectionFailed when no connection was made)."""

    async def verify(self) -> None:
        """Connect once and check the server answers; raises ConnectionFailed."""
        await self._execute(["SELECT 1"])

    async def new_user(
        self,
        *,
        creation: Sequence[str],
        rollback: Sequence[str],
        username: str,
        password: str,
        expiration: datetime,
    ) -> None:
        """Create the user; on failure undo what was done and raise the creation error."""
        values = user_values(username, password=password, expiration=expiration)
        queries = rendered_queries(creation, values)
        if not queries:
            raise DatabaseError("empty creation statements")
        try:
            await self._execute(queries)
        except DatabaseError:
            undo = rendered_queries(rollback, values)
            try:
                if undo:
                    await self._execute(undo)
                else:
                    await self._undo_default(username)
            except DatabaseError:
                pass  # the creation error is the one to report
            raise

    async def renew_user(
        self, *, statements: Sequence[str], username: str, expiration: datetime
    ) -> None:
        """Extend the user's validity (renew statements, or the plugin's default)."""
        if statements:
            await self._execute(
                rendered_queries(statements, user_values(username, expiration=expiration))
            )
        else:
            await self._renew_default(username, expiration)

    async def delete_user(self, *, statements: Sequence[str], username: str) -> None:
        """Drop the user (revocation statements, or the plugin's default); dropping a user
        that no longer exists succeeds."""
        if statements:
            await self._execute(rendered_queries(statements, user_values(username)))
        else:
            await self._delete_default(username)

    async def set_password(
        self, *, statements: Sequence[str], username: str, password: str
    ) -> None:
        """Change an existing user's password (static roles and root rotation)."""
        if statements:
            values = user_values(username, password=password)
            await self._execute(rendered_queries(statements, values))
        else:
            await self._set_password_default(username, password)

    @abc.abstractmethod
    async def _undo_default(self, username: str) -> None:
        """Undo a failed creation that had no rollback statements."""

    @abc.abstractmethod
    async def _renew_default(self, username: str, expiration: datetime) -> None: ...

    @abc.abstractmethod
    async def _delete_default(self, username: str) -> None: ...

    @abc.abstractmethod
    async def _set_password_default(self, username: str, password: str) -> None: ...

    @abc.abstractmethod
    async def close(self) -> None:
        """Close every pooled connection."""


__all__ = [
    "ConnectionFailed",
    "ConnectionSettings",
    "DatabaseError",
    "DatabasePlugin",
    "PluginConfigError",
    "parse_settings",
]
