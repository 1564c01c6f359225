"""The two renderings of `sys/metrics`: Prometheus text (0.0.4) and Vault's JSON.

Owns the Prometheus collector over a `Metrics` and the text encoder. prometheus_client's
own encoder appends `_total` to every counter, but Vault's sink does not
(`vault_token_creation`, not `vault_token_creation_total`), and dashboards and alerts
written for Vault query those names, so this module writes the text itself from the
registry's families. It must not know about HTTP.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from strongroom.telemetry._catalog import Kind, MetricSpec
from strongroom.types import JSONDict

if TYPE_CHECKING:
    from strongroom.telemetry.metrics import Metrics

# vault-compat: the content type OpenBao answers sys/metrics?format=prometheus with.
PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_INVALID = re.compile(r"[^a-zA-Z0-9_:]")


def prometheus_name(prefix: str, name: str) -> str:
    """go-metrics' flattening: join with `_` and replace every other character by `_`."""
    return _INVALID.sub("_", f"{prefix}_{name}")


def json_name(prefix: str, name: str) -> str:
    """The dotted name of the JSON format (`vault.core.handle_request`)."""
    return f"{prefix}.{name}"


class MetricsCollector(Collector):
    """Yields one prometheus_client family per declared metric, at scrape time."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        metrics = self._metrics
        now = metrics.clock()
        for spec in sorted(metrics.specs.values(), key=lambda s: s.name):
            name = prometheus_name(metrics.prefix, spec.name)
            # Vault's sink uses the metric name as its help text.
            family = Metric(name, name, spec.kind.value)
            if spec.kind is Kind.GAUGE:
                for point in metrics.gauge_points(spec):
                    family.add_sample(name, dict(point.labels), point.value)
            else:
                _add_series(family, metrics, spec, now)
            yield family


def _add_series(family: Metric, metrics: Metrics, spec: MetricSpec, now: float) -> None:
    for values, series in metrics.series(spec.name).items():
        labels = metrics.full_labels(spec, values)
        if spec.kind is Kind.COUNTER:
            family.add_sample(family.name, labels, series.total)
            continue
        for quantile, value in series.quantiles(now=now).items():
            family.add_sample(family.name, {**labels, "quantile": str(quantile)}, value)
        family.add_sample(family.name + "_sum", labels, series.total)
        family.add_sample(family.name + "_count", labels, float(series.count))


def _escape_label(value: str) -> str:
    return value.replace("\\", r"\\").replace("\n", r"\n").replace('"', r"\"")


def render_prometheus(metrics: Metrics) -> str:
    """The text exposition (format 0.0.4) of every family in `metrics.registry`."""
    lines: list[str] = []
    for family in metrics.registry.collect():
        if not family.samples:
            continue  # Go's encoder writes no family without a series.
        kind = "untyped" if family.type == "unknown" else family.type
        help_text = family.documentation.replace("\\", r"\\").replace("\n", r"\n")
        lines.append(f"# HELP {family.name} {help_text}")
        lines.append(f"# TYPE {family.name} {kind}")
        for sample in sorted(family.samples, key=_sample_order):
            label_text = ",".join(
                f'{key}="{_escape_label(value)}"' for key, value in sorted(sample.labels.items())
            )
            braces = f"{{{label_text}}}" if label_text else ""
            lines.append(f"{sample.name}{braces} {_go_float(sample.value)}")
    return "\n".join(lines) + "\n" if lines else ""


def _go_float(value: float) -> str:
    """A sample value as Prometheus text: NaN, +Inf, -Inf, integers without `.0`."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _sample_order(sample: object) -> tuple[int, str]:
    # Quantile lines first, then _sum, then _count, as Go's encoder writes a summary.
    name: str = getattr(sample, "name", "")
    rank = 2 if name.endswith("_count") else 1 if name.endswith("_sum") else 0
    labels: dict[str, str] = getattr(sample, "labels", {})
    return rank, repr(sorted(labels.items()))


def render_json(metrics: Metrics, *, wall_time: datetime | None = None) -> JSONDict:
    """Vault's JSON format: the gauges now, counters and samples of the current 10 s interval."""
    moment = (wall_time or datetime.now(UTC)).astimezone(UTC)
    now = metrics.clock()
    gauges: list[JSONDict] = []
    counters: list[JSONDict] = []
    samples: list[JSONDict] = []
    for spec in sorted(metrics.specs.values(), key=lambda s: s.name):
        name = json_name(metrics.prefix, spec.name)
        if spec.kind is Kind.GAUGE:
            for point in metrics.gauge_points(spec):
                gauges.append({"Name": name, "Value": point.value, "Labels": dict(point.labels)})
            continue
        target = counters if spec.kind is Kind.COUNTER else samples
        for values, series in metrics.series(spec.name).items():
            stats = series.interval_stats(now=now)
            if stats is None:
                continue
            target.append(
                {
                    "Name": name,
                    "Count": stats.count,
                    "Rate": stats.rate,
                    "Sum": stats.sum,
                    "Min": stats.min,
                    "Max": stats.max,
                    "Mean": stats.mean,
                    "Stddev": 0.0 if math.isnan(stats.stddev) else stats.stddev,
                    "Labels": metrics.full_labels(spec, values),
                }
            )
    return {
        # vault-compat: Go's time.Time.String() truncated to seconds, as go-metrics writes it.
        "Timestamp": moment.strftime("%Y-%m-%d %H:%M:%S +0000 UTC"),
        "Gauges": gauges,
        "Points": [],
        "Counters": counters,
        "Samples": samples,
    }


__all__ = [
    "PROMETHEUS_CONTENT_TYPE",
    "MetricsCollector",
    "json_name",
    "prometheus_name",
    "render_json",
    "render_prometheus",
]
