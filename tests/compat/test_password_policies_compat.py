"""Password policies (`sys/policies/password`) with hvac 2.4.0, the `bao` CLI and raw HTTP,
against Strongroom and OpenBao 2.7.2 alike (the `dev_target` fixture runs each test on both).

hvac 2.4.0 has no password policy helpers, so it is driven through `Client.write_data`, `read`,
`list` and `delete`. Bad input is compared on the wire: the status code and the exact error
text, and that nothing was stored. OpenBao's endpoint sends its own errors as go-multierror
text, which Strongroom reproduces; syntax errors inside the HCL are worded by OpenBao's HCL 1
parser, so for those only the common prefix and position are compared.
"""

from __future__ import annotations

import base64
import json
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import hvac
import pytest
from hvac import exceptions

pytestmark = [pytest.mark.compat, pytest.mark.slow]

POLICY = (
    "length = 24\n"
    'rule "charset" {\n  charset = "abcdefghijklmnopqrstuvwxyz"\n  min-chars = 2\n}\n'
    'rule "charset" {\n  charset = "0123456789"\n  min-chars = 3\n}\n'
)
LOWER_DIGITS = set(string.ascii_lowercase + string.digits)
BASE = "/v1/sys/policies/password"


def one_error(message: str) -> dict[str, list[str]]:
    """The body OpenBao's endpoint sends for one error (go-multierror text)."""
    return {"errors": [f"1 error occurred:\n\t* {message}\n\n"]}


def invalid(detail: str) -> dict[str, list[str]]:
    return one_error(f"invalid password policy: {detail}")


def check_password(password: str, length: int = 24) -> None:
    assert len(password) == length and set(password) <= LOWER_DIGITS
    assert sum(c.isdigit() for c in password) >= 3
    assert sum(c.islower() for c in password) >= 2


@pytest.fixture
def http(dev_target: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=dev_target.address, headers={"X-Vault-Token": "root"}) as client:
        yield client


@pytest.fixture
def client(dev_target: Any) -> Iterator[hvac.Client]:
    made = hvac.Client(url=dev_target.address, token="root")
    yield made
    made.adapter.close()


def test_crud_and_generate_with_hvac(client: hvac.Client) -> None:
    assert client.list("sys/policies/password") is None
    response = client.write_data("sys/policies/password/app", data={"policy": POLICY})
    assert response.status_code == 204
    assert client.read("sys/policies/password/app")["data"] == {"policy": POLICY}
    generated = client.read("sys/policies/password/app/generate")
    assert list(generated["data"]) == ["password"]
    check_password(generated["data"]["password"])
    passwords = {
        client.read("sys/policies/password/app/generate")["data"]["password"] for _ in range(5)
    }
    assert len(passwords) == 5

    client.write_data("sys/policies/password/Team/App", data={"policy": POLICY})
    client.write_data("sys/policies/password/zeta", data={"policy": POLICY})
    listed = client.list("sys/policies/password")["data"]["keys"]
    assert listed == ["app", "zeta", "Team/App"]  # nested names come after the top level
    assert client.read("sys/policies/password/team/app") is None  # names are case-sensitive

    client.delete("sys/policies/password/app")
    client.delete("sys/policies/password/app")  # deleting a missing policy succeeds
    assert client.read("sys/policies/password/app") is None
    assert client.list("sys/policies/password/")["data"]["keys"] == ["zeta", "Team/App"]


def test_base64_policy_is_decoded(client: hvac.Client) -> None:
    encoded = base64.b64encode(POLICY.encode()).decode()
    client.write_data("sys/policies/password/b64", data={"policy": encoded})
    assert client.read("sys/policies/password/b64")["data"]["policy"] == POLICY
    check_password(client.read("sys/policies/password/b64/generate")["data"]["password"])


def test_json_policy_and_quirks_openbao_accepts(client: hvac.Client) -> None:
    document = {"length": 10.9, "rule": {"charset": {"charset": "aab", "min-chars": 2}}}
    client.write_data("sys/policies/password/j", data={"policy": json.dumps(document)})
    password = client.read("sys/policies/password/j/generate")["data"]["password"]
    assert len(password) == 10 and set(password) <= {"a", "b"}  # 10.9 truncates; "aab" dedups
    unicode_policy = 'length = 6\nrule "charset" {\n  charset = "日本"\n  foo = 1\n}\n'
    client.write_data("sys/policies/password/u", data={"policy": unicode_policy})
    password = client.read("sys/policies/password/u/generate")["data"]["password"]
    assert len(password) == 6 and set(password) <= {"日", "本"}


def test_missing_policy_reads_are_404(http: httpx.Client, client: hvac.Client) -> None:
    for path in ("nope", "nope/generate", "a/", "a"):
        answer = http.get(f"{BASE}/{path}")
        assert (answer.status_code, answer.json()) == (404, one_error("policy does not exist"))
    answer = http.request("LIST", BASE)
    assert (answer.status_code, answer.json()) == (404, {"errors": []})
    with pytest.raises(exceptions.InvalidPath):
        client.adapter.get(f"{BASE}/nope/generate")


