"""`sign/:name(/:hash_algorithm)` and `verify/:name(/:hash_algorithm)`: signatures with
asymmetric keys, and HMAC verification for any key (`verify` with `hmac`).

Batch items that fail carry "error" but the response stays 200, as in OpenBao."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from strongroom.engines.transit import _batch, _crypto
from strongroom.engines.transit._context import TransitContext, storage_of
from strongroom.engines.transit._encoding import b64decode_field, b64url_decode, b64url_nopad
from strongroom.engines.transit._envelope import check_version, decode_payload, split, wrap
from strongroom.engines.transit._messages import (
    ERR_BOTH_TO_VERIFY,
    ERR_HASH_ALGORITHM,
    ERR_MARSHALING,
    ERR_NO_SIGNING,
    ERR_NOTHING_TO_VERIFY,
    ERR_SIG_INVALID,
    ERR_SIGN_VERSION_HIGH,
    ERR_SIGNATURE_ALGORITHM,
    ERR_SIGNING_KEY_NOT_FOUND,
    ERR_VERIFY_KEY_NOT_FOUND,
)
from strongroom.engines.transit._policy import Policy
from strongroom.engines.transit._types import CAPABILITIES, KeyType
from strongroom.engines.transit.path_hmac import verify_hmac_item
from strongroom.errors import InvalidRequest
from strongroom.framework import (
    Field,
    FieldData,
    FieldType,
    Handler,
    OperationSpec,
    Path,
    lit,
    name,
    opt,
)
from strongroom.logical import Operation, Request, Response
from strongroom.types import JSONDict

_COMMON = {
    "name": Field(FieldType.STRING, "The key to use", required=True),
    "input": Field(FieldType.STRING, "The base64-encoded input data"),
    "context": Field(FieldType.STRING, "Base64 context for derived ed25519 keys."),
    "key_version": Field(FieldType.INT, "The version of the key to use; 0 is latest."),
    "hash_algorithm": Field(FieldType.STRING, "Hash algorithm to use.", default="sha2-256"),
    "urlalgorithm": Field(FieldType.STRING, "Hash algorithm to use (from the URL)."),
    "prehashed": Field(FieldType.BOOL, "Whether the input is already hashed."),
    "signature_algorithm": Field(FieldType.STRING, "RSA signature algorithm: pss or pkcs1v15."),
    "marshaling_algorithm": Field(FieldType.STRING, "asn1 or jws.", default="asn1"),
    "salt_length": Field(FieldType.STRING, "PSS salt length (auto only).", default="auto"),
    "batch_input": Field(FieldType.SLICE, "Items to process in a single batch."),
}
SIGN_FIELDS = dict(_COMMON)
VERIFY_FIELDS = {
    **_COMMON,
    "signature": Field(FieldType.STRING, "The signature, including vault header/key version"),
    "hmac": Field(FieldType.STRING, "The HMAC, including vault header/key version"),
}
_SINGLE = ("input", "context", "key_version", "signature", "hmac")


@dataclass(frozen=True, slots=True)
class SignOptions:
    """The request-wide signing options, validated once."""

    hash_name: str
    prehashed: bool
    signature_algorithm: str
    jws: bool


def options_of(data: FieldData) -> SignOptions:
    """Validate hash, signature and marshaling algorithms (URL algorithm wins)."""
    hash_name = data.string("urlalgorithm") or data.string("hash_algorithm")
    if hash_name not in _crypto.HASHES:
        raise InvalidRequest(ERR_HASH_ALGORITHM.format(hash_name))
    signature_algorithm = data.string("signature_algorithm") or "pss"
    if signature_algorithm not in ("pss", "pkcs1v15"):
        raise InvalidRequest(ERR_SIGNATURE_ALGORITHM.format(signature_algorithm))
    marshaling = data.string("marshaling_algorithm")
    if marshaling not in ("asn1", "jws"):
        raise InvalidRequest(ERR_MARSHALING.format(marshaling))
    return SignOptions(
        hash_name, data.boolean("prehashed"), signature_algorithm, marshaling == "jws"
    )


def _private_key(policy: Policy, number: int, item: _batch.Item) -> object:
    version = policy.versions[number]
    if policy.derived and policy.type is KeyType.ED25519:
        from cryptography.hazmat.primitives.asymmetric import ed25519

        seed = _crypto.derive(version.key, _batch.context_of(policy, item))
        return ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    return version.private_key


def sign_item(policy: Policy, options: SignOptions, item: _batch.Item) -> JSONDict:
    """One item's result: the signature envelope and key_version."""
    message = b64decode_field(_batch.text(item, "input"), "unable to decode input as base64: ")
    number = _batch.integer(item, "key_version") or policy.latest_version
    if number > policy.latest_version:
        raise InvalidRequest(ERR_SIGN_VERSION_HIGH)
    check_version(policy, number, "signature")
    raw = _crypto.sign(
        policy.type,
        _private_key(policy, number, item),
        message,
        hash_name=options.hash_name,
        prehashed=options.prehashed,
        signature_algorithm=options.signature_algorithm,
        jws=options.jws,
    )
    payload = b64url_nopad(raw) if options.jws else raw
    return {"signature": wrap(number, payload), "key_version": number}


