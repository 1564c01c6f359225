"""`auth/token/roles` (LIST) and `auth/token/roles/:role_name` (CRUD), plus `accessors` (LIST,
sudo) and `tidy`.

Owns the role write's field handling (what is kept on update, how lists are sanitised); the
rules that apply a role to a new token live in `path_create.py`."""

from __future__ import annotations

import re
from dataclasses import replace

from strongroom.auth.token._context import TokenContext
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit, name
from strongroom.logical import Operation, Request, Response
from strongroom.tokens import TokenRole
from strongroom.tokens.roles import sanitize_policies, unique_lower

ROLE_FIELDS = {
    "role_name": Field(FieldType.STRING, "Name of the role."),
    "allowed_policies": Field(
        FieldType.COMMA_STRING_SLICE, "Policies tokens of this role may have."
    ),
    "disallowed_policies": Field(FieldType.COMMA_STRING_SLICE, "Policies tokens may not have."),
    "allowed_policies_glob": Field(FieldType.COMMA_STRING_SLICE, "Glob form of allowed_policies."),
    "disallowed_policies_glob": Field(FieldType.COMMA_STRING_SLICE, "Glob form of disallowed."),
    "orphan": Field(FieldType.BOOL, "Tokens of this role are orphans."),
    "renewable": Field(FieldType.BOOL, "Tokens of this role are renewable.", default=True),
    "path_suffix": Field(FieldType.STRING, "Suffix added to the token's path."),
    "token_type": Field(FieldType.STRING, "service, batch, default-service or default-batch."),
    "token_period": Field(FieldType.DURATION, "Period of tokens of this role."),
    "period": Field(FieldType.DURATION, "Deprecated alias of token_period.", deprecated=True),
    "token_explicit_max_ttl": Field(FieldType.DURATION, "Explicit max TTL of tokens."),
    "explicit_max_ttl": Field(FieldType.DURATION, "Deprecated alias.", deprecated=True),
    "token_ttl": Field(FieldType.DURATION, "Default TTL of tokens of this role."),
    "token_max_ttl": Field(FieldType.DURATION, "Maximum TTL of tokens of this role."),
    "token_no_default_policy": Field(FieldType.BOOL, "Do not add the default policy."),
    "token_num_uses": Field(FieldType.INT, "Number of uses of tokens of this role."),
    "token_bound_cidrs": Field(FieldType.COMMA_STRING_SLICE, "CIDRs tokens may be used from."),
    "allowed_entity_aliases": Field(FieldType.COMMA_STRING_SLICE, "Allowed entity aliases."),
}

_SUFFIX = re.compile(r"\w[\w.-]+\w")
_TYPES = ("service", "batch", "default-service", "default-batch", "default")