BAD_POLICIES = [
    ({}, one_error("missing policy")),
    ({"policy": ""}, one_error("missing policy")),
    ({"policy": 'length = 3\nrule "charset" { charset = "a" }'}, None),
    ({"policy": 'length = 101\nrule "charset" { charset = "a" }'}, None),
    (
        {"policy": " "},
        invalid("2 errors occurred:\n\t* length must be > 0\n\t* no charset specified\n\n"),
    ),
    ({"policy": "length = 20"}, invalid("1 error occurred:\n\t* no charset specified\n\n")),
    (
        {"policy": 'length = 20\nrule "charset" {\n  charset = "abc"\n  min-chars = 21\n}'},
        invalid(
            "1 error occurred:\n\t* specified rules require at least 21 characters but 20 is "
            "specified\n\n"
        ),
    ),
    (
        {"policy": 'length = 20\nrule "charset" { charset = "a\\tb" }'},
        invalid("1 error occurred:\n\t* non-printable character in charset\n\n"),
    ),
    (
        {"policy": 'length = 20\nrule "other" { charset = "abc" }'},
        invalid("unable to parse rules: unable to parse rule other: unrecognized rule type other"),
    ),
    (
        {"policy": 'length = "20"\nrule "charset" { charset = "abc" }'},
        invalid(
            "failed to decode configuration: decoding failed due to the following error(s):\n\n"
            "'length' expected type 'int', got unconvertible type 'string'"
        ),
    ),
    (
        {"policy": 'length = 20\nrule "charset" {\n  charset = 5\n  min-chars = "1"\n}'},
        invalid(
            "unable to parse rules: unable to parse rule charset: failed to parse charset "
            "restriction: decoding failed due to the following error(s):\n\n"
            "'charset' source data must be an array or slice, got int\n"
            "'min-chars' expected type 'int', got unconvertible type 'string'"
        ),
    ),
]
BOUNDS = one_error("passwords must be between 4 and 100 characters")


def test_bad_policies_are_refused_and_nothing_stored(http: httpx.Client) -> None:
    assert http.post(f"{BASE}/good", json={"policy": POLICY}).status_code == 204
    for body, expected in BAD_POLICIES:
        answer = http.post(f"{BASE}/bad", json=body)
        assert (answer.status_code, answer.json()) == (400, expected or BOUNDS), body
        assert http.get(f"{BASE}/bad").status_code == 404
        # A bad write does not replace a good policy either.
        assert http.post(f"{BASE}/good", json=body).status_code == 400
        assert http.get(f"{BASE}/good").json()["data"]["policy"] == POLICY


def test_hcl_syntax_errors(http: httpx.Client) -> None:
    answer = http.post(f"{BASE}/bad", json={"policy": 'length = 20\nrule "charset" {\n}\n}'})
    assert answer.status_code == 400
    (message,) = answer.json()["errors"]
    assert message.startswith(
        "1 error occurred:\n\t* invalid password policy: unable to decode: At 4:1: "
    )
    assert http.get(f"{BASE}/bad").status_code == 404


def test_writes_to_a_trailing_slash_and_generate_are_refused(http: httpx.Client) -> None:
    answer = http.post(f"{BASE}/x/", json={"policy": POLICY})
    assert (answer.status_code, answer.json()) == (
        400,
        {"errors": ["cannot write to a path ending in '/'"]},
    )
    assert http.post(f"{BASE}/x/generate", json={"policy": POLICY}).status_code == 405
    assert http.request("LIST", BASE).status_code == 404


def test_with_the_bao_cli(dev_target: Any, tmp_path: Path) -> None:
    t = dev_target
    policy_file = tmp_path / "policy.hcl"
    policy_file.write_text(POLICY)
    assert "Success! Data written to: sys/policies/password/cli" in t.ok(
        "write", "sys/policies/password/cli", f"policy=@{policy_file}"
    )
    assert t.ok("read", "-field=policy", "sys/policies/password/cli") == POLICY
    check_password(t.ok("read", "-field=password", "sys/policies/password/cli/generate"))
    generated = t.json("read", "sys/policies/password/cli/generate")
    check_password(generated["data"]["password"])  # type: ignore[index]
    assert json.loads(t.ok("list", "-format=json", "sys/policies/password")) == ["cli"]

    missing = t.bao("read", "sys/policies/password/nope/generate")
    assert missing.returncode == 2
    assert (
        "No value found at sys/policies/password/nope/generate" in missing.stderr + missing.stdout
    )

    bad_file = tmp_path / "bad.hcl"
    bad_file.write_text('length = 2\nrule "charset" { charset = "a" }\n')
    bad = t.bao("write", "sys/policies/password/bad", f"policy=@{bad_file}")
    assert bad.returncode == 2
    assert "Code: 400" in bad.stderr
    assert "* passwords must be between 4 and 100 characters" in bad.stderr

    assert "Success! Data deleted" in t.ok("delete", "sys/policies/password/cli")
    assert t.bao("list", "sys/policies/password").returncode == 2
