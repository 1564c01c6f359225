"""`python -m bench.profile_audit`: CPU per request of the server's own code, in process.

A reproducible harness for the audit work (issue #8): it builds a Core over SQLite (with
the physical read cache, as `server` does) or in-memory storage, sets it up like
`bench/setup.py` (kv-v2 secrets, a transit key, the bench policy and a non-root token, a
file audit device), then drives the app's `serve_http` directly, with no sockets and no HTTP parser,
with `--concurrency` tasks issuing the same requests wrk sends. It prints process CPU time
(all threads, so the audit writer thread counts) per request, audit on and off, the best
of `--repeat` runs, optionally split by thread (`--threads`); `--cpu 0` pins the process to
one core as the benchmark pins the server, which also makes the figures far less noisy.
`--instructions` instead runs itself under `valgrind --tool=callgrind` twice per workload
(N and 2N requests) and prints the difference per request: instruction counts that a noisy
shared machine does not move (but OpenSSL runs without SHA extensions under valgrind, so
hashing weighs more there than on the real CPU).
It must not be imported by Strongroom, and it measures nothing over the network.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.setup import KEY_COUNT, POLICY, POLICY_NAME
from strongroom.builtins import catalog
from strongroom.core import Core, CoreOptions
from strongroom.http import StrongroomApp
from strongroom.logical import Connection
from strongroom.seal import SealConfig
from strongroom.storage import CachedStorage, InmemStorage, Storage, open_storage

NAMES = ("kv-read", "transit-encrypt", "token-lookup-self", "kv-write", "sys-health")


@dataclass(frozen=True, slots=True)
class Call:
    """One workload's request as the app sees it."""

    name: str
    method: str
    path: str
    body: bytes
    keyed: bool


def calls() -> dict[str, Call]:
    plaintext = base64.b64encode(os.urandom(100)).decode()
    return {
        c.name: c
        for c in (
            Call("kv-read", "GET", "/v1/secret/data/bench/{key}", b"", True),
            Call(
                "kv-write",
                "POST",
                "/v1/secret/data/bench/{key}",
                json.dumps({"data": {"value": "x" * 200}}).encode(),
                True,
            ),
            Call(
                "transit-encrypt",
                "POST",
                "/v1/transit/encrypt/bench",
                json.dumps({"plaintext": plaintext}).encode(),
                False,
            ),
            Call("token-lookup-self", "GET", "/v1/auth/token/lookup-self", b"", False),
            Call("sys-health", "GET", "/v1/sys/health", b"", False),
        )
    }


class Driver:
    """Sends requests straight into `StrongroomApp.serve_http`, as the listeners do."""

    def __init__(self, app: StrongroomApp, token: str, keys: int) -> None:
        self.app = app
        self.keys = keys
        self.token = token
        self.errors = 0
        self.connection = Connection(remote_addr="127.0.0.1", remote_port=40000)

    async def one(self, call: Call, key: int) -> None:
        path = call.path.replace("{key}", str(key)) if call.keyed else call.path
        headers = {"host": "127.0.0.1", "x-vault-token": self.token}
        if call.body:
            headers["content-type"] = "application/json"
        status, _, _ = await self.app.serve_http(
            call.method, path, "", headers, call.body, self.connection
        )
        if status >= 400:
            self.errors += 1

    async def run(self, call: Call, requests: int, concurrency: int) -> None:
        per_task = requests // concurrency

        async def worker(offset: int) -> None:
            for i in range(per_task):
                await self.one(call, (offset * per_task + i) * 7919 % self.keys)

        await asyncio.gather(*(worker(n) for n in range(concurrency)))


async def _setup(core: Core, workdir: Path, audit: bool, keys: int) -> str:
    """kv-v2 secrets, transit key, bench policy, a non-root token; returns that token."""
    result = await core.initialize(SealConfig(secret_shares=1, secret_threshold=1))
    for share in result.shares[:1]:
        await core.submit_unseal_share(share)
    app = StrongroomApp(core)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        root = {"X-Vault-Token": result.root_token}

        async def send(method: str, path: str, body: dict[str, object] | None = None) -> Any:
            response = await client.request(method, "/v1/" + path, json=body, headers=root)
            if response.status_code >= 400:
                raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
            return response.json() if response.content else None

        if audit:
            options = {"file_path": str(workdir / "audit.log")}
            await send("PUT", "sys/audit/file", {"type": "file", "options": options})
        await send("POST", "sys/mounts/secret", {"type": "kv", "options": {"version": "2"}})
        value = base64.b64encode(os.urandom(150)).decode()
        for i in range(keys):
            await send("POST", f"secret/data/bench/{i}", {"data": {"value": value}})
        await send("POST", "sys/mounts/transit", {"type": "transit"})
        await send("POST", "transit/keys/bench", {})
        await send("PUT", f"sys/policies/acl/{POLICY_NAME}", {"policy": POLICY})
        body = {"policies": [POLICY_NAME], "no_default_policy": True, "ttl": "24h"}
        created = await send("POST", "auth/token/create", body)
        return str(created["auth"]["client_token"])


def _storage(kind: str, workdir: Path) -> Storage:
    if kind == "inmem":
        return InmemStorage()
    return CachedStorage(open_storage("sqlite", {"path": str(workdir / "strongroom.db")}))


