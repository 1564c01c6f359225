"""Issuing, finding and spending secret IDs. Shared by the secret-id paths and login; knows
storage and the clock but not HTTP fields."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import replace

from strongroom.auth.approle._context import AppRoleContext
from strongroom.auth.approle._messages import ERR_DUPLICATE_SECRET_ID
from strongroom.auth.approle._model import SecretIDEntry
from strongroom.auth.approle._store import (
    apply,
    delete_secret_id,
    digest,
    load_secret_id,
    put_secret_id,
    salt,
    secret_hmac_for,
)
from strongroom.errors import InvalidRequest
from strongroom.storage import Storage


def new_id() -> str:
    """A random UUID string, as OpenBao uses for secret IDs and accessors."""
    return str(uuid.uuid4())


async def store_new(
    ctx: AppRoleContext,
    storage: Storage,
    role: str,
    secret_id: str,
    template: SecretIDEntry,
) -> SecretIDEntry:
    """Store `secret_id` (hashed) for `role` with the settings of `template`; 400 if the
    role already has that secret ID. Callers hold the role's lock."""
    key = await salt(ctx, storage)
    secret_hmac = digest(key, secret_id)
    if await load_secret_id(storage, role, secret_hmac) is not None:
        raise InvalidRequest(ERR_DUPLICATE_SECRET_ID)
    now = ctx.clock.now()
    entry = replace(
        template,
        secret_id_hmac=secret_hmac,
        accessor=new_id(),
        creation_time=now,
        last_updated_time=now,
        expiration_time=now + template.ttl if template.ttl else 0.0,
    )
    await apply(storage, put_secret_id(role, entry))
    return entry


async def find(
    ctx: AppRoleContext,
    storage: Storage,
    role: str,
    secret_id: str,
    *,
    include_expired: bool = False,
) -> SecretIDEntry | None:
    """The entry of `secret_id` under `role`: None when unknown or (unless asked for)
    expired. The stored HMAC is compared in constant time."""
    key = await salt(ctx, storage)
    secret_hmac = digest(key, secret_id)
    entry = await load_secret_id(storage, role, secret_hmac)
    if entry is None or not hmac.compare_digest(entry.secret_id_hmac, secret_hmac):
        return None
    if include_expired:
        return entry
    return None if entry.expired(ctx.clock.now()) else entry


async def find_by_accessor(
    ctx: AppRoleContext,
    storage: Storage,
    role: str,
    accessor: str,
    *,
    include_expired: bool = False,
) -> tuple[bool, SecretIDEntry | None]:
    """(whether the accessor is known, its entry or None; expired ones only if asked)."""
    secret_hmac = await secret_hmac_for(storage, role, accessor)
    if secret_hmac is None:
        return False, None
    entry = await load_secret_id(storage, role, secret_hmac)
    if entry is None or (not include_expired and entry.expired(ctx.clock.now())):
        return True, None
    return True, entry


async def destroy(storage: Storage, role: str, entry: SecretIDEntry) -> None:
    """Delete the entry and its accessor together."""
    await apply(storage, delete_secret_id(role, entry.secret_id_hmac, entry.accessor))


async def spend(ctx: AppRoleContext, storage: Storage, role: str, entry: SecretIDEntry) -> None:
    """Count one use of a limited secret ID, deleting it with its last use. Callers hold
    the role's lock, so two logins cannot spend the same last use."""
    if entry.num_uses == 0:
        return
    if entry.num_uses == 1:
        await destroy(storage, role, entry)
        return
    spent = replace(entry, num_uses=entry.num_uses - 1, last_updated_time=ctx.clock.now())
    await apply(storage, put_secret_id(role, spent))


__all__ = ["destroy", "find", "find_by_accessor", "new_id", "spend", "store_new"]
