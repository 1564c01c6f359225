"""`role/` (LIST) and `role/:role_name` (create, read, update, delete).

A write changes only the fields it names; a new role gets a random role_id unless one is
given. Deleting a role deletes its secret IDs and its role_id index with it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from strongroom.auth._tokenutil import TokenParams
from strongroom.auth.approle._cidrs import parse_cidrs, parse_token_cidrs
from strongroom.auth.approle._context import AppRoleContext, storage_of
from strongroom.auth.approle._fields import (
    LIST_FIELDS,
    ROLE_FIELDS,
    check_durations,
    page,
    role_name,
)
from strongroom.auth.approle._messages import ERR_LOCAL_SECRET_IDS
from strongroom.auth.approle._model import Role
from strongroom.auth.approle._roles import (
    new_role_id,
    save_role,
    upgrade_period,
    upgrade_policies,
)
from strongroom.auth.approle._store import (
    apply,
    delete_role,
    delete_role_id,
    digest,
    list_accessors,
    list_roles,
    list_secret_hmacs,
    load_role,
    salt,
)
from strongroom.errors import InvalidRequest
from strongroom.framework import FieldData, OperationSpec, Path, lit, name, opt
from strongroom.logical import Operation, Request, Response
from strongroom.storage import TxnOp


def _apply_fields(role: Role, data: FieldData) -> Role:
    """`role` with every field the request names applied (not yet validated as a whole)."""
    if data.has("bind_secret_id"):
        role = replace(role, bind_secret_id=data.boolean("bind_secret_id"))
    if data.has("secret_id_bound_cidrs"):
        cidrs = parse_cidrs(data.strings("secret_id_bound_cidrs"))
        role = replace(role, secret_id_bound_cidrs=cidrs)
    elif data.has("bound_cidr_list"):
        role = replace(role, secret_id_bound_cidrs=parse_cidrs(data.strings("bound_cidr_list")))
    if data.has("secret_id_num_uses"):
        role = replace(role, secret_id_num_uses=data.integer("secret_id_num_uses"))
    if data.has("secret_id_ttl"):
        role = replace(role, secret_id_ttl=data.duration("secret_id_ttl"))
    if data.has("token_strictly_bind_ip"):
        role = replace(role, token_strictly_bind_ip=data.boolean("token_strictly_bind_ip"))
    if data.has("role_id"):
        role = replace(role, role_id=data.string("role_id"))
    token_cidrs = (
        parse_token_cidrs(data.strings("token_bound_cidrs"))
        if data.has("token_bound_cidrs")
        else role.token.token_bound_cidrs
    )
    token = replace(TokenParams.parse(data, role.token), token_bound_cidrs=token_cidrs)
    return upgrade_period(upgrade_policies(replace(role, token=token), data), data)


async def write_role(ctx: AppRoleContext, request: Request, data: FieldData) -> Response | None:
    """Create the role or update the fields the request names."""
    check_durations(data, ROLE_FIELDS)
    name_ = role_name(data)
    storage = storage_of(request)
    async with ctx.role_lock(name_):
        old = await load_role(storage, name_)
        if old is None:
            base = Role(
                name=name_,
                role_id=new_role_id(),
                local_secret_ids=data.boolean("local_secret_ids"),
            )
        elif data.has("local_secret_ids"):
            raise InvalidRequest(ERR_LOCAL_SECRET_IDS)
        else:
            base = old
        role = _apply_fields(base, data)
        await save_role(ctx, storage, role, old_role_id=old.role_id if old else "")
    return None


async def read_role(ctx: AppRoleContext, request: Request, data: FieldData) -> Response | None:
    role = await load_role(storage_of(request), role_name(data))
    return None if role is None else Response.of(role.render())


async def delete_role_and_secrets(
    ctx: AppRoleContext, request: Request, data: FieldData
) -> Response | None:
    """Delete the role, its role_id index and every secret ID issued against it."""
    name_ = role_name(data)
    storage = storage_of(request)
    async with ctx.role_lock(name_):
        role = await load_role(storage, name_)
        if role is None:
            return None
        key = await salt(ctx, storage)
        ops: list[TxnOp] = [delete_role(name_), delete_role_id(digest(key, role.role_id))]
        ops += [
            TxnOp("delete", f"secret_id/{name_}/{h}")
            for h in await list_secret_hmacs(storage, name_)
        ]
        ops += [
            TxnOp("delete", f"accessor/{name_}/{a}") for a in await list_accessors(storage, name_)
        ]
        await apply(storage, ops)
    return None


async def list_all_roles(ctx: AppRoleContext, request: Request, data: FieldData) -> Response | None:
    keys = page(await list_roles(storage_of(request)), data)
    return Response.of({"keys": keys}) if keys else None


async def role_exists(ctx: AppRoleContext, request: Request, data: FieldData) -> bool:
    return await load_role(storage_of(request), role_name(data)) is not None


def role_paths(ctx: AppRoleContext) -> list[Path]:
    """`role/` and `role/:role_name` bound to `ctx`."""
    return [
        Path(
            pattern=lit("role") + opt("/"),
            operations={
                Operation.LIST: OperationSpec(
                    partial(list_all_roles, ctx),
                    summary="Lists all the roles registered with the backend.",
                    operation_id="app-role-list-roles",
                )
            },
            fields=LIST_FIELDS,
            synopsis="Lists all the roles registered with the backend.",
            description="The list will contain the names of the roles.",
        ),
        Path(
            pattern=lit("role/") + name("role_name"),
            operations={
                Operation.READ: OperationSpec(
                    partial(read_role, ctx), operation_id="app-role-read-role"
                ),
                Operation.UPDATE: OperationSpec(
                    partial(write_role, ctx), operation_id="app-role-write-role"
                ),
                Operation.CREATE: OperationSpec(
                    partial(write_role, ctx), operation_id="app-role-write-role"
                ),
                Operation.DELETE: OperationSpec(
                    partial(delete_role_and_secrets, ctx), operation_id="app-role-delete-role"
                ),
            },
            fields=ROLE_FIELDS,
            exists=partial(role_exists, ctx),
            synopsis="Register an role with the backend.",
            description="A role can represent a service, a machine or anything that can be "
            "IDed. The set of policies on the role defines access to the role, meaning, any "
            "token with a policy set that is a superset of the policies on the role "
            "registered here will have access to the role. If a SecretID is desired to be "
            "generated against only this specific role, it can be done via "
            "'role/<role_name>/secret-id' and 'role/<role_name>/custom-secret-id' endpoints.",
        ),
    ]


__all__ = ["role_exists", "role_paths"]
