"""A parameter of the wrong type or form: the same 400 and the same words from Strongroom and
OpenBao (run against both). The words never repeat a string the client sent (it may be a
secret, and error texts reach the audit log in the clear); OpenBao quotes only numbers and
durations. Paths with an existence check word the error without "Field validation failed"."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.compat.conftest import ROOT, DevTarget

pytestmark = pytest.mark.compat

PREFIX = 'Field validation failed: error converting input for field "{}": '
BARE = 'error converting input for field "{}": '

CASES = [
    # transit/keys/:name (no existence check): the framework's prefix
    (
        "transit/keys/k",
        {"exportable": "yes"},
        PREFIX.format("exportable")
        + "'' cannot parse value as 'bool': strconv.ParseBool: invalid syntax",
    ),
    (
        "transit/keys/k",
        {"exportable": 2},
        PREFIX.format("exportable")
        + "'' cannot parse value as 'bool': strconv.ParseBool: invalid syntax",
    ),
    (
        "transit/keys/k",
        {"exportable": [True]},
        PREFIX.format("exportable")
        + "'' expected type 'bool', got unconvertible type '[]interface {}'",
    ),
    (
        "transit/keys/k",
        {"type": {"a": "b"}},
        PREFIX.format("type")
        + "'' expected type 'string', got unconvertible type 'map[string]interface {}'",
    ),
    (
        "transit/keys/k",
        {"auto_rotate_period": "abc"},
        PREFIX.format("auto_rotate_period") + 'time: invalid duration "abc"',
    ),
    (
        "transit/keys/k",
        {"auto_rotate_period": "1x"},
        PREFIX.format("auto_rotate_period") + 'time: unknown unit "x" in duration "1x"',
    ),
    (
        "transit/keys/k",
        {"auto_rotate_period": 1.5},
        PREFIX.format("auto_rotate_period") + 'time: missing unit in duration "1.5"',
    ),
    (
        "transit/keys/k",
        {"auto_rotate_period": "-5s"},
        PREFIX.format("auto_rotate_period") + "cannot provide negative value '-5'",
    ),
    (
        "transit/keys/k",
        {"auto_rotate_period": {}},
        PREFIX.format("auto_rotate_period") + "could not parse duration from input",
    ),
    (
        "transit/keys/k",
        {"auto_rotate_period": True},
        PREFIX.format("auto_rotate_period") + "could not parse duration from input",
    ),
    (
        "transit/keys/k/trim",
        {"min_available_version": "abc"},
        PREFIX.format("min_available_version")
        + "'' cannot parse value as 'int': strconv.ParseInt: invalid syntax",
    ),
    (
        "transit/keys/k/trim",
        {"min_available_version": [1]},
        PREFIX.format("min_available_version")
        + "'' expected type 'int', got unconvertible type '[]interface {}'",
    ),
    # auth/userpass/users/:name has an existence check: no prefix, and no password echoed
    (
        "auth/userpass/users/u",
        {"password": ["hunter2"]},
        BARE.format("password")
        + "'' expected type 'string', got unconvertible type '[]interface {}'",
    ),
    (
        "auth/userpass/users/u",
        {"password": "p", "token_ttl": "abc"},
        BARE.format("token_ttl") + 'time: invalid duration "abc"',
    ),
    (
        "auth/userpass/users/u",
        {"password": "p", "token_ttl": "-5"},
        BARE.format("token_ttl") + "cannot provide negative value '-5'",
    ),
]


@pytest.fixture
def client(dev_target: DevTarget) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=dev_target.address, headers={"X-Vault-Token": ROOT}) as client:
        for path, body in (
            ("sys/mounts/transit", {"type": "transit"}),
            ("sys/auth/userpass", {"type": "userpass"}),
            ("transit/keys/k", {}),
        ):
            assert client.post(f"/v1/{path}", json=body).status_code in (200, 204)
        yield client


def test_bad_parameter_values_get_openbaos_400(client: httpx.Client) -> None:
    for path, body, message in CASES:
        answer = client.post(f"/v1/{path}", json=body)
        assert (answer.status_code, answer.json()) == (400, {"errors": [message]}), (path, body)
    # Nothing was written by the refused user writes.
    assert client.get("/v1/auth/userpass/users/u").status_code == 404
