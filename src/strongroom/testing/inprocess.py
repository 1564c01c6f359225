"""An in-process server: a Core and its ASGI app, driven by httpx without a socket."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from strongroom.builtins import catalog
from strongroom.clock import Clock
from strongroom.core import Core, CoreOptions
from strongroom.http import ListenerOptions, StrongroomApp
from strongroom.seal import SealConfig
from strongroom.storage import InmemStorage, Storage


@dataclass
class InProcessServer:
    """A core, an httpx client bound to its app, and (once initialised) its secrets."""

    core: Core
    client: httpx.AsyncClient
    root_token: str = ""
    unseal_keys: tuple[bytes, ...] = ()

    def auth(self, token: str | None = None) -> dict[str, str]:
        """Headers carrying `token` (the root token by default)."""
        return {"X-Vault-Token": token or self.root_token}

    async def init_and_unseal(self, shares: int = 1, threshold: int = 1) -> None:
        result = await self.core.initialize(
            SealConfig(secret_shares=shares, secret_threshold=threshold)
        )
        self.root_token = result.root_token
        self.unseal_keys = tuple(result.shares)
        for share in result.shares[:threshold]:
            await self.core.submit_unseal_share(share)


@asynccontextmanager
async def in_process_server(
    storage: Storage | None = None,
    *,
    options: ListenerOptions | None = None,
    core_options: CoreOptions | None = None,
    clock: Clock | None = None,
    initialized: bool = True,
) -> AsyncIterator[InProcessServer]:
    """Yield a running in-process server (initialised and unsealed unless told otherwise)."""
    core = Core(storage or InmemStorage(), catalog=catalog, options=core_options, clock=clock)
    app = StrongroomApp(core, options)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://strongroom.test") as client:
        server = InProcessServer(core=core, client=client)
        if initialized:
            await server.init_and_unseal()
        try:
            yield server
        finally:
            await core.shutdown()


__all__ = ["InProcessServer", "in_process_server"]
