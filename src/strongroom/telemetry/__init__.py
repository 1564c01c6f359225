"""Telemetry: Vault-named metrics in a private Prometheus registry, and their renderings.

Sits below every other package (it imports none of them), so the barrier, audit broker,
expiration manager and core can all record into it.
"""

from strongroom.telemetry import _catalog as names
from strongroom.telemetry._catalog import CATALOG, TTL_OVERFLOW_BUCKET, Kind, MetricSpec, ttl_bucket
from strongroom.telemetry.exposition import (
    PROMETHEUS_CONTENT_TYPE,
    json_name,
    prometheus_name,
    render_json,
    render_prometheus,
)
from strongroom.telemetry.metrics import GaugeCallback, GaugePoint, GaugeReading, Metrics

__all__ = [
    "CATALOG",
    "PROMETHEUS_CONTENT_TYPE",
    "TTL_OVERFLOW_BUCKET",
    "GaugeCallback",
    "GaugePoint",
    "GaugeReading",
    "Kind",
    "MetricSpec",
    "Metrics",
    "json_name",
    "names",
    "prometheus_name",
    "render_json",
    "render_prometheus",
    "ttl_bucket",
]
