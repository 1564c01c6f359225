"""rotate_due_keys: automatic rotation driven by a FakeClock (no sleeping)."""

from __future__ import annotations

from transit_harness import Transit

from strongroom.engines.transit import rotate_due_keys


async def _latest(transit: Transit, key: str) -> int:
    response = await transit.read("keys/" + key)
    assert response is not None and response.data is not None
    latest = response.data["latest_version"]
    assert isinstance(latest, int)
    return latest


async def test_rotates_only_due_keys(transit: Transit) -> None:
    await transit.write("keys/hourly", auto_rotate_period="1h")
    await transit.write("keys/daily", auto_rotate_period=86400)
    await transit.write("keys/never")
    backend = transit.backend
    assert await rotate_due_keys(transit.storage, transit.clock) == 0
    transit.clock.advance(3600)
    # OpenBao rotates once the period has strictly passed
    assert await rotate_due_keys(transit.storage, transit.clock) == 0
    transit.clock.advance(1)
    rotated = await rotate_due_keys(transit.storage, transit.clock, invalidate=backend.invalidate)
    assert rotated == 1
    assert await _latest(transit, "hourly") == 2
    assert await _latest(transit, "daily") == 1 and await _latest(transit, "never") == 1
    # the period restarts from the new version's creation time
    transit.clock.advance(1800)
    assert await rotate_due_keys(transit.storage, transit.clock) == 0
    transit.clock.advance(86400)
    assert await rotate_due_keys(transit.storage, transit.clock, invalidate=backend.invalidate) == 2
    assert await _latest(transit, "hourly") == 3 and await _latest(transit, "daily") == 2


async def test_config_enables_rotation(transit: Transit) -> None:
    await transit.write("keys/k")
    transit.clock.advance(7200)
    assert await rotate_due_keys(transit.storage, transit.clock) == 0
    await transit.write("keys/k/config", auto_rotate_period="1h")
    transit.clock.advance(1)
    assert (
        await rotate_due_keys(transit.storage, transit.clock, invalidate=transit.backend.invalidate)
        == 1
    )
    assert await _latest(transit, "k") == 2
