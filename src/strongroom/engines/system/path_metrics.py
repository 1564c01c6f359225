"""`sys/metrics`: telemetry in Vault's JSON format, or Prometheus text with `format=prometheus`.

Owns format negotiation and Vault's error bodies only; the numbers come from
`strongroom.telemetry`. Authentication (and the listener's `unauthenticated_metrics_access`)
is the pipeline's business, not this module's.

Non-JSON bodies travel as `Response(body=..., content_type=...)`; `http/render.py` writes
that text verbatim with that content type
(Vault's logical.HTTPRawBody / HTTPContentType).
"""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.framework import Field, FieldData, FieldType, Path, lit
from strongroom.logical import Operation, Request, Response
from strongroom.telemetry import PROMETHEUS_CONTENT_TYPE, Metrics, render_json, render_prometheus

# vault-compat: metricsutil's bodies and content type for sys/metrics errors (status 400).
ERROR_CONTENT_TYPE = "text/plain"
ERR_PROMETHEUS_NOT_ENABLED = "prometheus is not enabled"
ERR_UNKNOWN_FORMAT = 'metric response format "{}" unknown'
# vault-compat: metricsutil.FormatFromRequest picks Prometheus for this Accept type.
OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text"

FIELDS = {
    "format": Field(
        FieldType.STRING,
        'Format to export metrics into. Currently accepts only "prometheus".',
        query=True,
    ),
}


def text_response(text: str, content_type: str, status: int) -> Response:
    """A raw non-JSON body for the HTTP layer to send verbatim."""
    return Response(body=text.encode(), content_type=content_type, status=status)


def _format_from_headers(headers: Mapping[str, str]) -> str:
    accept = next((v for k, v in headers.items() if k.lower() == "accept"), "")
    return "prometheus" if OPENMETRICS_MEDIA_TYPE in accept else ""


def metrics_path(metrics: Metrics, *, prometheus_enabled: bool) -> Path:
    """Build `sys/metrics`. `prometheus_enabled` is `telemetry.prometheus_retention_time > 0`."""

    async def read(request: Request, data: FieldData) -> Response | None:
        fmt = data.string("format") or _format_from_headers(request.headers)
        if fmt == "prometheus":
            if not prometheus_enabled:
                return text_response(ERR_PROMETHEUS_NOT_ENABLED, ERROR_CONTENT_TYPE, 400)
            return text_response(render_prometheus(metrics), PROMETHEUS_CONTENT_TYPE, 200)
        if fmt in ("", "json"):
            return Response(data=render_json(metrics), raw=True, status=200)
        return text_response(ERR_UNKNOWN_FORMAT.format(fmt), ERROR_CONTENT_TYPE, 400)

    return Path(
        pattern=lit("metrics"),
        operations={Operation.READ: read},
        fields=FIELDS,
        synopsis="Export the metrics aggregated for telemetry purpose.",
        description="Vault's JSON format by default; Prometheus text with format=prometheus.",
    )


__all__ = [
    "ERR_PROMETHEUS_NOT_ENABLED",
    "ERR_UNKNOWN_FORMAT",
    "metrics_path",
    "text_response",
]
