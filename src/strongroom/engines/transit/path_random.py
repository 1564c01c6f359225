"""`random(/:source)(/:bytes)`: random bytes from the OS, base64 or hex. Every source
("platform", "seal", "all") reads the OS generator: there is no seal entropy here."""

from __future__ import annotations

import os

from strongroom.engines.transit._encoding import b64encode
from strongroom.engines.transit._messages import (
    ERR_RANDOM_FORMAT,
    ERR_RANDOM_SOURCE,
    ERR_RANDOM_TOO_FEW,
    ERR_RANDOM_TOO_MANY,
    ERR_RANDOM_URL_BYTES,
)
from strongroom.errors import InvalidRequest
from strongroom.framework import (
    Field,
    FieldData,
    FieldType,
    OperationSpec,
    Path,
    lit,
    one_of,
    opt,
    segment,
)
from strongroom.logical import Operation, Request, Response

MAX_BYTES = 128 * 1024
FIELDS = {
    "urlbytes": Field(FieldType.STRING, "The number of bytes to generate (from the URL)."),
    "bytes": Field(FieldType.INT, "The number of bytes to generate.", default=32),
    "format": Field(FieldType.STRING, 'Encoding format: "hex" or "base64".', default="base64"),
    "source": Field(FieldType.STRING, "platform, seal or all.", default="platform"),
}


def _count(data: FieldData) -> int:
    url = data.string("urlbytes")
    if url:
        if not url.lstrip("-").isdigit():
            raise InvalidRequest(ERR_RANDOM_URL_BYTES.format(url))
        return int(url)
    return data.integer("bytes")


async def random_bytes(request: Request, data: FieldData) -> Response | None:
    """`bytes` random bytes in the requested format."""
    count = _count(data)
    if count < 1:
        raise InvalidRequest(ERR_RANDOM_TOO_FEW)
    if count >= MAX_BYTES:
        raise InvalidRequest(ERR_RANDOM_TOO_MANY.format(MAX_BYTES))
    output = data.string("format")
    if output not in ("hex", "base64"):
        raise InvalidRequest(ERR_RANDOM_FORMAT.format(output))
    source = data.string("source")
    if source not in ("platform", "seal", "all"):
        raise InvalidRequest(ERR_RANDOM_SOURCE.format(source))
    raw = os.urandom(count)
    return Response.of({"random_bytes": raw.hex() if output == "hex" else b64encode(raw)})


_SOURCE = lit("/") + one_of("platform", "seal", "all")
RANDOM_PATH = Path(
    pattern=lit("random") + opt(_SOURCE) + opt(lit("/") + segment("urlbytes")),
    operations={
        Operation.UPDATE: OperationSpec(
            random_bytes, summary="Generate random bytes", operation_id="transit-generate-random"
        ),
    },
    fields=FIELDS,
    synopsis="Generate random bytes",
    description="This function can be used to generate high-entropy random bytes.",
)

__all__ = ["RANDOM_PATH", "random_bytes"]
