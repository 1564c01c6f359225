"""`bao agent` rendering dynamic PostgreSQL credentials, against Strongroom and OpenBao alike:
the rendered user logs in, the agent keeps its lease alive by renewing it and, once the role's
max_ttl is reached, fetches (and renders) a new user, while the old one is dropped when its
lease ends."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.compat.agent import agent_config, approle_login_files, running_agent, wait_for_text
from tests.compat.conftest import DevTarget

pytestmark = [pytest.mark.compat, pytest.mark.slow]

AGENT_TEMPLATE = """
template {
  source = "{dir}/creds.tpl"
  destination = "{dir}/creds.txt"
}
"""

TEMPLATE = (
    '{{ with secret "database/creds/app" }}{{ .Data.username }} {{ .Data.password }}{{ end }}'
)
PG_CREATE = (
    "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"
)


def _rendered(path: Path, *, other_than: str = "", timeout: float) -> str:
    text = wait_for_text(path, lambda text: bool(text) and text != other_than, timeout)
    assert text and text != other_than, f"nothing new rendered to {path} in {timeout}s"
    return text


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
    approle_login_files(t, "app", tmp_path)
    (tmp_path / "creds.tpl").write_text(TEMPLATE)
    config = agent_config(t, tmp_path, AGENT_TEMPLATE, token_sink=False)
    log_path = tmp_path / "agent.log"
    with running_agent(config, log_path):
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
