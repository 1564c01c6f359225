"""`keys/:name/trim`: permanently delete the versions below min_available_version.

Trimmed versions vanish from the key's `keys` map and can no longer decrypt, verify or be
exported. The limit only moves forwards and never past the min decryption/encryption
versions, so trimming cannot remove a version a client is still allowed to use.
"""

from __future__ import annotations

from functools import partial

from strongroom.engines.transit._context import TransitContext, storage_of
from strongroom.engines.transit._messages import (
    ERR_TRIM_BACKWARDS,
    ERR_TRIM_BEYOND_DECRYPT,
    ERR_TRIM_BEYOND_ENCRYPT,
    ERR_TRIM_MISSING,
    ERR_TRIM_NO_KEY,
    ERR_TRIM_NO_MIN_DECRYPT,
    ERR_TRIM_NO_MIN_ENCRYPT,
    ERR_TRIM_ZERO,
)
from strongroom.engines.transit._policy import Policy
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name
from strongroom.logical import Operation, Request, Response

FIELDS = {
    "name": Field(FieldType.STRING, "Name of the key", required=True),
    "min_available_version": Field(
        FieldType.INT,
        "The minimum available version for the key ring. All versions before this version "
        "will be permanently deleted. This value can at most be equal to the lesser of "
        "'min_decryption_version' and 'min_encryption_version'. This is not allowed to be "
        "set when either 'min_encryption_version' or 'min_decryption_version' is set to zero.",
    ),
}


def check_trim(policy: Policy, min_available: int) -> None:
    """OpenBao's checks, in its order (observed against OpenBao 2.x)."""
    if min_available < policy.min_available_version:
        raise InvalidRequest(ERR_TRIM_BACKWARDS)
    if policy.min_encryption_version == 0:
        raise InvalidRequest(ERR_TRIM_NO_MIN_ENCRYPT)
    if policy.min_decryption_version == 0:
        raise InvalidRequest(ERR_TRIM_NO_MIN_DECRYPT)
    if min_available == 0:
        raise InvalidRequest(ERR_TRIM_ZERO)
    if min_available > policy.min_encryption_version:
        raise InvalidRequest(ERR_TRIM_BEYOND_ENCRYPT)
    if min_available > policy.min_decryption_version:
        raise InvalidRequest(ERR_TRIM_BEYOND_DECRYPT)


async def trim_key(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Drop old versions; answer with the key's read body."""
    value, sent = data.get_ok("min_available_version")
    if not sent:
        raise InvalidRequest(ERR_TRIM_MISSING)
    # JSON null arrives as None; OpenBao treats it as 0
    min_available = int(value) if isinstance(value, int) else 0
    storage = storage_of(request)
    key_name = data.string("name")
    async with ctx.key_lock(key_name):
        policy = await ctx.load(storage, key_name)
        if policy is None:
            raise InvalidRequest(ERR_TRIM_NO_KEY)
        check_trim(policy, min_available)
        trimmed = policy.trimmed(min_available)
        if trimmed != policy:
            await ctx.save(storage, trimmed)
    return Response.of(trimmed.render())


def trim_path(ctx: TransitContext) -> Path:
    """`keys/:name/trim` bound to `ctx`."""
    return Path(
        pattern=lit("keys/") + name("name") + lit("/trim"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(trim_key, ctx), summary="Trim key versions", operation_id="transit-trim-key"
            ),
        },
        fields=FIELDS,
        synopsis="Trim key versions of a named key",
        description="This path is used to trim key versions of a named key. Trimming only "
        "happens from the lower end of version numbers.",
    )


__all__ = ["check_trim", "trim_path"]
