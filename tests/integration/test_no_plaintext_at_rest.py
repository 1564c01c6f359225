"""Nothing reaches storage in the clear: scan the raw SQLite files after real use."""

from __future__ import annotations

import base64
from pathlib import Path

from strongroom.storage import Entry, SQLiteStorage
from strongroom.testing.inprocess import in_process_server

SECRET = b"correct-horse-battery-staple-4f1c2e"


def _needles(values: list[bytes]) -> list[bytes]:
    """Each value raw, hex and base64 (the encodings a careless store might use)."""
    found: list[bytes] = []
    for value in values:
        found += [value, value.hex().encode(), base64.b64encode(value).rstrip(b"=")]
    return found


async def test_sqlite_file_holds_no_secret_token_or_key(tmp_path: Path) -> None:
    db = tmp_path / "strongroom.db"
    async with in_process_server(SQLiteStorage(db), initialized=False) as server:
        await server.init_and_unseal(shares=3, threshold=2)
        # A secret written through the barrier, as every engine will write.
        await server.core.barrier.put(Entry("logical/test/secret", SECRET))
        await server.client.put("/v1/sys/rotate", headers=server.auth())
        root_key = server.core.barrier.root_key
        keyring_keys = [
            server.core.barrier._keyring.term(term).value  # type: ignore[union-attr]
            for term in (1, 2)
        ]
        assert (await server.core.barrier.get("logical/test/secret")) == Entry(
            "logical/test/secret", SECRET
        )
        token = server.root_token.encode()
        shares = list(server.unseal_keys)
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("strongroom.db"))
    assert len(raw) > 0
    for needle in _needles([SECRET, token, token[4:], root_key, *keyring_keys, *shares]):
        assert needle not in raw, "plaintext found in the SQLite files"
