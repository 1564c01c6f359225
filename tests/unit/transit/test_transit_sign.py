"""sign/verify and hmac: every asymmetric type and option, checked with `cryptography`
against the public key that `keys/:name` returns."""

from __future__ import annotations

import base64
import hashlib

import orjson
import pytest
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils
from transit_harness import Transit, b64

from strongroom.errors import InvalidRequest
from strongroom.logical import Operation

MESSAGE = b"attack at dawn"
HASHES = {
    "sha2-224": hashes.SHA224,
    "sha2-256": hashes.SHA256,
    "sha2-384": hashes.SHA384,
    "sha2-512": hashes.SHA512,
}


async def public_key(transit: Transit, name: str, version: int = 1) -> object:
    response = await transit.read(f"keys/{name}")
    assert response is not None and response.data is not None
    text = response.data["keys"][str(version)]["public_key"]
    if response.data["type"] == "ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(base64.b64decode(text))
    return serialization.load_pem_public_key(text.encode())


def raw_sig(signature: str, jws: bool) -> bytes:
    payload = signature.split(":", 2)[2]
    if jws:
        assert "=" not in payload
        return base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return base64.b64decode(payload)


async def test_ed25519(transit: Transit) -> None:
    await transit.write("keys/ed", type="ed25519")
    data = await transit.write("sign/ed", input=b64(MESSAGE))
    key = await public_key(transit, "ed")
    assert isinstance(key, ed25519.Ed25519PublicKey)
    key.verify(raw_sig(data["signature"], False), MESSAGE)
    assert (await transit.write("verify/ed", input=b64(MESSAGE), signature=data["signature"]))[
        "valid"
    ] is True
    assert (await transit.write("verify/ed", input=b64(b"x"), signature=data["signature"]))[
        "valid"
    ] is False


@pytest.mark.parametrize("key_type", ["ecdsa-p256", "ecdsa-p384", "ecdsa-p521"])
@pytest.mark.parametrize("hash_name", list(HASHES))
@pytest.mark.parametrize("marshaling", ["asn1", "jws"])
@pytest.mark.parametrize("prehashed", [False, True])
async def test_ecdsa(
    transit: Transit, key_type: str, hash_name: str, marshaling: str, prehashed: bool
) -> None:
    await transit.write("keys/ec", type=key_type)
    algorithm = HASHES[hash_name]()
    message = hashlib.new(algorithm.name, MESSAGE).digest() if prehashed else MESSAGE
    data = await transit.write(
        f"sign/ec/{hash_name}",
        input=b64(message),
        marshaling_algorithm=marshaling,
        prehashed=prehashed,
    )
    key = await public_key(transit, "ec")
    assert isinstance(key, ec.EllipticCurvePublicKey)
    sig = raw_sig(data["signature"], marshaling == "jws")
    if marshaling == "jws":
        size = (key.curve.key_size + 7) // 8
        assert len(sig) == 2 * size
        sig = utils.encode_dss_signature(
            int.from_bytes(sig[:size], "big"), int.from_bytes(sig[size:], "big")
        )
    key.verify(sig, MESSAGE, ec.ECDSA(algorithm))
    verified = await transit.write(
        f"verify/ec/{hash_name}",
        input=b64(message),
        signature=data["signature"],
        marshaling_algorithm=marshaling,
        prehashed=prehashed,
    )
    assert verified == {"valid": True}


@pytest.mark.parametrize("key_type", ["rsa-2048", "rsa-3072", "rsa-4096"])
@pytest.mark.parametrize("signature_algorithm", ["pss", "pkcs1v15"])
@pytest.mark.parametrize("marshaling", ["asn1", "jws"])
async def test_rsa(
    transit: Transit, key_type: str, signature_algorithm: str, marshaling: str
) -> None:
    await transit.write("keys/rsa", type=key_type)
    data = await transit.write(
        "sign/rsa",
        input=b64(MESSAGE),
        hash_algorithm="sha2-384",
        signature_algorithm=signature_algorithm,
        marshaling_algorithm=marshaling,
    )
    key = await public_key(transit, "rsa")
    assert isinstance(key, rsa.RSAPublicKey)
    pad: padding.AsymmetricPadding = (
        padding.PKCS1v15()
        if signature_algorithm == "pkcs1v15"
        else padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=padding.PSS.AUTO)
    )
    key.verify(raw_sig(data["signature"], marshaling == "jws"), MESSAGE, pad, hashes.SHA384())
    verified = await transit.write(
        "verify/rsa/sha2-384",
        input=b64(MESSAGE),
        signature=data["signature"],
        signature_algorithm=signature_algorithm,
        marshaling_algorithm=marshaling,
    )
    assert verified == {"valid": True}


async def test_rsa_prehashed(transit: Transit) -> None:
    await transit.write("keys/rsa", type="rsa-2048")
    digest = hashlib.sha256(MESSAGE).digest()
    data = await transit.write(
        "sign/rsa", input=b64(digest), prehashed=True, signature_algorithm="pkcs1v15"
    )
    key = await public_key(transit, "rsa")
    assert isinstance(key, rsa.RSAPublicKey)
    key.verify(raw_sig(data["signature"], False), MESSAGE, padding.PKCS1v15(), hashes.SHA256())


