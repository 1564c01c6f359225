"""keys/:name create/read/list/delete, config and rotate: OpenBao's shapes and errors."""

from __future__ import annotations

import pytest
from transit_harness import START, Transit

from strongroom.errors import InvalidRequest
from strongroom.logical import Operation


async def test_create_default_shape(transit: Transit) -> None:
    data = await transit.write("keys/k1")
    assert data == {
        "allow_plaintext_backup": False,
        "auto_rotate_period": 0,
        "deletion_allowed": False,
        "derived": False,
        "exportable": False,
        "imported_key": False,
        "keys": {"1": int(START)},
        "latest_version": 1,
        "min_available_version": 0,
        "min_decryption_version": 1,
        "min_encryption_version": 0,
        "name": "k1",
        "soft_deleted": False,
        "supports_decryption": True,
        "supports_derivation": True,
        "supports_encryption": True,
        "supports_signing": False,
        "type": "aes256-gcm96",
    }
    response = await transit.read("keys/k1")
    assert response is not None and response.data == data


async def test_create_existing_returns_unchanged(transit: Transit) -> None:
    await transit.write("keys/k1", type="aes128-gcm96")
    data = await transit.write("keys/k1", type="chacha20-poly1305")
    assert data["type"] == "aes128-gcm96"


async def test_asymmetric_keys_map(transit: Transit) -> None:
    data = await transit.write("keys/ed", type="ed25519")
    entry = data["keys"]["1"]
    assert entry["name"] == "ed25519" and entry["certificate_chain"] == ""
    assert entry["creation_time"] == "2027-01-15T08:00:00Z"
    data = await transit.write("keys/ec", type="ecdsa-p256")
    assert data["keys"]["1"]["public_key"].startswith("-----BEGIN PUBLIC KEY-----\n")
    assert data["keys"]["1"]["name"] == "P-256"
    assert data["supports_derivation"] is False and data["supports_signing"] is True


async def test_derived_convergent_shape(transit: Transit) -> None:
    data = await transit.write("keys/d", derived=True, convergent_encryption=True)
    assert data["kdf"] == "hkdf_sha256"
    assert data["convergent_encryption"] is True
    assert data["convergent_encryption_version"] == -1


async def test_hmac_key_shape_and_size(transit: Transit) -> None:
    with pytest.raises(InvalidRequest, match=r"invalid key size for HMAC key"):
        await transit.write("keys/h", type="hmac")
    data = await transit.write("keys/h", type="hmac", key_size=32)
    assert "keys" not in data and data["key_size"] == 32


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"type": "nope"}, "unknown key type nope"),
        ({"convergent_encryption": True}, "convergent encryption requires derivation"),
        ({"auto_rotate_period": "10m"}, "at least an hour"),
    ],
)
async def test_create_errors(transit: Transit, body: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        await transit.write("keys/bad", **body)


async def test_list_and_delete(transit: Transit) -> None:
    assert await transit.call(Operation.LIST, "keys/") is None
    await transit.write("keys/b")
    await transit.write("keys/a")
    listed = await transit.call(Operation.LIST, "keys/")
    assert listed is not None and listed.data == {"keys": ["a", "b"]}
    with pytest.raises(InvalidRequest, match=r"error deleting policy a: deletion is not allowed"):
        await transit.call(Operation.DELETE, "keys/a")
    await transit.write("keys/a/config", deletion_allowed=True)
    assert await transit.call(Operation.DELETE, "keys/a") is None
    assert await transit.read("keys/a") is None


async def test_rotate_and_min_decryption(transit: Transit) -> None:
    await transit.write("keys/k")
    transit.clock.advance(10)
    data = await transit.write("keys/k/rotate")
    assert data["keys"] == {"1": int(START), "2": int(START) + 10}
    assert data["latest_version"] == 2
    data = await transit.write("keys/k/config", min_decryption_version=2)
    assert data["keys"] == {"2": int(START) + 10}
    with pytest.raises(InvalidRequest, match=r"min encryption version of 1 must be greater"):
        await transit.write("keys/k/config", min_encryption_version=1)
    with pytest.raises(InvalidRequest, match=r"cannot set min decryption version of 3"):
        await transit.write("keys/k/config", min_decryption_version=3)
    with pytest.raises(InvalidRequest, match=r"cannot be negative"):
        await transit.write("keys/k/config", min_decryption_version=-1)
    response = await transit.call(Operation.UPDATE, "keys/k/config", min_decryption_version=0)
    assert response is not None and response.data is not None
    assert response.data["min_decryption_version"] == 1
    assert "forcing minimum to 1" in response.warnings[0]


async def test_config_one_way_flags(transit: Transit) -> None:
    await transit.write("keys/k")
    await transit.write("keys/k/config", exportable=True, allow_plaintext_backup=True)
    data = await transit.write("keys/k/config", exportable=False, allow_plaintext_backup=False)
    assert data["exportable"] is True and data["allow_plaintext_backup"] is True
    data = await transit.write("keys/k/config", auto_rotate_period="1h")
    assert data["auto_rotate_period"] == 3600


async def test_missing_key_errors(transit: Transit) -> None:
    with pytest.raises(InvalidRequest, match=r"no existing key named nope could be found"):
        await transit.write("keys/nope/config", exportable=True)
    with pytest.raises(InvalidRequest, match=r"^key not found$"):
        await transit.write("keys/nope/rotate")


async def test_cache_invalidated_on_write(transit: Transit) -> None:
    await transit.write("keys/k")
    await transit.read("keys/k")
    await transit.write("keys/k/rotate")
    response = await transit.read("keys/k")
    assert response is not None and response.data is not None
    assert response.data["latest_version"] == 2
    transit.backend.invalidate("policy/k")  # type: ignore[misc]
