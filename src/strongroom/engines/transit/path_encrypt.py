"""`encrypt/:name`: encrypt one plaintext or a `batch_input`. A missing key is created
(upsert) with the request's `type`, derived when a context is given.

Batch: failed items carry "error"; if any item failed the response status is 400 with the
full `batch_results` body (OpenBao's default partial_failure_response_code)."""

from __future__ import annotations

from functools import partial

from strongroom.engines.transit import _batch, _keyuse
from strongroom.engines.transit._context import TransitContext, storage_of
from strongroom.engines.transit._encoding import b64decode_field
from strongroom.engines.transit._messages import (
    ERR_CONVERGENT_NEEDS_DERIVED,
    ERR_MISSING_PLAINTEXT,
    ERR_UNKNOWN_TYPE,
)
from strongroom.engines.transit._policy import Policy
from strongroom.engines.transit._types import parse_key_type
from strongroom.engines.transit.path_keys import FIELDS as KEY_FIELDS
from strongroom.engines.transit.path_keys import new_policy
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name
from strongroom.logical import Operation, Request, Response
from strongroom.storage import Storage
from strongroom.types import JSONDict

FIELDS = {
    "name": Field(FieldType.STRING, "Name of the key", required=True),
    "plaintext": Field(FieldType.STRING, "Base64 encoded plaintext value to be encrypted"),
    "context": Field(FieldType.STRING, "Base64 encoded context for key derivation."),
    "key_version": Field(FieldType.INT, "The version of the key to use for encryption."),
    "type": Field(FieldType.STRING, "Key type for an upserted key.", default="aes256-gcm96"),
    "convergent_encryption": Field(FieldType.BOOL, "Convergent encryption for an upserted key."),
    "batch_input": Field(FieldType.SLICE, "Items to encrypt in a single batch."),
    "partial_failure_response_code": Field(FieldType.INT, "Status when some items fail."),
}
_SINGLE = ("plaintext", "context", "key_version")


def encrypt_item(policy: Policy, item: _batch.Item) -> JSONDict:
    """One item's result: ciphertext and key_version."""
    if "plaintext" not in item:
        raise InvalidRequest(ERR_MISSING_PLAINTEXT)
    plaintext = b64decode_field(_batch.text(item, "plaintext"))
    context = _batch.context_of(policy, item)
    ciphertext, version = _keyuse.encrypt(
        policy, plaintext, context, _batch.integer(item, "key_version")
    )
    return {"ciphertext": ciphertext, "key_version": version}


async def _upsert(
    ctx: TransitContext, storage: Storage, data: FieldData, first: _batch.Item
) -> Policy:
    key_name = data.string("name")
    cached = ctx.cached(key_name)
    if cached is not None:
        return cached  # it exists: nothing to upsert, so no lock to take
    async with ctx.key_lock(key_name):
        policy = await ctx.load(storage, key_name)
        if policy is not None:
            return policy
        key_type = parse_key_type(data.string("type"))
        if key_type is None:
            raise InvalidRequest(ERR_UNKNOWN_TYPE.format(data.string("type")))
        derived = bool(_batch.text(first, "context"))
        if data.boolean("convergent_encryption") and not derived:
            raise InvalidRequest(ERR_CONVERGENT_NEEDS_DERIVED)
        raw = {
            "type": str(key_type),
            "derived": derived,
            "convergent_encryption": data.boolean("convergent_encryption"),
        }
        policy = new_policy(ctx, key_name, FieldData(raw, KEY_FIELDS))
        await ctx.save(storage, policy)
        return policy


def batch_response(results: list[JSONDict], any_failed: bool, data: FieldData) -> Response:
    """`batch_results`, with 400 (or partial_failure_response_code) when an item failed."""
    status = None
    if any_failed:
        status = data.integer("partial_failure_response_code") or 400
    return Response(data={"batch_results": results}, status=status)


async def encrypt(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Encrypt the plaintext (or each batch item) with the named key."""
    items, is_batch = _batch.items_of(data, _SINGLE)
    if not is_batch and "plaintext" not in items[0]:
        raise InvalidRequest(ERR_MISSING_PLAINTEXT)
    policy = await _upsert(ctx, storage_of(request), data, items[0])
    if not is_batch:
        return Response.of(encrypt_item(policy, items[0]))
    results, any_failed = _batch.run(
        items, partial(encrypt_item, policy), lambda message: {"error": message}
    )
    return batch_response(results, any_failed, data)


def encrypt_path(ctx: TransitContext) -> Path:
    """`encrypt/:name` bound to `ctx`."""
    return Path(
        pattern=lit("encrypt/") + name("name"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(encrypt, ctx),
                summary="Encrypt a plaintext value or a batch of "
                "plaintext blocks using a named key",
                operation_id="transit-encrypt",
            ),
        },
        fields=FIELDS,
        synopsis="Encrypt a plaintext value or a batch of plaintext blocks using a named key",
        description="This path uses the named key from the request path to encrypt a user "
        "provided plaintext or a batch of plaintext blocks. The plaintext must be base64 "
        "encoded.",
    )


__all__ = ["batch_response", "encrypt_item", "encrypt_path"]
