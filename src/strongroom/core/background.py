"""Background work owned by the unsealed state: one TaskGroup, cancelled by sealing.

No fire-and-forget tasks: every job runs inside the group; an unexpected error in a job is
logged and the job restarts after a pause, so one bad tick never kills the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

Job = Callable[[], Awaitable[None]]

_log = logging.getLogger("strongroom.core")


class Background:
    """Periodic jobs that run while the core is unsealed."""

    def __init__(self) -> None:
        self._runner: asyncio.Task[None] | None = None

    def start(self, jobs: list[tuple[str, float, Job]]) -> None:
        """Run each (name, interval seconds, job) every interval until `stop`."""
        if self._runner is not None:
            return
        self._runner = asyncio.get_running_loop().create_task(self._run(jobs))

    async def _run(self, jobs: list[tuple[str, float, Job]]) -> None:
        async with asyncio.TaskGroup() as group:
            for name, interval, job in jobs:
                group.create_task(_every(name, interval, job))

    async def stop(self) -> None:
        """Cancel every job and wait for them to finish."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        runner.cancel()
        # wait() never raises the task's CancelledError, so our own cancellation still shows.
        await asyncio.wait({runner})


async def _every(name: str, interval: float, job: Job) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await job()
        except asyncio.CancelledError:
            raise
        except Exception:
            _log.exception("background job %s failed", name)


__all__ = ["Background", "Job"]
