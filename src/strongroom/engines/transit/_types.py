"""The key types transit supports and what each can do (OpenBao keysutil KeyType). Pure data."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class KeyType(enum.StrEnum):
    """Wire names of the key types."""

    AES128_GCM96 = "aes128-gcm96"
    AES256_GCM96 = "aes256-gcm96"
    CHACHA20_POLY1305 = "chacha20-poly1305"
    ED25519 = "ed25519"
    ECDSA_P256 = "ecdsa-p256"
    ECDSA_P384 = "ecdsa-p384"
    ECDSA_P521 = "ecdsa-p521"
    RSA_2048 = "rsa-2048"
    RSA_3072 = "rsa-3072"
    RSA_4096 = "rsa-4096"
    HMAC = "hmac"


@dataclass(frozen=True, slots=True)
class Capabilities:
    """The supports_* flags of a key read, plus the name shown per version."""

    encryption: bool
    signing: bool
    derivation: bool
    public_name: str = ""


CAPABILITIES: dict[KeyType, Capabilities] = {
    KeyType.AES128_GCM96: Capabilities(True, False, True),
    KeyType.AES256_GCM96: Capabilities(True, False, True),
    KeyType.CHACHA20_POLY1305: Capabilities(True, False, True),
    KeyType.ED25519: Capabilities(False, True, True, "ed25519"),
    KeyType.ECDSA_P256: Capabilities(False, True, False, "P-256"),
    KeyType.ECDSA_P384: Capabilities(False, True, False, "P-384"),
    KeyType.ECDSA_P521: Capabilities(False, True, False, "P-521"),
    KeyType.RSA_2048: Capabilities(True, True, False, "rsa-2048"),
    KeyType.RSA_3072: Capabilities(True, True, False, "rsa-3072"),
    KeyType.RSA_4096: Capabilities(True, True, False, "rsa-4096"),
    KeyType.HMAC: Capabilities(False, False, False),
}

SYMMETRIC = frozenset({KeyType.AES128_GCM96, KeyType.AES256_GCM96, KeyType.CHACHA20_POLY1305})
ECDSA = frozenset({KeyType.ECDSA_P256, KeyType.ECDSA_P384, KeyType.ECDSA_P521})
RSA = frozenset({KeyType.RSA_2048, KeyType.RSA_3072, KeyType.RSA_4096})
ASYMMETRIC = ECDSA | RSA | {KeyType.ED25519}

KEY_BYTES = {KeyType.AES128_GCM96: 16, KeyType.AES256_GCM96: 32, KeyType.CHACHA20_POLY1305: 32}
RSA_BITS = {KeyType.RSA_2048: 2048, KeyType.RSA_3072: 3072, KeyType.RSA_4096: 4096}


def parse_key_type(text: str) -> KeyType | None:
    """The KeyType called `text`, or None."""
    try:
        return KeyType(text)
    except ValueError:
        return None


__all__ = [
    "ASYMMETRIC",
    "CAPABILITIES",
    "ECDSA",
    "KEY_BYTES",
    "RSA",
    "RSA_BITS",
    "SYMMETRIC",
    "Capabilities",
    "KeyType",
    "parse_key_type",
]
