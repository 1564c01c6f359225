"""TLS on a real `strongroom server` process: versions, SIGHUP reload, client certificates.

Every test talks to a subprocess over a socket with the standard library's ssl module, so what
is checked is what a client sees on the wire (the certificate served, the handshake outcome).
"""

from __future__ import annotations

import http.client
import json
import signal
import socket
import ssl
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cryptography import x509

from strongroom.testing.process import free_port

if TYPE_CHECKING:
    from conftest import RunningServer, ServerFactory, TLSFiles

pytestmark = pytest.mark.slow

# How a client sees the server refuse its ClientHello. asyncio's and uvloop's SSL transports
# close without flushing OpenSSL's protocol_version alert, so the client reads an EOF; a
# blocking ssl server (and OpenBao) send the alert. A client that cannot even offer the
# version fails with NO_PROTOCOLS_AVAILABLE instead, which does not count.
REFUSED = ("TLSV1_ALERT_PROTOCOL_VERSION", "UNEXPECTED_EOF_WHILE_READING")


def _context(
    ca: Path,
    *,
    client: tuple[Path, Path] | None = None,
    minimum: ssl.TLSVersion | None = None,
    maximum: ssl.TLSVersion | None = None,
) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca))
    if minimum is not None or maximum is not None:
        # Let the client offer TLS 1.0/1.1 at all (OpenSSL 3 hides them below SECLEVEL 1), so a
        # failure is the server refusing, not the client declining to ask.
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    with warnings.catch_warnings():
        # Python deprecates TLSVersion.TLSv1/TLSv1_1; here they are the point of the test.
        warnings.simplefilter("ignore", DeprecationWarning)
        if minimum is not None:
            context.minimum_version = minimum
        if maximum is not None:
            context.maximum_version = maximum
    if client is not None:
        context.load_cert_chain(str(client[0]), str(client[1]))
    return context


def _handshake(
    server: RunningServer, context: ssl.SSLContext, server_name: str = "127.0.0.1"
) -> ssl.SSLSocket:
    raw = socket.create_connection(server.host_port, timeout=5)
    try:
        return context.wrap_socket(raw, server_hostname=server_name)
    except BaseException:
        raw.close()
        raise


def _serial(tls: ssl.SSLSocket) -> int:
    der = tls.getpeercert(binary_form=True)
    assert der is not None
    return x509.load_der_x509_certificate(der).serial_number


def _health(conn: http.client.HTTPSConnection) -> tuple[int, dict[str, object]]:
    conn.request("GET", "/v1/sys/health")
    response = conn.getresponse()
    return response.status, json.loads(response.read())


def _new_serial(server: RunningServer, server_name: str = "127.0.0.1") -> int:
    """The serial a fresh connection sees; an IP name sends no SNI, "localhost" does."""
    assert server.ca_file is not None
    with _handshake(server, _context(server.ca_file), server_name) as tls:
        return _serial(tls)


def _wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.05)


def test_https_serves_health_before_init(
    server_factory: ServerFactory, tls_files: TLSFiles
) -> None:
    server = server_factory(tls=True)
    conn = http.client.HTTPSConnection(*server.host_port, context=_context(tls_files.ca))
    try:
        status, body = _health(conn)
        assert conn.sock is not None
        assert _serial(conn.sock) == tls_files.serial
    finally:
        conn.close()
    assert status == 501
    assert body["initialized"] is False
    assert body["sealed"] is True
    # A client that does not trust the test CA must not get through.
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(server, ssl.create_default_context()).close()


@pytest.mark.parametrize(
    "maximum", [ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1], ids=["tls10", "tls11"]
)
def test_tls_below_12_is_refused(
    server_factory: ServerFactory, tls_files: TLSFiles, maximum: ssl.TLSVersion
) -> None:
    server = server_factory(tls=True)
    old = _context(tls_files.ca, minimum=ssl.TLSVersion.TLSv1, maximum=maximum)
    with pytest.raises(ssl.SSLError) as refused:
        _handshake(server, old).close()
    assert refused.value.reason in REFUSED
    # The same permissive client settings get through once TLS 1.2 is allowed.
    with _handshake(server, _context(tls_files.ca, minimum=ssl.TLSVersion.TLSv1)) as tls:
        assert tls.version() in ("TLSv1.2", "TLSv1.3")


def test_tls_min_version_tls13_refuses_tls12_client(
    server_factory: ServerFactory, tls_files: TLSFiles
) -> None:
    server = server_factory(tls=True, listener_extra='tls_min_version = "tls13"')
    with pytest.raises(ssl.SSLError) as refused:
        _handshake(server, _context(tls_files.ca, maximum=ssl.TLSVersion.TLSv1_2)).close()
    assert refused.value.reason in REFUSED
    with _handshake(server, _context(tls_files.ca)) as tls:
        assert tls.version() == "TLSv1.3"


