"""sys/loggers: read and change log levels at run time."""

from __future__ import annotations

import logging

from strongroom.testing.inprocess import in_process_server


async def test_read_set_and_reset_log_levels() -> None:
    async with in_process_server() as server:
        before = (await server.client.get("/v1/sys/loggers", headers=server.auth())).json()["data"]
        assert "core" in before
        assert (
            await server.client.post(
                "/v1/sys/loggers/core", json={"level": "debug"}, headers=server.auth()
            )
        ).status_code == 204
        one = (await server.client.get("/v1/sys/loggers/core", headers=server.auth())).json()
        assert one["data"] == {"core": "debug"}
        assert logging.getLogger("strongroom.core").isEnabledFor(logging.DEBUG)
        bad = await server.client.post(
            "/v1/sys/loggers", json={"level": "loud"}, headers=server.auth()
        )
        assert (bad.status_code, bad.json()) == (
            400,
            {"errors": ["invalid level provided: unknown log level: loud"]},
        )
        assert (
            await server.client.delete("/v1/sys/loggers", headers=server.auth())
        ).status_code == 204
        assert logging.getLogger("strongroom.core").level == logging.NOTSET
