"""`DecodedValues`: what callers of `get_decoded` made of the ciphertext last read at each
path, reused only for that exact ciphertext. Pure, no I/O, no crypto.

Every barrier write draws a fresh nonce, so a changed value is a different ciphertext and is
never matched, whichever node or path wrote it. Bounded: the oldest path is dropped first.
The barrier empties it whenever its keyring changes (seal, rotation, reload).
"""

from __future__ import annotations

from collections.abc import Callable

# How many paths are remembered by default.
DECODED_CACHE_SIZE = 8192

Decoder = Callable[[bytes], object]


class DecodedValues:
    """Path -> (ciphertext, decoder, decoded value)."""

    __slots__ = ("_entries", "_size")

    def __init__(self, size: int = DECODED_CACHE_SIZE) -> None:
        self._size = max(0, size)
        self._entries: dict[str, tuple[bytes, Decoder, object]] = {}

    def find(self, key: str, blob: bytes, decode: Decoder) -> tuple[bytes, Decoder, object] | None:
        """The remembered entry when it was decoded by `decode` from exactly `blob`."""
        found = self._entries.get(key)
        if found is not None and found[1] is decode and found[0] == blob:
            return found
        return None

    def remember(self, key: str, blob: bytes, decode: Decoder, value: object) -> None:
        entries = self._entries
        if not self._size:
            return
        entries.pop(key, None)
        if len(entries) >= self._size:
            del entries[next(iter(entries))]
        entries[key] = (blob, decode, value)

    def forget(self, key: str) -> None:
        """Drop `key` (a write through the barrier: only memory is saved, a stale entry would
        never match anyway)."""
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


__all__ = ["DECODED_CACHE_SIZE", "DecodedValues", "Decoder"]
