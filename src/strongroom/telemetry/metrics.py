"""`Metrics`: the process's telemetry state and its own Prometheus `CollectorRegistry`.

Owns recording (samples, counters, gauges, scrape-time gauge callbacks) and hands a
consistent snapshot to the two renderings in `exposition.py`. It must not do I/O, know
about HTTP, or touch the process-global prometheus_client registry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import TracebackType

from prometheus_client.registry import CollectorRegistry

from strongroom.telemetry._catalog import CATALOG, Kind, MetricSpec
from strongroom.telemetry._window import Series

_log = logging.getLogger(__name__)

LabelValues = tuple[str, ...]
GaugeReading = float | Iterable[tuple[Mapping[str, str], float]]
GaugeCallback = Callable[[], GaugeReading]


@dataclass(frozen=True, slots=True)
class GaugePoint:
    """One gauge value with its full label set (cluster included)."""

    labels: Mapping[str, str]
    value: float


class Metrics:
    """Telemetry for one server. Durations are recorded in milliseconds, as in Vault.

    `clock` returns monotonic seconds (inject a fake in tests). `cluster_name` fills Vault's
    `cluster` label on the core gauges and `token.creation`.
    """

    def __init__(
        self,
        *,
        prefix: str = "vault",
        cluster_name: str = "",
        clock: Callable[[], float] = time.monotonic,
        specs: Iterable[MetricSpec] = CATALOG,
    ) -> None:
        self.prefix = prefix
        self.cluster_name = cluster_name
        self.clock = clock
        self.specs: dict[str, MetricSpec] = {spec.name: spec for spec in specs}
        self._series: dict[str, dict[LabelValues, Series]] = {}
        self._gauges: dict[str, dict[LabelValues, float]] = {}
        self._callbacks: dict[str, GaugeCallback] = {}
        # The unlabelled samples by name: the pipeline's per-request timings go straight to
        # their series.
        self._plain_samples: dict[str, Series] = {}
        # The values of the unlabelled gauges by name (the same dicts as in `_gauges`).
        self._plain_gauges: dict[str, dict[LabelValues, float]] = {}
        for spec in self.specs.values():
            self._series[spec.name] = {}
            self._gauges[spec.name] = {}
            if spec.kind is Kind.GAUGE and not spec.labels:
                self._plain_gauges[spec.name] = self._gauges[spec.name]
            if spec.kind is not Kind.GAUGE and not spec.labels:
                # Declared unlabelled series render as zero before their first event, like
                # Vault's pre-declared definitions (audit.log_request_failure 0).
                series = self._series[spec.name][self._values(spec, {})] = Series()
                if spec.kind is Kind.SAMPLE:
                    self._plain_samples[spec.name] = series
        self.registry = CollectorRegistry(auto_describe=False)
        # Imported here: the collector module imports this one for typing.
        from strongroom.telemetry.exposition import MetricsCollector

        self.registry.register(MetricsCollector(self))

    def _spec(self, name: str, kind: Kind) -> MetricSpec:
        spec = self.specs.get(name)
        if spec is None or spec.kind is not kind:
            raise KeyError(f"no {kind.value} metric named {name!r}")
        return spec

    def _values(self, spec: MetricSpec, labels: Mapping[str, str]) -> LabelValues:
        if set(labels) != set(spec.labels):
            raise ValueError(f"{spec.name} takes labels {spec.labels}, got {tuple(labels)}")
        return tuple(labels[label] for label in spec.labels)

    def label_names(self, spec: MetricSpec) -> tuple[str, ...]:
        """The rendered label names of a metric: its own, plus `cluster` when declared."""
        return (*spec.labels, "cluster") if spec.cluster else spec.labels

    def _full(self, spec: MetricSpec, values: LabelValues) -> dict[str, str]:
        labels = dict(zip(spec.labels, values, strict=True))
        if spec.cluster:
            labels["cluster"] = self.cluster_name
        return labels

    def observe(self, name: str, milliseconds: float, labels: Mapping[str, str] = {}) -> None:
        """Record one duration sample, in milliseconds (go-metrics AddSample)."""
        series = None if labels else self._plain_samples.get(name)
        if series is None:
            self._record(self._spec(name, Kind.SAMPLE), milliseconds, labels)
        else:
            series.record(milliseconds, now=self.clock())

    def observe_since(self, name: str, start: float) -> None:
        """Record the milliseconds since `start` (a reading of `clock`) as an unlabelled
        sample: `measure` without a context manager, and one clock reading fewer."""
        now = self.clock()
        series = self._plain_samples.get(name)
        if series is None:
            self._record(self._spec(name, Kind.SAMPLE), (now - start) * 1000.0, {})
        else:
            series.record((now - start) * 1000.0, now=now)

    def _record(self, spec: MetricSpec, value: float, labels: Mapping[str, str]) -> None:
        # The per-request metrics are unlabelled: their key needs no set comparison.
        key = () if not labels and not spec.labels else self._values(spec, labels)
        by_key = self._series[spec.name]
        series = by_key.get(key)
        if series is None:
            series = by_key[key] = Series()
        series.record(value, now=self.clock())

    def measure(self, name: str, labels: Mapping[str, str] = {}) -> AbstractContextManager[None]:
        """Time the block and record it under `name` (go-metrics MeasureSince), even on error."""
        return _Timing(self, name, labels)

    def inc(self, name: str, labels: Mapping[str, str] = {}, value: float = 1.0) -> None:
        """Add `value` to a counter (go-metrics IncrCounterWithLabels)."""
        spec = self._spec(name, Kind.COUNTER)
        if value < 0:
            raise ValueError("a counter only goes up")
        self._record(spec, value, labels)

    def set_gauge(self, name: str, value: float, labels: Mapping[str, str] = {}) -> None:
        """Set a gauge's value for one label set (go-metrics SetGaugeWithLabels)."""
        spec = self._spec(name, Kind.GAUGE)
        self._gauges[name][self._values(spec, labels)] = float(value)

    def add_gauge(self, name: str, delta: float, labels: Mapping[str, str] = {}) -> None:
        """Move a gauge by `delta` (for in-flight requests)."""
        if not labels:
            plain = self._plain_gauges.get(name)  # the pipeline's in-flight count
            if plain is not None:
                plain[()] = plain.get((), 0.0) + delta
                return
        spec = self._spec(name, Kind.GAUGE)
        key = () if not labels and not spec.labels else self._values(spec, labels)
        gauges = self._gauges[name]
        gauges[key] = gauges.get(key, 0.0) + delta

    def gauge_callback(self, name: str, callback: GaugeCallback) -> None:
        """Compute a gauge on every scrape. The callback must be sync and cheap.

        It returns a number (for an unlabelled gauge) or (labels, value) pairs. Its values
        replace any `set_gauge` values of the same metric.
        """
        self._spec(name, Kind.GAUGE)
        self._callbacks[name] = callback

    def remove_gauge_callback(self, name: str) -> None:
        """Stop computing a gauge on scrape (e.g. when the core seals)."""
        self._callbacks.pop(name, None)

    def series(self, name: str) -> dict[LabelValues, Series]:
        """The recorded series of a sample or counter, keyed by label values."""
        return self._series[name]

    def gauge_points(self, spec: MetricSpec) -> list[GaugePoint]:
        """The gauge's current points: from its callback if any, else from `set_gauge`."""
        callback = self._callbacks.get(spec.name)
        if callback is None:
            stored = self._gauges[spec.name].items()
            return [GaugePoint(self._full(spec, key), value) for key, value in stored]
        try:
            reading = callback()
        except Exception:
            # A broken callback must not break the scrape of every other metric.
            _log.exception("gauge callback for %s failed", spec.name)
            return []
        if isinstance(reading, int | float):
            pairs: Iterable[tuple[Mapping[str, str], float]] = [({}, float(reading))]
        else:
            pairs = reading
        return [
            GaugePoint(self._full(spec, self._values(spec, labels)), float(value))
            for labels, value in pairs
        ]

    def full_labels(self, spec: MetricSpec, values: LabelValues) -> dict[str, str]:
        """The rendered labels for stored label values."""
        return self._full(spec, values)


class _Timing:
    """`Metrics.measure`: a plain context manager (a generator-based one costs several
    times more, and the pipeline times every request three times)."""

    __slots__ = ("_labels", "_metrics", "_name", "_start")

    def __init__(self, metrics: Metrics, name: str, labels: Mapping[str, str]) -> None:
        self._metrics = metrics
        self._name = name
        self._labels = labels
        self._start = 0.0

    def __enter__(self) -> None:
        self._start = self._metrics.clock()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        metrics = self._metrics
        if self._labels:
            metrics.observe(self._name, (metrics.clock() - self._start) * 1000.0, self._labels)
        else:
            metrics.observe_since(self._name, self._start)


__all__ = ["GaugeCallback", "GaugePoint", "GaugeReading", "Metrics"]
