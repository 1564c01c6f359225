"""`sys/generate-root-token/*` (OpenBao >= 2.6, authenticated and sudo) and `sys/decode-token`.

The `bao operator generate-root` command of OpenBao 2.6+ uses these instead of the
unauthenticated `sys/generate-root/*` endpoints (which live in http/, off by default).
"""

from __future__ import annotations

import base64
import binascii

from strongroom.engines.system._core import SystemCore
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit
from strongroom.logical import Operation, Request, Response
from strongroom.seal.shares import decode_share


def generate_root_paths(core: SystemCore) -> list[Path]:
    async def status(request: Request, data: FieldData) -> Response | None:
        return Response.of(await core.root_generation_status())

    async def start(request: Request, data: FieldData) -> Response | None:
        started = await core.start_root_generation(
            otp=data.string("otp"), pgp_key=data.string("pgp_key")
        )
        return Response.of(started)

    async def cancel(request: Request, data: FieldData) -> Response | None:
        core.cancel_root_generation()
        return None

    async def update(request: Request, data: FieldData) -> Response | None:
        share = decode_share(data.get("key"))
        return Response.of(await core.update_root_generation(share, data.string("nonce")))

    async def decode(request: Request, data: FieldData) -> Response | None:
        return Response.of(
            {"token": decode_token(data.string("encoded_token"), data.string("otp"))}
        )

    return [
        Path(
            pattern=lit("generate-root-token/attempt"),
            operations={Operation.READ: status, Operation.UPDATE: start, Operation.DELETE: cancel},
            fields={
                "otp": Field(FieldType.STRING, "Deprecated: the server generates the OTP."),
                "pgp_key": Field(FieldType.STRING, "Not supported: PGP-encrypted root tokens."),
            },
            synopsis="Reads, starts or cancels a root token generation attempt.",
        ),
        Path(
            pattern=lit("generate-root-token/update"),
            operations={Operation.UPDATE: update},
            fields={
                "key": Field(FieldType.STRING, "One unseal key share.", required=True),
                "nonce": Field(FieldType.STRING, "The attempt's nonce.", required=True),
            },
            synopsis="Provides one unseal key share toward a new root token.",
        ),
        Path(
            pattern=lit("decode-token"),
            operations={Operation.UPDATE: decode},
            fields={
                "encoded_token": Field(FieldType.STRING, "The encoded token.", required=True),
                "otp": Field(FieldType.STRING, "The OTP the attempt returned.", required=True),
            },
            synopsis="Decodes an encoded root token with its one-time password.",
        ),
    ]


def decode_token(encoded: str, otp: str) -> str:
    """XOR the raw-base64 `encoded` token with `otp` (the scheme of `bao operator
    generate-root -decode`)."""
    try:
        raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidRequest("encoded_token is not valid base64") from None
    if not otp or len(raw) != len(otp):
        raise InvalidRequest("the OTP does not match the length of the encoded token")
    token = bytes(a ^ b for a, b in zip(raw, otp.encode(), strict=True))
    try:
        return token.decode("ascii")
    except UnicodeDecodeError:
        raise InvalidRequest("the OTP does not decode this token") from None


__all__ = ["decode_token", "generate_root_paths"]
