"""Golden OpenAPI snapshot of the AppRole auth method, as sdk/framework/testdata does.

Regenerate after a deliberate change with `STRONGROOM_UPDATE_GOLDEN=1 pytest <this file>`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from strongroom.auth.approle import approle_backend
from strongroom.framework import backend_paths
from strongroom.testing.clock import FakeClock

HERE = Path(__file__).parent

# Every path OpenBao 2.7 lists for `auth/approle/` (GET sys/internal/specs/openapi).
OPENBAO_PATHS = {
    "/auth/approle/login",
    "/auth/approle/role",
    "/auth/approle/role/{role_name}",
    "/auth/approle/role/{role_name}/bind-secret-id",
    "/auth/approle/role/{role_name}/bound-cidr-list",
    "/auth/approle/role/{role_name}/custom-secret-id",
    "/auth/approle/role/{role_name}/local-secret-ids",
    "/auth/approle/role/{role_name}/period",
    "/auth/approle/role/{role_name}/policies",
    "/auth/approle/role/{role_name}/role-id",
    "/auth/approle/role/{role_name}/secret-id",
    "/auth/approle/role/{role_name}/secret-id-accessor/destroy",
    "/auth/approle/role/{role_name}/secret-id-accessor/lookup",
    "/auth/approle/role/{role_name}/secret-id-bound-cidrs",
    "/auth/approle/role/{role_name}/secret-id-num-uses",
    "/auth/approle/role/{role_name}/secret-id-ttl",
    "/auth/approle/role/{role_name}/secret-id/destroy",
    "/auth/approle/role/{role_name}/secret-id/lookup",
    "/auth/approle/role/{role_name}/token-bound-cidrs",
    "/auth/approle/role/{role_name}/token-max-ttl",
    "/auth/approle/role/{role_name}/token-num-uses",
    "/auth/approle/role/{role_name}/token-ttl",
    "/auth/approle/tidy/secret-id",
}


def test_openapi_matches_the_golden_file() -> None:
    backend = approle_backend(clock=FakeClock())
    generated = json.dumps(backend_paths(backend, "auth/approle/"), indent=2, sort_keys=True)
    golden = HERE / "openapi_approle.json"
    if os.environ.get("STRONGROOM_UPDATE_GOLDEN") == "1":
        golden.write_text(generated + "\n")
    assert generated + "\n" == golden.read_text()


def test_every_openbao_path_is_declared() -> None:
    paths = backend_paths(approle_backend(clock=FakeClock()), "auth/approle/")
    assert {p.rstrip("/") for p in paths} == OPENBAO_PATHS
