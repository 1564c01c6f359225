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

# vault-compat: `tls_cipher_suites` takes Go's (IANA) names; OpenSSL knows these by other names.
# Like Go, the setting applies to TLS 1.2 only: the TLS 1.3 names are accepted and ignored.
_TLS12_SUITES = {
    "TLS_RSA_WITH_RC4_128_SHA": "RC4-SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA": "DES-CBC3-SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA": "AES128-SHA",
    "TLS_RSA_WITH_AES_256_CBC_SHA": "AES256-SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA256": "AES128-SHA256",
    "TLS_RSA_WITH_AES_128_GCM_SHA256": "AES128-GCM-SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384": "AES256-GCM-SHA384",
    "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA": "ECDHE-ECDSA-RC4-SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA": "ECDHE-ECDSA-AES128-SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA": "ECDHE-ECDSA-AES256-SHA",
    "TLS_ECDHE_RSA_WITH_RC4_128_SHA": "ECDHE-RSA-RC4-SHA",
    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA": "ECDHE-RSA-DES-CBC3-SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA": "ECDHE-RSA-AES128-SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA": "ECDHE-RSA-AES256-SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256": "ECDHE-ECDSA-AES128-SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256": "ECDHE-RSA-AES128-SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256": "ECDHE-RSA-AES128-GCM-SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256": "ECDHE-ECDSA-AES128-GCM-SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384": "ECDHE-RSA-AES256-GCM-SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384": "ECDHE-ECDSA-AES256-GCM-SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256": "ECDHE-RSA-CHACHA20-POLY1305",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256": "ECDHE-ECDSA-CHACHA20-POLY1305",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305": "ECDHE-RSA-CHACHA20-POLY1305",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305": "ECDHE-ECDSA-CHACHA20-POLY1305",
}
_TLS13_SUITES = ("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")


def _set_cipher_suites(context: ssl.SSLContext, listener: ListenerConfig) -> None:
    names = [name.strip() for name in (listener.tls_cipher_suites or "").split(",") if name.strip()]
    openssl: list[str] = []
    for name in names:
        if name in _TLS12_SUITES:
            openssl.append(_TLS12_SUITES[name])
        elif name not in _TLS13_SUITES:
            # vault-compat: tlsutil.ParseCiphers error text
            raise ConfigError(f'listener {listener.address}: unsupported cipher "{name}"')
    if not openssl:
        return
    try:
        context.set_ciphers(":".join(openssl))
    except ssl.SSLError:
        raise ConfigError(
            f"listener {listener.address}: none of tls_cipher_suites is available here"
        ) from None


def build_context(listener: ListenerConfig) -> ssl.SSLContext:
    """A server context for the listener; ConfigError when a file is missing or unusable."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = _VERSIONS[listener.tls_min_version]
    if listener.tls_max_version:
        context.maximum_version = _VERSIONS[listener.tls_max_version]
    _set_cipher_suites(context, listener)
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
