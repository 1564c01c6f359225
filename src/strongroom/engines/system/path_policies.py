"""`sys/policies/acl`, the legacy `sys/policy`, `sys/capabilities(-self,-accessor)` and
`sys/internal/ui/resultant-acl`."""

from __future__ import annotations

import base64
import binascii

from strongroom.engines.system._core import SystemCore
from strongroom.errors import InvalidRequest, PermissionDenied
from strongroom.framework import Field, FieldData, FieldType, Path, lit, name
from strongroom.logical import Operation, Request, Response
from strongroom.types import JSONDict

_POLICY_FIELDS = {
    "name": Field(FieldType.STRING, "Name of the policy."),
    "policy": Field(FieldType.STRING, "The policy document (HCL or JSON, may be base64)."),
}


def _policy_text(data: FieldData, *keys: str) -> str:
    for key in keys:
        if data.has(key):
            text = data.string(key)
            break
    else:
        raise InvalidRequest("'policy' parameter not supplied or empty")
    if not text.strip():
        raise InvalidRequest("'policy' parameter not supplied or empty")
    try:  # vault-compat: the policy may arrive base64-encoded
        decoded = base64.b64decode(text, validate=True).decode()
        if decoded.strip():
            return decoded
    except (binascii.Error, ValueError, UnicodeDecodeError):
        pass
    return text


def policy_paths(core: SystemCore) -> list[Path]:
    # `core.policies` is looked up per request: the core builds a new store at each unseal.
    async def list_acl(request: Request, data: FieldData) -> Response | None:
        return Response.of({"keys": await core.policies.names()})

    async def list_legacy(request: Request, data: FieldData) -> Response | None:
        names = await core.policies.names()
        return Response.of({"keys": names, "policies": names}, top_level=True)

    async def read_acl(request: Request, data: FieldData) -> Response | None:
        record = await core.policies.record(data.string("name"))
        if record is None:
            return None
        return Response.of({**_meta(record), "policy": record["policy"]})

    async def read_legacy(request: Request, data: FieldData) -> Response | None:
        record = await core.policies.record(data.string("name"))
        if record is None:
            return None
        return Response.of({**_meta(record), "rules": record["policy"]}, top_level=True)

    async def write(request: Request, data: FieldData) -> Response | None:
        await core.policies.put(data.string("name"), _policy_text(data, "policy", "rules"))
        return None

    async def delete(request: Request, data: FieldData) -> Response | None:
        await core.policies.delete(data.string("name"))
        return None

    legacy_fields = {**_POLICY_FIELDS, "rules": Field(FieldType.STRING, "Deprecated: the policy.")}
    crud = {Operation.READ: read_acl, Operation.UPDATE: write, Operation.DELETE: delete}
    return [
        Path(
            pattern=lit("policies/acl/"),
            operations={Operation.LIST: list_acl},
            synopsis="List the ACL policies.",
        ),
        Path(
            pattern=lit("policies/acl"),
            operations={Operation.LIST: list_acl},
            synopsis="List the ACL policies.",
        ),
        Path(
            pattern=lit("policies/acl/") + name("name"),
            operations=crud,
            fields=_POLICY_FIELDS,
            synopsis="Read, write or delete an ACL policy.",
        ),
        Path(
            pattern=lit("policy"),
            operations={Operation.READ: list_legacy, Operation.LIST: list_legacy},
            synopsis="List the policies (legacy).",
        ),
        Path(
            pattern=lit("policy/"),
            operations={Operation.LIST: list_legacy},
            synopsis="List the policies (legacy).",
        ),
        Path(
            pattern=lit("policy/") + name("name"),
            operations={
                Operation.READ: read_legacy,
                Operation.UPDATE: write,
                Operation.DELETE: delete,
            },
            fields=legacy_fields,
            synopsis="Read, write or delete a policy (legacy).",
        ),
        *capability_paths(core),
    ]


def _meta(record: JSONDict) -> JSONDict:
    return {
        "allow_slashes_in_identity_templates": False,
        "allow_wildcards_in_identity_templates": False,
        "cas_required": False,
        "modified": record.get("modified", ""),
        "name": record["name"],
        "version": record.get("version", 1),
    }


def _paths(data: FieldData) -> list[str]:
    paths = [p for p in data.strings("paths") if p] or [p for p in data.strings("path") if p]
    if not paths:
        raise InvalidRequest("paths must be supplied")
    return paths


async def _answer(core: SystemCore, policies: tuple[str, ...], paths: list[str]) -> Response:
    acl = await core.policies.acl(policies)
    body: JSONDict = {path: acl.capabilities(path) for path in paths}
    if len(paths) == 1:
        body["capabilities"] = body[paths[0]]
    return Response.of(body, top_level=True)


def capability_paths(core: SystemCore) -> list[Path]:
    fields = {
        "token": Field(FieldType.STRING, "Token to check."),
        "accessor": Field(FieldType.STRING, "Accessor of the token to check."),
        "path": Field(FieldType.COMMA_STRING_SLICE, "Deprecated: use paths."),
        "paths": Field(FieldType.COMMA_STRING_SLICE, "Paths to check."),
    }

    async def for_token(request: Request, data: FieldData) -> Response | None:
        token = data.string("token")
        if not token:
            raise InvalidRequest("missing token")  # OpenBao answers 500 "no token found" here
        policies = await core.token_policies(token)
        if policies is None:
            raise InvalidRequest("invalid token")
        return await _answer(core, policies, _paths(data))

    async def for_self(request: Request, data: FieldData) -> Response | None:
        if request.token is None:
            raise PermissionDenied()
        return await _answer(core, request.token.policies, _paths(data))

    async def for_accessor(request: Request, data: FieldData) -> Response | None:
        policies = await core.accessor_policies(data.string("accessor"))
        if policies is None:
            raise InvalidRequest("invalid accessor")
        return await _answer(core, policies, _paths(data))

    async def resultant(request: Request, data: FieldData) -> Response | None:
        if request.token is None:
            raise PermissionDenied()
        acl = await core.policies.acl(request.token.policies)
        if acl.is_root:
            return Response.of({"root": True})
        exact: JSONDict = {}
        glob: JSONDict = {}
        for rule in acl.rules:
            target = glob if rule.pattern.endswith("*") or "+" in rule.pattern else exact
            target[rule.pattern.rstrip("*")] = {
                "capabilities": acl.capabilities(rule.pattern.rstrip("*"))
            }
        return Response.of({"exact_paths": exact, "glob_paths": glob, "root": False})

    return [
        Path(
            pattern=lit("capabilities"),
            operations={Operation.UPDATE: for_token},
            fields=fields,
            synopsis="Capabilities of a token on paths.",
        ),
        Path(
            pattern=lit("capabilities-self"),
            operations={Operation.UPDATE: for_self},
            fields=fields,
            synopsis="Capabilities of the calling token on paths.",
        ),
        Path(
            pattern=lit("capabilities-accessor"),
            operations={Operation.UPDATE: for_accessor},
            fields=fields,
            synopsis="Capabilities of a token, by accessor, on paths.",
        ),
        Path(
            pattern=lit("internal/ui/resultant-acl"),
            operations={Operation.READ: resultant},
            synopsis="The calling token's merged ACL.",
        ),
    ]


__all__ = ["policy_paths"]
