"""What every database handler shares: the injected services (clock, password generation, the
mount's TTLs), the storage layout, and the open connections, one plugin per configuration.

A plugin is built from its stored configuration on first use and kept until that configuration
changes (write, delete, reset, root rotation, or `invalidate` when another node changed it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from strongroom.clock import Clock
from strongroom.engines.database._models import (
    CONFIG_PREFIX,
    ROLE_PREFIX,
    STATIC_ROLE_PREFIX,
    DatabaseConfig,
    DynamicRole,
    StaticRole,
)
from strongroom.engines.database.plugins import (
    PLUGINS,
    ConnectionFailed,
    DatabasePlugin,
    PluginConfigError,
    parse_settings,
)
from strongroom.errors import InternalError, InvalidRequest
from strongroom.framework import NamedLocks
from strongroom.logical import Request, Response
from strongroom.storage import Entry, Storage

# vault-compat: error texts clients see
ERR_NO_CONNECTION = 'failed to find entry for connection with name: "{}"'
ERR_CREATE_OBJECT = "error creating database object: {}"
ERR_PLUGIN_NOT_FOUND = "invalid database version: plugin not found in the catalog: {}"

PasswordGenerator = Callable[[str], Awaitable[str]]


def storage_of(request: Request) -> Storage:
    if request.storage is None:
        raise InternalError("database: request has no storage view")
    return request.storage


async def list_response(storage: Storage, prefix: str) -> Response | None:
    """A LIST of the names under `prefix`, sorted; none is a 404, as OpenBao answers."""
    keys = sorted(await storage.list(prefix))
    return Response.of({"keys": keys}) if keys else None


def new_plugin(config: DatabaseConfig) -> DatabasePlugin:
    """The plugin for a configuration; PluginConfigError when it cannot be built."""
    plugin_type = PLUGINS.get(config.plugin_name)
    if plugin_type is None:
        raise PluginConfigError(ERR_PLUGIN_NOT_FOUND.format(config.plugin_name))
    return plugin_type(parse_settings(config.connection_details))


@dataclass(slots=True)
class DatabaseContext:
    clock: Clock
    # A password from the named policy ("" for OpenBao's default generator).
    generate_password: PasswordGenerator
    # The mount's (default, max) lease TTLs in seconds.
    mount_ttls: Callable[[], tuple[int, int]]
    plugins: dict[str, DatabasePlugin] = field(default_factory=dict)
    locks: NamedLocks = field(default_factory=NamedLocks)

    async def config(self, storage: Storage, name: str) -> DatabaseConfig | None:
        stored = await storage.get(CONFIG_PREFIX + name)
        return None if stored is None else DatabaseConfig.deserialize(stored.value)

    async def put_config(self, storage: Storage, name: str, config: DatabaseConfig) -> None:
        await storage.put(Entry(CONFIG_PREFIX + name, config.serialize()))

    async def connection(
        self, storage: Storage, name: str
    ) -> tuple[DatabaseConfig, DatabasePlugin]:
        """The stored configuration and its open plugin; 400 when there is no such config."""
        config = await self.config(storage, name)
        if config is None:
            raise InvalidRequest(ERR_NO_CONNECTION.format(name))
        plugin = self.plugins.get(name)
        if plugin is None:
            try:
                if config.pending_root_password:
                    config, plugin = await self._settle_root_rotation(storage, name, config)
                else:
                    plugin = new_plugin(config)
            except PluginConfigError as exc:
                raise InvalidRequest(ERR_CREATE_OBJECT.format(exc)) from None
            self.plugins[name] = plugin
        return config, plugin

    async def _settle_root_rotation(
        self, storage: Storage, name: str, config: DatabaseConfig
    ) -> tuple[DatabaseConfig, DatabasePlugin]:
        """A root rotation was interrupted: keep whichever password the database accepts."""
        rotated = replace(
            config,
            connection_details={
                **config.connection_details,
                "password": config.pending_root_password,
            },
            pending_root_password="",
        )
        for candidate in (rotated, replace(config, pending_root_password="")):
            plugin = new_plugin(candidate)
            try:
                await plugin.verify()
            except ConnectionFailed:
                await plugin.close()
                continue
            await self.put_config(storage, name, candidate)
            return candidate, plugin
        return config, new_plugin(config)  # neither works now; decide on a later attempt

    def install(self, name: str, plugin: DatabasePlugin) -> DatabasePlugin | None:
        """Use `plugin` for `name` from now on; returns the one it replaces (to close)."""
        old = self.plugins.get(name)
        self.plugins[name] = plugin
        return old

    async def drop(self, name: str) -> None:
        plugin = self.plugins.pop(name, None)
        if plugin is not None:
            await plugin.close()

    async def close_all(self) -> None:
        plugins, self.plugins = self.plugins, {}
        for plugin in plugins.values():
            await plugin.close()

    def invalidate(self, key: str) -> None:
        """Another node changed `key`: forget the plugin built from the old configuration
        (its connections close when the pool is dropped)."""
        if key.startswith(CONFIG_PREFIX):
            self.plugins.pop(key.removeprefix(CONFIG_PREFIX), None)

    async def role(self, storage: Storage, name: str) -> DynamicRole | None:
        stored = await storage.get(ROLE_PREFIX + name)
        return None if stored is None else DynamicRole.deserialize(stored.value)

    async def static_role(self, storage: Storage, name: str) -> StaticRole | None:
        stored = await storage.get(STATIC_ROLE_PREFIX + name)
        return None if stored is None else StaticRole.deserialize(stored.value)

    async def put_static_role(self, storage: Storage, name: str, role: StaticRole) -> None:
        await storage.put(Entry(STATIC_ROLE_PREFIX + name, role.serialize()))


__all__ = [
    "ERR_CREATE_OBJECT",
    "ERR_NO_CONNECTION",
    "DatabaseContext",
    "PasswordGenerator",
    "list_response",
    "new_plugin",
    "storage_of",
]
