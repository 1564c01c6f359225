"""Injected time. Code asks a `Clock` for the time so tests can drive it (testing.FakeClock)."""

from __future__ import annotations

import functools
import math
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


@functools.lru_cache(maxsize=4096)
def rfc3339(epoch: float) -> str:
    """Epoch seconds as the RFC 3339 UTC time Vault's APIs show (`...T04:00:00.123456Z`).
    Memoised: token lookups show the same creation and expiry times request after request."""
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat().replace("+00:00", "Z")


# The last whole second rfc3339_nano formatted, and its text. Audit records carry two times
# per request, nearly always within one second, and building a datetime and strftime are
# most of the cost.
_last_second: tuple[int, str] = (0, "1970-01-01T00:00:00")
# Inside this range (years 1 to 5138) the arithmetic below is exact; outside it, and for
# NaN, datetime itself gives the text or the error.
_FAST_RANGE = (-62_135_596_800.0, 1e11)


def rfc3339_nano(epoch: float) -> str:
    """Go's time.RFC3339Nano of a UTC time: the fraction without trailing zeros."""
    global _last_second
    if not _FAST_RANGE[0] <= epoch < _FAST_RANGE[1]:
        moment = datetime.fromtimestamp(epoch, tz=UTC)
        fraction = f"{moment.microsecond:06d}".rstrip("0")
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + "Z"
    # Microseconds rounded half-even, as datetime.fromtimestamp rounds them.
    part, whole = math.modf(epoch)
    micro = round(part * 1e6)
    second = int(whole)
    if micro >= 1_000_000:
        micro -= 1_000_000
        second += 1
    elif micro < 0:
        micro += 1_000_000
        second -= 1
    cached, text = _last_second
    if second != cached:
        text = datetime.fromtimestamp(second, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _last_second = (second, text)
    return f"{text}.{micro:06d}".rstrip("0") + "Z" if micro else text + "Z"


__all__ = ["Clock", "SystemClock", "rfc3339", "rfc3339_nano"]
