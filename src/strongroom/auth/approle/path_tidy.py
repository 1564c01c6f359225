"""`tidy/secret-id`: delete expired secret IDs, accessors whose secret ID is gone, and the
secret IDs of roles that no longer exist.

OpenBao starts this in the background and answers 202 at once; here the sweep finishes before
the answer (still 202 with OpenBao's warning), which keeps it deterministic under FakeClock.
"""

from __future__ import annotations

from functools import partial

from strongroom.auth.approle._context import AppRoleContext, storage_of
from strongroom.auth.approle._messages import WARN_TIDY
from strongroom.auth.approle._store import (
    ACCESSOR,
    SECRET_ID,
    apply,
    delete_accessor,
    delete_secret_key,
    list_accessors,
    list_folders,
    list_secret_hmacs,
    load_role,
    load_secret_id,
    secret_hmac_for,
)
from strongroom.framework import FieldData, OperationSpec, Path, lit
from strongroom.logical import Operation, Request, Response
from strongroom.storage import Storage, TxnOp


async def _sweep_role(ctx: AppRoleContext, storage: Storage, role: str) -> None:
    """Delete one role's dead secret IDs and the accessors that no longer lead anywhere."""
    ops: list[TxnOp] = []
    orphaned = await load_role(storage, role) is None
    now = ctx.clock.now()
    live: set[str] = set()
    for secret_hmac in await list_secret_hmacs(storage, role):
        entry = await load_secret_id(storage, role, secret_hmac)
        if entry is not None and not orphaned and not entry.expired(now):
            live.add(secret_hmac)
        else:
            ops.append(delete_secret_key(role, secret_hmac))
    for accessor in await list_accessors(storage, role):
        if await secret_hmac_for(storage, role, accessor) not in live:
            ops.append(delete_accessor(role, accessor))
    await apply(storage, ops)


async def tidy(ctx: AppRoleContext, request: Request, data: FieldData) -> Response | None:
    """Sweep every role's secret IDs, one role (and its lock) at a time."""
    storage = storage_of(request)
    roles = set(await list_folders(storage, SECRET_ID)) | set(await list_folders(storage, ACCESSOR))
    for role in sorted(roles):
        async with ctx.role_lock(role):
            await _sweep_role(ctx, storage, role)
    return Response(status=202, warnings=(WARN_TIDY,))


def tidy_path(ctx: AppRoleContext) -> Path:
    """`tidy/secret-id` bound to `ctx`."""
    return Path(
        pattern=lit("tidy/secret-id"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(tidy, ctx), operation_id="app-role-tidy-secret-id"
            )
        },
        synopsis="Trigger the clean-up of expired SecretID entries.",
        description="SecretIDs will have expiration time attached to them. The periodic "
        "function of the backend will look for expired entries and delete them. This "
        "endpoint can be used to trigger the clean-up of those entries.",
    )


__all__ = ["tidy", "tidy_path"]
