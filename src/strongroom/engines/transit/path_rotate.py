"""`keys/:name/rotate`: add a new latest version. Old versions keep decrypting until they
fall below min_decryption_version."""

from __future__ import annotations

from functools import partial

from strongroom.engines.transit import _crypto
from strongroom.engines.transit._context import TransitContext, storage_of
from strongroom.engines.transit._messages import ERR_KEY_NOT_FOUND
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name
from strongroom.logical import Operation, Request, Response

FIELDS = {"name": Field(FieldType.STRING, "Name of the key", required=True)}


async def rotate_key(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Generate a new version; answer with the key's read body."""
    storage = storage_of(request)
    key_name = data.string("name")
    async with ctx.key_lock(key_name):
        policy = await ctx.load(storage, key_name)
        if policy is None:
            raise InvalidRequest(ERR_KEY_NOT_FOUND)
        version = _crypto.generate(policy.type, ctx.now_ns(), policy.key_size)
        policy = policy.with_version(version)
        await ctx.save(storage, policy)
    return Response.of(policy.render())


def rotate_path(ctx: TransitContext) -> Path:
    """`keys/:name/rotate` bound to `ctx`."""
    return Path(
        pattern=lit("keys/") + name("name") + lit("/rotate"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(rotate_key, ctx),
                summary="Rotate a key",
                operation_id="transit-rotate-key",
            ),
        },
        fields=FIELDS,
        synopsis="Rotate named encryption key",
        description="This path is used to rotate the named key. After rotation, new encryption "
        "requests using this name will use the new key, but decryption will still be supported "
        "for older versions.",
    )


__all__ = ["rotate_path"]
