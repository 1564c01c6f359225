"""`rewrap/:name`: decrypt with whatever version made the ciphertext and encrypt again with
the latest (or `key_version`), without the plaintext leaving the engine."""

from __future__ import annotations

from functools import partial

from strongroom.engines.transit import _batch, _keyuse
from strongroom.engines.transit._context import TransitContext, storage_of
from strongroom.engines.transit._messages import (
    ERR_ENCRYPTION_KEY_NOT_FOUND,
    ERR_MISSING_CIPHERTEXT,
)
from strongroom.engines.transit._policy import Policy
from strongroom.engines.transit.path_encrypt import batch_response
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name
from strongroom.logical import Operation, Request, Response
from strongroom.types import JSONDict

FIELDS = {
    "name": Field(FieldType.STRING, "Name of the key", required=True),
    "ciphertext": Field(FieldType.STRING, "Ciphertext value to rewrap"),
    "context": Field(FieldType.STRING, "Base64 encoded context for key derivation."),
    "key_version": Field(FieldType.INT, "The version of the key to use for encryption."),
    "batch_input": Field(FieldType.SLICE, "Items to rewrap in a single batch."),
    "partial_failure_response_code": Field(FieldType.INT, "Status when some items fail."),
}
_SINGLE = ("ciphertext", "context", "key_version")


def rewrap_item(policy: Policy, item: _batch.Item) -> JSONDict:
    """One item's result: the new ciphertext and its key_version."""
    ciphertext = _batch.text(item, "ciphertext")
    if not ciphertext:
        raise InvalidRequest(ERR_MISSING_CIPHERTEXT)
    context = _batch.context_of(policy, item)
    plaintext, _ = _keyuse.decrypt(policy, ciphertext, context)
    new, version = _keyuse.encrypt(policy, plaintext, context, _batch.integer(item, "key_version"))
    return {"ciphertext": new, "key_version": version}


async def rewrap(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Rewrap the ciphertext (or each batch item) to the chosen version."""
    items, is_batch = _batch.items_of(data, _SINGLE)
    if not is_batch and not _batch.text(items[0], "ciphertext"):
        raise InvalidRequest(ERR_MISSING_CIPHERTEXT)
    policy = await ctx.load(storage_of(request), data.string("name"))
    if policy is None:
        raise InvalidRequest(ERR_ENCRYPTION_KEY_NOT_FOUND)
    if not is_batch:
        return Response.of(rewrap_item(policy, items[0]))
    results, any_failed = _batch.run(
        items, partial(rewrap_item, policy), lambda message: {"error": message}
    )
    return batch_response(results, any_failed, data)


def rewrap_path(ctx: TransitContext) -> Path:
    """`rewrap/:name` bound to `ctx`."""
    return Path(
        pattern=lit("rewrap/") + name("name"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(rewrap, ctx),
                summary="Rewrap ciphertext",
                operation_id="transit-rewrap",
            ),
        },
        fields=FIELDS,
        synopsis="Rewrap ciphertext",
        description="After key rotation, this function can be used to rewrap the given "
        "ciphertext with the latest version of the named key.",
    )


__all__ = ["rewrap_item", "rewrap_path"]