def verify_item(policy: Policy, options: SignOptions, item: _batch.Item) -> JSONDict:
    """One item's result: whether the signature (or HMAC) is valid."""
    signature, mac = _batch.text(item, "signature"), _batch.text(item, "hmac")
    if signature and mac:
        raise InvalidRequest(ERR_BOTH_TO_VERIFY)
    if not signature and not mac:
        raise InvalidRequest(ERR_NOTHING_TO_VERIFY)
    if mac:
        return verify_hmac_item(policy, options.hash_name, item)
    if not CAPABILITIES[policy.type].signing:
        raise InvalidRequest(ERR_NO_SIGNING.format(policy.type))
    message = b64decode_field(_batch.text(item, "input"), "unable to decode input as base64: ")
    number, payload = split(signature, "signature")
    if options.jws:
        try:
            raw = b64url_decode(payload)
        except ValueError:
            raise InvalidRequest(ERR_SIG_INVALID) from None
    else:
        raw = decode_payload(payload, "signature")
    check_version(policy, number, "signature")
    valid = _crypto.verify(
        policy.type,
        _private_key(policy, number, item),
        message,
        raw,
        hash_name=options.hash_name,
        prehashed=options.prehashed,
        signature_algorithm=options.signature_algorithm,
        jws=options.jws,
    )
    return {"valid": valid}


async def sign(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Sign the input (or each batch item)."""
    policy = await ctx.load(storage_of(request), data.string("name"))
    if policy is None:
        raise InvalidRequest(ERR_SIGNING_KEY_NOT_FOUND)
    if not CAPABILITIES[policy.type].signing:
        raise InvalidRequest(ERR_NO_SIGNING.format(policy.type))
    options = options_of(data)
    items, is_batch = _batch.items_of(data, _SINGLE)
    if not is_batch:
        return Response.of(sign_item(policy, options, items[0]))
    results, _ = _batch.run(
        items, partial(sign_item, policy, options), lambda m: {"key_version": 0, "error": m}
    )
    return Response.of({"batch_results": results})


async def verify(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Verify the signature or HMAC (or each batch item)."""
    policy = await ctx.load(storage_of(request), data.string("name"))
    if policy is None:
        raise InvalidRequest(ERR_VERIFY_KEY_NOT_FOUND)
    options = options_of(data)
    items, is_batch = _batch.items_of(data, _SINGLE)
    if not is_batch:
        return Response.of(verify_item(policy, options, items[0]))
    results, _ = _batch.run(
        items, partial(verify_item, policy, options), lambda m: {"valid": False, "error": m}
    )
    return Response.of({"batch_results": results})


def _path(
    prefix: str, handler: Handler, fields: dict[str, Field], summary: str, op_id: str
) -> Path:
    return Path(
        pattern=lit(prefix) + name("name") + opt(lit("/") + name("urlalgorithm")),
        operations={
            Operation.UPDATE: OperationSpec(
                handler,
                summary=summary,
                operation_id=op_id,
            )
        },
        fields=fields,
        synopsis=summary,
        description=summary + ".",
    )


def sign_path(ctx: TransitContext) -> Path:
    """`sign/:name(/:hash_algorithm)` bound to `ctx`."""
    return _path(
        "sign/",
        partial(sign, ctx),
        SIGN_FIELDS,
        "Generate a signature for input data using the named key",
        "transit-sign",
    )


def verify_path(ctx: TransitContext) -> Path:
    """`verify/:name(/:hash_algorithm)` bound to `ctx`."""
    return _path(
        "verify/",
        partial(verify, ctx),
        VERIFY_FIELDS,
        "Verify a signature or HMAC for input data created using the named key",
        "transit-verify",
    )


__all__ = ["SignOptions", "options_of", "sign_item", "sign_path", "verify_item", "verify_path"]
