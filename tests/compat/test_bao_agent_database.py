"""`bao agent` rendering dynamic PostgreSQL credentials, against Strongroom and OpenBao alike:
the rendered user logs in, the agent keeps its lease alive by renewing it and, once the role's
max_ttl is reached, fetches (and renders) a new user, while the old one is dropped when its
lease ends."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.compat.conftest import DevTarget

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
}}
template {{
  source = "{dir}/creds.tpl"
  destination = "{dir}/creds.txt"
}}
"""

TEMPLATE = (
    '{{ with secret "database/creds/app" }}{{ .Data.username }} {{ .Data.password }}{{ end }}'
)
PG_CREATE = (
    "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"
)


def _rendered(path: Path, *, other_than: str = "", timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            text = path.read_text().strip()
            if text and text != other_than:
                return text
        time.sleep(0.2)
    raise AssertionError(f"nothing new rendered to {path} in {timeout}s")


def test_agent_renders_database_credentials_and_replaces_them(
    dev_target: DevTarget, postgres_server: Any, tmp_path: Path
) -> None:
    t, pg = dev_target, postgres_server
    t.ok("secrets", "enable", "database")
    t.ok(
        "write",
        "database/config/pg",
        "plugin_name=postgresql-database-plugin",
        f"connection_url={pg.template_url()}",
        f"username={pg.admin_user}",
        f"password={pg.admin_password}",
        "allowed_roles=app",
    )
    t.ok(
        "write",
        "database/roles/app",
        "db_name=pg",
        f"creation_statements={PG_CREATE}",
        "default_ttl=6s",
        "max_ttl=12s",
    )
    t.ok("auth", "enable", "approle")
    t.ok(
        "policy", "write", "app", "-", stdin='path "database/creds/app" { capabilities = ["read"] }'
    )
    t.ok("write", "auth/approle/role/app", "token_policies=app", "token_ttl=1h")
    role_id = t.json("read", "auth/approle/role/app/role-id")["data"]["role_id"]  # type: ignore[index]
    secret_id = t.json("write", "-f", "auth/approle/role/app/secret-id")["data"]["secret_id"]  # type: ignore[index]
    (tmp_path / "role_id").write_text(role_id)
    (tmp_path / "secret_id").write_text(secret_id)
    (tmp_path / "creds.tpl").write_text(TEMPLATE)
    config = tmp_path / "agent.hcl"
    config.write_text(AGENT_CONFIG.format(dir=tmp_path, address=t.address))
    log_path = tmp_path / "agent.log"
    with open(log_path, "wb") as log:
        agent = subprocess.Popen(
            ["bao", "agent", f"-config={config}"], stdout=log, stderr=subprocess.STDOUT
        )
        try:
            creds = tmp_path / "creds.txt"
            first = _rendered(creds, timeout=30)
            user, password = first.split(" ")
            assert pg.can_login(user, password), log_path.read_text()
            # past the 12 s max_ttl the agent must render a different, working user
            second = _rendered(creds, other_than=first, timeout=40)
            new_user, new_password = second.split(" ")
            assert new_user != user
            assert pg.can_login(new_user, new_password)
            # the first user's lease ended: it is dropped
            deadline = time.monotonic() + 20
            while pg.user_exists(user):
                assert time.monotonic() < deadline, "the expired user was never dropped"
                time.sleep(0.2)
        finally:
            agent.terminate()
            try:
                agent.wait(10)
            except subprocess.TimeoutExpired:
                agent.kill()
                agent.wait()
