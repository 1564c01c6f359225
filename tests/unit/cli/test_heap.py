"""cli/heap.py: what the server freezes after starting and unsealing, and thaws on seal."""

from __future__ import annotations

import gc

from strongroom.cli import heap


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_settle_collects_garbage_then_freezes_the_rest_and_thaw_undoes_it() -> None:
    assert gc.get_freeze_count() == 0
    try:
        _Cycle()  # unreachable, only a collection frees it
        kept = _Cycle()
        heap.settle()
        assert gc.get_freeze_count() > 0
        assert not any(isinstance(o, _Cycle) for o in gc.get_objects())  # frozen: not tracked
    finally:
        heap.thaw()
    assert gc.get_freeze_count() == 0
    assert [o for o in gc.get_objects() if isinstance(o, _Cycle)] == [kept]


def test_refresh_collects_frozen_objects_that_became_garbage() -> None:
    try:
        held = [_Cycle()]
        heap.settle()
        held.clear()  # the frozen cycle is now garbage, which a frozen object stays
        assert not any(isinstance(o, _Cycle) for o in gc.get_objects())
        heap.refresh()
        assert gc.get_freeze_count() > 0
    finally:
        heap.thaw()
    assert not any(isinstance(o, _Cycle) for o in gc.get_objects())  # collected, not thawed


async def test_refresh_every_runs_until_cancelled() -> None:
    import asyncio

    task = asyncio.get_running_loop().create_task(heap.refresh_every(0.01))
    try:
        await asyncio.sleep(0.05)
        assert gc.get_freeze_count() > 0
    finally:
        task.cancel()
        heap.thaw()
    assert gc.get_freeze_count() == 0
