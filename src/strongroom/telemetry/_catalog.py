"""The catalogue of Strongroom's metrics: Vault's names, kinds and label names.

Owns only declarations (no state, no I/O). Names are Vault's dotted keys without the
prefix (`core.handle_request`); the exposition adds the configured `metrics_prefix`
("vault" by default) and joins with `_` for Prometheus or `.` for the JSON format,
as go-metrics does.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.StrEnum):
    """go-metrics' three kinds, rendered as Prometheus summary, counter and gauge."""

    SAMPLE = "summary"
    COUNTER = "counter"
    GAUGE = "gauge"


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """One declared metric. `cluster` adds Vault's `cluster` label from the Metrics owner."""

    name: str
    kind: Kind
    labels: tuple[str, ...] = ()
    cluster: bool = False


# vault-compat: names, kinds and labels as OpenBao 2.x renders them on sys/metrics.
# Samples are durations in milliseconds, as go-metrics' MeasureSince records them.
CORE_UNSEALED = "core.unsealed"
CORE_ACTIVE = "core.active"
CORE_IN_FLIGHT_REQUESTS = "core.in_flight_requests"
CORE_HANDLE_REQUEST = "core.handle_request"
CORE_HANDLE_LOGIN_REQUEST = "core.handle_login_request"
BARRIER_GET = "barrier.get"
BARRIER_PUT = "barrier.put"
BARRIER_LIST = "barrier.list"
BARRIER_DELETE = "barrier.delete"
AUDIT_LOG_REQUEST = "audit.log_request"
AUDIT_LOG_RESPONSE = "audit.log_response"
AUDIT_LOG_REQUEST_FAILURE = "audit.log_request_failure"
AUDIT_LOG_RESPONSE_FAILURE = "audit.log_response_failure"
EXPIRE_NUM_LEASES = "expire.num_leases"
EXPIRE_REVOKE_FAILURE = "expire.revoke.failure"
TOKEN_COUNT = "token.count"
TOKEN_CREATION = "token.creation"
SECRET_KV_COUNT = "secret.kv.count"

CATALOG: tuple[MetricSpec, ...] = (
    MetricSpec(CORE_UNSEALED, Kind.GAUGE, cluster=True),
    MetricSpec(CORE_ACTIVE, Kind.GAUGE, cluster=True),
    MetricSpec(CORE_IN_FLIGHT_REQUESTS, Kind.GAUGE, cluster=True),
    MetricSpec(CORE_HANDLE_REQUEST, Kind.SAMPLE),
    MetricSpec(CORE_HANDLE_LOGIN_REQUEST, Kind.SAMPLE),
    MetricSpec(BARRIER_GET, Kind.SAMPLE),
    MetricSpec(BARRIER_PUT, Kind.SAMPLE),
    MetricSpec(BARRIER_LIST, Kind.SAMPLE),
    MetricSpec(BARRIER_DELETE, Kind.SAMPLE),
    MetricSpec(AUDIT_LOG_REQUEST, Kind.SAMPLE),
    MetricSpec(AUDIT_LOG_RESPONSE, Kind.SAMPLE),
    MetricSpec(AUDIT_LOG_REQUEST_FAILURE, Kind.COUNTER),
    MetricSpec(AUDIT_LOG_RESPONSE_FAILURE, Kind.COUNTER),
    MetricSpec(EXPIRE_NUM_LEASES, Kind.GAUGE),
    MetricSpec(EXPIRE_REVOKE_FAILURE, Kind.COUNTER),
    MetricSpec(TOKEN_COUNT, Kind.GAUGE, labels=("namespace",)),
    MetricSpec(
        TOKEN_CREATION,
        Kind.COUNTER,
        labels=("auth_method", "creation_ttl", "mount_point", "namespace", "token_type"),
        cluster=True,
    ),
    MetricSpec(SECRET_KV_COUNT, Kind.GAUGE, labels=("mount_point", "namespace")),
)

# vault-compat: metricsutil.TTLBucket boundaries for token.creation's creation_ttl label.
_TTL_BUCKETS: tuple[tuple[int, str], ...] = (
    (60, "1m"),
    (600, "10m"),
    (1200, "20m"),
    (3600, "1h"),
    (7200, "2h"),
    (86400, "1d"),
    (2 * 86400, "2d"),
    (7 * 86400, "7d"),
    (30 * 86400, "30d"),
)
TTL_OVERFLOW_BUCKET = "+Inf"


def ttl_bucket(ttl_seconds: float) -> str:
    """The `creation_ttl` label for a token TTL: the smallest bucket that holds it."""
    for bound, label in _TTL_BUCKETS:
        if ttl_seconds <= bound:
            return label
    return TTL_OVERFLOW_BUCKET


__all__ = ["CATALOG", "TTL_OVERFLOW_BUCKET", "Kind", "MetricSpec", "ttl_bucket"]
