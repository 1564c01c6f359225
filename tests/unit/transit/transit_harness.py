"""Harness for the transit unit tests: logical requests straight to the Backend over inmem
storage and a FakeClock (no core, no HTTP)."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from strongroom.framework import Backend
from strongroom.logical import Operation, Request, Response
from strongroom.storage import InmemStorage
from strongroom.testing.clock import FakeClock
from strongroom.types import JSON, JSONDict
from tests.backend_call import handle_as_core

START = 1_800_000_000.0


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@dataclass
class Transit:
    """A transit backend over its own storage and clock."""

    backend: Backend
    storage: InmemStorage
    clock: FakeClock

    async def call(self, op: Operation, path: str, /, **data: JSON) -> Response | None:
        request = Request(operation=op, path=path, data=dict(data), storage=self.storage)
        return await handle_as_core(self.backend, request)

    async def write(self, path: str, /, **body: JSON) -> JSONDict:
        response = await self.call(Operation.UPDATE, path, **body)
        assert response is not None and response.data is not None
        return response.data

    async def call_restore(self, path: str, /, **body: JSON) -> Response | None:
        """An update whose success is a 204 (no data), as restore answers."""
        return await self.call(Operation.UPDATE, path, **body)

    async def read(self, path: str) -> Response | None:
        return await self.call(Operation.READ, path)
