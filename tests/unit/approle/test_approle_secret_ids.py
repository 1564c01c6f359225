"""`role/:role_name/secret-id`, `custom-secret-id`, `secret-id/{lookup,destroy}` and
`secret-id-accessor/{lookup,destroy}`, as observed on OpenBao 2.7. Secret IDs are stored
only as salted HMACs."""

from __future__ import annotations

import pytest
from approle_harness import T0, ZERO_TIME, AppRole, raises_exactly

from strongroom.auth.approle._metadata import parse_metadata
from strongroom.errors import InvalidRequest, NotFound
from strongroom.types import JSON

T30M = "2027-01-15T08:30:00Z"


async def test_generate_and_look_up(approle: AppRole) -> None:
    await approle.role("r")
    data = await approle.written("role/r/secret-id")
    assert set(data) == {"secret_id", "secret_id_accessor", "secret_id_num_uses", "secret_id_ttl"}
    assert (data["secret_id_num_uses"], data["secret_id_ttl"]) == (0, 0)
    found = await approle.written("role/r/secret-id/lookup", secret_id=data["secret_id"])
    assert found == {
        "cidr_list": [],
        "creation_time": T0,
        "expiration_time": ZERO_TIME,
        "last_updated_time": T0,
        "metadata": {},
        "secret_id_accessor": data["secret_id_accessor"],
        "secret_id_num_uses": 0,
        "secret_id_ttl": 0,
        "token_bound_cidrs": [],
    }
    by_accessor = await approle.written(
        "role/r/secret-id-accessor/lookup", secret_id_accessor=data["secret_id_accessor"]
    )
    assert by_accessor == found


async def test_generate_with_every_option(approle: AppRole) -> None:
    await approle.role(
        "r",
        secret_id_bound_cidrs="127.0.0.0/8,10.0.0.0/8",
        secret_id_num_uses=3,
        secret_id_ttl="1h",
        token_bound_cidrs="127.0.0.1/32",
    )
    approle.clock.advance(0.25)
    secret, accessor = await approle.secret_id(
        "r",
        metadata='{"foo":"bar","role_name":"evil"}',
        cidr_list="127.0.0.1/32",
        token_bound_cidrs="127.0.0.1/32",
        num_uses=2,
        ttl="30m",
    )
    assert await approle.written("role/r/secret-id/lookup", secret_id=secret) == {
        "cidr_list": ["127.0.0.1/32"],
        "creation_time": "2027-01-15T08:00:00.25Z",
        "expiration_time": "2027-01-15T08:30:00.25Z",
        "last_updated_time": "2027-01-15T08:00:00.25Z",
        "metadata": {"foo": "bar", "role_name": "evil"},
        "secret_id_accessor": accessor,
        "secret_id_num_uses": 2,
        "secret_id_ttl": 1800,
        "token_bound_cidrs": ["127.0.0.1/32"],
    }


async def test_role_limits_are_the_defaults(approle: AppRole) -> None:
    await approle.role("r", secret_id_num_uses=5, secret_id_ttl="1h")
    data = await approle.written("role/r/secret-id")
    assert (data["secret_id_num_uses"], data["secret_id_ttl"]) == (5, 3600)


async def test_unlimited_role_allows_any_limits(approle: AppRole) -> None:
    await approle.role("r")
    data = await approle.written("role/r/secret-id", ttl=100, num_uses=3)
    assert (data["secret_id_num_uses"], data["secret_id_ttl"]) == (3, 100)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"num_uses": -1}, "num_uses cannot be negative"),
        ({"num_uses": 10}, "num_uses cannot be higher than the role's secret_id_num_uses"),
        ({"num_uses": 0}, "num_uses cannot be higher than the role's secret_id_num_uses"),
        ({"ttl": "2h"}, "ttl cannot be longer than the role's secret_id_ttl"),
        ({"ttl": 0}, "ttl cannot be longer than the role's secret_id_ttl"),
        (
            {"ttl": -1},
            'Field validation failed: error converting input for field "ttl": cannot provide '
            "negative value '-1'",
        ),
        (
            {"cidr_list": "192.168.0.0/16"},
            'failed to verify subset relationship between CIDR blocks on the role ["10.0.0.0/8"] '
            'and CIDR blocks on the secret ID ["192.168.0.0/16"]',
        ),
        ({"cidr_list": "bad"}, "failed to validate CIDR blocks: invalid CIDR address: bad"),
        (
            {"token_bound_cidrs": "192.168.0.0/16"},
            'failed to verify subset relationship between CIDR blocks on the role ["10.0.0.0/8"] '
            'and CIDR blocks on the secret ID ["192.168.0.0/16"]',
        ),
        (
            {"token_bound_cidrs": "10.0.0.1"},
            "failed to validate token CIDR blocks: invalid CIDR address: 10.0.0.1",
        ),
        (
            {"metadata": "notjson"},
            "failed to parse metadata: failed to parse the input: invalid <key,value> format",
        ),
        ({"metadata": {"a": "b"}}, None),
        ({"num_uses": "x"}, None),
    ],
)
async def test_bad_options(approle: AppRole, body: dict[str, JSON], message: str | None) -> None:
    await approle.role(
        "r",
        secret_id_bound_cidrs="10.0.0.0/8",
        token_bound_cidrs="10.0.0.0/8",
        secret_id_num_uses=5,
        secret_id_ttl="1h",
    )
    with pytest.raises(InvalidRequest) as caught:
        await approle.write("role/r/secret-id", **body)
    if message is not None:
        assert caught.value.messages == [message]
    assert await approle.list("role/r/secret-id") is None


