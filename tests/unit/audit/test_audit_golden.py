"""Byte-for-byte audit output: every line a device writes (field order, HMAC values, JSON
spelling of numbers and strings, chain values) is pinned by files under `golden/`.

The golden files were written by the reference implementation (stdlib `json` everywhere), so
any faster path must produce the very same bytes, including for the awkward values (floats in
exponent form, NaN, integers past 64 bits, control characters, astral code points, non-str
keys) and must fail the same way on values that cannot be written at all.
Regenerate only for an intended format change: `python tests/unit/audit/test_audit_golden.py`.
"""

from __future__ import annotations

import asyncio
import datetime
import enum
import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest
from audit_harness import SALTER, entry, login_response, request, token

from strongroom.audit import AuditBroker, AuditEntry, AuditFailed, FileDevice, FormatOptions
from strongroom.logical import Auth, Connection, Operation, Response, Secret, WrapInfo
from strongroom.sensitive import SecretValue

GOLDEN = Path(__file__).parent / "golden"


class IntFlagLike(enum.IntEnum):
    A = 1


DEVICES: dict[str, dict[str, str]] = {
    "default": {},
    "raw-prefix": {"log_raw": "true", "prefix": "AUDIT\u00e9 "},
    "accessor-elide": {"hmac_accessor": "false", "elide_list_responses": "true"},
}
AWKWARD = 'q"b\\s/\x00\x01\x1f\x7f\u2028\u2029\t\n\r\b\f\u00e9\u4e2d\U0001f600\uffff'
FLOATS = [0.1, 1.5, 2.0, -0.0, 1e16, 1e-7, 7.5e-05, 1.5e300, 123456789.125, float("nan")]
FLOATS += [float("inf"), float("-inf")]


def _kv_read() -> Response:
    return Response(
        data={
            "data": {"value": "c2VjcmV0", "n": 7},
            "metadata": {
                "created_time": "2027-01-15T08:00:00.123456Z",
                "custom_metadata": None,
                "deletion_time": "",
                "destroyed": False,
                "version": 1,
            },
        }
    )


