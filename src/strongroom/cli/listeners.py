"""Serving the ASGI app on each configured listener with uvicorn (httptools + uvloop).

We drive uvicorn's Server through startup/shutdown ourselves: the server command owns the
signals (SIGHUP reloads TLS, SIGTERM/SIGINT stop), not uvicorn.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from dataclasses import dataclass

import uvicorn

from strongroom.cli.http_protocol import VaultHttpToolsProtocol
from strongroom.cli.tls import ReloadableTLS
from strongroom.config import ListenerConfig
from strongroom.core import Core
from strongroom.errors import ConfigError
from strongroom.http import DEFAULT_MAX_REQUEST_SIZE, ListenerOptions, StrongroomApp

_log = logging.getLogger("strongroom.listener")


def listener_options(listener: ListenerConfig) -> ListenerOptions:
    """The HTTP layer's view of a listener block (Vault: 0 = default, negative = unlimited)."""
    size = listener.max_request_size
    if size == 0:
        size = DEFAULT_MAX_REQUEST_SIZE
    elif size < 0:
        size = 0
    return ListenerOptions(
        max_request_size=size,
        disable_unauthed_rekey_endpoints=listener.disable_unauthed_rekey_endpoints,
        disable_unauthed_generate_root_endpoints=listener.disable_unauthed_generate_root_endpoints,
        unauthenticated_metrics_access=listener.unauthenticated_metrics_access,
        tls=not listener.tls_disable,
    )


def bind(address: str) -> socket.socket:
    """A listening socket for `host:port`; ConfigError when it cannot be bound."""
    host, sep, port_text = address.rpartition(":")
    if not sep or not port_text.isdigit():
        raise ConfigError(f"listener address {address!r} must be host:port")
    host = host.strip("[]") or "0.0.0.0"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, int(port_text)))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"listener {address}: {exc.strerror}") from None
    sock.listen(1024)
    sock.setblocking(False)
    return sock


@dataclass
class Listener:
    """One running listener."""

    config: ListenerConfig
    server: uvicorn.Server
    sock: socket.socket
    tls: ReloadableTLS | None
    ticker: asyncio.Task[None]

    @property
    def scheme(self) -> str:
        return "http" if self.tls is None else "https"


async def start_listener(core: Core, config: ListenerConfig) -> Listener:
    """Bind and start serving one listener."""
    tls = None if config.tls_disable else ReloadableTLS(config)
    sock = bind(config.address)
    app = StrongroomApp(core, listener_options(config))
    uv_config = uvicorn.Config(
        app,
        lifespan="off",
        log_config=None,
        access_log=False,
        server_header=False,
        http=VaultHttpToolsProtocol,
        timeout_keep_alive=65,
        timeout_graceful_shutdown=5,
    )
    uv_config.load()
    if tls is not None:
        uv_config.ssl = tls.front
    server = uvicorn.Server(uv_config)
    server.lifespan = uv_config.lifespan_class(uv_config)
    await server.startup(sockets=[sock])
    # main_loop keeps uvicorn's Date header fresh and returns once should_exit is set.
    ticker = asyncio.get_running_loop().create_task(server.main_loop())
    _log.info("listener started: %s://%s", "http" if tls is None else "https", config.address)
    return Listener(config=config, server=server, sock=sock, tls=tls, ticker=ticker)


async def stop_listener(listener: Listener) -> None:
    """Stop accepting, let in-flight requests finish (bounded), close the socket."""
    listener.server.should_exit = True
    await listener.ticker
    await listener.server.shutdown(sockets=[listener.sock])


__all__ = ["Listener", "bind", "listener_options", "start_listener", "stop_listener"]
