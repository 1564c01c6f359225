"""hash, random and the Go-compatible base64 error offsets."""

from __future__ import annotations

import base64

import pytest
from transit_harness import Transit, b64

from strongroom.engines.transit._encoding import Base64Error, b64decode
from strongroom.errors import InvalidRequest


async def test_hash(transit: Transit) -> None:
    data = await transit.write("hash", input=b64(b"hello"))
    assert data == {"sum": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}
    data = await transit.write("hash/sha2-512", input=b64(b"hello"), format="base64")
    assert data["sum"].startswith("m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4")


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "hash",
            {"input": "aGk=", "format": "bad"},
            'unsupported encoding format bad; must be "hex" or "base64"',
        ),
        ("hash/md5", {"input": "aGk="}, "unsupported algorithm md5"),
        ("hash", {}, "input missing"),
        ("random/bad", {}, 'parsing "bad": invalid syntax'),
        ("random/0", {}, "'bytes' cannot be less than 1"),
    ],
)
async def test_errors(transit: Transit, path: str, body: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        await transit.write(path, **body)


async def test_random(transit: Transit) -> None:
    assert len(base64.b64decode((await transit.write("random"))["random_bytes"])) == 32
    assert len(base64.b64decode((await transit.write("random/8"))["random_bytes"])) == 8
    data = await transit.write("random/all/8", format="hex")
    assert len(bytes.fromhex(data["random_bytes"])) == 8


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("aGk", 0),
        ("aG", 0),
        ("aGVsbG8", 4),
        ("aGVsbG8==", 8),
        ("aGVs bG8=", 4),
        ("a", 0),
        ("aGk=aGk=", 4),
        ("aG=k", 2),
        ("!!", 0),
    ],
)
def test_go_base64_offsets(text: str, offset: int) -> None:
    with pytest.raises(Base64Error, match=f"at input byte {offset}$"):
        b64decode(text)


@pytest.mark.parametrize("text", ["", "aGk=", "aGVs\nbG8="])
def test_go_base64_accepts(text: str) -> None:
    assert b64decode(text) == base64.b64decode(text.replace("\n", ""))
