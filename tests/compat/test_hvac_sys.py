"""The real hvac 2.4.0 client against a real `strongroom server` process: the `sys/` API.

Each scenario was first run against OpenBao 2.7.2 (`bao server` with raft storage, and `-dev`
for the non-HA shapes); only behaviour both servers share is asserted here. Strongroom has no
HA storage yet, so `sys/leader` matches the non-HA OpenBao (`-dev`) shape.

hvac's JSON adapter returns a dict for a 200 with a JSON body and the `requests.Response`
otherwise (204s, and non-200 health codes, which it does not raise for).
"""

from __future__ import annotations

import base64
import secrets
import string
import time
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

import hvac
import pytest
import requests
from hvac import exceptions

if TYPE_CHECKING:
    from conftest import RunningServer, ServerFactory

pytestmark = [pytest.mark.compat, pytest.mark.slow]

# OpenBao >= 2.5 turns the unauthenticated rekey/generate-root endpoints off by default.
UNAUTHED_ENDPOINTS = (
    "disable_unauthed_rekey_endpoints = false\n  disable_unauthed_generate_root_endpoints = false"
)


class Clients:
    """Makes hvac clients and closes their sessions at teardown."""

    def __init__(self) -> None:
        self._made: list[hvac.Client] = []

    def __call__(self, server: RunningServer, token: str = "", **kw: object) -> hvac.Client:
        # token="" so hvac does not pick up VAULT_TOKEN or ~/.vault-token from the environment.
        client = hvac.Client(url=server.address, token=token, **kw)
        self._made.append(client)
        return client

    def close(self) -> None:
        for client in self._made:
            client.adapter.close()


@pytest.fixture
def clients() -> Iterator[Clients]:
    made = Clients()
    yield made
    made.close()


@pytest.fixture
def server(server_factory: ServerFactory) -> RunningServer:
    return server_factory(listener_extra=UNAUTHED_ENDPOINTS)


def _unseal(client: hvac.Client, keys: list[str]) -> dict[str, object]:
    """Submit the shares, then wait until the node is active (OpenBao on raft takes a moment
    after unsealing before it serves requests; a Strongroom node is active at once)."""
    status: dict[str, object] = client.sys.submit_unseal_keys(keys)
    assert status["sealed"] is False
    deadline = time.monotonic() + 30
    while not isinstance(client.sys.read_health_status(method="GET"), dict):
        assert time.monotonic() < deadline, "the node did not become active"
        time.sleep(0.1)
    return status


def _init_and_unseal(client: hvac.Client, shares: int = 5, threshold: int = 3) -> list[str]:
    """Initialise, unseal, make `client` use the root token; returns the hex unseal keys."""
    result = client.sys.initialize(secret_shares=shares, secret_threshold=threshold)
    client.token = result["root_token"]
    keys: list[str] = result["keys"]
    _unseal(client, keys[:threshold])
    return keys


def _decode_root_token(encoded: str, otp: str) -> str:
    """`bao operator generate-root -decode`: raw (unpadded) base64 of token XOR otp."""
    raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4))
    assert len(raw) == len(otp)
    return bytes(a ^ b for a, b in zip(raw, otp.encode(), strict=True)).decode()


