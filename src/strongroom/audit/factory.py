"""Build an audit device from its `sys/audit/<path>` definition (type plus options)."""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.audit.device import AuditDevice
from strongroom.audit.file_device import FileDevice
from strongroom.audit.salt import Salter
from strongroom.audit.socket_device import SocketDevice
from strongroom.audit.syslog_device import SyslogDevice
from strongroom.errors import InvalidRequest
from strongroom.storage import Storage

DEVICE_TYPES = ("file", "socket", "syslog")


async def new_device(
    path: str, device_type: str, options: Mapping[str, str], storage: Storage
) -> AuditDevice:
    """A ready device. `storage` is the device's own (barrier) view: its salt lives there.

    Raises InvalidRequest for an unknown type or bad options, and OSError when a file device
    cannot open its file (so enabling fails instead of failing every later request).
    """
    salter = await Salter.load(storage)
    if device_type == "file":
        device = FileDevice(path, options, salter)
        await device.open()
        return device
    if device_type == "socket":
        return SocketDevice(path, options, salter)
    if device_type == "syslog":
        return SyslogDevice(path, options, salter)
    raise InvalidRequest(f"unknown audit backend type: {device_type}")


__all__ = ["DEVICE_TYPES", "new_device"]
