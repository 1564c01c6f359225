"""Golden OpenAPI snapshots per backend: a change to a path declaration shows up as a diff.

Regenerate after an intended change with `STRONGROOM_UPDATE_GOLDEN=1 pytest tests/unit/openapi`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from strongroom.builtins import catalog
from strongroom.core import Core
from strongroom.framework import backend_paths
from strongroom.logical.mounts import MountEntry
from strongroom.storage import InmemStorage

GOLDEN = Path(__file__).parent / "golden"
MOUNTS = [
    ("system", MountEntry.new("sys/", "system")),
    ("token", MountEntry.new("token/", "token", table="auth")),
    ("cubbyhole", MountEntry.new("cubbyhole/", "cubbyhole")),
    ("userpass", MountEntry.new("userpass/", "userpass", table="auth")),
    ("approle", MountEntry.new("approle/", "approle", table="auth")),
    ("transit", MountEntry.new("transit/", "transit")),
]


@pytest.mark.parametrize(("kind", "mount"), MOUNTS, ids=[kind for kind, _ in MOUNTS])
def test_openapi_matches_golden(kind: str, mount: MountEntry) -> None:
    core = Core(InmemStorage(), catalog=catalog)
    backend = catalog(core)[kind](mount)
    document = backend_paths(backend, mount.route_path)
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    golden = GOLDEN / f"{kind}.json"
    if os.environ.get("STRONGROOM_UPDATE_GOLDEN") == "1":
        golden.write_text(text)
    assert golden.exists(), f"no golden file for {kind}: run with STRONGROOM_UPDATE_GOLDEN=1"
    assert text == golden.read_text()
