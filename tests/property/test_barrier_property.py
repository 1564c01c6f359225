"""Property tests for the barrier: any bytes at any path round-trip; any flipped bit fails."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.barrier import RESERVED_PATHS, AESGCMBarrier
from strongroom.errors import DecryptionFailed
from strongroom.storage._protocol import Entry
from strongroom.storage.inmem import InmemStorage

ROOT_KEY = b"\x42" * 32

# Paths any backend can store: valid Unicode without NUL (the storage key-space rule).
paths = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
    min_size=1,
    max_size=64,
).filter(lambda path: path not in RESERVED_PATHS)


class StillClock:
    def now(self) -> float:
        return 1_700_000_000.0

    def monotonic(self) -> float:
        return 0.0


async def unsealed() -> tuple[AESGCMBarrier, InmemStorage]:
    physical = InmemStorage()
    barrier = AESGCMBarrier(physical, clock=StillClock())
    await barrier.initialize(ROOT_KEY)
    await barrier.unseal(ROOT_KEY)
    return barrier, physical


@given(path=paths, value=st.binary(max_size=512))
async def test_round_trip(path: str, value: bytes) -> None:
    barrier, physical = await unsealed()
    await barrier.put(Entry(path, value))
    assert await barrier.get(path) == Entry(path, value)
    stored = await physical.get(path)
    assert stored is not None
    assert len(stored.value) == 4 + 1 + 12 + len(value) + 16


@settings(max_examples=50)
@given(path=paths, value=st.binary(max_size=64), data=st.data())
async def test_any_flipped_bit_fails(path: str, value: bytes, data: st.DataObject) -> None:
    barrier, physical = await unsealed()
    await barrier.put(Entry(path, value))
    stored = await physical.get(path)
    assert stored is not None
    bit = data.draw(st.integers(min_value=0, max_value=8 * len(stored.value) - 1), label="bit")
    tampered = bytearray(stored.value)
    tampered[bit // 8] ^= 1 << (bit % 8)
    await physical.put(Entry(path, bytes(tampered)))
    try:
        await barrier.get(path)
    except DecryptionFailed as exc:
        assert str(exc) == "decryption failed"
    else:
        raise AssertionError(f"flipping bit {bit} went unnoticed")


@settings(max_examples=50)
@given(path=paths, value=st.binary(max_size=64), data=st.data())
async def test_moved_ciphertext_fails(path: str, value: bytes, data: st.DataObject) -> None:
    other = data.draw(paths.filter(lambda candidate: candidate != path), label="other")
    barrier, physical = await unsealed()
    await barrier.put(Entry(path, value))
    stored = await physical.get(path)
    assert stored is not None
    await physical.put(Entry(other, stored.value))
    try:
        await barrier.get(other)
    except DecryptionFailed:
        pass
    else:
        raise AssertionError("a ciphertext decrypted under another path")
