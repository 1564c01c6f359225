"""`users/:username/policies`: here token_policies is parsed as policy names too."""

from __future__ import annotations

from userpass_harness import UP, raises_exactly, token_defaults

from strongroom.auth.userpass._messages import ERR_NO_SUCH_USER
from strongroom.errors import InvalidRequest


async def test_token_policies_are_parsed_and_replace_the_old_ones(up: UP) -> None:
    await up.create("alice", password="pw", token_policies="old", token_ttl="1m")
    assert await up.update("users/alice/policies", token_policies="Q,p,,p") is None
    assert await up.user("alice") == token_defaults(token_policies=["p", "q"], token_ttl=60)
    auth = (await up.login("alice", password="pw")).auth
    assert auth is not None
    assert auth.policies == ("p", "q")


async def test_root_collapses_and_empty_clears(up: UP) -> None:
    await up.create("alice", password="pw", token_policies="a")
    await up.update("users/alice/policies", token_policies="root,a,A")
    assert (await up.user("alice"))["token_policies"] == ["root"]
    await up.update("users/alice/policies", token_policies="")
    assert (await up.user("alice"))["token_policies"] == []


async def test_deprecated_policies_field(up: UP) -> None:
    await up.create("alice", password="pw", token_policies="a")
    await up.update("users/alice/policies", policies="Q,p")
    assert await up.user("alice") == token_defaults(token_policies=["p", "q"], policies=["p", "q"])
    await up.update("users/alice/policies", policies="zz", token_policies="yy,xx")
    body = await up.user("alice")
    assert body["token_policies"] == body["policies"] == ["xx", "yy"]
    await up.update("users/alice/policies", token_policies="x")
    assert await up.user("alice") == token_defaults(token_policies=["x"])


async def test_an_empty_request_changes_nothing(up: UP) -> None:
    await up.create("alice", password="pw", policies="b,a")
    before = await up.user("alice")
    await up.update("users/alice/policies")
    assert await up.user("alice") == before


async def test_other_settings_are_untouched(up: UP) -> None:
    await up.create("alice", password="pw", token_strictly_bind_ip=True, ttl="1h")
    await up.update("users/alice/policies", token_policies="a")
    assert await up.user("alice") == token_defaults(
        token_policies=["a"], token_strictly_bind_ip=True, token_ttl=3600, ttl=3600
    )


async def test_unknown_user(up: UP) -> None:
    # OpenBao answers 500 "1 error occurred: username does not exist"; 400 here.
    with raises_exactly(InvalidRequest, ERR_NO_SUCH_USER):
        await up.update("users/nobody/policies", token_policies="a")
    with raises_exactly(InvalidRequest, ERR_NO_SUCH_USER):
        await up.update("users/nobody/policies")
