"""Pure aggregation of samples and counters; no clock of its own, no I/O.

`Series` keeps what both renderings need: cumulative sum and count for Prometheus,
observations inside a sliding window for Prometheus quantiles (go-metrics' sink builds
its summaries with a 10 s max age and objectives 0.5/0.9/0.99), and the statistics of
the current interval for the JSON format (go-metrics' inmem sink, 10 s intervals).
"""

from __future__ import annotations

import math
from array import array
from collections import deque
from dataclasses import dataclass
from itertools import chain

# vault-compat: go-metrics defaults (inmem interval 10 s; prometheus summary MaxAge 10 s).
WINDOW_SECONDS = 10.0
QUANTILES = (0.5, 0.9, 0.99)
_BUCKET_SECONDS = 1.0  # WINDOW_SECONDS is a whole number of these


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
    """The running state of one labelled sample or counter series.

    The window's observations are kept in one-second buckets of packed doubles (8 bytes
    each; a tuple per observation cost about 100 bytes and a tracked object, so under load
    the window held tens of megabytes): a bucket goes whole once its first second is
    `WINDOW_SECONDS` old, so an observation counts for between 9 and 10 seconds, as the
    Prometheus client's age buckets make it 8 to 10.
    """

    __slots__ = ("_bucket", "_interval", "_recent", "_stats", "_tick", "count", "total")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0.0
        self._recent: deque[tuple[int, array[float]]] = deque()  # (second, observations)
        self._tick = -1  # the second of the newest bucket
        self._bucket: array[float] = array("d")
        self._interval = -1
        self._stats: list[float] = [0, 0.0, 0.0, math.inf, -math.inf]

    def record(self, value: float, *, now: float) -> None:
        """Add one observation (or one increment) made at `now` (seconds, monotonic)."""
        self.count += 1
        self.total += value
        tick = int(now // _BUCKET_SECONDS)
        if tick != self._tick:  # a new second: a new bucket, maybe a new interval
            self._tick = tick
            self._bucket = array("d")
            self._recent.append((tick, self._bucket))
            self._expire(now)
            interval = int(now // WINDOW_SECONDS)
            if interval != self._interval:
                self._interval = interval
                self._stats = [0, 0.0, 0.0, math.inf, -math.inf]
        self._bucket.append(value)
        stats = self._stats
        stats[0] += 1
        stats[1] += value
        stats[2] += value * value
        if value < stats[3]:
            stats[3] = value
        if value > stats[4]:
            stats[4] = value

    def _expire(self, now: float) -> None:
        recent = self._recent
        oldest = (now - WINDOW_SECONDS) / _BUCKET_SECONDS
        while recent and recent[0][0] <= oldest:
            recent.popleft()

    def quantiles(self, *, now: float) -> dict[float, float]:
        """Quantiles of the observations inside the window; NaN when it is empty."""
        self._expire(now)
        values = sorted(chain.from_iterable(bucket for _, bucket in self._recent))
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
