"""`bao agent` with AppRole auto-auth and a template that renders a KV v2 secret, against
Strongroom and OpenBao alike: it renders, and renders again after the secret changes."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.compat, pytest.mark.slow]

AGENT_CONFIG = """
pid_file = "{dir}/agent.pid"
vault {{
  address = "{address}"
}}
auto_auth {{
  method "approle" {{
    config = {{
      role_id_file_path = "{dir}/role_id"
      secret_id_file_path = "{dir}/secret_id"
      remove_secret_id_file_after_reading = false
    }}
  }}
  sink "file" {{
    config = {{
      path = "{dir}/token"
    }}
  }}
}}
template_config {{
  static_secret_render_interval = "1s"
}}
template {{
  contents = "{{{{ with secret \\"secret/data/app\\" }}}}{{{{ .Data.data.password }}}}{{{{ end }}}}"
  destination = "{dir}/rendered.txt"
}}
"""


def _wait_for(path: Path, expected: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        if path.exists():
            text = path.read_text()
            if text == expected:
                return text
        time.sleep(0.2)
    return text


def test_agent_renders_and_rerenders(dev_target: Any, tmp_path: Path) -> None:
    t = dev_target
    t.ok("auth", "enable", "approle")
    t.ok("policy", "write", "app", "-", stdin='path "secret/data/app" { capabilities = ["read"] }')
    t.ok("write", "auth/approle/role/app", "token_policies=app", "token_ttl=1h")
    role_id = t.json("read", "auth/approle/role/app/role-id")["data"]["role_id"]  # type: ignore[index]
    secret_id = t.json("write", "-f", "auth/approle/role/app/secret-id")["data"]["secret_id"]  # type: ignore[index]
    (tmp_path / "role_id").write_text(role_id)
    (tmp_path / "secret_id").write_text(secret_id)
    t.ok("kv", "put", "secret/app", "password=first")
    config = tmp_path / "agent.hcl"
    config.write_text(AGENT_CONFIG.format(dir=tmp_path, address=t.address))
    log = open(tmp_path / "agent.log", "wb")
    agent = subprocess.Popen(
        ["bao", "agent", f"-config={config}"], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        rendered = tmp_path / "rendered.txt"
        assert _wait_for(rendered, "first", 30) == "first", (tmp_path / "agent.log").read_text()
        token = (tmp_path / "token").read_text().strip()
        looked = json.loads(t.ok("token", "lookup", "-format=json", token))["data"]
        assert "app" in looked["policies"]
        t.ok("kv", "put", "secret/app", "password=second")
        assert _wait_for(rendered, "second", 30) == "second", (tmp_path / "agent.log").read_text()
    finally:
        agent.terminate()
        try:
            agent.wait(10)
        except subprocess.TimeoutExpired:
            agent.kill()
            agent.wait()
        log.close()
