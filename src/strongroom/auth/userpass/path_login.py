"""`login/:username` (UPDATE, unauthenticated): check a password and answer with the `Auth`
the core turns into a token. This module never touches the token store.

Unknown user and wrong password give the same 400 and cost the same: an unknown user is
checked against the backend's dummy hash. Order as in OpenBao: password, then the user's
bound CIDRs (403), then the refusal of root policies.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from functools import partial

from strongroom.auth._tokenutil import check_bound_cidrs
from strongroom.auth.userpass._context import UserpassContext
from strongroom.auth.userpass._messages import (
    ERR_INVALID_CREDENTIALS,
    ERR_MISSING_PASSWORD,
    ERR_ROOT_TOKEN,
)
from strongroom.auth.userpass._token_fields import sanitize_policies
from strongroom.auth.userpass._user import load_user, storage_of
from strongroom.auth.userpass.path_users import USERNAME
from strongroom.errors import InvalidRequest, PermissionDenied
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name
from strongroom.logical import Auth, Operation, Request, Response

LOGIN_FIELDS: dict[str, Field] = {
    "username": USERNAME,
    "password": Field(FieldType.STRING, "Password for this user.", sensitive=True),
}


async def login(ctx: UserpassContext, request: Request, data: FieldData) -> Response | None:
    """Authenticate `username` with `password`."""
    password = data.string("password")
    if not password:
        raise InvalidRequest(ERR_MISSING_PASSWORD)
    username = data.string("username")
    dummy = await ctx.dummy_hash()
    user = await load_user(storage_of(request), username)
    matched = await ctx.hasher.verify(password, dummy if user is None else user.password_hash)
    if user is None or not matched:
        raise InvalidRequest(ERR_INVALID_CREDENTIALS)
    remote_addr = request.connection.remote_addr
    if not check_bound_cidrs(user.token.token_bound_cidrs, remote_addr):
        raise PermissionDenied()
    policies = sanitize_policies(user.token.token_policies)
    if "root" in policies:
        # OpenBao's core refuses this for every auth method; refusing here too keeps a
        # userpass user from ever minting a root token.
        raise InvalidRequest(ERR_ROOT_TOKEN)
    auth = user.token.auth(
        display_name=username,
        alias_name=username,
        metadata={"username": username},
        policies=policies,
    )
    if user.strictly_bind_ip:
        auth = replace(auth, bound_cidrs=(_login_address(remote_addr),))
    return Response(auth=auth)


def _login_address(remote_addr: str) -> str:
    """The login's source address, to bind the token to; 403 when there is none."""
    try:
        return str(ipaddress.ip_address(remote_addr))
    except ValueError:
        raise PermissionDenied() from None


async def alias_lookahead(request: Request, data: FieldData) -> Response | None:
    """The alias a login for this username would use, without checking a password."""
    return Response(auth=Auth(alias_name=data.string("username")))


def login_path(ctx: UserpassContext) -> Path:
    """`login/:username`, bound to `ctx`."""
    return Path(
        pattern=lit("login/") + name("username"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(login, ctx),
                summary="Log in with a username and password.",
                operation_id="userpass-login",
            ),
            Operation.ALIAS_LOOKAHEAD: alias_lookahead,
        },
        fields=LOGIN_FIELDS,
        synopsis="Log in with a username and password.",
        description="Checks the password and, on success, issues a token with the user's "
        "token settings.",
    )


__all__ = ["LOGIN_FIELDS", "alias_lookahead", "login", "login_path"]
