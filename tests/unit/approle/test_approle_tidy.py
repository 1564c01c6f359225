"""`tidy/secret-id`: expired secret IDs, dangling accessors and the secret IDs of deleted roles
are removed; live ones stay. Answers 202 with OpenBao's warning."""

from __future__ import annotations

from approle_harness import AppRole

from strongroom.storage import Entry, TxnOp

WARNING = (
    "Tidy operation successfully started. Any information from the operation will be printed "
    "to OpenBao's server logs."
)


async def _tidy(approle: AppRole) -> None:
    response = await approle.write("tidy/secret-id")
    assert response is not None
    assert (response.status, response.data, response.warnings) == (202, None, (WARNING,))


async def test_tidy_removes_expired_secret_ids_only(approle: AppRole) -> None:
    await approle.role("r", secret_id_ttl="1m")
    _expired, expired_accessor = await approle.secret_id("r", ttl=10)
    live, live_accessor = await approle.secret_id("r")
    await approle.role("forever")
    kept, kept_accessor = await approle.secret_id("forever")
    approle.clock.advance(11)
    listed = await approle.list("role/r/secret-id")
    assert listed is not None and listed.data is not None
    assert sorted(listed.data["keys"]) == sorted([expired_accessor, live_accessor])
    await _tidy(approle)
    listed = await approle.list("role/r/secret-id")
    assert listed is not None and listed.data == {"keys": [live_accessor]}
    assert await approle.write("role/r/secret-id/lookup", secret_id=live) is not None
    assert await approle.write("role/forever/secret-id/lookup", secret_id=kept) is not None
    approle.clock.advance(3600)
    await _tidy(approle)
    assert await approle.list("role/r/secret-id") is None
    listed = await approle.list("role/forever/secret-id")
    assert listed is not None and listed.data == {"keys": [kept_accessor]}


async def test_tidy_on_an_empty_mount(approle: AppRole) -> None:
    await _tidy(approle)
    assert await approle.stored() == {}


async def test_tidy_removes_dangling_entries(approle: AppRole) -> None:
    await approle.role("r")
    _live, live_accessor = await approle.secret_id("r")
    # leftovers a crash or an older layout could leave behind
    await approle.storage.transaction(
        [
            TxnOp("put", "accessor/r/dangling", b'{"secret_id_hmac": "gone"}'),
            TxnOp("put", "accessor/deleted/acc", b'{"secret_id_hmac": "x"}'),
        ]
    )
    await approle.storage.put(
        Entry(
            "secret_id/deleted/x",
            b'{"accessor": "acc", "cidr_list": [], "creation_time": 0, "expiration_time": 0, '
            b'"last_updated_time": 0, "metadata": {}, "num_uses": 0, "secret_id_hmac": "x", '
            b'"token_bound_cidrs": [], "ttl": 0}',
        )
    )
    await _tidy(approle)
    stored = await approle.stored()
    assert not [k for k in stored if "deleted" in k or "dangling" in k]
    listed = await approle.list("role/r/secret-id")
    assert listed is not None and listed.data == {"keys": [live_accessor]}