def entries() -> Iterator[tuple[str, AuditEntry]]:
    """(phase, entry) pairs covering every field of both record types."""
    yield "request", entry()
    yield "response", entry(login_response())
    yield "request", entry(req=request(Operation.READ, {}))
    yield "response", entry(_kv_read(), req=request(Operation.READ, {}))
    same = {"a": "dup", "b": ["dup", "dup", {"c": "dup"}], "d": ""}
    yield "request", entry(req=request(data=same))
    yield "response", entry(Response(data=dict(same)), req=request(data=same))
    awkward = {
        AWKWARD: AWKWARD,
        "nested": [AWKWARD, (1, "t", None, True, False), {"": [], "e": {}}],
        "\U0001f600key": 1,
        "B": 2,
        "b": 3,
        "\ue000": 4,
    }
    awkward_token = replace(
        token(),
        display_name=AWKWARD,
        metadata={AWKWARD: AWKWARD, "role": "r\u00f4le"},
        entity_id="ent-\u00e9",
        policies=("default", AWKWARD),
    )
    awkward_req = replace(
        request(data=awkward),
        id=AWKWARD,
        path="data/" + AWKWARD,
        token=awkward_token,
        connection=Connection("::1", 65535),
    )
    yield "request", entry(req=awkward_req, request_headers={"x-hint": AWKWARD, "x-ok": "v"})
    yield (
        "response",
        entry(
            Response(data=awkward, warnings=(AWKWARD, "w2")),
            req=awkward_req,
            error=AWKWARD,
            request_headers={"x-hint": AWKWARD, "x-ok": "v"},
            plain_headers=frozenset({"x-ok"}),
        ),
    )
    numbers = {"f": FLOATS, "big": [2**63, 2**64 - 1, -(2**63)], "one": 1.0}
    yield "request", entry(req=request(data=numbers))
    yield "response", entry(Response(data=numbers), req=request(data={"x": "y"}))
    yield "request", entry(req=request(data={"huge": 2**64, "neg": -(2**63) - 1}))
    odd_keys = {1: "int key", 2.5: "float key", None: "none key", False: "bool key"}
    proxy = MappingProxyType({"inner": "v", "t": ("a", "b")})
    yield "request", entry(req=request(data={"odd": odd_keys, "proxy": proxy}))  # type: ignore[dict-item]
    nested_skip = {"pw": "p1", "other": "o", "deep": [{"pw": ("x", 1)}, {"user": "u"}]}
    resp = Response(data={"inner": {"user": "bob", "pw": "p2", "l": [{"user": ["a"]}]}})
    yield (
        "response",
        entry(
            resp,
            req=request(data=nested_skip),
            non_hmac_request_keys=("pw",),
            non_hmac_response_keys=("user",),
        ),
    )
    unauth = replace(request(data={"password": "pw"}), token=None, client_token=None)
    yield "request", entry(req=unauth, policy_results={"allowed": True, "granting": ["x"]})
    yield "response", entry(None, req=unauth, error="permission denied")
    listing = Response(data={"keys": ["a", "b"], "key_info": {"a": {"x": 1}, "b": {}}})
    yield "response", entry(listing, req=request(Operation.LIST, {}))
    yield "response", entry(listing, req=request(Operation.READ, {}))
    full = Response(
        data={"k": "v"},
        secret=Secret(lease_id="db/creds/role/abc", ttl=60),
        warnings=("careful",),
        auth=Auth(
            client_token="s.tok",
            accessor="acc",
            policies=("a", "b"),
            token_policies=("a",),
            identity_policies=("i",),
            metadata={"m": "v"},
            lease_duration=30,
            entity_id="e1",
            token_type="batch",
            display_name="dn",
        ),
        wrap_info=WrapInfo(
            token="s.wrap",
            accessor="wacc",
            ttl=300,
            creation_time="2027-01-15T08:00:00Z",
            creation_path="secret/data/x",
            wrapped_accessor="inner-acc",
        ),
    )
    wrapped = replace(request(), wrap_ttl=300)
    yield (
        "response",
        entry(full, req=wrapped, token_issue_time="2027-01-15T07:00:00Z", error="partial"),
    )
    other_token = replace(token(), accessor="other-acc", ttl=3600, token_type="service")
    swapped = replace(request(), client_token=SecretValue("s.other"))
    yield "request", replace(entry(req=swapped, token=other_token), time=0.0)
    for moment in (1_800_000_000.000_000_4, 1_799_999_999.999_999_7, 1_800_000_000.000_010_5):
        yield "request", replace(entry(), time=moment)
    yield "response", replace(entry(Response()), time=1_800_000_000.25)


async def write_all(path: Path, options: dict[str, str]) -> bytes:
    device = FileDevice("file/", {"file_path": str(path), **options}, SALTER)
    await device.open()
    try:
        for phase, item in entries():
            if phase == "request":
                await device.log_request(item)
            else:
                await device.log_response(item)
    finally:
        await device.close()
    return path.read_bytes()


@pytest.mark.parametrize("name", sorted(DEVICES))
async def test_lines_match_golden(tmp_path: Path, name: str) -> None:
    written = await write_all(tmp_path / "audit.log", DEVICES[name])
    expected = (GOLDEN / f"{name}.log").read_bytes()
    assert written.splitlines() == expected.splitlines()
    assert written == expected


async def test_concurrent_writers_chain_like_sequential(tmp_path: Path) -> None:
    """Records of concurrent requests are batched, yet chained exactly as if one by one."""
    device = FileDevice("file/", {"file_path": str(tmp_path / "a.log")}, SALTER)
    await device.open()
    items = [item for phase, item in entries() if phase == "request"]
    await asyncio.gather(*(device.log_request(item) for item in items))
    await device.close()
    sequential = FileDevice("file/", {"file_path": str(tmp_path / "b.log")}, SALTER)
    await sequential.open()
    for item in items:
        await sequential.log_request(item)
    await sequential.close()
    assert (tmp_path / "a.log").read_bytes() == (tmp_path / "b.log").read_bytes()


UNWRITABLE = [
    ("surrogate", "\udc80", {}),
    ("surrogate-raw", "\udc80", {"log_raw": "true"}),
    ("datetime", datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC), {}),
    ("uuid", uuid.UUID(int=5), {}),
    ("set", {"a"}, {}),
    ("bytes", b"raw", {}),
]


