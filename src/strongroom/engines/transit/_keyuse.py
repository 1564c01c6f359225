"""Choosing and preparing key material for one operation: which version, derived or not,
and the seal/open of a single item. Pure (the crypto is in `_crypto`)."""

from __future__ import annotations

from strongroom.engines.transit import _crypto
from strongroom.engines.transit._envelope import check_version, decode_payload, split, wrap
from strongroom.engines.transit._messages import (
    ERR_ENCRYPT_VERSION_HIGH,
    ERR_ENCRYPT_VERSION_LOW,
    ERR_NO_ENCRYPTION,
)
from strongroom.engines.transit._policy import KeyVersion, Policy
from strongroom.engines.transit._types import CAPABILITIES, SYMMETRIC
from strongroom.errors import InvalidRequest


def require_encryption(policy: Policy) -> None:
    """400 for key types that cannot encrypt."""
    if not CAPABILITIES[policy.type].encryption:
        raise InvalidRequest(ERR_NO_ENCRYPTION.format(policy.type))


def encryption_version(policy: Policy, requested: int) -> int:
    """The version to encrypt with: `requested`, or the latest when 0."""
    if requested == 0:
        return policy.latest_version
    if requested > policy.latest_version:
        raise InvalidRequest(ERR_ENCRYPT_VERSION_HIGH)
    if requested < max(policy.min_encryption_version, policy.min_decryption_version):
        raise InvalidRequest(ERR_ENCRYPT_VERSION_LOW)
    return requested


def working_key(policy: Policy, version: KeyVersion, context: bytes) -> bytes:
    """The version's key, derived for `context` when the policy is derived."""
    if policy.derived and policy.type in SYMMETRIC:
        return _crypto.derive(version.key, context)
    return version.key


def encrypt(policy: Policy, plaintext: bytes, context: bytes, requested: int) -> tuple[str, int]:
    """(ciphertext envelope, version used)."""
    require_encryption(policy)
    number = encryption_version(policy, requested)
    version = policy.versions[number]
    key = working_key(policy, version, context)
    nonce = _crypto.convergent_nonce(key, plaintext) if policy.convergent_encryption else None
    blob = _crypto.seal(policy.type, version, key, plaintext, nonce=nonce)
    return wrap(number, blob), number


def decrypt(policy: Policy, ciphertext: str, context: bytes) -> tuple[bytes, int]:
    """(plaintext, version it was encrypted with)."""
    require_encryption(policy)
    number, payload = split(ciphertext, "ciphertext")
    blob = decode_payload(payload, "ciphertext")
    check_version(policy, number, "ciphertext")
    version = policy.versions[number]
    key = working_key(policy, version, context)
    return _crypto.open_sealed(policy.type, version, key, blob), number


__all__ = ["decrypt", "encrypt", "encryption_version", "require_encryption", "working_key"]
