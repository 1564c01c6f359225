"""Transit's cryptographic operations over `cryptography`'s safe layer. Sync and pure apart
from the OS random source; no primitive is written here.

Foreign exceptions stop at this boundary: a ciphertext that fails authentication becomes one
opaque InvalidRequest with OpenBao's text, never a crypto library detail.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from strongroom.engines.transit._messages import (
    ERR_AUTH_FAILED,
    ERR_CT_LENGTH,
    ERR_PREHASHED_LENGTH,
    ERR_RSA_DECRYPT,
    ERR_SIG_INVALID,
)
from strongroom.engines.transit._policy import KeyVersion
from strongroom.engines.transit._types import ECDSA, KEY_BYTES, RSA_BITS, SYMMETRIC, KeyType
from strongroom.errors import InvalidRequest

NONCE_BYTES = 12
TAG_BYTES = 16

HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha2-224": hashes.SHA224,
    "sha2-256": hashes.SHA256,
    "sha2-384": hashes.SHA384,
    "sha2-512": hashes.SHA512,
    "sha3-224": hashes.SHA3_224,
    "sha3-256": hashes.SHA3_256,
    "sha3-384": hashes.SHA3_384,
    "sha3-512": hashes.SHA3_512,
}

_CURVES: dict[KeyType, ec.EllipticCurve] = {
    KeyType.ECDSA_P256: ec.SECP256R1(),
    KeyType.ECDSA_P384: ec.SECP384R1(),
    KeyType.ECDSA_P521: ec.SECP521R1(),
}


def generate(key_type: KeyType, now_ns: int, key_size: int = 0) -> KeyVersion:
    """Fresh material for one version of a key of `key_type`."""
    if key_type in SYMMETRIC:
        key = os.urandom(KEY_BYTES[key_type])
    elif key_type is KeyType.HMAC:
        key = os.urandom(key_size)
    elif key_type is KeyType.ED25519:
        key = os.urandom(32)
    else:
        private: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
        if key_type in ECDSA:
            private = ec.generate_private_key(_CURVES[key_type])
        else:
            private = rsa.generate_private_key(65537, RSA_BITS[key_type])
        key = private.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    return KeyVersion(key=key, hmac_key=os.urandom(32), created_ns=now_ns)


def derive(key: bytes, context: bytes) -> bytes:
    """A per-context key of the same length (HKDF-SHA256, the context as info)."""
    return HKDF(algorithm=hashes.SHA256(), length=len(key), salt=None, info=context).derive(key)


def _aead(key_type: KeyType, version: KeyVersion, key: bytes) -> AESGCM | ChaCha20Poly1305:
    chacha = key_type is KeyType.CHACHA20_POLY1305
    if key is version.key:  # not derived: the version keeps its AEAD set up
        return version.chacha20_poly1305 if chacha else version.aes_gcm
    return ChaCha20Poly1305(key) if chacha else AESGCM(key)


def convergent_nonce(key: bytes, plaintext: bytes) -> bytes:
    """The deterministic nonce of convergent encryption: same key, context and plaintext
    give the same ciphertext (OpenBao's convergent version 3 keys the nonce HMAC this way)."""
    return mac(key, "sha2-256", plaintext)[:NONCE_BYTES]


def seal(
    key_type: KeyType,
    version: KeyVersion,
    key: bytes,
    plaintext: bytes,
    *,
    nonce: bytes | None = None,
) -> bytes:
    """nonce || ciphertext || tag for symmetric keys; RSA-OAEP(SHA-256) for RSA keys."""
    if key_type in SYMMETRIC:
        nonce = nonce if nonce is not None else os.urandom(NONCE_BYTES)
        return nonce + _aead(key_type, version, key).encrypt(nonce, plaintext, None)
    private = version.private_key
    if not isinstance(private, rsa.RSAPrivateKey):
        raise TypeError("not an encryption key")
    return private.public_key().encrypt(plaintext, _oaep())


def open_sealed(key_type: KeyType, version: KeyVersion, key: bytes, blob: bytes) -> bytes:
    """Inverse of `seal`; InvalidRequest with OpenBao's opaque text on any failure."""
    if key_type in SYMMETRIC:
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise InvalidRequest(ERR_CT_LENGTH)
        aead = _aead(key_type, version, key)
        try:
            return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], None)
        except InvalidTag:
            raise InvalidRequest(ERR_AUTH_FAILED) from None
    private = version.private_key
    if not isinstance(private, rsa.RSAPrivateKey):
        raise TypeError("not an encryption key")
    try:
        return private.decrypt(blob, _oaep())
    except ValueError:
        raise InvalidRequest(ERR_RSA_DECRYPT) from None