def _install_time(status: dict[str, object]) -> datetime:
    value = status["install_time"]
    assert isinstance(value, str)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_initialize_unseal_and_health(server: RunningServer, clients: Clients) -> None:
    client = clients(server)
    assert client.sys.is_initialized() is False
    assert client.sys.read_init_status() == {"initialized": False}
    uninit = client.sys.read_health_status(method="GET")
    assert isinstance(uninit, requests.Response) and uninit.status_code == 501
    assert uninit.json()["initialized"] is False
    assert client.sys.read_health_status(method="GET", uninit_code=200)["sealed"] is True
    status = client.sys.read_seal_status()
    assert (status["type"], status["initialized"], status["sealed"]) == ("shamir", False, True)
    assert (status["t"], status["n"], status["progress"]) == (0, 0, 0)
    # Without HA storage OpenBao answers {"ha_enabled": false} even while sealed.
    assert client.sys.read_leader_status() == {"ha_enabled": False}

    result = client.sys.initialize(secret_shares=5, secret_threshold=3)
    keys, keys_b64 = result["keys"], result["keys_base64"]
    assert len(keys) == len(keys_b64) == 5 and len(set(keys)) == 5
    assert [bytes.fromhex(k) for k in keys] == [base64.b64decode(k) for k in keys_b64]
    assert client.sys.is_initialized() is True
    with pytest.raises(exceptions.InvalidRequest):
        client.sys.initialize(secret_shares=5, secret_threshold=3)

    sealed = client.sys.read_health_status(method="GET")
    assert isinstance(sealed, requests.Response) and sealed.status_code == 503
    assert client.sys.read_health_status().status_code == 503  # hvac's default: HEAD
    assert client.sys.read_health_status(method="GET", sealed_code=200)["sealed"] is True
    # standbyok does not turn a sealed node healthy.
    assert client.sys.read_health_status(method="GET", standby_ok=True).status_code == 503

    progress = client.sys.submit_unseal_key(keys[0])
    assert (progress["sealed"], progress["t"], progress["n"], progress["progress"]) == (
        True,
        3,
        5,
        1,
    )
    assert progress["nonce"]
    assert client.sys.submit_unseal_key(keys[0])["progress"] == 1  # the same share again
    assert client.sys.submit_unseal_key(reset=True)["progress"] == 0
    # Shares may come hex or base64 encoded, mixed.
    unsealed = _unseal(client, [keys_b64[1], keys[2], keys_b64[4]])
    assert unsealed["sealed"] is False and unsealed["progress"] == 0
    assert unsealed["cluster_id"] and unsealed["cluster_name"]
    assert client.sys.is_sealed() is False

    health = client.sys.read_health_status(method="GET")
    assert isinstance(health, dict)
    assert (health["initialized"], health["sealed"], health["standby"]) == (True, False, False)
    assert health["cluster_id"] == unsealed["cluster_id"]
    assert client.sys.read_health_status(method="GET", active_code=299).status_code == 299
    assert client.sys.read_health_status(method="GET", standby_ok=True)["sealed"] is False
    # A node without HA storage (OpenBao -dev answers exactly this too).
    assert client.sys.read_leader_status() == {"ha_enabled": False}


def test_rotate_seal_and_restart_keep_state(server: RunningServer, clients: Clients) -> None:
    client = clients(server)
    keys = _init_and_unseal(client)
    before = client.sys.get_encryption_key_status()
    assert before["term"] == 1 and before["data"]["term"] == 1
    assert isinstance(before["encryptions"], int)

    rotated = client.sys.rotate_encryption_key()
    assert isinstance(rotated, requests.Response) and rotated.status_code == 204
    after = client.sys.get_encryption_key_status()
    assert after["term"] == 2
    assert _install_time(after) >= _install_time(before)
    for anonymous in (clients(server), clients(server, token="not-a-token")):
        with pytest.raises(exceptions.Forbidden):
            anonymous.sys.rotate_encryption_key()
        with pytest.raises(exceptions.Forbidden):
            anonymous.sys.seal()
    assert client.sys.get_encryption_key_status()["term"] == 2

    cluster_id = client.sys.read_seal_status()["cluster_id"]
    assert client.sys.seal().status_code == 204
    assert client.sys.is_sealed() is True
    with pytest.raises(exceptions.VaultDown):
        client.sys.get_encryption_key_status()
    _unseal(client, keys[2:5])
    assert client.sys.get_encryption_key_status()["term"] == 2

    server.restart()
    status = client.sys.read_seal_status()
    assert (status["initialized"], status["sealed"], status["t"], status["n"]) == (
        True,
        True,
        3,
        5,
    )
    assert _unseal(client, keys[:3])["cluster_id"] == cluster_id
    persisted = client.sys.get_encryption_key_status()  # the root token survived the restart
    assert persisted["term"] == 2
    assert persisted["install_time"] == after["install_time"]


