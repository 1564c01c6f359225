"""audit/_worker.py: jobs run in order on one thread, which yields the CPU to the loop."""

from __future__ import annotations

import os
import threading

import pytest

from strongroom.audit._worker import Worker


async def test_jobs_run_in_order_on_one_thread_and_errors_come_back() -> None:
    worker = Worker("audit-test")
    seen: list[tuple[int, int]] = []
    try:
        for n in range(5):
            await worker.run(lambda n=n: seen.append((n, threading.get_native_id())))
        with pytest.raises(ZeroDivisionError):
            await worker.run(lambda: 1 // 0)
    finally:
        worker.stop()
    assert [n for n, _ in seen] == [0, 1, 2, 3, 4]
    assert len({tid for _, tid in seen}) == 1
    assert seen[0][1] != threading.get_native_id()


@pytest.mark.skipif(not hasattr(os, "SCHED_BATCH"), reason="SCHED_BATCH is Linux's")
async def test_the_thread_runs_under_sched_batch() -> None:
    # So a new job does not preempt the event loop's thread (which holds the GIL).
    worker = Worker("audit-test")
    try:
        policy = await worker.run(os.sched_getscheduler, 0)  # 0: the calling thread
    finally:
        worker.stop()
    assert policy == os.SCHED_BATCH
    assert os.sched_getscheduler(0) != os.SCHED_BATCH  # the caller's own is unchanged
