"""Which request headers audit records carry (`sys/config/auditing/request-headers`), and
whether their values are HMAC'd. Stored inside the barrier at `core/audited-headers`."""

from __future__ import annotations

import json
from collections.abc import Mapping

from strongroom.storage import Entry, Storage

PATH = "core/audited-headers"
_NONE: frozenset[str] = frozenset()


class AuditedHeaders:
    """Header name (lower case) -> hmac flag."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self.headers: dict[str, bool] = {}

    async def load(self) -> None:
        stored = await self._storage.get(PATH)
        self.headers = (
            {} if stored is None else {k: bool(v) for k, v in json.loads(stored.value).items()}
        )

    async def set(self, name: str, hmac: bool) -> None:
        self.headers[name.lower()] = hmac
        await self._save()

    async def delete(self, name: str) -> None:
        self.headers.pop(name.lower(), None)
        await self._save()

    async def _save(self) -> None:
        await self._storage.put(Entry(PATH, json.dumps(self.headers).encode()))

    def select(self, request_headers: Mapping[str, str]) -> tuple[dict[str, str], frozenset[str]]:
        """(the audited headers of a request, the names logged without HMAC)."""
        if not self.headers:  # the usual case: nothing configured, nothing to scan
            return {}, _NONE
        chosen = {k: v for k, v in request_headers.items() if k in self.headers}
        plain = frozenset(k for k in chosen if not self.headers[k])
        return chosen, plain


__all__ = ["AuditedHeaders"]
