"""`users/` and `users/:username`: CRUD, list, existence, deprecated aliases and the read
shape, as observed on OpenBao 2.7."""

from __future__ import annotations

import orjson
import pytest
from userpass_harness import UP, raises_exactly, token_defaults

from strongroom.auth.userpass._messages import (
    ERR_PASSWORD_EXCLUSIVE,
    ERR_PASSWORD_REQUIRED,
    ERR_PASSWORD_TOO_LONG,
    ERR_STRICT_BIND_CONFLICT,
)
from strongroom.errors import InvalidRequest, UnsupportedOperation
from strongroom.logical import Operation


async def test_create_then_read_returns_the_token_fields(up: UP) -> None:
    await up.create("alice", password="pw")
    assert await up.user("alice") == token_defaults()


async def test_create_without_a_password_is_refused(up: UP) -> None:
    with raises_exactly(InvalidRequest, ERR_PASSWORD_REQUIRED):
        await up.create("alice", token_ttl="1h")
    with raises_exactly(InvalidRequest, ERR_PASSWORD_REQUIRED):
        await up.create("alice", password="", password_hash="")
    assert await up.call(Operation.READ, "users/alice") is None


async def test_password_and_password_hash_are_exclusive(up: UP) -> None:
    with raises_exactly(InvalidRequest, ERR_PASSWORD_EXCLUSIVE):
        await up.create("alice", password="pw", password_hash="$2b$10$" + "a" * 53)


async def test_password_longer_than_bcrypt_reads_is_refused(up: UP) -> None:
    with raises_exactly(InvalidRequest, ERR_PASSWORD_TOO_LONG):
        await up.create("alice", password="x" * 73)
    await up.create("alice", password="é" * 36)  # 72 bytes exactly


async def test_usernames_are_case_insensitive(up: UP) -> None:
    await up.create("Alice", password="pw")
    assert await up.user("ALICE") == token_defaults()
    assert await up.exists("users/aLiCe") is True
    listed = await up.call(Operation.LIST, "users/")
    assert listed is not None
    assert listed.data == {"keys": ["alice"]}
    await up.call(Operation.DELETE, "users/ALICE")
    assert await up.exists("users/alice") is False


async def test_list_is_sorted_and_404_when_empty(up: UP) -> None:
    assert await up.call(Operation.LIST, "users/") is None
    for username in ("carol", "alice", "bob"):
        await up.create(username, password="pw")
    listed = await up.call(Operation.LIST, "users/")
    assert listed is not None
    assert listed.data == {"keys": ["alice", "bob", "carol"]}


async def test_read_and_delete_of_an_unknown_user(up: UP) -> None:
    assert await up.call(Operation.READ, "users/nobody") is None
    assert await up.call(Operation.DELETE, "users/nobody") is None


async def test_existence_check(up: UP) -> None:
    assert await up.exists("users/alice") is False
    await up.create("alice", password="pw")
    assert await up.exists("users/alice") is True
    assert await up.exists("users/alice/password") is None
    assert await up.exists("nowhere") is None


async def test_update_changes_only_what_it_names(up: UP) -> None:
    await up.create("alice", password="pw", token_ttl="1h", token_policies="a")
    await up.update("users/alice", token_num_uses=3)
    assert await up.user("alice") == token_defaults(
        token_ttl=3600, token_policies=["a"], token_num_uses=3
    )
    assert (await up.login("alice", password="pw")).auth is not None


async def test_update_with_an_empty_password_keeps_the_old_one(up: UP) -> None:
    await up.create("alice", password="pw")
    await up.update("users/alice", password="")
    assert (await up.login("alice", password="pw")).auth is not None


async def test_update_can_set_a_new_password(up: UP) -> None:
    await up.create("alice", password="old")
    await up.update("users/alice", password="new")
    assert (await up.login("alice", password="new")).auth is not None
    with pytest.raises(InvalidRequest):
        await up.login("alice", password="old")


async def test_read_never_shows_the_password_or_its_hash(up: UP) -> None:
    await up.create("alice", password="hunter2-secret")
    stored = await up.storage.get("user/alice")
    assert stored is not None
    digest = orjson.loads(stored.value)["password_hash"]
    assert digest.startswith("$2b$04$")
    assert b"hunter2-secret" not in stored.value
    response = await up.call(Operation.READ, "users/alice")
    assert response is not None
    text = repr(response) + orjson.dumps(response.data).decode()
    assert "hunter2" not in text
    assert digest not in text
    assert "$2b$" not in text
    assert "password" not in (response.data or {})


