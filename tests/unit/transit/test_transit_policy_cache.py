"""The parsed-key cache: never filled by a load that raced with a write; encrypt with a
cached key takes no lock; Go-compatible base64 with a fast path for canonical input."""

from __future__ import annotations

import asyncio
import base64
import binascii
import random

import orjson
from transit_harness import Transit, b64

from strongroom.engines.transit import _crypto
from strongroom.engines.transit._context import TransitContext
from strongroom.engines.transit._encoding import Base64Error, _go_error_offset, b64decode
from strongroom.engines.transit._policy import Policy
from strongroom.engines.transit.path_encrypt import FIELDS, encrypt
from strongroom.framework import FieldData
from strongroom.logical import Operation, Request
from strongroom.storage import Entry, InmemStorage
from tests.gated_storage import GatedStorage


async def _key(transit: Transit, storage: InmemStorage) -> Policy:
    """A key made by the engine, copied into `storage`."""
    await transit.write("keys/k")
    stored = await transit.storage.get("policy/k")
    assert stored is not None
    await storage.put(Entry("policy/k", stored.value))
    return Policy.from_json(orjson.loads(stored.value))


async def test_a_load_that_raced_a_write_is_not_cached(transit: Transit) -> None:
    storage = GatedStorage()
    policy = await _key(transit, storage)
    ctx = TransitContext(clock=transit.clock)
    storage.hold = True
    racing = asyncio.create_task(ctx.load(storage, "k"))
    await storage.waiting.wait()  # it has read version 1 and not yet parsed it
    storage.hold = False
    await ctx.save(storage, policy.with_version(_crypto.generate(policy.type, 1)))
    storage.gate.set()
    stale = await racing
    assert stale is not None and stale.latest_version == 1
    assert ctx.cached("k") is None
    fresh = await ctx.load(storage, "k")
    assert fresh is not None and fresh.latest_version == 2 and ctx.cached("k") is fresh
    ctx.invalidate("policy/k")
    assert ctx.cached("k") is None


async def test_encrypt_with_a_cached_key_takes_no_lock(transit: Transit) -> None:
    storage = InmemStorage()
    await _key(transit, storage)
    ctx = TransitContext(clock=transit.clock)
    assert await ctx.load(storage, "k") is not None
    request = Request(Operation.UPDATE, "encrypt/k", storage=storage)
    data = FieldData({"name": "k", "plaintext": b64(b"hello")}, FIELDS)
    async with ctx.key_lock("k"):  # a rotation under way, say
        response = await asyncio.wait_for(encrypt(ctx, request, data), 1)
    assert response is not None and response.data is not None
    assert str(response.data["ciphertext"]).startswith("vault:v1:")


def _reference(text: str) -> bytes | int:
    """Go's StdEncoding as the walk alone decides it: bytes, or the error offset."""
    raw = text.encode()
    offset = _go_error_offset(raw)
    if offset is not None:
        return offset
    try:
        return base64.b64decode(raw.replace(b"\n", b"").replace(b"\r", b""), validate=True)
    except binascii.Error:
        return 0


def _decoded(text: str) -> bytes | int:
    try:
        return b64decode(text)
    except Base64Error as exc:
        return int(str(exc).rsplit(" ", 1)[1])


def test_base64_fast_path_agrees_with_the_walk() -> None:
    rng = random.Random(8)
    samples = ["", "QQ==", "QUI=", "QUJD", "Q===", "QQ=", "QQ", "QQ==QQ==", "QU\nJD", "QUJD\r\n"]
    samples += [
        "".join(rng.choice("AB+/=\n\r -") for _ in range(rng.randrange(12))) for _ in range(5000)
    ]
    samples += [base64.b64encode(rng.randbytes(rng.randrange(40))).decode() for _ in range(500)]
    for text in samples:
        assert _decoded(text) == _reference(text), repr(text)