def _oaep() -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def _rsa_padding(
    signature_algorithm: str, algorithm: hashes.HashAlgorithm, *, signing: bool
) -> padding.AsymmetricPadding:
    if signature_algorithm == "pkcs1v15":
        return padding.PKCS1v15()
    salt = padding.PSS.MAX_LENGTH if signing else padding.PSS.AUTO
    return padding.PSS(mgf=padding.MGF1(algorithm), salt_length=salt)


def _digest_args(
    message: bytes, hash_name: str, prehashed: bool
) -> tuple[bytes, hashes.HashAlgorithm | utils.Prehashed]:
    algorithm = HASHES[hash_name]()
    if not prehashed:
        return message, algorithm
    if len(message) != algorithm.digest_size:
        raise InvalidRequest(ERR_PREHASHED_LENGTH)
    return message, utils.Prehashed(algorithm)


def sign(
    key_type: KeyType,
    private_key: object,
    message: bytes,
    *,
    hash_name: str,
    prehashed: bool,
    signature_algorithm: str,
    jws: bool,
) -> bytes:
    """A raw signature: Ed25519 over the message; ECDSA DER (or r||s for JWS); RSA PSS or
    PKCS#1 v1.5. ECDSA and RSA hash the message unless it is `prehashed`."""
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return private_key.sign(message)
    data, algorithm = _digest_args(message, hash_name, prehashed)
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        der = private_key.sign(data, ec.ECDSA(algorithm))
        if not jws:
            return der
        r, s = utils.decode_dss_signature(der)
        size = (private_key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    if isinstance(private_key, rsa.RSAPrivateKey):
        base = HASHES[hash_name]()
        pad = _rsa_padding(signature_algorithm, base, signing=True)
        return private_key.sign(data, pad, algorithm)
    raise TypeError(f"cannot sign with {key_type}")


def verify(
    key_type: KeyType,
    private_key: object,
    message: bytes,
    signature: bytes,
    *,
    hash_name: str,
    prehashed: bool,
    signature_algorithm: str,
    jws: bool,
) -> bool:
    """Whether `signature` is valid; InvalidRequest when it cannot even be parsed."""
    try:
        if isinstance(private_key, ed25519.Ed25519PrivateKey):
            private_key.public_key().verify(signature, message)
            return True
        data, algorithm = _digest_args(message, hash_name, prehashed)
        if isinstance(private_key, ec.EllipticCurvePrivateKey):
            if jws:
                size = (private_key.curve.key_size + 7) // 8
                if len(signature) != 2 * size:
                    return False
                r = int.from_bytes(signature[:size], "big")
                s = int.from_bytes(signature[size:], "big")
                signature = utils.encode_dss_signature(r, s)
            else:
                try:
                    utils.decode_dss_signature(signature)
                except ValueError:
                    raise InvalidRequest(ERR_SIG_INVALID) from None
            private_key.public_key().verify(signature, data, ec.ECDSA(algorithm))
            return True
        if isinstance(private_key, rsa.RSAPrivateKey):
            pad = _rsa_padding(signature_algorithm, HASHES[hash_name](), signing=False)
            private_key.public_key().verify(signature, data, pad, algorithm)
            return True
    except InvalidSignature:
        return False
    raise TypeError(f"cannot verify with {key_type}")


def mac(key: bytes, hash_name: str, message: bytes) -> bytes:
    """HMAC of `message` under `key` with the named hash."""
    h = hmac.HMAC(key, HASHES[hash_name]())
    h.update(message)
    return h.finalize()


def digest(hash_name: str, message: bytes) -> bytes:
    """A plain hash of `message`."""
    h = hashes.Hash(HASHES[hash_name]())
    h.update(message)
    return h.finalize()


__all__ = [
    "HASHES",
    "NONCE_BYTES",
    "convergent_nonce",
    "derive",
    "digest",
    "generate",
    "mac",
    "open_sealed",
    "seal",
    "sign",
    "verify",
]
