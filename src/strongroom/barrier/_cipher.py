"""The barrier's ciphertext format: encrypt and decrypt one blob with one key.

Pure and synchronous; the nonce is passed in (the barrier draws it from its injected rng).
This module must not pick keys, count operations or touch storage.

Blob: 4-byte big-endian key term || 1 version byte (0x02) || 12-byte nonce ||
AES-256-GCM ciphertext and 16-byte tag. The associated data is supplied by the caller (the
storage path), which binds a ciphertext to where it is stored. Every way a blob can fail
(short, wrong version, bad tag, wrong key) raises one opaque DecryptionFailed.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from strongroom.errors import DecryptionFailed

VERSION = 0x02
KEY_SIZE = 32
TERM_SIZE = 4
NONCE_SIZE = 12
TAG_SIZE = 16
HEADER_SIZE = TERM_SIZE + 1
MIN_BLOB_SIZE = HEADER_SIZE + NONCE_SIZE + TAG_SIZE
MAX_TERM = 2**32 - 1


def aead(key: bytes) -> AESGCM:
    """The AEAD for `key`, to set up once and pass to `encrypt_with` / `decrypt_with`."""
    if len(key) != KEY_SIZE:
        raise ValueError(f"key must be {KEY_SIZE} bytes")
    return AESGCM(key)


def encrypt(key: bytes, term: int, plaintext: bytes, *, aad: bytes, nonce: bytes) -> bytes:
    """Encrypt `plaintext` under `key` (labelled with `term`), binding `aad`."""
    return encrypt_with(aead(key), term, plaintext, aad=aad, nonce=nonce)


def encrypt_with(cipher: AESGCM, term: int, plaintext: bytes, *, aad: bytes, nonce: bytes) -> bytes:
    """`encrypt` with an AEAD already set up for the key (see `aead`)."""
    if not 0 <= term <= MAX_TERM:
        raise ValueError(f"term must be between 0 and {MAX_TERM}")
    if len(nonce) != NONCE_SIZE:
        raise ValueError(f"nonce must be {NONCE_SIZE} bytes")
    header = term.to_bytes(TERM_SIZE, "big") + bytes((VERSION,))
    return header + nonce + cipher.encrypt(nonce, plaintext, aad)


def term_of(blob: bytes) -> int:
    """The key term a blob claims to be encrypted under (DecryptionFailed if malformed)."""
    if len(blob) < MIN_BLOB_SIZE or blob[TERM_SIZE] != VERSION:
        raise DecryptionFailed()
    return int.from_bytes(blob[:TERM_SIZE], "big")


def decrypt(key: bytes, blob: bytes, *, aad: bytes) -> bytes:
    """Authenticate and decrypt a blob made by `encrypt` with the same key and `aad`."""
    term_of(blob)  # format check
    if len(key) != KEY_SIZE:
        raise DecryptionFailed()
    return decrypt_with(AESGCM(key), blob, aad=aad)


def decrypt_with(cipher: AESGCM, blob: bytes, *, aad: bytes) -> bytes:
    """`decrypt` with the AEAD of the blob's key; the caller has checked the format with
    `term_of` (which is how it found the key)."""
    nonce = blob[HEADER_SIZE : HEADER_SIZE + NONCE_SIZE]
    try:
        return cipher.decrypt(nonce, blob[HEADER_SIZE + NONCE_SIZE :], aad)
    except InvalidTag:
        raise DecryptionFailed() from None


__all__ = ["aead", "decrypt", "decrypt_with", "encrypt", "encrypt_with", "term_of"]
