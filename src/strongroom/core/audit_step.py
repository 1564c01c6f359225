"""The audit steps of the pipeline: every authenticated request is recorded before the backend
runs and its response after; if no enabled device can record, the request fails (fail closed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.audit import AuditEntry, AuditFailed
from strongroom.core.router import Route
from strongroom.logical import Request, Response
from strongroom.telemetry import names

if TYPE_CHECKING:
    from strongroom.core.core import Core


def entry_for(core: Core, target: Route, request: Request) -> AuditEntry:
    config = target.mount.config
    headers, plain = core.audited_headers.select(request.headers)
    return AuditEntry(
        request=request,
        time=core.clock.now(),
        request_headers=headers,
        plain_headers=plain,
        non_hmac_request_keys=config.audit_non_hmac_request_keys,
        non_hmac_response_keys=config.audit_non_hmac_response_keys,
    )


async def log_request(core: Core, entry: AuditEntry) -> None:
    audit = core.audit
    if not audit.enabled():
        return
    # Timed like `metrics.measure` does it (even on failure), without a context manager.
    metrics = core.metrics
    start = metrics.clock()
    try:
        await audit.log_request(entry)
    except AuditFailed:
        metrics.inc(names.AUDIT_LOG_REQUEST_FAILURE)
        raise
    finally:
        metrics.observe(names.AUDIT_LOG_REQUEST, (metrics.clock() - start) * 1000.0)


async def log_response(
    core: Core, entry: AuditEntry, response: Response | None, error: str = ""
) -> None:
    audit = core.audit
    if not audit.enabled():
        return
    metrics = core.metrics
    start = metrics.clock()
    try:
        await audit.log_response(entry.outcome(core.clock.now(), response, error))
    except AuditFailed:
        metrics.inc(names.AUDIT_LOG_RESPONSE_FAILURE)
        raise
    finally:
        metrics.observe(names.AUDIT_LOG_RESPONSE, (metrics.clock() - start) * 1000.0)


__all__ = ["entry_for", "log_request", "log_response"]
