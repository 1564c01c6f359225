"""Token revocation's refusals and `policies` on token create, the same from Strongroom and
OpenBao (run against both)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.compat.conftest import ROOT, DevTarget

pytestmark = pytest.mark.compat


@pytest.fixture
def client(dev_target: DevTarget) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=dev_target.address, headers={"X-Vault-Token": ROOT}) as client:
        yield client


def _answer(client: httpx.Client, path: str, body: object) -> tuple[int, object]:
    response = client.post(f"/v1/{path}", json=body)
    return response.status_code, (response.json() if response.content else None)


def test_revocation_refusals(client: httpx.Client) -> None:
    assert _answer(client, "auth/token/revoke", {}) == (400, {"errors": ["missing token ID"]})
    assert _answer(client, "auth/token/revoke", {"token": "nope"}) == (204, None)
    assert _answer(client, "auth/token/revoke-orphan", {}) == (
        400,
        {"errors": ["missing token ID"]},
    )
    assert _answer(client, "auth/token/revoke-orphan", {"token": "nope"}) == (
        400,
        {"errors": ["token to revoke not found"]},
    )
    status, body = _answer(client, "auth/token/revoke-accessor", {})
    assert (status, body) == (400, {"errors": ["1 error occurred:\n\t* missing accessor\n\n"]})
    status, body = _answer(client, "auth/token/revoke-accessor", {"accessor": "nope"})
    assert status == 200 and body["warnings"] == ["No token found with this accessor"]  # type: ignore[index]


def test_revoke_orphan_keeps_the_children(client: httpx.Client) -> None:
    _, parent = _answer(client, "auth/token/create", {"policies": ["root"]})
    parent_token = parent["auth"]["client_token"]  # type: ignore[index]
    child = client.post(
        "/v1/auth/token/create",
        json={"policies": ["default"]},
        headers={"X-Vault-Token": parent_token},
    ).json()["auth"]["client_token"]
    assert _answer(client, "auth/token/revoke-orphan", {"token": parent_token}) == (204, None)
    assert _answer(client, "auth/token/lookup", {"token": parent_token})[0] == 403
    looked = client.post("/v1/auth/token/lookup", json={"token": child}).json()["data"]
    assert looked["orphan"] is True


def test_policies_given_as_one_string_are_one_name(client: httpx.Client) -> None:
    status, body = _answer(client, "auth/token/create", {"policies": "a, dev-2"})
    assert status == 200
    assert body["auth"]["policies"] == ["a, dev-2", "default"]  # type: ignore[index]
