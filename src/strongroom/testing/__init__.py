"""Public test helpers for Strongroom and for authors of its plugins: conformance suites that
any implementation of a Protocol (Storage, and later Seal and AuditDevice) must pass.

Nothing in `strongroom` proper may import this package.
"""

from __future__ import annotations

from strongroom.testing.storage_conformance import (
    STORAGE_CHECKS,
    StorageCheck,
    StorageConformanceError,
    exercise_storage,
)

__all__ = [
    "STORAGE_CHECKS",
    "StorageCheck",
    "StorageConformanceError",
    "exercise_storage",
]