def measure(args: argparse.Namespace, audit: bool, names: Sequence[str]) -> dict[str, float]:
    """CPU microseconds per request for each workload (best of `args.repeat`)."""
    loop = _new_loop()
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="sr-profile-") as tmp:
        workdir = Path(tmp)
        core = Core(
            _storage(args.storage, workdir),
            catalog=catalog,
            options=CoreOptions(unsafe_allow_api_audit_creation=True),
        )
        try:
            token = loop.run_until_complete(_setup(core, workdir, audit, args.keys))
            driver = Driver(StrongroomApp(core), token, args.keys)
            table = calls()
            for name in names:
                call = table[name]
                loop.run_until_complete(driver.run(call, args.warmup, args.concurrency))
                if args.callgrind:
                    loop.run_until_complete(driver.run(call, args.requests, args.concurrency))
                    continue
                best = float("inf")
                for _ in range(args.repeat):
                    threads_before = thread_cpu()
                    start = time.process_time()
                    loop.run_until_complete(driver.run(call, args.requests, args.concurrency))
                    spent = time.process_time() - start
                    if spent < best:
                        best, split = spent, _split(threads_before, thread_cpu())
                out[name] = best / args.requests * 1e6
                if args.threads:
                    for thread, seconds in sorted(split.items()):
                        out[f"{name} [{thread}]"] = seconds / args.requests * 1e6
            if driver.errors:
                raise RuntimeError(f"{driver.errors} requests failed")
        finally:
            loop.run_until_complete(core.shutdown())
            loop.close()
    return out


def thread_cpu() -> dict[str, float]:
    """CPU seconds so far of each live Python thread, by name (pool suffixes dropped)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[str, float] = {}
    for thread in threading.enumerate():
        try:
            stat = Path(f"/proc/self/task/{thread.native_id}/stat").read_text()
        except (OSError, TypeError):
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        name = re.sub(r"_\d+$", "", thread.name)
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def _split(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {name: after[name] - before.get(name, 0.0) for name in after}


def _new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency on Linux
        return asyncio.new_event_loop()
    loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
    return loop


def count_instructions(args: argparse.Namespace, audit: bool, name: str) -> float:
    """Instructions per request under callgrind: two runs of different lengths, differenced,
    so setup and start-up cancel out."""
    counts = []
    for count in (args.requests, 2 * args.requests):
        with tempfile.TemporaryDirectory(prefix="sr-callgrind-") as tmp:
            argv = [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={tmp}/callgrind.out",
                sys.executable,
                "-m",
                "bench.profile_audit",
                "--callgrind",
                f"--audit={'on' if audit else 'off'}",
                f"--workloads={name}",
                f"--keys={args.keys}",
                f"--warmup={args.warmup}",
                f"--requests={count}",
                f"--concurrency={args.concurrency}",
                f"--storage={args.storage}",
            ]
            done = subprocess.run(argv, capture_output=True, text=True, check=True)
            found = re.search(r"Collected : (\d+)", done.stderr)
            if found is None:
                raise RuntimeError(f"no instruction count from callgrind: {done.stderr[-500:]}")
            counts.append(int(found.group(1)))
    requests: int = args.requests
    return (counts[1] - counts[0]) / requests


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_audit", description=__doc__)
    parser.add_argument("--workloads", default="kv-read,transit-encrypt,token-lookup-self")
    parser.add_argument("--requests", type=int, default=4000, help="per measured pass (4000)")
    parser.add_argument("--warmup", type=int, default=1000, help="unmeasured requests (1000)")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent tasks (32)")
    parser.add_argument("--repeat", type=int, default=5, help="passes; the best counts (5)")
    parser.add_argument("--keys", type=int, default=KEY_COUNT, help="kv secrets (1000)")
    parser.add_argument("--storage", choices=("sqlite", "inmem"), default="sqlite")
    parser.add_argument("--audit", choices=("on", "off", "both"), default="both")
    parser.add_argument("--callgrind", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="instructions per request under callgrind instead of CPU time (slow: use "
        "--keys 50 --requests 500)",
    )
    parser.add_argument("--threads", action="store_true", help="also CPU per thread")
    parser.add_argument(
        "--cpu",
        type=int,
        help="pin the process to this core, as the benchmark pins the server (less noise)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    names = [n.strip() for n in args.workloads.split(",") if n.strip()]
    unknown = set(names) - set(NAMES)
    if unknown:
        raise SystemExit(f"unknown workloads {sorted(unknown)}; choose from {NAMES}")
    modes = {"on": (True,), "off": (False,), "both": (False, True)}[args.audit]
    if args.instructions:
        results = {a: {n: count_instructions(args, a, n) for n in names} for a in modes}
        unit = "instructions"
    else:
        results = {audit: measure(args, audit, names) for audit in modes}
        unit = "CPU µs"
    if args.callgrind:
        return 0
    heads = " | ".join(f"audit {'on' if a else 'off'} {unit}" for a in modes)
    print(f"| workload | {heads} |")
    print("|---" * (len(modes) + 1) + "|")
    rows = [row for row in results[modes[-1]] if row.split(" [")[0] in names]
    for name in rows:
        cells = " | ".join(f"{results[a].get(name, 0.0):.1f}" for a in modes)
        print(f"| {name} | {cells} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
