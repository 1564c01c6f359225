"""Fixtures for the AppRole unit tests: a FakeClock, inmem storage and an AppRole backend."""

from __future__ import annotations

import pytest
from approle_harness import START, AppRole

from strongroom.auth.approle import approle_backend
from strongroom.storage import InmemStorage
from strongroom.testing.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def approle(clock: FakeClock) -> AppRole:
    return AppRole(approle_backend(clock=clock), InmemStorage(), clock)
