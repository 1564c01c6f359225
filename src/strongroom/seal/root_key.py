"""Wrapping of the barrier's root key under the unseal key (the secret Shamir splits).

Pure and synchronous. This module owns only the byte format of the wrapped root key; it must
not read or write storage (the seal layer stores the blob) nor know about shares.

Blob format: 1 version byte (0x01) || 12-byte random nonce || AES-256-GCM ciphertext + tag,
with the fixed associated data `core/seal/root-key`, so the blob cannot be confused with any
barrier ciphertext (those bind their storage path instead).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from strongroom.errors import DecryptionFailed

VERSION = 0x01
KEY_SIZE = 32
NONCE_SIZE = 12
TAG_SIZE = 16
ASSOCIATED_DATA = b"core/seal/root-key"
_MIN_BLOB = 1 + NONCE_SIZE + TAG_SIZE


def wrap_root_key(
    unseal_key: bytes,
    root_key: bytes,
    *,
    rng: Callable[[int], bytes] = os.urandom,
) -> bytes:
    """Encrypt `root_key` under `unseal_key`. Both must be 32 bytes (ValueError otherwise)."""
    if len(unseal_key) != KEY_SIZE:
        raise ValueError(f"unseal key must be {KEY_SIZE} bytes")
    if len(root_key) != KEY_SIZE:
        raise ValueError(f"root key must be {KEY_SIZE} bytes")
    nonce = rng(NONCE_SIZE)
    if len(nonce) != NONCE_SIZE:
        raise ValueError(f"rng returned {len(nonce)} bytes, expected {NONCE_SIZE}")
    ciphertext = AESGCM(unseal_key).encrypt(nonce, root_key, ASSOCIATED_DATA)
    return bytes((VERSION,)) + nonce + ciphertext


def unwrap_root_key(unseal_key: bytes, blob: bytes) -> bytes:
    """Decrypt a blob made by `wrap_root_key`.

    Every failure (a wrong or wrong-sized unseal key, e.g. combined from foreign shares, a
    truncated or tampered blob, an unknown version) raises the same opaque DecryptionFailed.
    """
    if len(unseal_key) != KEY_SIZE or len(blob) < _MIN_BLOB or blob[0] != VERSION:
        raise DecryptionFailed()
    nonce = blob[1 : 1 + NONCE_SIZE]
    try:
        root_key = AESGCM(unseal_key).decrypt(nonce, blob[1 + NONCE_SIZE :], ASSOCIATED_DATA)
    except InvalidTag:
        raise DecryptionFailed() from None
    if len(root_key) != KEY_SIZE:
        raise DecryptionFailed()
    return root_key


__all__ = ["unwrap_root_key", "wrap_root_key"]
