"""Every Storage backend passes the same conformance suite (strongroom.testing).

Adding a backend is one line in BACKENDS: a factory that returns a fresh, empty instance.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest

from strongroom.storage import CachedStorage, Entry, InmemStorage, SQLiteStorage, Storage, TxnOp
from strongroom.testing import (
    STORAGE_CHECKS,
    StorageCheck,
    StorageConformanceError,
    exercise_storage,
)

BACKENDS: dict[str, Callable[[Path], Storage]] = {
    "inmem": lambda tmp_path: InmemStorage(),
    "sqlite": lambda tmp_path: SQLiteStorage(tmp_path / "strongroom.db"),
    "cached-sqlite": lambda tmp_path: CachedStorage(
        SQLiteStorage(tmp_path / "strongroom.db"), size=8
    ),
}


@pytest.fixture(params=sorted(BACKENDS))
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Storage]:
    backend = BACKENDS[request.param](tmp_path)
    try:
        yield backend
    finally:
        await backend.close()


def test_backends_implement_the_protocol(tmp_path: Path) -> None:
    for factory in BACKENDS.values():
        assert isinstance(factory(tmp_path), Storage)


@pytest.mark.parametrize("check", STORAGE_CHECKS, ids=lambda check: check.__name__)
async def test_check(storage: Storage, check: StorageCheck) -> None:
    await check(storage)


async def test_exercise_storage(storage: Storage) -> None:
    await exercise_storage(storage)


# The suite must catch broken backends, or passing it would mean nothing.


class _FlatList(InmemStorage):
    """Lists every key under the prefix instead of its immediate children."""

    async def list(self, prefix: str) -> list[str]:
        return sorted(k[len(prefix) :] for k in self._data if k.startswith(prefix))


class _HalfTransaction(InmemStorage):
    """Applies the ops of a transaction one by one, stopping at the first bad one."""

    async def transaction(self, ops: Sequence[TxnOp]) -> None:
        for op in ops:
            if op.op == "put":
                await self.put(Entry(op.key, op.value))
            else:
                await self.delete(op.key)


@pytest.mark.parametrize("broken", [_FlatList, _HalfTransaction], ids=lambda c: c.__name__)
async def test_suite_rejects_broken_backends(broken: type[InmemStorage]) -> None:
    with pytest.raises(StorageConformanceError):
        await exercise_storage(broken())
