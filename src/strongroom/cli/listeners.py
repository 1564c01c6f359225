"""Serving each configured listener with Strongroom's HTTP server (http/server.py).

The server command owns the signals (SIGHUP reloads TLS, SIGTERM/SIGINT stop).
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass

from strongroom.cli.tls import ReloadableTLS
from strongroom.config import ListenerConfig
from strongroom.core import Core
from strongroom.errors import ConfigError
from strongroom.http import DEFAULT_MAX_REQUEST_SIZE, ListenerOptions, StrongroomApp
from strongroom.http.forwarded import ForwardedFor
from strongroom.http.server import HttpServer

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


def forwarded_for(listener: ListenerConfig) -> ForwardedFor | None:
    """The listener's X-Forwarded-For settings; None without `x_forwarded_for_authorized_addrs`
    (OpenBao ignores the other x_forwarded_for_* keys then)."""
    if not listener.x_forwarded_for_authorized_addrs:
        return None
    try:
        return ForwardedFor.parse(
            listener.x_forwarded_for_authorized_addrs,
            hop_skips=listener.x_forwarded_for_hop_skips,
            reject_not_authorized=listener.x_forwarded_for_reject_not_authorized,
            reject_not_present=listener.x_forwarded_for_reject_not_present,
        )
    except ValueError as exc:
        raise ConfigError(f"{listener.source}: x_forwarded_for_authorized_addrs: {exc}") from None


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
    server: HttpServer
    sock: socket.socket
    tls: ReloadableTLS | None

    @property
    def scheme(self) -> str:
        return "http" if self.tls is None else "https"


async def start_listener(core: Core, config: ListenerConfig) -> Listener:
    """Bind and start serving one listener."""
    tls = None if config.tls_disable else ReloadableTLS(config)
    sock = bind(config.address)
    app = StrongroomApp(core, listener_options(config), forwarded_for(config))
    server = HttpServer(app)
    await server.start(sock, tls.front if tls is not None else None)
    _log.info("listener started: %s://%s", "http" if tls is None else "https", config.address)
    return Listener(config=config, server=server, sock=sock, tls=tls)


async def stop_listener(listener: Listener) -> None:
    """Stop accepting, let in-flight requests finish (bounded), close the socket."""
    await listener.server.close()
    listener.sock.close()


__all__ = [
    "Listener",
    "bind",
    "forwarded_for",
    "listener_options",
    "start_listener",
    "stop_listener",
]
