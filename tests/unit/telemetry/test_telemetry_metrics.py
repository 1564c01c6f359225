"""Metrics recording: kinds, labels, windows and Vault's TTL buckets."""

from __future__ import annotations

import math

import pytest

from strongroom.telemetry import Metrics, names, ttl_bucket

CREATION = {
    "auth_method": "token",
    "creation_ttl": "1h",
    "mount_point": "auth/token/",
    "namespace": "root",
    "token_type": "service",
}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_measure_records_milliseconds_even_on_error() -> None:
    clock = FakeClock()
    metrics = Metrics(clock=clock)
    with pytest.raises(RuntimeError), metrics.measure(names.CORE_HANDLE_REQUEST):
        clock.now += 0.25
        raise RuntimeError
    [series] = metrics.series(names.CORE_HANDLE_REQUEST).values()
    assert series.count == 1
    assert series.total == pytest.approx(250.0)


def test_quantiles_cover_only_the_last_ten_seconds() -> None:
    clock = FakeClock()
    metrics = Metrics(clock=clock)
    for ms in (1.0, 2.0, 3.0, 4.0, 100.0):
        metrics.observe(names.BARRIER_GET, ms)
    [series] = metrics.series(names.BARRIER_GET).values()
    assert series.quantiles(now=clock.now) == {0.5: 3.0, 0.9: 100.0, 0.99: 100.0}
    clock.now += 10.0
    assert all(math.isnan(v) for v in series.quantiles(now=clock.now).values())
    assert (series.count, series.total) == (5, 110.0)


def test_counter_labels_must_match_the_declaration() -> None:
    metrics = Metrics()
    metrics.inc(names.TOKEN_CREATION, CREATION)
    with pytest.raises(ValueError, match="takes labels"):
        metrics.inc(names.TOKEN_CREATION, {"auth_method": "token"})
    with pytest.raises(ValueError, match="only goes up"):
        metrics.inc(names.TOKEN_CREATION, CREATION, value=-1)


def test_wrong_kind_is_rejected() -> None:
    metrics = Metrics()
    with pytest.raises(KeyError):
        metrics.inc(names.CORE_HANDLE_REQUEST)
    with pytest.raises(KeyError):
        metrics.set_gauge("core.nonexistent", 1)


def test_gauge_callback_replaces_stored_values_and_survives_errors() -> None:
    metrics = Metrics(cluster_name="c1")
    spec = metrics.specs[names.CORE_UNSEALED]
    metrics.set_gauge(names.CORE_UNSEALED, 0)
    assert [p.value for p in metrics.gauge_points(spec)] == [0.0]
    metrics.gauge_callback(names.CORE_UNSEALED, lambda: 1)
    [point] = metrics.gauge_points(spec)
    assert (dict(point.labels), point.value) == ({"cluster": "c1"}, 1.0)

    def broken() -> float:
        raise RuntimeError("boom")

    metrics.gauge_callback(names.CORE_UNSEALED, broken)
    assert metrics.gauge_points(spec) == []
    metrics.remove_gauge_callback(names.CORE_UNSEALED)
    assert [p.value for p in metrics.gauge_points(spec)] == [0.0]


def test_labelled_gauge_callback() -> None:
    metrics = Metrics()
    metrics.gauge_callback(
        names.SECRET_KV_COUNT,
        lambda: [({"mount_point": "secret/", "namespace": "root"}, 3)],
    )
    [point] = metrics.gauge_points(metrics.specs[names.SECRET_KV_COUNT])
    assert dict(point.labels) == {"mount_point": "secret/", "namespace": "root"}


def test_in_flight_gauge_moves_by_delta() -> None:
    metrics = Metrics()
    metrics.add_gauge(names.CORE_IN_FLIGHT_REQUESTS, 1)
    metrics.add_gauge(names.CORE_IN_FLIGHT_REQUESTS, 1)
    metrics.add_gauge(names.CORE_IN_FLIGHT_REQUESTS, -1)
    [point] = metrics.gauge_points(metrics.specs[names.CORE_IN_FLIGHT_REQUESTS])
    assert point.value == 1.0


@pytest.mark.parametrize(
    ("ttl", "label"),
    [(0, "1m"), (60, "1m"), (61, "10m"), (3600, "1h"), (768 * 3600, "+Inf"), (30 * 86400, "30d")],
)
def test_ttl_bucket_matches_vault(ttl: int, label: str) -> None:
    assert ttl_bucket(ttl) == label


def test_registry_is_private() -> None:
    from prometheus_client import REGISTRY

    metrics = Metrics()
    assert metrics.registry is not REGISTRY
    assert "vault_core_handle_request" not in {f.name for f in REGISTRY.collect()}


def test_an_observation_stays_in_the_window_for_nine_to_ten_seconds() -> None:
    # Whole seconds expire together (the Prometheus client's age buckets do likewise).
    clock = FakeClock()
    metrics = Metrics(clock=clock)
    metrics.observe(names.BARRIER_GET, 1.0)  # at 1000.0
    clock.now = 1000.75
    metrics.observe(names.BARRIER_GET, 2.0)
    clock.now = 1001.5
    metrics.observe(names.BARRIER_GET, 3.0)
    [series] = metrics.series(names.BARRIER_GET).values()
    assert series.quantiles(now=1009.99) == {0.5: 2.0, 0.9: 3.0, 0.99: 3.0}
    assert series.quantiles(now=1010.0) == {0.5: 3.0, 0.9: 3.0, 0.99: 3.0}  # 9.25 s for 2.0
    clock.now = 1011.0
    metrics.observe(names.BARRIER_GET, 4.0)
    assert series.quantiles(now=1011.0) == dict.fromkeys((0.5, 0.9, 0.99), 4.0)  # 3.0: 9.5 s
    assert series.quantiles(now=1020.99) == dict.fromkeys((0.5, 0.9, 0.99), 4.0)
    assert all(math.isnan(v) for v in series.quantiles(now=1021.0).values())
    assert (series.count, series.total) == (4, 10.0)
