"""`datakey/plaintext|wrapped/:name`: a fresh random data key, encrypted with the named key;
`plaintext` also returns the key itself."""

from __future__ import annotations

import os
from functools import partial

from strongroom.engines.transit import _batch, _keyuse
from strongroom.engines.transit._context import TransitContext, storage_of
from strongroom.engines.transit._encoding import b64encode
from strongroom.engines.transit._messages import (
    ERR_DATAKEY_BITS,
    ERR_DATAKEY_TYPE,
    ERR_ENCRYPTION_KEY_NOT_FOUND,
)
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name
from strongroom.logical import Operation, Request, Response

FIELDS = {
    "plaintext": Field(FieldType.STRING, '"plaintext" or "wrapped"', required=True),
    "name": Field(
        FieldType.STRING, "The backend key used for encrypting the data key", required=True
    ),
    "context": Field(FieldType.STRING, "Base64 context for key derivation."),
    "bits": Field(FieldType.INT, "Number of bits for the key: 128, 256 or 512.", default=256),
    "key_version": Field(FieldType.INT, "The version of the key to use; 0 is latest."),
}


async def datakey(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Generate, encrypt and (for `plaintext`) return a data key."""
    kind = data.string("plaintext")
    if kind not in ("plaintext", "wrapped"):
        raise InvalidRequest(ERR_DATAKEY_TYPE)
    bits = data.integer("bits")
    if bits not in (128, 256, 512):
        raise InvalidRequest(ERR_DATAKEY_BITS)
    policy = await ctx.load(storage_of(request), data.string("name"))
    if policy is None:
        raise InvalidRequest(ERR_ENCRYPTION_KEY_NOT_FOUND)
    item: _batch.Item = {k: data.raw[k] for k in ("context", "key_version") if k in data.raw}
    context = _batch.context_of(policy, item)
    key = os.urandom(bits // 8)
    ciphertext, version = _keyuse.encrypt(policy, key, context, data.integer("key_version"))
    body = {"ciphertext": ciphertext, "key_version": version}
    if kind == "plaintext":
        body["plaintext"] = b64encode(key)
    return Response.of(body)


def datakey_path(ctx: TransitContext) -> Path:
    """`datakey/:plaintext/:name` bound to `ctx`."""
    return Path(
        pattern=lit("datakey/") + name("plaintext") + lit("/") + name("name"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(datakey, ctx),
                summary="Generate a data key",
                operation_id="transit-generate-data-key",
            ),
        },
        fields=FIELDS,
        synopsis="Generate a data key",
        description="This path can be used to generate a data key: a random key encrypted "
        "with a named key, optionally returned in plaintext too.",
    )


__all__ = ["datakey_path"]
