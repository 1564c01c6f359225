"""`role/:role_name/secret-id` (generate, LIST accessors) and
`role/:role_name/custom-secret-id` (register a secret ID of the caller's choosing).

A secret ID's `num_uses` and `ttl` default to the role's and may only narrow them; its
`cidr_list` and `token_bound_cidrs` must lie inside the role's blocks when the role has any.
"""

from __future__ import annotations

from functools import partial

from strongroom.auth.approle._cidrs import check_subset, parse_cidrs
from strongroom.auth.approle._context import AppRoleContext, storage_of
from strongroom.auth.approle._fields import (
    LIST_FIELDS,
    SECRET_ID,
    SECRET_ID_FIELDS,
    check_durations,
    page,
    role_name,
)
from strongroom.auth.approle._messages import (
    ERR_NOT_BOUND,
    ERR_NUM_USES_ABOVE_ROLE,
    ERR_NUM_USES_NEGATIVE,
    ERR_ROLE_MISSING,
    ERR_TOKEN_CIDR,
    ERR_TTL_ABOVE_ROLE,
)
from strongroom.auth.approle._metadata import parse_metadata
from strongroom.auth.approle._model import Role, SecretIDEntry
from strongroom.auth.approle._secret_ids import new_id, store_new
from strongroom.auth.approle._store import list_accessors, load_role
from strongroom.errors import InvalidRequest, NotFound
from strongroom.framework import FieldData, OperationSpec, Path, lit, name, opt
from strongroom.logical import Operation, Request, Response


def _num_uses(role: Role, data: FieldData) -> int:
    if not data.has("num_uses"):
        return role.secret_id_num_uses
    num_uses = data.integer("num_uses")
    if num_uses < 0:
        raise InvalidRequest(ERR_NUM_USES_NEGATIVE)
    if role.secret_id_num_uses and (num_uses == 0 or num_uses > role.secret_id_num_uses):
        raise InvalidRequest(ERR_NUM_USES_ABOVE_ROLE)
    return num_uses


def _ttl(role: Role, data: FieldData) -> int:
    if not data.has("ttl"):
        return role.secret_id_ttl
    ttl = data.duration("ttl")
    if role.secret_id_ttl and (ttl == 0 or ttl > role.secret_id_ttl):
        raise InvalidRequest(ERR_TTL_ABOVE_ROLE)
    return ttl


def _template(role: Role, data: FieldData) -> SecretIDEntry:
    """The requested settings of a new secret ID, checked against its role."""
    cidr_list = parse_cidrs(data.strings("cidr_list"))
    check_subset(role.secret_id_bound_cidrs, cidr_list)
    token_cidrs = parse_cidrs(data.strings("token_bound_cidrs"), ERR_TOKEN_CIDR)
    check_subset(role.token.token_bound_cidrs, token_cidrs)
    return SecretIDEntry(
        secret_id_hmac="",
        accessor="",
        num_uses=_num_uses(role, data),
        ttl=_ttl(role, data),
        creation_time=0.0,
        expiration_time=0.0,
        last_updated_time=0.0,
        metadata=parse_metadata(data.string("metadata")),
        cidr_list=cidr_list,
        token_bound_cidrs=token_cidrs,
    )


async def _issue(
    ctx: AppRoleContext, request: Request, data: FieldData, secret_id: str
) -> Response:
    check_durations(data, SECRET_ID_FIELDS)
    name_ = role_name(data)
    storage = storage_of(request)
    async with ctx.role_lock(name_):
        role = await load_role(storage, name_)
        if role is None:
            raise NotFound(ERR_ROLE_MISSING.format(name_))
        if not role.bind_secret_id:
            raise InvalidRequest(ERR_NOT_BOUND)
        entry = await store_new(ctx, storage, name_, secret_id, _template(role, data))
    return Response.of(
        {
            "secret_id": secret_id,
            "secret_id_accessor": entry.accessor,
            "secret_id_num_uses": entry.num_uses,
            "secret_id_ttl": entry.ttl,
        }
    )


async def generate(ctx: AppRoleContext, request: Request, data: FieldData) -> Response | None:
    """Issue a new random secret ID."""
    return await _issue(ctx, request, data, new_id())


async def register_custom(
    ctx: AppRoleContext, request: Request, data: FieldData
) -> Response | None:
    """Register the secret ID the caller chose."""
    secret_id = str(data.require("secret_id"))
    return await _issue(ctx, request, data, secret_id)


async def list_secret_ids(
    ctx: AppRoleContext, request: Request, data: FieldData
) -> Response | None:
    """The accessors of the role's secret IDs (expired ones too, until tidied)."""
    name_ = role_name(data)
    storage = storage_of(request)
    if await load_role(storage, name_) is None:
        raise InvalidRequest(ERR_ROLE_MISSING.format(name_))
    keys = page(await list_accessors(storage, name_), data)
    return Response.of({"keys": keys}) if keys else None


def secret_id_paths(ctx: AppRoleContext) -> list[Path]:
    """`role/:role_name/secret-id` and `.../custom-secret-id` bound to `ctx`."""
    return [
        Path(
            pattern=lit("role/") + name("role_name") + lit("/secret-id") + opt("/"),
            operations={
                Operation.UPDATE: OperationSpec(
                    partial(generate, ctx), operation_id="app-role-write-secret-id"
                ),
                Operation.LIST: OperationSpec(
                    partial(list_secret_ids, ctx), operation_id="app-role-list-secret-ids"
                ),
            },
            fields={**SECRET_ID_FIELDS, **LIST_FIELDS},
            synopsis="Generate a SecretID against this role.",
            description="The SecretID generated using this endpoint will be scoped to access "
            "just this role and none else.",
        ),
        Path(
            pattern=lit("role/") + name("role_name") + lit("/custom-secret-id"),
            operations={
                Operation.UPDATE: OperationSpec(
                    partial(register_custom, ctx), operation_id="app-role-write-custom-secret-id"
                )
            },
            fields={**SECRET_ID_FIELDS, "secret_id": SECRET_ID},
            synopsis="Assign a SecretID of choice against the role.",
            description="This option is not recommended unless there is a specific need to "
            "do so. This will assign a client supplied SecretID to be used to access the role.",
        ),
    ]


__all__ = ["generate", "list_secret_ids", "register_custom", "secret_id_paths"]
