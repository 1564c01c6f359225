"""The barrier: AES-256-GCM encryption of everything above physical storage.

`AESGCMBarrier` wraps a physical `Storage` with the keyring; `StorageView` confines a
`Storage` to one prefix (each mount's view). Nothing here knows the storage backend.
"""

from strongroom.barrier.aes_gcm import (
    KEYRING_PATH,
    RESERVED_PATHS,
    USAGE_PATH,
    AESGCMBarrier,
    KeyStatus,
)
from strongroom.barrier.keyring import DEFAULT_MAX_OPERATIONS, Key, Keyring, RotationConfig
from strongroom.barrier.view import StorageView

__all__ = [
    "DEFAULT_MAX_OPERATIONS",
    "KEYRING_PATH",
    "RESERVED_PATHS",
    "USAGE_PATH",
    "AESGCMBarrier",
    "Key",
    "KeyStatus",
    "Keyring",
    "RotationConfig",
    "StorageView",
]
