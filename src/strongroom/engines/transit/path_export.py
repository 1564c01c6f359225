"""`export/:type/:name(/:version)`: a key's material for one export type, per version.

Private material (encryption-key, signing-key, hmac-key) leaves only for keys created or
configured `exportable`; public-key works for every asymmetric key. Formats follow what
OpenBao returns: base64 for raw keys, PEM for ECDSA/RSA (OpenBao ends RSA PEM with a
newline and ECDSA PEM without one).
"""

from __future__ import annotations

import re
from functools import partial

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from strongroom.engines.transit._context import TransitContext, storage_of
from strongroom.engines.transit._encoding import b64encode
from strongroom.engines.transit._messages import (
    ERR_EXPORT_BELOW_MIN,
    ERR_EXPORT_KIND,
    ERR_EXPORT_NO_ENCRYPTION,
    ERR_EXPORT_NO_SIGNING,
    ERR_EXPORT_TYPE,
    ERR_EXPORT_VERSION,
    ERR_EXPORT_VERSION_MISSING,
    ERR_NOT_EXPORTABLE,
)
from strongroom.engines.transit._policy import KeyVersion, Policy
from strongroom.engines.transit._types import ASYMMETRIC, CAPABILITIES, SYMMETRIC, KeyType
from strongroom.errors import InvalidRequest
from strongroom.framework import (
    Field,
    FieldData,
    FieldType,
    OperationSpec,
    Path,
    lit,
    name,
    opt,
    segment,
)
from strongroom.logical import Operation, Request, Response

ENCRYPTION_KEY = "encryption-key"
SIGNING_KEY = "signing-key"
HMAC_KEY = "hmac-key"
PUBLIC_KEY = "public-key"
EXPORT_TYPES = frozenset({ENCRYPTION_KEY, SIGNING_KEY, HMAC_KEY, PUBLIC_KEY})

# Go's strconv.Atoi syntax: optional sign, ASCII digits only
_GO_INT = re.compile(r"[+-]?[0-9]+")

FIELDS = {
    "type": Field(
        FieldType.STRING,
        "Type of key to export (encryption-key, signing-key, hmac-key, public-key)",
        required=True,
    ),
    "name": Field(FieldType.STRING, "Name of the key", required=True),
    "version": Field(FieldType.STRING, "Version of the key"),
}

_PEM = serialization.Encoding.PEM
_TRADITIONAL = serialization.PrivateFormat.TraditionalOpenSSL
_PKIX = serialization.PublicFormat.SubjectPublicKeyInfo


def check_capability(policy: Policy, export_type: str) -> None:
    """The key type must support what the export type exposes."""
    caps = CAPABILITIES[policy.type]
    if export_type == ENCRYPTION_KEY and not caps.encryption:
        raise InvalidRequest(ERR_EXPORT_NO_ENCRYPTION)
    if export_type == SIGNING_KEY and not caps.signing:
        raise InvalidRequest(ERR_EXPORT_NO_SIGNING)


def selected_versions(policy: Policy, version: str) -> list[int]:
    """All usable versions for "" ; the latest for "latest"; else the one named."""
    if version == "":
        return sorted(n for n in policy.versions if n >= policy.min_decryption_version)
    if version == "latest":
        return [policy.latest_version]
    if _GO_INT.fullmatch(version) is None:
        raise InvalidRequest(ERR_EXPORT_VERSION)
    number = int(version)
    if number < policy.min_decryption_version:
        raise InvalidRequest(ERR_EXPORT_BELOW_MIN)
    if number > policy.latest_version or policy.version(number) is None:
        raise InvalidRequest(ERR_EXPORT_VERSION_MISSING)
    return [number]


def _pem(data: bytes, *, trailing_newline: bool) -> str:
    text = data.decode("ascii")
    return text if trailing_newline else text.rstrip("\n")


def _private_text(version: KeyVersion) -> str:
    private = version.private_key
    if isinstance(private, ed25519.Ed25519PrivateKey):
        # vault-compat: Go's 64-byte ed25519.PrivateKey (seed || public key)
        public = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return b64encode(version.key + public)
    raw = private.private_bytes(_PEM, _TRADITIONAL, serialization.NoEncryption())
    return _pem(raw, trailing_newline=isinstance(private, rsa.RSAPrivateKey))


def _public_text(version: KeyVersion) -> str:
    public = version.private_key.public_key()
    if isinstance(public, ed25519.Ed25519PublicKey):
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return b64encode(raw)
    pem = public.public_bytes(_PEM, _PKIX)
    return _pem(pem, trailing_newline=not isinstance(public, ec.EllipticCurvePublicKey))


def export_material(policy: Policy, version: KeyVersion, export_type: str) -> str:
    """One version's material in OpenBao's text form for `export_type`."""
    if export_type == HMAC_KEY:
        return b64encode(version.key if policy.type is KeyType.HMAC else version.hmac_key)
    if export_type == PUBLIC_KEY:
        if policy.type not in ASYMMETRIC:
            # OpenBao answers this with a 500; it is the client's mistake, so 400 here
            raise InvalidRequest(ERR_EXPORT_KIND.format(policy.type, export_type))
        return _public_text(version)
    if policy.type in SYMMETRIC:
        return b64encode(version.key)
    return _private_text(version)


async def export_key(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """`{"name", "type", "keys": {"<n>": material}}`; None (404) when the key is absent."""
    export_type = data.string("type")
    if export_type not in EXPORT_TYPES:
        raise InvalidRequest(ERR_EXPORT_TYPE.format(export_type))
    policy = await ctx.load(storage_of(request), data.string("name"))
    if policy is None:
        return None
    if export_type != PUBLIC_KEY and not policy.exportable:
        raise InvalidRequest(ERR_NOT_EXPORTABLE)
    check_capability(policy, export_type)
    keys = {
        str(n): export_material(policy, policy.versions[n], export_type)
        for n in selected_versions(policy, data.string("version"))
    }
    return Response.of({"name": policy.name, "type": str(policy.type), "keys": keys})


def export_path(ctx: TransitContext) -> Path:
    """`export/:type/:name(/:version)` bound to `ctx`."""
    return Path(
        pattern=lit("export/")
        + name("type")
        + lit("/")
        + name("name")
        + opt(lit("/") + segment("version")),
        operations={
            Operation.READ: OperationSpec(
                partial(export_key, ctx),
                summary="Export named encryption or signing key",
                operation_id="transit-export-key",
            ),
        },
        fields=FIELDS,
        synopsis="Export named encryption or signing key",
        description="This path is used to export the named keys that are configured as exportable.",
    )


__all__ = ["EXPORT_TYPES", "export_material", "export_path", "selected_versions"]
