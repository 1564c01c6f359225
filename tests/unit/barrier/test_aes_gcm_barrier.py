"""Unit tests for the AES-256-GCM keyring barrier over in-memory physical storage."""

from __future__ import annotations

import asyncio
import json

import pytest

from strongroom.barrier import (
    KEYRING_PATH,
    USAGE_PATH,
    AESGCMBarrier,
    Keyring,
    RotationConfig,
    _cipher,
)
from strongroom.errors import DecryptionFailed, InternalError, InvalidRequest, Sealed
from strongroom.storage._protocol import Entry, TxnOp
from strongroom.storage.inmem import InmemStorage

ROOT_KEY = bytes(range(32))
OTHER_ROOT_KEY = bytes(range(32, 64))
START = 1_700_000_000.0


class FakeClock:
    """Wall and monotonic time that only moves when a test says so."""

    def __init__(self, now: float = START) -> None:
        self.time = now

    def now(self) -> float:
        return self.time

    def monotonic(self) -> float:
        return self.time


async def new_barrier(
    physical: InmemStorage | None = None, clock: FakeClock | None = None
) -> tuple[AESGCMBarrier, InmemStorage, FakeClock]:
    physical = physical if physical is not None else InmemStorage()
    clock = clock if clock is not None else FakeClock()
    barrier = AESGCMBarrier(physical, clock=clock)
    if not await barrier.initialized():
        await barrier.initialize(ROOT_KEY)
    await barrier.unseal(ROOT_KEY)
    return barrier, physical, clock


async def raw(physical: InmemStorage, key: str) -> bytes:
    entry = await physical.get(key)
    assert entry is not None
    return entry.value


async def all_raw_values(physical: InmemStorage, prefix: str = "") -> list[bytes]:
    values: list[bytes] = []
    for name in await physical.list(prefix):
        if name.endswith("/"):
            values.extend(await all_raw_values(physical, prefix + name))
        else:
            values.append(await raw(physical, prefix + name))
    return values


def load_keyring(blob: bytes, root_key: bytes = ROOT_KEY) -> Keyring:
    return Keyring.deserialize(_cipher.decrypt(root_key, blob, aad=KEYRING_PATH.encode()))


# -- lifecycle ---------------------------------------------------------------------------------


async def test_initialize_leaves_barrier_sealed() -> None:
    physical = InmemStorage()
    barrier = AESGCMBarrier(physical, clock=FakeClock())
    assert not await barrier.initialized()
    await barrier.initialize(ROOT_KEY)
    assert await barrier.initialized()
    assert barrier.sealed
    blob = await raw(physical, KEYRING_PATH)
    assert _cipher.term_of(blob) == 0
    keyring = load_keyring(blob)
    assert keyring.active_term == 1
    assert keyring.active_key().install_time == START
    assert keyring.rotation_config == RotationConfig()


async def test_initialize_twice_is_refused() -> None:
    barrier, _, _ = await new_barrier()
    with pytest.raises(InvalidRequest, match="barrier is already initialized"):
        await barrier.initialize(ROOT_KEY)


async def test_initialize_rejects_bad_root_key_and_short_rng() -> None:
    barrier = AESGCMBarrier(InmemStorage(), clock=FakeClock())
    with pytest.raises(ValueError, match="root key must be 32 bytes"):
        await barrier.initialize(b"short")
    short = AESGCMBarrier(InmemStorage(), clock=FakeClock(), rng=lambda n: b"x")
    with pytest.raises(ValueError, match="rng returned 1 bytes"):
        await short.initialize(ROOT_KEY)


async def test_unseal_before_initialize() -> None:
    barrier = AESGCMBarrier(InmemStorage(), clock=FakeClock())
    with pytest.raises(InvalidRequest, match="barrier is not initialized"):
        await barrier.unseal(ROOT_KEY)
    assert barrier.sealed


@pytest.mark.parametrize("wrong", [OTHER_ROOT_KEY, b"", bytes(16)])
async def test_wrong_root_key_stays_sealed(wrong: bytes) -> None:
    physical = InmemStorage()
    barrier = AESGCMBarrier(physical, clock=FakeClock())
    await barrier.initialize(ROOT_KEY)
    with pytest.raises(DecryptionFailed) as info:
        await barrier.unseal(wrong)
    assert str(info.value) == "decryption failed"
    assert barrier.sealed
    await barrier.unseal(ROOT_KEY)
    assert not barrier.sealed


async def test_unseal_is_idempotent_and_seal_forgets() -> None:
    barrier, _, _ = await new_barrier()
    await barrier.put(Entry("a", b"1"))
    await barrier.unseal(OTHER_ROOT_KEY)  # already unsealed: ignored
    assert not barrier.sealed
    barrier.seal()
    assert barrier.sealed
    barrier.seal()
    await barrier.unseal(ROOT_KEY)
    assert await barrier.get("a") == Entry("a", b"1")


