"""TLS for listeners: contexts from the cert/key files, reloadable on SIGHUP.

Reload without dropping connections: the listening socket keeps one "front" context whose
SNI callback hands every new handshake the current context; SIGHUP swaps that current context.
Connections already established keep the one they started with.
"""

from __future__ import annotations

import logging
import ssl

from strongroom.config import ListenerConfig
from strongroom.errors import ConfigError

_log = logging.getLogger("strongroom.listener")

_VERSIONS = {"tls12": ssl.TLSVersion.TLSv1_2, "tls13": ssl.TLSVersion.TLSv1_3}


def build_context(listener: ListenerConfig) -> ssl.SSLContext:
    """A server context for the listener; ConfigError when a file is missing or unusable."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = _VERSIONS[listener.tls_min_version]
    if listener.tls_max_version:
        context.maximum_version = _VERSIONS[listener.tls_max_version]
    try:
        context.load_cert_chain(str(listener.tls_cert_file), str(listener.tls_key_file))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(
            f"listener {listener.address}: cannot load tls_cert_file/tls_key_file: "
            f"{exc.strerror or exc}"
        ) from None
    if listener.tls_disable_client_certs:
        context.verify_mode = ssl.CERT_NONE
    elif listener.tls_client_ca_file:
        try:
            context.load_verify_locations(cafile=listener.tls_client_ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(
                f"listener {listener.address}: cannot load tls_client_ca_file: {exc}"
            ) from None
        required = listener.tls_require_and_verify_client_cert
        context.verify_mode = ssl.CERT_REQUIRED if required else ssl.CERT_OPTIONAL
    elif listener.tls_require_and_verify_client_cert:
        context.load_default_certs(ssl.Purpose.CLIENT_AUTH)
        context.verify_mode = ssl.CERT_REQUIRED
    return context


class ReloadableTLS:
    """The front context of a listener, and the current one behind it."""

    def __init__(self, listener: ListenerConfig) -> None:
        self._listener = listener
        self.current = build_context(listener)
        self.front = build_context(listener)
        self.front.sni_callback = self._select

    def _select(self, sock: ssl.SSLObject, server_name: str | None, _: ssl.SSLContext) -> None:
        sock.context = self.current

    def reload(self) -> bool:
        """Re-read the files; keep the old context (and say so) when the new ones are bad."""
        try:
            self.current = build_context(self._listener)
        except ConfigError as exc:
            _log.error("TLS reload failed, keeping the previous certificate: %s", exc)
            return False
        _log.info("reloaded TLS certificate for listener %s", self._listener.address)
        return True


__all__ = ["ReloadableTLS", "build_context"]
