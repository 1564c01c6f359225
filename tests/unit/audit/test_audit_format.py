"""Record shapes and HMAC redaction (shapes checked against OpenBao 2.7's file device)."""

from __future__ import annotations

import json

from audit_harness import ACCESSOR, ROOT_TOKEN, SALTER, SECRET, entry, login_response, request

from strongroom.audit import FormatOptions, format_request, format_response
from strongroom.audit.format import format_time, hash_structure
from strongroom.logical import Operation, Response, Secret

H = SALTER.hash


def test_request_record_shape() -> None:
    rec = format_request(entry(), H)
    assert list(rec) == ["time", "type", "auth", "request"]
    assert rec["time"] == "2027-01-15T08:00:00.5Z"
    assert rec["type"] == "request"
    assert rec["auth"] == {
        "client_token": H(ROOT_TOKEN),
        "accessor": H(ACCESSOR),
        "display_name": "token",
        "policies": ["root"],
        "token_policies": ["root"],
        "token_type": "service",
    }
    assert rec["request"] == {
        "id": "req-1",
        "operation": "update",
        "mount_point": "secret/",
        "mount_type": "kv",
        "mount_accessor": "kv_1234",
        "client_token": H(ROOT_TOKEN),
        "client_token_accessor": H(ACCESSOR),
        "namespace": {"id": "root"},
        "path": "secret/data/foo",
        "data": {"pw": H(SECRET), "n": 3},
        "remote_address": "127.0.0.1",
        "remote_port": 48176,
    }


def test_hash_is_hmac_sha256_hex() -> None:
    value = H("x")
    assert value.startswith("hmac-sha256:") and len(value) == len("hmac-sha256:") + 64
    assert H("") != "" and H("") == SALTER.hash("")  # OpenBao hashes empty strings too


def test_every_nested_string_hashed_and_others_kept() -> None:
    data = {"a": ["s", 1, {"b": "t", "c": None, "d": True}], "e": 1.5, "f": ""}
    out = hash_structure(data, H)
    assert out == {"a": [H("s"), 1, {"b": H("t"), "c": None, "d": True}], "e": 1.5, "f": H("")}


def test_unauthenticated_request_auth() -> None:
    req = request(data={"password": "pw"})
    from dataclasses import replace

    req = replace(req, token=None, client_token=None)
    rec = format_request(entry(req=req), H)
    assert rec["auth"] == {"token_type": "default"}
    assert "client_token" not in rec["request"]
    assert rec["request"]["data"] == {"password": H("pw")}


def test_response_record_with_auth_and_wrap_info() -> None:
    rec = format_response(entry(login_response()), H)
    assert list(rec) == ["time", "type", "auth", "request", "response"]
    resp = rec["response"]
    assert resp["auth"] == {
        "client_token": H("s.newTOKEN456"),
        "accessor": H("newACCESSOR"),
        "display_name": "userpass-bob",
        "policies": ["default"],
        "token_policies": ["default"],
        "metadata": {"username": "bob"},
        "token_type": "service",
        "token_ttl": 3600,
    }
    assert resp["wrap_info"] == {"ttl": 60, "token": H("s.wrapTOKEN"), "accessor": H("wrapACC")}
    assert resp["mount_type"] == "kv"


def test_response_secret_data_warnings_and_error() -> None:
    resp = Response(data={"password": "pw"}, secret=Secret(lease_id="db/creds/1"), warnings=("w",))
    rec = format_response(entry(resp, error="permission denied"), H)
    assert rec["response"]["secret"] == {"lease_id": "db/creds/1"}
    assert rec["response"]["data"] == {"password": H("pw")}
    assert rec["response"]["warnings"] == ["w"]
    assert rec["error"] == "permission denied"


def test_error_without_response() -> None:
    rec = format_response(entry(None, error="boom"), H)
    assert rec["response"] == {
        "mount_point": "secret/",
        "mount_type": "kv",
        "mount_accessor": "kv_1234",
    }
    assert rec["error"] == "boom"


def test_log_raw_hashes_nothing() -> None:
    rec = format_response(entry(login_response()), None)
    text = json.dumps(rec)
    assert "hmac-sha256" not in text
    assert ROOT_TOKEN in text and SECRET in text


def test_hmac_accessor_false_keeps_accessors_and_hashes_tokens() -> None:
    rec = format_response(entry(login_response()), H, FormatOptions(hmac_accessor=False))
    assert rec["auth"]["accessor"] == ACCESSOR
    assert rec["request"]["client_token_accessor"] == ACCESSOR
    assert rec["response"]["auth"]["accessor"] == "newACCESSOR"
    assert rec["response"]["wrap_info"]["accessor"] == "wrapACC"
    assert rec["auth"]["client_token"] == H(ROOT_TOKEN)


def test_elide_list_responses() -> None:
    resp = Response(data={"keys": ["a", "b"], "key_info": {"a": {}, "b": {}}})
    list_req = request(Operation.LIST)
    opts = FormatOptions(elide_list_responses=True)
    rec = format_response(entry(resp, req=list_req), H, opts)
    assert rec["response"]["data"] == {"keys": 2, "key_info": 2}
    read_rec = format_response(entry(resp, req=request(Operation.READ)), H, opts)
    assert read_rec["response"]["data"]["keys"] == [H("a"), H("b")]
    plain = format_response(entry(resp, req=list_req), H)
    assert plain["response"]["data"]["keys"] == [H("a"), H("b")]


def test_non_hmac_keys_apply_at_any_depth() -> None:
    req = request(data={"pw": "p1", "other": "o"})
    resp = Response(data={"inner": {"user": "bob", "pw": "p2"}})
    rec = format_response(
        entry(resp, req=req, non_hmac_request_keys=("pw",), non_hmac_response_keys=("user",)),
        H,
    )
    assert rec["request"]["data"] == {"pw": "p1", "other": H("o")}
    assert rec["response"]["data"] == {"inner": {"user": "bob", "pw": H("p2")}}


def test_request_headers_and_wrap_ttl() -> None:
    from dataclasses import replace

    req = replace(request(), wrap_ttl=60)
    rec = format_request(entry(req=req, request_headers={"x-forwarded-for": "10.0.0.1"}), H)
    assert rec["request"]["wrap_ttl"] == 60
    assert rec["request"]["headers"] == {"x-forwarded-for": [H("10.0.0.1")]}


def test_format_time_trims_zeros() -> None:
    assert format_time(0) == "1970-01-01T00:00:00Z"
    assert format_time(1.25) == "1970-01-01T00:00:01.25Z"
