"""Fixtures for the transit engine unit tests."""

from __future__ import annotations

import pytest
from transit_harness import START, Transit

from strongroom.engines.transit import transit_backend
from strongroom.storage import InmemStorage
from strongroom.testing.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def transit(clock: FakeClock) -> Transit:
    return Transit(transit_backend(clock=clock), InmemStorage(), clock)
