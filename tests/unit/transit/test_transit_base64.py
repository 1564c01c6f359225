"""transit/_encoding.b64decode: what Go's StdEncoding accepts, decoded; what it refuses, with
Go's offset. The fast path (Python's strict decoder) must accept exactly the canonical form."""

from __future__ import annotations

import base64
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.engines.transit._encoding import Base64Error, b64decode

# Whole quanta of the alphabet, "=" only as the last one or two characters.
CANONICAL = re.compile(rb"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def _outcome(raw: bytes) -> bytes | str:
    try:
        return b64decode(raw.decode())
    except Base64Error as exc:
        return str(exc)


def test_every_short_string_of_a_small_alphabet() -> None:
    for size in range(9):
        for chars in itertools.product(b"Ab+=\n", repeat=size):
            raw = bytes(chars)
            got = _outcome(raw)
            if CANONICAL.fullmatch(raw):
                assert got == base64.b64decode(raw), raw
            elif b"\n" not in raw:
                assert isinstance(got, str) and got.startswith("illegal base64 data"), raw


@settings(max_examples=3000)
@given(st.binary(max_size=12), st.integers(0, 4))
def test_canonical_input_decodes_and_padding_variants_agree(data: bytes, pad: int) -> None:
    encoded = base64.b64encode(data)
    assert _outcome(encoded) == data
    padded = encoded + b"=" * pad
    if not CANONICAL.fullmatch(padded):
        assert isinstance(_outcome(padded), str)


@pytest.mark.parametrize(
    ("text", "offset"),
    # as `bao` 2.7 answers transit/encrypt with these plaintexts
    [
        ("YrB25YVh=", 8),
        ("z6yL====", 4),
        ("AB=C", 2),
        ("A", 0),
        ("AB=", 3),
        ("AB=\n", 4),
        ("AB=\nC", 3),
    ],
)
def test_go_offsets_of_refused_padding(text: str, offset: int) -> None:
    with pytest.raises(Base64Error, match=f"illegal base64 data at input byte {offset}$"):
        b64decode(text)
