"""Transit with the real `bao` CLI and hvac, against Strongroom and OpenBao alike."""

from __future__ import annotations

import base64
from typing import Any

import hvac
import pytest
from hvac import exceptions

pytestmark = [pytest.mark.compat, pytest.mark.slow]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_transit_cli_flow(dev_target: Any) -> None:
    t = dev_target
    t.ok("secrets", "enable", "transit")
    t.ok("write", "-f", "transit/keys/app")
    old = t.ok(
        "write", "-field=ciphertext", "transit/encrypt/app", f"plaintext={_b64('hello')}"
    ).strip()
    assert old.startswith("vault:v1:")
    plain = t.ok("write", "-field=plaintext", "transit/decrypt/app", f"ciphertext={old}").strip()
    assert base64.b64decode(plain) == b"hello"
    t.ok("write", "-f", "transit/keys/app/rotate")
    new = t.ok(
        "write", "-field=ciphertext", "transit/encrypt/app", f"plaintext={_b64('hi')}"
    ).strip()
    assert new.startswith("vault:v2:")
    rewrapped = t.ok(
        "write", "-field=ciphertext", "transit/rewrap/app", f"ciphertext={old}"
    ).strip()
    assert rewrapped.startswith("vault:v2:")
    again = t.ok("write", "-field=plaintext", "transit/decrypt/app", f"ciphertext={old}").strip()
    assert base64.b64decode(again) == b"hello"  # the old version still decrypts
    t.ok("write", "transit/keys/app/config", "min_decryption_version=2")
    refused = t.bao("write", "transit/decrypt/app", f"ciphertext={old}")
    assert refused.returncode == 2
    assert "ciphertext or signature version is disallowed by policy (too old)" in refused.stderr


def test_transit_with_hvac(dev_target: Any) -> None:
    client = hvac.Client(url=dev_target.address, token="root")
    client.sys.enable_secrets_engine("transit")
    client.secrets.transit.create_key("k")
    client.secrets.transit.create_key("signer", key_type="ed25519")
    encrypted = client.secrets.transit.encrypt_data("k", plaintext=_b64("data"))["data"][
        "ciphertext"
    ]
    decrypted = client.secrets.transit.decrypt_data("k", ciphertext=encrypted)["data"]["plaintext"]
    assert base64.b64decode(decrypted) == b"data"
    key = client.secrets.transit.read_key("k")["data"]
    assert key["type"] == "aes256-gcm96" and key["latest_version"] == 1
    signed = client.secrets.transit.sign_data("signer", hash_input=_b64("msg"))["data"]["signature"]
    verified = client.secrets.transit.verify_signed_data(
        "signer", hash_input=_b64("msg"), signature=signed
    )
    assert verified["data"]["valid"] is True
    with pytest.raises(exceptions.InvalidRequest):
        client.secrets.transit.decrypt_data("k", ciphertext="vault:v1:AAAA")