async def test_keyring_blob_with_data_term_is_refused() -> None:
    barrier, physical, _ = await new_barrier()
    blob = await raw(physical, KEYRING_PATH)
    await physical.put(Entry(KEYRING_PATH, (5).to_bytes(4, "big") + blob[4:]))
    barrier.seal()
    with pytest.raises(DecryptionFailed):
        await barrier.unseal(ROOT_KEY)


async def test_unreadable_keyring_is_internal_error() -> None:
    physical = InmemStorage()
    blob = _cipher.encrypt(ROOT_KEY, 0, b"not json", aad=KEYRING_PATH.encode(), nonce=bytes(12))
    await physical.put(Entry(KEYRING_PATH, blob))
    barrier = AESGCMBarrier(physical, clock=FakeClock())
    with pytest.raises(InternalError, match="keyring is unreadable"):
        await barrier.unseal(ROOT_KEY)
    assert barrier.sealed


# -- storage operations ------------------------------------------------------------------------


async def test_round_trip() -> None:
    barrier, _, _ = await new_barrier()
    assert await barrier.get("missing") is None
    await barrier.put(Entry("secret/a", b"alpha"))
    await barrier.put(Entry("secret/b/c", b""))
    assert await barrier.get("secret/a") == Entry("secret/a", b"alpha")
    assert await barrier.get("secret/b/c") == Entry("secret/b/c", b"")
    assert await barrier.list("secret/") == ["a", "b/"]
    await barrier.delete("secret/a")
    assert await barrier.get("secret/a") is None
    await barrier.delete("secret/a")


async def test_transaction_encrypts_puts() -> None:
    barrier, physical, _ = await new_barrier()
    await barrier.put(Entry("x", b"old"))
    await barrier.transaction(
        [TxnOp("put", "y", b"plain-y"), TxnOp("delete", "x"), TxnOp("put", "z", b"plain-z")]
    )
    assert await barrier.get("x") is None
    assert await barrier.get("y") == Entry("y", b"plain-y")
    assert await barrier.get("z") == Entry("z", b"plain-z")
    assert b"plain-y" not in await raw(physical, "y")


async def test_close_is_a_no_op() -> None:
    barrier, physical, _ = await new_barrier()
    await barrier.close()
    await barrier.put(Entry("k", b"v"))
    barrier.seal()
    await barrier.close()
    assert await physical.get("k") is not None


async def test_sealed_barrier_refuses_everything() -> None:
    barrier = AESGCMBarrier(InmemStorage(), clock=FakeClock())
    await barrier.initialize(ROOT_KEY)
    calls = [
        barrier.get("k"),
        barrier.put(Entry("k", b"v")),
        barrier.delete("k"),
        barrier.list(""),
        barrier.transaction([TxnOp("delete", "k")]),
        barrier.rotate(),
        barrier.persist_usage(),
        barrier.set_rotation_config(RotationConfig()),
        barrier.rekey_root_key(OTHER_ROOT_KEY),
        barrier.reload_keyring(),
    ]
    for call in calls:
        with pytest.raises(Sealed, match="Vault is sealed"):
            await call
    with pytest.raises(Sealed):
        barrier.key_status()
    with pytest.raises(Sealed):
        barrier.rotation_due(START)
    with pytest.raises(Sealed):
        _ = barrier.root_key
    with pytest.raises(Sealed):
        _ = barrier.rotation_config


@pytest.mark.parametrize("path", [KEYRING_PATH, USAGE_PATH])
async def test_reserved_paths(path: str) -> None:
    barrier, _, _ = await new_barrier()
    with pytest.raises(InvalidRequest, match="reserved by the barrier"):
        await barrier.get(path)
    with pytest.raises(InvalidRequest, match="reserved"):
        await barrier.put(Entry(path, b"x"))
    with pytest.raises(InvalidRequest, match="reserved"):
        await barrier.delete(path)
    with pytest.raises(InvalidRequest, match="reserved"):
        await barrier.transaction([TxnOp("put", "fine", b"x"), TxnOp("delete", path)])
    assert await barrier.get("fine") is None
    assert barrier.key_status().encryptions == 0  # refused before anything was encrypted
    assert "keyring" in await barrier.list("core/")


async def test_unencodable_path_is_invalid_request() -> None:
    barrier, _, _ = await new_barrier()
    with pytest.raises(InvalidRequest, match="not valid UTF-8"):
        await barrier.put(Entry("bad\ud800", b"x"))


# -- ciphertext properties ---------------------------------------------------------------------


