"""`auth/token/renew`, `renew-self`, `renew-accessor`."""

from __future__ import annotations

from dataclasses import replace

from strongroom.auth.token._context import TokenContext, auth_for, caller
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit
from strongroom.logical import Operation, Request, Response
from strongroom.tokens import BATCH, TokenEntry, renewed_expiry

# vault-compat: renewal error texts
ERR_NOT_RENEWABLE = "lease is not renewable"
ERR_BATCH_RENEW = "batch tokens cannot be renewed"
ERR_NOT_FOUND = "token not found"


async def _renew(
    context: TokenContext, entry: TokenEntry, increment: int
) -> tuple[TokenEntry, list[str]]:
    if entry.token_type == BATCH:
        raise InvalidRequest(ERR_BATCH_RENEW)
    if not entry.renewable or entry.expire_time <= 0:
        raise InvalidRequest(ERR_NOT_RENEWABLE)
    if context.renew_check is not None:
        await context.renew_check(entry)  # the auth method that issued it may refuse
    now = context.store.clock.now()
    expiry, warnings = renewed_expiry(
        now=now,
        creation_time=entry.creation_time,
        increment=increment,
        period=entry.period,
        explicit_max_ttl=entry.explicit_max_ttl,
        ttls=context.ttls(),
    )
    renewed = replace(entry, expire_time=expiry, last_renewal_time=now)
    await context.store.update(renewed)
    return renewed, warnings


def renew_paths(context: TokenContext) -> list[Path]:
    async def renew(request: Request, data: FieldData) -> Response | None:
        token = data.string("token")
        entry = await context.store.lookup(token) if token else None
        if entry is None:
            raise InvalidRequest(ERR_NOT_FOUND)
        renewed, warnings = await _renew(context, entry, data.duration("increment"))
        return Response(
            auth=auth_for(renewed, token, context.store.clock.now()), warnings=tuple(warnings)
        )

    async def renew_self(request: Request, data: FieldData) -> Response | None:
        entry, token = await caller(context, request)
        renewed, warnings = await _renew(context, entry, data.duration("increment"))
        return Response(
            auth=auth_for(renewed, token, context.store.clock.now()), warnings=tuple(warnings)
        )

    async def renew_accessor(request: Request, data: FieldData) -> Response | None:
        entry = await context.store.lookup_accessor(data.string("accessor"))
        if entry is None:
            raise InvalidRequest(ERR_NOT_FOUND)
        renewed, warnings = await _renew(context, entry, data.duration("increment"))
        return Response(
            auth=auth_for(renewed, "", context.store.clock.now()), warnings=tuple(warnings)
        )

    increment = Field(FieldType.DURATION, "Requested extension of the TTL.")
    return [
        Path(
            pattern=lit("renew"),
            operations={Operation.UPDATE: renew},
            fields={"token": Field(FieldType.STRING, "Token to renew."), "increment": increment},
            synopsis="Renew a token.",
        ),
        Path(
            pattern=lit("renew-self"),
            operations={Operation.UPDATE: renew_self},
            fields={"token": Field(FieldType.STRING, "Ignored."), "increment": increment},
            synopsis="Renew the calling token.",
        ),
        Path(
            pattern=lit("renew-accessor"),
            operations={Operation.UPDATE: renew_accessor},
            fields={
                "accessor": Field(FieldType.STRING, "Accessor of the token."),
                "increment": increment,
            },
            synopsis="Renew a token by its accessor.",
        ),
    ]


__all__ = ["renew_paths"]
