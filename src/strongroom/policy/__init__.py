"""ACL policies: parse Vault/OpenBao HCL or JSON policies and evaluate requests against them.

Pure and synchronous: no storage, no clock, no I/O. The policy store (which keeps policy text)
and the request pipeline (which asks `ACL.allowed`) live elsewhere and use this package.

    acl = ACL([parse_policy("default", DEFAULT_POLICY_TEXT), parse_policy("dev", text)])
    acl.capabilities("secret/data/app")          # ["read"], as sys/capabilities reports
    acl.allowed("update", "secret/data/app", {"data": {...}}).allowed
"""

from __future__ import annotations

from strongroom.policy._acl import ACL, ROOT_POLICY_NAME, Decision
from strongroom.policy._builtin import DEFAULT_POLICY_NAME, DEFAULT_POLICY_TEXT
from strongroom.policy._model import (
    CAPABILITY_NAMES,
    Capability,
    PathRule,
    Policy,
    capability_names,
)
from strongroom.policy._parse import parse_policy
from strongroom.policy._raw import ERR_PARSE_PREFIX

__all__ = [
    "ACL",
    "CAPABILITY_NAMES",
    "DEFAULT_POLICY_NAME",
    "DEFAULT_POLICY_TEXT",
    "ERR_PARSE_PREFIX",
    "ROOT_POLICY_NAME",
    "Capability",
    "Decision",
    "PathRule",
    "Policy",
    "capability_names",
    "parse_policy",
]
