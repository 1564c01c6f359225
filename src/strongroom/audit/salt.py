"""`Salter`: the per-device HMAC key, loaded from (or created in) the device's storage view.

The lead passes a barrier view, so the salt is encrypted at rest. The salt never leaves this
module except as the one-way derived chain key (see `chain_key`), which lets an auditor
verify the tamper-evidence chain without being able to brute-force the HMACed values.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from strongroom.keyed_hmac import KeyedHmac
from strongroom.storage import Entry, Storage

SALT_KEY = "salt"
HMAC_PREFIX = "hmac-sha256:"
_SALT_BYTES = 32
_CHAIN_LABEL = b"strongroom-audit-chain-key-v1"


class Salter:
    """HMAC-SHA256 keyed by one device's salt."""

    __slots__ = ("_empty", "_inner", "_outer", "_salt")

    def __init__(self, salt: bytes) -> None:
        if len(salt) < 16:
            raise ValueError("audit salt too short")
        self._salt = salt
        mac = KeyedHmac(salt)
        self._inner, self._outer = mac.states()
        # Empty strings are common in responses (kv-v2 `deletion_time`) and reveal nothing.
        self._empty = HMAC_PREFIX + mac.hexdigest(b"")

    def __repr__(self) -> str:
        return "Salter(**********)"

    @staticmethod
    async def load(storage: Storage, key: str = SALT_KEY) -> Salter:
        """The salt stored under `key`, creating a random 32-byte one on first use."""
        entry = await storage.get(key)
        if entry is not None:
            return Salter(bytes.fromhex(entry.value.decode()))
        salt = secrets.token_bytes(_SALT_BYTES)
        await storage.put(Entry(key, salt.hex().encode()))
        return Salter(salt)

    def hash(self, value: str) -> str:
        """`hmac-sha256:<hex>` of `value` (Vault's audit hash format)."""
        if value == "":
            return self._empty
        # KeyedHmac.hexdigest, inlined: this runs for every string an audit record hashes.
        inner = self._inner.copy()
        inner.update(value.encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return HMAC_PREFIX + outer.hexdigest()

    def chain_key(self) -> bytes:
        """The tamper-evidence chain key: one-way derived, so it does not reveal the salt."""
        return hmac.new(self._salt, _CHAIN_LABEL, hashlib.sha256).digest()


__all__ = ["HMAC_PREFIX", "SALT_KEY", "Salter"]