def test_generate_root_with_server_otp(server: RunningServer, clients: Clients) -> None:
    client = clients(server)
    keys = _init_and_unseal(client)
    idle = client.sys.read_root_generation_progress()
    assert (idle["started"], idle["nonce"], idle["required"]) == (False, "", 3)

    start = client.sys.start_root_token_generation()
    otp, nonce = start["otp"], start["nonce"]
    assert start["started"] is True and start["progress"] == 0 and start["complete"] is False
    assert len(otp) == start["otp_length"] > 0
    progress = client.sys.read_root_generation_progress()
    assert (progress["nonce"], progress["otp"]) == (nonce, "")  # the OTP is shown only once
    with pytest.raises(exceptions.InvalidRequest):
        client.sys.start_root_token_generation()  # one attempt at a time
    with pytest.raises(exceptions.InvalidRequest):
        client.sys.generate_root(keys[0], "not-the-nonce")

    first = client.sys.generate_root(keys[0], nonce)
    assert (first["progress"], first["complete"], first["encoded_token"]) == (1, False, "")
    client.sys.generate_root(keys[1], nonce)
    done = client.sys.generate_root(keys[2], nonce)
    assert done["complete"] is True and done["progress"] == 3
    assert done["encoded_root_token"] == done["encoded_token"]
    token = _decode_root_token(done["encoded_token"], otp)
    assert token != client.token and token.isascii() and token.isprintable()
    assert client.sys.read_root_generation_progress()["started"] is False

    # The new token is a root token: sudo paths work with it.
    new_root = clients(server, token=token)
    assert new_root.sys.rotate_encryption_key().status_code == 204
    assert new_root.sys.get_encryption_key_status()["term"] == 2


def test_generate_root_with_own_otp_and_cancel(server: RunningServer, clients: Clients) -> None:
    client = clients(server)
    keys = _init_and_unseal(client, shares=3, threshold=2)
    length = client.sys.read_root_generation_progress()["otp_length"]
    with pytest.raises(exceptions.InvalidRequest):
        client.sys.start_root_token_generation(otp="x" * (length - 1))

    alphabet = string.ascii_letters + string.digits
    otp = "".join(secrets.choice(alphabet) for _ in range(length))
    start = client.sys.start_root_token_generation(otp=otp)
    assert start["started"] is True and start["otp"] == ""
    cancelled = client.sys.cancel_root_generation()
    assert isinstance(cancelled, requests.Response) and cancelled.status_code == 204
    assert client.sys.read_root_generation_progress()["started"] is False
    with pytest.raises(exceptions.InvalidRequest):
        client.sys.generate_root(keys[0], start["nonce"])  # nothing in progress any more

    nonce = client.sys.start_root_token_generation(otp=otp)["nonce"]
    assert nonce != start["nonce"]
    client.sys.generate_root(keys[2], nonce)
    done = client.sys.generate_root(keys[0], nonce)
    token = _decode_root_token(done["encoded_token"], otp)
    assert clients(server, token=token).sys.get_encryption_key_status()["term"] == 1


def test_rekey_then_unseal_with_new_keys(server: RunningServer, clients: Clients) -> None:
    client = clients(server)
    old_keys = _init_and_unseal(client)
    idle = client.sys.read_rekey_progress()
    assert (idle["started"], idle["nonce"], idle["required"]) == (False, "", 3)

    start = client.sys.start_rekey(secret_shares=3, secret_threshold=2)
    nonce = start["nonce"]
    assert (start["started"], start["t"], start["n"], start["required"]) == (True, 2, 3, 3)
    assert start["verification_required"] is False
    assert client.sys.read_rekey_progress()["nonce"] == nonce
    with pytest.raises(exceptions.InvalidRequest):
        client.sys.start_rekey(secret_shares=3, secret_threshold=2)
    with pytest.raises(exceptions.InvalidRequest):
        client.sys.rekey(old_keys[0], nonce="not-the-nonce")

    assert client.sys.rekey(old_keys[0], nonce=nonce)["progress"] == 1
    done = client.sys.rekey_multi(old_keys[1:], nonce=nonce)
    assert done["complete"] is True and done["nonce"] == nonce
    new_keys: list[str] = done["keys"]
    assert len(new_keys) == len(done["keys_base64"]) == 3
    assert not set(new_keys) & set(old_keys)
    assert client.sys.read_rekey_progress()["started"] is False
    status = client.sys.read_seal_status()
    assert (status["t"], status["n"]) == (2, 3)

    client.sys.seal()
    with pytest.raises(exceptions.InvalidRequest):
        client.sys.submit_unseal_keys(old_keys[:2])
    assert client.sys.read_seal_status()["progress"] == 0  # a failed attempt starts over
    _unseal(client, new_keys[1:])


