"""`static-roles/:name`, `static-roles/` (list), `static-creds/:name` and `rotate-role/:name`.

A static role manages an existing database account: Strongroom sets its password when the
role is created, again every `rotation_period`, and on `rotate-role`. Deleting the role stops
the rotation and leaves the account as it is. An update may leave out `username` (OpenBao
insists on it being repeated; Strongroom refuses only a different one).
"""

from __future__ import annotations

from dataclasses import replace

from strongroom.engines.database._context import DatabaseContext, list_response, storage_of
from strongroom.engines.database._messages import (
    ERR_NO_STATIC_ROLE,
    ERR_NOT_ALLOWED,
    ERR_UNKNOWN_ROLE,
)
from strongroom.engines.database._models import ROLE_PREFIX, STATIC_ROLE_PREFIX, StaticRole
from strongroom.engines.database._rotation import rotate_static, setting_failed
from strongroom.engines.database.path_roles import (
    CREDENTIAL_FIELDS,
    ERR_NAMES_UNIQUE,
    credential_type,
)
from strongroom.engines.database.plugins import DatabaseError
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name, opt
from strongroom.logical import Operation, Request, Response

# vault-compat: OpenBao's texts
ERR_DB_NAME = "database name is a required field"
ERR_USERNAME = "username is a required field to create a static account"
ERR_PERIOD_REQUIRED = "rotation_period is required to create static accounts"
ERR_PERIOD_MIN = "rotation_period must be 5 seconds or more"
ERR_USERNAME_CHANGE = "cannot update static account username"
MIN_ROTATION_PERIOD = 5

FIELDS = {
    "name": Field(FieldType.STRING, "Name of the role.", required=True),
    "db_name": Field(FieldType.STRING, "Name of the database this role acts on."),
    "username": Field(
        FieldType.STRING,
        'Name of the static user account for Strongroom to manage. Requires "rotation_period".',
    ),
    "rotation_period": Field(
        FieldType.DURATION,
        "Period for automatic credential rotation of the given username; at least 5 seconds.",
    ),
    "rotation_statements": Field(
        FieldType.STRING_SLICE,
        "Specifies the database statements to be executed to rotate the accounts credentials.",
    ),
    **CREDENTIAL_FIELDS,
}


def _validated(existing: StaticRole | None, data: FieldData) -> StaticRole:
    if existing is None:
        if not data.string("db_name"):
            raise InvalidRequest(ERR_DB_NAME)
        if not data.string("username"):
            raise InvalidRequest(ERR_USERNAME)
        if not data.has("rotation_period"):
            raise InvalidRequest(ERR_PERIOD_REQUIRED)
        base = StaticRole(
            db_name=data.string("db_name"),
            username=data.string("username"),
            rotation_period=0,
        )
    else:
        if data.has("username") and data.string("username") != existing.username:
            raise InvalidRequest(ERR_USERNAME_CHANGE)
        base = existing
        if data.has("db_name"):
            base = replace(base, db_name=data.string("db_name"))
    period = (
        data.duration("rotation_period") if data.has("rotation_period") else base.rotation_period
    )
    if period < MIN_ROTATION_PERIOD:
        raise InvalidRequest(ERR_PERIOD_MIN)
    statements = (
        tuple(data.strings("rotation_statements"))
        if data.has("rotation_statements")
        else base.rotation_statements
    )
    return replace(
        base,
        rotation_period=period,
        rotation_statements=statements,
        credential_type=credential_type(data, base.credential_type),
    )


def static_role_paths(ctx: DatabaseContext) -> list[Path]:
    async def exists(request: Request, data: FieldData) -> bool:
        return await ctx.static_role(storage_of(request), data.string("name")) is not None

    async def read(request: Request, data: FieldData) -> Response | None:
        role = await ctx.static_role(storage_of(request), data.string("name"))
        return None if role is None else Response.of(role.public())

    async def write(request: Request, data: FieldData) -> Response | None:
        storage = storage_of(request)
        role_name = data.string("name")
        async with ctx.locks.hold("static-role/" + role_name):
            if await storage.get(ROLE_PREFIX + role_name) is not None:
                raise InvalidRequest(ERR_NAMES_UNIQUE)
            existing = await ctx.static_role(storage, role_name)
            role = _validated(existing, data)
            config, _ = await ctx.connection(storage, role.db_name)
            if not config.allows(role_name):
                raise InvalidRequest(ERR_NOT_ALLOWED.format(role_name))
            if existing is None:
                # The account's password changes now; the role is stored only if it did.
                try:
                    await rotate_static(ctx, storage, role_name, role)
                except DatabaseError as exc:
                    raise setting_failed(exc, request_input=True) from None
            else:
                await ctx.put_static_role(storage, role_name, role)
        return None

    async def delete(request: Request, data: FieldData) -> Response | None:
        role_name = data.string("name")
        async with ctx.locks.hold("static-role/" + role_name):
            await storage_of(request).delete(STATIC_ROLE_PREFIX + role_name)
        return None

    async def list_roles(request: Request, data: FieldData) -> Response | None:
        return await list_response(storage_of(request), STATIC_ROLE_PREFIX)

    async def credentials(request: Request, data: FieldData) -> Response | None:
        role_name = data.string("name")
        role = await ctx.static_role(storage_of(request), role_name)
        if role is None:
            raise InvalidRequest(ERR_UNKNOWN_ROLE.format(role_name))
        return Response.of(role.credentials(ctx.clock.now()))

    async def rotate(request: Request, data: FieldData) -> Response | None:
        storage = storage_of(request)
        role_name = data.string("name")
        async with ctx.locks.hold("static-role/" + role_name):
            role = await ctx.static_role(storage, role_name)
            if role is None:
                raise InvalidRequest(ERR_NO_STATIC_ROLE)
            try:
                await rotate_static(ctx, storage, role_name, role)
            except DatabaseError as exc:
                raise setting_failed(exc, request_input=False) from None
        return None

    name_only = {"name": FIELDS["name"]}
    return [
        Path(
            pattern=lit("static-roles") + opt("/"),
            operations={
                Operation.LIST: OperationSpec(list_roles, operation_id="list-static-roles")
            },
            synopsis="Manage the static roles that can be created with this backend.",
        ),
        Path(
            pattern=lit("static-roles/") + name("name"),
            fields=FIELDS,
            exists=exists,
            operations={
                Operation.READ: OperationSpec(read, operation_id="read-static-role"),
                Operation.UPDATE: OperationSpec(write, operation_id="write-static-role"),
                Operation.DELETE: OperationSpec(delete, operation_id="delete-static-role"),
            },
            synopsis="Manage the static roles that can be created with this backend.",
            description=(
                "A static role manages the password of an existing database account, rotated "
                "every rotation_period and on demand."
            ),
        ),
        Path(
            pattern=lit("static-creds/") + name("name"),
            fields=name_only,
            operations={
                Operation.READ: OperationSpec(
                    credentials, operation_id="read-static-role-credentials"
                )
            },
            synopsis="Request database credentials for a certain static role.",
        ),
        Path(
            pattern=lit("rotate-role/") + name("name"),
            fields=name_only,
            operations={
                Operation.UPDATE: OperationSpec(
                    rotate, operation_id="rotate-static-role-credentials"
                )
            },
            synopsis="Request to rotate the credentials for a static user account.",
        ),
    ]


__all__ = ["static_role_paths"]
