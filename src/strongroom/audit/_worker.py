"""`Worker`: the one thread that runs a device's blocking jobs, in the order they were given,
and hands each result back to the event loop.

It replaces `loop.run_in_executor` on a one-thread pool, which the audit path pays once per
batch of records: a `concurrent.futures.Future` (with its Condition), a work item, the pool's
idle-thread check and the chaining into an asyncio future, on both threads. Here a job costs
one `SimpleQueue.put` going out and one `call_soon_threadsafe` coming back.

On Linux the thread runs under SCHED_BATCH: woken by a new job, it does not preempt the
event loop's thread, only to find the GIL held and switch straight back; it runs when that
thread waits for I/O or its time slice ends. That halved the context switches' share of
the server's CPU under load (docs/performance.md) without moving p99 latency.

Must not: know what the jobs do, or drop one (a job given before `stop` always runs).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from queue import SimpleQueue
from typing import TypeVar

T = TypeVar("T")
Done = Callable[[T | None, BaseException | None], None]
_Job = tuple[Callable[..., object], tuple[object, ...], asyncio.AbstractEventLoop, Done[object]]


class Worker:
    """Runs jobs on its own daemon thread, started with the first job."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._jobs: SimpleQueue[_Job | None] = SimpleQueue()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def submit(
        self,
        loop: asyncio.AbstractEventLoop,
        fn: Callable[..., T],
        args: tuple[object, ...],
        done: Done[T],
    ) -> None:
        """Run `fn(*args)` after every job given before it, then `done(result, None)` or
        `done(None, error)` on `loop`. RuntimeError once stopped."""
        if self._stopped:
            raise RuntimeError(f"{self._name}: stopped")
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name=self._name, daemon=True)
            self._thread.start()
        self._jobs.put((fn, args, loop, done))  # type: ignore[arg-type]

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """`fn(*args)` on the thread, in order with the other jobs."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()

        def done(result: T | None, error: BaseException | None) -> None:
            if future.done():
                return  # the caller was cancelled
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)  # type: ignore[arg-type]

        self.submit(loop, fn, args, done)
        return await future

    def stop(self) -> None:
        """End the thread once the jobs already given have run."""
        if not self._stopped:
            self._stopped = True
            if self._thread is not None:
                self._jobs.put(None)

    def _work(self) -> None:
        _run_as_batch()
        jobs = self._jobs
        while True:
            job = jobs.get()
            if job is None:
                return
            fn, args, loop, done = job
            result: object = None
            error: BaseException | None = None
            try:
                result = fn(*args)
            except BaseException as exc:  # handed to the loop, where the caller raises it
                error = exc
            try:
                loop.call_soon_threadsafe(done, result, error)
            except RuntimeError:
                pass  # the loop is closed: nobody waits for this any more


def _run_as_batch() -> None:
    """Put the calling thread under SCHED_BATCH where the platform has it (no privilege is
    needed to lower a thread's claim on the CPU); elsewhere, or if refused, leave it be."""
    if not hasattr(os, "SCHED_BATCH"):
        return
    try:
        os.sched_setscheduler(threading.get_native_id(), os.SCHED_BATCH, os.sched_param(0))
    except OSError:
        pass


__all__ = ["Worker"]
