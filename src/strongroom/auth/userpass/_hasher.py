"""Password hashing for userpass: bcrypt, run in a worker thread.

Owns the hash format (bcrypt's modular crypt string, the same format OpenBao stores and
accepts as `password_hash`, so users can be carried over from OpenBao) and the checks on a
pre-hashed password. Must not log, return or keep a password; the event loop never runs a
hash itself (`asyncio.to_thread`).
"""

from __future__ import annotations

import asyncio
import re

import bcrypt

from strongroom.auth.userpass._messages import (
    ERR_BAD_HASH,
    ERR_COST_TOO_HIGH,
    ERR_COST_TOO_LOW,
    ERR_PASSWORD_TOO_LONG,
)
from strongroom.errors import InvalidRequest

# bcrypt only reads the first 72 bytes; longer passwords are refused rather than truncated.
MAX_PASSWORD_BYTES = 72
DEFAULT_COST = 10  # OpenBao hashes at 10; cost 12 is the highest password_hash accepts
# vault-compat: the cost range OpenBao accepts in a pre-hashed `password_hash`
MIN_IMPORTED_COST = 5
MAX_IMPORTED_COST = 12

_BCRYPT = re.compile(r"\$2[aby]\$(?P<cost>\d{2})\$[./A-Za-z0-9]{53}")


class PasswordHasher:
    """bcrypt at a fixed cost. `hash` and `verify` run the work in a worker thread."""

    __slots__ = ("cost",)

    def __init__(self, cost: int = DEFAULT_COST) -> None:
        if not 4 <= cost <= 31:
            raise ValueError("bcrypt cost must be between 4 and 31")
        self.cost = cost

    def hash_sync(self, password: str) -> str:
        """The bcrypt hash of `password` (blocking)."""
        encoded = _encode(password)
        return bcrypt.hashpw(encoded, bcrypt.gensalt(self.cost)).decode("ascii")

    def verify_sync(self, password: str, hashed: str) -> bool:
        """Whether `password` matches `hashed` (blocking, constant-time comparison)."""
        stored = hashed.encode("ascii")
        encoded = password.encode("utf-8")
        if len(encoded) > MAX_PASSWORD_BYTES:
            # No stored hash can match, but spend the same time before saying so.
            bcrypt.checkpw(b"", stored)
            return False
        return bcrypt.checkpw(encoded, stored)

    async def hash(self, password: str) -> str:
        """`hash_sync` in a worker thread; a too-long password is refused up front."""
        _encode(password)
        return await asyncio.to_thread(self.hash_sync, password)

    async def verify(self, password: str, hashed: str) -> bool:
        """`verify_sync` in a worker thread."""
        return await asyncio.to_thread(self.verify_sync, password, hashed)


def _encode(password: str) -> bytes:
    encoded = password.encode("utf-8")
    if len(encoded) > MAX_PASSWORD_BYTES:
        raise InvalidRequest(ERR_PASSWORD_TOO_LONG)
    return encoded


def check_imported_hash(hashed: str) -> str:
    """`hashed` if it is a bcrypt hash OpenBao would accept as `password_hash`; 400 otherwise."""
    match = _BCRYPT.fullmatch(hashed)
    if match is None:
        raise InvalidRequest(ERR_BAD_HASH)
    cost = int(match.group("cost"))
    if not 4 <= cost <= 31:
        raise InvalidRequest(ERR_BAD_HASH)
    if cost < MIN_IMPORTED_COST:
        raise InvalidRequest(ERR_COST_TOO_LOW.format(cost=cost, minimum=MIN_IMPORTED_COST))
    if cost > MAX_IMPORTED_COST:
        raise InvalidRequest(ERR_COST_TOO_HIGH.format(cost=cost, maximum=MAX_IMPORTED_COST))
    return hashed


__all__ = [
    "DEFAULT_COST",
    "MAX_IMPORTED_COST",
    "MAX_PASSWORD_BYTES",
    "MIN_IMPORTED_COST",
    "PasswordHasher",
    "check_imported_hash",
]
