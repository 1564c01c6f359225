"""Golden OpenAPI snapshots of the kv engine (v1 and v2), as sdk/framework/testdata does.

Regenerate after a deliberate change with `STRONGROOM_UPDATE_GOLDEN=1 pytest <this file>`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from strongroom.engines.kv import kv_backend
from strongroom.framework import backend_paths
from strongroom.testing.clock import FakeClock

HERE = Path(__file__).parent


@pytest.mark.parametrize(("version", "mount"), [("1", "kv/"), ("2", "secret/")])
def test_openapi_matches_the_golden_file(version: str, mount: str) -> None:
    backend = kv_backend({"version": version}, clock=FakeClock())
    generated = json.dumps(backend_paths(backend, mount), indent=2, sort_keys=True) + "\n"
    golden = HERE / f"openapi_kv_v{version}.json"
    if os.environ.get("STRONGROOM_UPDATE_GOLDEN") == "1":
        golden.write_text(generated)
    assert generated == golden.read_text()