async def test_token_policies_are_kept_as_sent(up: UP) -> None:
    # vault-compat: OpenBao shows token_policies in the order and case they were written.
    await up.create("alice", password="pw", token_policies="Zed,b,a")
    assert await up.user("alice") == token_defaults(token_policies=["Zed", "b", "a"])


async def test_deprecated_policies_alias(up: UP) -> None:
    await up.create("alice", password="pw", policies="Zed, b,a,a,default")
    parsed = ["a", "b", "default", "zed"]
    assert await up.user("alice") == token_defaults(token_policies=parsed, policies=parsed)
    await up.update("users/alice", token_policies="x")
    assert await up.user("alice") == token_defaults(token_policies=["x"])
    await up.update("users/alice", policies="q", token_policies="r")
    assert await up.user("alice") == token_defaults(token_policies=["r"], policies=["r"])
    await up.update("users/alice", token_ttl=60)
    assert (await up.user("alice"))["policies"] == ["r"]


async def test_deprecated_policies_naming_root_collapse_to_root(up: UP) -> None:
    await up.create("alice", password="pw", policies="root,a")
    assert (await up.user("alice"))["token_policies"] == ["root"]


async def test_deprecated_ttl_aliases(up: UP) -> None:
    await up.create("alice", password="pw", ttl="60", max_ttl="2m")
    assert await up.user("alice") == token_defaults(
        token_ttl=60, ttl=60, token_max_ttl=120, max_ttl=120
    )
    await up.update("users/alice", ttl="5", token_ttl="7")
    body = await up.user("alice")
    assert (body["token_ttl"], body["ttl"]) == (7, 7)
    await up.update("users/alice", token_ttl="9")
    body = await up.user("alice")
    assert body["token_ttl"] == 9
    assert "ttl" not in body
    await up.update("users/alice", ttl=0)
    assert "ttl" not in await up.user("alice")


async def test_deprecated_bound_cidrs_alias(up: UP) -> None:
    await up.create("alice", password="pw", bound_cidrs="127.0.0.1/32")
    assert await up.user("alice") == token_defaults(
        token_bound_cidrs=["127.0.0.1"], bound_cidrs=["127.0.0.1"]
    )
    await up.update("users/alice", bound_cidrs="127.0.0.1/32", token_bound_cidrs="10.0.0.0/8")
    body = await up.user("alice")
    assert body["token_bound_cidrs"] == body["bound_cidrs"] == ["10.0.0.0/8"]


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("127.0.0.1/32", "127.0.0.1"),
        ("10.0.0.1", "10.0.0.1"),
        ("10.0.0.5/8", "10.0.0.5/8"),
        ("::1/128", "::1"),
        ("2001:DB8::1/64", "2001:db8::1/64"),
    ],
)
async def test_bound_cidrs_render_as_openbao_does(up: UP, sent: str, shown: str) -> None:
    await up.create("alice", password="pw", token_bound_cidrs=[sent])
    assert (await up.user("alice"))["token_bound_cidrs"] == [shown]


async def test_strictly_bind_ip_is_stored_and_conflicts_with_bound_cidrs(up: UP) -> None:
    await up.create("alice", password="pw", token_strictly_bind_ip=True)
    assert await up.user("alice") == token_defaults(token_strictly_bind_ip=True)
    with raises_exactly(InvalidRequest, ERR_STRICT_BIND_CONFLICT):
        await up.update("users/alice", token_bound_cidrs="10.0.0.1")
    with raises_exactly(InvalidRequest, ERR_STRICT_BIND_CONFLICT):
        await up.create("bob", password="pw", token_strictly_bind_ip=True, bound_cidrs="::1")
    await up.update("users/alice", token_strictly_bind_ip=False, token_bound_cidrs="10.0.0.1")
    assert await up.user("alice") == token_defaults(token_bound_cidrs=["10.0.0.1"])


async def test_a_refused_update_leaves_the_user_unchanged(up: UP) -> None:
    await up.create("alice", password="pw", token_ttl="1h")
    hashes = up.hasher.hashes
    with pytest.raises(InvalidRequest):
        await up.update("users/alice", password="new", token_type="bogus")
    assert up.hasher.hashes == hashes  # settings are checked before any hashing
    assert await up.user("alice") == token_defaults(token_ttl=3600)
    assert (await up.login("alice", password="pw")).auth is not None


async def test_unsupported_operations(up: UP) -> None:
    with pytest.raises(UnsupportedOperation):
        await up.call(Operation.READ, "users/alice/password")
    with pytest.raises(UnsupportedOperation):
        await up.call(Operation.LIST, "users/alice")


async def test_the_hash_is_computed_off_the_event_loop_thread(up: UP) -> None:
    import threading

    await up.create("alice", password="pw")
    assert up.hasher.threads
    assert threading.get_ident() not in up.hasher.threads
