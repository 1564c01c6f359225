"""Shared fixtures: throw-away TLS material and real `strongroom server` processes.

`tls_files` makes one CA per session with a server certificate for 127.0.0.1/localhost and a
client certificate; `TLSFiles.mint_server_cert` issues more server certificates (for reload
tests). `server_factory` writes a Vault-style HCL config under tmp_path and starts a server
subprocess; every server it started is stopped at teardown.

`postgres_server` and `mariadb_server` are real PostgreSQL / MariaDB servers on 127.0.0.1 (see
tests/dbservers.py), one per session, started only when a test asks for them.
"""

from __future__ import annotations

import datetime
import ipaddress
import itertools
import shutil
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from strongroom.testing.process import ServerProcess, free_port
from tests.dbservers import MariaDBServer, PostgresServer, start_mariadb, start_postgres

_PrivateKey = ec.EllipticCurvePrivateKey


def _write_key(path: Path, key: _PrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _issue(
    subject: str,
    issuer: x509.Certificate | None,
    issuer_key: _PrivateKey | None,
    *,
    usage: str,
) -> tuple[x509.Certificate, _PrivateKey]:
    """A certificate signed by `issuer` (self-signed when None); usage is ca/server/client."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(x509.BasicConstraints(ca=usage == "ca", path_length=None), True)
    )
    if issuer_key is not None:
        aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key())
        builder = builder.add_extension(aki, False)
    if usage == "server":
        san = x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        )
        builder = builder.add_extension(san, False).add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False
        )
    elif usage == "client":
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            True,
        )
    cert = builder.sign(issuer_key or key, hashes.SHA256())
    return cert, key


@dataclass(frozen=True, slots=True)
class IssuedCert:
    """A certificate and key on disk, and the certificate's serial number."""

    cert: Path
    key: Path
    serial: int


@dataclass(frozen=True, slots=True)
class TLSFiles:
    """PEM files of the session CA, a server certificate and a client certificate."""

    ca: Path
    ca_key: Path
    cert: Path
    key: Path
    serial: int
    client_cert: Path
    client_key: Path

    def mint_server_cert(self, directory: Path, name: str = "server") -> IssuedCert:
        """Issue another server certificate (new key, new serial) from the same CA."""
        return _mint_server_cert(self.ca, self.ca_key, directory, name)


def _mint_server_cert(ca_path: Path, ca_key_path: Path, directory: Path, name: str) -> IssuedCert:
    ca = x509.load_pem_x509_certificate(ca_path.read_bytes())
    ca_key = serialization.load_pem_private_key(ca_key_path.read_bytes(), password=None)
    if not isinstance(ca_key, _PrivateKey):
        raise TypeError("the session CA key is not an EC key")
    cert, key = _issue("strongroom test server", ca, ca_key, usage="server")
    directory.mkdir(parents=True, exist_ok=True)
    issued = IssuedCert(
        directory / f"{name}.pem", directory / f"{name}-key.pem", cert.serial_number
    )
    issued.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(issued.key, key)
    return issued


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    directory = tmp_path_factory.mktemp("tls")
    ca, ca_key = _issue("strongroom test CA", None, None, usage="ca")
    client, client_key = _issue("strongroom test client", ca, ca_key, usage="client")
    ca_path, ca_key_path = directory / "ca.pem", directory / "ca-key.pem"
    client_path, client_key_path = directory / "client.pem", directory / "client-key.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    _write_key(ca_key_path, ca_key)
    client_path.write_bytes(client.public_bytes(serialization.Encoding.PEM))
    _write_key(client_key_path, client_key)
    server = _mint_server_cert(ca_path, ca_key_path, directory, "server")
    return TLSFiles(
        ca=ca_path,
        ca_key=ca_key_path,
        cert=server.cert,
        key=server.key,
        serial=server.serial,
        client_cert=client_path,
        client_key=client_key_path,
    )


class _Process(ServerProcess):
    """ServerProcess whose readiness probe can present a client certificate."""

    def __init__(
        self,
        args: list[str],
        *,
        address: str,
        log_path: Path,
        ca_file: Path | None,
        client: tuple[Path, Path] | None,
    ) -> None:
        super().__init__(
            args, address=address, log_path=log_path, ca_file=str(ca_file) if ca_file else None
        )
        self.client = client

    def wait_ready(self, timeout: float) -> None:
        # ServerProcess.wait_ready cannot present a client certificate, so a listener with
        # tls_require_and_verify_client_cert would never look ready to it.
        if self.client is None or self.ca_file is None:
            super().wait_ready(timeout)
            return
        context = ssl.create_default_context(cafile=self.ca_file)
        context.load_cert_chain(*self.client)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()}")
            try:
                urllib.request.urlopen(self.address + "/v1/sys/health", timeout=1, context=context)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError(f"server not ready after {timeout}s:\n{self.log_path.read_text()}")


