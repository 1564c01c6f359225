"""Batch tokens: self-contained, encrypted, never written to storage (`hvb.` prefix).

The token carries its own entry sealed with AES-256-GCM under a key that lives in the token
store's (barrier-encrypted) storage. It cannot be renewed or revoked on its own; it dies with
its parent and at its expiry.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from strongroom.tokens.entry import TokenEntry

BATCH_PREFIX = "hvb."
_AAD = b"strongroom/batch-token/v1"


def seal_batch(key: bytes, entry: TokenEntry, *, rng: Callable[[int], bytes] = os.urandom) -> str:
    """The token string that carries `entry`."""
    nonce = rng(12)
    blob = nonce + AESGCM(key).encrypt(nonce, entry.serialize(), _AAD)
    return BATCH_PREFIX + base64.urlsafe_b64encode(blob).decode().rstrip("=")


def open_batch(key: bytes, token: str) -> TokenEntry | None:
    """The entry inside a batch token, or None when it is not one of ours (no detail why)."""
    if not token.startswith(BATCH_PREFIX):
        return None
    text = token[len(BATCH_PREFIX) :]
    try:
        blob = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        plain = AESGCM(key).decrypt(blob[:12], blob[12:], _AAD)
        return TokenEntry.deserialize(plain)
    except (binascii.Error, ValueError, InvalidTag, TypeError, KeyError):
        return None


__all__ = ["BATCH_PREFIX", "open_batch", "seal_batch"]
