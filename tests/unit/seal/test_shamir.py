"""Unit tests for Shamir split/combine: share format, validation errors, injected rng."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable

import pytest

from strongroom.seal.shamir import combine, split

SECRET = bytes(range(1, 33))


def counter_rng() -> Callable[[int], bytes]:
    """A deterministic rng: successive bytes 0, 1, 2, ... (mod 256)."""
    state = {"n": 0}

    def rng(n: int) -> bytes:
        start = state["n"]
        state["n"] += n
        return bytes((start + i) % 256 for i in range(n))

    return rng


def test_share_format() -> None:
    shares = split(SECRET, 5, 3)
    assert len(shares) == 5
    assert all(len(share) == len(SECRET) + 1 for share in shares)
    xs = [share[-1] for share in shares]
    assert len(set(xs)) == 5
    assert 0 not in xs


def test_round_trip_every_subset_of_five() -> None:
    shares = split(SECRET, 5, 3)
    for subset in itertools.permutations(shares, 3):
        assert combine(subset) == SECRET
    assert combine(shares) == SECRET


def test_one_of_one_split_and_single_share_combine() -> None:
    (share,) = split(b"k", 1, 1)
    assert share[:-1] == b"k"
    assert combine([share]) == b"k"


def test_threshold_one_shares_each_carry_the_secret() -> None:
    shares = split(SECRET, 4, 1)
    assert all(combine([share]) == SECRET for share in shares)


def test_max_parts() -> None:
    shares = split(b"\x00\xff", 255, 2)
    assert sorted(share[-1] for share in shares) == list(range(1, 256))
    assert combine([shares[17], shares[200]]) == b"\x00\xff"


def test_injected_rng_is_deterministic() -> None:
    first = split(SECRET, 5, 3, rng=counter_rng())
    second = split(SECRET, 5, 3, rng=counter_rng())
    assert first == second
    assert combine(first[2:]) == SECRET


def test_default_rng_differs_between_calls() -> None:
    assert split(SECRET, 3, 2) != split(SECRET, 3, 2)


@pytest.mark.parametrize(
    ("parts", "threshold", "message"),
    [
        (0, 1, "parts must be between 1 and 255"),
        (256, 2, "parts must be between 1 and 255"),
        (-1, 1, "parts must be between 1 and 255"),
        (3, 0, "threshold must be at least 1"),
        (3, 4, "threshold (4) cannot exceed parts (3)"),
    ],
)
def test_split_rejects_bad_parameters(parts: int, threshold: int, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        split(SECRET, parts, threshold)


def test_split_rejects_empty_secret() -> None:
    with pytest.raises(ValueError, match="empty secret"):
        split(b"", 3, 2)


def test_split_rejects_short_rng() -> None:
    with pytest.raises(ValueError, match="rng returned 0 bytes"):
        split(SECRET, 3, 2, rng=lambda n: b"")


def test_combine_rejects_no_shares() -> None:
    with pytest.raises(ValueError, match="at least one share"):
        combine([])


def test_combine_rejects_short_shares() -> None:
    with pytest.raises(ValueError, match="at least 2 bytes"):
        combine([b"\x01", b"\x02"])


def test_combine_rejects_unequal_lengths() -> None:
    shares = split(SECRET, 3, 2)
    with pytest.raises(ValueError, match="same length"):
        combine([shares[0], shares[1][1:]])


def test_combine_rejects_duplicate_x() -> None:
    shares = split(SECRET, 3, 2)
    with pytest.raises(ValueError, match="duplicate share"):
        combine([shares[0], shares[0]])


def test_combine_rejects_zero_x() -> None:
    with pytest.raises(ValueError, match="x coordinate of 0"):
        combine([b"ab\x00", b"cd\x01"])


def test_known_two_of_two_interpolation() -> None:
    # f(x) = s + a*x over GF(2^8) with s = 0x53, a = 0xca; 0x53 * 0xca = 0x01 (AES inverse pair).
    # f(1) = 0x53 ^ 0xca = 0x99; f(0x53) = 0x53 ^ 0x01 = 0x52.
    assert combine([b"\x99\x01", b"\x52\x53"]) == b"\x53"


def test_fewer_shares_than_threshold_give_something_else() -> None:
    secret = os.urandom(32)
    shares = split(secret, 5, 4)
    assert combine(shares[:3]) != secret
