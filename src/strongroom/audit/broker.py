"""`AuditBroker`: fans each audit entry out to every enabled device and fails closed.

Vault semantics: with no device enabled, requests pass unaudited; with at least one enabled,
a request proceeds only if at least one device recorded it. Each device write is bounded by
a timeout, so a hung device (full socket buffer, stuck NFS mount) is cut off rather than
blocking the request forever. A lone `QueuingDevice` (the usual setup: one file device)
enforces that deadline itself, which spares an `asyncio.timeout` per record.

Must not: format records or touch any sink itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import NoReturn

from strongroom.audit.device import AuditDevice, QueuingDevice
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
        self._queue: QueuingDevice | None = None  # the only device, when it is one
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
        self._choose_queue()

    def remove(self, path: str) -> AuditDevice | None:
        """Disable the device at `path` (the caller closes it) and return it."""
        device = self._devices.pop(path, None)
        self._choose_queue()
        return device

    def _choose_queue(self) -> None:
        only = tuple(self._devices.values())
        self._queue = only[0] if len(only) == 1 and isinstance(only[0], QueuingDevice) else None

    async def log_request(self, entry: AuditEntry) -> None:
        """Record the request phase; raises AuditFailed if no device recorded it."""
        queue = self._queue
        if queue is None:
            await self._fan_out("request", entry, lambda d: d.log_request(entry))
            return
        try:  # the device bounds the wait by self.timeout
            await queue.queue_request(entry, self.timeout)
            return
        except Exception as exc:
            reason = self._reason(queue, exc)
        self._failed("request", entry, [reason])

    async def log_response(self, entry: AuditEntry) -> None:
        """Record the response phase; raises AuditFailed if no device recorded it."""
        queue = self._queue
        if queue is None:
            await self._fan_out("response", entry, lambda d: d.log_response(entry))
            return
        try:
            await queue.queue_response(entry, self.timeout)
            return
        except Exception as exc:
            reason = self._reason(queue, exc)
        self._failed("response", entry, [reason])

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
            self._choose_queue()
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
        self._failed(phase, entry, failures)

    def _failed(self, phase: str, entry: AuditEntry, failures: list[str]) -> NoReturn:
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
        except Exception as exc:
            return self._reason(device, exc)
        return None

    def _reason(self, device: AuditDevice, exc: Exception) -> str:
        """Why `device` failed (no secrets in it), logged as a warning."""
        if isinstance(exc, TimeoutError):
            reason = f"{device.path}: timed out after {self.timeout:g}s"
        else:
            reason = f"{device.path}: {exc}"
        _log.warning("audit device failed: %s", reason)
        return reason


def hash_value(device: AuditDevice, value: str) -> str:
    """`sys/audit-hash/<path>`: the device's HMAC of `value`."""
    return device.hash(value)


__all__ = ["DEFAULT_TIMEOUT", "AuditBroker", "AuditFailed", "hash_value"]