def test_tls_cipher_suites_limit_tls12(server_factory: ServerFactory, tls_files: TLSFiles) -> None:
    # Go's names, as in Vault's config; the test certificates have ECDSA keys.
    server = server_factory(
        tls=True, listener_extra='tls_cipher_suites = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"'
    )
    other = _context(tls_files.ca, maximum=ssl.TLSVersion.TLSv1_2)
    other.set_ciphers("ECDHE-ECDSA-AES256-GCM-SHA384")
    with pytest.raises(ssl.SSLError) as refused:
        _handshake(server, other).close()
    assert refused.value.reason in ("SSLV3_ALERT_HANDSHAKE_FAILURE", *REFUSED)
    with _handshake(server, _context(tls_files.ca, maximum=ssl.TLSVersion.TLSv1_2)) as tls:
        assert tls.cipher()[0] == "ECDHE-ECDSA-AES128-GCM-SHA256"
    with _handshake(server, _context(tls_files.ca)) as tls:  # TLS 1.3 suites are not limited
        assert tls.version() == "TLSv1.3"


def test_sighup_reloads_certificate_without_dropping_connections(
    server_factory: ServerFactory, tls_files: TLSFiles, tmp_path: Path
) -> None:
    server = server_factory(tls=True)
    assert server.cert_file is not None and server.key_file is not None
    conn = http.client.HTTPSConnection(*server.host_port, context=_context(tls_files.ca))
    try:
        assert _health(conn)[0] == 501
        kept = conn.sock
        assert kept is not None and _serial(kept) == tls_files.serial

        cert_b = tls_files.mint_server_cert(tmp_path / "b")
        assert cert_b.serial != tls_files.serial
        server.cert_file.write_bytes(cert_b.cert.read_bytes())
        server.key_file.write_bytes(cert_b.key.read_bytes())
        # Without SIGHUP nothing changes: the files are read at start and on reload only.
        assert _new_serial(server) == tls_files.serial
        server.process.signal(signal.SIGHUP)
        _wait_for(lambda: _new_serial(server) == cert_b.serial)
        assert _new_serial(server, "localhost") == cert_b.serial

        # The keep-alive connection from before the reload still answers, on the old cert.
        assert _health(conn)[0] == 501
        assert conn.sock is kept
        assert _serial(kept) == tls_files.serial
    finally:
        conn.close()

    # Broken files on the next reload: the server says so, keeps cert B and stays up.
    server.cert_file.write_text("not a certificate\n")
    server.key_file.write_text("not a key\n")
    server.process.signal(signal.SIGHUP)
    _wait_for(lambda: "TLS reload failed" in server.log)
    assert server.process.proc is not None and server.process.proc.poll() is None
    assert _new_serial(server) == cert_b.serial
    assert _new_serial(server, "localhost") == cert_b.serial
    conn = http.client.HTTPSConnection(*server.host_port, context=_context(tls_files.ca))
    try:
        assert _health(conn)[0] == 501
    finally:
        conn.close()


def test_required_client_certificate(server_factory: ServerFactory, tls_files: TLSFiles) -> None:
    server = server_factory(
        tls=True,
        client_cert=True,
        listener_extra=(
            f'tls_client_ca_file = "{tls_files.ca}"\n  tls_require_and_verify_client_cert = true'
        ),
    )
    anonymous = http.client.HTTPSConnection(*server.host_port, context=_context(tls_files.ca))
    try:
        # TLS 1.3 reports a missing client certificate on the first read, not in the handshake.
        with pytest.raises((ssl.SSLError, ConnectionError)):
            _health(anonymous)
    finally:
        anonymous.close()
    client = (tls_files.client_cert, tls_files.client_key)
    with_cert = http.client.HTTPSConnection(
        *server.host_port, context=_context(tls_files.ca, client=client)
    )
    try:
        assert _health(with_cert)[0] == 501
    finally:
        with_cert.close()


def _run_to_exit(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "strongroom.cli.main", "server", f"-config={config}"],
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_unknown_cipher_suite_does_not_start(server_factory: ServerFactory) -> None:
    server = server_factory(tls=True, listener_extra='tls_cipher_suites = "TLS_BOGUS"', start=False)
    run = _run_to_exit(server.config_path)
    assert run.returncode != 0
    assert 'unsupported cipher "TLS_BOGUS"' in run.stderr


def test_tls_listener_without_cert_file_does_not_start(tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "config.hcl"
    config.write_text(
        f'storage "sqlite" {{\n  path = "{tmp_path / "db"}"\n}}\n'
        f'listener "tcp" {{\n  address = "127.0.0.1:{port}"\n  tls_disable = false\n}}\n'
        "disable_mlock = true\n"
    )
    run = _run_to_exit(config)
    assert run.returncode != 0
    assert 'listener "tcp"' in run.stderr
    assert "tls_cert_file" in run.stderr
    # Nothing may be listening: the server refused to start at all.
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
