"""`Policy`: one named transit key and its versions, as stored and as read (OpenBao's
keysutil.Policy). Pure: no storage, no crypto beyond rendering public keys.

Key material is kept base64 in the stored JSON; the barrier encrypts it at rest. A version's
`key` is raw bytes for symmetric, HMAC and Ed25519 (seed) keys, PKCS#8 DER otherwise. Every
version also has a 32-byte `hmac_key` for the `hmac/` endpoint.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field, replace
from functools import cached_property

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

from strongroom.engines.transit._encoding import b64encode, rfc3339_nano
from strongroom.engines.transit._types import ASYMMETRIC, CAPABILITIES, KeyType
from strongroom.types import JSONDict

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True)
class KeyVersion:
    """One version's material and creation time (nanoseconds since the epoch)."""

    key: bytes = field(repr=False)
    hmac_key: bytes = field(repr=False)
    created_ns: int

    def to_json(self) -> JSONDict:
        return {
            "key": b64encode(self.key),
            "hmac_key": b64encode(self.hmac_key),
            "created_ns": self.created_ns,
        }

    @staticmethod
    def from_json(raw: JSONDict) -> KeyVersion:
        return KeyVersion(
            key=base64.b64decode(raw["key"]),
            hmac_key=base64.b64decode(raw["hmac_key"]),
            created_ns=int(raw["created_ns"]),
        )

    @cached_property
    def private_key(self) -> PrivateKey:
        """The asymmetric private key (Ed25519 from its seed, others from PKCS#8 DER)."""
        if len(self.key) == 32:
            return ed25519.Ed25519PrivateKey.from_private_bytes(self.key)
        loaded = serialization.load_der_private_key(self.key, password=None)
        if not isinstance(loaded, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            raise TypeError("unexpected private key type")
        return loaded

    @cached_property
    def aes_gcm(self) -> AESGCM:
        """The AEAD over `key`, set up once per version rather than per operation."""
        return AESGCM(self.key)

    @cached_property
    def chacha20_poly1305(self) -> ChaCha20Poly1305:
        """As `aes_gcm`, for chacha20-poly1305 keys."""
        return ChaCha20Poly1305(self.key)

    def public_key_text(self) -> str:
        """Ed25519: base64 of the raw public key; ECDSA/RSA: PKIX PEM (as OpenBao shows)."""
        public = self.private_key.public_key()
        if isinstance(public, ed25519.Ed25519PublicKey):
            raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            return b64encode(raw)
        pem = public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return pem.decode("ascii")


@dataclass(frozen=True)
class Policy:
    """A named key with its settings and versions (1-based, contiguous above the trim)."""

    name: str
    type: KeyType
    versions: dict[int, KeyVersion] = field(repr=False)
    latest_version: int = 1
    derived: bool = False
    convergent_encryption: bool = False
    exportable: bool = False
    allow_plaintext_backup: bool = False
    deletion_allowed: bool = False
    auto_rotate_period: int = 0
    min_decryption_version: int = 1
    min_encryption_version: int = 0
    min_available_version: int = 0
    key_size: int = 0
    # (time in ns, latest_version) of the last backup / of the restore that created this key
    backup_info: tuple[int, int] | None = None
    restore_info: tuple[int, int] | None = None

    def version(self, number: int) -> KeyVersion | None:
        """A version's material, or None when it never existed or was trimmed."""
        return self.versions.get(number)

    def to_json(self) -> JSONDict:
        return {
            "name": self.name,
            "type": str(self.type),
            "versions": {str(n): v.to_json() for n, v in self.versions.items()},
            "latest_version": self.latest_version,
            "derived": self.derived,
            "convergent_encryption": self.convergent_encryption,
            "exportable": self.exportable,
            "allow_plaintext_backup": self.allow_plaintext_backup,
            "deletion_allowed": self.deletion_allowed,
            "auto_rotate_period": self.auto_rotate_period,
            "min_decryption_version": self.min_decryption_version,
            "min_encryption_version": self.min_encryption_version,
            "min_available_version": self.min_available_version,
            "key_size": self.key_size,
            "backup_info": _info_json(self.backup_info),
            "restore_info": _info_json(self.restore_info),
        }

    @staticmethod
    def from_json(raw: JSONDict) -> Policy:
        versions = {int(n): KeyVersion.from_json(v) for n, v in raw["versions"].items()}
        return Policy(
            name=str(raw["name"]),
            type=KeyType(raw["type"]),
            versions=versions,
            latest_version=int(raw["latest_version"]),
            derived=bool(raw["derived"]),
            convergent_encryption=bool(raw["convergent_encryption"]),
            exportable=bool(raw["exportable"]),
            allow_plaintext_backup=bool(raw["allow_plaintext_backup"]),
            deletion_allowed=bool(raw["deletion_allowed"]),
            auto_rotate_period=int(raw["auto_rotate_period"]),
            min_decryption_version=int(raw["min_decryption_version"]),
            min_encryption_version=int(raw["min_encryption_version"]),
            min_available_version=int(raw["min_available_version"]),
            key_size=int(raw.get("key_size", 0)),
            backup_info=_info_from_json(raw.get("backup_info")),
            restore_info=_info_from_json(raw.get("restore_info")),
        )

    def with_version(self, version: KeyVersion) -> Policy:
        """A copy with `version` added as the new latest."""
        latest = self.latest_version + 1
        return replace(self, versions={**self.versions, latest: version}, latest_version=latest)

    def trimmed(self, min_available: int) -> Policy:
        """A copy without the versions below `min_available` (they can never decrypt again)."""
        kept = {n: v for n, v in self.versions.items() if n >= min_available}
        return replace(self, versions=kept, min_available_version=min_available)

    def render(self) -> JSONDict:
        """The `keys/:name` read body, with OpenBao's field set for this key's type."""
        caps = CAPABILITIES[self.type]
        data: JSONDict = {
            "allow_plaintext_backup": self.allow_plaintext_backup,
            "auto_rotate_period": self.auto_rotate_period,
            "deletion_allowed": self.deletion_allowed,
            "derived": self.derived,
            "exportable": self.exportable,
            "imported_key": False,
            "latest_version": self.latest_version,
            "min_available_version": self.min_available_version,
            "min_decryption_version": self.min_decryption_version,
            "min_encryption_version": self.min_encryption_version,
            "name": self.name,
            "soft_deleted": False,
            "supports_decryption": caps.encryption,
            "supports_derivation": caps.derivation,
            "supports_encryption": caps.encryption,
            "supports_signing": caps.signing,
            "type": str(self.type),
        }
        if self.type is KeyType.HMAC:
            # vault-compat: HMAC keys show key_size and no per-version map
            data["key_size"] = self.key_size
        else:
            data["keys"] = self._render_versions()
        if self.backup_info is not None:
            data["backup_info"] = _info_render(self.backup_info)
        if self.restore_info is not None:
            data["restore_info"] = _info_render(self.restore_info)
        if self.derived:
            data["kdf"] = "hkdf_sha256"
            data["convergent_encryption"] = self.convergent_encryption
            if self.convergent_encryption:
                data["convergent_encryption_version"] = -1
        return data

    def _render_versions(self) -> JSONDict:
        # vault-compat: only versions a client may still decrypt with are listed
        shown = {n: v for n, v in self.versions.items() if n >= self.min_decryption_version}
        if self.type not in ASYMMETRIC:
            return {str(n): v.created_ns // 1_000_000_000 for n, v in sorted(shown.items())}
        public_name = CAPABILITIES[self.type].public_name
        return {
            str(n): {
                "certificate_chain": "",
                "creation_time": rfc3339_nano(v.created_ns),
                "name": public_name,
                "public_key": v.public_key_text(),
            }
            for n, v in sorted(shown.items())
        }


def _info_json(info: tuple[int, int] | None) -> JSONDict | None:
    return None if info is None else {"time_ns": info[0], "version": info[1]}


def _info_from_json(raw: object) -> tuple[int, int] | None:
    if not isinstance(raw, dict):
        return None
    return int(raw["time_ns"]), int(raw["version"])


def _info_render(info: tuple[int, int]) -> JSONDict:
    # vault-compat: backup_info / restore_info as OpenBao shows them on a key read
    return {"time": rfc3339_nano(info[0]), "version": info[1]}


__all__ = ["KeyVersion", "Policy", "PrivateKey"]
