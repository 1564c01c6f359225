"""encrypt/decrypt/rewrap/datakey: round trips for every encrypting key type, versions,
batches with bad items, derived and convergent keys, and OpenBao's error texts."""

from __future__ import annotations

import base64

import pytest
from transit_harness import Transit, b64

from strongroom.errors import InvalidRequest
from strongroom.logical import Operation

ENCRYPTING = ["aes128-gcm96", "aes256-gcm96", "chacha20-poly1305", "rsa-2048"]


@pytest.mark.parametrize("key_type", ENCRYPTING)
async def test_round_trip(transit: Transit, key_type: str) -> None:
    await transit.write("keys/k", type=key_type)
    for message in (b"hello", b""):
        data = await transit.write("encrypt/k", plaintext=b64(message))
        assert data["key_version"] == 1 and data["ciphertext"].startswith("vault:v1:")
        out = await transit.write("decrypt/k", ciphertext=data["ciphertext"])
        assert out == {"plaintext": b64(message)}


async def test_upsert_creates_key(transit: Transit) -> None:
    await transit.write("encrypt/new", plaintext=b64(b"x"), type="chacha20-poly1305")
    response = await transit.read("keys/new")
    assert response is not None and response.data is not None
    assert response.data["type"] == "chacha20-poly1305"


async def test_rotation_old_versions_until_min(transit: Transit) -> None:
    old = (await transit.write("encrypt/k", plaintext=b64(b"v1")))["ciphertext"]
    await transit.write("keys/k/rotate")
    new = await transit.write("encrypt/k", plaintext=b64(b"v2"))
    assert new["key_version"] == 2 and new["ciphertext"].startswith("vault:v2:")
    assert (await transit.write("decrypt/k", ciphertext=old))["plaintext"] == b64(b"v1")
    rewrapped = await transit.write("rewrap/k", ciphertext=old)
    assert rewrapped["key_version"] == 2
    assert (await transit.write("decrypt/k", ciphertext=rewrapped["ciphertext"]))[
        "plaintext"
    ] == b64(b"v1")
    await transit.write("keys/k/config", min_decryption_version=2)
    with pytest.raises(InvalidRequest, match=r"disallowed by policy \(too old\)"):
        await transit.write("decrypt/k", ciphertext=old)
    with pytest.raises(InvalidRequest, match=r"too old"):
        await transit.write("rewrap/k", ciphertext=old)
    with pytest.raises(InvalidRequest, match=r"higher than the latest key version"):
        await transit.write("encrypt/k", plaintext=b64(b"x"), key_version=5)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"plaintext": "not base64!"}, "^illegal base64 data at input byte 3$"),
        ({"plaintext": "aGVsbG8"}, "^illegal base64 data at input byte 4$"),
        ({}, "^missing plaintext to encrypt$"),
    ],
)
async def test_encrypt_errors(transit: Transit, body: dict[str, str], message: str) -> None:
    await transit.write("keys/k")
    with pytest.raises(InvalidRequest, match=message):
        await transit.write("encrypt/k", **body)


@pytest.mark.parametrize(
    ("ciphertext", "message"),
    [
        ("garbage", "invalid ciphertext: no prefix"),
        ("vault:v1:AAAA", "invalid ciphertext length"),
        ("vault:v1:" + "A" * 48, "cipher: message authentication failed"),
        ("vault:v9:" + "A" * 48, "invalid ciphertext: version is too new"),
        ("vault:vx:AAAA", "invalid ciphertext: version number could not be decoded"),
        ("vault:v1:!!!", "invalid ciphertext: could not decode base64"),
    ],
)
async def test_decrypt_errors(transit: Transit, ciphertext: str, message: str) -> None:
    await transit.write("keys/k")
    with pytest.raises(InvalidRequest) as info:
        await transit.write("decrypt/k", ciphertext=ciphertext)
    assert str(info.value) == message


async def test_tampered_and_foreign_ciphertext(transit: Transit) -> None:
    ct = (await transit.write("encrypt/a", plaintext=b64(b"secret")))["ciphertext"]
    await transit.write("keys/b")
    with pytest.raises(InvalidRequest, match=r"^cipher: message authentication failed$"):
        await transit.write("decrypt/b", ciphertext=ct)
    raw = bytearray(base64.b64decode(ct.split(":")[2]))
    raw[-1] ^= 1
    with pytest.raises(InvalidRequest, match=r"^cipher: message authentication failed$"):
        await transit.write("decrypt/a", ciphertext="vault:v1:" + b64(bytes(raw)))
    with pytest.raises(InvalidRequest, match=r"^encryption key not found$"):
        await transit.write("decrypt/none", ciphertext=ct)


