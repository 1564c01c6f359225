"""`users/:username/password` and pre-hashed `password_hash` imports (bcrypt, as OpenBao)."""

from __future__ import annotations

import bcrypt
import pytest
from userpass_harness import UP, raises_exactly, token_defaults

from strongroom.auth.userpass._messages import (
    ERR_BAD_HASH,
    ERR_INVALID_CREDENTIALS,
    ERR_NO_SUCH_USER,
    ERR_PASSWORD_EXCLUSIVE,
    ERR_PASSWORD_REQUIRED,
)
from strongroom.errors import InvalidRequest

# Made once: bcrypt's 2a, 2b and 2y variants differ only in the prefix.
_IMPORTED = bcrypt.hashpw(b"imported", bcrypt.gensalt(5)).decode()
_AGAIN = bcrypt.hashpw(b"again", bcrypt.gensalt(5)).decode()


def with_prefix(hashed: str, prefix: str = "2b") -> str:
    return f"${prefix}${hashed[4:]}"


async def test_reset_password(up: UP) -> None:
    await up.create("alice", password="old", token_ttl="1h")
    assert await up.update("users/ALICE/password", password="new") is None
    assert (await up.login("alice", password="new")).auth is not None
    with raises_exactly(InvalidRequest, ERR_INVALID_CREDENTIALS):
        await up.login("alice", password="old")
    assert await up.user("alice") == token_defaults(token_ttl=3600)


@pytest.mark.parametrize("body", [{}, {"password": ""}, {"password_hash": ""}])
async def test_reset_needs_a_password(up: UP, body: dict[str, str]) -> None:
    await up.create("alice", password="pw")
    with raises_exactly(InvalidRequest, ERR_PASSWORD_REQUIRED):
        await up.update("users/alice/password", **body)


async def test_reset_takes_one_form_only(up: UP) -> None:
    await up.create("alice", password="pw")
    with raises_exactly(InvalidRequest, ERR_PASSWORD_EXCLUSIVE):
        await up.update("users/alice/password", password="a", password_hash=_AGAIN)


async def test_reset_of_an_unknown_user(up: UP) -> None:
    # OpenBao answers 500 "1 error occurred: username does not exist"; 400 here.
    for body in ({"password": "x"}, {}):
        with raises_exactly(InvalidRequest, ERR_NO_SUCH_USER):
            await up.update("users/nobody/password", **body)
    assert up.hasher.hashes == 0


@pytest.mark.parametrize("prefix", ["2a", "2b", "2y"])
async def test_password_hash_import(up: UP, prefix: str) -> None:
    await up.create("alice", password_hash=with_prefix(_IMPORTED, prefix))
    assert (await up.login("alice", password="imported")).auth is not None
    await up.update("users/alice/password", password_hash=_AGAIN)
    assert (await up.login("alice", password="again")).auth is not None


@pytest.mark.parametrize(
    ("hashed", "message"),
    [
        ("notahash", ERR_BAD_HASH),
        ("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", ERR_BAD_HASH),
        ("$2b$10$XzlvwqW1SQMU1aOINwFJk", ERR_BAD_HASH),
        ("$2x$10$" + "a" * 53, ERR_BAD_HASH),
        ("$2b$32$" + "a" * 53, ERR_BAD_HASH),
        ("$2b$03$" + "a" * 53, ERR_BAD_HASH),
        ("$2b$04$" + "a" * 53, "bcrypt cost of 4 is too low, want 5 at minimum"),
        ("$2b$31$" + "a" * 53, "bcrypt cost of 31 exceeds maximum cost of 12"),
        ("$2b$13$" + "a" * 53, "bcrypt cost of 13 exceeds maximum cost of 12"),
    ],
)
async def test_invalid_password_hash(up: UP, hashed: str, message: str) -> None:
    with raises_exactly(InvalidRequest, message):
        await up.create("alice", password_hash=hashed)
    await up.create("alice", password="pw")
    with raises_exactly(InvalidRequest, message):
        await up.update("users/alice/password", password_hash=hashed)
    assert (await up.login("alice", password="pw")).auth is not None
