"""`PasswordHasher` (bcrypt in a worker thread) and the pre-hashed password checks."""

from __future__ import annotations

import pytest

from strongroom.auth.userpass import DEFAULT_COST, PasswordHasher
from strongroom.auth.userpass._hasher import check_imported_hash
from strongroom.auth.userpass._messages import ERR_PASSWORD_TOO_LONG
from strongroom.errors import InvalidRequest


async def test_hash_and_verify() -> None:
    hasher = PasswordHasher(4)
    hashed = await hasher.hash("pässword")
    assert hashed.startswith("$2b$04$")
    assert await hasher.verify("pässword", hashed)
    assert not await hasher.verify("password", hashed)
    assert hashed != await hasher.hash("pässword")  # salted


def test_default_cost_matches_openbao() -> None:
    assert DEFAULT_COST == 10  # OpenBao's userpass hashes at bcrypt cost 10
    assert PasswordHasher().cost == DEFAULT_COST


@pytest.mark.parametrize("cost", [3, 32])
def test_cost_out_of_bcrypt_range(cost: int) -> None:
    with pytest.raises(ValueError, match="bcrypt cost"):
        PasswordHasher(cost)


async def test_too_long_password() -> None:
    hasher = PasswordHasher(4)
    with pytest.raises(InvalidRequest, match=ERR_PASSWORD_TOO_LONG):
        await hasher.hash("x" * 73)
    hashed = await hasher.hash("x" * 72)
    assert not await hasher.verify("x" * 73, hashed)  # never a silent truncation


def test_check_imported_hash_returns_a_good_hash() -> None:
    good = "$2y$10$" + "A" * 53
    assert check_imported_hash(good) == good
