"""`sys/metrics`: format negotiation and Vault's error bodies."""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.engines.system.path_metrics import (
    metrics_path,
)
from strongroom.framework import FieldData
from strongroom.logical import Operation, Request, Response
from strongroom.telemetry import Metrics, names


async def read(
    *, enabled: bool, query: Mapping[str, str], headers: Mapping[str, str] = {}
) -> Response:
    metrics = Metrics()
    metrics.gauge_callback(names.CORE_UNSEALED, lambda: 1)
    path = metrics_path(metrics, prometheus_enabled=enabled)
    spec = path.spec(Operation.READ)
    assert spec is not None
    request = Request(Operation.READ, "metrics", data=dict(query), headers=headers)
    response = await spec.handler(request, FieldData(dict(query), path.fields))
    assert response is not None
    return response


async def test_default_is_vault_json() -> None:
    response = await read(enabled=False, query={})
    assert response.raw and response.status == 200
    assert response.data is not None
    assert response.data["Gauges"][0]["Name"] == "vault.core.unsealed"


async def test_prometheus_text() -> None:
    response = await read(enabled=True, query={"format": "prometheus"})
    assert response.status == 200 and response.body is not None
    assert response.content_type == "text/plain; version=0.0.4; charset=utf-8"
    assert 'vault_core_unsealed{cluster=""} 1\n' in response.body.decode()


async def test_openmetrics_accept_header_selects_prometheus() -> None:
    response = await read(
        enabled=True, query={}, headers={"Accept": "application/openmetrics-text"}
    )
    assert response.body is not None
    assert "# TYPE vault_core_unsealed gauge" in response.body.decode()


async def test_prometheus_disabled_is_400_text() -> None:
    response = await read(enabled=False, query={"format": "prometheus"})
    assert response.status == 400
    assert (response.body, response.content_type) == (
        b"prometheus is not enabled",
        "text/plain",
    )


async def test_unknown_format_is_400_text() -> None:
    response = await read(enabled=True, query={"format": "bogus"})
    assert response.status == 400
    assert response.body == b'metric response format "bogus" unknown'
