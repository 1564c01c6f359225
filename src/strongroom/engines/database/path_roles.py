"""`roles/:name` (dynamic roles) and `roles/` (list).

A role names its connection (`db_name`) and the statements that create, renew, revoke and roll
back a user; credentials are made on each read of `creds/:name`. Writing an existing role
changes only what the request names. A role and a static role may not share a name.
"""

from __future__ import annotations

from dataclasses import replace

from strongroom.engines.database._context import DatabaseContext, list_response, storage_of
from strongroom.engines.database._models import ROLE_PREFIX, STATIC_ROLE_PREFIX, DynamicRole
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name, opt
from strongroom.logical import Operation, Request, Response
from strongroom.storage import Entry

# vault-compat: OpenBao's texts
ERR_DB_NAME_REQUIRED = "database name is required"
ERR_NAMES_UNIQUE = "Role and Static Role names must be unique"
ERR_NEGATIVE = "error converting input for field \"{}\": cannot provide negative value '{}'"
ERR_CREDENTIAL_TYPE = 'invalid credential_type "{}"'
ERR_CREDENTIAL_TYPE_UNSUPPORTED = (
    'credential_type "{}" is not supported by Strongroom; only "password" is'
)

SUPPORTED_CREDENTIAL_TYPES = ("password",)
# Types OpenBao knows but Strongroom does not issue yet.
_UNSUPPORTED_CREDENTIAL_TYPES = ("rsa_private_key", "client_certificate")

CREDENTIAL_FIELDS = {
    "credential_type": Field(
        FieldType.STRING,
        "The type of credential to manage. Strongroom supports 'password'.",
        default="password",
    ),
    "credential_config": Field(FieldType.MAP, "The configuration for the given credential_type."),
}

FIELDS = {
    "name": Field(FieldType.STRING, "Name of the role.", required=True),
    "db_name": Field(FieldType.STRING, "Name of the database this role acts on."),
    "creation_statements": Field(
        FieldType.STRING_SLICE,
        "Specifies the database statements executed to create and configure a user.",
    ),
    "revocation_statements": Field(
        FieldType.STRING_SLICE,
        "Specifies the database statements to be executed to revoke a user.",
    ),
    "renew_statements": Field(
        FieldType.STRING_SLICE,
        "Specifies the database statements to be executed to renew a user.",
    ),
    "rollback_statements": Field(
        FieldType.STRING_SLICE,
        "Specifies the database statements to be executed rollback a create operation in the "
        "event of an error.",
    ),
    "default_ttl": Field(FieldType.DURATION, "Default ttl for role."),
    "max_ttl": Field(FieldType.DURATION, "Maximum time a credential is valid for"),
    **CREDENTIAL_FIELDS,
}


def credential_type(data: FieldData, current: str) -> str:
    """The requested credential type, validated."""
    if not data.has("credential_type"):
        return current
    kind = data.string("credential_type")
    if kind in _UNSUPPORTED_CREDENTIAL_TYPES:
        raise InvalidRequest(ERR_CREDENTIAL_TYPE_UNSUPPORTED.format(kind))
    if kind not in SUPPORTED_CREDENTIAL_TYPES:
        raise InvalidRequest(ERR_CREDENTIAL_TYPE.format(kind))
    return kind


def _updated(existing: DynamicRole | None, data: FieldData) -> DynamicRole:
    base = existing or DynamicRole(db_name="")
    changes: dict[str, object] = {}
    if data.has("db_name"):
        changes["db_name"] = data.string("db_name")
    for key in (
        "creation_statements",
        "revocation_statements",
        "renew_statements",
        "rollback_statements",
    ):
        if data.has(key):
            changes[key] = tuple(data.strings(key))
    for key in ("default_ttl", "max_ttl"):
        if data.has(key):
            seconds = data.duration(key)
            if seconds < 0:
                raise InvalidRequest(ERR_NEGATIVE.format(key, seconds))
            changes[key] = seconds
    if data.has("credential_config"):
        changes["credential_config"] = data.mapping("credential_config")
    changes["credential_type"] = credential_type(data, base.credential_type)
    role = replace(base, **changes)  # type: ignore[arg-type]
    if not role.db_name:
        raise InvalidRequest(ERR_DB_NAME_REQUIRED)
    return role


def role_paths(ctx: DatabaseContext) -> list[Path]:
    async def exists(request: Request, data: FieldData) -> bool:
        return await ctx.role(storage_of(request), data.string("name")) is not None

    async def read(request: Request, data: FieldData) -> Response | None:
        role = await ctx.role(storage_of(request), data.string("name"))
        return None if role is None else Response.of(role.public())

    async def write(request: Request, data: FieldData) -> Response | None:
        storage = storage_of(request)
        role_name = data.string("name")
        async with ctx.locks.hold("role/" + role_name):
            if await storage.get(STATIC_ROLE_PREFIX + role_name) is not None:
                raise InvalidRequest(ERR_NAMES_UNIQUE)
            role = _updated(await ctx.role(storage, role_name), data)
            await storage.put(Entry(ROLE_PREFIX + role_name, role.serialize()))
        return None

    async def delete(request: Request, data: FieldData) -> Response | None:
        await storage_of(request).delete(ROLE_PREFIX + data.string("name"))
        return None

    async def list_roles(request: Request, data: FieldData) -> Response | None:
        return await list_response(storage_of(request), ROLE_PREFIX)

    return [
        Path(
            pattern=lit("roles") + opt("/"),
            operations={Operation.LIST: OperationSpec(list_roles, operation_id="list-roles")},
            synopsis="Manage the roles that can be created with this backend.",
        ),
        Path(
            pattern=lit("roles/") + name("name"),
            fields=FIELDS,
            exists=exists,
            operations={
                Operation.READ: OperationSpec(read, operation_id="read-role"),
                Operation.UPDATE: OperationSpec(write, operation_id="write-role"),
                Operation.DELETE: OperationSpec(delete, operation_id="delete-role"),
            },
            synopsis="Manage the roles that can be created with this backend.",
            description=(
                "A role names a database connection and the statements that create, renew, "
                "revoke and roll back a user. {{name}}, {{password}} and {{expiration}} are "
                "replaced in each statement."
            ),
        ),
    ]


__all__ = ["CREDENTIAL_FIELDS", "credential_type", "role_paths"]
