"""`keys/:name` (create, read, delete) and `keys/` (list): the named keys themselves.

Creating a key that exists returns it unchanged, as OpenBao does. Delete works only after
`keys/:name/config` sets deletion_allowed.
"""

from __future__ import annotations

from functools import partial

from strongroom.engines.transit import _crypto
from strongroom.engines.transit._context import TransitContext, list_names, storage_of
from strongroom.engines.transit._messages import (
    ERR_AUTO_ROTATE,
    ERR_CONVERGENT_NEEDS_DERIVED,
    ERR_DELETE_NOT_ALLOWED,
    ERR_HMAC_SIZE,
    ERR_UNKNOWN_TYPE,
)
from strongroom.engines.transit._policy import Policy
from strongroom.engines.transit._types import CAPABILITIES, KeyType, parse_key_type
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name, opt
from strongroom.logical import Operation, Request, Response

ERR_NO_DERIVATION = "key derivation and convergent encryption not supported for keys of type {}"

FIELDS = {
    "name": Field(FieldType.STRING, "Name of the key", required=True),
    "type": Field(FieldType.STRING, "The type of key to create.", default="aes256-gcm96"),
    "derived": Field(FieldType.BOOL, "Enables key derivation; requires a context per request."),
    "convergent_encryption": Field(
        FieldType.BOOL, "Deterministic encryption for the same plaintext and context."
    ),
    "exportable": Field(FieldType.BOOL, "Enables keys to be exportable."),
    "allow_plaintext_backup": Field(FieldType.BOOL, "Enables taking a plaintext backup."),
    "auto_rotate_period": Field(FieldType.DURATION, "How often to rotate automatically; 0 off."),
    "key_size": Field(FieldType.INT, "The key size in bytes for the hmac key type."),
    "context": Field(FieldType.STRING, "Base64 context for key derivation (unused on create)."),
}


def check_auto_rotate(seconds: int) -> None:
    """0 disables; anything else must be at least an hour."""
    if seconds != 0 and seconds < 3600:
        raise InvalidRequest(ERR_AUTO_ROTATE)


def new_policy(ctx: TransitContext, key_name: str, data: FieldData) -> Policy:
    """A validated, freshly generated version-1 key from the create fields."""
    key_type = parse_key_type(data.string("type"))
    if key_type is None:
        raise InvalidRequest(ERR_UNKNOWN_TYPE.format(data.string("type")))
    derived = data.boolean("derived")
    convergent = data.boolean("convergent_encryption")
    if convergent and not derived:
        raise InvalidRequest(ERR_CONVERGENT_NEEDS_DERIVED)
    if derived and not CAPABILITIES[key_type].derivation:
        raise InvalidRequest(ERR_NO_DERIVATION.format(key_type))
    key_size = data.integer("key_size") if key_type is KeyType.HMAC else 0
    if key_type is KeyType.HMAC and not 32 <= key_size <= 512:
        raise InvalidRequest(ERR_HMAC_SIZE)
    check_auto_rotate(data.duration("auto_rotate_period"))
    first = _crypto.generate(key_type, ctx.now_ns(), key_size)
    return Policy(
        name=key_name,
        type=key_type,
        versions={1: first},
        derived=derived,
        convergent_encryption=convergent,
        exportable=data.boolean("exportable"),
        allow_plaintext_backup=data.boolean("allow_plaintext_backup"),
        auto_rotate_period=data.duration("auto_rotate_period"),
        key_size=key_size,
    )


async def create_key(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Create the key unless it exists; either way answer with the key's read body."""
    storage = storage_of(request)
    key_name = data.string("name")
    async with ctx.key_lock(key_name):
        policy = await ctx.load(storage, key_name)
        if policy is None:
            policy = new_policy(ctx, key_name, data)
            await ctx.save(storage, policy)
    return Response.of(policy.render())


async def read_key(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """The key's settings and per-version public data; None (404) when absent."""
    policy = await ctx.load(storage_of(request), data.string("name"))
    return None if policy is None else Response.of(policy.render())


async def delete_key(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Delete a key whose config allows it."""
    storage = storage_of(request)
    key_name = data.string("name")
    async with ctx.key_lock(key_name):
        policy = await ctx.load(storage, key_name)
        if policy is None:
            raise InvalidRequest(
                f"error deleting policy {key_name}: could not delete key; not found"
            )
        if not policy.deletion_allowed:
            raise InvalidRequest(ERR_DELETE_NOT_ALLOWED.format(key_name))
        await ctx.delete(storage, key_name)
    return None


async def list_keys(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Key names; 404 when there are none."""
    names = await list_names(storage_of(request))
    return Response.of({"keys": names}) if names else None


def keys_path(ctx: TransitContext) -> Path:
    """`keys/:name` bound to `ctx`."""
    return Path(
        pattern=lit("keys/") + name("name"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(create_key, ctx), summary="Create a key", operation_id="transit-create-key"
            ),
            Operation.READ: OperationSpec(
                partial(read_key, ctx), summary="Read a key", operation_id="transit-read-key"
            ),
            Operation.DELETE: OperationSpec(
                partial(delete_key, ctx), summary="Delete a key", operation_id="transit-delete-key"
            ),
        },
        fields=FIELDS,
        synopsis="Managed named encryption keys",
        description="This path is used to manage the named keys that are available. Doing a "
        "write with no value against a new named key will create it using a randomly generated "
        "key.",
    )


def keys_list_path(ctx: TransitContext) -> Path:
    """`keys/` (list) bound to `ctx`."""
    return Path(
        pattern=lit("keys") + opt("/"),
        operations={
            Operation.LIST: OperationSpec(
                partial(list_keys, ctx), summary="List keys", operation_id="transit-list-keys"
            ),
        },
        synopsis="Managed named encryption keys",
        description="This path lists the named keys that are available.",
    )


__all__ = ["check_auto_rotate", "keys_list_path", "keys_path", "new_policy"]