async def test_raw_storage_holds_no_plaintext_or_key() -> None:
    barrier, physical, _ = await new_barrier()
    secrets = [b"hunter2-hunter2", b"correct horse battery staple"]
    await barrier.put(Entry("secret/one", secrets[0]))
    await barrier.transaction([TxnOp("put", "secret/two", secrets[1])])
    await barrier.rotate()
    await barrier.persist_usage()
    keyring = load_keyring(await raw(physical, KEYRING_PATH))
    needles = [*secrets, ROOT_KEY, *(key.value for key in keyring.keys.values())]
    for value in await all_raw_values(physical):
        for needle in needles:
            assert needle not in value


async def test_stored_format() -> None:
    barrier, physical, _ = await new_barrier()
    await barrier.put(Entry("k", b"value"))
    blob = await raw(physical, "k")
    assert blob[:4] == (1).to_bytes(4, "big")
    assert blob[4] == 0x02
    assert len(blob) == 4 + 1 + 12 + len(b"value") + 16


async def test_ciphertext_moved_to_another_path_fails() -> None:
    barrier, physical, _ = await new_barrier()
    await barrier.put(Entry("tenant-a/secret", b"for a only"))
    await physical.put(Entry("tenant-b/secret", await raw(physical, "tenant-a/secret")))
    with pytest.raises(DecryptionFailed):
        await barrier.get("tenant-b/secret")


async def test_tampered_byte_fails() -> None:
    barrier, physical, _ = await new_barrier()
    await barrier.put(Entry("k", b"value"))
    blob = bytearray(await raw(physical, "k"))
    blob[-1] ^= 0x80
    await physical.put(Entry("k", bytes(blob)))
    with pytest.raises(DecryptionFailed):
        await barrier.get("k")


async def test_unknown_term_fails() -> None:
    barrier, physical, _ = await new_barrier()
    await barrier.put(Entry("k", b"value"))
    blob = await raw(physical, "k")
    await physical.put(Entry("k", (9).to_bytes(4, "big") + blob[4:]))
    with pytest.raises(DecryptionFailed):
        await barrier.get("k")


# -- rotation ----------------------------------------------------------------------------------


async def test_rotation_keeps_old_data_and_uses_new_term() -> None:
    barrier, physical, clock = await new_barrier()
    await barrier.put(Entry("old", b"before"))
    clock.time += 60
    key = await barrier.rotate()
    assert key.term == 2
    assert key.install_time == START + 60
    await barrier.put(Entry("new", b"after"))
    assert (await raw(physical, "old"))[:4] == (1).to_bytes(4, "big")
    assert (await raw(physical, "new"))[:4] == (2).to_bytes(4, "big")
    assert await barrier.get("old") == Entry("old", b"before")
    status = barrier.key_status()
    assert (status.term, status.install_time, status.encryptions) == (2, START + 60, 1)
    # The rotation is durable: a fresh barrier on the same storage reads both terms.
    other, _, _ = await new_barrier(physical)
    assert await other.get("old") == Entry("old", b"before")
    assert await other.get("new") == Entry("new", b"after")
    assert other.key_status().term == 2
    assert (await barrier.rotate()).term == 3


async def test_concurrent_rotations_get_distinct_terms() -> None:
    barrier, physical, _ = await new_barrier()
    keys = await asyncio.gather(barrier.rotate(), barrier.rotate(), barrier.rotate())
    assert sorted(key.term for key in keys) == [2, 3, 4]
    assert sorted(load_keyring(await raw(physical, KEYRING_PATH)).keys) == [1, 2, 3, 4]


class SealingStorage(InmemStorage):
    """Physical storage that seals the barrier in the middle of one chosen operation."""

    def __init__(self) -> None:
        super().__init__()
        self.barrier: AESGCMBarrier | None = None
        self.trap: str | None = None

    async def get(self, key: str) -> Entry | None:
        entry = await super().get(key)
        self._spring(key)
        return entry

    async def put(self, entry: Entry) -> None:
        await super().put(entry)
        self._spring(entry.key)

    def _spring(self, key: str) -> None:
        if self.barrier is not None and key == self.trap:
            self.barrier.seal()


async def test_sealed_during_read_or_rotation() -> None:
    physical = SealingStorage()
    barrier, _, _ = await new_barrier(physical)
    physical.barrier = barrier
    await barrier.put(Entry("k", b"v"))
    physical.trap = "k"
    with pytest.raises(Sealed):
        await barrier.get("k")
    await barrier.unseal(ROOT_KEY)
    physical.trap = KEYRING_PATH
    with pytest.raises(Sealed):
        await barrier.rotate()
    physical.trap = None
    # The keyring was written before the seal, so term 2 exists and the next term is 3.
    await barrier.unseal(ROOT_KEY)
    assert (await barrier.rotate()).term == 3


