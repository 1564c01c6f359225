"""`bao agent` with AppRole auto-auth and a template that renders a KV v2 secret, against
Strongroom and OpenBao alike: it renders, and renders again after the secret changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.compat.agent import (
    kv_reader_role,
    running_agent,
    wait_for_text,
)

pytestmark = [pytest.mark.compat, pytest.mark.slow]


def test_agent_renders_and_rerenders(dev_target: Any, tmp_path: Path) -> None:
    t = dev_target
    config = kv_reader_role(t, tmp_path, "token_ttl=1h")
    t.ok("kv", "put", "secret/app", "password=first")
    log = tmp_path / "agent.log"
    rendered = tmp_path / "rendered.txt"
    with running_agent(config, log):
        assert wait_for_text(rendered, "first".__eq__, 30) == "first", log.read_text()
        token = (tmp_path / "token").read_text().strip()
        looked = json.loads(t.ok("token", "lookup", "-format=json", token))["data"]
        assert "app" in looked["policies"]
        t.ok("kv", "put", "secret/app", "password=second")
        assert wait_for_text(rendered, "second".__eq__, 30) == "second", log.read_text()
