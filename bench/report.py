"""Benchmark results: per-run samples, medians, ratios, the Markdown table and the JSON.

Pure: it turns measurements into text and JSON-ready dicts, and never runs or measures
anything. Medians are taken over rounds; errors are summed over rounds, because one error
anywhere makes a row suspect.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from bench.wrk import WrkResult

NUMERATOR = "strongroom"
DENOMINATOR = "openbao"
"""Ratios are Strongroom / OpenBao for every figure (req/s: higher is better for Strongroom;
latency, CPU and memory: lower is better)."""

OTHER_LOAD_WARN_PCT = 10.0
"""Above this share of the server core used by other processes, the report says so."""

FIGURES: tuple[tuple[str, str], ...] = (
    ("requests_per_second", "req/s"),
    ("p50_ms", "p50 (ms)"),
    ("p99_ms", "p99 (ms)"),
    ("cpu_us_per_request", "CPU/req (µs)"),
    ("errors", "errors"),
    ("peak_rss_mib", "peak RSS (MiB)"),
)


@dataclass(frozen=True, slots=True)
class Sample:
    """One measured run of one workload on one server."""

    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_request: float | None
    peak_rss_mib: float | None
    status_errors: int
    socket_errors: int
    other_load_pct: float | None = None
    """Share of the server's core that other processes used during the run."""

    @property
    def errors(self) -> int:
        return self.status_errors + self.socket_errors

    @classmethod
    def from_run(
        cls, result: WrkResult, cpu_seconds: float | None, peak_rss_mib: float | None
    ) -> Sample:
        """Combine wrk's counts with the server's CPU time used during the run."""
        cpu = None
        if cpu_seconds is not None and result.requests > 0:
            cpu = cpu_seconds * 1e6 / result.requests
        return cls(
            requests=result.requests,
            requests_per_second=result.requests_per_second,
            p50_ms=result.p50_us / 1000,
            p99_ms=result.p99_us / 1000,
            cpu_us_per_request=cpu,
            peak_rss_mib=peak_rss_mib,
            status_errors=result.status_errors,
            socket_errors=result.socket_errors,
        )


@dataclass(frozen=True, slots=True)
class Summary:
    """The medians of a workload's samples on one server; errors are totals."""

    rounds: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_request: float | None
    peak_rss_mib: float | None
    errors: int
    status_errors: int
    socket_errors: int


def median_of(values: Sequence[float | None]) -> float | None:
    """The median of the known values; None when none is known."""
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def summarize(samples: Sequence[Sample]) -> Summary:
    """Medians over rounds (an even count takes the mean of the middle two)."""
    if not samples:
        raise ValueError("no samples to summarize")
    return Summary(
        rounds=len(samples),
        requests_per_second=statistics.median(s.requests_per_second for s in samples),
        p50_ms=statistics.median(s.p50_ms for s in samples),
        p99_ms=statistics.median(s.p99_ms for s in samples),
        cpu_us_per_request=median_of([s.cpu_us_per_request for s in samples]),
        peak_rss_mib=median_of([s.peak_rss_mib for s in samples]),
        errors=sum(s.errors for s in samples),
        status_errors=sum(s.status_errors for s in samples),
        socket_errors=sum(s.socket_errors for s in samples),
    )


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is unknown or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


@dataclass(frozen=True, slots=True)
class Outcome:
    """One workload on one server: its samples, or why it did not run."""

    samples: tuple[Sample, ...] = ()
    unavailable: str | None = None
    """e.g. "not implemented"; None when the workload ran."""
    detail: str = ""

    @property
    def summary(self) -> Summary | None:
        return summarize(self.samples) if self.samples else None


@dataclass(frozen=True, slots=True)
class ServerInfo:
    kind: str
    title: str
    version: str
    storage: str
    audit: bool
    audit_detail: str
    """Why audit is off (the refusal), or the audit log path."""


