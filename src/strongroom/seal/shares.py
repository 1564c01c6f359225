"""Collecting key shares toward a threshold: shared by unseal, rekey and generate-root.

Validation and messages follow OpenBao: a share is hex or base64, 16 to 33 bytes; a share
already given is ignored; shares of different lengths fail the attempt and reset progress.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import uuid
from dataclasses import dataclass, field

from strongroom.errors import InvalidRequest

MIN_SHARE_BYTES = 16
MAX_SHARE_BYTES = 33


def decode_share(text: object, *, field_name: str = "key") -> bytes:
    """Bytes of a share given as hex or base64; 400 with OpenBao's text otherwise."""
    if not isinstance(text, str) or text == "":
        raise InvalidRequest(f"'{field_name}' must be a valid hex or base64 string")
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            # vault-compat: sys/unseal error text
            raise InvalidRequest(f"'{field_name}' must be a valid hex or base64 string") from None
    if len(raw) < MIN_SHARE_BYTES:
        raise InvalidRequest(f"invalid key: key is shorter than minimum {MIN_SHARE_BYTES} bytes")
    if len(raw) > MAX_SHARE_BYTES:
        raise InvalidRequest(f"invalid key: key is longer than maximum {MAX_SHARE_BYTES} bytes")
    return raw


def shares_json(shares: list[bytes]) -> dict[str, list[str]]:
    """New key shares as `sys/init` and `sys/rekey` hand them out: hex and base64."""
    return {
        "keys": [share.hex() for share in shares],
        "keys_base64": [base64.b64encode(share).decode() for share in shares],
    }


@dataclass
class ShareProgress:
    """Shares gathered so far for one attempt, identified by a nonce."""

    nonce: str = ""
    shares: list[bytes] = field(default_factory=list)

    @property
    def progress(self) -> int:
        return len(self.shares)

    def reset(self) -> None:
        self.nonce = ""
        self.shares.clear()

    def start(self) -> str:
        """Begin a new attempt and return its nonce."""
        self.shares.clear()
        self.nonce = str(uuid.uuid4())
        return self.nonce

    def add(
        self, share: bytes, threshold: int, *, duplicate_error: str | None = None
    ) -> list[bytes] | None:
        """Record a share; the shares once `threshold` are in (progress then resets).

        A share given twice is ignored (unseal), or refused with `duplicate_error` (rekey,
        generate-root), as OpenBao does.
        """
        if not self.nonce:
            self.nonce = str(uuid.uuid4())
        if any(hmac.compare_digest(share, known) for known in self.shares):
            if duplicate_error is not None:
                raise InvalidRequest(duplicate_error)
            return None
        if self.shares and len(self.shares[0]) != len(share):
            self.reset()
            # vault-compat: Shamir combine error text
            raise InvalidRequest(
                "invalid key: failed to compute combined key: all parts must be the same length"
            )
        self.shares.append(share)
        if len(self.shares) < threshold:
            return None
        complete = list(self.shares)
        self.reset()
        return complete


__all__ = ["MAX_SHARE_BYTES", "MIN_SHARE_BYTES", "ShareProgress", "decode_share", "shares_json"]
