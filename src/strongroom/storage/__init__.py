"""Physical storage: the `Storage` Protocol, its optional capabilities (`HAStorage`,
`Invalidating`), the built-in backends, and `open_storage`, which turns a config
`storage "<kind>" { ... }` block into a backend.

This package stores opaque bytes under string keys. It knows nothing about encryption: the
barrier above it only ever hands it ciphertext.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from strongroom.errors import ConfigError
from strongroom.storage._protocol import (
    Entry,
    HALock,
    HAStorage,
    InvalidateCallback,
    Invalidating,
    Storage,
    TxnOp,
)
from strongroom.storage.cache import DEFAULT_CACHE_SIZE, CachedStorage
from strongroom.storage.decoded import get_decoded
from strongroom.storage.inmem import InmemStorage
from strongroom.storage.sqlite import SQLiteStorage
from strongroom.storage.walk import walk_keys


def _open_inmem(options: Mapping[str, str]) -> Storage:
    if options:
        raise ConfigError(f'storage "inmem": unknown option "{sorted(options)[0]}"')
    return InmemStorage()


_BACKENDS: dict[str, Callable[[Mapping[str, str]], Storage]] = {
    "inmem": _open_inmem,
    "sqlite": SQLiteStorage.from_options,
}


def open_storage(kind: str, options: Mapping[str, str]) -> Storage:
    """The backend for `storage "<kind>" { <options> }`. Opens nothing yet: disk backends
    connect on first use. Raises ConfigError for an unknown kind or bad options."""
    factory = _BACKENDS.get(kind)
    if factory is None:
        supported = ", ".join(sorted(_BACKENDS))
        raise ConfigError(f'storage type "{kind}" is not supported (supported: {supported})')
    return factory(options)


__all__ = [
    "DEFAULT_CACHE_SIZE",
    "CachedStorage",
    "Entry",
    "HALock",
    "HAStorage",
    "InmemStorage",
    "InvalidateCallback",
    "Invalidating",
    "SQLiteStorage",
    "Storage",
    "TxnOp",
    "get_decoded",
    "open_storage",
    "walk_keys",
]
