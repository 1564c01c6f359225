"""backup/:name and restore(/:name): preconditions, round trip, force, bad blobs."""

from __future__ import annotations

import base64

import orjson
import pytest
from transit_harness import START, Transit, b64

from strongroom.errors import InvalidRequest
from strongroom.types import JSONDict


async def _backup(transit: Transit, key: str) -> str:
    response = await transit.read("backup/" + key)
    assert response is not None and response.data is not None
    assert set(response.data) == {"backup"}
    blob = response.data["backup"]
    assert isinstance(blob, str)
    return blob


async def _read(transit: Transit, key: str) -> JSONDict:
    response = await transit.read("keys/" + key)
    assert response is not None and response.data is not None
    return response.data


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "plaintext backup is disallowed on the policy"),
        ({"exportable": True}, "plaintext backup is disallowed on the policy"),
        ({"allow_plaintext_backup": True}, "exporting is disallowed on the policy"),
    ],
)
async def test_backup_preconditions(transit: Transit, body: JSONDict, message: str) -> None:
    await transit.write("keys/k", **body)
    with pytest.raises(InvalidRequest) as err:
        await transit.read("backup/k")
    assert str(err.value) == message


async def test_backup_missing_key(transit: Transit) -> None:
    with pytest.raises(InvalidRequest) as err:
        await transit.read("backup/nope")
    assert str(err.value) == 'key "nope" not found'


async def test_round_trip_and_rename(transit: Transit) -> None:
    await transit.write("keys/k", exportable=True, allow_plaintext_backup=True)
    await transit.write("keys/k/rotate")
    ct = (await transit.write("encrypt/k", plaintext=b64(b"hello")))["ciphertext"]
    blob = await _backup(transit, "k")
    info = {"time": "2027-01-15T08:00:00Z", "version": 2}
    assert (await _read(transit, "k"))["backup_info"] == info
    transit.clock.advance(1)
    assert await transit.call_restore("restore/k2", backup=blob) is None
    restored = await _read(transit, "k2")
    assert restored["name"] == "k2" and restored["backup_info"] == info
    assert restored["restore_info"] == {"time": "2027-01-15T08:00:01Z", "version": 2}
    assert restored["keys"] == {"1": int(START), "2": int(START)}
    plain = await transit.write("decrypt/k2", ciphertext=ct)
    assert plain["plaintext"] == b64(b"hello")


async def test_restore_existing_needs_force(transit: Transit) -> None:
    await transit.write("keys/k", exportable=True, allow_plaintext_backup=True)
    blob = await _backup(transit, "k")
    with pytest.raises(InvalidRequest) as err:
        await transit.call_restore("restore", backup=blob)
    assert str(err.value) == 'key "k" already exists'
    await transit.write("keys/k/rotate")
    await transit.call_restore("restore", backup=blob, force=True)
    assert (await _read(transit, "k"))["latest_version"] == 1


@pytest.mark.parametrize(
    ("backup", "message"),
    [
        (None, "'backup' must be supplied"),
        ("", "'backup' must be supplied"),
        ("!!!", "illegal base64 data at input byte 0"),
        ("e30=", "invalid backup: not a Strongroom transit key backup"),
        (b64(b"not json"), "invalid backup: not a Strongroom transit key backup"),
        (
            b64(b'{"format":"strongroom-transit-backup-v1","policy":{"name":"x"}}'),
            "invalid backup: not a Strongroom transit key backup",
        ),
    ],
)
async def test_restore_bad_blobs(transit: Transit, backup: str | None, message: str) -> None:
    body: JSONDict = {} if backup is None else {"backup": backup}
    with pytest.raises(InvalidRequest) as err:
        await transit.call_restore("restore", **body)
    assert str(err.value) == message


async def test_restore_rejects_bad_material_and_name(transit: Transit) -> None:
    await transit.write("keys/k", exportable=True, allow_plaintext_backup=True)
    document = orjson.loads(base64.b64decode(await _backup(transit, "k")))
    document["policy"]["versions"]["1"]["key"] = b64(b"short")
    with pytest.raises(InvalidRequest, match="invalid backup"):
        await transit.call_restore("restore/x", backup=b64(orjson.dumps(document)))
    document = orjson.loads(base64.b64decode(await _backup(transit, "k")))
    document["policy"]["name"] = "../escape"
    with pytest.raises(InvalidRequest, match="invalid key name in backup"):
        await transit.call_restore("restore", backup=b64(orjson.dumps(document)))


async def test_restore_asymmetric(transit: Transit) -> None:
    await transit.write("keys/ed", type="ed25519", exportable=True, allow_plaintext_backup=True)
    signed = await transit.write("sign/ed", input=b64(b"m"))
    await transit.call_restore("restore/ed2", backup=await _backup(transit, "ed"))
    verified = await transit.write("verify/ed2", input=b64(b"m"), signature=signed["signature"])
    assert verified["valid"] is True
