"""The per-request recording paths: `observe_since` and unlabelled `add_gauge`."""

from __future__ import annotations

import pytest

from strongroom.telemetry import Metrics, names
from strongroom.telemetry._catalog import Kind, MetricSpec


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_observe_since_records_milliseconds_at_the_end_time() -> None:
    clock = FakeClock()
    metrics = Metrics(clock=clock)
    start = clock()
    clock.now += 0.5
    metrics.observe_since(names.BARRIER_GET, start)
    [series] = metrics.series(names.BARRIER_GET).values()
    assert (series.count, series.total) == (1, pytest.approx(500.0))
    assert series.quantiles(now=clock.now) == {0.5: 500.0, 0.9: 500.0, 0.99: 500.0}


def test_observe_since_of_a_labelled_or_unknown_sample_fails_as_observe_does() -> None:
    specs = [MetricSpec("labelled", Kind.SAMPLE, labels=("mount",))]
    metrics = Metrics(specs=specs)
    with pytest.raises(ValueError, match="takes labels"):
        metrics.observe_since("labelled", 0.0)
    with pytest.raises(KeyError):
        metrics.observe_since("nothing.declared", 0.0)


def test_unlabelled_gauge_moves_and_labelled_ones_still_check() -> None:
    metrics = Metrics(cluster_name="c1")
    metrics.add_gauge(names.CORE_IN_FLIGHT_REQUESTS, 1)
    metrics.add_gauge(names.CORE_IN_FLIGHT_REQUESTS, 1)
    metrics.add_gauge(names.CORE_IN_FLIGHT_REQUESTS, -1)
    spec = metrics.specs[names.CORE_IN_FLIGHT_REQUESTS]
    [point] = metrics.gauge_points(spec)
    assert (point.value, dict(point.labels)) == (1.0, {"cluster": "c1"})
    with pytest.raises(ValueError, match="takes labels"):
        metrics.add_gauge(names.TOKEN_COUNT, 1)
    with pytest.raises(KeyError):
        metrics.add_gauge(names.CORE_HANDLE_REQUEST, 1)  # a sample, not a gauge
