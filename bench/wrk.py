"""Running `wrk` and reading its result.

Owns the `wrk` command line and the parsing of the one machine-readable line that the
generated Lua `done()` hook prints (see `workloads.DONE_HOOK`). It must not know about
servers, workloads or setup: it gets a URL and a script path and returns numbers.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

RESULT_MARKER = "BENCH_RESULT "
"""Prefix of the line the Lua `done()` hook writes; the rest of the line is JSON."""


class WrkError(RuntimeError):
    """wrk failed to run, or its output has no (valid) result line."""


@dataclass(frozen=True, slots=True)
class WrkResult:
    """One wrk run, as counted by wrk itself.

    `status_errors` are responses with a status of 400 or more (wrk's "Non-2xx or 3xx
    responses"); the socket errors are wrk's connect/read/write/timeout counters.
    """

    requests: int
    duration_s: float
    p50_us: float
    p99_us: float
    connect_errors: int
    read_errors: int
    write_errors: int
    timeout_errors: int
    status_errors: int

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.duration_s if self.duration_s > 0 else 0.0

    @property
    def socket_errors(self) -> int:
        return self.connect_errors + self.read_errors + self.write_errors + self.timeout_errors

    @property
    def errors(self) -> int:
        return self.socket_errors + self.status_errors


def _count(fields: dict[str, object], key: str) -> int:
    value = fields.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WrkError(f"wrk result: {key!r} is missing or not a number")
    return int(value)


def _number(fields: dict[str, object], key: str) -> float:
    value = fields.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WrkError(f"wrk result: {key!r} is missing or not a number")
    return float(value)


def parse_wrk_output(text: str) -> WrkResult:
    """The result in wrk's stdout: the last `BENCH_RESULT {...}` line.

    wrk's own human-readable report (with `--latency`) surrounds that line and is ignored.
    """
    lines = [line for line in text.splitlines() if line.startswith(RESULT_MARKER)]
    if not lines:
        raise WrkError("wrk output has no result line (did the Lua done() hook run?)")
    try:
        decoded: object = json.loads(lines[-1][len(RESULT_MARKER) :])
    except json.JSONDecodeError as exc:
        raise WrkError(f"wrk result line is not JSON: {exc}") from exc
    if not isinstance(decoded, dict):
        raise WrkError("wrk result line is not a JSON object")
    fields: dict[str, object] = decoded
    errors = fields.get("errors")
    if not isinstance(errors, dict):
        raise WrkError("wrk result: 'errors' is missing or not an object")
    return WrkResult(
        requests=_count(fields, "requests"),
        duration_s=_number(fields, "duration_us") / 1e6,
        p50_us=_number(fields, "p50_us"),
        p99_us=_number(fields, "p99_us"),
        connect_errors=_count(errors, "connect"),
        read_errors=_count(errors, "read"),
        write_errors=_count(errors, "write"),
        timeout_errors=_count(errors, "timeout"),
        status_errors=_count(errors, "status"),
    )


def wrk_command(
    url: str, script: Path, *, duration_s: int, connections: int, cpu: int
) -> list[str]:
    """The argv: one wrk thread pinned to `cpu`, `connections` keep-alive connections."""
    return [
        "taskset",
        "-c",
        str(cpu),
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{duration_s}s",
        "--latency",
        "-s",
        str(script),
        url,
    ]


def run_wrk(
    url: str,
    script: Path,
    *,
    duration_s: int,
    connections: int,
    cpu: int,
    output: Path | None = None,
) -> WrkResult:
    """Run wrk to completion and parse its result; its full output goes to `output`.

    `subprocess.run` kills wrk if this thread is interrupted (Ctrl-C), so no wrk outlives
    the benchmark.
    """
    argv = wrk_command(url, script, duration_s=duration_s, connections=connections, cpu=cpu)
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=duration_s + 60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WrkError(f"wrk did not complete: {exc}") from exc
    if output is not None:
        output.write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise WrkError(f"wrk exited with {done.returncode}: {done.stderr.strip()}")
    return parse_wrk_output(done.stdout)


__all__ = ["RESULT_MARKER", "WrkError", "WrkResult", "parse_wrk_output", "run_wrk", "wrk_command"]
