"""Pure aggregation of samples and counters; no clock of its own, no I/O.

`Series` keeps what both renderings need: cumulative sum and count for Prometheus,
observations inside a sliding window for Prometheus quantiles (go-metrics' sink builds
its summaries with a 10 s max age and objectives 0.5/0.9/0.99), and the statistics of
the current interval for the JSON format (go-metrics' inmem sink, 10 s intervals).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

# vault-compat: go-metrics defaults (inmem interval 10 s; prometheus summary MaxAge 10 s).
WINDOW_SECONDS = 10.0
QUANTILES = (0.5, 0.9, 0.99)


@dataclass(frozen=True, slots=True)
class IntervalStats:
    """One interval's statistics, in the shape of go-metrics' AggregateSample."""

    count: int
    rate: float
    sum: float
    min: float
    max: float
    mean: float
    stddev: float


class Series:
    """The running state of one labelled sample or counter series."""

    __slots__ = ("_interval", "_recent", "_stats", "count", "total")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0.0
        self._recent: deque[tuple[float, float]] = deque()
        self._interval = -1
        self._stats: list[float] = [0, 0.0, 0.0, math.inf, -math.inf]

    def record(self, value: float, *, now: float) -> None:
        """Add one observation (or one increment) made at `now` (seconds, monotonic)."""
        self.count += 1
        self.total += value
        recent = self._recent
        recent.append((now, value))
        if recent[0][0] <= now - WINDOW_SECONDS:  # recorded once per request: no call if fresh
            self._expire(now)
        interval = int(now // WINDOW_SECONDS)
        if interval != self._interval:
            self._interval = interval
            self._stats = [0, 0.0, 0.0, math.inf, -math.inf]
        stats = self._stats
        stats[0] += 1
        stats[1] += value
        stats[2] += value * value
        if value < stats[3]:
            stats[3] = value
        if value > stats[4]:
            stats[4] = value

    def _expire(self, now: float) -> None:
        while self._recent and self._recent[0][0] <= now - WINDOW_SECONDS:
            self._recent.popleft()

    def quantiles(self, *, now: float) -> dict[float, float]:
        """Quantiles of the observations inside the window; NaN when it is empty."""
        self._expire(now)
        values = sorted(v for _, v in self._recent)
        if not values:
            return dict.fromkeys(QUANTILES, math.nan)
        # Nearest rank, as a targeted-quantile stream answers for small sample counts.
        return {q: values[min(len(values) - 1, math.ceil(q * len(values)) - 1)] for q in QUANTILES}

    def interval_stats(self, *, now: float) -> IntervalStats | None:
        """The current interval's statistics, or None when nothing was recorded in it."""
        if self._interval != int(now // WINDOW_SECONDS):
            return None
        n, total, squares, low, high = self._stats
        count = int(n)
        mean = total / count
        variance = max(0.0, (squares - count * mean * mean) / (count - 1)) if count > 1 else 0.0
        return IntervalStats(
            count=count,
            rate=total / WINDOW_SECONDS,
            sum=total,
            min=low,
            max=high,
            mean=mean,
            stddev=math.sqrt(variance),
        )


__all__ = ["QUANTILES", "WINDOW_SECONDS", "IntervalStats", "Series"]
