"""`handle_as_core`: what the core does with a request for one backend, for the unit
harnesses that drive a backend without a core.

An update of a path with an existence check first runs that check (which checks the fields
and words a bad value's error as OpenBao's existence check does), and becomes a create when
the target does not exist; then the backend handles it (core/pipeline.py, without the ACL
and audit steps).
"""

from __future__ import annotations

from dataclasses import replace

from strongroom.framework import Backend
from strongroom.logical import Operation, Request, Response


async def handle_as_core(backend: Backend, request: Request) -> Response | None:
    if request.operation is Operation.UPDATE and await backend.exists(request) is False:
        request = replace(request, operation=Operation.CREATE)
    return await backend.handle(request)