async def test_reload_keyring_picks_up_a_rotation_elsewhere() -> None:
    active, physical, _ = await new_barrier()
    standby, _, _ = await new_barrier(physical)
    await active.put(Entry("a", b"1"))
    await standby.reload_keyring()
    assert standby.key_status().encryptions == 0
    await active.rotate()
    await active.put(Entry("b", b"2"))
    await active.persist_usage()
    with pytest.raises(DecryptionFailed):
        await standby.get("b")
    await standby.reload_keyring()
    assert await standby.get("b") == Entry("b", b"2")
    assert standby.key_status() == active.key_status()


# -- usage counter and rotation policy ---------------------------------------------------------


async def test_usage_counter_survives_seal_and_unseal() -> None:
    barrier, physical, _ = await new_barrier()
    for i in range(3):
        await barrier.put(Entry(f"k{i}", b"v"))
    await barrier.transaction([TxnOp("put", "t", b"v"), TxnOp("delete", "k0")])
    assert barrier.key_status().encryptions == 4
    await barrier.persist_usage()
    assert barrier.key_status().encryptions == 5  # the usage record is an encryption too
    barrier.seal()
    await barrier.unseal(ROOT_KEY)
    assert barrier.key_status().encryptions == 5
    other, _, _ = await new_barrier(physical)
    assert other.key_status().encryptions == 5


async def test_usage_record_of_an_older_term_is_ignored() -> None:
    barrier, _, _ = await new_barrier()
    await barrier.put(Entry("k", b"v"))
    await barrier.persist_usage()
    await barrier.rotate()
    assert barrier.key_status().encryptions == 0
    barrier.seal()
    await barrier.unseal(ROOT_KEY)
    assert barrier.key_status().term == 2
    assert barrier.key_status().encryptions == 0


async def test_unreadable_usage_record_is_internal_error() -> None:
    barrier, physical, _ = await new_barrier()
    key = load_keyring(await raw(physical, KEYRING_PATH)).active_key()
    for plaintext in [b"[]", b"{}", json.dumps({"term": "1", "encryptions": 3}).encode()]:
        blob = _cipher.encrypt(key.value, 1, plaintext, aad=USAGE_PATH.encode(), nonce=bytes(12))
        await physical.put(Entry(USAGE_PATH, blob))
        barrier.seal()
        with pytest.raises(InternalError, match="usage record is unreadable"):
            await barrier.unseal(ROOT_KEY)
        assert barrier.sealed


async def test_rotation_due() -> None:
    barrier, _, clock = await new_barrier()
    assert not barrier.rotation_due(clock.now())
    await barrier.set_rotation_config(RotationConfig(max_operations=2))
    await barrier.put(Entry("a", b"1"))
    assert not barrier.rotation_due(clock.now())
    await barrier.put(Entry("b", b"2"))
    assert barrier.rotation_due(clock.now())
    await barrier.set_rotation_config(RotationConfig(max_operations=2, enabled=False))
    assert not barrier.rotation_due(clock.now())
    await barrier.set_rotation_config(RotationConfig(interval=3600))
    assert not barrier.rotation_due(START + 3599)
    assert barrier.rotation_due(START + 3600)
    clock.time = START + 3600
    await barrier.rotate()
    assert not barrier.rotation_due(START + 3600)
    assert barrier.rotation_due(START + 7200)


async def test_rotation_config_is_persisted() -> None:
    barrier, physical, _ = await new_barrier()
    assert barrier.rotation_config == RotationConfig(3_865_470_566, 0, True)
    config = RotationConfig(max_operations=1_000_000, interval=86_400, enabled=False)
    await barrier.put(Entry("k", b"v"))
    await barrier.set_rotation_config(config)
    assert barrier.rotation_config == config
    assert barrier.key_status().encryptions == 1  # the counter is kept across the rewrite
    barrier.seal()
    await barrier.unseal(ROOT_KEY)
    assert barrier.rotation_config == config
    assert load_keyring(await raw(physical, KEYRING_PATH)).rotation_config == config


async def test_rekey_root_key() -> None:
    barrier, physical, _ = await new_barrier()
    await barrier.put(Entry("k", b"v"))
    assert barrier.root_key == ROOT_KEY
    await barrier.rekey_root_key(OTHER_ROOT_KEY)
    assert barrier.root_key == OTHER_ROOT_KEY
    assert await barrier.get("k") == Entry("k", b"v")
    barrier.seal()
    with pytest.raises(DecryptionFailed):
        await barrier.unseal(ROOT_KEY)
    await barrier.unseal(OTHER_ROOT_KEY)
    assert await barrier.get("k") == Entry("k", b"v")
    assert load_keyring(await raw(physical, KEYRING_PATH), OTHER_ROOT_KEY).active_term == 1
    with pytest.raises(ValueError, match="root key must be 32 bytes"):
        await barrier.rekey_root_key(b"short")
