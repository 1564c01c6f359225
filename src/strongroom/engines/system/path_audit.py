"""`sys/audit` (LIST, enable, disable; sudo) and `sys/audit-hash/:path`."""

from __future__ import annotations

from strongroom.audit import FileDevice, hash_value
from strongroom.engines.system._core import SystemCore
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit, rest
from strongroom.logical import Operation, Request, Response
from strongroom.types import JSONDict


def _normalise(path: str) -> str:
    cleaned = path.strip().strip("/")
    if not cleaned:
        raise InvalidRequest("path cannot be empty")
    return cleaned + "/"


def audit_paths(core: SystemCore) -> list[Path]:
    async def list_devices(request: Request, data: FieldData) -> Response | None:
        body: JSONDict = {
            spec.path: {
                "type": spec.type,
                "description": spec.description,
                "options": dict(spec.options),
                "local": spec.local,
                "path": spec.path,
            }
            for spec in core.audit_specs
        }
        return Response.of(body, top_level=True)

    async def enable(request: Request, data: FieldData) -> Response | None:
        options = data.get("options") or {}
        if not isinstance(options, dict):
            raise InvalidRequest("options must be a map")
        await core.enable_audit(
            path=_normalise(data.string("path")),
            device_type=data.string("type"),
            description=data.string("description"),
            options={str(k): str(v) for k, v in options.items()},
            local=data.boolean("local"),
        )
        return None

    async def disable(request: Request, data: FieldData) -> Response | None:
        await core.disable_audit(_normalise(data.string("path")))
        return None

    async def audit_hash(request: Request, data: FieldData) -> Response | None:
        device = core.audit.get(_normalise(data.string("path")))
        if device is None:
            raise InvalidRequest("unknown audit backend")
        return Response.of({"hash": hash_value(device, data.string("input"))})

    async def chain(request: Request, data: FieldData) -> Response | None:
        device = core.audit.get(_normalise(data.string("path")))
        if not isinstance(device, FileDevice):
            raise InvalidRequest("only file audit devices keep a verifiable chain")
        return Response.of({"chain_key": device.chain_key().hex(), "head": device.chain_head})

    return [
        Path(
            pattern=lit("audit-chain/") + rest("path"),
            operations={Operation.READ: chain},
            fields={"path": Field(FieldType.STRING, "Path of a file audit device.")},
            synopsis="Strongroom: the key and current head of a file device's tamper-evidence "
            "chain, for `strongroom audit verify` (sudo).",
        ),
        Path(
            pattern=lit("audit"),
            operations={Operation.READ: list_devices},
            synopsis="List the enabled audit devices.",
        ),
        Path(
            pattern=lit("audit/") + rest("path"),
            operations={Operation.UPDATE: enable, Operation.DELETE: disable},
            fields={
                "path": Field(FieldType.STRING, "Path of the device."),
                "type": Field(FieldType.STRING, "file, socket or syslog."),
                "description": Field(FieldType.STRING, "Human-friendly description."),
                "options": Field(FieldType.MAP, "Device options (file_path, mode, ...)."),
                "local": Field(FieldType.BOOL, "Local to this cluster."),
            },
            synopsis="Enable or disable an audit device (sudo).",
        ),
        Path(
            pattern=lit("audit-hash/") + rest("path"),
            operations={Operation.UPDATE: audit_hash},
            fields={
                "path": Field(FieldType.STRING, "Path of the device."),
                "input": Field(FieldType.STRING, "The value to hash."),
            },
            synopsis="The HMAC an audit device would log for a value.",
        ),
    ]


__all__ = ["audit_paths"]
