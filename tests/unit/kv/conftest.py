"""Fixtures for the kv engine unit tests: a FakeClock, inmem storage and kv v1/v2 backends."""

from __future__ import annotations

import pytest
from kv_harness import KV, START

from strongroom.engines.kv import kv_backend
from strongroom.storage import InmemStorage
from strongroom.testing.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def kv2(clock: FakeClock) -> KV:
    return KV(kv_backend({"version": "2"}, clock=clock), InmemStorage(), clock)


@pytest.fixture
def kv1(clock: FakeClock) -> KV:
    return KV(kv_backend({}, clock=clock), InmemStorage(), clock)
