"""`python -m bench`: the command line of the side-by-side benchmark.

Owns argument parsing, the temporary directory (removed unless `--keep`, or kept when the
run fails so its logs can be read), printing the Markdown report to stdout and writing the
JSON file. SIGTERM is turned into KeyboardInterrupt so that every started server is still
stopped by pid. It must not measure anything itself.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import httpx

from bench.report import Settings, error_lines, render_markdown, report_json
from bench.servers import SERVER_KINDS, ServerError
from bench.session import Plan, log, run_session
from bench.setup import SetupError
from bench.workloads import WORKLOAD_NAMES, select_workloads
from bench.wrk import WrkError

SERVER_CPU = 0
WRK_CPU = 1


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run OpenBao (raft + file audit) and Strongroom (sqlite) in turn on this "
        "machine under the same wrk load and print medians as a Markdown table.",
    )
    parser.add_argument("--duration", type=_positive, default=10, help="seconds per run (10)")
    parser.add_argument("--connections", type=_positive, default=32, help="wrk connections (32)")
    parser.add_argument("--rounds", type=_positive, default=3, help="rounds; medians (3)")
    parser.add_argument(
        "--warmup", type=_non_negative, default=1, help="unmeasured seconds before each run (1)"
    )
    parser.add_argument("--workloads", help=f"comma list (default all): {','.join(WORKLOAD_NAMES)}")
    parser.add_argument("--only", choices=SERVER_KINDS, help="run one server only")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results as JSON")
    return parser.parse_args(argv)


def check_machine() -> str | None:
    """Why this machine cannot run the benchmark, or None."""
    missing = [tool for tool in ("wrk", "taskset", "bao") if shutil.which(tool) is None]
    if missing:
        return f"missing on PATH: {', '.join(missing)}"
    cores = os.sched_getaffinity(0)
    if not {SERVER_CPU, WRK_CPU} <= cores:
        return f"needs cores {SERVER_CPU} and {WRK_CPU} (available: {sorted(cores)})"
    return None


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        workloads = select_workloads(args.workloads)
    except ValueError as exc:
        print(f"python -m bench: error: {exc}", file=sys.stderr)
        return 2
    problem = check_machine()
    if problem is not None:
        print(f"python -m bench: error: {problem}", file=sys.stderr)
        return 2
    settings = Settings(
        duration_s=args.duration,
        connections=args.connections,
        rounds=args.rounds,
        warmup_s=args.warmup,
        server_cpu=SERVER_CPU,
        wrk_cpu=WRK_CPU,
    )
    kinds = (args.only,) if args.only else SERVER_KINDS
    runs = len(kinds) * len(workloads) * args.rounds
    least = runs * (args.duration + args.warmup)
    log(f"up to {runs} runs of {args.duration} s (+{args.warmup} s warm-up): ~{least} s of load")
    workdir = Path(tempfile.mkdtemp(prefix="strongroom-bench-"))
    signal.signal(signal.SIGTERM, _interrupt)
    keep = args.keep
    try:
        report = run_session(Plan(settings, kinds, workloads, workdir))
    except KeyboardInterrupt:
        log("interrupted; every server this run started has been stopped")
        return 130
    except (ServerError, SetupError, WrkError, httpx.HTTPError, OSError) as exc:
        keep = True
        print(f"python -m bench: error: {exc}", file=sys.stderr)
        return 1
    except BaseException:
        keep = True  # an unexpected failure: leave the logs for reading
        raise
    finally:
        if keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(render_markdown(report))
    if args.json is not None:
        args.json.write_text(json.dumps(report_json(report), indent=2) + "\n")
        log(f"wrote {args.json}")
    return 1 if error_lines(report) else 0


if __name__ == "__main__":
    sys.exit(main())
