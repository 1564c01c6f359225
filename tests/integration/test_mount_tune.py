"""Tuning a mount through the API: what happens to the backend that serves it."""

from __future__ import annotations

from strongroom.testing.inprocess import in_process_server


async def test_a_tune_that_replaces_a_backend_lets_the_old_one_release_what_it_holds() -> None:
    # A database mount's backend holds connections: a tune that changes its options builds a
    # new backend, and the old one is cleaned (its connections closed), not leaked.
    async with in_process_server() as server:
        enabled = await server.client.post(
            "/v1/sys/mounts/db", json={"type": "database"}, headers=server.auth()
        )
        assert enabled.status_code == 204
        matched = server.core.router.match("db/")
        assert matched is not None
        old = matched[0].backend
        cleaned: list[str] = []

        async def clean() -> None:
            cleaned.append("old")

        old.clean = clean
        same = await server.client.post(
            "/v1/sys/mounts/db/tune", json={"default_lease_ttl": "1h"}, headers=server.auth()
        )
        assert same.status_code == 204 and cleaned == []  # same options: the same backend
        changed = await server.client.post(
            "/v1/sys/mounts/db/tune", json={"options": {"x": "y"}}, headers=server.auth()
        )
        assert changed.status_code == 204 and cleaned == ["old"]
        now = server.core.router.match("db/")
        assert now is not None and now[0].backend is not old
