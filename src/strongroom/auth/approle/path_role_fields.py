"""`role/:role_name/<field>`: read, update or reset one setting of a role.

Each sub-path is a row of `ROLE_FIELD_PATHS` (what it reads, how it updates, what DELETE
resets to); one set of handlers serves them all. A write to a missing role is 404
"unsupported path", as OpenBao's existence check makes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from strongroom.auth._tokenutil import TOKEN_FIELDS
from strongroom.auth.approle import _fields as f
from strongroom.auth.approle._cidrs import parse_cidrs, parse_token_cidrs
from strongroom.auth.approle._context import AppRoleContext, storage_of
from strongroom.auth.approle._messages import (
    ERR_TOKEN_ADDRESS_FIELD,
    ERR_TOKEN_MAX_BELOW_TTL,
    ERR_TOKEN_TTL_ABOVE_MAX,
    WARN_BOUND_CIDR_LIST,
)
from strongroom.auth.approle._model import Role
from strongroom.auth.approle._roles import save_role, upgrade_period, upgrade_policies
from strongroom.auth.approle._store import load_role
from strongroom.auth.approle.path_role import role_exists
from strongroom.errors import ERR_UNSUPPORTED_PATH, InvalidRequest, NotFound
from strongroom.framework import Field, FieldData, OperationSpec, Path, lit, name
from strongroom.logical import Operation, Request, Response
from strongroom.types import JSONDict

Reader = Callable[[Role], JSONDict]
Updater = Callable[[Role, FieldData], Role]
Resetter = Callable[[Role], Role]


@dataclass(frozen=True, slots=True)
class RoleField:
    """One `role/:role_name/<suffix>` sub-path."""

    suffix: str
    fields: dict[str, Field]
    read: Reader
    update: Updater | None
    reset: Resetter | None
    synopsis: str
    warnings: tuple[str, ...] = ()


def _policies(role: Role, data: FieldData) -> Role:
    if not data.has("policies") and not data.has("token_policies"):
        raise InvalidRequest("missing token_policies")
    if data.has("token_policies"):
        policies = tuple(p for p in data.strings("token_policies") if p)
        role = replace(role, token=replace(role.token, token_policies=policies))
    return upgrade_policies(role, data)


def _read_policies(role: Role) -> JSONDict:
    body: JSONDict = {"token_policies": list(role.token.token_policies)}
    if role.legacy_policies:
        body["policies"] = list(role.legacy_policies)
    return body


def _period(role: Role, data: FieldData) -> Role:
    if not data.has("period") and not data.has("token_period"):
        raise InvalidRequest("missing period")
    if data.has("token_period"):
        period = data.duration("token_period")
        role = replace(role, token=replace(role.token, token_period=period))
    return upgrade_period(role, data)


def _read_period(role: Role) -> JSONDict:
    body: JSONDict = {"token_period": role.token.token_period}
    if role.legacy_period:
        body["period"] = role.legacy_period
    return body


def _secret_cidrs(key: str) -> Updater:
    def update(role: Role, data: FieldData) -> Role:
        if not data.has(key):
            return role
        return replace(role, secret_id_bound_cidrs=parse_cidrs(data.strings(key)))

    return update


def _token_cidrs(role: Role, data: FieldData) -> Role:
    if not data.has("token_bound_cidrs"):
        return role
    cidrs = parse_token_cidrs(data.strings("token_bound_cidrs"), ERR_TOKEN_ADDRESS_FIELD)
    return replace(role, token=replace(role.token, token_bound_cidrs=cidrs))


def _token_ttl(role: Role, data: FieldData) -> Role:
    ttl = int(data.require("token_ttl"))
    if role.token.token_max_ttl and ttl > role.token.token_max_ttl:
        raise InvalidRequest(ERR_TOKEN_TTL_ABOVE_MAX)
    return replace(role, token=replace(role.token, token_ttl=ttl))


def _token_max_ttl(role: Role, data: FieldData) -> Role:
    max_ttl = int(data.require("token_max_ttl"))
    if max_ttl and role.token.token_ttl > max_ttl:
        raise InvalidRequest(ERR_TOKEN_MAX_BELOW_TTL)
    return replace(role, token=replace(role.token, token_max_ttl=max_ttl))


def _bind_secret_id(role: Role, data: FieldData) -> Role:
    return replace(role, bind_secret_id=bool(data.require("bind_secret_id")))


def _secret_id_num_uses(role: Role, data: FieldData) -> Role:
    return replace(role, secret_id_num_uses=int(data.require("secret_id_num_uses")))


def _secret_id_ttl(role: Role, data: FieldData) -> Role:
    return replace(role, secret_id_ttl=int(data.require("secret_id_ttl")))


def _token_num_uses(role: Role, data: FieldData) -> Role:
    uses = int(data.require("token_num_uses"))
    return replace(role, token=replace(role.token, token_num_uses=uses))


def _role_id(role: Role, data: FieldData) -> Role:
    return replace(role, role_id=str(data.require("role_id")))


def _single(key: str, value: Callable[[Role], object]) -> Reader:
    return lambda role: {key: value(role)}


def _fields(**extra: Field) -> dict[str, Field]:
    return {"role_name": f.ROLE_NAME, **extra}


ROLE_FIELD_PATHS: tuple[RoleField, ...] = (
    RoleField(
        "policies",
        _fields(policies=f.POLICIES, token_policies=TOKEN_FIELDS["token_policies"]),
        _read_policies,
        _policies,
        lambda r: replace(r, token=replace(r.token, token_policies=()), legacy_policies=()),
        "Policies of the role.",
    ),
    RoleField(
        "bound-cidr-list",
        _fields(bound_cidr_list=f.BOUND_CIDR_LIST),
        _single("bound_cidr_list", lambda r: list(r.secret_id_bound_cidrs) or None),
        _secret_cidrs("bound_cidr_list"),
        lambda r: replace(r, secret_id_bound_cidrs=()),
        "Deprecated: Comma separated list of CIDR blocks, if set, specifies blocks of IP "
        "addresses which can perform the login operation",
        (WARN_BOUND_CIDR_LIST,),
    ),
    RoleField(
        "secret-id-bound-cidrs",
        _fields(secret_id_bound_cidrs=f.SECRET_ID_BOUND_CIDRS),
        _single("secret_id_bound_cidrs", lambda r: list(r.secret_id_bound_cidrs) or None),
        _secret_cidrs("secret_id_bound_cidrs"),
        lambda r: replace(r, secret_id_bound_cidrs=()),
        "Comma separated list of CIDR blocks, if set, specifies blocks of IP addresses which "
        "can perform the login operation",
    ),
    RoleField(
        "token-bound-cidrs",
        _fields(token_bound_cidrs=TOKEN_FIELDS["token_bound_cidrs"]),
        _single("token_bound_cidrs", lambda r: list(r.token.token_bound_cidrs) or None),
        _token_cidrs,
        lambda r: replace(r, token=replace(r.token, token_bound_cidrs=())),
        "Comma separated string or list of CIDR blocks. If set, specifies the blocks of IP "
        "addresses which can use the returned token.",
    ),
    RoleField(
        "bind-secret-id",
        _fields(bind_secret_id=f.BIND_SECRET_ID),
        _single("bind_secret_id", lambda r: r.bind_secret_id),
        _bind_secret_id,
        lambda r: replace(r, bind_secret_id=True),
        "Impose secret_id to be presented during login using this role.",
    ),
    RoleField(
        "secret-id-num-uses",
        _fields(secret_id_num_uses=f.SECRET_ID_NUM_USES),
        _single("secret_id_num_uses", lambda r: r.secret_id_num_uses),
        _secret_id_num_uses,
        lambda r: replace(r, secret_id_num_uses=0),
        "Use limit of the SecretID generated against the role.",
    ),
    RoleField(
        "secret-id-ttl",
        _fields(secret_id_ttl=f.SECRET_ID_TTL),
        _single("secret_id_ttl", lambda r: r.secret_id_ttl),
        _secret_id_ttl,
        lambda r: replace(r, secret_id_ttl=0),
        "Duration in seconds of the SecretID generated against the role.",
    ),
    RoleField(
        "period",
        _fields(period=f.PERIOD, token_period=TOKEN_FIELDS["token_period"]),
        _read_period,
        _period,
        lambda r: replace(r, token=replace(r.token, token_period=0), legacy_period=0),
        "Updates the value of 'period' on the role",
    ),
    RoleField(
        "token-num-uses",
        _fields(token_num_uses=TOKEN_FIELDS["token_num_uses"]),
        _single("token_num_uses", lambda r: r.token.token_num_uses),
        _token_num_uses,
        lambda r: replace(r, token=replace(r.token, token_num_uses=0)),
        "Number of times issued tokens can be used",
    ),
    RoleField(
        "token-ttl",
        _fields(token_ttl=TOKEN_FIELDS["token_ttl"]),
        _single("token_ttl", lambda r: r.token.token_ttl),
        _token_ttl,
        lambda r: replace(r, token=replace(r.token, token_ttl=0)),
        "Duration in seconds, the lifetime of the token issued by using the SecretID that "
        "is generated against this role, before which the token needs to be renewed.",
    ),
    RoleField(
        "token-max-ttl",
        _fields(token_max_ttl=TOKEN_FIELDS["token_max_ttl"]),
        _single("token_max_ttl", lambda r: r.token.token_max_ttl),
        _token_max_ttl,
        lambda r: replace(r, token=replace(r.token, token_max_ttl=0)),
        "Duration in seconds, the maximum lifetime of the tokens issued by using the "
        "SecretIDs that were generated against this role, after which the tokens are not "
        "allowed to be renewed.",
    ),
    RoleField(
        "role-id",
        _fields(role_id=f.ROLE_ID),
        _single("role_id", lambda r: r.role_id),
        _role_id,
        None,
        "Returns the 'role_id' of the role.",
    ),
    RoleField(
        "local-secret-ids",
        _fields(),
        _single("local_secret_ids", lambda r: r.local_secret_ids),
        None,
        None,
        "Enables cluster local secret IDs",
    ),
)


async def read_field(
    ctx: AppRoleContext, spec: RoleField, request: Request, data: FieldData
) -> Response | None:
    role = await load_role(storage_of(request), f.role_name(data))
    if role is None:
        return None
    return Response(data=spec.read(role), warnings=spec.warnings)


async def update_field(
    ctx: AppRoleContext, spec: RoleField, request: Request, data: FieldData
) -> Response | None:
    if spec.update is None:  # pragma: no cover - only paths with an updater get UPDATE
        raise NotFound(ERR_UNSUPPORTED_PATH)
    f.check_durations(data, spec.fields)
    name_ = f.role_name(data)
    storage = storage_of(request)
    async with ctx.role_lock(name_):
        role = await load_role(storage, name_)
        if role is None:
            raise NotFound(ERR_UNSUPPORTED_PATH)
        await save_role(ctx, storage, spec.update(role, data), old_role_id=role.role_id)
    return None


async def reset_field(
    ctx: AppRoleContext, spec: RoleField, request: Request, data: FieldData
) -> Response | None:
    if spec.reset is None:  # pragma: no cover - only paths with a resetter get DELETE
        raise NotFound(ERR_UNSUPPORTED_PATH)
    name_ = f.role_name(data)
    storage = storage_of(request)
    async with ctx.role_lock(name_):
        role = await load_role(storage, name_)
        if role is not None:
            await save_role(ctx, storage, spec.reset(role), old_role_id=role.role_id)
    return None


def _operation_id(verb: str, suffix: str) -> str:
    return f"app-role-{verb}-{suffix}"


def _path(ctx: AppRoleContext, spec: RoleField) -> Path:
    operations: dict[Operation, OperationSpec] = {
        Operation.READ: OperationSpec(
            partial(read_field, ctx, spec), operation_id=_operation_id("read", spec.suffix)
        )
    }
    if spec.update is not None:
        update = OperationSpec(
            partial(update_field, ctx, spec), operation_id=_operation_id("write", spec.suffix)
        )
        operations[Operation.UPDATE] = update
        operations[Operation.CREATE] = update
    if spec.reset is not None:
        operations[Operation.DELETE] = OperationSpec(
            partial(reset_field, ctx, spec), operation_id=_operation_id("delete", spec.suffix)
        )
    return Path(
        pattern=lit("role/") + name("role_name") + lit("/" + spec.suffix),
        operations=operations,
        fields=spec.fields,
        exists=partial(role_exists, ctx) if spec.update is not None else None,
        synopsis=spec.synopsis,
    )


def role_field_paths(ctx: AppRoleContext) -> list[Path]:
    """Every `role/:role_name/<field>` sub-path bound to `ctx`."""
    return [_path(ctx, spec) for spec in ROLE_FIELD_PATHS]


__all__ = ["ROLE_FIELD_PATHS", "RoleField", "role_field_paths"]
