"""`decrypt/:name`: decrypt one ciphertext or a `batch_input`. Failed batch items carry
"plaintext": "" and "error"; any failure makes the status 400, as in OpenBao."""

from __future__ import annotations

from functools import partial

from strongroom.engines.transit import _batch, _keyuse
from strongroom.engines.transit._context import TransitContext, storage_of
from strongroom.engines.transit._encoding import b64encode
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
    "ciphertext": Field(FieldType.STRING, "The ciphertext to decrypt."),
    "context": Field(FieldType.STRING, "Base64 encoded context for key derivation."),
    "batch_input": Field(FieldType.SLICE, "Items to decrypt in a single batch."),
    "partial_failure_response_code": Field(FieldType.INT, "Status when some items fail."),
}
_SINGLE = ("ciphertext", "context")


def decrypt_item(policy: Policy, item: _batch.Item) -> JSONDict:
    """One item's result: the base64 plaintext."""
    ciphertext = _batch.text(item, "ciphertext")
    if not ciphertext:
        raise InvalidRequest(ERR_MISSING_CIPHERTEXT)
    context = _batch.context_of(policy, item)
    plaintext, _ = _keyuse.decrypt(policy, ciphertext, context)
    return {"plaintext": b64encode(plaintext)}


async def decrypt(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Decrypt the ciphertext (or each batch item) with the named key."""
    items, is_batch = _batch.items_of(data, _SINGLE)
    if not is_batch and not _batch.text(items[0], "ciphertext"):
        raise InvalidRequest(ERR_MISSING_CIPHERTEXT)
    policy = await ctx.load(storage_of(request), data.string("name"))
    if policy is None:
        raise InvalidRequest(ERR_ENCRYPTION_KEY_NOT_FOUND)
    if not is_batch:
        return Response.of(decrypt_item(policy, items[0]))
    results, any_failed = _batch.run(
        items, partial(decrypt_item, policy), lambda m: {"plaintext": "", "error": m}
    )
    return batch_response(results, any_failed, data)


def decrypt_path(ctx: TransitContext) -> Path:
    """`decrypt/:name` bound to `ctx`."""
    return Path(
        pattern=lit("decrypt/") + name("name"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(decrypt, ctx),
                summary="Decrypt a ciphertext value using a named key",
                operation_id="transit-decrypt",
            ),
        },
        fields=FIELDS,
        synopsis="Decrypt a ciphertext value using a named key",
        description="This path uses the named key from the request path to decrypt a user "
        "provided ciphertext. The plaintext is returned base64 encoded.",
    )


__all__ = ["decrypt_item", "decrypt_path"]
