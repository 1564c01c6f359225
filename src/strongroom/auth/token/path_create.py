"""`auth/token/create`, `create-orphan` and `create/:role_name`.

Owns the rules for a new token's policies (parent subset, sudo, a role's allowed/disallowed
lists and globs), its TTLs and type. It must not store tokens itself (the token store does)."""

from __future__ import annotations

import json
import re

from strongroom.auth.token._context import TokenContext, auth_for, caller
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit, name, one_of
from strongroom.logical import Operation, Request, Response
from strongroom.tokens import (
    BATCH,
    OPENBAO_SERVICE_PREFIX,
    SERVICE,
    SERVICE_PREFIX,
    MountTTLs,
    TokenEntry,
    TokenRole,
    creation_ttl,
)
from strongroom.tokens.roles import glob_matches, sanitize_policies, unique_lower

_DISPLAY = re.compile(r"[^a-zA-Z0-9_-]+")
# OpenBao's policy.NonAssignablePolicies: internal policies no token may be given.
_NOT_ASSIGNABLE = ("response-wrapping", "control-group")

CREATE_FIELDS = {
    "id": Field(FieldType.STRING, "Token value to use instead of a generated one (root only)."),
    # vault-compat: a string slice, not comma-split ("a,b" is one policy name, as in OpenBao)
    "policies": Field(FieldType.STRING_SLICE, "Policies of the token."),
    "meta": Field(FieldType.KV_PAIRS, "Metadata attached to the token."),
    "no_parent": Field(FieldType.BOOL, "Create an orphan token (root or sudo only)."),
    "no_default_policy": Field(FieldType.BOOL, "Do not add the default policy."),
    "renewable": Field(FieldType.BOOL, "Whether the token can be renewed.", default=True),
    "ttl": Field(FieldType.DURATION, "Initial TTL."),
    "type": Field(FieldType.STRING, "service or batch."),
    "explicit_max_ttl": Field(FieldType.DURATION, "Hard limit on the token's lifetime."),
    "display_name": Field(FieldType.STRING, "Name shown in lookups and audit logs."),
    "num_uses": Field(FieldType.INT, "Number of uses before the token is revoked (0: unlimited)."),
    "period": Field(FieldType.DURATION, "Make the token periodic with this period."),
    "entity_alias": Field(
        FieldType.STRING, "Name of the entity alias to associate with this token (checked only)."
    ),
    "role_name": Field(FieldType.STRING, "Role to create the token against."),
}


def _display_name(value: str) -> str:
    if not value:
        return "token"
    return _DISPLAY.sub("-", "token-" + value).rstrip("-")


def _go_quote(value: str) -> str:
    """Go's `%q` for a policy name (close enough: names are printable text)."""
    return json.dumps(value, ensure_ascii=False)


def _go_list(values: list[str]) -> str:
    """Go's `%q` for a `[]string`: `["a" "b"]`, and `[]` when empty."""
    return "[" + " ".join(_go_quote(v) for v in values) + "]"


def _role_policies(
    requested: list[str], parent: TokenEntry, role: TokenRole, *, no_default: bool
) -> list[str]:
    """OpenBao's rules for a role with allowed/disallowed lists (exact or glob): the role,
    not the parent, bounds the policies, and `disallowed_*` is checked last, so it wins over
    `allowed_*`. `default` is added unless the request or role opts out or the role disallows
    it (by name or glob); an explicitly requested `default` is still checked."""
    add_default = (
        not no_default
        and not role.token_no_default_policy
        and "default" not in role.disallowed_policies
        and not glob_matches(role.disallowed_policies_glob, "default")
    )
    final = sanitize_policies(requested, add_default=add_default) if requested else []
    if role.allowed_policies or role.allowed_policies_glob:
        allowed = sanitize_policies(role.allowed_policies, add_default=add_default)
        globs = sanitize_policies(role.allowed_policies_glob, add_default=False)
        if not final:
            final = allowed
        elif any(p not in allowed and not glob_matches(globs, p) for p in final):
            # vault-compat: role allowed-policies refusal text
            raise InvalidRequest(
                f"token policies ({_go_list(final)}) must be subset of the role's allowed "
                f"policies ({_go_list(allowed)}) or glob policies ({_go_list(globs)})"
            )
    elif not final:
        final = sanitize_policies(parent.policies, add_default=add_default)
    disallowed = unique_lower(role.disallowed_policies)
    disallowed_globs = unique_lower(role.disallowed_policies_glob)
    for policy in final:
        if policy in disallowed or glob_matches(disallowed_globs, policy):
            # vault-compat: role disallowed-policies refusal text
            raise InvalidRequest(f"token policy {_go_quote(policy)} is disallowed by this role")
    return final


