"""`cache-config`: the size of the parsed-key cache (0 means unbounded).

The setting is stored and reported as OpenBao does; like OpenBao, it does not resize the cache
of a running mount (OpenBao applies it when the backend is next initialised).
"""

from __future__ import annotations

import orjson

from strongroom.engines.transit._context import CACHE_CONFIG_KEY, storage_of
from strongroom.engines.transit._messages import ERR_CACHE_SIZE
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit
from strongroom.logical import Operation, Request, Response
from strongroom.storage import Entry, Storage

FIELDS = {
    "size": Field(
        FieldType.INT,
        "Size of cache, use 0 for an unlimited cache size, defaults to 0",
        default=0,
    ),
}


async def stored_size(storage: Storage) -> int:
    """The configured size; 0 when never set or unreadable."""
    entry = await storage.get(CACHE_CONFIG_KEY)
    if entry is None:
        return 0
    raw = orjson.loads(entry.value)
    size = raw.get("size") if isinstance(raw, dict) else None
    return size if isinstance(size, int) else 0


async def read_cache_config(request: Request, data: FieldData) -> Response | None:
    """`{"size": n}`."""
    return Response.of({"size": await stored_size(storage_of(request))})


async def write_cache_config(request: Request, data: FieldData) -> Response | None:
    """Store a new size: 0 or at least 10 (OpenBao's minimum)."""
    size = data.integer("size")
    if size != 0 and size < 10:
        raise InvalidRequest(ERR_CACHE_SIZE)
    await storage_of(request).put(Entry(CACHE_CONFIG_KEY, orjson.dumps({"size": size})))
    return Response.of({"size": size})


CACHE_CONFIG_PATH = Path(
    pattern=lit("cache-config"),
    operations={
        Operation.READ: OperationSpec(
            read_cache_config,
            summary="Returns the size of the active cache",
            operation_id="transit-read-cache-configuration",
        ),
        Operation.UPDATE: OperationSpec(
            write_cache_config,
            summary="Configures a new cache of the specified size",
            operation_id="transit-configure-cache",
        ),
    },
    fields=FIELDS,
    synopsis="Configure caching strategy",
    description="This path is used to configure and query the cache size of the active cache, "
    "a size of 0 means unlimited.",
)

__all__ = ["CACHE_CONFIG_PATH", "stored_size"]
