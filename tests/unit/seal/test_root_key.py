"""Unit tests for wrapping the barrier root key under the unseal key."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from strongroom.errors import DecryptionFailed
from strongroom.seal.root_key import ASSOCIATED_DATA, unwrap_root_key, wrap_root_key

UNSEAL_KEY = bytes(range(32))
ROOT_KEY = bytes(range(100, 132))


def fixed_rng(n: int) -> bytes:
    return b"\x07" * n


def test_round_trip() -> None:
    blob = wrap_root_key(UNSEAL_KEY, ROOT_KEY)
    assert unwrap_root_key(UNSEAL_KEY, blob) == ROOT_KEY


def test_format_is_version_nonce_ciphertext_tag() -> None:
    blob = wrap_root_key(UNSEAL_KEY, ROOT_KEY, rng=fixed_rng)
    assert blob[0] == 0x01
    assert blob[1:13] == b"\x07" * 12
    assert len(blob) == 1 + 12 + 32 + 16
    assert AESGCM(UNSEAL_KEY).decrypt(blob[1:13], blob[13:], b"core/seal/root-key") == ROOT_KEY
    assert ROOT_KEY not in blob


def test_fresh_nonce_each_time() -> None:
    assert wrap_root_key(UNSEAL_KEY, ROOT_KEY) != wrap_root_key(UNSEAL_KEY, ROOT_KEY)


def test_wrong_unseal_key() -> None:
    blob = wrap_root_key(UNSEAL_KEY, ROOT_KEY)
    with pytest.raises(DecryptionFailed) as info:
        unwrap_root_key(bytes(32), blob)
    assert str(info.value) == "decryption failed"


@pytest.mark.parametrize("size", [0, 16, 31, 33])
def test_wrong_sized_unseal_key_is_opaque(size: int) -> None:
    blob = wrap_root_key(UNSEAL_KEY, ROOT_KEY)
    with pytest.raises(DecryptionFailed):
        unwrap_root_key(bytes(size), blob)


def test_every_tampered_byte_fails() -> None:
    blob = wrap_root_key(UNSEAL_KEY, ROOT_KEY)
    for i in range(len(blob)):
        tampered = bytearray(blob)
        tampered[i] ^= 0x01
        with pytest.raises(DecryptionFailed):
            unwrap_root_key(UNSEAL_KEY, bytes(tampered))


@pytest.mark.parametrize("length", [0, 1, 13, 28])
def test_truncated_blob_fails(length: int) -> None:
    blob = wrap_root_key(UNSEAL_KEY, ROOT_KEY)
    with pytest.raises(DecryptionFailed):
        unwrap_root_key(UNSEAL_KEY, blob[:length])


def test_authentic_blob_with_wrong_sized_plaintext_fails() -> None:
    nonce = b"\x00" * 12
    forged = b"\x01" + nonce + AESGCM(UNSEAL_KEY).encrypt(nonce, b"short", ASSOCIATED_DATA)
    with pytest.raises(DecryptionFailed):
        unwrap_root_key(UNSEAL_KEY, forged)


def test_other_associated_data_fails() -> None:
    nonce = b"\x00" * 12
    forged = b"\x01" + nonce + AESGCM(UNSEAL_KEY).encrypt(nonce, ROOT_KEY, b"core/keyring")
    with pytest.raises(DecryptionFailed):
        unwrap_root_key(UNSEAL_KEY, forged)


@pytest.mark.parametrize(
    ("unseal_key", "root_key", "message"),
    [(bytes(16), ROOT_KEY, "unseal key"), (UNSEAL_KEY, bytes(31), "root key")],
)
def test_wrap_rejects_wrong_sizes(unseal_key: bytes, root_key: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        wrap_root_key(unseal_key, root_key)


def test_wrap_rejects_short_rng() -> None:
    with pytest.raises(ValueError, match="rng returned"):
        wrap_root_key(UNSEAL_KEY, ROOT_KEY, rng=lambda n: b"")
