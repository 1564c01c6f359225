"""The pre-keyed HMAC and the cached time formatting give exactly what the stdlib gives."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

import pytest

from strongroom.audit import Salter
from strongroom.audit.format import format_time
from strongroom.keyed_hmac import KeyedHmac


@pytest.mark.parametrize("size", [16, 32, 63, 64, 65, 200])
def test_keyed_hmac_is_hmac_sha256(size: int) -> None:
    key = bytes(range(size))
    mac = KeyedHmac(key)
    for message in (b"", b"a", b"x" * 1000, "\u00e9\U0001f600".encode()):
        assert mac.hexdigest(message) == hmac.digest(key, message, "sha256").hex()
    assert repr(mac) == "KeyedHmac(**********)"


def test_salter_hash_is_vault_format() -> None:
    salt = b"\x07" * 32
    assert Salter(salt).hash("secret") == (
        "hmac-sha256:" + hmac.digest(salt, b"secret", "sha256").hex()
    )


def test_salter_remembers_hmacs_without_keeping_the_values() -> None:
    salt = b"\x09" * 32
    salter = Salter(salt)

    def expected(value: str) -> str:
        return "hmac-sha256:" + hmac.digest(salt, value.encode(), "sha256").hex()

    values = [f"value-{n}" for n in range(5000)]  # more than it remembers: it forgets
    for _ in range(2):
        for value in values[::-1] + values:
            assert salter.hash(value) == expected(value)
    assert salter.hash("") == expected("")
    assert 0 < len(salter._known) <= 4096
    remembered = repr(salter._known)  # what it keeps: hashes, lengths and HMACs
    assert "value-4999" not in remembered and "hmac-sha256:" in remembered


class _Colliding(str):
    """A str that claims another string's hash (an exact str cannot be made to)."""

    def __hash__(self) -> int:
        return hash("alpha")


def test_salter_is_not_fooled_by_a_colliding_hash() -> None:
    salt = b"\x0a" * 32
    salter = Salter(salt)
    assert salter.hash("alpha") == "hmac-sha256:" + hmac.digest(salt, b"alpha", "sha256").hex()
    bravo = _Colliding("bravo")
    assert hash(bravo) == hash("alpha") and len(bravo) == len("alpha")
    assert salter.hash(bravo) == "hmac-sha256:" + hmac.digest(salt, b"bravo", "sha256").hex()
    assert salter.hash("alpha") == "hmac-sha256:" + hmac.digest(salt, b"alpha", "sha256").hex()


def _reference(epoch: float) -> str:
    moment = datetime.fromtimestamp(epoch, tz=UTC)
    fraction = f"{moment.microsecond:06d}".rstrip("0")
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + "Z"


def test_format_time_matches_reference_across_seconds_and_carries() -> None:
    moments = [
        1_800_000_000.5,
        1_800_000_000.25,
        1_799_999_999.999_999_7,  # rounds up into the next second
        1_799_999_999.5,
        1_800_000_000.000_000_4,
        1_800_000_059.999_999_9,  # carries into the next minute
        1_800_000_060.1,
        -0.5,
        0.5,
        -0.000_000_1,
        0,
        59.999_999_6,
        60,
    ]
    for epoch in moments + moments[::-1]:
        assert format_time(epoch) == _reference(epoch), epoch


def _outcome(epoch: float) -> object:
    try:
        return format_time(epoch)
    except (ValueError, OverflowError) as exc:
        return type(exc), str(exc)


def _reference_outcome(epoch: float) -> object:
    try:
        return _reference(epoch)
    except (ValueError, OverflowError) as exc:
        return type(exc), str(exc)


@pytest.mark.parametrize(
    "epoch",
    [
        1e11,
        1e11 - 0.5,
        -62_135_596_800.0,
        -62_135_596_800.5,
        253_402_300_799.999_999_6,
        1e20,
        float("nan"),
        float("inf"),
        0.000_000_5,  # half a microsecond: rounds to even
        0.000_001_5,
        0.000_002_5,
        -0.000_000_5,
    ],
)
def test_format_time_edges_and_errors_match_reference(epoch: float) -> None:
    assert _outcome(epoch) == _reference_outcome(epoch)
