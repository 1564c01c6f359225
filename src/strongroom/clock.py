"""Injected time. Code asks a `Clock` for the time so tests can drive it (testing.FakeClock)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Wall-clock and monotonic time, injectable."""

    def now(self) -> float:
        """Seconds since the epoch (wall clock)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


def rfc3339(epoch: float) -> str:
    """Epoch seconds as the RFC 3339 UTC time Vault's APIs show (`...T04:00:00.123456Z`)."""
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat().replace("+00:00", "Z")


def rfc3339_nano(epoch: float) -> str:
    """Go's time.RFC3339Nano of a UTC time: the fraction without trailing zeros."""
    moment = datetime.fromtimestamp(epoch, tz=UTC)
    fraction = f"{moment.microsecond:06d}".rstrip("0")
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + "Z"


__all__ = ["Clock", "SystemClock", "rfc3339", "rfc3339_nano"]
