"""Unit tests for the copy-on-write keyring and its JSON form."""

from __future__ import annotations

import base64
import json

import pytest

from strongroom.barrier.keyring import (
    DEFAULT_MAX_OPERATIONS,
    Key,
    Keyring,
    RotationConfig,
    format_time,
    parse_time,
)
from strongroom.types import JSONDict

ROOT = bytes(range(32))
K1 = Key(term=1, value=b"\x01" * 32, install_time=1_700_000_000.25)
K2 = Key(term=2, value=b"\x02" * 32, install_time=1_700_000_100.5)


def test_defaults_match_openbao() -> None:
    config = RotationConfig()
    assert (config.enabled, config.interval, config.max_operations) == (True, 0, 3_865_470_566)
    assert DEFAULT_MAX_OPERATIONS == 3_865_470_566


def test_add_key_is_copy_on_write() -> None:
    empty = Keyring(ROOT)
    assert empty.active_term == 0
    assert empty.max_term() == 0
    one = empty.add_key(K1)
    two = one.add_key(K2)
    assert dict(empty.keys) == {}
    assert one.active_key() == K1
    assert two.active_key() == K2
    assert two.term(1) == K1
    assert two.term(3) is None
    assert two.max_term() == 2
    assert two.add_key(K2) is two
    assert two.add_key(K1).active_term == 2  # an older term never becomes active
    with pytest.raises(TypeError):
        two.keys[3] = K2  # type: ignore[index]


def test_conflicting_key_for_a_term() -> None:
    with pytest.raises(ValueError, match="different key for term 1"):
        Keyring(ROOT).add_key(K1).add_key(Key(1, b"\x09" * 32, 0.0))


def test_with_methods() -> None:
    keyring = Keyring(ROOT).add_key(K1)
    config = RotationConfig(max_operations=10, interval=5, enabled=False)
    assert keyring.with_rotation_config(config).rotation_config == config
    assert keyring.with_rotation_config(config).keys == keyring.keys
    rekeyed = keyring.with_root_key(b"\x05" * 32)
    assert rekeyed.root_key == b"\x05" * 32
    assert rekeyed.active_key() == K1


def test_secrets_are_not_in_repr() -> None:
    keyring = Keyring(ROOT).add_key(K1)
    text = repr(keyring)
    assert repr(ROOT) not in text
    assert repr(K1.value) not in text
    assert "term=1" in text


def test_serialize_round_trip() -> None:
    keyring = Keyring(ROOT, rotation_config=RotationConfig(5, 60, False)).add_key(K2).add_key(K1)
    data = keyring.serialize()
    document = json.loads(data)
    assert document["active_term"] == 2
    assert [key["term"] for key in document["keys"]] == [1, 2]
    assert document["keys"][0]["install_time"] == "2023-11-14T22:13:20.250000Z"
    assert document["rotation_config"] == {"enabled": False, "interval": 60, "max_operations": 5}
    assert Keyring.deserialize(data) == keyring
    assert Keyring.deserialize(data).serialize() == data


def test_time_format() -> None:
    assert format_time(0.0) == "1970-01-01T00:00:00.000000Z"
    assert parse_time("2026-11-27T03:55:17.447134064Z") == pytest.approx(1795751717.447134)
    assert parse_time("2026-11-27T03:55:17Z") == 1795751717.0
    for bad in [
        "2026-11-27T03:55:17",
        "2026-11-27T03:55:17.1234567890Z",
        "2026-11-27T03:55:17.x1Z",
    ]:
        with pytest.raises(ValueError):
            parse_time(bad)
    with pytest.raises(ValueError):
        parse_time("2026-11-27T03:55:17.\u0661Z")  # a non-ASCII digit
    with pytest.raises(ValueError):
        parse_time("yesterday Z")


def good_document() -> JSONDict:
    document: JSONDict = json.loads(Keyring(ROOT).add_key(K1).serialize())
    return document


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(version=2), "format version"),
        (lambda d: d.update(root_key="!!"), "not valid base64"),
        (lambda d: d.update(root_key=base64.b64encode(b"x").decode()), "root key must be 32"),
        (lambda d: d.update(root_key=5), "must be a string"),
        (lambda d: d.update(keys={}), "must be a list"),
        (lambda d: d.update(keys=[5]), "must be an object"),
        (lambda d: d.update(active_term="1"), "must be an integer"),
        (lambda d: d.update(active_term=True), "must be an integer"),
        (lambda d: d.update(active_term=7), "active term 7 is not in the keyring"),
        (lambda d: d["keys"].append(d["keys"][0]), "duplicate key term 1"),
        (lambda d: d["keys"][0].update(term=0), "positive integer"),
        (lambda d: d["keys"][0].update(install_time="soon"), "time"),
        (lambda d: d["rotation_config"].update(enabled="yes"), "must be a boolean"),
        (lambda d: d["rotation_config"].update(max_operations=0), "max_operations"),
        (lambda d: d["rotation_config"].update(interval=-1), "interval"),
        (lambda d: d.pop("rotation_config"), "must be an object"),
    ],
)
def test_deserialize_rejects(mutate: object, message: str) -> None:
    document = good_document()
    mutate(document)  # type: ignore[operator]
    with pytest.raises(ValueError, match=message):
        Keyring.deserialize(json.dumps(document).encode())


@pytest.mark.parametrize("data", [b"", b"\xff", b"[]", b"{"])
def test_deserialize_rejects_non_documents(data: bytes) -> None:
    with pytest.raises(ValueError):
        Keyring.deserialize(data)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"term": 0}, "positive integer"),
        ({"term": True}, "positive integer"),
        ({"term": 2**32}, "32 bits"),
        ({"value": b"short"}, "32 bytes"),
        ({"install_time": -1.0}, "epoch time"),
        ({"install_time": float("nan")}, "epoch time"),
        ({"install_time": 1e12}, "epoch time"),
    ],
)
def test_key_validation(kwargs: JSONDict, message: str) -> None:
    fields: JSONDict = {"term": 1, "value": bytes(32), "install_time": 0.0} | kwargs
    with pytest.raises(ValueError, match=message):
        Key(**fields)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_operations": 0}, "max_operations"),
        ({"max_operations": True}, "max_operations"),
        ({"interval": -5}, "interval"),
        ({"interval": 1.5}, "interval"),
        ({"enabled": 1}, "enabled"),
    ],
)
def test_rotation_config_validation(kwargs: JSONDict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RotationConfig(**kwargs)


def test_keyring_validation() -> None:
    with pytest.raises(ValueError, match="root key must be 32 bytes"):
        Keyring(b"short")
    with pytest.raises(ValueError, match="holds a different term"):
        Keyring(ROOT, {2: K1}, 2)
    with pytest.raises(ValueError, match="empty keyring has active term 0"):
        Keyring(ROOT, {}, 1)
    with pytest.raises(ValueError, match="no active key"):
        Keyring(ROOT).active_key()
