"""`config/:name` (connections), `config/` (list) and `reset/:name`.

Parameters the path does not declare are the plugin's (`connection_url`, `username`,
`password`, pool limits, `username_template`, ...) and are kept as `connection_details`.
Writing an existing configuration changes only what the request names. With
`verify_connection` (the default) the plugin connects before anything is stored.
"""

from __future__ import annotations

from dataclasses import replace

from strongroom.engines.database._context import (
    ERR_CREATE_OBJECT,
    DatabaseContext,
    list_response,
    new_plugin,
    storage_of,
)
from strongroom.engines.database._models import CONFIG_PREFIX, DatabaseConfig, url_has_password
from strongroom.engines.database.plugins import DatabaseError, PluginConfigError
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name, opt
from strongroom.logical import Operation, Request, Response

# vault-compat: OpenBao's texts
ERR_EMPTY_PLUGIN = "empty plugin name"
WARN_PASSWORD_IN_URL = (
    "Password found in connection_url, use a templated url to enable root rotation and "
    "prevent read access to password information."
)

FIELDS = {
    "name": Field(FieldType.STRING, "Name of this database connection", required=True),
    "plugin_name": Field(
        FieldType.STRING,
        "The name of a builtin plugin known to Strongroom: postgresql-database-plugin or "
        "mysql-database-plugin.",
    ),
    "plugin_version": Field(FieldType.STRING, "The version of the plugin to use."),
    "verify_connection": Field(
        FieldType.BOOL,
        "If true, the connection details are verified by actually connecting to the database.",
        default=True,
    ),
    "allowed_roles": Field(
        FieldType.COMMA_STRING_SLICE,
        "Comma separated string or array of the role names allowed to get creds from this "
        "database connection. If empty no roles are allowed. If '*' all roles are allowed.",
    ),
    "root_rotation_statements": Field(
        FieldType.STRING_SLICE,
        "Specifies the database statements to be executed to rotate the root user's credentials.",
    ),
    "password_policy": Field(FieldType.STRING, "Password policy to use when generating passwords."),
}

_DECLARED = frozenset(FIELDS)


def _merged(existing: DatabaseConfig | None, data: FieldData) -> DatabaseConfig:
    details = dict(existing.connection_details) if existing is not None else {}
    details.update({k: v for k, v in data.raw.items() if k not in _DECLARED})
    base = existing or DatabaseConfig(plugin_name="")
    config = replace(
        base,
        connection_details=details,
        plugin_name=data.string("plugin_name") if data.has("plugin_name") else base.plugin_name,
        plugin_version=(
            data.string("plugin_version") if data.has("plugin_version") else base.plugin_version
        ),
        verify_connection=data.boolean("verify_connection"),
        allowed_roles=(
            tuple(data.strings("allowed_roles"))
            if data.has("allowed_roles")
            else base.allowed_roles
        ),
        root_credentials_rotate_statements=(
            tuple(data.strings("root_rotation_statements"))
            if data.has("root_rotation_statements")
            else base.root_credentials_rotate_statements
        ),
        password_policy=(
            data.string("password_policy") if data.has("password_policy") else base.password_policy
        ),
    )
    if not config.plugin_name:
        raise InvalidRequest(ERR_EMPTY_PLUGIN)
    if "password" in data.raw:
        config = replace(config, pending_root_password="")  # the operator says which is right
    return config


def config_paths(ctx: DatabaseContext) -> list[Path]:
    async def exists(request: Request, data: FieldData) -> bool:
        return await ctx.config(storage_of(request), data.string("name")) is not None

    async def read(request: Request, data: FieldData) -> Response | None:
        config = await ctx.config(storage_of(request), data.string("name"))
        return None if config is None else Response.of(config.public())

    async def write(request: Request, data: FieldData) -> Response | None:
        storage = storage_of(request)
        connection = data.string("name")
        async with ctx.locks.hold(connection):
            config = _merged(await ctx.config(storage, connection), data)
            try:
                plugin = new_plugin(config)
            except PluginConfigError as exc:
                raise InvalidRequest(ERR_CREATE_OBJECT.format(exc)) from None
            if config.verify_connection:
                try:
                    await plugin.verify()
                except DatabaseError as exc:
                    await plugin.close()
                    raise InvalidRequest(
                        ERR_CREATE_OBJECT.format(f"error verifying connection: {exc}")
                    ) from None
            await ctx.put_config(storage, connection, config)
            old = ctx.install(connection, plugin)
            if old is not None:
                await old.close()
        url = config.connection_details.get("connection_url")
        if isinstance(url, str) and url_has_password(url):
            return Response(warnings=(WARN_PASSWORD_IN_URL,))
        return None

    async def delete(request: Request, data: FieldData) -> Response | None:
        connection = data.string("name")
        async with ctx.locks.hold(connection):
            await storage_of(request).delete(CONFIG_PREFIX + connection)
            await ctx.drop(connection)
        return None

    async def list_configs(request: Request, data: FieldData) -> Response | None:
        return await list_response(storage_of(request), CONFIG_PREFIX)

    async def reset(request: Request, data: FieldData) -> Response | None:
        connection = data.string("name")
        async with ctx.locks.hold(connection):
            await ctx.drop(connection)
            await ctx.connection(storage_of(request), connection)
        return None

    return [
        Path(
            pattern=lit("config") + opt("/"),
            operations={Operation.LIST: list_configs},
            synopsis="Configure connection details to a database plugin.",
        ),
        Path(
            pattern=lit("config/") + name("name"),
            fields=FIELDS,
            exists=exists,
            take_unknown_fields=True,
            operations={
                Operation.READ: OperationSpec(read, operation_id="read-connection-configuration"),
                Operation.UPDATE: OperationSpec(write, operation_id="configure-connection"),
                Operation.DELETE: OperationSpec(
                    delete, operation_id="delete-connection-configuration"
                ),
            },
            synopsis="Configure connection details to a database plugin.",
            description=(
                "This path configures the connection details used to connect to a particular "
                "database. The plugin-specific parameters (connection_url, username, password, "
                "max_open_connections, max_idle_connections, max_connection_lifetime, "
                "username_template, disable_escaping) are passed through to the plugin."
            ),
        ),
        Path(
            pattern=lit("reset/") + name("name"),
            fields={"name": FIELDS["name"]},
            operations={Operation.UPDATE: OperationSpec(reset, operation_id="reset-connection")},
            synopsis="Resets a database plugin.",
            description="Closes the connection and reopens it from the stored configuration.",
        ),
    ]


__all__ = ["config_paths"]
