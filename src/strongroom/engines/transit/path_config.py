"""`keys/:name/config`: a key's version limits, deletion_allowed, exportable,
allow_plaintext_backup and auto_rotate_period. exportable and allow_plaintext_backup can be
turned on but never off again (OpenBao ignores a request to clear them)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from strongroom.engines.transit._context import TransitContext, storage_of
from strongroom.engines.transit._messages import (
    ERR_MIN_DECRYPT_BELOW_AVAILABLE,
    ERR_MIN_DECRYPT_HIGH,
    ERR_MIN_DECRYPT_NEGATIVE,
    ERR_MIN_ENCRYPT_BELOW_AVAILABLE,
    ERR_MIN_ENCRYPT_HIGH,
    ERR_MIN_ENCRYPT_NEGATIVE,
    ERR_MIN_ORDER,
    ERR_NO_SUCH_KEY,
    WARN_MIN_ONE,
)
from strongroom.engines.transit._policy import Policy
from strongroom.engines.transit.path_keys import check_auto_rotate
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name
from strongroom.logical import Operation, Request, Response

FIELDS = {
    "name": Field(FieldType.STRING, "Name of the key", required=True),
    "min_decryption_version": Field(FieldType.INT, "Oldest version that may decrypt/verify."),
    "min_encryption_version": Field(FieldType.INT, "Oldest version that may encrypt; 0 latest."),
    "deletion_allowed": Field(FieldType.BOOL, "Whether the key may be deleted."),
    "exportable": Field(FieldType.BOOL, "Enables export; cannot be disabled once set."),
    "allow_plaintext_backup": Field(FieldType.BOOL, "Enables plaintext backup; irreversible."),
    "auto_rotate_period": Field(FieldType.DURATION, "Automatic rotation period; 0 disables."),
}


def _versions(policy: Policy, data: FieldData, warnings: list[str]) -> Policy:
    min_dec = policy.min_decryption_version
    min_enc = policy.min_encryption_version
    if data.has("min_decryption_version"):
        min_dec = data.integer("min_decryption_version")
        if min_dec < 0:
            raise InvalidRequest(ERR_MIN_DECRYPT_NEGATIVE)
        if min_dec == 0:
            min_dec = 1
            warnings.append(WARN_MIN_ONE)
        if min_dec > policy.latest_version:
            raise InvalidRequest(ERR_MIN_DECRYPT_HIGH.format(min_dec, policy.latest_version))
    if data.has("min_encryption_version"):
        min_enc = data.integer("min_encryption_version")
        if min_enc < 0:
            raise InvalidRequest(ERR_MIN_ENCRYPT_NEGATIVE)
        if min_enc > policy.latest_version:
            raise InvalidRequest(ERR_MIN_ENCRYPT_HIGH.format(min_enc, policy.latest_version))
    if min_enc > 0 and min_enc < min_dec:
        raise InvalidRequest(ERR_MIN_ORDER.format(min_enc, min_dec))
    # vault-compat: once trimmed, neither limit may drop below min_available_version
    if policy.min_available_version > 0:
        if min_dec < policy.min_available_version:
            raise InvalidRequest(ERR_MIN_DECRYPT_BELOW_AVAILABLE)
        if min_enc < policy.min_available_version:
            raise InvalidRequest(ERR_MIN_ENCRYPT_BELOW_AVAILABLE)
    return replace(policy, min_decryption_version=min_dec, min_encryption_version=min_enc)


def apply_config(policy: Policy, data: FieldData, warnings: list[str]) -> Policy:
    """The policy with the request's settings applied (validated)."""
    policy = _versions(policy, data, warnings)
    if data.has("deletion_allowed"):
        policy = replace(policy, deletion_allowed=data.boolean("deletion_allowed"))
    if data.boolean("exportable"):
        policy = replace(policy, exportable=True)
    if data.boolean("allow_plaintext_backup"):
        policy = replace(policy, allow_plaintext_backup=True)
    if data.has("auto_rotate_period"):
        period = data.duration("auto_rotate_period")
        check_auto_rotate(period)
        policy = replace(policy, auto_rotate_period=period)
    return policy


async def write_config(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Update the named settings; answer with the key's read body."""
    storage = storage_of(request)
    key_name = data.string("name")
    warnings: list[str] = []
    async with ctx.key_lock(key_name):
        policy = await ctx.load(storage, key_name)
        if policy is None:
            raise InvalidRequest(ERR_NO_SUCH_KEY.format(key_name))
        updated = apply_config(policy, data, warnings)
        if updated != policy:
            await ctx.save(storage, updated)
    return Response(data=updated.render(), warnings=tuple(warnings))


def config_path(ctx: TransitContext) -> Path:
    """`keys/:name/config` bound to `ctx`."""
    return Path(
        pattern=lit("keys/") + name("name") + lit("/config"),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(write_config, ctx),
                summary="Configure a named encryption key",
                operation_id="transit-configure-key",
            ),
        },
        fields=FIELDS,
        synopsis="Configure a named encryption key",
        description="This path is used to configure the named key.",
    )


__all__ = ["apply_config", "config_path"]
