"""What the userpass paths of one mount share: the clock, the password hasher, the dummy hash
for unknown users and the lock that orders user writes. No storage access of its own."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field

from strongroom.auth.userpass._hasher import PasswordHasher
from strongroom.clock import Clock


@dataclass
class UserpassContext:
    """Per-mount state of the userpass backend."""

    clock: Clock
    hasher: PasswordHasher
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _dummy: str | None = field(default=None, repr=False)
    _dummy_lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    async def dummy_hash(self) -> str:
        """A hash of a random password at the hasher's cost, computed once per backend.

        A login for an unknown user is checked against it so that it costs as much as one
        for a known user (no timing oracle for which usernames exist). Every login asks for
        it, so the one-time cost falls on the first login whatever its outcome.
        """
        async with self._dummy_lock:
            if self._dummy is None:
                self._dummy = await self.hasher.hash(secrets.token_urlsafe(32))
            return self._dummy


__all__ = ["UserpassContext"]
