"""Database plugins: one module per database, each speaking to it through a real driver."""

from __future__ import annotations

from strongroom.engines.database.plugins._base import (
    ConnectionFailed,
    ConnectionSettings,
    DatabaseError,
    DatabasePlugin,
    PluginConfigError,
    parse_settings,
)
from strongroom.engines.database.plugins.mysql import MySQLPlugin
from strongroom.engines.database.plugins.postgresql import PostgreSQLPlugin

PLUGINS: dict[str, type[DatabasePlugin]] = {
    PostgreSQLPlugin.name: PostgreSQLPlugin,
    MySQLPlugin.name: MySQLPlugin,
}

__all__ = [
    "PLUGINS",
    "ConnectionFailed",
    "ConnectionSettings",
    "DatabaseError",
    "DatabasePlugin",
    "PluginConfigError",
    "parse_settings",
]
