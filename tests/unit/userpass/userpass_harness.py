"""Harness for the userpass unit tests: logical requests straight to the Backend (no core, no
HTTP) over inmem storage, with a cheap bcrypt hasher that counts its work."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from strongroom.auth.userpass import PasswordHasher
from strongroom.errors import StrongroomError
from strongroom.framework import Backend
from strongroom.logical import Connection, Operation, Request, Response
from strongroom.storage import InmemStorage
from strongroom.testing.clock import FakeClock
from strongroom.types import JSON, JSONDict
from tests.backend_call import handle_as_core

# bcrypt's minimum cost: about a millisecond per hash, so the tests stay fast.
TEST_COST = 4
CLIENT_ADDR = "127.0.0.1"


class CountingHasher(PasswordHasher):
    """A real bcrypt hasher that records how often it hashed and verified, and on which
    threads."""

    __slots__ = ("produced", "threads", "verified_against")

    def __init__(self, cost: int = TEST_COST) -> None:
        super().__init__(cost)
        self.produced: list[str] = []
        self.verified_against: list[str] = []
        self.threads: set[int] = set()

    @property
    def hashes(self) -> int:
        return len(self.produced)

    @property
    def verifies(self) -> int:
        return len(self.verified_against)

    def hash_sync(self, password: str) -> str:
        self.threads.add(threading.get_ident())
        hashed = super().hash_sync(password)
        self.produced.append(hashed)
        return hashed

    def verify_sync(self, password: str, hashed: str) -> bool:
        self.threads.add(threading.get_ident())
        self.verified_against.append(hashed)
        return super().verify_sync(password, hashed)


@dataclass
class UP:
    """A userpass backend over its own storage, clock and hasher."""

    backend: Backend
    storage: InmemStorage
    clock: FakeClock
    hasher: CountingHasher

    async def call(
        self, op: Operation, path: str, /, *, remote_addr: str = CLIENT_ADDR, **data: JSON
    ) -> Response | None:
        request = Request(
            operation=op,
            path=path,
            data=dict(data),
            storage=self.storage,
            connection=Connection(remote_addr=remote_addr),
        )
        return await handle_as_core(self.backend, request)

    async def create(self, username: str, /, **body: JSON) -> None:
        assert await self.call(Operation.UPDATE, "users/" + username, **body) is None

    async def update(self, path: str, /, **body: JSON) -> Response | None:
        return await self.call(Operation.UPDATE, path, **body)

    async def user(self, username: str) -> JSONDict:
        """The data of a user read (asserts the user exists)."""
        response = await self.call(Operation.READ, "users/" + username)
        assert response is not None
        assert response.data is not None
        return response.data

    async def login(
        self, username: str, /, *, remote_addr: str = CLIENT_ADDR, **body: JSON
    ) -> Response:
        response = await self.call(
            Operation.UPDATE, "login/" + username, remote_addr=remote_addr, **body
        )
        assert response is not None
        return response

    async def exists(self, path: str) -> bool | None:
        request = Request(operation=Operation.CREATE, path=path, storage=self.storage)
        return await self.backend.exists(request)


def token_defaults(**overrides: JSON) -> JSONDict:
    """A user read as OpenBao renders one with no token settings, plus `overrides`."""
    body: JSONDict = {
        "token_bound_cidrs": [],
        "token_explicit_max_ttl": 0,
        "token_max_ttl": 0,
        "token_no_default_policy": False,
        "token_num_uses": 0,
        "token_period": 0,
        "token_policies": [],
        "token_strictly_bind_ip": False,
        "token_ttl": 0,
        "token_type": "default",
    }
    body.update(overrides)
    return body


@contextmanager
def raises_exactly(kind: type[StrongroomError], message: str) -> Iterator[None]:
    """Expect `kind` carrying exactly one error text, `message` (the wire text)."""
    with pytest.raises(kind) as caught:
        yield
    assert type(caught.value) is kind
    assert caught.value.messages == [message]