async def test_subset_of_several_role_blocks(approle: AppRole) -> None:
    await approle.role("r", secret_id_bound_cidrs="127.0.0.0/8,10.0.0.0/8")
    await approle.secret_id("r", cidr_list="10.1.0.0/16,127.0.0.1/32")
    with raises_exactly(
        InvalidRequest,
        'failed to verify subset relationship between CIDR blocks on the role ["127.0.0.0/8" '
        '"10.0.0.0/8"] and CIDR blocks on the secret ID ["::1/128"]',
    ):
        await approle.secret_id("r", cidr_list="::1/128")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("{}", {}),
        ('{"a":"b"} ', {"a": "b"}),
        ('{"a":"b","a":"c"}', {"a": "c"}),
        ('{"":"x"}', {"": "x"}),
        ("a=b,c=d", {"a": "b", "c": "d"}),
        ("a=b, ,c=d", {"a": "b", "c": "d"}),
        (" a = b ", {"a": "b"}),
        ("a=b,", {"a": "b"}),
        ("a=b,a=c", {"a": "c"}),
        ("YT1i", {"a": "b"}),  # base64 of a=b
        ("eyJhIjoiYiJ9", {"a": "b"}),  # base64 of {"a":"b"}
        ('["a=b"]', {'["a': 'b"]'}),
    ],
)
def test_metadata_forms(text: str, expected: dict[str, str]) -> None:
    assert parse_metadata(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("notjson", "failed to parse the input: invalid <key,value> format"),
        ('{"a":1}', "failed to parse the input: invalid <key,value> format"),
        ("[1]", "failed to parse the input: invalid <key,value> format"),
        ("null", "failed to parse the input: invalid <key,value> format"),
        ("W10=", "failed to parse the input: invalid <key,value> format"),
        ("a=b=c", "failed to parse the input: invalid <key,value> format"),
        ("=b", 'failed to parse the input: invalid <key,value> pair: key: "" value: "b"'),
        ("a=", 'failed to parse the input: invalid <key,value> pair: key: "a" value: ""'),
        ('{"a":""}', 'invalid value for key "a"'),
        ('{"a":null}', 'invalid value for key "a"'),
    ],
)
def test_metadata_errors(text: str, reason: str) -> None:
    with raises_exactly(InvalidRequest, "failed to parse metadata: " + reason):
        parse_metadata(text)


async def test_secret_ids_need_bind_secret_id(approle: AppRole) -> None:
    await approle.role("r", bind_secret_id=False, token_bound_cidrs="127.0.0.1")
    with raises_exactly(InvalidRequest, "bind_secret_id is not set on the role"):
        await approle.write("role/r/secret-id")
    with raises_exactly(InvalidRequest, "bind_secret_id is not set on the role"):
        await approle.write("role/r/custom-secret-id", secret_id="x")


async def test_missing_role(approle: AppRole) -> None:
    with raises_exactly(NotFound, 'role "nope" does not exist'):
        await approle.write("role/nope/secret-id")
    with raises_exactly(NotFound, 'role "nope" does not exist'):
        await approle.write("role/nope/custom-secret-id", secret_id="x")
    with raises_exactly(InvalidRequest, 'role "nope" does not exist'):
        await approle.list("role/nope/secret-id")
    for path, field in [
        ("secret-id/lookup", "secret_id"),
        ("secret-id/destroy", "secret_id"),
        ("secret-id-accessor/lookup", "secret_id_accessor"),
        ("secret-id-accessor/destroy", "secret_id_accessor"),
    ]:
        with raises_exactly(InvalidRequest, 'role "nope" does not exist'):
            await approle.write(f"role/nope/{path}", **{field: "x"})


async def test_custom_secret_id(approle: AppRole) -> None:
    role_id = await approle.role("r")
    data = await approle.written(
        "role/r/custom-secret-id", secret_id="my-custom-secret", num_uses=1
    )
    assert data["secret_id"] == "my-custom-secret"
    assert data["secret_id_num_uses"] == 1
    with raises_exactly(
        InvalidRequest, "failed to store secret_id: SecretID is already registered"
    ):
        await approle.write("role/r/custom-secret-id", secret_id="my-custom-secret")
    for body in ({}, {"secret_id": ""}):
        with raises_exactly(InvalidRequest, "missing secret_id"):
            await approle.write("role/r/custom-secret-id", **body)
    # another role may register the same value
    await approle.role("other")
    await approle.write("role/other/custom-secret-id", secret_id="my-custom-secret")
    auth = await approle.login(role_id=role_id, secret_id="my-custom-secret")
    assert auth.metadata == {"role_name": "r"}