@dataclass(frozen=True, slots=True)
class Settings:
    duration_s: int
    connections: int
    rounds: int
    warmup_s: int
    server_cpu: int
    wrk_cpu: int


@dataclass(frozen=True, slots=True)
class Report:
    settings: Settings
    servers: tuple[ServerInfo, ...]
    workloads: tuple[tuple[str, str], ...]
    """(name, title) in table order."""
    outcomes: Mapping[tuple[str, str], Outcome]
    """By (workload name, server kind)."""
    started_at: str
    peak_rss_per_run: bool = True
    """False when the kernel refused to reset VmHWM, so peaks are since server start."""

    def outcome(self, workload: str, kind: str) -> Outcome:
        return self.outcomes.get((workload, kind), Outcome(unavailable="not run"))


def ratios(report: Report, workload: str) -> dict[str, float | None] | None:
    """Strongroom / OpenBao for every figure except errors, when both ran the workload."""
    kinds = {s.kind for s in report.servers}
    if {NUMERATOR, DENOMINATOR} - kinds:
        return None
    top = report.outcome(workload, NUMERATOR).summary
    bottom = report.outcome(workload, DENOMINATOR).summary
    if top is None or bottom is None:
        return None
    return {
        key: ratio(getattr(top, key), getattr(bottom, key)) for key, _ in FIGURES if key != "errors"
    }


def error_lines(report: Report) -> list[str]:
    """One line per (workload, server) that saw any error."""
    lines = []
    for name, _ in report.workloads:
        for server in report.servers:
            summary = report.outcome(name, server.kind).summary
            if summary is not None and summary.errors:
                lines.append(
                    f"{server.title} {name}: {summary.status_errors} non-2xx/3xx responses "
                    f"and {summary.socket_errors} socket errors over {summary.rounds} round(s)"
                )
    return lines


def max_other_load(report: Report) -> float | None:
    """The highest share of the server core used by other processes in any run."""
    loads = [
        s.other_load_pct
        for outcome in report.outcomes.values()
        for s in outcome.samples
        if s.other_load_pct is not None
    ]
    return max(loads) if loads else None


def notes(report: Report) -> list[str]:
    """What a reader must know to read the table fairly."""
    out = []
    by_kind = {s.kind: s for s in report.servers}
    audited = [s for s in report.servers if s.audit]
    for server in report.servers:
        if not server.audit and audited:
            others = ", ".join(s.title for s in audited)
            out.append(
                f"{server.title} ran WITHOUT an audit device ({server.audit_detail}) while "
                f"{others} wrote every audited request and response to a file audit log: the "
                "comparison is NOT equal (audit costs CPU and latency on every authenticated "
                "request; sys/health is not audited by either)."
            )
    for name, _ in report.workloads:
        for kind, server in by_kind.items():
            outcome = report.outcome(name, kind)
            if outcome.unavailable is not None:
                out.append(f"{server.title} {name}: n/a ({outcome.unavailable}): {outcome.detail}")
    busiest = max_other_load(report)
    if busiest is not None and busiest > OTHER_LOAD_WARN_PCT:
        out.append(
            f"other processes used up to {busiest:.0f}% of the server's core during a run "
            "(`other_load_pct` in the JSON; kernel threads flushing the server's own fsyncs "
            "count too): the machine was not quiet, so small differences are noise."
        )
    if not report.peak_rss_per_run:
        out.append("peak RSS is the peak since the server started (VmHWM could not be reset).")
    return out


def format_figure(key: str, value: float | None) -> str:
    """A table cell for one figure."""
    if value is None:
        return "-"
    if key == "requests_per_second":
        return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"
    if key in ("p50_ms", "p99_ms"):
        return f"{value:,.2f}"
    if key == "cpu_us_per_request":
        return f"{value:,.0f}"
    if key == "errors":
        return f"**{value:,.0f}**" if value else "0"
    return f"{value:,.1f}"


