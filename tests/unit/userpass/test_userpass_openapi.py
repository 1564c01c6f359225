"""Golden OpenAPI snapshot of the userpass auth method (as sdk/framework/testdata does).

Regenerate after a deliberate change with `STRONGROOM_UPDATE_GOLDEN=1 pytest <this file>`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from strongroom.auth.userpass import userpass_backend
from strongroom.framework import backend_paths
from strongroom.testing.clock import FakeClock

GOLDEN = Path(__file__).parent / "openapi_userpass.json"


def test_openapi_matches_the_golden_file() -> None:
    backend = userpass_backend(clock=FakeClock())
    generated = json.dumps(backend_paths(backend, "auth/userpass/"), indent=2, sort_keys=True)
    generated += "\n"
    if os.environ.get("STRONGROOM_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(generated)
    assert generated == GOLDEN.read_text()


def test_openapi_paths_are_openbaos() -> None:
    paths = backend_paths(userpass_backend(clock=FakeClock()), "auth/userpass/")
    assert sorted(paths) == [
        "/auth/userpass/login/{username}",
        "/auth/userpass/users/",
        "/auth/userpass/users/{username}",
        "/auth/userpass/users/{username}/password",
        "/auth/userpass/users/{username}/policies",
    ]
    body = paths["/auth/userpass/users/{username}"]["post"]["requestBody"]
    fields = body["content"]["application/json"]["schema"]["properties"]
    assert sorted(fields) == [
        "bound_cidrs",
        "max_ttl",
        "password",
        "password_hash",
        "policies",
        "token_bound_cidrs",
        "token_explicit_max_ttl",
        "token_max_ttl",
        "token_no_default_policy",
        "token_num_uses",
        "token_period",
        "token_policies",
        "token_strictly_bind_ip",
        "token_ttl",
        "token_type",
        "ttl",
    ]