async def test_list_accessors(approle: AppRole) -> None:
    await approle.role("r")
    assert await approle.list("role/r/secret-id") is None
    accessors = sorted([(await approle.secret_id("r"))[1] for _ in range(3)])
    listed = await approle.list("role/r/secret-id/")
    assert listed is not None and listed.data == {"keys": accessors}
    paged = await approle.list("role/r/secret-id", after=accessors[0], limit=1)
    assert paged is not None and paged.data == {"keys": accessors[1:2]}


async def test_lookup_of_unknown_or_missing(approle: AppRole) -> None:
    await approle.role("r")
    assert await approle.write("role/r/secret-id/lookup", secret_id="nope") is None
    with raises_exactly(InvalidRequest, "missing secret_id"):
        await approle.write("role/r/secret-id/lookup")
    with raises_exactly(InvalidRequest, "missing secret_id_accessor"):
        await approle.write("role/r/secret-id-accessor/lookup")
    response = await approle.write("role/r/secret-id-accessor/lookup", secret_id_accessor="nope")
    assert response is not None and response.status == 404
    assert response.data == {
        "error": 'failed to find accessor entry for secret_id_accessor: "nope"'
    }


async def test_secret_ids_are_scoped_to_their_role(approle: AppRole) -> None:
    await approle.role("a")
    await approle.role("b")
    secret, accessor = await approle.secret_id("a")
    assert await approle.write("role/b/secret-id/lookup", secret_id=secret) is None
    response = await approle.write("role/b/secret-id-accessor/lookup", secret_id_accessor=accessor)
    assert response is not None and response.status == 404


async def test_destroy_by_secret_id(approle: AppRole) -> None:
    role_id = await approle.role("r")
    secret, _accessor = await approle.secret_id("r")
    assert await approle.write("role/r/secret-id/destroy", secret_id=secret) is None
    assert await approle.write("role/r/secret-id/destroy", secret_id=secret) is None
    assert await approle.write("role/r/secret-id/lookup", secret_id=secret) is None
    assert await approle.list("role/r/secret-id") is None
    with raises_exactly(InvalidRequest, "invalid role or secret ID"):
        await approle.login(role_id=role_id, secret_id=secret)
    for call in (approle.write, approle.delete):
        with raises_exactly(InvalidRequest, "missing secret_id"):
            await call("role/r/secret-id/destroy")


async def test_destroy_by_accessor(approle: AppRole) -> None:
    await approle.role("r")
    secret, accessor = await approle.secret_id("r")
    _other, other_accessor = await approle.secret_id("r")
    assert (
        await approle.write("role/r/secret-id-accessor/destroy", secret_id_accessor=accessor)
        is None
    )
    assert await approle.write("role/r/secret-id/lookup", secret_id=secret) is None
    with raises_exactly(
        InvalidRequest, f'failed to find accessor entry for secret_id_accessor: "{accessor}"'
    ):
        await approle.write("role/r/secret-id-accessor/destroy", secret_id_accessor=accessor)
    assert (
        await approle.delete("role/r/secret-id-accessor/destroy", secret_id_accessor=other_accessor)
        is None
    )
    assert await approle.list("role/r/secret-id") is None
    with raises_exactly(InvalidRequest, "missing secret_id_accessor"):
        await approle.delete("role/r/secret-id-accessor/destroy")


async def test_expired_secret_ids_look_up_as_nothing_but_stay_listed(approle: AppRole) -> None:
    await approle.role("r", secret_id_ttl="2s")
    secret, accessor = await approle.secret_id("r")
    approle.clock.advance(2)
    assert await approle.write("role/r/secret-id/lookup", secret_id=secret) is not None
    approle.clock.advance(1)
    assert await approle.write("role/r/secret-id/lookup", secret_id=secret) is None
    assert (
        await approle.write("role/r/secret-id-accessor/lookup", secret_id_accessor=accessor) is None
    )
    listed = await approle.list("role/r/secret-id")
    assert listed is not None and listed.data == {"keys": [accessor]}
    # an expired secret ID can still be destroyed
    await approle.write("role/r/secret-id-accessor/destroy", secret_id_accessor=accessor)
    assert await approle.list("role/r/secret-id") is None


async def test_secret_ids_are_never_stored_in_the_clear(approle: AppRole) -> None:
    role_id = await approle.role("r")
    secrets = [(await approle.secret_id("r"))[0] for _ in range(3)]
    await approle.write("role/r/custom-secret-id", secret_id="custom-Secret-Value-42")
    secrets.append("custom-Secret-Value-42")
    await approle.login(role_id=role_id, secret_id=secrets[0])
    stored = await approle.stored()
    assert stored, "expected something in storage"
    for secret in secrets:
        for key, value in stored.items():
            assert secret not in key
            assert secret.encode() not in value
            assert secret.replace("-", "").encode() not in value
    # what is stored is an HMAC keyed by the mount's salt
    assert len(stored["salt"]) == 32
    assert role_id not in "".join(stored)  # the role_id index is hashed too
