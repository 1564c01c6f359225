"""The password policy store: named password policies (OpenBao's `sys/policies/password`) kept
inside the barrier, and passwords generated from them for the engines that ask.

Each policy is stored as `{"policy": "<text>"}` under its name, which is case-sensitive and may
contain `/`. A policy is validated when it is written (it must parse, and its length must be
within 4..100, as OpenBao's endpoint requires) and parsed again, through a small cache keyed by
its text, when a password is generated; so nothing stale survives another node's write.

Like OpenBao 2.7.2, a write does not refuse a policy whose rules are merely hard to satisfy:
generation from it fails later, after OpenBao's one-second budget.
"""

from __future__ import annotations

import asyncio
import json

from strongroom.clock import Clock
from strongroom.errors import InvalidRequest
from strongroom.policy.password import (
    ERR_LENGTH_BOUNDS,
    MAX_ATTEMPTS,
    MAX_LENGTH,
    MIN_LENGTH,
    PasswordGenerationError,
    PasswordPolicy,
    parse_password_policy,
)
from strongroom.storage import Entry, Storage

# vault-compat: OpenBao's messages for a missing policy text, a policy that does not parse,
# and (from the engines' generator) a policy name that is not stored.
ERR_MISSING_POLICY = "missing policy"
ERR_INVALID_PREFIX = "invalid password policy"
ERR_NO_POLICY = "no password policy found"

# OpenBao gives generation one second; candidates are drawn in batches between which other
# requests may run, and MAX_ATTEMPTS bounds the total when the clock does not move (tests).
GENERATE_TIMEOUT = 1.0
_BATCH = 1000
_CACHE_SIZE = 64


class PasswordPolicyStore:
    """Named password policies, and passwords generated from them."""

    def __init__(self, view: Storage, *, clock: Clock) -> None:
        self._view = view
        self._clock = clock
        self._parsed: dict[str, PasswordPolicy] = {}

    async def names(self) -> list[str]:
        """Every stored name, in OpenBao's order: a level's names sorted, then the deeper
        levels, the last folder first (a depth-first walk on a stack)."""
        names: list[str] = []
        folders = [""]
        while folders:
            prefix = folders.pop()
            for key in await self._view.list(prefix):
                if key.endswith("/"):
                    folders.append(prefix + key)
                else:
                    names.append(prefix + key)
        return names

    async def get(self, name: str) -> str | None:
        """The policy text stored under `name`, or None."""
        if not name:
            return None
        entry = await self._view.get(name)
        if entry is None:
            return None
        text: str = json.loads(entry.value)["policy"]
        return text

    async def put(self, name: str, text: str) -> None:
        """Validate, then store; a policy that does not validate changes nothing."""
        if not name:
            raise InvalidRequest("missing policy name")
        if not text:
            raise InvalidRequest(ERR_MISSING_POLICY)
        policy = self._parse(text)
        if not MIN_LENGTH <= policy.length <= MAX_LENGTH:
            raise InvalidRequest(ERR_LENGTH_BOUNDS)
        await self._view.put(Entry(name, json.dumps({"policy": text}).encode()))

    async def delete(self, name: str) -> None:
        """Forget `name` (deleting a name that is not stored is not an error)."""
        if name:
            await self._view.delete(name)

    async def policy(self, name: str) -> PasswordPolicy | None:
        """The parsed policy stored under `name`, or None."""
        text = await self.get(name)
        return None if text is None else self._parse(text)

    async def generate(self, name: str) -> str:
        """A password from the named policy. InvalidRequest (`no password policy found`) when
        there is none; PasswordGenerationError (a 500) when no candidate satisfied it in time.
        """
        policy = await self.policy(name)
        if policy is None:
            raise InvalidRequest(ERR_NO_POLICY)
        started = self._clock.monotonic()
        for _ in range(0, MAX_ATTEMPTS, _BATCH):
            password = policy.try_generate(_BATCH)
            if password is not None:
                return password
            if self._clock.monotonic() - started >= GENERATE_TIMEOUT:
                break
            await asyncio.sleep(0)  # let other requests run between batches
        raise PasswordGenerationError()

    def _parse(self, text: str) -> PasswordPolicy:
        cached = self._parsed.get(text)
        if cached is not None:
            return cached
        try:
            policy = parse_password_policy(text)
        except InvalidRequest as exc:
            raise InvalidRequest(f"{ERR_INVALID_PREFIX}: {exc}") from None
        if len(self._parsed) >= _CACHE_SIZE:
            self._parsed.clear()
        self._parsed[text] = policy
        return policy


__all__ = [
    "ERR_INVALID_PREFIX",
    "ERR_MISSING_POLICY",
    "ERR_NO_POLICY",
    "GENERATE_TIMEOUT",
    "PasswordPolicyStore",
]
