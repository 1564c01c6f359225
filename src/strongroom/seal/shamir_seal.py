"""The Shamir seal: keeps the seal configuration and the root key wrapped by the unseal key.

Physical layout (outside the barrier, since both are needed to open it):
- `core/seal-config`: SealConfig JSON (no secret in it);
- `core/seal/root-key`: the barrier root key, AES-256-GCM-wrapped under the unseal key.
The unseal key itself is never stored: it exists only as the operators' shares.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from strongroom.errors import InvalidRequest
from strongroom.seal.config import SealConfig
from strongroom.seal.root_key import unwrap_root_key, wrap_root_key
from strongroom.seal.shamir import combine, split
from strongroom.storage import Entry, Storage, TxnOp

SEAL_CONFIG_PATH = "core/seal-config"
ROOT_KEY_PATH = "core/seal/root-key"
UNSEAL_KEY_BYTES = 32


class ShamirSeal:
    """Seal configuration and root-key custody for the Shamir seal type."""

    def __init__(self, physical: Storage, *, rng: Callable[[int], bytes] = os.urandom) -> None:
        self._physical = physical
        self._rng = rng

    async def config(self) -> SealConfig | None:
        entry = await self._physical.get(SEAL_CONFIG_PATH)
        return None if entry is None else SealConfig.deserialize(entry.value)

    def new_unseal_key(self, config: SealConfig) -> tuple[bytes, list[bytes]]:
        """A fresh unseal key and the shares to hand out (the key itself for 1-of-1)."""
        unseal_key = self._rng(UNSEAL_KEY_BYTES)
        if config.secret_shares == 1:
            return unseal_key, [unseal_key]
        shares = split(unseal_key, config.secret_shares, config.secret_threshold, rng=self._rng)
        return unseal_key, shares

    async def store(self, config: SealConfig, unseal_key: bytes, root_key: bytes) -> None:
        """Persist the configuration and the wrapped root key in one transaction."""
        wrapped = wrap_root_key(unseal_key, root_key, rng=self._rng)
        await self._physical.transaction(
            [
                TxnOp("put", SEAL_CONFIG_PATH, config.serialize()),
                TxnOp("put", ROOT_KEY_PATH, wrapped),
            ]
        )

    async def recover_root_key(self, unseal_key: bytes) -> bytes:
        """The root key; DecryptionFailed for a wrong unseal key."""
        entry = await self._physical.get(ROOT_KEY_PATH)
        if entry is None:
            raise InvalidRequest("no stored root key")
        return unwrap_root_key(unseal_key, entry.value)

    async def put_config(self, config: SealConfig) -> None:
        await self._physical.put(Entry(SEAL_CONFIG_PATH, config.serialize()))


def combine_shares(shares: list[bytes], threshold: int) -> bytes:
    """The unseal key from `threshold` shares (for 1-of-1 the share is the key)."""
    if threshold == 1:
        return shares[0]
    try:
        return combine(shares)
    except ValueError as exc:
        # vault-compat: unseal error text
        raise InvalidRequest(f"invalid key: failed to compute combined key: {exc}") from None


__all__ = ["ROOT_KEY_PATH", "SEAL_CONFIG_PATH", "SealConfig", "ShamirSeal", "combine_shares"]