def _policies(
    data: FieldData, parent: TokenEntry, role: TokenRole | None, *, privileged: bool
) -> list[str]:
    """The new token's policies, by OpenBao's rules for roles, parents and sudo.

    Without role lists: no policies inherit the parent's as they are; a caller without root or
    sudo may only ask for a subset of the parent's (`default` included, which is then added if
    the parent has it); root or sudo may ask for any, and gets `default` added. A role's
    `token_no_default_policy` only counts when the role has policy lists (as in OpenBao).
    """
    requested = data.strings("policies")
    no_default = data.boolean("no_default_policy")
    add_default = False
    if role is not None and role.limits_policies:
        requested = _role_policies(requested, parent, role, no_default=no_default)
    elif not requested:
        requested = sanitize_policies(parent.policies, add_default=False)
    elif not privileged:
        wanted = sanitize_policies(requested, add_default=False)
        if not set(wanted) <= set(sanitize_policies(parent.policies, add_default=False)):
            # vault-compat: parent subset refusal text
            raise InvalidRequest("child policies must be subset of parent")
        add_default = not no_default and "default" in parent.policies
    else:
        add_default = not no_default
    final = sanitize_policies(requested, add_default=add_default)
    if no_default:
        final = [p for p in final if p != "default"]
    for policy in final:
        if policy in _NOT_ASSIGNABLE:
            raise InvalidRequest(f"cannot assign policy {_go_quote(policy)}")
    if "root" in final and "root" not in parent.policies:
        # Thwarts escalation through sudo, or a role whose globs match `root`.
        raise InvalidRequest("root tokens may not be created without parent token being root")
    return final


def _check_entity_alias(data: FieldData, role: TokenRole | None) -> None:
    """OpenBao's `entity_alias` checks. Strongroom has no identity store, so an alias the role
    allows is refused too, rather than issuing a token without the entity asked for."""
    alias = data.string("entity_alias")
    if not alias:
        return
    if role is None:
        # vault-compat: entity_alias refusal texts
        raise InvalidRequest("'entity_alias' is only allowed in combination with token role")
    if not glob_matches(role.allowed_entity_aliases or (), alias.lower()):
        raise InvalidRequest("invalid 'entity_alias' value")
    raise InvalidRequest(
        "'entity_alias' is not supported: Strongroom has no identity entities to bind it to"
    )


def _role_limits(ttls: MountTTLs, role: TokenRole | None) -> MountTTLs:
    """A role's `token_max_ttl` caps the mount's max TTL (and so the default)."""
    if role is None or role.token_max_ttl <= 0:
        return ttls
    maximum = min(ttls.max_ttl, role.token_max_ttl) if ttls.max_ttl else role.token_max_ttl
    return MountTTLs(default_ttl=min(ttls.default_ttl, maximum), max_ttl=maximum)


def create_paths(context: TokenContext) -> list[Path]:
    async def create(request: Request, data: FieldData) -> Response | None:
        role_name = data.string("role_name")
        role = await context.store.role(role_name) if role_name else None
        if role_name and role is None:
            raise InvalidRequest(f"unknown role {role_name}")
        orphan = request.path == "create-orphan" or (role is not None and role.orphan)
        return await _create(context, request, data, role, orphan=orphan)

    return [
        Path(
            pattern=one_of("create", "create-orphan"),
            operations={Operation.UPDATE: create},
            fields=CREATE_FIELDS,
            synopsis="Create a new token (create-orphan: without a parent).",
        ),
        Path(
            pattern=lit("create/") + name("role_name"),
            operations={Operation.UPDATE: create},
            fields=CREATE_FIELDS,
            synopsis="Create a new token against a token role.",
        ),
    ]


