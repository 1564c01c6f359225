"""`sys/policies/password`: write, read, list and delete password policies, and generate a
password from one.

OpenBao 2.7.2's shapes, as observed: a policy name is case-sensitive and may contain `/`; the
`policy` parameter may be base64-encoded; a write answers 204, a read `{"policy": "<text>"}`,
`.../generate` `{"password": "..."}`; a missing policy is a 404 for both reads. This endpoint's
own errors arrive as go-multierror text (`1 error occurred:\\n\\t* ...`), so they are wrapped
here; the store's messages stay plain for the engines that use it.
"""

from __future__ import annotations

import base64
import binascii

from strongroom.engines.system._core import SystemCore
from strongroom.errors import InternalError, InvalidRequest, NotFound
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, rest
from strongroom.logical import Operation, Request, Response
from strongroom.policy.password import ERR_TIMED_OUT, PasswordGenerationError, multierror

# vault-compat: OpenBao's messages on these paths.
ERR_POLICY_NOT_FOUND = "policy does not exist"
ERR_TRAILING_SLASH = "cannot write to a path ending in '/'"
ERR_GENERATE_FAILED = f"failed to generate password from policy: {ERR_TIMED_OUT}"

_NAME = Field(FieldType.STRING, "The name of the password policy.", required=True)
_FIELDS = {
    "name": _NAME,
    "policy": Field(
        FieldType.STRING, "The password policy (HCL or JSON, optionally base64-encoded)."
    ),
}


def _policy_text(data: FieldData) -> str:
    """The policy as sent; base64 is decoded when it is valid base64 (OpenBao tries it first,
    ignoring line breaks as Go's decoder does)."""
    text = data.string("policy")
    if not text:
        return text
    try:
        decoded = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        return text
    return decoded.decode("utf-8", errors="replace")


def password_policy_paths(core: SystemCore) -> list[Path]:
    # `core.password_policies` is looked up per request: the core builds a new store at unseal.
    async def list_policies(request: Request, data: FieldData) -> Response | None:
        names = await core.password_policies.names()
        return Response.of({"keys": names}) if names else None

    async def read(request: Request, data: FieldData) -> Response | None:
        text = await core.password_policies.get(data.string("name"))
        if text is None:
            raise NotFound(multierror([ERR_POLICY_NOT_FOUND]))
        return Response.of({"policy": text})

    async def write(request: Request, data: FieldData) -> Response | None:
        name = data.string("name")
        if name.endswith("/"):
            raise InvalidRequest(ERR_TRAILING_SLASH)
        try:
            await core.password_policies.put(name, _policy_text(data))
        except InvalidRequest as exc:
            raise InvalidRequest(multierror([str(exc)])) from None
        return None

    async def delete(request: Request, data: FieldData) -> Response | None:
        await core.password_policies.delete(data.string("name"))
        return None

    async def generate(request: Request, data: FieldData) -> Response | None:
        name = data.string("name")
        if await core.password_policies.get(name) is None:
            raise NotFound(multierror([ERR_POLICY_NOT_FOUND]))
        try:
            password = await core.password_policies.generate(name)
        except PasswordGenerationError:
            raise InternalError(multierror([ERR_GENERATE_FAILED])) from None
        return Response.of({"password": password})

    return [
        Path(
            pattern=lit("policies/password/"),
            operations={Operation.LIST: list_policies},
            synopsis="List the password policies.",
        ),
        Path(
            pattern=lit("policies/password"),
            operations={Operation.LIST: list_policies},
            synopsis="List the password policies.",
        ),
        Path(
            pattern=lit("policies/password/") + rest("name") + lit("/generate"),
            operations={Operation.READ: generate},
            fields={"name": _NAME},
            synopsis="Generate a password from a password policy.",
        ),
        Path(
            pattern=lit("policies/password/") + rest("name"),
            operations={
                Operation.READ: OperationSpec(read, summary="Read a password policy."),
                Operation.UPDATE: OperationSpec(
                    write, summary="Create or update a password policy."
                ),
                Operation.DELETE: OperationSpec(delete, summary="Delete a password policy."),
            },
            fields=_FIELDS,
            synopsis="Read, write or delete a password policy.",
        ),
    ]


__all__ = ["password_policy_paths"]
