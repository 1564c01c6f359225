"""`sys/rotate` (`sys/rotate/keyring`), `sys/key-status`, `sys/rotate/config`: the keyring."""

from __future__ import annotations

from strongroom.barrier import RotationConfig
from strongroom.clock import rfc3339
from strongroom.durations import format_duration
from strongroom.engines.system._core import SystemCore
from strongroom.errors import InvalidRequest
from strongroom.framework import Field, FieldData, FieldType, Path, lit, one_of
from strongroom.logical import Operation, Request, Response

# vault-compat: bounds and texts of sys/rotate/config validation
MIN_OPERATIONS = 1_000_000
MAX_OPERATIONS = 3_865_470_566
MIN_INTERVAL = 24 * 3600


def keyring_paths(core: SystemCore) -> list[Path]:
    async def rotate(request: Request, data: FieldData) -> Response | None:
        await core.rotate_keyring()
        return None

    async def key_status(request: Request, data: FieldData) -> Response | None:
        status = core.key_status()
        body = {
            "term": status.term,
            "install_time": rfc3339(status.install_time),
            "encryptions": status.encryptions,
        }
        return Response.of(body, top_level=True)

    async def read_config(request: Request, data: FieldData) -> Response | None:
        config = core.rotation_config()
        interval: int | str = format_duration(config.interval) if config.interval else 0
        return Response.of(
            {
                "enabled": config.enabled,
                "interval": interval,
                "max_operations": config.max_operations,
            }
        )

    async def write_config(request: Request, data: FieldData) -> Response | None:
        current = core.rotation_config()
        max_operations = (
            data.integer("max_operations")
            if data.has("max_operations")
            else (current.max_operations)
        )
        interval = data.duration("interval") if data.has("interval") else current.interval
        enabled = data.boolean("enabled") if data.has("enabled") else current.enabled
        if not MIN_OPERATIONS <= max_operations <= MAX_OPERATIONS:
            raise InvalidRequest(
                f"max_operations must be in the range [{MIN_OPERATIONS},{MAX_OPERATIONS}]"
            )
        if interval < 0 or 0 < interval < MIN_INTERVAL:
            raise InvalidRequest(
                f"interval must be greater or equal to {format_duration(MIN_INTERVAL)}"
            )
        await core.set_rotation_config(
            RotationConfig(max_operations=max_operations, interval=interval, enabled=enabled)
        )
        return None

    return [
        Path(
            pattern=one_of("rotate", "rotate/keyring"),
            operations={Operation.UPDATE: rotate},
            synopsis="Rotates the backend encryption key used to persist data.",
            description="Installs a new barrier key term; older terms stay for decryption.",
        ),
        Path(
            pattern=lit("key-status"),
            operations={Operation.READ: key_status},
            synopsis="Provides information about the backend encryption key.",
            description="The current encryption key term, installation time and encryption count.",
        ),
        Path(
            pattern=one_of("rotate/config", "rotate/keyring/config"),
            operations={Operation.READ: read_config, Operation.UPDATE: write_config},
            fields={
                "max_operations": Field(FieldType.INT, "Encryptions after which the key rotates."),
                "interval": Field(
                    FieldType.DURATION, "Time after which the key rotates (0: never)."
                ),
                "enabled": Field(FieldType.BOOL, "Whether automatic rotation is enabled."),
            },
            synopsis="Configures automatic rotation of the backend encryption key.",
        ),
    ]


__all__ = ["keyring_paths"]
