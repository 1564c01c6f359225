"""`auth/token/revoke`, `revoke-self`, `revoke-accessor`, `revoke-orphan`."""

from __future__ import annotations

from strongroom.auth.token._context import TokenContext, caller
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit
from strongroom.logical import Operation, Request, Response
from strongroom.tokens import BATCH, TokenEntry

# vault-compat: OpenBao revokeCommon / handleRevokeOrphan / handleUpdateRevokeAccessor texts
ERR_BATCH_REVOKE = "batch tokens cannot be revoked"
ERR_MISSING_TOKEN = "missing token ID"
ERR_ORPHAN_NOT_FOUND = "token to revoke not found"
ERR_MISSING_ACCESSOR = "1 error occurred:\n\t* missing accessor\n\n"  # a Go multierror


def _refuse_batch(entry: TokenEntry | None) -> None:
    """400 for a batch token: it only dies with its parent or at its expiry.

    Decided on the looked-up entry, not the prefix, as OpenBao does: an unknown or forged
    `hvb.`/`b.` value is just a token that is not there (204).
    """
    if entry is not None and entry.token_type == BATCH:
        raise InvalidRequest(ERR_BATCH_REVOKE)


def revoke_paths(context: TokenContext) -> list[Path]:
    async def revoke(request: Request, data: FieldData) -> Response | None:
        token = data.string("token")
        if not token:
            raise InvalidRequest(ERR_MISSING_TOKEN)
        entry = await context.store.lookup(token)
        _refuse_batch(entry)
        if entry is not None:
            await context.store.revoke_tree(entry)
        return None

    async def revoke_self(request: Request, data: FieldData) -> Response | None:
        entry, _ = await caller(context, request)
        _refuse_batch(entry)
        await context.store.revoke_tree(entry)
        return None

    async def revoke_accessor(request: Request, data: FieldData) -> Response | None:
        accessor = data.string("accessor")
        if not accessor:
            raise InvalidRequest(ERR_MISSING_ACCESSOR)
        entry = await context.store.lookup_accessor(accessor)
        if entry is None:
            # vault-compat: OpenBao answers 200 with this warning
            return Response(warnings=("No token found with this accessor",))
        await context.store.revoke_tree(entry)
        return None

    async def revoke_orphan(request: Request, data: FieldData) -> Response | None:
        token = data.string("token")
        if not token:
            raise InvalidRequest(ERR_MISSING_TOKEN)
        entry = await context.store.lookup(token)
        if entry is None:
            raise InvalidRequest(ERR_ORPHAN_NOT_FOUND)
        _refuse_batch(entry)
        await context.store.revoke_orphan(entry)
        return None

    token_field = {"token": Field(FieldType.STRING, "Token to revoke.")}
    return [
        Path(
            pattern=lit("revoke"),
            operations={Operation.UPDATE: revoke},
            fields=token_field,
            synopsis="Revoke a token and all its children.",
        ),
        Path(
            pattern=lit("revoke-self"),
            operations={Operation.UPDATE: revoke_self},
            synopsis="Revoke the calling token and all its children.",
        ),
        Path(
            pattern=lit("revoke-accessor"),
            operations={Operation.UPDATE: revoke_accessor},
            fields={"accessor": Field(FieldType.STRING, "Accessor of the token.")},
            synopsis="Revoke a token and its children by the token's accessor.",
        ),
        Path(
            pattern=lit("revoke-orphan"),
            operations={Operation.UPDATE: revoke_orphan},
            fields=token_field,
            synopsis="Revoke a token but not its children, which become orphans (sudo).",
        ),
    ]


__all__ = [
    "ERR_BATCH_REVOKE",
    "ERR_MISSING_ACCESSOR",
    "ERR_MISSING_TOKEN",
    "ERR_ORPHAN_NOT_FOUND",
    "revoke_paths",
]
