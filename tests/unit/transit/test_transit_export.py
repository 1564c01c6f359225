"""export/:type/:name(/:version): OpenBao's shapes, formats, order of checks and texts."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from transit_harness import Transit

from strongroom.errors import InvalidRequest
from strongroom.types import JSONDict


async def _export(transit: Transit, path: str) -> JSONDict:
    response = await transit.read("export/" + path)
    assert response is not None and response.data is not None
    return response.data


async def test_shape_and_versions(transit: Transit) -> None:
    await transit.write("keys/k", exportable=True)
    await transit.write("keys/k/rotate")
    data = await _export(transit, "encryption-key/k")
    assert set(data) == {"name", "type", "keys"}
    assert data["name"] == "k" and data["type"] == "aes256-gcm96"
    assert sorted(data["keys"]) == ["1", "2"]
    assert len(base64.b64decode(data["keys"]["1"])) == 32
    assert list((await _export(transit, "encryption-key/k/latest"))["keys"]) == ["2"]
    assert list((await _export(transit, "encryption-key/k/+1"))["keys"]) == ["1"]
    await transit.write("keys/k/config", min_decryption_version=2)
    assert list((await _export(transit, "encryption-key/k"))["keys"]) == ["2"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("bogus/k", "invalid export type: bogus"),
        ("encryption-key/k/3", "version does not exist or cannot be found"),
        ("encryption-key/k/0", "version for export is below minimum decryption version"),
        ("encryption-key/k/-1", "version for export is below minimum decryption version"),
        ("encryption-key/k/abc", "invalid key version"),
        ("encryption-key/k/%201", "invalid key version"),
        ("signing-key/k", "signing not supported for the key"),
        ("public-key/k", "unknown key type aes256-gcm96 for export type public-key"),
        ("encryption-key/plain", "private key material is not exportable"),
        ("hmac-key/plain/abc", "private key material is not exportable"),
        ("encryption-key/ed/abc", "encryption not supported for the key"),
        ("public-key/ed/9", "version does not exist or cannot be found"),
    ],
)
async def test_errors(transit: Transit, path: str, message: str) -> None:
    await transit.write("keys/k", exportable=True)
    await transit.write("keys/k/rotate")
    await transit.write("keys/plain")
    await transit.write("keys/ed", type="ed25519", exportable=True)
    with pytest.raises(InvalidRequest) as err:
        await transit.read("export/" + path)
    assert str(err.value) == message


async def test_missing_key_is_404(transit: Transit) -> None:
    assert await transit.read("export/encryption-key/nope") is None
    with pytest.raises(InvalidRequest, match="invalid export type"):
        await transit.read("export/bogus/nope")


async def test_public_key_needs_no_exportable(transit: Transit) -> None:
    await transit.write("keys/ed", type="ed25519")
    keys = (await _export(transit, "public-key/ed"))["keys"]
    read = await transit.read("keys/ed")
    assert read is not None and read.data is not None
    assert keys["1"] == read.data["keys"]["1"]["public_key"]


async def test_ed25519_formats(transit: Transit) -> None:
    await transit.write("keys/ed", type="ed25519", exportable=True)
    private = base64.b64decode((await _export(transit, "signing-key/ed/1"))["keys"]["1"])
    public = base64.b64decode((await _export(transit, "public-key/ed/1"))["keys"]["1"])
    assert len(private) == 64 and private[32:] == public
    derived = ed25519.Ed25519PrivateKey.from_private_bytes(private[:32]).public_key()
    assert (
        derived.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == public
    )
    hmac_key = (await _export(transit, "hmac-key/ed"))["keys"]["1"]
    assert len(base64.b64decode(hmac_key)) == 32


async def test_ecdsa_formats(transit: Transit) -> None:
    await transit.write("keys/ec", type="ecdsa-p256", exportable=True)
    pem = (await _export(transit, "signing-key/ec"))["keys"]["1"]
    assert pem.startswith("-----BEGIN EC PRIVATE KEY-----\n")
    assert pem.endswith("-----END EC PRIVATE KEY-----")  # OpenBao: no trailing newline
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    public = (await _export(transit, "public-key/ec"))["keys"]["1"]
    assert public.endswith("-----END PUBLIC KEY-----")
    loaded = serialization.load_pem_public_key(public.encode())
    assert loaded == private.public_key()


async def test_rsa_formats(transit: Transit) -> None:
    await transit.write("keys/rsa", type="rsa-2048", exportable=True)
    enc = (await _export(transit, "encryption-key/rsa"))["keys"]["1"]
    sig = (await _export(transit, "signing-key/rsa"))["keys"]["1"]
    assert enc == sig
    assert enc.startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    assert enc.endswith("-----END RSA PRIVATE KEY-----\n")
    private = serialization.load_pem_private_key(enc.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    public = (await _export(transit, "public-key/rsa"))["keys"]["1"]
    assert public.endswith("-----END PUBLIC KEY-----\n")


async def test_hmac_key_type(transit: Transit) -> None:
    await transit.write("keys/h", type="hmac", key_size=40, exportable=True)
    keys = (await _export(transit, "hmac-key/h"))["keys"]
    assert len(base64.b64decode(keys["1"])) == 40
    for kind, message in [
        ("encryption-key", "encryption not supported for the key"),
        ("signing-key", "signing not supported for the key"),
        ("public-key", "unknown key type hmac for export type public-key"),
    ]:
        with pytest.raises(InvalidRequest) as err:
            await transit.read(f"export/{kind}/h")
        assert str(err.value) == message


async def test_trimmed_versions_not_exported(transit: Transit) -> None:
    await transit.write("keys/k", exportable=True)
    await transit.write("keys/k/rotate")
    await transit.write("keys/k/config", min_decryption_version=2, min_encryption_version=2)
    await transit.write("keys/k/trim", min_available_version=2)
    assert list((await _export(transit, "encryption-key/k"))["keys"]) == ["2"]
    with pytest.raises(InvalidRequest, match="below minimum decryption version"):
        await transit.read("export/encryption-key/k/1")
