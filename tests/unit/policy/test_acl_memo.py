"""What an ACL remembers (the rule for a path, the decision of a rule without parameter
constraints) answers exactly as evaluating afresh does."""

from __future__ import annotations

import itertools

import pytest

from strongroom.policy import ACL, parse_policy
from strongroom.policy import _acl as acl_module
from strongroom.types import JSON

POLICY = """
path "secret/data/*" { capabilities = ["read", "update"] }
path "secret/data/fixed" { capabilities = ["deny"] }
path "secret/+/team" { capabilities = ["list", "sudo"] }
path "sys/mounts" {
  capabilities = ["update"]
  allowed_parameters = { "type" = ["kv"] }
}
path "sys/auth" {
  capabilities = ["update", "read"]
  required_parameters = ["type"]
}
path "transit/encrypt/k" {
  capabilities = ["update"]
  min_wrapping_ttl = "10s"
}
"""
PATHS = [
    "secret/data/a",
    "secret/data/fixed",
    "secret/x/team",
    "secret/x/team/",
    "/secret/data/a",
    "sys/mounts",
    "sys/auth",
    "transit/encrypt/k",
    "nowhere",
]
OPERATIONS = ["read", "update", "create", "list", "delete", "help", "sudo", "renew"]
DATA: list[dict[str, JSON] | None] = [None, {}, {"type": "kv"}, {"type": "db"}, {"other": 1}]


def test_remembered_answers_equal_fresh_ones() -> None:
    policy = parse_policy("p", POLICY)
    remembering = ACL([policy])
    for path, operation, data in itertools.product(PATHS * 2, OPERATIONS, DATA):
        fresh = ACL([policy]).allowed(operation, path, data)
        assert remembering.allowed(operation, path, data) == fresh, (path, operation, data)


def test_path_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    acl = ACL([parse_policy("p", POLICY)])
    monkeypatch.setattr(acl_module, "LOOKUP_CACHE_SIZE", 4)
    for n in range(10):
        assert acl.allowed("read", f"secret/data/{n}").allowed
    assert len(acl._lookups) <= 4
