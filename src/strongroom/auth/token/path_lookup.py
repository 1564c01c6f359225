"""`auth/token/lookup`, `lookup-self`, `lookup-accessor`."""

from __future__ import annotations

from strongroom.auth.token._context import TokenContext, caller, lookup_json
from strongroom.errors import InvalidRequest, PermissionDenied
from strongroom.framework import Field, FieldData, FieldType, Path, lit
from strongroom.logical import Operation, Request, Response

# vault-compat: error texts of the lookup endpoints
ERR_BAD_TOKEN = "bad token"
ERR_INVALID_ACCESSOR = "invalid accessor"


def lookup_paths(context: TokenContext) -> list[Path]:
    async def lookup(request: Request, data: FieldData) -> Response | None:
        token = data.string("token")
        if not token:
            entry, token = await caller(context, request)
        else:
            found = await context.store.lookup(token)
            if found is None:
                raise PermissionDenied(ERR_BAD_TOKEN)
            entry = found
        return Response.of(lookup_json(entry, token, context.store.clock.now()))

    async def lookup_self(request: Request, data: FieldData) -> Response | None:
        entry, token = await caller(context, request)
        return Response.of(lookup_json(entry, token, context.store.clock.now()))

    async def lookup_accessor(request: Request, data: FieldData) -> Response | None:
        accessor = data.string("accessor")
        if not accessor:
            raise InvalidRequest("missing accessor")
        entry = await context.store.lookup_accessor(accessor)
        if entry is None:
            raise InvalidRequest(ERR_INVALID_ACCESSOR)
        body = lookup_json(entry, "", context.store.clock.now())
        return Response.of(body)

    token_field = {"token": Field(FieldType.STRING, "Token to look up (default: the caller's).")}
    return [
        Path(
            pattern=lit("lookup"),
            operations={Operation.READ: lookup, Operation.UPDATE: lookup},
            fields=token_field,
            synopsis="Look up a token's properties.",
        ),
        Path(
            pattern=lit("lookup-self"),
            operations={Operation.READ: lookup_self, Operation.UPDATE: lookup_self},
            fields=token_field,
            synopsis="Look up the calling token's properties.",
        ),
        Path(
            pattern=lit("lookup-accessor"),
            operations={Operation.UPDATE: lookup_accessor},
            fields={"accessor": Field(FieldType.STRING, "Accessor of the token.", required=True)},
            synopsis="Look up a token's properties by its accessor.",
        ),
    ]


__all__ = ["lookup_paths"]
