"""Harness for the kv engine unit tests: sends logical requests straight to a Backend (no
core, no HTTP) over inmem storage and a FakeClock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from strongroom.errors import StrongroomError
from strongroom.framework import Backend
from strongroom.logical import Operation, Request, Response
from strongroom.storage import InmemStorage
from strongroom.testing.clock import FakeClock
from strongroom.types import JSON
from tests.backend_call import handle_as_core

START = 1_800_000_000.0
T0 = "2027-01-15T08:00:00Z"  # format of START


@dataclass
class KV:
    """A kv backend over its own storage and clock."""

    backend: Backend
    storage: InmemStorage
    clock: FakeClock

    async def call(self, op: Operation, path: str, /, **data: JSON) -> Response | None:
        request = Request(operation=op, path=path, data=dict(data), storage=self.storage)
        return await handle_as_core(self.backend, request)

    async def exists(self, path: str) -> bool | None:
        request = Request(operation=Operation.UPDATE, path=path, storage=self.storage)
        return await self.backend.exists(request)

    async def read(self, path: str, /, **query: JSON) -> Response | None:
        return await self.call(Operation.READ, path, **query)

    async def write(self, path: str, /, **body: JSON) -> Response | None:
        return await self.call(Operation.UPDATE, path, **body)

    async def patch(self, path: str, /, **body: JSON) -> Response | None:
        return await self.call(Operation.PATCH, path, **body)

    async def delete(self, path: str, /, **body: JSON) -> Response | None:
        return await self.call(Operation.DELETE, path, **body)

    async def list(self, path: str, /, **query: JSON) -> Response | None:
        return await self.call(Operation.LIST, path, **query)

    async def data(self, path: str, /, **query: JSON) -> JSON:
        """The `data` of a successful response (asserts there is one)."""
        response = await self.read(path, **query)
        assert response is not None
        assert response.status is None
        return response.data

    async def put(self, key: str, secret: JSON, **options: JSON) -> JSON:
        """Write `secret` as a new version of `key`; the response data."""
        body: dict[str, JSON] = {"data": secret}
        if options:
            body["options"] = options
        response = await self.write("data/" + key, **body)
        assert response is not None
        return response.data


def version_meta(version: int, created: str = T0, deletion: str = "", **extra: JSON) -> JSON:
    """The metadata object of a data read/write as OpenBao renders it."""
    body: dict[str, JSON] = {
        "created_time": created,
        "custom_metadata": None,
        "deletion_time": deletion,
        "destroyed": False,
        "version": version,
    }
    body.update(extra)
    return body


@contextmanager
def raises_exactly(kind: type[StrongroomError], message: str) -> Iterator[None]:
    """Expect `kind` carrying exactly one error text, `message` (the wire text)."""
    with pytest.raises(kind) as caught:
        yield
    assert caught.value.messages == [message]