async def test_sign_after_rotation_uses_new_version(transit: Transit) -> None:
    await transit.write("keys/ec", type="ecdsa-p256")
    old = await transit.write("sign/ec", input=b64(MESSAGE))
    await transit.write("keys/ec/rotate")
    new = await transit.write("sign/ec", input=b64(MESSAGE))
    assert new["key_version"] == 2 and new["signature"].startswith("vault:v2:")
    key = await public_key(transit, "ec", 2)
    assert isinstance(key, ec.EllipticCurvePublicKey)
    key.verify(raw_sig(new["signature"], False), MESSAGE, ec.ECDSA(hashes.SHA256()))
    assert (await transit.write("verify/ec", input=b64(MESSAGE), signature=old["signature"]))[
        "valid"
    ]
    await transit.write("keys/ec/config", min_decryption_version=2)
    with pytest.raises(InvalidRequest, match=r"too old"):
        await transit.write("verify/ec", input=b64(MESSAGE), signature=old["signature"])


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("sign/k", {"input": b64(MESSAGE)}, "key type aes256-gcm96 does not support signing"),
        (
            "sign/ec",
            {"input": b64(MESSAGE), "hash_algorithm": "md5"},
            'invalid hash algorithm "md5"',
        ),
        ("sign/ec/foo", {"input": b64(MESSAGE)}, 'invalid hash algorithm "foo"'),
        ("sign/none", {"input": b64(MESSAGE)}, "signing key not found"),
        ("verify/none", {"input": "", "signature": "x"}, "signature verification key not found"),
        ("verify/ec", {"input": b64(MESSAGE)}, "neither a 'signature' nor an 'hmac'"),
        ("verify/ec", {"input": b64(MESSAGE), "signature": "junk"}, "invalid signature: no prefix"),
        (
            "verify/ec",
            {"input": b64(MESSAGE), "signature": "vault:v1:AAAA"},
            "supplied signature is invalid",
        ),
    ],
)
async def test_sign_errors(transit: Transit, path: str, body: dict[str, str], message: str) -> None:
    await transit.write("keys/k")
    await transit.write("keys/ec", type="ecdsa-p256")
    with pytest.raises(InvalidRequest, match=message):
        await transit.write(path, **body)


async def test_sign_verify_batch(transit: Transit) -> None:
    await transit.write("keys/ec", type="ecdsa-p256")
    response = await transit.call(
        Operation.UPDATE, "sign/ec", batch_input=[{"input": b64(MESSAGE)}, {"input": "!!"}]
    )
    assert response is not None and response.data is not None and response.status is None
    good, bad = response.data["batch_results"]
    assert bad == {
        "key_version": 0,
        "reference": "",
        "error": "unable to decode input as base64: illegal base64 data at input byte 0",
    }
    items = [
        {"input": b64(MESSAGE), "signature": good["signature"]},
        {"input": b64(MESSAGE), "signature": "junk"},
    ]
    result = await transit.write("verify/ec", batch_input=items)
    assert result["batch_results"] == [
        {"valid": True, "reference": ""},
        {"valid": False, "error": "invalid signature: no prefix", "reference": ""},
    ]


@pytest.mark.parametrize("key_type", ["aes256-gcm96", "ed25519"])
async def test_hmac_round_trip(transit: Transit, key_type: str) -> None:
    await transit.write("keys/k", type=key_type)
    data = await transit.write("hmac/k/sha2-512", input=b64(MESSAGE))
    assert data["hmac"].startswith("vault:v1:")
    assert len(base64.b64decode(data["hmac"].split(":")[2])) == 64
    ok = await transit.write("verify/k/sha2-512", input=b64(MESSAGE), hmac=data["hmac"])
    assert ok == {"valid": True}
    bad = await transit.write("verify/k/sha2-512", input=b64(b"other"), hmac=data["hmac"])
    assert bad == {"valid": False}


async def test_hmac_key_type_uses_key_material(transit: Transit) -> None:
    await transit.write("keys/h", type="hmac", key_size=32)
    data = await transit.write("hmac/h", input=b64(MESSAGE))
    stored = await transit.storage.get("policy/h")
    assert stored is not None
    key = base64.b64decode(orjson.loads(stored.value)["versions"]["1"]["key"])
    h = hmac.HMAC(key, hashes.SHA256())
    h.update(MESSAGE)
    assert data["hmac"] == "vault:v1:" + b64(h.finalize())


async def test_hmac_batch_and_errors(transit: Transit) -> None:
    await transit.write("keys/k")
    data = await transit.write("hmac/k", batch_input=[{"input": b64(b"a")}, {"input": "!!"}])
    assert data["batch_results"][1] == {
        "error": "unable to decode input as base64: illegal base64 data at input byte 0",
        "reference": "",
    }
    with pytest.raises(InvalidRequest, match=r"^encryption key not found$"):
        await transit.write("hmac/none", input=b64(b"a"))
