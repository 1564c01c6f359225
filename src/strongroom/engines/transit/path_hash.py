"""`hash(/:algorithm)`: a plain digest of the input, hex or base64. Needs no key."""

from __future__ import annotations

from strongroom.engines.transit import _crypto
from strongroom.engines.transit._encoding import b64decode_field, b64encode
from strongroom.engines.transit._messages import (
    ERR_HASH_FORMAT,
    ERR_HASH_UNSUPPORTED,
    ERR_INPUT_MISSING,
)
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name, opt
from strongroom.logical import Operation, Request, Response

FIELDS = {
    "input": Field(FieldType.STRING, "The base64-encoded input data"),
    "algorithm": Field(FieldType.STRING, "Algorithm to use.", default="sha2-256"),
    "urlalgorithm": Field(FieldType.STRING, "Algorithm to use (from the URL)."),
    "format": Field(FieldType.STRING, 'Encoding format: "hex" or "base64".', default="hex"),
}


async def hash_input(request: Request, data: FieldData) -> Response | None:
    """The digest of `input`."""
    encoded = data.string("input")
    if not encoded:
        raise InvalidRequest(ERR_INPUT_MISSING)
    message = b64decode_field(encoded, "unable to decode input as base64: ")
    output = data.string("format")
    if output not in ("hex", "base64"):
        raise InvalidRequest(ERR_HASH_FORMAT.format(output))
    algorithm = data.string("urlalgorithm") or data.string("algorithm")
    if algorithm not in _crypto.HASHES:
        raise InvalidRequest(ERR_HASH_UNSUPPORTED.format(algorithm))
    digest = _crypto.digest(algorithm, message)
    return Response.of({"sum": digest.hex() if output == "hex" else b64encode(digest)})


HASH_PATH = Path(
    pattern=lit("hash") + opt(lit("/") + name("urlalgorithm")),
    operations={
        Operation.UPDATE: OperationSpec(
            hash_input,
            summary="Generate a hash sum for input data",
            operation_id="transit-hash",
        ),
    },
    fields=FIELDS,
    synopsis="Generate a hash sum for input data",
    description="Generates a hash sum of the given algorithm against the given input data.",
)

__all__ = ["HASH_PATH", "hash_input"]
