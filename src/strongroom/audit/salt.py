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
_KNOWN_MAX = 4096  # remembered HMACs; all are forgotten at once when it is reached


class Salter:
    """HMAC-SHA256 keyed by one device's salt."""

    __slots__ = ("_empty", "_inner", "_known", "_outer", "_salt")

    def __init__(self, salt: bytes) -> None:
        if len(salt) < 16:
            raise ValueError("audit salt too short")
        self._salt = salt
        mac = KeyedHmac(salt)
        self._inner, self._outer = mac.states()
        # Empty strings are common in responses (kv-v2 `deletion_time`) and reveal nothing.
        self._empty = HMAC_PREFIX + mac.hexdigest(b"")
        # The HMACs of values seen lately (a token's fields, policy names and times recur
        # request after request), found by the value's str hash and length: Python keys
        # that hash per process (SipHash), and no value is kept, so nothing secret stays
        # in memory. A wrong answer needs two equally long values whose 64-bit keyed
        # hashes collide.
        self._known: dict[int, tuple[int, str]] = {}

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
        key = hash(value)
        known = self._known.get(key)
        if known is not None and known[0] == len(value) and type(value) is str:
            return known[1]
        # KeyedHmac.hexdigest, inlined: this runs for every string an audit record hashes.
        inner = self._inner.copy()
        inner.update(value.encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        hashed = HMAC_PREFIX + outer.hexdigest()
        if type(value) is str:  # a subclass may hash as it likes
            if len(self._known) >= _KNOWN_MAX:
                self._known.clear()
            self._known[key] = (len(value), hashed)
        return hashed

    def chain_key(self) -> bytes:
        """The tamper-evidence chain key: one-way derived, so it does not reveal the salt."""
        return hmac.new(self._salt, _CHAIN_LABEL, hashlib.sha256).digest()


__all__ = ["HMAC_PREFIX", "SALT_KEY", "Salter"]
