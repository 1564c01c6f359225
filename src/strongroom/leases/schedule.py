"""When leases are due: a min-heap of (due time, lease id) with lazy deletion, and the retry
backoff of failed revocations. Pure: time comes in as arguments."""

from __future__ import annotations

import heapq

BACKOFF_BASE = 1.0
BACKOFF_MAX = 300.0


def backoff(attempts: int) -> float:
    """Seconds before retry number `attempts` (1, 2, 4 ... capped at five minutes)."""
    return float(min(BACKOFF_MAX, BACKOFF_BASE * 2.0 ** max(0, attempts - 1)))


class Schedule:
    """Lease ids ordered by when they are due."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, str]] = []
        self._due: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self._due)

    def set(self, lease_id: str, due: float) -> None:
        self._due[lease_id] = due
        heapq.heappush(self._heap, (due, lease_id))

    def remove(self, lease_id: str) -> None:
        self._due.pop(lease_id, None)

    def next_due(self) -> float | None:
        while self._heap:
            due, lease_id = self._heap[0]
            if self._due.get(lease_id) == due:
                return due
            heapq.heappop(self._heap)
        return None

    def pop_due(self, now: float) -> list[str]:
        """Lease ids whose time has come (each removed from the schedule)."""
        ready: list[str] = []
        while self._heap and self._heap[0][0] <= now:
            due, lease_id = heapq.heappop(self._heap)
            if self._due.get(lease_id) == due:
                del self._due[lease_id]
                ready.append(lease_id)
        return ready


__all__ = ["BACKOFF_MAX", "Schedule", "backoff"]
