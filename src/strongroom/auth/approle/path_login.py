"""`login`: trade a role_id (and, when the role binds one, a secret ID) for an `Auth`.

The core creates the token from the returned Auth; this path never touches the token store.
Checks run in OpenBao's order: role_id, secret ID (presence, validity, expiry, its CIDRs),
then the role's CIDRs; only then is a use of a limited secret ID spent. All of it happens
under the role's lock, so concurrent logins cannot overspend a secret ID.
"""

from __future__ import annotations

import hmac
from dataclasses import replace
from functools import partial

from strongroom.auth._tokenutil import check_bound_cidrs
from strongroom.auth.approle._cidrs import parse_token_cidrs
from strongroom.auth.approle._context import AppRoleContext, storage_of
from strongroom.auth.approle._fields import SECRET_ID
from strongroom.auth.approle._messages import (
    ERR_INVALID_CREDENTIALS,
    ERR_MISSING_ROLE_ID,
    ERR_MISSING_SECRET_ID,
    ERR_ROLE_CIDR,
    ERR_SECRET_ID_CIDR,
)
from strongroom.auth.approle._model import Role, SecretIDEntry
from strongroom.auth.approle._secret_ids import find, spend
from strongroom.auth.approle._store import digest, existing_salt, load_role, role_name_for
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit
from strongroom.logical import Auth, Operation, Request, Response
from strongroom.storage import Storage

FIELDS = {
    "role_id": Field(
        FieldType.STRING,
        "Unique identifier of the Role. Required to be supplied when the 'bind_secret_id' "
        "constraint is set.",
    ),
    "secret_id": SECRET_ID,
}


async def _role(ctx: AppRoleContext, storage: Storage, role_id: str) -> Role | None:
    """The role whose role_id this is (compared in constant time), or None. Reads only: an
    unauthenticated login never writes, not even a first salt."""
    key = await existing_salt(storage)
    name_ = None if key is None else await role_name_for(storage, digest(key, role_id))
    if name_ is None:
        return None
    role = await load_role(storage, name_)
    if role is None or not hmac.compare_digest(role.role_id.encode(), role_id.encode()):
        return None
    return role


async def _secret(
    ctx: AppRoleContext, storage: Storage, role: Role, data: FieldData, remote: str
) -> SecretIDEntry:
    secret_id = data.string("secret_id")
    if not secret_id:
        raise InvalidRequest(ERR_MISSING_SECRET_ID)
    entry = await find(ctx, storage, role.name, secret_id)
    if entry is None:
        raise InvalidRequest(ERR_INVALID_CREDENTIALS)
    if not check_bound_cidrs(entry.cidr_list, remote):
        raise InvalidRequest(ERR_SECRET_ID_CIDR.format(remote))
    return entry


def _auth(role: Role, entry: SecretIDEntry | None, remote: str) -> Auth:
    """The Auth of a successful login: the role's token settings, the secret ID's metadata
    plus `role_name`, and the secret ID's token CIDRs (else the role's)."""
    metadata = {**(entry.metadata if entry else {}), "role_name": role.name}
    # vault-compat: OpenBao sets no display name on AppRole tokens (lookups show "approle").
    auth = role.token.auth(display_name="", alias_name=role.role_id, metadata=metadata)
    bound = auth.bound_cidrs
    if entry is not None and entry.token_bound_cidrs:
        # OpenBao stores a host block as the bare address on the token ("127.0.0.1").
        bound = parse_token_cidrs(entry.token_bound_cidrs)
    if role.token_strictly_bind_ip and not bound and remote:
        bound = (remote,)
    return replace(auth, bound_cidrs=bound, internal_data={"role_name": role.name})


async def login(ctx: AppRoleContext, request: Request, data: FieldData) -> Response | None:
    """Check the credentials and return the Auth the core turns into a token."""
    role_id = data.string("role_id")
    if not role_id:
        raise InvalidRequest(ERR_MISSING_ROLE_ID)
    storage = storage_of(request)
    remote = request.connection.remote_addr
    found = await _role(ctx, storage, role_id)
    if found is None:
        raise InvalidRequest(ERR_INVALID_CREDENTIALS)
    async with ctx.role_lock(found.name):
        # Re-read under the lock: the role may have changed or gone while we waited.
        role = await _role(ctx, storage, role_id)
        if role is None:
            raise InvalidRequest(ERR_INVALID_CREDENTIALS)
        entry = await _secret(ctx, storage, role, data, remote) if role.bind_secret_id else None
        if not check_bound_cidrs(role.secret_id_bound_cidrs, remote):
            raise InvalidRequest(ERR_ROLE_CIDR.format(remote))
        if entry is not None:
            await spend(ctx, storage, role.name, entry)
    return Response(auth=_auth(role, entry, remote))


def login_path(ctx: AppRoleContext) -> Path:
    """The unauthenticated `login` path bound to `ctx`."""
    return Path(
        pattern=lit("login"),
        operations={
            Operation.UPDATE: OperationSpec(partial(login, ctx), operation_id="app-role-login")
        },
        fields=FIELDS,
        synopsis="Issue a token based on the credentials supplied",
        description="While the credential 'role_id' is required at all times, other "
        "credentials required depends on the properties the role to which the 'role_id' "
        "belongs to. The 'bind_secret_id' constraint (enabled by default) on the role "
        "requires the 'secret_id' credential to be presented.",
    )


__all__ = ["login", "login_path"]
