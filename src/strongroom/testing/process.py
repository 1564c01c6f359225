"""`ServerProcess`: a real `strongroom server` in a subprocess, for black-box tests.

Used by the compatibility tests (the real `bao` CLI and hvac talk to it over a socket) and by
the kill -9 durability tests.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerProcess:
    """Start, wait for, stop and kill one server process."""

    def __init__(
        self,
        args: Sequence[str],
        *,
        address: str,
        log_path: Path,
        ca_file: str | None = None,
    ) -> None:
        self.args = list(args)
        self.address = address
        self.log_path = log_path
        self.ca_file = ca_file
        self.proc: subprocess.Popen[bytes] | None = None

    @staticmethod
    def with_config(config_path: Path, *, address: str, log_path: Path, **kw: str) -> ServerProcess:
        return ServerProcess(
            ["server", f"-config={config_path}"], address=address, log_path=log_path, **kw
        )

    def start(self, timeout: float = 15.0) -> None:
        """Start the process and wait until it answers `sys/health`."""
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "strongroom.cli.main", *self.args],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        log.close()
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        context = None
        if self.address.startswith("https"):
            context = ssl.create_default_context(cafile=self.ca_file)
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()}")
            try:
                urllib.request.urlopen(self.address + "/v1/sys/health", timeout=1, context=context)
                return
            except urllib.error.HTTPError:
                return  # any HTTP answer (501 uninitialised, 503 sealed) means it is up
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        raise TimeoutError(f"server not ready after {timeout}s:\n{self.log_path.read_text()}")

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM and wait; returns the exit code."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.proc = None
        return code

    def kill(self) -> None:
        """SIGKILL: no chance to flush or clean up."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def signal(self, sig: signal.Signals) -> None:
        if self.proc is not None:
            self.proc.send_signal(sig)


__all__ = ["ServerProcess", "free_port"]
