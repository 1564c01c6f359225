"""`hmac/:name(/:algorithm)`: HMAC of the input with a key version's HMAC key (the key itself
for `hmac` keys). `verify/` checks these through `verify_hmac_item`."""

from __future__ import annotations

from functools import partial

from cryptography.hazmat.primitives import constant_time

from strongroom.engines.transit import _batch, _crypto
from strongroom.engines.transit._context import TransitContext, storage_of
from strongroom.engines.transit._encoding import b64decode_field
from strongroom.engines.transit._envelope import check_version, decode_payload, split, wrap
from strongroom.engines.transit._messages import (
    ERR_ENCRYPTION_KEY_NOT_FOUND,
    ERR_HASH_ALGORITHM,
    ERR_HMAC_VERSION,
)
from strongroom.engines.transit._policy import KeyVersion, Policy
from strongroom.engines.transit._types import KeyType
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name, opt
from strongroom.logical import Operation, Request, Response
from strongroom.types import JSONDict

FIELDS = {
    "name": Field(FieldType.STRING, "The key to use for the HMAC function", required=True),
    "input": Field(FieldType.STRING, "The base64-encoded input data"),
    "algorithm": Field(FieldType.STRING, "Algorithm to use.", default="sha2-256"),
    "urlalgorithm": Field(FieldType.STRING, "Algorithm to use (from the URL)."),
    "key_version": Field(FieldType.INT, "The version of the key to use; 0 is latest."),
    "batch_input": Field(FieldType.SLICE, "Items to process in a single batch."),
}
_INPUT_PREFIX = "unable to decode input as base64: "


def _mac_key(policy: Policy, version: KeyVersion) -> bytes:
    return version.key if policy.type is KeyType.HMAC else version.hmac_key


def hmac_item(policy: Policy, hash_name: str, item: _batch.Item) -> JSONDict:
    """One item's result: the HMAC envelope."""
    message = b64decode_field(_batch.text(item, "input"), _INPUT_PREFIX)
    number = _batch.integer(item, "key_version") or policy.latest_version
    if number > policy.latest_version or number < policy.min_encryption_version:
        raise InvalidRequest(ERR_HMAC_VERSION.format(policy.latest_version))
    version = policy.version(number)
    if version is None:
        raise InvalidRequest(ERR_HMAC_VERSION.format(policy.latest_version))
    return {"hmac": wrap(number, _crypto.mac(_mac_key(policy, version), hash_name, message))}


def verify_hmac_item(policy: Policy, hash_name: str, item: _batch.Item) -> JSONDict:
    """Whether the item's `hmac` matches its input (constant-time comparison)."""
    message = b64decode_field(_batch.text(item, "input"), _INPUT_PREFIX)
    number, payload = split(_batch.text(item, "hmac"), "HMAC")
    given = decode_payload(payload, "HMAC")
    check_version(policy, number, "HMAC")
    expected = _crypto.mac(_mac_key(policy, policy.versions[number]), hash_name, message)
    return {"valid": constant_time.bytes_eq(expected, given)}


async def hmac(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """HMAC the input (or each batch item); failed items carry "error", status stays 200."""
    policy = await ctx.load(storage_of(request), data.string("name"))
    if policy is None:
        raise InvalidRequest(ERR_ENCRYPTION_KEY_NOT_FOUND)
    hash_name = data.string("urlalgorithm") or data.string("algorithm")
    if hash_name not in _crypto.HASHES:
        raise InvalidRequest(ERR_HASH_ALGORITHM.format(hash_name))
    items, is_batch = _batch.items_of(data, ("input", "key_version"))
    if not is_batch:
        return Response.of(hmac_item(policy, hash_name, items[0]))
    results, _ = _batch.run(
        items, partial(hmac_item, policy, hash_name), lambda message: {"error": message}
    )
    return Response.of({"batch_results": results})


def hmac_path(ctx: TransitContext) -> Path:
    """`hmac/:name(/:algorithm)` bound to `ctx`."""
    return Path(
        pattern=lit("hmac/") + name("name") + opt(lit("/") + name("urlalgorithm")),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(hmac, ctx),
                summary="Generate an HMAC for input data using the named key",
                operation_id="transit-generate-hmac",
            ),
        },
        fields=FIELDS,
        synopsis="Generate an HMAC for input data using the named key",
        description="Generates an HMAC sum of the given algorithm and key for the input data.",
    )


__all__ = ["hmac_item", "hmac_path", "verify_hmac_item"]
