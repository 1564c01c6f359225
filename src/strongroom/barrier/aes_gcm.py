"""The AES-256-GCM keyring barrier: a `Storage` that encrypts every value on its way down.

The barrier sits on a physical `Storage` and is itself a `Storage`: keys pass through as-is,
values are encrypted with the active keyring term and the storage path as associated data
(a ciphertext copied to another path does not decrypt). The keyring lives at `core/keyring`,
encrypted under the root key with term 0; the active term's encryption count lives at
`core/keyring-usage`, encrypted like any other value.

This module owns the barrier's lifecycle (initialize, unseal, seal), key rotation and the
operation counter. It must not know which storage backend it sits on, how the root key is
protected (that is `seal/`), or any mount layout above it.

Choices worth knowing:
- `core/keyring` and `core/keyring-usage` are reserved: get/put/delete/transaction on them
  through the barrier raise InvalidRequest. `list` passes through and shows them.
- `close()` does nothing: the barrier does not own the physical backend; whoever built the
  backend closes it. It does not raise when sealed either.
- Python cannot wipe `bytes`, so `seal()` only drops references to the keys.
- The keyring is written before a new key is used and never rewritten on a plain put; the
  counter is persisted only by `persist_usage()`, which the core calls periodically and
  before sealing (`seal()` is sync and cannot write).
- Each term's AES-GCM context is set up once per keyring, not per value.
- `get_decoded` reads storage every time but decrypts and decodes only a ciphertext it has
  not decoded before (`_decoded.DecodedValues`), so a change by any path or node is seen at
  once. Callers opt in per read, for values they may hold decoded in memory (metadata, never
  secret data). Dropped with the keyring (seal, rotation, reload).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from strongroom.barrier import _cipher
from strongroom.barrier._decoded import DECODED_CACHE_SIZE, DecodedValues
from strongroom.barrier._stored_keyring import (
    KEYRING_PATH,
    USAGE_PATH,
    keyring_entry,
    read_keyring,
    read_usage,
    usage_record,
)
from strongroom.barrier.keyring import KEY_SIZE, Key, Keyring, RotationConfig
from strongroom.clock import Clock
from strongroom.errors import DecryptionFailed, InvalidRequest, Sealed
from strongroom.storage._protocol import Entry, Storage, TxnOp
from strongroom.telemetry import Metrics, names

RESERVED_PATHS = frozenset({KEYRING_PATH, USAGE_PATH})

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class KeyStatus:
    """The active key (sys/key-status): its term, install time (epoch) and use count."""

    term: int
    install_time: float
    encryptions: int


class AESGCMBarrier:
    """Encrypting `Storage` over a physical `Storage`; sealed until `unseal` succeeds."""

    def __init__(
        self,
        physical: Storage,
        *,
        clock: Clock,
        rng: Callable[[int], bytes] = os.urandom,
        decoded_cache_size: int = DECODED_CACHE_SIZE,
    ) -> None:
        self._physical = physical
        self._clock = clock
        self._rng = rng
        self._keyring: Keyring | None = None
        # Per-keyring caches: AEAD contexts by term and decoded values by path, valid for
        # `_cached_for` only (see `_caches`).
        self._cached_for: Keyring | None = None
        self._aeads: dict[int, AESGCM] = {}
        self._decoded = DecodedValues(decoded_cache_size)
        self.metrics: Metrics | None = None  # vault_barrier_* timings, when telemetry is on
        self._encryptions = 0
        # Serializes keyring rewrites so two rotations cannot both claim term max+1.
        self._lock = asyncio.Lock()

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def sealed(self) -> bool:
        """True until `unseal` succeeds, and again after `seal`."""
        return self._keyring is None

    async def initialized(self) -> bool:
        """Whether a keyring has been written to the physical storage."""
        return await self._physical.get(KEYRING_PATH) is not None

    async def initialize(self, root_key: bytes) -> None:
        """Create the keyring (term 1, fresh key) under `root_key`. Leaves the barrier sealed.

        Raises InvalidRequest if already initialized, ValueError on a root key not 32 bytes.
        """
        _check_key_size(root_key)
        async with self._lock:
            if await self.initialized():
                raise InvalidRequest("barrier is already initialized")
            first = Key(term=1, value=self._draw(KEY_SIZE), install_time=self._clock.now())
            await self._write_keyring(Keyring(root_key).add_key(first))

    async def unseal(self, root_key: bytes) -> None:
        """Load the keyring with `root_key`; a wrong key raises DecryptionFailed.

        The barrier stays sealed on any failure. Unsealing an unsealed barrier is a no-op.
        """
        async with self._lock:
            if self._keyring is not None:
                return
            keyring = await read_keyring(self._physical, root_key)
            encryptions = await read_usage(self._physical, keyring)
            self._keyring = keyring
            self._encryptions = encryptions

    def seal(self) -> None:
        """Forget every key. Persist the counter first (`persist_usage`) if it matters."""
        self._keyring = None
        self._encryptions = 0
        self._drop_caches()

    async def reload_keyring(self) -> None:
        """Re-read the keyring from storage (a standby after the active node rotated)."""
        async with self._lock:
            current = self._require_keyring()
            keyring = await read_keyring(self._physical, current.root_key)
            if keyring.active_term != current.active_term:
                encryptions = await read_usage(self._physical, keyring)
            else:
                encryptions = self._encryptions
            self._install(current, keyring, encryptions)

    # -- keyring management ------------------------------------------------------------------

    @property
    def root_key(self) -> bytes:
        """The root key protecting the keyring (Sealed when sealed)."""
        return self._require_keyring().root_key

    @property
    def rotation_config(self) -> RotationConfig:
        """The automatic rotation policy (Sealed when sealed)."""
        return self._require_keyring().rotation_config

    async def rotate(self) -> Key:
        """Install a fresh key as term max+1 and return it.

        The new keyring is durable before the key encrypts anything, so a crash can never
        leave data under a key that storage does not know.
        """
        async with self._lock:
            current = self._require_keyring()
            key = Key(
                term=current.max_term() + 1,
                value=self._draw(KEY_SIZE),
                install_time=self._clock.now(),
            )
            updated = current.add_key(key)
            await self._write_keyring(updated)
            self._install(current, updated, 0)
            return key

    async def set_rotation_config(self, config: RotationConfig) -> None:
        """Persist a new rotation policy in the keyring."""
        async with self._lock:
            current = self._require_keyring()
            updated = current.with_rotation_config(config)
            await self._write_keyring(updated)
            self._install(current, updated, self._encryptions)

    async def rekey_root_key(self, new_root_key: bytes) -> None:
        """Re-encrypt the keyring under `new_root_key` (sys/rotate/root); data keys are kept."""
        _check_key_size(new_root_key)
        async with self._lock:
            current = self._require_keyring()
            updated = current.with_root_key(new_root_key)
            await self._write_keyring(updated)
            self._install(current, updated, self._encryptions)

    def key_status(self) -> KeyStatus:
        """Term, install time and encryption count of the active key."""
        key = self._require_keyring().active_key()
        return KeyStatus(
            term=key.term, install_time=key.install_time, encryptions=self._encryptions
        )

    def rotation_due(self, now: float) -> bool:
        """Whether the rotation policy asks for a new key at time `now` (epoch seconds)."""
        config = self.rotation_config
        if not config.enabled:
            return False
        status = self.key_status()
        if status.encryptions >= config.max_operations:
            return True
        return config.interval > 0 and now - status.install_time >= config.interval

    async def persist_usage(self) -> None:
        """Write the active term's encryption count to `core/keyring-usage`."""
        keyring = self._require_keyring()
        # The write below is itself an encryption: record the count including it.
        record = usage_record(keyring, self._encryptions + 1)
        blob = self._encrypt(keyring, USAGE_PATH.encode(), record)
        await self._physical.put(Entry(USAGE_PATH, blob))

    # -- Storage -----------------------------------------------------------------------------

    # Timings: `metrics.observe_since` around each operation (a `measure` context manager
    # per storage call costs about as much as the rest of a cached read).
    def _start(self) -> float:
        metrics = self.metrics
        return 0.0 if metrics is None else metrics.clock()

    def _done(self, name: str, start: float) -> None:
        if self.metrics is not None:
            self.metrics.observe_since(name, start)

    async def get(self, key: str) -> Entry | None:
        """Read and decrypt; DecryptionFailed if the stored blob does not authenticate."""
        start = self._start()
        try:
            aad = self._readable(key)
            entry = await self._physical.get(key)
            if entry is None:
                return None
            keyring = self._require_keyring()  # it may have been sealed while we waited
            return Entry(key, self._decrypt(keyring, entry.value, aad))
        finally:
            self._done(names.BARRIER_GET, start)

    async def get_decoded(self, key: str, decode: Callable[[bytes], T]) -> T | None:
        """`decode(plaintext)` of the value at `key`, or None when there is none. While the
        stored ciphertext is unchanged, the value decoded last time is returned as is: treat
        it as immutable. (See `strongroom.storage.get_decoded`.)"""
        start = self._start()
        try:
            aad = self._readable(key)
            entry = await self._physical.get(key)
            if entry is None:
                return None
            keyring = self._require_keyring()  # it may have been sealed while we waited
            if keyring is not self._cached_for:
                self._reset_caches(keyring)
            blob = entry.value
            found = self._decoded.find(key, blob, decode)
            if found is not None:
                return cast(T, found[2])
            value = decode(self._decrypt(keyring, blob, aad))
            self._decoded.remember(key, blob, decode, value)
            return value
        finally:
            self._done(names.BARRIER_GET, start)

    async def put(self, entry: Entry) -> None:
        """Encrypt with the active term and store."""
        start = self._start()
        try:
            keyring = self._require_keyring()
            blob = self._encrypt(keyring, _check_path(entry.key), entry.value)
            self._decoded.forget(entry.key)
            await self._physical.put(Entry(entry.key, blob))
        finally:
            self._done(names.BARRIER_PUT, start)

    async def delete(self, key: str) -> None:
        """Delete (nothing to decrypt)."""
        start = self._start()
        try:
            self._require_keyring()
            _check_path(key)
            self._decoded.forget(key)
            await self._physical.delete(key)
        finally:
            self._done(names.BARRIER_DELETE, start)

    async def list(self, prefix: str) -> list[str]:
        """Keys are stored in the clear, so listing passes straight through."""
        start = self._start()
        try:
            self._require_keyring()
            return await self._physical.list(prefix)
        finally:
            self._done(names.BARRIER_LIST, start)

    async def transaction(self, ops: Sequence[TxnOp]) -> None:
        """Encrypt every put, then apply all ops atomically below."""
        keyring = self._require_keyring()
        aads = [_check_path(op.key) for op in ops]  # all checked before anything is counted
        encrypted = [
            TxnOp("put", op.key, self._encrypt(keyring, aad, op.value))
            if op.op == "put"
            else op  # deletes carry nothing to encrypt; the backend rejects unknown ops
            for op, aad in zip(ops, aads, strict=True)
        ]
        for op in ops:
            self._decoded.forget(op.key)
        await self._physical.transaction(encrypted)

    async def close(self) -> None:
        """No-op: the physical backend belongs to whoever created it."""

    # -- internals ---------------------------------------------------------------------------

    def _require_keyring(self) -> Keyring:
        keyring = self._keyring
        if keyring is None:
            raise Sealed()
        return keyring

    def _readable(self, key: str) -> bytes:
        """The associated data of `key`, once it is known the barrier can read (unsealed,
        not a reserved path)."""
        if self._keyring is None:
            raise Sealed()
        return _check_path(key)

    def _install(self, expected: Keyring, updated: Keyring, encryptions: int) -> None:
        """Swap in `updated` unless the barrier was sealed (or reloaded) meanwhile."""
        if self._keyring is not expected:
            raise Sealed()
        self._keyring = updated
        self._encryptions = encryptions

    def _draw(self, n: int) -> bytes:
        out = self._rng(n)
        if len(out) != n:
            raise ValueError(f"rng returned {len(out)} bytes, expected {n}")
        return out

    def _reset_caches(self, keyring: Keyring) -> None:
        """Start the AEAD and decoded-value caches over for `keyring` (a new keyring may lack
        a term that a cached value was decrypted with)."""
        self._drop_caches()
        self._cached_for = keyring

    def _drop_caches(self) -> None:
        self._cached_for = None
        self._aeads = {}
        self._decoded.clear()

    def _aead(self, keyring: Keyring, term: int) -> AESGCM:
        """The AEAD of `term` in `keyring`; DecryptionFailed when the keyring lacks it."""
        if keyring is not self._cached_for:
            self._reset_caches(keyring)
        aead = self._aeads.get(term)
        if aead is None:
            key = keyring.term(term)
            if key is None:
                raise DecryptionFailed()
            aead = self._aeads[term] = _cipher.aead(key.value)
        return aead

    def _decrypt(self, keyring: Keyring, blob: bytes, aad: bytes) -> bytes:
        aead = self._aead(keyring, _cipher.term_of(blob))
        return _cipher.decrypt_with(aead, blob, aad=aad)

    def _encrypt(self, keyring: Keyring, aad: bytes, plaintext: bytes) -> bytes:
        """Encrypt with the active term and count it; `aad` is the encoded storage path."""
        term = keyring.active_key().term
        aead = self._aead(keyring, term)
        nonce = self._draw(_cipher.NONCE_SIZE)
        blob = _cipher.encrypt_with(aead, term, plaintext, aad=aad, nonce=nonce)
        self._encryptions += 1
        return blob

    async def _write_keyring(self, keyring: Keyring) -> None:
        await self._physical.put(keyring_entry(keyring, self._draw(_cipher.NONCE_SIZE)))


def _check_path(path: str) -> bytes:
    """The associated data for `path`; reserved or unencodable paths are InvalidRequest."""
    if path in RESERVED_PATHS:
        raise InvalidRequest(f"storage path {path!r} is reserved by the barrier")
    try:
        return path.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidRequest("storage path is not valid UTF-8") from None


def _check_key_size(root_key: bytes) -> None:
    if len(root_key) != KEY_SIZE:
        raise ValueError(f"root key must be {KEY_SIZE} bytes")


__all__ = ["KEYRING_PATH", "RESERVED_PATHS", "USAGE_PATH", "AESGCMBarrier", "KeyStatus"]
