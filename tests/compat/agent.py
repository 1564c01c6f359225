"""`bao agent` for the compat tests: AppRole auto-auth credentials on disk, the agent's
configuration, the running process (always stopped), and waiting for what it renders."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.compat.conftest import DevTarget

_CONFIG = """
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
{sink}}}
{rest}
"""

_TOKEN_SINK = """  sink "file" {{
    config = {{
      path = "{dir}/token"
    }}
  }}
"""


# Renders the `password` of the kv-v2 secret `secret/app`, looking every second.
KV_TEMPLATE = """
template_config {
  static_secret_render_interval = "1s"
}
template {
  contents = "{{ with secret \\"secret/data/app\\" }}{{ .Data.data.password }}{{ end }}"
  destination = "{dir}/rendered.txt"
}
"""


def kv_reader_role(target: DevTarget, directory: Path, *role_settings: str) -> Path:
    """The setup `KV_TEMPLATE` needs: AppRole enabled, a role `app` (with `role_settings`,
    `key=value`) whose policy reads kv-v2 `secret/app`, its login files in `directory`; and
    the agent's config there, with a token sink. Returns the config's path."""
    target.ok("auth", "enable", "approle")
    policy = 'path "secret/data/app" { capabilities = ["read"] }'
    target.ok("policy", "write", "app", "-", stdin=policy)
    target.ok("write", "auth/approle/role/app", "token_policies=app", *role_settings)
    approle_login_files(target, "app", directory)
    return agent_config(target, directory, KV_TEMPLATE, token_sink=True)


def approle_login_files(target: DevTarget, role: str, directory: Path) -> None:
    """Write `role`'s role id and a new secret id where the agent's config reads them."""
    role_id = target.json("read", f"auth/approle/role/{role}/role-id")["data"]["role_id"]  # type: ignore[index]
    secret_id = target.json("write", "-f", f"auth/approle/role/{role}/secret-id")["data"][  # type: ignore[index]
        "secret_id"
    ]
    (directory / "role_id").write_text(str(role_id))
    (directory / "secret_id").write_text(str(secret_id))


def agent_config(target: DevTarget, directory: Path, rest: str, *, token_sink: bool) -> Path:
    """The agent's HCL in `directory`: AppRole auto-auth from the files
    `approle_login_files` writes, a file sink at `directory/token` when `token_sink`, then
    `rest` (template stanzas), which may use `{dir}`."""
    sink = _TOKEN_SINK.format(dir=directory) if token_sink else ""
    text = _CONFIG.format(
        dir=directory, address=target.address, sink=sink, rest=rest.replace("{dir}", str(directory))
    )
    path = directory / "agent.hcl"
    path.write_text(text)
    return path


@contextmanager
def running_agent(config: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`bao agent -config=config`, its output in `log`, stopped on the way out."""
    with open(log, "wb") as out:
        agent = subprocess.Popen(
            ["bao", "agent", f"-config={config}"], stdout=out, stderr=subprocess.STDOUT
        )
        try:
            yield agent
        finally:
            agent.terminate()
            try:
                agent.wait(10)
            except subprocess.TimeoutExpired:
                agent.kill()
                agent.wait()


def wait_for_text(path: Path, done: Callable[[str], bool], timeout: float) -> str:
    """The text of `path` once `done` accepts it (stripped); the last text seen on timeout."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        if path.exists():
            text = path.read_text().strip()
            if done(text):
                return text
        time.sleep(0.2)
    return text
