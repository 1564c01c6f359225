"""keys/:name/trim and its interplay with min_* versions (OpenBao 2.x texts and order)."""

from __future__ import annotations

import pytest
from transit_harness import Transit, b64

from strongroom.errors import InvalidRequest, UnsupportedOperation
from strongroom.logical import Operation


async def _five_versions(transit: Transit) -> None:
    await transit.write("keys/k")
    for _ in range(4):
        await transit.write("keys/k/rotate")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "missing min_available_version"),
        (
            {"min_available_version": 2},
            "minimum available version cannot be set when minimum encryption version is not set",
        ),
        (
            {"min_available_version": 0},
            "minimum available version cannot be set when minimum encryption version is not set",
        ),
        ({"min_available_version": -1}, "minimum available version cannot be decremented"),
        (
            {"min_available_version": "abc"},
            'Field validation failed: error converting input for field "min_available_version": '
            "'' cannot parse value as 'int': strconv.ParseInt: invalid syntax",
        ),
    ],
)
async def test_trim_rejects_before_limits(
    transit: Transit, body: dict[str, int], message: str
) -> None:
    await _five_versions(transit)
    with pytest.raises(InvalidRequest) as err:
        await transit.write("keys/k/trim", **body)
    assert str(err.value) == message


async def test_trim_limits_order(transit: Transit) -> None:
    await _five_versions(transit)
    await transit.write("keys/k/config", min_decryption_version=3, min_encryption_version=4)
    cases = [
        (0, "minimum available version should be positive"),
        (5, "minimum available version cannot be greater than minmum encryption version"),
        (4, "minimum available version cannot be greater than minimum decryption version"),
    ]
    for value, message in cases:
        with pytest.raises(InvalidRequest) as err:
            await transit.write("keys/k/trim", min_available_version=value)
        assert str(err.value) == message


async def test_trim_removes_versions(transit: Transit) -> None:
    await _five_versions(transit)
    await transit.write("keys/k/config", min_encryption_version=1)
    old = await transit.write("encrypt/k", plaintext=b64(b"x"), key_version=1)
    await transit.write("keys/k/config", min_decryption_version=3, min_encryption_version=3)
    data = await transit.write("keys/k/trim", min_available_version=3)
    assert data["min_available_version"] == 3
    assert sorted(data["keys"]) == ["3", "4", "5"]
    # same value again is accepted; going back is not
    await transit.write("keys/k/trim", min_available_version=3)
    with pytest.raises(InvalidRequest, match="cannot be decremented"):
        await transit.write("keys/k/trim", min_available_version=2)
    with pytest.raises(InvalidRequest, match="disallowed by policy"):
        await transit.write("decrypt/k", ciphertext=old["ciphertext"])
    stored = await transit.read("keys/k")
    assert stored is not None and stored.data is not None
    assert stored.data["min_available_version"] == 3


async def test_trim_null_is_zero(transit: Transit) -> None:
    await _five_versions(transit)
    await transit.write("keys/k/config", min_encryption_version=2)
    await transit.write("keys/k/trim", min_available_version=1)
    with pytest.raises(InvalidRequest, match="cannot be decremented"):
        await transit.write("keys/k/trim", min_available_version=None)


async def test_config_cannot_go_below_available(transit: Transit) -> None:
    await _five_versions(transit)
    await transit.write("keys/k/config", min_decryption_version=3, min_encryption_version=3)
    await transit.write("keys/k/trim", min_available_version=3)
    with pytest.raises(InvalidRequest) as err:
        await transit.write("keys/k/config", min_decryption_version=2)
    assert str(err.value) == "min decryption version should not be less then min available version"
    with pytest.raises(InvalidRequest) as err:
        await transit.write("keys/k/config", min_encryption_version=0)
    assert str(err.value) == "min encryption version should not be less than min available version"
    with pytest.raises(InvalidRequest, match="must be greater than or equal"):
        await transit.write("keys/k/config", min_encryption_version=2)


async def test_trim_missing_key_and_read(transit: Transit) -> None:
    with pytest.raises(InvalidRequest) as err:
        await transit.write("keys/nope/trim", min_available_version=1)
    assert str(err.value) == "invalid key name"
    with pytest.raises(UnsupportedOperation):
        await transit.call(Operation.READ, "keys/nope/trim")
