"""Property tests for Shamir: any threshold-sized subset recovers, fewer do not."""

from __future__ import annotations

import os
import random

from hypothesis import given
from hypothesis import strategies as st

from strongroom.seal.shamir import combine, split

FIXED_SECRET = bytes.fromhex("00ff10ef2233445566778899aabbccddeeff00112233445566778899aabbcc01")


def test_every_parts_threshold_pair_up_to_20() -> None:
    chooser = random.Random(1234)
    for parts in range(1, 21):
        for threshold in range(1, parts + 1):
            shares = split(FIXED_SECRET, parts, threshold)
            assert len({share[-1] for share in shares}) == parts
            assert combine(shares[:threshold]) == FIXED_SECRET
            assert combine(shares[-threshold:]) == FIXED_SECRET
            assert combine(chooser.sample(shares, threshold)) == FIXED_SECRET
            assert combine(chooser.sample(shares, parts)) == FIXED_SECRET
            if threshold >= 2:
                assert combine(chooser.sample(shares, threshold - 1)) != FIXED_SECRET


@given(
    secret=st.binary(min_size=1, max_size=64),
    parts=st.integers(min_value=1, max_value=40),
    data=st.data(),
)
def test_any_subset_of_at_least_threshold_recovers(
    secret: bytes, parts: int, data: st.DataObject
) -> None:
    threshold = data.draw(st.integers(min_value=1, max_value=parts), label="threshold")
    shares = split(secret, parts, threshold)
    size = data.draw(st.integers(min_value=threshold, max_value=parts), label="size")
    subset = data.draw(st.permutations(shares), label="order")[:size]
    assert combine(subset) == secret


@given(parts=st.integers(min_value=2, max_value=30), data=st.data())
def test_below_threshold_does_not_recover(parts: int, data: st.DataObject) -> None:
    secret = os.urandom(32)
    threshold = data.draw(st.integers(min_value=2, max_value=parts), label="threshold")
    shares = split(secret, parts, threshold)
    size = data.draw(st.integers(min_value=1, max_value=threshold - 1), label="size")
    subset = data.draw(st.permutations(shares), label="order")[:size]
    assert combine(subset) != secret


@given(secret=st.binary(min_size=1, max_size=32), seed=st.binary(min_size=8, max_size=8))
def test_injected_rng_round_trips(secret: bytes, seed: bytes) -> None:
    stream = random.Random(seed)
    shares = split(secret, 7, 4, rng=stream.randbytes)
    assert combine(shares[3:]) == secret
