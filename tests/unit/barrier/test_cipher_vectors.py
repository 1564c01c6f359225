"""Known answers: the barrier's blob decrypt is AES-256-GCM as published.

Vectors are Test Cases 13-16 of McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)"
(the AES-256 cases, 96-bit IV), wrapped in the barrier's header: term || 0x02 || IV || C || T.
"""

from __future__ import annotations

import pytest

from strongroom.barrier import _cipher
from strongroom.errors import DecryptionFailed

K_ZERO = "00" * 32
K_FEFF = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
IV_ZERO = "00" * 12
IV_CAFE = "cafebabefacedbaddecaf888"
P_64 = (
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
)
C_64 = (
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
)
AAD_16 = "feedfacedeadbeeffeedfacedeadbeefabaddad2"

# (name, key, iv, plaintext, aad, ciphertext, tag)
VECTORS = [
    ("case 13", K_ZERO, IV_ZERO, "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"),
    (
        "case 14",
        K_ZERO,
        IV_ZERO,
        "00" * 16,
        "",
        "cea7403d4d606b6e074ec5d3baf39d18",
        "d0d1c8a799996bf0265b98b5d48ab919",
    ),
    ("case 15", K_FEFF, IV_CAFE, P_64, "", C_64, "b094dac5d93471bdec1a502270e3cc6c"),
    (
        "case 16",
        K_FEFF,
        IV_CAFE,
        P_64[:120],
        AAD_16,
        C_64[:120],
        "76fc6ece0f4e1768cddf8853bb2d551b",
    ),
]
IDS = [vector[0] for vector in VECTORS]


def blob(term: int, iv: str, ciphertext: str, tag: str) -> bytes:
    return term.to_bytes(4, "big") + b"\x02" + bytes.fromhex(iv + ciphertext + tag)


@pytest.mark.parametrize(("name", "key", "iv", "pt", "aad", "ct", "tag"), VECTORS, ids=IDS)
def test_decrypt_known_answer(
    name: str, key: str, iv: str, pt: str, aad: str, ct: str, tag: str
) -> None:
    sealed = blob(7, iv, ct, tag)
    assert _cipher.term_of(sealed) == 7
    assert _cipher.decrypt(bytes.fromhex(key), sealed, aad=bytes.fromhex(aad)) == bytes.fromhex(pt)


@pytest.mark.parametrize(("name", "key", "iv", "pt", "aad", "ct", "tag"), VECTORS, ids=IDS)
def test_encrypt_known_answer(
    name: str, key: str, iv: str, pt: str, aad: str, ct: str, tag: str
) -> None:
    sealed = _cipher.encrypt(
        bytes.fromhex(key),
        7,
        bytes.fromhex(pt),
        aad=bytes.fromhex(aad),
        nonce=bytes.fromhex(iv),
    )
    assert sealed == blob(7, iv, ct, tag)


@pytest.mark.parametrize(("name", "key", "iv", "pt", "aad", "ct", "tag"), VECTORS, ids=IDS)
def test_wrong_aad_fails(
    name: str, key: str, iv: str, pt: str, aad: str, ct: str, tag: str
) -> None:
    with pytest.raises(DecryptionFailed):
        _cipher.decrypt(bytes.fromhex(key), blob(7, iv, ct, tag), aad=b"other/path")


def test_malformed_blobs_are_opaque() -> None:
    good = blob(1, IV_ZERO, "", "530f8afbc74536b9a963b4f1c4cb738b")
    key = bytes(32)
    assert _cipher.decrypt(key, good, aad=b"") == b""
    wrong_version = good[:4] + b"\x01" + good[5:]
    for bad in [b"", good[:-1], wrong_version]:
        with pytest.raises(DecryptionFailed):
            _cipher.term_of(bad)
        with pytest.raises(DecryptionFailed):
            _cipher.decrypt(key, bad, aad=b"")
    with pytest.raises(DecryptionFailed):
        _cipher.decrypt(bytes(16), good, aad=b"")


@pytest.mark.parametrize(
    ("key", "term", "nonce", "message"),
    [
        (bytes(16), 1, bytes(12), "key must be 32 bytes"),
        (bytes(32), -1, bytes(12), "term must be between"),
        (bytes(32), 2**32, bytes(12), "term must be between"),
        (bytes(32), 1, bytes(8), "nonce must be 12 bytes"),
    ],
)
def test_encrypt_rejects_bad_arguments(key: bytes, term: int, nonce: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _cipher.encrypt(key, term, b"x", aad=b"", nonce=nonce)
