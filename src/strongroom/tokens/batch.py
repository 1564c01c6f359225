"""Batch tokens: self-contained, encrypted, never written to storage (`hvb.` prefix).

The token carries its own entry sealed with AES-256-GCM under a key that lives in the token
store's (barrier-encrypted) storage. It cannot be renewed or revoked on its own; it dies with
its parent and at its expiry.

New tokens get Vault's `hvb.` (see tokens/store.py for why not OpenBao's `b.`). A `b.` token
is the same encrypted entry under OpenBao's prefix and is accepted too, as OpenBao accepts both
(`IsBatchToken`). This module owns only the token string; it must not touch storage.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from strongroom.tokens.entry import TokenEntry

# vault-compat: consts.BatchTokenPrefix (Vault >= 1.10, issued here) and OpenBao's form
BATCH_PREFIX = "hvb."
OPENBAO_BATCH_PREFIX = "b."
_AAD = b"strongroom/batch-token/v1"


def seal_batch(key: bytes, entry: TokenEntry, *, rng: Callable[[int], bytes] = os.urandom) -> str:
    """The token string that carries `entry`."""
    nonce = rng(12)
    blob = nonce + AESGCM(key).encrypt(nonce, entry.serialize(), _AAD)
    return BATCH_PREFIX + base64.urlsafe_b64encode(blob).decode().rstrip("=")


def batch_prefix(token: str) -> str:
    """The batch prefix `token` starts with (`hvb.` or OpenBao's `b.`), or "" for none."""
    for prefix in (BATCH_PREFIX, OPENBAO_BATCH_PREFIX):
        if token.startswith(prefix):
            return prefix
    return ""


def is_batch_token(token: str) -> bool:
    """Whether `token` has a batch token's prefix (says nothing about its validity)."""
    return bool(batch_prefix(token))


def open_batch(key: bytes, token: str) -> TokenEntry | None:
    """The entry inside a batch token, or None when it is not one of ours (no detail why)."""
    prefix = batch_prefix(token)
    if not prefix:
        return None
    text = token[len(prefix) :]
    try:
        blob = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        plain = AESGCM(key).decrypt(blob[:12], blob[12:], _AAD)
        return TokenEntry.deserialize(plain)
    except (binascii.Error, ValueError, InvalidTag, TypeError, KeyError):
        return None


__all__ = [
    "BATCH_PREFIX",
    "OPENBAO_BATCH_PREFIX",
    "batch_prefix",
    "is_batch_token",
    "open_batch",
    "seal_batch",
]
