"""`get_decoded`: decoded values reused only while the stored ciphertext is unchanged."""

from __future__ import annotations

import pytest

from strongroom.barrier import AESGCMBarrier, StorageView
from strongroom.errors import DecryptionFailed, Sealed
from strongroom.storage import Entry, InmemStorage, TxnOp, get_decoded
from tests.unit.barrier.test_aes_gcm_barrier import ROOT_KEY, FakeClock, new_barrier


class Decoder:
    """Counts its calls; each result is a fresh object."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, blob: bytes) -> list[bytes]:
        self.calls += 1
        return [blob]


async def test_unchanged_value_is_decoded_once() -> None:
    barrier, _, _ = await new_barrier()
    decode = Decoder()
    await barrier.put(Entry("a", b"one"))
    first = await barrier.get_decoded("a", decode)
    second = await barrier.get_decoded("a", decode)
    assert first == [b"one"] and second is first and decode.calls == 1
    assert await barrier.get_decoded("missing", decode) is None


@pytest.mark.parametrize("how", ["put", "transaction", "physical"])
async def test_any_write_is_seen_at_once(how: str) -> None:
    barrier, physical, _ = await new_barrier()
    other, _, _ = await new_barrier(physical)  # another node on the same storage
    decode = Decoder()
    await barrier.put(Entry("a", b"one"))
    assert await barrier.get_decoded("a", decode) == [b"one"]
    if how == "put":
        await barrier.put(Entry("a", b"two"))
    elif how == "transaction":
        await barrier.transaction([TxnOp("put", "a", b"two")])
    else:
        await other.put(Entry("a", b"two"))  # nothing tells this barrier
    assert await barrier.get_decoded("a", decode) == [b"two"]
    await other.delete("a")
    assert await barrier.get_decoded("a", decode) is None


async def test_same_plaintext_written_again_is_a_new_ciphertext() -> None:
    barrier, _, _ = await new_barrier()
    decode = Decoder()
    await barrier.put(Entry("a", b"one"))
    first = await barrier.get_decoded("a", decode)
    await barrier.put(Entry("a", b"one"))
    again = await barrier.get_decoded("a", decode)
    assert again == first and again is not first and decode.calls == 2


async def test_another_decoder_decodes_again() -> None:
    barrier, _, _ = await new_barrier()
    await barrier.put(Entry("a", b"one"))
    first, second = Decoder(), Decoder()
    assert await barrier.get_decoded("a", first) == await barrier.get_decoded("a", second)
    assert (first.calls, second.calls) == (1, 1)


async def test_tampered_ciphertext_fails_even_after_a_good_read() -> None:
    barrier, physical, _ = await new_barrier()
    decode = Decoder()
    await barrier.put(Entry("a", b"one"))
    await barrier.get_decoded("a", decode)
    stored = await physical.get("a")
    assert stored is not None
    await physical.put(Entry("a", stored.value[:-1] + bytes([stored.value[-1] ^ 1])))
    with pytest.raises(DecryptionFailed):
        await barrier.get_decoded("a", decode)


async def test_seal_and_rotation_drop_the_cache() -> None:
    barrier, _, _ = await new_barrier()
    decode = Decoder()
    await barrier.put(Entry("a", b"one"))
    await barrier.get_decoded("a", decode)
    await barrier.rotate()
    assert await barrier.get_decoded("a", decode) == [b"one"]
    assert decode.calls == 2  # a new keyring: decrypted again under it
    barrier.seal()
    with pytest.raises(Sealed):
        await barrier.get_decoded("a", decode)
    await barrier.unseal(ROOT_KEY)
    assert await barrier.get_decoded("a", decode) == [b"one"] and decode.calls == 3


async def test_cache_is_bounded() -> None:
    physical = InmemStorage()
    await new_barrier(physical)  # writes the keyring
    barrier = AESGCMBarrier(physical, clock=FakeClock(), decoded_cache_size=2)
    await barrier.unseal(ROOT_KEY)
    decode = Decoder()
    for key in ("a", "b", "c"):
        await barrier.put(Entry(key, key.encode()))
        await barrier.get_decoded(key, decode)
    await barrier.get_decoded("c", decode)
    await barrier.get_decoded("a", decode)  # the oldest was dropped
    assert decode.calls == 4


async def test_views_and_plain_storage() -> None:
    barrier, _, _ = await new_barrier()
    decode = Decoder()
    view = StorageView(barrier, "mount/")
    await view.put(Entry("k", b"v"))
    first = await view.get_decoded("k", decode)
    assert await get_decoded(view, "k", decode) is first
    assert await barrier.get_decoded("mount/k", decode) is first
    assert decode.calls == 1
    plain = InmemStorage()
    await plain.put(Entry("k", b"v"))
    assert await get_decoded(plain, "k", decode) == [b"v"]
    assert await get_decoded(plain, "nothing", decode) is None
    assert await StorageView(plain, "").get_decoded("k", decode) == [b"v"]
