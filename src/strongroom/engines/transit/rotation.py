"""Automatic rotation: keys with an `auto_rotate_period` get a new version once the period has
passed since their latest version was created (OpenBao's periodic auto-rotate check).

This module only decides and writes; scheduling belongs to the caller (the unsealed state's
task group calls `rotate_due_keys` periodically). It does not share a mount's parsed-key
cache, so a caller holding the mount's backend passes `invalidate=backend.invalidate`.
"""

from __future__ import annotations

from collections.abc import Callable

import orjson

from strongroom.clock import Clock
from strongroom.engines.transit import _crypto
from strongroom.engines.transit._context import POLICY_PREFIX, list_names
from strongroom.engines.transit._policy import Policy
from strongroom.storage import Entry, Storage


def is_due(policy: Policy, now_ns: int) -> bool:
    """Whether the period has elapsed, strictly, since the latest version was created."""
    if policy.auto_rotate_period <= 0:
        return False
    latest = policy.version(policy.latest_version)
    if latest is None:
        return False
    return now_ns > latest.created_ns + policy.auto_rotate_period * 1_000_000_000


async def rotate_due_keys(
    storage: Storage,
    clock: Clock,
    *,
    invalidate: Callable[[str], None] | None = None,
) -> int:
    """Rotate every key of the mount whose auto_rotate_period has elapsed; the number rotated.

    `storage` is the mount's view. `invalidate` is told the storage key of each rotated
    policy so a live backend drops its cached copy.
    """
    now_ns = int(clock.now() * 1_000_000_000)
    rotated = 0
    for key_name in await list_names(storage):
        entry = await storage.get(POLICY_PREFIX + key_name)
        if entry is None:
            continue
        policy = Policy.from_json(orjson.loads(entry.value))
        if not is_due(policy, now_ns):
            continue
        version = _crypto.generate(policy.type, now_ns, policy.key_size)
        policy = policy.with_version(version)
        await storage.put(Entry(POLICY_PREFIX + key_name, orjson.dumps(policy.to_json())))
        if invalidate is not None:
            invalidate(POLICY_PREFIX + key_name)
        rotated += 1
    return rotated


__all__ = ["is_due", "rotate_due_keys"]
