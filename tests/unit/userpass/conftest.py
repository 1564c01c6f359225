"""Fixtures for the userpass unit tests: a FakeClock, a counting bcrypt hasher at the lowest
cost and a userpass backend over inmem storage."""

from __future__ import annotations

import pytest
from userpass_harness import UP, CountingHasher

from strongroom.auth.userpass import userpass_backend
from strongroom.storage import InmemStorage
from strongroom.testing.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def hasher() -> CountingHasher:
    return CountingHasher()


@pytest.fixture
def up(clock: FakeClock, hasher: CountingHasher) -> UP:
    return UP(userpass_backend(clock=clock, hasher=hasher), InmemStorage(), clock, hasher)
