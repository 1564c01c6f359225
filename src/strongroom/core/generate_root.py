"""Root token generation from a quorum of unseal key shares (`sys/generate-root/*`).

The new token is returned XOR-ed with a one-time password the server generated at the start
of the attempt, base64 (raw, unpadded) encoded, exactly as `bao operator generate-root
-decode` expects.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import string
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from strongroom.errors import DecryptionFailed, InvalidRequest, Sealed
from strongroom.seal import combine_shares
from strongroom.seal.shares import ShareProgress
from strongroom.tokens import SERVICE_PREFIX, TOKEN_RANDOM_CHARS
from strongroom.types import JSONDict

if TYPE_CHECKING:
    from strongroom.core.core import Core

OTP_LENGTH = len(SERVICE_PREFIX) + TOKEN_RANDOM_CHARS
_OTP_ALPHABET = string.ascii_letters + string.digits


@dataclass
class _Attempt:
    otp: str
    nonce: str = field(default_factory=lambda: str(uuid.uuid4()))
    progress: ShareProgress = field(default_factory=ShareProgress)


class GenerateRoot:
    """The one root-generation attempt a node can have at a time."""

    def __init__(self, core: Core) -> None:
        self._core = core
        self._attempt: _Attempt | None = None

    def _require_unsealed(self) -> None:
        if self._core.sealed:
            raise Sealed()

    async def status(self, *, encoded: str = "", otp: str = "") -> JSONDict:
        self._require_unsealed()
        config = await self._core.seal_config()
        attempt = self._attempt
        return {
            "nonce": attempt.nonce if attempt else "",
            "started": attempt is not None or bool(encoded),
            "progress": attempt.progress.progress if attempt else 0,
            "required": config.secret_threshold if config else 0,
            "complete": bool(encoded),
            "encoded_token": encoded,
            "encoded_root_token": encoded,
            "pgp_fingerprint": "",
            "otp": otp,
            "otp_length": OTP_LENGTH,
        }

    async def start(self, *, otp: str = "", pgp_key: str = "") -> JSONDict:
        self._require_unsealed()
        if pgp_key:
            raise InvalidRequest("PGP-encrypted root tokens are not supported; use the OTP flow")
        if self._attempt is not None:
            # vault-compat: generate-root error text
            raise InvalidRequest("root generation already in progress for this namespace")
        if otp and len(otp) != OTP_LENGTH:
            raise InvalidRequest("OTP string has incorrect length")
        generated = "" if otp else "".join(secrets.choice(_OTP_ALPHABET) for _ in range(OTP_LENGTH))
        self._attempt = _Attempt(otp=otp or generated)
        return await self.status(otp=generated)

    def cancel(self) -> None:
        """Cancel the attempt (an API call: 503 while sealed)."""
        self._require_unsealed()
        self._attempt = None

    def reset(self) -> None:
        """Forget the attempt (sealing does this)."""
        self._attempt = None

    async def update(self, share: bytes, nonce: str) -> JSONDict:
        """Add a share; once the quorum is in, create a root token and return it encoded."""
        self._require_unsealed()
        attempt = self._attempt
        if attempt is None:
            raise InvalidRequest("no root generation in progress")
        if not hmac.compare_digest(nonce, attempt.nonce):
            # vault-compat: generate-root nonce error text
            raise InvalidRequest(
                "incorrect nonce supplied; nonce for this root generation operation is "
                f'"{attempt.nonce}"'
            )
        config = await self._core.seal_config()
        if config is None:
            raise InvalidRequest("server is not initialized")
        complete = attempt.progress.add(
            share,
            config.secret_threshold,
            duplicate_error="given key has already been provided during this generation operation",
        )
        if complete is None:
            return await self.status()
        unseal_key = combine_shares(complete, config.secret_threshold)
        try:
            await self._core.seal_access.recover_root_key(unseal_key)
        except DecryptionFailed:
            raise InvalidRequest(
                "root generation aborted: unable to authenticate: invalid key"
            ) from None
        token = await self._core.tokens.create_root()
        encoded = _xor_encode(token, attempt.otp)
        self._attempt = None
        body = await self.status(encoded=encoded)
        body.update(nonce=attempt.nonce, progress=config.secret_threshold, otp_length=0)
        return body


def _xor_encode(token: str, otp: str) -> str:
    raw = bytes(a ^ b for a, b in zip(token.encode(), otp.encode(), strict=True))
    return base64.b64encode(raw).decode().rstrip("=")


__all__ = ["OTP_LENGTH", "GenerateRoot"]
