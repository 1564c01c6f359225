"""Seals: Shamir split/combine, seal configuration, custody of the barrier root key."""

from strongroom.seal.config import SealConfig
from strongroom.seal.root_key import unwrap_root_key, wrap_root_key
from strongroom.seal.shamir import combine, split
from strongroom.seal.shamir_seal import ShamirSeal, combine_shares

__all__ = [
    "SealConfig",
    "ShamirSeal",
    "combine",
    "combine_shares",
    "split",
    "unwrap_root_key",
    "wrap_root_key",
]
