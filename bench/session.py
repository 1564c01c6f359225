"""One benchmark session: set every server up, then run the rounds, one server at a time.

Owns the order of things. Each server is started, initialised, unsealed and set up once;
then every round starts each server afresh on its on-disk data (so only one server process
exists at any moment, and the round order alternates to spread drift evenly), unseals it,
and measures each runnable workload: warm-up, reset peak RSS, CPU time before, wrk, CPU
time after. Every server process is stopped by `servers.running` on any exit path.
It must not format results (that is `report.py`).
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from random import Random

from bench.report import Outcome, Report, Sample, ServerInfo, Settings
from bench.servers import (
    OPENBAO,
    ServerProcess,
    ServerSpec,
    core_busy_seconds,
    prepare,
    running,
)
from bench.setup import Api, InitKeys, Prepared, configure, initialize, unseal_and_wait_active
from bench.workloads import Workload, render_script
from bench.wrk import run_wrk

SEED = 8
"""Fixed, so both servers store the same secret values and encrypt the same plaintext."""


def log(message: str) -> None:
    """Progress on stderr (stdout carries only the report)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True, slots=True)
class Plan:
    settings: Settings
    kinds: tuple[str, ...]
    workloads: tuple[Workload, ...]
    workdir: Path


@dataclass(slots=True)
class _Server:
    """A set-up server between rounds: how to start it, unseal it, and what to run."""

    spec: ServerSpec
    keys: InitKeys
    version: str
    prepared: Prepared
    scripts: dict[str, Path] = field(default_factory=dict)


def set_up(kind: str, plan: Plan) -> _Server:
    """Start the server once: initialise, unseal, audit, create objects, probe; stop it."""
    spec = prepare(kind, plan.workdir / kind)
    log(f"{spec.title}: setting up in {spec.workdir}")
    started = time.monotonic()
    with running(spec, plan.settings.server_cpu), closing(Api(spec.address)) as api:
        keys = initialize(api)
        version = unseal_and_wait_active(api, keys)
        prepared = configure(
            api,
            plan.workloads,
            audit_path=str(spec.audit_log_path),
            rng=Random(SEED),
            strict=kind == OPENBAO,
        )
    log(f"{spec.title} {version}: set up in {time.monotonic() - started:.1f} s")
    server = _Server(spec, keys, version, prepared)
    for workload in plan.workloads:
        refused = prepared.unavailable(workload)
        if refused is not None:
            log(f"{spec.title} {workload.name}: n/a ({refused.label}): {refused.describe()}")
            continue
        script = spec.workdir / f"{workload.name}.lua"
        script.write_text(render_script(workload, prepared.creds))
        server.scripts[workload.name] = script
    if prepared.audit is not None:
        log(f"{spec.title}: running WITHOUT audit: {prepared.audit.describe()}")
    return server


def measure(
    process: ServerProcess, script: Path, settings: Settings, output: Path
) -> tuple[Sample, bool]:
    """One measured wrk run (after a warm-up); also whether VmHWM could be reset.

    Besides the server's own CPU time it reads the server core's busy time, so that load
    from other processes on that core (a shared machine) shows up in the report.
    """
    url, connections, wrk_cpu = process.spec.address, settings.connections, settings.wrk_cpu
    if settings.warmup_s > 0:
        run_wrk(url, script, duration_s=settings.warmup_s, connections=connections, cpu=wrk_cpu)
    reset = process.reset_peak_rss()
    core_before, before = core_busy_seconds(settings.server_cpu), process.cpu_seconds()
    wall_before = time.monotonic()
    result = run_wrk(
        url,
        script,
        duration_s=settings.duration_s,
        connections=connections,
        cpu=wrk_cpu,
        output=output,
    )
    wall = time.monotonic() - wall_before
    cpu_seconds = process.cpu_seconds() - before
    other = core_busy_seconds(settings.server_cpu) - core_before - cpu_seconds
    process.check_alive()
    sample = Sample.from_run(result, cpu_seconds, process.peak_rss_mib())
    return replace(sample, other_load_pct=max(0.0, 100 * other / wall)), reset


def run_round(
    server: _Server, plan: Plan, number: int, samples: dict[tuple[str, str], list[Sample]]
) -> bool:
    """Start the server on its data, unseal it, run every runnable workload, stop it.

    Returns False if peak RSS could not be reset for some run.
    """
    spec, per_run = server.spec, True
    with running(spec, plan.settings.server_cpu) as process, closing(Api(spec.address)) as api:
        unseal_and_wait_active(api, server.keys)
        settling = time.monotonic()
        idle = process.wait_idle()
        log(
            f"round {number} {spec.title}: unsealed; "
            + (
                f"idle after {time.monotonic() - settling:.1f} s"
                if idle
                else "STILL BUSY after 30 s"
            )
        )
        for workload in plan.workloads:
            script = server.scripts.get(workload.name)
            if script is None:
                continue
            output = spec.workdir / f"{workload.name}.round{number}.wrk.txt"
            sample, reset = measure(process, script, plan.settings, output)
            per_run = per_run and reset
            samples[(workload.name, spec.kind)].append(sample)
            errors = f", ERRORS {sample.errors}" if sample.errors else ""
            cpu = sample.cpu_us_per_request or 0.0
            log(
                f"round {number} {spec.title} {workload.name}: "
                f"{sample.requests_per_second:,.0f} req/s, p50 {sample.p50_ms:.2f} ms, "
                f"p99 {sample.p99_ms:.2f} ms, {cpu:,.0f} µs CPU/req{errors}"
            )
    return per_run


def run_session(plan: Plan) -> Report:
    """Set up, run all rounds, and collect a Report."""
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    servers = [set_up(kind, plan) for kind in plan.kinds]
    samples: dict[tuple[str, str], list[Sample]] = defaultdict(list)
    per_run = True
    for number in range(1, plan.settings.rounds + 1):
        order = servers if number % 2 else servers[::-1]
        for server in order:
            per_run = run_round(server, plan, number, samples) and per_run
    outcomes: dict[tuple[str, str], Outcome] = {}
    for server in servers:
        for workload in plan.workloads:
            key = (workload.name, server.spec.kind)
            refused = server.prepared.unavailable(workload)
            if refused is not None:
                outcomes[key] = Outcome(unavailable=refused.label, detail=refused.describe())
            else:
                outcomes[key] = Outcome(samples=tuple(samples[key]))
    return Report(
        settings=plan.settings,
        servers=tuple(_info(server) for server in servers),
        workloads=tuple((w.name, w.title) for w in plan.workloads),
        outcomes=outcomes,
        started_at=started,
        peak_rss_per_run=per_run,
    )


def _info(server: _Server) -> ServerInfo:
    audit = server.prepared.audit
    return ServerInfo(
        kind=server.spec.kind,
        title=server.spec.title,
        version=server.version,
        storage=server.spec.storage,
        audit=audit is None,
        audit_detail=str(server.spec.audit_log_path) if audit is None else audit.describe(),
    )


__all__ = ["SEED", "Plan", "log", "measure", "run_round", "run_session", "set_up"]