@pytest.mark.parametrize(
    ("value", "options"),
    [(v, o) for _, v, o in UNWRITABLE],
    ids=[name for name, _, _ in UNWRITABLE],
)
async def test_unwritable_values_fail_closed_and_leave_no_line(
    tmp_path: Path, value: object, options: dict[str, str]
) -> None:
    path = tmp_path / "audit.log"
    device = FileDevice("file/", {"file_path": str(path), **options}, SALTER)
    await device.open()
    broker = AuditBroker()
    broker.add(device)
    with pytest.raises(AuditFailed) as info:
        await broker.log_request(entry(req=request(data={"v": value})))
    await broker.log_request(entry())
    await broker.close()
    expected = (GOLDEN / "unwritable.txt").read_text().splitlines()
    names = [name for name, v, o in UNWRITABLE if v is value and o == options]
    assert f"{names[0]}: {info.value}" in expected
    assert path.read_bytes().count(b"\n") == 1


async def _regenerate() -> None:  # pragma: no cover - run by hand, see the docstring
    import tempfile

    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, options in DEVICES.items():
            data = await write_all(Path(tmp) / f"{name}.log", options)
            (GOLDEN / f"{name}.log").write_bytes(data)
        reasons = []
        for name, value, options in UNWRITABLE:
            device = FileDevice("file/", {"file_path": f"{tmp}/{name}", **options}, SALTER)
            await device.open()
            broker = AuditBroker()
            broker.add(device)
            try:
                await broker.log_request(entry(req=request(data={"v": value})))
            except AuditFailed as exc:
                reasons.append(f"{name}: {exc}")
            await broker.close()
        (GOLDEN / "unwritable.txt").write_text("\n".join(reasons) + "\n")


if __name__ == "__main__":  # pragma: no cover
    asyncio.run(_regenerate())


def test_fast_path_taken_only_for_plain_records() -> None:
    from strongroom.audit import chain
    from strongroom.audit.format import build_request

    key = SALTER.chain_key()
    linker = chain.Linker(key)
    record, plain = build_request(entry(), SALTER.hash, FormatOptions())
    assert plain
    fast = chain.seal_plain(linker, "prev", 3, record, state_prev=True)
    full = chain.seal_record(key, "prev", 3, record, state_prev=True)
    text = json.dumps(full, separators=(",", ":"), ensure_ascii=False).encode()
    assert fast == (text, full[chain.CHAIN_FIELD])
    for data in ({"f": 0.5}, {"e": IntFlagLike.A}, {"m": MappingProxyType({})}):
        assert not build_request(entry(req=request(data=data)), SALTER.hash, FormatOptions())[1]
    # (A float `ttl`, a non-str `display_name` or `error` is refused by the compiled
    # formatter's declared types before it gets this far.)
    odd = replace(token(), metadata={"k": 1.5})  # type: ignore[dict-item]
    assert not build_request(entry(token=odd), SALTER.hash, FormatOptions())[1]
    huge, plain = build_request(entry(req=request(data={"n": 2**64})), None, FormatOptions())
    assert plain and chain.seal_plain(linker, "prev", 0, huge, state_prev=False) is None


async def test_response_of_a_derived_entry_matches_a_fresh_one(tmp_path: Path) -> None:
    """`AuditEntry.outcome` lets a device reuse the sections it formatted for the request
    record; the bytes are those of formatting the response entry from scratch."""
    requests = [item for phase, item in entries() if phase == "request"]
    outcomes = [
        (_kv_read(), ""),
        (None, "permission denied"),
        (login_response(), ""),
        (Response(data={"f": 0.5}), AWKWARD),
    ]
    for name, options in DEVICES.items():
        derived = FileDevice("file/", {"file_path": str(tmp_path / f"{name}-a"), **options}, SALTER)
        fresh = FileDevice("file/", {"file_path": str(tmp_path / f"{name}-b"), **options}, SALTER)
        for device in (derived, fresh):
            await device.open()
        for i, item in enumerate(requests):
            response, error = outcomes[i % len(outcomes)]
            await derived.log_request(item)
            await derived.log_response(item.outcome(item.time + 1.5, response, error))
            await fresh.log_request(item)
            copy = replace(item, time=item.time + 1.5, response=response, error=error)
            assert not copy.memo
            await fresh.log_response(copy)
        for device in (derived, fresh):
            await device.close()
        assert (tmp_path / f"{name}-a").read_bytes() == (tmp_path / f"{name}-b").read_bytes()
