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
