"""`auth/token/create`, `create-orphan` and `create/:role_name`."""

from __future__ import annotations

import re

from strongroom.auth.token._context import TokenContext, auth_for, caller
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit, name, one_of
from strongroom.logical import Operation, Request, Response
from strongroom.tokens import (
    BATCH,
    LEGACY_SERVICE_PREFIX,
    SERVICE,
    SERVICE_PREFIX,
    MountTTLs,
    TokenEntry,
    TokenRole,
    creation_ttl,
)

_DISPLAY = re.compile(r"[^a-zA-Z0-9_-]+")

CREATE_FIELDS = {
    "id": Field(FieldType.STRING, "Token value to use instead of a generated one (root only)."),
    "policies": Field(FieldType.COMMA_STRING_SLICE, "Policies of the token."),
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
    "entity_alias": Field(FieldType.STRING, "Not supported yet."),
    "role_name": Field(FieldType.STRING, "Role to create the token against."),
}


def _display_name(value: str) -> str:
    if not value:
        return "token"
    return _DISPLAY.sub("-", "token-" + value).rstrip("-")


def _policies(
    data: FieldData, parent: TokenEntry, role: TokenRole | None, *, privileged: bool
) -> list[str]:
    """The new token's policies, by OpenBao's rules for roles, parents and sudo."""
    requested = sorted({p.strip().lower() for p in data.strings("policies") if p.strip()})
    inherited = [p for p in parent.policies if p != "default"]
    if role is not None and role.allowed_policies:
        allowed = sorted(role.allowed_policies)
        if not requested:
            requested = allowed
        elif not set(requested) - {"default"} <= set(allowed):
            # vault-compat: role policy refusal text
            raise InvalidRequest(
                f"token policies ({requested}) must be subset of the role's allowed policies "
                f"({allowed}) or glob policies ({sorted(role.allowed_policies_glob)})"
            )
    elif role is not None and role.disallowed_policies:
        if not requested:
            requested = [p for p in inherited if p not in role.disallowed_policies]
        for policy in requested:
            if policy in role.disallowed_policies:
                raise InvalidRequest(f'token policy "{policy}" is disallowed by this role')
    elif not requested:
        requested = inherited
    elif not privileged and not set(requested) - {"default"} <= set(parent.policies):
        # vault-compat: parent subset refusal text
        raise InvalidRequest("child policies must be subset of parent")
    no_default = data.boolean("no_default_policy") or (
        role is not None and role.token_no_default_policy
    )
    if "root" not in requested and not no_default and "default" not in requested:
        requested.append("default")
    return sorted(set(requested))


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
    for prefix in (LEGACY_SERVICE_PREFIX, SERVICE_PREFIX):
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
