"""The keyring and its usage counter as stored below the barrier. No state of its own.

`core/keyring` holds the keyring encrypted under the root key with term 0; `core/keyring-usage`
holds the active term's encryption count, encrypted with a keyring term like any value.
`AESGCMBarrier` decides when to read and write them; this module knows only their format.
"""

from __future__ import annotations

import json

from strongroom.barrier import _cipher
from strongroom.barrier.keyring import Keyring
from strongroom.errors import DecryptionFailed, InternalError, InvalidRequest
from strongroom.storage._protocol import Entry, Storage

KEYRING_PATH = "core/keyring"
USAGE_PATH = "core/keyring-usage"
ROOT_TERM = 0


def keyring_entry(keyring: Keyring, nonce: bytes) -> Entry:
    """`keyring` sealed under its root key, ready to store."""
    blob = _cipher.encrypt(
        keyring.root_key, ROOT_TERM, keyring.serialize(), aad=KEYRING_PATH.encode(), nonce=nonce
    )
    return Entry(KEYRING_PATH, blob)


async def read_keyring(physical: Storage, root_key: bytes) -> Keyring:
    """The stored keyring; DecryptionFailed for a wrong root key, InvalidRequest if none."""
    entry = await physical.get(KEYRING_PATH)
    if entry is None:
        raise InvalidRequest("barrier is not initialized")
    if _cipher.term_of(entry.value) != ROOT_TERM:
        raise DecryptionFailed()
    plaintext = _cipher.decrypt(root_key, entry.value, aad=KEYRING_PATH.encode())
    try:
        return Keyring.deserialize(plaintext)
    except ValueError:
        # It authenticated, so this is our own bug or a format from the future.
        raise InternalError("barrier keyring is unreadable") from None


def usage_record(keyring: Keyring, encryptions: int) -> bytes:
    """The plaintext of the usage counter for the active term."""
    return json.dumps({"term": keyring.active_term, "encryptions": encryptions}).encode()


async def read_usage(physical: Storage, keyring: Keyring) -> int:
    """The stored count for the active term; 0 if none or if it counts an older term."""
    entry = await physical.get(USAGE_PATH)
    if entry is None:
        return 0
    key = keyring.term(_cipher.term_of(entry.value))
    if key is None:
        raise DecryptionFailed()
    plaintext = _cipher.decrypt(key.value, entry.value, aad=USAGE_PATH.encode())
    try:
        record = json.loads(plaintext)
        term, encryptions = record["term"], record["encryptions"]
        if not (isinstance(term, int) and isinstance(encryptions, int)):
            raise TypeError("usage record fields must be integers")
    except (ValueError, KeyError, TypeError):
        raise InternalError("barrier usage record is unreadable") from None
    return encryptions if term == keyring.active_term else 0


__all__ = [
    "KEYRING_PATH",
    "ROOT_TERM",
    "USAGE_PATH",
    "keyring_entry",
    "read_keyring",
    "read_usage",
    "usage_record",
]
