"""Role changes shared by `role/:name` and its per-field sub-paths: the deprecated-field
upgrade rules, role_id assignment, and saving. Must not know about paths or responses."""

from __future__ import annotations

import uuid
from dataclasses import replace

from strongroom.auth.approle._context import AppRoleContext
from strongroom.auth.approle._messages import ERR_ROLE_ID_IN_USE, ERR_ROLE_ID_INVALID
from strongroom.auth.approle._model import Role
from strongroom.auth.approle._store import (
    apply,
    delete_role_id,
    digest,
    put_role,
    put_role_id,
    role_name_for,
    salt,
)
from strongroom.errors import InvalidRequest
from strongroom.framework import FieldData
from strongroom.storage import Storage, TxnOp


def normalize_policies(names: list[str]) -> tuple[str, ...]:
    """OpenBao's policy list sanitising for the deprecated `policies`: trimmed, lower-case,
    de-duplicated and sorted; `root` swallows every other policy."""
    cleaned = {n.strip().lower() for n in names if n.strip()}
    return ("root",) if "root" in cleaned else tuple(sorted(cleaned))


def upgrade_policies(role: Role, data: FieldData) -> Role:
    """Apply `policies`/`token_policies` as OpenBao does: `token_policies` wins; the
    deprecated value is echoed on reads while writes keep naming it, cleared by a write of
    `token_policies` alone, and left alone by a write naming neither."""
    if not data.has("policies"):
        if data.has("token_policies"):
            return replace(role, legacy_policies=())
        return role
    if data.has("token_policies"):
        return replace(role, legacy_policies=role.token.token_policies)
    policies = normalize_policies(data.strings("policies"))
    token = replace(role.token, token_policies=policies)
    return replace(role, token=token, legacy_policies=policies)


def upgrade_period(role: Role, data: FieldData) -> Role:
    """Apply `period`/`token_period` by the same rule as the policies."""
    if not data.has("period"):
        return replace(role, legacy_period=0) if data.has("token_period") else role
    if data.has("token_period"):
        return replace(role, legacy_period=role.token.token_period)
    period = data.duration("period")
    return replace(role, token=replace(role.token, token_period=period), legacy_period=period)


async def save_role(
    ctx: AppRoleContext,
    storage: Storage,
    role: Role,
    *,
    old_role_id: str = "",
) -> None:
    """Validate and store `role`, moving its role_id index when the role_id changed.
    Callers hold the role's lock."""
    if not role.role_id:
        raise InvalidRequest(ERR_ROLE_ID_INVALID)
    role.validate()
    if role.role_id != old_role_id:
        async with ctx.role_id_lock():
            key = await salt(ctx, storage)
            new_hmac = digest(key, role.role_id)
            owner = await role_name_for(storage, new_hmac)
            if owner is not None and owner != role.name:
                raise InvalidRequest(ERR_ROLE_ID_IN_USE)
            ops: list[TxnOp] = [put_role_id(new_hmac, role.name)]
            if old_role_id:
                ops.append(delete_role_id(digest(key, old_role_id)))
            await apply(storage, [*ops, put_role(role)])
        return
    await apply(storage, [put_role(role)])


def new_role_id() -> str:
    """A fresh role_id: a random UUID, as OpenBao generates."""
    return str(uuid.uuid4())


__all__ = [
    "new_role_id",
    "normalize_policies",
    "save_role",
    "upgrade_period",
    "upgrade_policies",
]
