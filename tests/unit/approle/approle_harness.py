"""Harness for the AppRole unit tests: logical requests straight to the Backend (no core, no
HTTP) over inmem storage and a FakeClock."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from strongroom.errors import StrongroomError
from strongroom.framework import Backend
from strongroom.logical import Auth, Connection, Operation, Request, Response
from strongroom.storage import Entry, InmemStorage, Storage, TxnOp
from strongroom.testing.clock import FakeClock
from strongroom.types import JSON
from tests.backend_call import handle_as_core

START = 1_800_000_000.0
T0 = "2027-01-15T08:00:00Z"  # START as OpenBao renders it
ZERO_TIME = "0001-01-01T00:00:00Z"
LOCAL = "127.0.0.1"


@dataclass
class AppRole:
    """An AppRole backend over its own storage and clock."""

    backend: Backend
    storage: Storage
    clock: FakeClock

    async def call(
        self, op: Operation, path: str, /, *, remote: str = LOCAL, **data: JSON
    ) -> Response | None:
        request = Request(
            operation=op,
            path=path,
            data=dict(data),
            storage=self.storage,
            connection=Connection(remote_addr=remote),
        )
        return await handle_as_core(self.backend, request)

    async def exists(self, path: str) -> bool | None:
        request = Request(operation=Operation.UPDATE, path=path, storage=self.storage)
        return await self.backend.exists(request)

    async def read(self, path: str, /, **query: JSON) -> Response | None:
        return await self.call(Operation.READ, path, **query)

    async def write(self, path: str, /, **body: JSON) -> Response | None:
        return await self.call(Operation.UPDATE, path, **body)

    async def delete(self, path: str, /, **body: JSON) -> Response | None:
        return await self.call(Operation.DELETE, path, **body)

    async def list(self, path: str, /, **query: JSON) -> Response | None:
        return await self.call(Operation.LIST, path, **query)

    async def data(self, path: str, /, **query: JSON) -> JSON:
        """The `data` of a successful read (asserts there is one)."""
        response = await self.read(path, **query)
        assert response is not None
        assert response.status is None
        return response.data

    async def written(self, path: str, /, **body: JSON) -> JSON:
        """The `data` of a write that answers with data."""
        response = await self.write(path, **body)
        assert response is not None
        return response.data

    async def role(self, name: str, **settings: JSON) -> str:
        """Create role `name`; its role_id."""
        assert await self.write(f"role/{name}", **settings) is None
        data = await self.data(f"role/{name}/role-id")
        return str(data["role_id"])

    async def secret_id(self, role: str, **options: JSON) -> tuple[str, str]:
        """Generate a secret ID for `role`: (secret_id, accessor)."""
        data = await self.written(f"role/{role}/secret-id", **options)
        return str(data["secret_id"]), str(data["secret_id_accessor"])

    async def login(self, remote: str = LOCAL, **credentials: JSON) -> Auth:
        """Log in; the Auth (asserts the login succeeded)."""
        response = await self.call(Operation.UPDATE, "login", remote=remote, **credentials)
        assert response is not None and response.auth is not None
        return response.auth

    async def stored(self, prefix: str = "") -> dict[str, bytes]:
        """Every key under `prefix` with its value (walks folders through `list`)."""
        found: dict[str, bytes] = {}
        for child in await self.storage.list(prefix):
            if child.endswith("/"):
                found.update(await self.stored(prefix + child))
                continue
            entry = await self.storage.get(prefix + child)
            assert entry is not None
            found[prefix + child] = entry.value
        return found


class YieldingStorage(InmemStorage):
    """Inmem storage that yields to the event loop before every operation, so concurrent
    handlers interleave as they would over a real backend."""

    async def get(self, key: str) -> Entry | None:
        await asyncio.sleep(0)
        return await super().get(key)

    async def put(self, entry: Entry) -> None:
        await asyncio.sleep(0)
        await super().put(entry)

    async def transaction(self, ops: Sequence[TxnOp]) -> None:
        await asyncio.sleep(0)
        await super().transaction(ops)


@contextmanager
def raises_exactly(kind: type[StrongroomError], message: str) -> Iterator[None]:
    """Expect `kind` carrying exactly one error text, `message` (the wire text)."""
    with pytest.raises(kind) as caught:
        yield
    assert caught.value.messages == [message]
