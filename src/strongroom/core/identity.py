"""The minimum of identity that logins need: one entity per login identity, found by its
alias (auth mount accessor + alias name), so `auth.entity_id` is filled as clients expect.

Layout inside the identity view: `entity/<id>` (JSON), `alias/<mount accessor>/<name>` -> id.
"""

from __future__ import annotations

import json
import uuid

from strongroom.clock import Clock
from strongroom.storage import Entry, Storage, TxnOp


class IdentityStore:
    """Entities and aliases, persisted in the barrier."""

    def __init__(self, view: Storage, *, clock: Clock) -> None:
        self._view = view
        self._clock = clock
        self._aliases: dict[tuple[str, str], str] = {}

    async def entity_for(self, mount_accessor: str, mount_type: str, alias_name: str) -> str:
        """The entity id behind an alias, creating entity and alias on first login."""
        key = (mount_accessor, alias_name.lower())
        cached = self._aliases.get(key)
        if cached is not None:
            return cached
        alias_key = f"alias/{mount_accessor}/{alias_name.lower()}"
        stored = await self._view.get(alias_key)
        if stored is not None:
            entity_id = stored.value.decode()
        else:
            entity_id = str(uuid.uuid4())
            entity = {
                "id": entity_id,
                "name": f"entity_{entity_id[:8]}",
                "creation_time": self._clock.now(),
                "aliases": [
                    {"mount_accessor": mount_accessor, "mount_type": mount_type, "name": alias_name}
                ],
            }
            await self._view.transaction(
                [
                    TxnOp("put", f"entity/{entity_id}", json.dumps(entity).encode()),
                    TxnOp("put", alias_key, entity_id.encode()),
                ]
            )
        self._aliases[key] = entity_id
        return entity_id

    async def entity(self, entity_id: str) -> dict[str, object] | None:
        stored = await self._view.get(f"entity/{entity_id}")
        return None if stored is None else dict(json.loads(stored.value))

    async def put_entity(self, entity: dict[str, object]) -> None:
        await self._view.put(Entry(f"entity/{entity['id']}", json.dumps(entity).encode()))

    def invalidate(self, key: str) -> None:
        if key.startswith("alias/"):
            self._aliases.clear()


__all__ = ["IdentityStore"]