def test_rekey_with_verification(server: RunningServer, clients: Clients) -> None:
    client = clients(server)
    old_keys = _init_and_unseal(client, shares=3, threshold=2)
    start = client.sys.start_rekey(secret_shares=2, secret_threshold=2, require_verification=True)
    pending = client.sys.rekey_multi(old_keys[:2], nonce=start["nonce"])
    assert pending["complete"] is True and pending["verification_required"] is True
    new_keys, verify_nonce = pending["keys"], pending["verification_nonce"]
    assert client.sys.read_rekey_verify_progress()["nonce"] == verify_nonce
    # Until the new shares are verified, the old ones still unseal.
    assert client.sys.read_seal_status()["n"] == 3

    done = client.sys.rekey_verify_multi(new_keys, nonce=verify_nonce)
    assert done["complete"] is True
    assert client.sys.read_rekey_progress()["started"] is False
    client.sys.seal()
    _unseal(client, new_keys)


def test_rekey_and_generate_root_are_off_by_default(
    server_factory: ServerFactory, clients: Clients
) -> None:
    client = clients(server_factory())
    _init_and_unseal(client)
    # OpenBao answers 405 "unsupported operation", which hvac maps to UnexpectedError.
    for call in (
        client.sys.read_rekey_progress,
        lambda: client.sys.start_rekey(secret_shares=3, secret_threshold=2),
        client.sys.read_root_generation_progress,
        client.sys.start_root_token_generation,
    ):
        with pytest.raises(exceptions.UnexpectedError, match="unsupported operation"):
            call()


def test_hvac_over_https(server_factory: ServerFactory, clients: Clients) -> None:
    server = server_factory(tls=True)
    assert server.address.startswith("https://") and server.ca_file is not None
    untrusting = clients(server)  # verify=True: the system CAs do not know the test CA
    with pytest.raises(requests.exceptions.SSLError):
        untrusting.sys.is_initialized()
    client = clients(server, verify=str(server.ca_file))
    assert client.sys.is_initialized() is False
    _init_and_unseal(client, shares=1, threshold=1)
    assert client.sys.read_health_status(method="GET")["sealed"] is False
    assert client.sys.get_encryption_key_status()["term"] == 1


# -- Edge cases first found as differences from OpenBao 2.7.2, now matched -------------------


def test_rekey_and_generate_root_status_while_sealed(
    server: RunningServer, clients: Clients
) -> None:
    client = clients(server)
    _init_and_unseal(client, shares=1, threshold=1)
    client.sys.seal()
    with pytest.raises(exceptions.VaultDown):
        client.sys.read_root_generation_progress()
    with pytest.raises(exceptions.VaultDown):
        client.sys.read_rekey_progress()


def test_repeated_share_is_rejected_during_generate_root(
    server: RunningServer, clients: Clients
) -> None:
    client = clients(server)
    keys = _init_and_unseal(client, shares=3, threshold=2)
    nonce = client.sys.start_root_token_generation()["nonce"]
    client.sys.generate_root(keys[0], nonce)
    with pytest.raises(exceptions.InvalidRequest, match="already been provided"):
        client.sys.generate_root(keys[0], nonce)
