"""Collecting key shares toward a threshold."""

from __future__ import annotations

import base64

import pytest

from strongroom.errors import InvalidRequest
from strongroom.seal.shares import ShareProgress, decode_share


def test_decode_hex_and_base64() -> None:
    raw = bytes(range(33))
    assert decode_share(raw.hex()) == raw
    assert decode_share(base64.b64encode(raw).decode()) == raw


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "'key' must be a valid hex or base64 string"),
        (None, "'key' must be a valid hex or base64 string"),
        ("***", "'key' must be a valid hex or base64 string"),
        ("ab" * 8 + "a", "'key' must be a valid hex or base64 string"),
        ("ab" * 15, "invalid key: key is shorter than minimum 16 bytes"),
        ("ab" * 34, "invalid key: key is longer than maximum 33 bytes"),
    ],
)
def test_decode_rejects(text: object, message: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        decode_share(text)
    assert info.value.messages == [message]


def test_progress_threshold_dedup_and_reset() -> None:
    progress = ShareProgress()
    assert progress.add(b"a" * 33, 3) is None
    nonce = progress.nonce
    assert nonce
    assert progress.add(b"a" * 33, 3) is None  # a share given twice counts once
    assert progress.progress == 1
    assert progress.add(b"b" * 33, 3) is None
    complete = progress.add(b"c" * 33, 3)
    assert complete == [b"a" * 33, b"b" * 33, b"c" * 33]
    assert progress.progress == 0 and progress.nonce == ""


def test_progress_mixed_lengths_fail_and_reset() -> None:
    progress = ShareProgress()
    progress.add(b"a" * 33, 2)
    with pytest.raises(InvalidRequest, match="all parts must be the same length"):
        progress.add(b"b" * 32, 2)
    assert progress.progress == 0
