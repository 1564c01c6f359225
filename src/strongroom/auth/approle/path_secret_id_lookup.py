"""`role/:role_name/secret-id/{lookup,destroy}` and
`role/:role_name/secret-id-accessor/{lookup,destroy}`: inspect or revoke one secret ID, named
by its value or by its accessor.

An unknown or expired secret ID looks up as nothing (204). An unknown accessor is a 404 whose
body carries the error in `data`, as OpenBao answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from strongroom.auth.approle._context import AppRoleContext, storage_of
from strongroom.auth.approle._fields import ROLE_NAME, SECRET_ID, SECRET_ID_ACCESSOR, role_name
from strongroom.auth.approle._messages import (
    ERR_MISSING_ACCESSOR,
    ERR_NO_ACCESSOR,
    ERR_ROLE_MISSING,
)
from strongroom.auth.approle._secret_ids import destroy, find, find_by_accessor
from strongroom.auth.approle._store import apply, delete_accessor, load_role
from strongroom.errors import InvalidRequest
from strongroom.framework import FieldData, OperationSpec, Path, lit, name, opt
from strongroom.logical import Operation, Request, Response
from strongroom.storage import Storage

Handler = Callable[[AppRoleContext, Request, FieldData], Awaitable[Response | None]]


async def _role_storage(request: Request, data: FieldData) -> tuple[str, Storage]:
    """The role's name and the storage; 400 when the role does not exist (OpenBao: 500)."""
    name_ = role_name(data)
    storage = storage_of(request)
    if await load_role(storage, name_) is None:
        raise InvalidRequest(ERR_ROLE_MISSING.format(name_))
    return name_, storage


def _accessor(data: FieldData) -> str:
    accessor = data.string("secret_id_accessor").strip()
    if not accessor:
        raise InvalidRequest(ERR_MISSING_ACCESSOR)
    return accessor


async def lookup(ctx: AppRoleContext, request: Request, data: FieldData) -> Response | None:
    secret_id = str(data.require("secret_id"))
    name_, storage = await _role_storage(request, data)
    entry = await find(ctx, storage, name_, secret_id)
    return None if entry is None else Response.of(entry.render())


async def destroy_secret_id(
    ctx: AppRoleContext, request: Request, data: FieldData
) -> Response | None:
    secret_id = str(data.require("secret_id"))
    name_, storage = await _role_storage(request, data)
    async with ctx.role_lock(name_):
        entry = await find(ctx, storage, name_, secret_id, include_expired=True)
        if entry is not None:
            await destroy(storage, name_, entry)
    return None


async def lookup_accessor(
    ctx: AppRoleContext, request: Request, data: FieldData
) -> Response | None:
    accessor = _accessor(data)
    name_, storage = await _role_storage(request, data)
    known, entry = await find_by_accessor(ctx, storage, name_, accessor)
    if not known:
        return Response(data={"error": ERR_NO_ACCESSOR.format(accessor)}, status=404)
    return None if entry is None else Response.of(entry.render())


async def destroy_accessor(
    ctx: AppRoleContext, request: Request, data: FieldData
) -> Response | None:
    accessor = _accessor(data)
    name_, storage = await _role_storage(request, data)
    async with ctx.role_lock(name_):
        known, entry = await find_by_accessor(ctx, storage, name_, accessor, include_expired=True)
        if not known:
            raise InvalidRequest(ERR_NO_ACCESSOR.format(accessor))
        if entry is None:  # an accessor whose secret ID is already gone
            await apply(storage, [delete_accessor(name_, accessor)])
        else:
            await destroy(storage, name_, entry)
    return None


def _path(
    ctx: AppRoleContext,
    suffix: str,
    field: str,
    handlers: dict[Operation, tuple[Handler, str]],
    synopsis: str,
) -> Path:
    return Path(
        pattern=lit("role/") + name("role_name") + lit("/" + suffix) + opt("/"),
        operations={
            op: OperationSpec(partial(handler, ctx), operation_id=operation_id)
            for op, (handler, operation_id) in handlers.items()
        },
        fields={
            "role_name": ROLE_NAME,
            field: SECRET_ID if field == "secret_id" else SECRET_ID_ACCESSOR,
        },
        synopsis=synopsis,
    )


def secret_id_lookup_paths(ctx: AppRoleContext) -> list[Path]:
    """The four lookup/destroy paths bound to `ctx`."""
    destroy_ops: dict[Operation, tuple[Handler, str]] = {
        Operation.UPDATE: (destroy_secret_id, "app-role-destroy-secret-id"),
        Operation.DELETE: (destroy_secret_id, "app-role-destroy-secret-id2"),
    }
    destroy_accessor_ops: dict[Operation, tuple[Handler, str]] = {
        Operation.UPDATE: (destroy_accessor, "app-role-destroy-secret-id-by-accessor"),
        Operation.DELETE: (destroy_accessor, "app-role-destroy-secret-id-by-accessor2"),
    }
    return [
        _path(
            ctx,
            "secret-id/lookup",
            "secret_id",
            {Operation.UPDATE: (lookup, "app-role-look-up-secret-id")},
            "Read the properties of an issued secret_id",
        ),
        _path(ctx, "secret-id/destroy", "secret_id", destroy_ops, "Invalidate an issued secret_id"),
        _path(
            ctx,
            "secret-id-accessor/lookup",
            "secret_id_accessor",
            {Operation.UPDATE: (lookup_accessor, "app-role-look-up-secret-id-by-accessor")},
            "Read the properties of an issued secret_id, by its accessor",
        ),
        _path(
            ctx,
            "secret-id-accessor/destroy",
            "secret_id_accessor",
            destroy_accessor_ops,
            "Invalidate an issued secret_id, by its accessor",
        ),
    ]


__all__ = [
    "destroy_accessor",
    "destroy_secret_id",
    "lookup",
    "lookup_accessor",
    "secret_id_lookup_paths",
]