def format_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table_rows(report: Report) -> list[str]:
    """The Markdown table: a row per server per workload, then the ratio row."""
    header = ["workload", "server", *(label for _, label in FIGURES)]
    rows = [_row(header), "|---|---|" + "--:|" * len(FIGURES)]
    for name, title in report.workloads:
        first = True
        for server in report.servers:
            outcome = report.outcome(name, server.kind)
            label = title if first else ""
            first = False
            summary = outcome.summary
            if summary is None:
                blank = [""] * (len(FIGURES) - 1)
                rows.append(_row([label, server.title, f"n/a ({outcome.unavailable})", *blank]))
                continue
            cells = [format_figure(key, getattr(summary, key)) for key, _ in FIGURES]
            rows.append(_row([label, server.title, *cells]))
        quotients = ratios(report, name)
        if quotients is not None:
            cells = ["-" if key == "errors" else format_ratio(quotients[key]) for key, _ in FIGURES]
            rows.append(_row(["", "Strongroom / OpenBao", *cells]))
    return rows


def _server_line(server: ServerInfo) -> str:
    audit = "file audit device ON" if server.audit else "audit device OFF"
    return f"- {server.title} {server.version}: {server.storage} storage, {audit}."


def render_markdown(report: Report) -> str:
    """The whole report as Markdown, ready to paste into the README."""
    s = report.settings
    warmup = f"after a {s.warmup_s} s warm-up" if s.warmup_s else "no warm-up"
    lines = [
        f"### {' vs '.join(sorted((x.title for x in report.servers), reverse=True))} "
        f"({report.started_at})",
        "",
        f"`wrk -t1 -c{s.connections} -d{s.duration_s}s` per run ({warmup}), median of "
        f"{s.rounds} round(s); server pinned to core {s.server_cpu}, wrk to core {s.wrk_cpu}; "
        "one server at a time, restarted each round; the load uses a non-root token whose "
        "policy grants only the benchmarked paths.",
        *(_server_line(server) for server in report.servers),
        "",
    ]
    errors = error_lines(report)
    if errors:
        lines += ["**ERRORS (must be 0; the affected rows are not valid):**", ""]
        lines += [f"- **{line}**" for line in errors] + [""]
    lines += table_rows(report)
    if any(ratios(report, name) is not None for name, _ in report.workloads):
        lines += [
            "",
            "Ratios are Strongroom / OpenBao: above 1x is better for req/s, below 1x is "
            "better for latency, CPU and memory.",
        ]
    found = notes(report)
    if found:
        lines += ["", "notes:", *(f"- {note}" for note in found)]
    return "\n".join(lines) + "\n"


def report_json(report: Report) -> dict[str, object]:
    """Everything in the report (including every round) as JSON-ready data."""
    results: list[dict[str, object]] = []
    for name, title in report.workloads:
        for server in report.servers:
            outcome = report.outcome(name, server.kind)
            summary = outcome.summary
            results.append(
                {
                    "workload": name,
                    "title": title,
                    "server": server.kind,
                    "status": "ok" if summary is not None else "n/a",
                    "reason": outcome.unavailable,
                    "detail": outcome.detail,
                    "median": asdict(summary) if summary is not None else None,
                    "rounds": [{**asdict(x), "errors": x.errors} for x in outcome.samples],
                }
            )
    return {
        "started_at": report.started_at,
        "settings": asdict(report.settings),
        "servers": [asdict(server) for server in report.servers],
        "results": results,
        "ratios": {name: ratios(report, name) for name, _ in report.workloads},
        "errors": error_lines(report),
        "notes": notes(report),
    }


__all__ = [
    "FIGURES",
    "Outcome",
    "Report",
    "Sample",
    "ServerInfo",
    "Settings",
    "Summary",
    "error_lines",
    "format_figure",
    "format_ratio",
    "max_other_load",
    "median_of",
    "notes",
    "ratio",
    "ratios",
    "render_markdown",
    "report_json",
    "summarize",
    "table_rows",
]
