"""`AuditBroker`: fans each audit entry out to every enabled device and fails closed.

Vault semantics: with no device enabled, requests pass unaudited; with at least one enabled,
a request proceeds only if at least one device recorded it. Each device write is bounded by
a timeout, so a hung device (full socket buffer, stuck NFS mount) is cut off rather than
blocking the request forever.

Must not: format records or touch any sink itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from strongroom.audit.device import AuditDevice
from strongroom.audit.entry import AuditEntry
from strongroom.errors import InternalError

_log = logging.getLogger("strongroom.audit")
DEFAULT_TIMEOUT = 5.0


class AuditFailed(InternalError):
    """No enabled audit device could record the request, so it must not proceed."""


class AuditBroker:
    """The set of enabled audit devices."""

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._devices: dict[str, AuditDevice] = {}
        self.timeout = timeout

    @property
    def devices(self) -> tuple[AuditDevice, ...]:
        return tuple(self._devices.values())

    def enabled(self) -> bool:
        return bool(self._devices)

    def get(self, path: str) -> AuditDevice | None:
        return self._devices.get(path)

    def add(self, device: AuditDevice) -> None:
        """Enable `device`; a path may hold only one device."""
        if device.path in self._devices:
            raise ValueError(f"audit device already enabled at {device.path!r}")
        self._devices[device.path] = device

    def remove(self, path: str) -> AuditDevice | None:
        """Disable the device at `path` (the caller closes it) and return it."""
        return self._devices.pop(path, None)

    async def log_request(self, entry: AuditEntry) -> None:
        """Record the request phase; raises AuditFailed if no device recorded it."""
        await self._fan_out("request", entry, lambda d: d.log_request(entry))

    async def log_response(self, entry: AuditEntry) -> None:
        """Record the response phase; raises AuditFailed if no device recorded it."""
        await self._fan_out("response", entry, lambda d: d.log_response(entry))

    async def reopen(self) -> None:
        """SIGHUP: reopen every device's sink; a failure is logged, not raised."""
        for device in self.devices:
            try:
                await asyncio.wait_for(device.reopen(), self.timeout)
            except Exception as exc:
                _log.error("audit device %r failed to reopen: %s", device.path, exc)

    async def close(self) -> None:
        for path in list(self._devices):
            device = self._devices.pop(path)
            try:
                await asyncio.wait_for(device.close(), self.timeout)
            except Exception as exc:
                _log.error("audit device %r failed to close: %s", path, exc)

    async def _fan_out(
        self,
        phase: str,
        entry: AuditEntry,
        call: Callable[[AuditDevice], Awaitable[None]],
    ) -> None:
        devices = self._devices
        if not devices:
            return
        if len(devices) == 1:  # the common case: no task per record
            (device,) = devices.values()
            reason = await self._one(device, call)
            if reason is None:
                return
            failures = [reason]
        else:
            snapshot = tuple(devices.values())
            results = await asyncio.gather(*(self._one(d, call) for d in snapshot))
            failures = [reason for reason in results if reason is not None]
            if len(failures) < len(snapshot):
                return
        _log.error(
            "audit %s of request %s failed on every device: %s",
            phase,
            entry.request.id,
            "; ".join(failures),
        )
        raise AuditFailed(f"no audit device could record the {phase}: " + "; ".join(failures))

    async def _one(
        self, device: AuditDevice, call: Callable[[AuditDevice], Awaitable[None]]
    ) -> str | None:
        """None on success, otherwise why this device failed (no secrets in it)."""
        try:
            async with asyncio.timeout(self.timeout):  # bounded without a task per call
                await call(device)
        except TimeoutError:
            reason = f"{device.path}: timed out after {self.timeout:g}s"
        except Exception as exc:
            reason = f"{device.path}: {exc}"
        else:
            return None
        _log.warning("audit device failed: %s", reason)
        return reason


def hash_value(device: AuditDevice, value: str) -> str:
    """`sys/audit-hash/<path>`: the device's HMAC of `value`."""
    return device.hash(value)


__all__ = ["DEFAULT_TIMEOUT", "AuditBroker", "AuditFailed", "hash_value"]
