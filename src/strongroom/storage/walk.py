"""Walking a storage tree: every leaf key under a prefix (depth first, in list order)."""

from __future__ import annotations

from strongroom.storage._protocol import Storage


async def walk_keys(storage: Storage, prefix: str = "") -> list[str]:
    """The full keys of every entry under `prefix` (which is empty or ends with `/`)."""
    found: list[str] = []
    for key in await storage.list(prefix):
        if key.endswith("/"):
            found += await walk_keys(storage, prefix + key)
        else:
            found.append(prefix + key)
    return found


__all__ = ["walk_keys"]
