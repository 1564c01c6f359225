"""`backup/:name` and `restore(/:name)`: a key with all its versions as one opaque blob.

The blob is base64 of JSON in Strongroom's own format ({"format", "policy"}, the policy as
stored). It is not OpenBao's format: a backup taken from OpenBao does not restore here (it is
rejected as invalid), nor the other way round. Backups need both allow_plaintext_backup and
exportable, as in OpenBao. OpenBao answers every backup/restore failure with a 500; these are
client mistakes, so here they are 400s with OpenBao's texts.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import partial

import orjson
from cryptography.exceptions import UnsupportedAlgorithm

from strongroom.engines.transit._context import TransitContext, storage_of
from strongroom.engines.transit._encoding import b64decode_field, b64encode
from strongroom.engines.transit._messages import (
    ERR_BACKUP_KEY_NOT_FOUND,
    ERR_BACKUP_NOT_ALLOWED,
    ERR_BACKUP_NOT_EXPORTABLE,
    ERR_RESTORE_EXISTS,
    ERR_RESTORE_INVALID,
    ERR_RESTORE_MISSING,
    ERR_RESTORE_NAME,
)
from strongroom.engines.transit._policy import Policy
from strongroom.engines.transit._types import ASYMMETRIC, KEY_BYTES, SYMMETRIC
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, OperationSpec, Path, lit, name, opt
from strongroom.logical import Operation, Request, Response
from strongroom.types import JSON

BACKUP_FORMAT = "strongroom-transit-backup-v1"
# Vault's GenericNameRegex, the same rule the `name` path segment enforces
_KEY_NAME = re.compile(r"\w(([\w.@-]+)?\w)?")

BACKUP_FIELDS = {"name": Field(FieldType.STRING, "Name of the key", required=True)}
RESTORE_FIELDS = {
    "backup": Field(
        FieldType.STRING,
        "Backed up key data to be restored. This should be the output from the 'backup/' endpoint.",
    ),
    "name": Field(FieldType.STRING, "If set, this will be the name of the restored key."),
    "force": Field(
        FieldType.BOOL,
        "If set and a key by the given name exists, force the "
        "restore operation and override the key.",
        default=False,
    ),
}


def encode_backup(policy: Policy) -> str:
    """The blob for `policy`."""
    document: JSON = {"format": BACKUP_FORMAT, "policy": policy.to_json()}
    return b64encode(orjson.dumps(document))


def decode_backup(blob: str) -> Policy:
    """Inverse of `encode_backup`; InvalidRequest for anything else."""
    raw = b64decode_field(blob)
    try:
        document = orjson.loads(raw)
        if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
            raise ValueError("unknown format")
        policy = Policy.from_json(document["policy"])
        _check_material(policy)
    except (ValueError, TypeError, KeyError, AttributeError, UnsupportedAlgorithm):
        raise InvalidRequest(ERR_RESTORE_INVALID) from None
    return policy


def _check_material(policy: Policy) -> None:
    """Reject a blob whose material would fail later, at use, as a 500."""
    if not policy.versions or policy.version(policy.latest_version) is None:
        raise ValueError("no latest version")
    for version in policy.versions.values():
        if policy.type in SYMMETRIC and len(version.key) != KEY_BYTES[policy.type]:
            raise ValueError("bad key length")
        if policy.type in ASYMMETRIC:
            _ = version.private_key


async def backup_key(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """`{"backup": blob}`; records backup_info on the key."""
    storage = storage_of(request)
    key_name = data.string("name")
    async with ctx.key_lock(key_name):
        policy = await ctx.load(storage, key_name)
        if policy is None:
            raise InvalidRequest(ERR_BACKUP_KEY_NOT_FOUND.format(key_name))
        if not policy.allow_plaintext_backup:
            raise InvalidRequest(ERR_BACKUP_NOT_ALLOWED)
        if not policy.exportable:
            raise InvalidRequest(ERR_BACKUP_NOT_EXPORTABLE)
        policy = replace(policy, backup_info=(ctx.now_ns(), policy.latest_version))
        await ctx.save(storage, policy)
    return Response.of({"backup": encode_backup(policy)})


async def restore_key(ctx: TransitContext, request: Request, data: FieldData) -> Response | None:
    """Store the backed-up key under its own name or the path's; 204."""
    blob = data.string("backup")
    if blob == "":
        raise InvalidRequest(ERR_RESTORE_MISSING)
    policy = decode_backup(blob)
    key_name = data.string("name") or policy.name
    if _KEY_NAME.fullmatch(key_name) is None:
        raise InvalidRequest(ERR_RESTORE_NAME)
    storage = storage_of(request)
    async with ctx.key_lock(key_name):
        if not data.boolean("force") and await ctx.load(storage, key_name) is not None:
            raise InvalidRequest(ERR_RESTORE_EXISTS.format(key_name))
        restored = replace(
            policy, name=key_name, restore_info=(ctx.now_ns(), policy.latest_version)
        )
        await ctx.save(storage, restored)
    return None


def backup_path(ctx: TransitContext) -> Path:
    """`backup/:name` bound to `ctx`."""
    return Path(
        pattern=lit("backup/") + name("name"),
        operations={
            Operation.READ: OperationSpec(
                partial(backup_key, ctx),
                summary="Backup the named key",
                operation_id="transit-back-up-key",
            ),
        },
        fields=BACKUP_FIELDS,
        synopsis="Backup the named key",
        description="This path is used to backup the named key.",
    )


def restore_path(ctx: TransitContext) -> Path:
    """`restore(/:name)` bound to `ctx`."""
    return Path(
        pattern=lit("restore") + opt(lit("/") + name("name")),
        operations={
            Operation.UPDATE: OperationSpec(
                partial(restore_key, ctx),
                summary="Restore the named key",
                operation_id="transit-restore-key",
            ),
        },
        fields=RESTORE_FIELDS,
        synopsis="Restore the named key",
        description="This path is used to restore the named key.",
    )


__all__ = ["backup_path", "decode_backup", "encode_backup", "restore_path"]
