"""`sys/wrapping/wrap`, `unwrap`, `lookup`, `rewrap`: response wrapping."""

from __future__ import annotations

from strongroom.engines.system._core import SystemCore
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit
from strongroom.logical import Operation, Request, Response


def _token(request: Request, data: FieldData) -> str:
    token = data.string("token")
    if token:
        return token
    if request.token is None:
        raise InvalidRequest("wrapping token is not valid or does not exist")
    return request.token.token_id.reveal()


def wrapping_paths(core: SystemCore) -> list[Path]:
    async def wrap(request: Request, data: FieldData) -> Response | None:
        if request.wrap_ttl <= 0:
            # vault-compat: sys/wrapping/wrap without X-Vault-Wrap-TTL
            raise InvalidRequest("endpoint requires response wrapping to be used")
        if not request.data:
            raise InvalidRequest("empty request body")
        return Response.of(dict(request.data))

    async def unwrap(request: Request, data: FieldData) -> Response | None:
        return await core.unwrap(_token(request, data), request)

    async def lookup(request: Request, data: FieldData) -> Response | None:
        return Response.of(await core.wrapping_lookup(_token(request, data)))

    async def rewrap(request: Request, data: FieldData) -> Response | None:
        return await core.rewrap(_token(request, data), request)

    token_field = {"token": Field(FieldType.STRING, "The wrapping token (default: the caller's).")}
    return [
        Path(
            pattern=lit("wrapping/wrap"),
            operations={Operation.UPDATE: wrap},
            take_unknown_fields=True,
            synopsis="Response-wraps the request body.",
        ),
        Path(
            pattern=lit("wrapping/unwrap"),
            operations={Operation.UPDATE: unwrap},
            fields=token_field,
            synopsis="Unwraps a wrapping token (once).",
        ),
        Path(
            pattern=lit("wrapping/lookup"),
            operations={Operation.UPDATE: lookup, Operation.READ: lookup},
            fields=token_field,
            synopsis="Looks up a wrapping token's properties.",
        ),
        Path(
            pattern=lit("wrapping/rewrap"),
            operations={Operation.UPDATE: rewrap},
            fields=token_field,
            synopsis="Rewraps a wrapped response in a new token.",
        ),
    ]


__all__ = ["wrapping_paths"]