def _role_lists(data: FieldData, base: TokenRole) -> TokenRole:
    """`base` with the written policy lists and entity aliases. OpenBao sanitises the allowed
    lists as policy names (so `root` among them leaves only `root`), and the disallowed lists
    and the aliases as lower-cased sets; a list not sent keeps its stored value."""

    def allowed(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        if not data.has(key):
            return default
        return tuple(sanitize_policies(data.strings(key), add_default=False))

    def plain(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(unique_lower(data.strings(key))) if data.has(key) else default

    aliases = base.allowed_entity_aliases
    if data.has("allowed_entity_aliases"):
        aliases = tuple(unique_lower(data.strings("allowed_entity_aliases")))
    return replace(
        base,
        allowed_policies=allowed("allowed_policies", base.allowed_policies),
        disallowed_policies=plain("disallowed_policies", base.disallowed_policies),
        allowed_policies_glob=allowed("allowed_policies_glob", base.allowed_policies_glob),
        disallowed_policies_glob=plain("disallowed_policies_glob", base.disallowed_policies_glob),
        allowed_entity_aliases=aliases,
    )


def _role_from(name_: str, data: FieldData, old: TokenRole | None) -> TokenRole:
    def pick_duration(key: str, alias: str, default: int) -> int:
        if data.has(key):
            return data.duration(key)
        return data.duration(alias) if data.has(alias) else default

    base = _role_lists(data, old or TokenRole(name=name_))
    suffix = data.string("path_suffix") if data.has("path_suffix") else base.path_suffix
    if (suffix and _SUFFIX.search(suffix) is None) or "/" in suffix or ".." in suffix:
        # vault-compat: path_suffix validation text
        raise InvalidRequest(
            r"given role path suffix contains invalid characters; must match \w[\w-.]+\w"
        )
    token_type = data.string("token_type") if data.has("token_type") else base.token_type
    if token_type not in _TYPES:
        raise InvalidRequest(f"invalid 'token_type' value {token_type!r}")
    return replace(
        base,
        name=name_,
        orphan=data.boolean("orphan") if data.has("orphan") else base.orphan,
        renewable=data.boolean("renewable") if data.has("renewable") else base.renewable,
        path_suffix=suffix,
        token_type=token_type,
        token_period=pick_duration("token_period", "period", base.token_period),
        token_explicit_max_ttl=pick_duration(
            "token_explicit_max_ttl", "explicit_max_ttl", base.token_explicit_max_ttl
        ),
        token_ttl=data.duration("token_ttl") if data.has("token_ttl") else base.token_ttl,
        token_max_ttl=data.duration("token_max_ttl")
        if data.has("token_max_ttl")
        else base.token_max_ttl,
        token_no_default_policy=data.boolean("token_no_default_policy")
        if data.has("token_no_default_policy")
        else base.token_no_default_policy,
        token_num_uses=data.integer("token_num_uses")
        if data.has("token_num_uses")
        else base.token_num_uses,
        token_bound_cidrs=tuple(data.strings("token_bound_cidrs"))
        if data.has("token_bound_cidrs")
        else base.token_bound_cidrs,
    )


def role_paths(context: TokenContext) -> list[Path]:
    async def list_roles(request: Request, data: FieldData) -> Response | None:
        roles = await context.store.roles()
        return Response.of({"keys": roles}) if roles else None

    async def read_role(request: Request, data: FieldData) -> Response | None:
        role = await context.store.role(data.string("role_name"))
        return None if role is None else Response.of(role.to_json())

    async def write_role(request: Request, data: FieldData) -> Response | None:
        role_name = data.string("role_name").lower()
        old = await context.store.role(role_name)
        await context.store.put_role(_role_from(role_name, data, old))
        return None

    async def delete_role(request: Request, data: FieldData) -> Response | None:
        await context.store.delete_role(data.string("role_name"))
        return None

    async def role_exists(request: Request, data: FieldData) -> bool:
        return await context.store.role(data.string("role_name")) is not None

    async def list_accessors(request: Request, data: FieldData) -> Response | None:
        keys = await context.store.accessors()
        return Response.of({"keys": keys}) if keys else None

    async def tidy(request: Request, data: FieldData) -> Response | None:
        removed = await context.store.tidy()
        return Response(
            warnings=(f"Tidy operation successfully started; removed {removed} entries",)
        )

    return [
        Path(
            pattern=lit("roles/"),
            operations={Operation.LIST: list_roles},
            synopsis="List token roles.",
        ),
        Path(
            pattern=lit("roles/") + name("role_name"),
            operations={
                Operation.READ: read_role,
                Operation.UPDATE: write_role,
                Operation.CREATE: write_role,
                Operation.DELETE: delete_role,
            },
            fields=ROLE_FIELDS,
            exists=role_exists,
            synopsis="Create, read, update or delete a token role.",
        ),
        Path(
            pattern=lit("accessors/"),
            operations={Operation.LIST: list_accessors},
            synopsis="List token accessors (sudo).",
        ),
        Path(
            pattern=lit("tidy"),
            operations={Operation.UPDATE: tidy},
            synopsis="Remove expired tokens and dangling index entries.",
        ),
    ]


__all__ = ["ROLE_FIELDS", "role_paths"]
