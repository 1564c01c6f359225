"""PasswordPolicyStore over in-memory storage: validation on write, OpenBao's list order,
generation and its failures."""

from __future__ import annotations

import json

import pytest

from strongroom.barrier import StorageView
from strongroom.core.password_policies import (
    ERR_NO_POLICY,
    GENERATE_TIMEOUT,
    PasswordPolicyStore,
)
from strongroom.errors import InvalidRequest
from strongroom.policy.password import ERR_LENGTH_BOUNDS, PasswordGenerationError, multierror
from strongroom.storage.inmem import InmemStorage
from strongroom.testing.clock import FakeClock

POLICY = 'length = 8\nrule "charset" {\n  charset = "ab"\n  min-chars = 1\n}\n'
# Satisfiable only by twenty "a"s among 62 characters: generation always gives up.
HOPELESS = (
    'length = 20\nrule "charset" {\n charset = "a"\n min-chars = 20\n}\n'
    'rule "charset" {\n charset = "bcdefghijklmnopqrstuvwxyz'
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"\n}'
)


class SlowClock(FakeClock):
    """Moves a quarter of a second every time it is read."""

    def monotonic(self) -> float:
        self.advance(0.25)
        return super().monotonic()


def make(clock: FakeClock | None = None) -> tuple[PasswordPolicyStore, InmemStorage]:
    physical = InmemStorage()
    store = PasswordPolicyStore(
        StorageView(physical, "sys/password_policy/"), clock=clock or FakeClock()
    )
    return store, physical


async def test_put_get_delete() -> None:
    store, physical = make()
    assert await store.get("p") is None
    await store.put("p", POLICY)
    assert await store.get("p") == POLICY
    stored = await physical.get("sys/password_policy/p")
    assert stored is not None and json.loads(stored.value) == {"policy": POLICY}
    await store.put("p", POLICY.replace("8", "9"))
    assert await store.get("p") == POLICY.replace("8", "9")
    await store.delete("p")
    await store.delete("p")  # deleting what is gone is fine
    assert await store.get("p") is None


async def test_names_are_case_sensitive_and_may_hold_slashes() -> None:
    store, _ = make()
    await store.put("MyPol", POLICY)
    await store.put("a/b", POLICY)
    assert await store.get("mypol") is None
    assert await store.get("a/b") == POLICY
    assert await store.get("a") is None
    assert await store.get("") is None


async def test_names_in_openbao_order() -> None:
    store, _ = make()
    assert await store.names() == []
    for name in ["a/b/c", "a/d", "z/y", "b", "a/b/c/d", "0", "a/b"]:
        await store.put(name, POLICY)
    # Observed on OpenBao 2.7.2: each level sorted, then the folders last-first.
    assert await store.names() == ["0", "b", "z/y", "a/b", "a/d", "a/b/c", "a/b/c/d"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "missing policy"),
        ('length = 3\nrule "charset" { charset = "a" }', ERR_LENGTH_BOUNDS),
        ('length = 101\nrule "charset" { charset = "a" }', ERR_LENGTH_BOUNDS),
        ("length = 20", "invalid password policy: " + multierror(["no charset specified"])),
        (
            'length = 20\nrule "x" {}',
            "invalid password policy: unable to parse rules: unable to parse rule x: "
            "unrecognized rule type x",
        ),
        # the parser's problems come before the bounds, as in OpenBao
        ('length = 3\nrule "charset" { charset = "" }', "invalid password policy: "),
    ],
)
async def test_bad_policies_change_nothing(text: str, message: str) -> None:
    store, physical = make()
    await store.put("p", POLICY)
    with pytest.raises(InvalidRequest) as caught:
        await store.put("p", text)
    assert str(caught.value).startswith(message)
    assert await store.get("p") == POLICY
    assert await physical.list("sys/password_policy/") == ["p"]


async def test_bounds_are_inclusive() -> None:
    store, _ = make()
    await store.put("four", 'length = 4\nrule "charset" { charset = "a" }')
    await store.put("hundred", 'length = 100\nrule "charset" { charset = "a" }')
    assert len(await store.generate("hundred")) == 100


async def test_a_policy_that_rarely_passes_is_still_stored() -> None:
    # OpenBao 2.7.2 stores this (in milliseconds) and fails when asked to generate from it.
    store, _ = make()
    await store.put("hopeless", HOPELESS)
    assert await store.get("hopeless") == HOPELESS


async def test_missing_name_is_refused() -> None:
    store, _ = make()
    with pytest.raises(InvalidRequest):
        await store.put("", POLICY)
    await store.delete("")  # a no-op


async def test_generate() -> None:
    store, _ = make()
    await store.put("p", POLICY)
    password = await store.generate("p")
    assert len(password) == 8 and set(password) <= {"a", "b"}
    policy = await store.policy("p")
    assert policy is not None and policy.passes(password)
    assert await store.policy("nope") is None


async def test_generate_unknown_policy() -> None:
    store, _ = make()
    with pytest.raises(InvalidRequest) as caught:
        await store.generate("nope")
    assert str(caught.value) == ERR_NO_POLICY == "no password policy found"


async def test_generate_gives_up_after_its_time_budget() -> None:
    clock = SlowClock()
    store, _ = make(clock)
    await store.put("hopeless", HOPELESS)
    before = clock.monotonic()
    with pytest.raises(PasswordGenerationError):
        await store.generate("hopeless")
    # A read per batch: it stopped once the budget was spent, not after every attempt.
    assert clock.monotonic() - before <= GENERATE_TIMEOUT + 1.0


async def test_parsed_policies_are_cached_by_text() -> None:
    store, _ = make()
    await store.put("p", POLICY)
    first = await store.policy("p")
    assert await store.policy("p") is first
    for i in range(70):  # the cache is bounded
        await store.put(f"p{i}", POLICY.replace("8", str(10 + i)))
    assert await store.policy("p") == first