async def test_non_encrypting_key(transit: Transit) -> None:
    await transit.write("keys/ed", type="ed25519")
    with pytest.raises(InvalidRequest, match=r"not supported for key type ed25519"):
        await transit.write("encrypt/ed", plaintext=b64(b"x"))


async def test_encrypt_batch_with_bad_item(transit: Transit) -> None:
    items = [
        {"plaintext": b64(b"a")},
        {"plaintext": "!!"},
        {"plaintext": b64(b"c"), "reference": "r"},
    ]
    response = await transit.call(Operation.UPDATE, "encrypt/k", batch_input=items)
    assert response is not None and response.data is not None and response.status == 400
    results = response.data["batch_results"]
    assert results[1] == {"error": "illegal base64 data at input byte 0", "reference": ""}
    assert results[2]["reference"] == "r" and results[2]["key_version"] == 1
    decrypt_items = [{"ciphertext": "garbage"}, {"ciphertext": results[0]["ciphertext"]}]
    response = await transit.call(Operation.UPDATE, "decrypt/k", batch_input=decrypt_items)
    assert response is not None and response.data is not None and response.status == 400
    assert response.data["batch_results"] == [
        {"plaintext": "", "error": "invalid ciphertext: no prefix", "reference": ""},
        {"plaintext": b64(b"a"), "reference": ""},
    ]
    ok = await transit.call(Operation.UPDATE, "decrypt/k", batch_input=decrypt_items[1:])
    assert ok is not None and ok.status is None
    with pytest.raises(InvalidRequest, match=r"missing batch input to process"):
        await transit.write("encrypt/k", batch_input=[])


async def test_derived_requires_context(transit: Transit) -> None:
    await transit.write("keys/d", derived=True)
    with pytest.raises(InvalidRequest, match=r"missing 'context' for key derivation"):
        await transit.write("encrypt/d", plaintext=b64(b"x"))
    ct = (await transit.write("encrypt/d", plaintext=b64(b"x"), context=b64(b"c1")))["ciphertext"]
    assert (await transit.write("decrypt/d", ciphertext=ct, context=b64(b"c1")))[
        "plaintext"
    ] == b64(b"x")
    with pytest.raises(InvalidRequest, match=r"^cipher: message authentication failed$"):
        await transit.write("decrypt/d", ciphertext=ct, context=b64(b"c2"))
    with pytest.raises(InvalidRequest, match=r"missing 'context'"):
        await transit.write("decrypt/d", ciphertext=ct)


async def test_convergent_is_deterministic(transit: Transit) -> None:
    await transit.write("keys/c", derived=True, convergent_encryption=True)
    body = {"plaintext": b64(b"same"), "context": b64(b"ctx")}
    first = await transit.write("encrypt/c", **body)
    second = await transit.write("encrypt/c", **body)
    assert first["ciphertext"] == second["ciphertext"]
    other = await transit.write("encrypt/c", plaintext=b64(b"same"), context=b64(b"other"))
    assert other["ciphertext"] != first["ciphertext"]
    plain = await transit.write("decrypt/c", ciphertext=first["ciphertext"], context=b64(b"ctx"))
    assert plain["plaintext"] == b64(b"same")


async def test_rewrap_to_explicit_version(transit: Transit) -> None:
    ct = (await transit.write("encrypt/k", plaintext=b64(b"x")))["ciphertext"]
    await transit.write("keys/k/rotate")
    data = await transit.write("rewrap/k", ciphertext=ct, key_version=1)
    assert data["key_version"] == 1 and data["ciphertext"].startswith("vault:v1:")


async def test_datakey(transit: Transit) -> None:
    await transit.write("keys/k")
    data = await transit.write("datakey/plaintext/k", bits=128)
    assert len(base64.b64decode(data["plaintext"])) == 16
    out = await transit.write("decrypt/k", ciphertext=data["ciphertext"])
    assert out["plaintext"] == data["plaintext"]
    wrapped = await transit.write("datakey/wrapped/k")
    assert "plaintext" not in wrapped and wrapped["key_version"] == 1
    with pytest.raises(InvalidRequest, match=r"^invalid bit length$"):
        await transit.write("datakey/wrapped/k", bits=100)
    with pytest.raises(InvalidRequest, match=r"must be 'plaintext' or 'wrapped'"):
        await transit.write("datakey/bogus/k")
