"""The device's `RecordCache`: a token's `auth` section is built once and reused by its next
requests, yet every record is byte for byte what it would be without the cache, whatever
changed about the token in between; and the cache never holds a token in the clear."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from audit_harness import ACCESSOR, ROOT_TOKEN, SALTER, entry, request, token
from test_audit_golden import DEVICES, GOLDEN, entries

from strongroom.audit import AuditEntry, FileDevice, FormatOptions, format_request
from strongroom.audit.format import RecordCache, build_request, build_response
from strongroom.logical import Connection, Operation, Response
from strongroom.sensitive import SecretValue

H = SALTER.hash


def resolved(item: AuditEntry) -> AuditEntry:
    """`item` as the pipeline builds it: the request's token resolved from its own client
    token (the same SecretValue) and carrying its token entry id."""
    req = item.request
    if req.token is None or req.client_token is None:
        return item
    info = replace(req.token, token_id=req.client_token, entry_id="id-" + req.client_token.reveal())
    return replace(item, request=replace(req, token=info))


def resolved_entries() -> Iterator[tuple[str, AuditEntry]]:
    for phase, item in entries():
        yield phase, resolved(item)


async def _write(
    path: Path, options: dict[str, str], items: Iterable[tuple[str, AuditEntry]], *, warm: bool
) -> bytes:
    items = list(items)
    device = FileDevice("file/", {"file_path": str(path), **options}, SALTER)
    await device.open()
    if warm:  # every token's section is in the cache before its first record is written
        for _, item in items:
            device._fmt.request_record(replace(item))
    for phase, item in items:
        if phase == "request":
            await device.log_request(item)
        else:
            await device.log_response(item)
    await device.close()
    return path.read_bytes()


@pytest.mark.parametrize("warm", [False, True])
@pytest.mark.parametrize("name", sorted(DEVICES))
async def test_resolved_tokens_match_golden(tmp_path: Path, name: str, warm: bool) -> None:
    written = await _write(tmp_path / "audit.log", DEVICES[name], resolved_entries(), warm=warm)
    assert written == (GOLDEN / f"{name}.log").read_bytes()


def _base() -> AuditEntry:
    return resolved(entry(req=request(data={"k": "v"})))


def _with_token(item: AuditEntry, **changes: object) -> AuditEntry:
    req = item.request
    assert req.token is not None
    return replace(item, request=replace(req, token=replace(req.token, **changes)))


def _variants() -> Iterator[AuditEntry]:
    base = _base()
    yield _with_token(base, display_name="other")
    yield _with_token(base, ttl=60)
    yield _with_token(base, accessor="another-accessor")
    yield _with_token(base, policies=("a", "b"))
    yield _with_token(base, metadata={"role": "r"})
    yield _with_token(base, entity_id="ent")
    yield _with_token(base, token_type="batch")
    yield replace(base, token_issue_time="2027-01-15T07:00:00Z")
    yield replace(base, policy_results={"allowed": True})
    # The same entry id with another client token (never made by the token store): the
    # HMAC written is still that of the token the request carried.
    other = SecretValue("s.another")
    req = base.request
    assert req.token is not None
    yield replace(
        base, request=replace(req, client_token=other, token=replace(req.token, token_id=other))
    )
    # What the `request` section takes from the request: the parts kept per (operation,
    # mount) and the others.
    yield replace(base, request=replace(req, operation=Operation.LIST))
    yield replace(base, request=replace(req, mount_point="other/"))
    yield replace(base, request=replace(req, mount_type="kv-v2"))
    yield replace(base, request=replace(req, mount_accessor="kv_9999"))
    yield replace(base, request=replace(req, mount_accessor=""))
    yield replace(base, request=replace(req, id="", path="x", wrap_ttl=30, data={}))
    yield replace(base, request=replace(req, connection=Connection("", 0)))
    yield replace(base, request_headers={"x-a": "1", "x-b": "2"}, plain_headers=frozenset({"x-b"}))
    yield base


def _text(record: dict[str, object]) -> str:
    return json.dumps(record)  # in insertion order: the order written


@pytest.mark.parametrize("options", [FormatOptions(), FormatOptions(hmac_accessor=False)])
def test_a_changed_token_or_request_is_never_served_from_the_cache(options: FormatOptions) -> None:
    cache = RecordCache()
    for item in (_base(), *_variants(), *_variants()):
        record, plain = build_request(item, H, options, cache)
        assert plain
        assert _text(record) == _text(format_request(replace(item), H, options))
        response = item.outcome(item.time + 1, Response(data={"x": "y"}))
        assert _text(build_response(response, H, options, cache)[0]) == _text(
            build_response(replace(response), H, options)[0]
        )
    assert set(cache.tokens) == {"id-" + ROOT_TOKEN}
    assert len(next(iter(cache.tokens.values())).prefixes) == 6  # (operation, mount) pairs


def test_kept_prefixes_are_bounded() -> None:
    cache = RecordCache()
    base = _base()
    for n in range(70):
        item = replace(base, request=replace(base.request, mount_accessor=f"kv_{n}"))
        record = build_request(item, H, FormatOptions(), cache)[0]
        assert record["request"]["mount_accessor"] == f"kv_{n}"
    assert 0 < len(next(iter(cache.tokens.values())).prefixes) <= 64


def test_metadata_changed_in_place_is_seen() -> None:
    cache = RecordCache()
    metadata = {"role": "one"}
    item = _with_token(_base(), metadata=metadata)
    assert build_request(item, H, FormatOptions(), cache)[0]["auth"]["metadata"] == {"role": "one"}
    metadata["role"] = "two"
    assert build_request(replace(item), H, FormatOptions(), cache)[0]["auth"]["metadata"] == {
        "role": "two"
    }


def test_a_hit_reuses_the_section_and_its_hmacs() -> None:
    cache = RecordCache()
    options = FormatOptions()
    first = build_request(_base(), H, options, cache)[0]
    calls: list[str] = []

    def counting(value: str) -> str:
        calls.append(value)
        return H(value)

    second = build_request(_base(), counting, options, cache)[0]
    assert second["auth"] is first["auth"]
    assert second["request"]["client_token"] == H(ROOT_TOKEN)
    assert second["request"]["client_token_accessor"] == H(ACCESSOR)
    assert calls == ["v"]  # only the request data: the token and accessor were remembered


def test_used_only_for_the_pipelines_own_token_and_hashing_devices() -> None:
    cache = RecordCache()
    explicit = replace(_base(), token=_base().request.token)  # a token given besides the request
    someone_else = replace(token(), entry_id="x", token_id=SecretValue("s.someone-else"))
    unrelated = replace(_base(), request=replace(request(), token=someone_else))
    for item in (explicit, unrelated, entry()):
        assert build_request(item, H, FormatOptions(), cache)[0] == format_request(replace(item), H)
    raw = build_request(_base(), None, FormatOptions(), cache)[0]
    assert raw["auth"]["client_token"] == ROOT_TOKEN
    assert cache.tokens == {}  # log_raw sections (the token in the clear) are never kept


def test_bounded_and_holds_no_token_in_the_clear() -> None:
    cache = RecordCache(limit=2)
    options = FormatOptions(hmac_accessor=False)
    for n in range(3):
        secret = SecretValue(f"s.token{n}")
        item = _with_token(_base(), token_id=secret, entry_id=f"id{n}")
        item = replace(item, request=replace(item.request, client_token=secret))
        build_request(item, H, options, cache)
    assert list(cache.tokens) == ["id1", "id2"]
    kept = repr([(k.source, k.metadata, k.section, k.client_token) for k in cache.tokens.values()])
    assert "s.token" not in kept and H("s.token2") in kept
