"""`FakeClock`: time that only moves when a test says so."""

from __future__ import annotations


class FakeClock:
    """A Clock whose wall and monotonic time advance only through `advance`."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = start
        self._mono = 0.0

    def now(self) -> float:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += seconds
        self._mono += seconds


__all__ = ["FakeClock"]
