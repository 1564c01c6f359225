"""Validation of the token fields on `users/:username`. The texts are the shared
`auth._tokenutil` ones, worded as OpenBao 2.7 answers them."""

from __future__ import annotations

import pytest
from userpass_harness import UP, raises_exactly

from strongroom.errors import InvalidRequest
from strongroom.types import JSON


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"token_num_uses": -1}, "'token_num_uses' cannot be negative"),
        (
            {"token_ttl": "2h", "token_max_ttl": "1h"},
            "'token_ttl' cannot be greater than 'token_max_ttl'",
        ),
        ({"ttl": "2h", "max_ttl": "1h"}, "'token_ttl' cannot be greater than 'token_max_ttl'"),
        (
            {"token_ttl": "abc"},
            'error converting input for field "token_ttl": time: invalid duration "abc"',
        ),
    ],
)
async def test_invalid_token_fields(up: UP, body: dict[str, JSON], message: str) -> None:
    with raises_exactly(InvalidRequest, message):
        await up.create("alice", password="pw", **body)
    assert await up.exists("users/alice") is False


@pytest.mark.parametrize(
    "body",
    [
        {"token_type": "bogus"},
        {"token_bound_cidrs": "notacidr"},
        {"bound_cidrs": "10.0.0.0/33"},
        {"token_no_default_policy": "maybe"},
        {"token_num_uses": "x"},
    ],
)
async def test_invalid_token_fields_are_400(up: UP, body: dict[str, JSON]) -> None:
    with pytest.raises(InvalidRequest):
        await up.create("alice", password="pw", **body)
    assert await up.exists("users/alice") is False


async def test_token_types_accepted(up: UP) -> None:
    for token_type in ("service", "batch", "default"):
        await up.create("alice", password="pw", token_type=token_type)
        assert (await up.user("alice"))["token_type"] == token_type


# The shared token-field validation (auth/_tokenutil.py) answers with OpenBao 2.7's texts.
OPENBAO_TEXTS = [
    ({"token_type": "bogus"}, "invalid 'token_type' value \"bogus\""),
    ({"token_type": "default-service"}, "invalid 'token_type' value \"default-service\""),
    (
        {"token_type": "batch", "token_num_uses": 2},
        "'token_type' cannot be 'batch' or 'default_batch' when set to generate tokens "
        "with limited use count",
    ),
    (
        {"token_bound_cidrs": "notacidr"},
        'error parsing address "notacidr": Unable to convert "notacidr" to an IPv4 or IPv6 '
        "address, or a UNIX Socket",
    ),
    (
        {"token_ttl": -5},
        "error converting input for field \"token_ttl\": cannot provide negative value '-5'",
    ),
]


@pytest.mark.parametrize(("body", "message"), OPENBAO_TEXTS)
async def test_openbao_token_field_texts(up: UP, body: dict[str, JSON], message: str) -> None:
    with raises_exactly(InvalidRequest, message):
        await up.create("alice", password="pw", **body)