def _check_custom_id(custom_id: str, token_type: str) -> None:
    """Refuse a chosen service token value that could pass for a generated token, or for a
    batch token by its prefix (OpenBao's token_store.go create, word for word)."""
    if not custom_id or token_type != SERVICE:
        return  # a batch token's value is always its encrypted entry
    for prefix in (OPENBAO_SERVICE_PREFIX, SERVICE_PREFIX):
        if custom_id.startswith(prefix):
            # vault-compat: custom token id error texts
            raise InvalidRequest(f"custom token ID cannot have the '{prefix}' prefix")
    if "." in custom_id:
        raise InvalidRequest("custom token ID cannot have a '.' in the value")


async def _create(
    context: TokenContext,
    request: Request,
    data: FieldData,
    role: TokenRole | None,
    *,
    orphan: bool,
) -> Response:
    parent, _ = await caller(context, request)
    if parent.token_type == BATCH:
        raise InvalidRequest("batch tokens cannot create more tokens")
    privileged = parent.is_root or request.sudo
    if data.boolean("no_parent"):
        if not privileged:
            raise InvalidRequest("root or sudo privileges required to create orphan token")
        orphan = True
    _check_entity_alias(data, role)
    custom_id = data.string("id")
    if custom_id and not privileged:
        raise InvalidRequest("root or sudo privileges required to specify token id")
    policies = _policies(data, parent, role, privileged=privileged)
    token_type = data.string("type") or (role.token_type if role else "") or SERVICE
    token_type = {"default-service": SERVICE, "default-batch": BATCH, "default": SERVICE}.get(
        token_type, token_type
    )
    if token_type not in (SERVICE, BATCH):
        raise InvalidRequest(f"unsupported token type {token_type!r}")
    if token_type == BATCH and "root" in policies:
        raise InvalidRequest("batch tokens cannot be root tokens")
    _check_custom_id(custom_id, token_type)
    period = data.duration("period") or (role.token_period if role else 0)
    explicit_max = data.duration("explicit_max_ttl") or (role.token_explicit_max_ttl if role else 0)
    now = context.store.clock.now()
    ttl, warnings = creation_ttl(
        requested=data.duration("ttl") or (role.token_ttl if role else 0),
        period=period,
        explicit_max_ttl=explicit_max,
        ttls=_role_limits(context.ttls(), role),
        is_root="root" in policies,
    )
    num_uses = data.integer("num_uses") or (role.token_num_uses if role else 0)
    if num_uses < 0:
        raise InvalidRequest("number of uses cannot be negative")
    renewable = data.boolean("renewable") and (role.renewable if role else True) and ttl > 0
    template = TokenEntry(
        id="",
        accessor="",
        policies=tuple(policies),
        path="auth/token/create"
        + (f"/{role.name}" if role else "")
        + (f"/{role.path_suffix}" if role and role.path_suffix else ""),
        parent="" if orphan else parent.id,
        display_name=_display_name(data.string("display_name")),
        metadata=dict(data.mapping("meta")),
        num_uses=num_uses,
        creation_time=now,
        ttl=ttl,
        expire_time=now + ttl if ttl > 0 else 0.0,
        explicit_max_ttl=explicit_max,
        period=period,
        token_type=token_type,
        orphan=orphan,
        renewable=renewable and token_type == SERVICE,
        role=role.name if role else "",
        bound_cidrs=role.token_bound_cidrs if role else (),
    )
    token, entry = await context.store.store(template, token=custom_id or None)
    for policy in policies:
        if policy not in ("root", "default") and not await context.policy_exists(policy):
            warnings.append(f'Policy "{policy}" does not exist')
    return Response(auth=auth_for(entry, token, now), warnings=tuple(warnings))


__all__ = ["CREATE_FIELDS", "create_paths"]