@dataclass
class RunningServer:
    """One configured server: its process, address (`scheme://host:port`) and files."""

    process: ServerProcess
    address: str
    config_path: Path
    db_path: Path
    ca_file: Path | None
    cert_file: Path | None
    key_file: Path | None

    @property
    def host_port(self) -> tuple[str, int]:
        host, _, port = self.address.rpartition("//")[2].rpartition(":")
        return host, int(port)

    @property
    def log(self) -> str:
        return self.process.log_path.read_text()

    def start(self) -> None:
        self.process.start()

    def stop(self) -> int:
        return self.process.stop()

    def restart(self) -> None:
        """SIGTERM, then start again on the same config and database."""
        self.process.stop()
        self.process.start()


@dataclass
class ServerFactory:
    """Callable fixture object: writes a config and starts a server."""

    directory: Path
    tls_files: TLSFiles
    started: list[RunningServer] = field(default_factory=list)
    _names: Iterator[int] = field(default_factory=itertools.count)

    def __call__(
        self,
        *,
        tls: bool = False,
        listener_extra: str = "",
        top_extra: str = "",
        db_path: Path | None = None,
        client_cert: bool = False,
        start: bool = True,
    ) -> RunningServer:
        """Write `server-N/config.hcl` and (unless start=False) start the server on it.

        With tls, the server cert/key are copied into `server-N/` so a test may overwrite them.
        `client_cert` makes the readiness probe present the session client certificate.
        """
        directory = self.directory / f"server-{next(self._names)}"
        directory.mkdir()
        db = db_path or directory / "strongroom.db"
        port = free_port()
        scheme = "https" if tls else "http"
        address = f"{scheme}://127.0.0.1:{port}"
        listener = [f'address = "127.0.0.1:{port}"']
        ca = cert = key = None
        files = self.tls_files
        if tls:
            ca, cert, key = files.ca, directory / "cert.pem", directory / "key.pem"
            shutil.copyfile(files.cert, cert)
            shutil.copyfile(files.key, key)
            listener += [f'tls_cert_file = "{cert}"', f'tls_key_file = "{key}"']
        else:
            listener.append("tls_disable = true")
        config = directory / "config.hcl"
        config.write_text(
            f'storage "sqlite" {{\n  path = "{db}"\n}}\n\n'
            'listener "tcp" {\n  ' + "\n  ".join(listener) + f"\n  {listener_extra}\n}}\n\n"
            f'disable_mlock = true\napi_addr = "{address}"\n{top_extra}\n'
        )
        client = (files.client_cert, files.client_key) if client_cert else None
        process = _Process(
            ["server", f"-config={config}"],
            address=address,
            log_path=directory / "server.log",
            ca_file=ca,
            client=client,
        )
        server = RunningServer(process, address, config, db, ca, cert, key)
        self.started.append(server)
        if start:
            server.start()
        return server


@pytest.fixture
def server_factory(tmp_path: Path, tls_files: TLSFiles) -> Iterator[ServerFactory]:
    factory = ServerFactory(tmp_path, tls_files)
    yield factory
    for server in factory.started:
        server.process.stop()  # SIGTERM, then SIGKILL after 10 s


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL 15 server with superuser `strongroom_admin` and database `strongroom`."""
    with start_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[MariaDBServer]:
    """A MariaDB server with `strongroom_admin`@`%` (all privileges, with grant option)."""
    with start_mariadb() as server:
        yield server
