"""The real hvac 2.4.0 client against dev servers: KV v1/v2, mounts, tokens, policies, cubbyhole.

Every test runs against both `dev_target`s (Strongroom and OpenBao 2.7.2 `-dev`); only what both
answer is asserted. Where Strongroom disagrees with OpenBao, the test asserts OpenBao's answer and
is marked `xfail(strict=True)` for the Strongroom param alone (the `strongroom_bug` fixture).

Error wording is only asserted where both servers use the same words: OpenBao wraps some errors
in Go's multierror ("1 error occurred:\\n\\t* permission denied"), Strongroom does not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import hvac
import pytest
from hvac import exceptions

if TYPE_CHECKING:
    from conftest import DevTarget

pytestmark = [pytest.mark.compat, pytest.mark.slow]

ROOT = "root"
MOUNT_DEFAULT_TTL = 2764800  # 768h, both servers' system default and max lease TTL
Connect = Callable[[str], hvac.Client]
Bug = Callable[[str], None]
JSON = dict[str, Any]


@pytest.fixture
def connect(dev_target: DevTarget) -> Iterator[Connect]:
    """Makes hvac clients for `dev_target` and closes their sessions at teardown."""
    made: list[hvac.Client] = []

    def make(token: str) -> hvac.Client:
        client = hvac.Client(url=dev_target.address, token=token)
        made.append(client)
        return client

    yield make
    for client in made:
        client.adapter.close()


@pytest.fixture
def root(connect: Connect) -> hvac.Client:
    return connect(ROOT)


@pytest.fixture
def strongroom_bug(request: pytest.FixtureRequest, dev_target: DevTarget) -> Bug:
    """`strongroom_bug(reason)`: this test asserts OpenBao's behaviour, which Strongroom lacks;
    expect it to fail (strictly) on the Strongroom param only."""

    def expect_failure(reason: str) -> None:
        if dev_target.name == "strongroom":
            request.applymarker(pytest.mark.xfail(strict=True, reason=reason))

    return expect_failure


def _minter(root: hvac.Client, connect: Connect, *policies: str, sudo: bool = False) -> hvac.Client:
    """A client whose token (policies `mint` + `policies`) may call auth/token/create*."""
    capabilities = '["update", "sudo"]' if sudo else '["update"]'
    root.sys.create_or_update_acl_policy(
        "mint", f'path "auth/token/create*" {{ capabilities = {capabilities} }}'
    )
    return connect(_token(root, policies=["mint", *policies])["client_token"])


def _token(client: hvac.Client, **kw: Any) -> JSON:
    """The `auth` block of a new token (default policy, 10m TTL unless overridden)."""
    auth: JSON = client.auth.token.create(**{"policies": ["default"], "ttl": "10m", **kw})["auth"]
    return auth


def _read2(client: hvac.Client, path: str, **kw: Any) -> JSON:
    data: JSON = client.secrets.kv.v2.read_secret_version(
        path, raise_on_deleted_version=True, **kw
    )["data"]
    return data


# -- KV v2 ------------------------------------------------------------------------------------


def test_kv2_versions_and_check_and_set(root: hvac.Client) -> None:
    kv = root.secrets.kv.v2
    assert kv.create_or_update_secret("app/db", {"pw": "one"})["data"]["version"] == 1
    assert kv.create_or_update_secret("app/db", {"pw": "two"}, cas=1)["data"]["version"] == 2
    for stale in (1, 0):  # cas=0 means "only if absent"
        with pytest.raises(exceptions.InvalidRequest, match="check-and-set parameter did not"):
            kv.create_or_update_secret("app/db", {"pw": "lost"}, cas=stale)
    assert _read2(root, "app/db")["data"] == {"pw": "two"}
    assert kv.create_or_update_secret("app/new", {"k": "v"}, cas=0)["data"]["version"] == 1

    latest = _read2(root, "app/db")
    assert latest["metadata"]["version"] == 2 and latest["metadata"]["deletion_time"] == ""
    assert _read2(root, "app/db", version=1)["data"] == {"pw": "one"}
    with pytest.raises(exceptions.InvalidPath):
        _read2(root, "app/db", version=9)
    with pytest.raises(exceptions.InvalidPath):
        _read2(root, "app/missing")


def test_kv2_soft_delete_undelete_and_raise_on_deleted_version(root: hvac.Client) -> None:
    kv = root.secrets.kv.v2
    for value in ("v1", "v2", "v3"):
        kv.create_or_update_secret("svc", {"k": value})
    assert kv.delete_latest_version_of_secret("svc").status_code == 204
    with pytest.raises(exceptions.InvalidPath):
        _read2(root, "svc")
    deleted = kv.read_secret_version("svc", raise_on_deleted_version=False)["data"]
    assert deleted["data"] is None
    assert deleted["metadata"]["version"] == 3 and deleted["metadata"]["deletion_time"] != ""
    assert _read2(root, "svc", version=2)["data"] == {"k": "v2"}

    assert kv.delete_secret_versions("svc", [1]).status_code == 204
    versions = kv.read_secret_metadata("svc")["data"]["versions"]
    assert versions["1"]["deletion_time"] != "" and versions["2"]["deletion_time"] == ""

    assert kv.undelete_secret_versions("svc", [1, 3]).status_code == 204
    assert _read2(root, "svc")["data"] == {"k": "v3"}
    assert _read2(root, "svc", version=1)["data"] == {"k": "v1"}


def test_kv2_destroyed_version_is_gone_for_good(root: hvac.Client) -> None:
    kv = root.secrets.kv.v2
    kv.create_or_update_secret("svc", {"k": "v1"})
    kv.create_or_update_secret("svc", {"k": "v2"})
    assert kv.destroy_secret_versions("svc", [1]).status_code == 204
    # hvac only swallows the 404 for *deleted* versions; a destroyed one has no deletion_time.
    with pytest.raises(exceptions.InvalidPath) as raised:
        kv.read_secret_version("svc", version=1, raise_on_deleted_version=False)
    assert raised.value.json["data"]["metadata"]["destroyed"] is True
    kv.undelete_secret_versions("svc", [1])
    assert kv.read_secret_metadata("svc")["data"]["versions"]["1"]["destroyed"] is True
    with pytest.raises(exceptions.InvalidPath):
        _read2(root, "svc", version=1)
    assert _read2(root, "svc")["data"] == {"k": "v2"}


@pytest.mark.filterwarnings("ignore:The raise_on_deleted_version parameter:DeprecationWarning")
def test_kv2_hvac_patch_merges_with_check_and_set(root: hvac.Client) -> None:
    kv = root.secrets.kv.v2
    kv.create_or_update_secret("cfg", {"a": "1", "b": "2"})
    # hvac's patch is a read then a write with cas=<version read>, so it works under cas_required.
    kv.update_metadata("cfg", cas_required=True)
    with pytest.raises(exceptions.InvalidRequest, match="check-and-set parameter required"):
        kv.create_or_update_secret("cfg", {"a": "x"})
    assert kv.patch("cfg", {"b": "two", "c": "3"})["data"]["version"] == 2
    assert _read2(root, "cfg")["data"] == {"a": "1", "b": "two", "c": "3"}
    with pytest.raises(exceptions.InvalidPath, match="patch only works on existing data"):
        kv.patch("absent", {"a": "1"})


def test_kv2_http_patch_is_a_json_merge_patch(root: hvac.Client) -> None:
    root.secrets.kv.v2.create_or_update_secret("cfg", {"a": "1", "b": "2"})
    response = root.adapter.request(
        "PATCH",
        "/v1/secret/data/cfg",
        json={"data": {"a": None, "c": "3"}},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert response["data"]["version"] == 2
    assert _read2(root, "cfg")["data"] == {"b": "2", "c": "3"}


def test_kv2_list_secrets(root: hvac.Client) -> None:
    kv = root.secrets.kv.v2
    kv.create_or_update_secret("team/one", {"a": 1})
    kv.create_or_update_secret("team/sub/two", {"a": 2})
    assert kv.list_secrets("team")["data"]["keys"] == ["one", "sub/"]
    with pytest.raises(exceptions.InvalidPath):
        kv.list_secrets("nobody")


def test_kv2_metadata_settings_apply_to_writes(root: hvac.Client) -> None:
    kv = root.secrets.kv.v2
    for n in range(1, 5):
        kv.create_or_update_secret("svc", {"n": n})
    kv.update_metadata("svc", max_versions=2, cas_required=True, custom_metadata={"owner": "ops"})
    meta = kv.read_secret_metadata("svc")["data"]
    assert (meta["max_versions"], meta["cas_required"]) == (2, True)
    assert meta["custom_metadata"] == {"owner": "ops"} and meta["current_version"] == 4

    with pytest.raises(exceptions.InvalidRequest, match="check-and-set parameter required"):
        kv.create_or_update_secret("svc", {"n": 5})
    written = kv.create_or_update_secret("svc", {"n": 5}, cas=4)["data"]
    assert written["version"] == 5 and written["custom_metadata"] == {"owner": "ops"}
    meta = kv.read_secret_metadata("svc")["data"]
    assert sorted(meta["versions"]) == ["4", "5"] and meta["oldest_version"] == 4
    with pytest.raises(exceptions.InvalidPath):
        kv.read_secret_version("svc", version=3, raise_on_deleted_version=False)

    kv.update_metadata("svc", delete_version_after="30m")
    assert kv.read_secret_metadata("svc")["data"]["delete_version_after"] == "30m0s"


def test_kv2_delete_metadata_and_all_versions(root: hvac.Client) -> None:
    kv = root.secrets.kv.v2
    kv.create_or_update_secret("gone/x", {"a": 1})
    kv.create_or_update_secret("gone/x", {"a": 2})
    assert kv.delete_metadata_and_all_versions("gone/x").status_code == 204
    for read in (
        lambda: kv.read_secret_metadata("gone/x"),
        lambda: kv.read_secret_version("gone/x", version=1, raise_on_deleted_version=False),
        lambda: kv.list_secrets("gone"),
    ):
        with pytest.raises(exceptions.InvalidPath):
            read()
    assert kv.create_or_update_secret("gone/x", {"a": 3})["data"]["version"] == 1


def test_kv2_mount_configuration(root: hvac.Client) -> None:
    kv = root.secrets.kv.v2
    assert kv.read_configuration()["data"] == {
        "cas_required": False,
        "delete_version_after": "0s",
        "max_versions": 0,
        "metadata_cas_required": False,
    }
    kv.configure(max_versions=2, cas_required=True, delete_version_after="1h")
    config = kv.read_configuration()["data"]
    assert (config["max_versions"], config["cas_required"]) == (2, True)
    assert config["delete_version_after"] == "1h0m0s"

    with pytest.raises(exceptions.InvalidRequest, match="check-and-set parameter required"):
        kv.create_or_update_secret("svc", {"n": 1})
    for n in range(3):
        kv.create_or_update_secret("svc", {"n": n}, cas=n)
    versions = kv.read_secret_metadata("svc")["data"]["versions"]
    assert sorted(versions) == ["2", "3"]  # the mount's max_versions trims
    assert versions["3"]["deletion_time"] != ""  # scheduled by delete_version_after
    assert _read2(root, "svc")["data"] == {"n": 2}


# -- KV v1 ------------------------------------------------------------------------------------


def test_kv1_crud(root: hvac.Client) -> None:
    root.sys.enable_secrets_engine("kv", path="kv1", options={"version": "1"})
    kv = root.secrets.kv.v1
    assert kv.create_or_update_secret("team/db", {"user": "u", "n": 3}, mount_point="kv1").ok
    kv.create_or_update_secret("team/x/y", {"a": "b"}, mount_point="kv1")
    read = kv.read_secret("team/db", mount_point="kv1")
    assert read["data"] == {"user": "u", "n": 3}
    assert read["lease_duration"] == MOUNT_DEFAULT_TTL
    assert kv.list_secrets("team", mount_point="kv1")["data"]["keys"] == ["db", "x/"]
    with pytest.raises(exceptions.InvalidPath):
        kv.list_secrets("nobody", mount_point="kv1")

    kv.create_or_update_secret("team/db", {"only": "this"}, mount_point="kv1")
    assert kv.read_secret("team/db", mount_point="kv1")["data"] == {"only": "this"}
    assert kv.delete_secret("team/db", mount_point="kv1").status_code == 204
    with pytest.raises(exceptions.InvalidPath):
        kv.read_secret("team/db", mount_point="kv1")
    assert kv.delete_secret("team/db", mount_point="kv1").status_code == 204


# -- Mounts and auth methods ------------------------------------------------------------------


def test_enable_list_and_read_mount(root: hvac.Client) -> None:
    sys = root.sys
    sys.enable_secrets_engine(
        "kv",
        path="apps",
        description="app store",
        options={"version": "2"},
        config={"default_lease_ttl": "30m", "max_lease_ttl": "1h"},
    )
    mounts = sys.list_mounted_secrets_engines()["data"]
    assert {"secret/", "sys/", "cubbyhole/", "apps/"} <= set(mounts)
    entry = mounts["apps/"]
    assert (entry["type"], entry["description"], entry["local"]) == ("kv", "app store", False)
    assert entry["options"] == {"version": "2"} and entry["accessor"].startswith("kv_")
    assert (entry["config"]["default_lease_ttl"], entry["config"]["max_lease_ttl"]) == (1800, 3600)
    assert mounts["secret/"]["options"] == {"version": "2"}
    assert sys.retrieve_mount_option("apps", "version") == "2"

    assert sys.read_mount_configuration("apps")["data"] == {
        "default_lease_ttl": 1800,
        "description": "app store",
        "force_no_cache": False,
        "max_lease_ttl": 3600,
        "options": {"version": "2"},
    }
    with pytest.raises(exceptions.InvalidRequest, match="path is already in use at apps/"):
        sys.enable_secrets_engine("kv", path="apps")
    with pytest.raises(exceptions.InvalidRequest, match="plugin not found in the catalog"):
        sys.enable_secrets_engine("no-such-engine", path="zz")
    with pytest.raises(exceptions.InvalidRequest, match='cannot fetch sysview for path "nope/"'):
        sys.read_mount_configuration("nope")


def test_tune_mount(root: hvac.Client) -> None:
    sys = root.sys
    sys.enable_secrets_engine("kv", path="kv1", options={"version": "1"})
    assert sys.read_mount_configuration("kv1")["data"]["default_lease_ttl"] == MOUNT_DEFAULT_TTL
    tuned = sys.tune_mount_configuration(
        "kv1", default_lease_ttl="1h", max_lease_ttl="2h", description="tuned"
    )
    assert tuned.status_code == 204
    config = sys.read_mount_configuration("kv1")["data"]
    assert (config["default_lease_ttl"], config["max_lease_ttl"]) == (3600, 7200)
    assert config["description"] == "tuned"
    entry = sys.list_mounted_secrets_engines()["data"]["kv1/"]
    assert entry["description"] == "tuned" and entry["config"]["max_lease_ttl"] == 7200
    root.secrets.kv.v1.create_or_update_secret("x", {"a": "b"}, mount_point="kv1")
    assert root.secrets.kv.v1.read_secret("x", mount_point="kv1")["lease_duration"] == 3600
    with pytest.raises(exceptions.InvalidRequest, match="would be less than backend default"):
        sys.tune_mount_configuration("kv1", default_lease_ttl="10h", max_lease_ttl="5h")


def test_tuned_listing_visibility_reads_back(strongroom_bug: Bug, root: hvac.Client) -> None:
    root.sys.enable_secrets_engine("kv", path="shown")
    root.sys.tune_mount_configuration("shown", listing_visibility="unauth")
    entry = root.sys.list_mounted_secrets_engines()["data"]["shown/"]
    assert entry["config"]["listing_visibility"] == "unauth"
    assert root.sys.read_mount_configuration("shown")["data"]["listing_visibility"] == "unauth"


def test_move_and_disable_secrets_engine(root: hvac.Client) -> None:
    sys = root.sys
    sys.enable_secrets_engine("kv", path="old", options={"version": "2"})
    root.secrets.kv.v2.create_or_update_secret("a", {"x": "1"}, mount_point="old")
    migration = sys.move_backend("old", "new")["data"]["migration_id"]
    deadline = time.monotonic() + 30
    while (status := root.read(f"sys/remount/status/{migration}")) is None or status["data"][
        "migration_info"
    ]["status"] != "success":  # OpenBao moves asynchronously
        assert time.monotonic() < deadline, f"mount move did not finish: {status}"
        time.sleep(0.1)
    assert status["data"]["migration_info"]["target_mount"] == "new/"
    assert _read2(root, "a", mount_point="new")["data"] == {"x": "1"}
    assert "old/" not in sys.list_mounted_secrets_engines()["data"]
    with pytest.raises(exceptions.InvalidPath, match="no handler for route"):
        _read2(root, "a", mount_point="old")
    with pytest.raises(exceptions.InvalidRequest, match="already in use"):
        sys.move_backend("new", "secret")

    assert sys.disable_secrets_engine("new").status_code == 204
    assert "new/" not in sys.list_mounted_secrets_engines()["data"]
    sys.enable_secrets_engine("kv", path="new", options={"version": "2"})
    with pytest.raises(exceptions.InvalidPath):  # a fresh mount does not see the old data
        _read2(root, "a", mount_point="new")
    assert sys.disable_secrets_engine("never-mounted").status_code == 204
    with pytest.raises(exceptions.InvalidRequest, match='cannot unmount "sys/"'):
        sys.disable_secrets_engine("sys")


def test_auth_methods_and_token_tuning(root: hvac.Client) -> None:
    methods = root.sys.list_auth_methods()["data"]
    assert list(methods) == ["token/"]
    token = methods["token/"]
    assert (token["type"], token["description"]) == ("token", "token based credentials")
    assert token["config"]["token_type"] == "default-service"
    tuning = root.sys.read_auth_method_tuning("token")["data"]
    assert tuning == {
        "default_lease_ttl": MOUNT_DEFAULT_TTL,
        "description": "token based credentials",
        "force_no_cache": False,
        "max_lease_ttl": MOUNT_DEFAULT_TTL,
        "token_type": "default-service",
    }
    with pytest.raises(exceptions.InvalidRequest, match="cannot fetch sysview"):
        root.sys.read_auth_method_tuning("userpass")


# -- Tokens -----------------------------------------------------------------------------------


def test_token_create_and_lookups(connect: Connect, root: hvac.Client) -> None:
    created = root.auth.token.create(
        policies=["p1"], ttl="1h", meta={"owner": "alice"}, display_name="svc"
    )
    assert created["warnings"] == ['Policy "p1" does not exist']
    auth = created["auth"]
    assert auth["policies"] == ["default", "p1"] and auth["token_policies"] == ["default", "p1"]
    assert (auth["lease_duration"], auth["renewable"], auth["orphan"]) == (3600, True, False)
    assert (auth["metadata"], auth["token_type"]) == ({"owner": "alice"}, "service")

    token, accessor = auth["client_token"], auth["accessor"]
    by_token = root.auth.token.lookup(token)["data"]
    by_self = connect(token).auth.token.lookup_self()["data"]
    by_accessor = root.auth.token.lookup_accessor(accessor)["data"]
    for data in (by_token, by_self, by_accessor):
        assert data["accessor"] == accessor and data["policies"] == ["default", "p1"]
        assert data["meta"] == {"owner": "alice"} and data["display_name"] == "token-svc"
        assert data["path"] == "auth/token/create" and data["type"] == "service"
        assert 3590 <= data["ttl"] <= 3600 and data["creation_ttl"] == 3600
    assert by_token["id"] == by_self["id"] == token and by_accessor["id"] == ""
    with pytest.raises(exceptions.Forbidden, match="bad token"):
        root.auth.token.lookup("s.not-a-token")
    with pytest.raises(exceptions.InvalidRequest, match="invalid accessor"):
        root.auth.token.lookup_accessor("not-an-accessor")


def test_token_num_uses_runs_out(connect: Connect, root: hvac.Client) -> None:
    auth = _token(root, num_uses=2)
    assert auth["num_uses"] == 2
    client = connect(auth["client_token"])
    assert client.auth.token.lookup_self()["data"]["num_uses"] == 1  # this lookup was a use
    assert client.is_authenticated() is True  # the last use
    assert client.is_authenticated() is False
    with pytest.raises(exceptions.Forbidden):
        client.auth.token.lookup_self()


def test_token_renew(connect: Connect, root: hvac.Client) -> None:
    auth = _token(root, ttl="1h")
    renewed = root.auth.token.renew(auth["client_token"], increment="2h")["auth"]
    assert renewed["lease_duration"] == 7200
    renewed = connect(auth["client_token"]).auth.token.renew_self(increment=600)["auth"]
    assert renewed["lease_duration"] == 600 and renewed["client_token"] == auth["client_token"]
    assert root.auth.token.lookup(auth["client_token"])["data"]["ttl"] <= 600

    fixed = _token(root, renewable=False)
    assert root.auth.token.lookup(fixed["client_token"])["data"]["renewable"] is False
    with pytest.raises(exceptions.InvalidRequest, match="lease is not renewable"):
        root.auth.token.renew(fixed["client_token"])

    capped = _token(root, ttl="1h", explicit_max_ttl="90m")
    renewed = root.auth.token.renew(capped["client_token"], increment="3h")["auth"]
    assert 5390 <= renewed["lease_duration"] <= 5400  # capped at creation + 90m
    assert root.auth.token.lookup(capped["client_token"])["data"]["explicit_max_ttl"] == 5400


def test_capped_ttl_warns_in_openbao_words(strongroom_bug: Bug, root: hvac.Client) -> None:
    created = root.auth.token.create(policies=["default"], ttl="3h", explicit_max_ttl="1h")
    assert created["auth"]["lease_duration"] == 3600
    assert created["warnings"] == [
        'TTL of "3h" exceeded the effective max_ttl of "1h"; TTL value is capped accordingly'
    ]
    token = _token(root, ttl="1h")["client_token"]
    renewed = root.auth.token.renew(token, increment="1000h")
    assert MOUNT_DEFAULT_TTL - 10 <= renewed["auth"]["lease_duration"] <= MOUNT_DEFAULT_TTL
    assert renewed["warnings"] == [
        'TTL of "1000h" exceeded the effective max_ttl of "768h"; TTL value is capped accordingly'
    ]


def test_batch_token(connect: Connect, root: hvac.Client) -> None:
    auth = _token(root, type="batch", ttl="5m")
    assert (auth["token_type"], auth["accessor"], auth["renewable"]) == ("batch", "", False)
    client = connect(auth["client_token"])
    data = client.auth.token.lookup_self()["data"]
    assert (data["type"], data["policies"], data["creation_ttl"]) == ("batch", ["default"], 300)
    with pytest.raises(exceptions.InvalidRequest) as caught:
        client.auth.token.renew_self()
    assert caught.value.errors == ["batch tokens cannot be renewed"]


def test_token_revocation(connect: Connect, root: hvac.Client) -> None:
    tokens = root.auth.token

    def family() -> tuple[hvac.Client, hvac.Client]:
        parent = _minter(root, connect)
        child = connect(_token(parent)["client_token"])
        return parent, child

    plain = _token(root)["client_token"]
    assert tokens.revoke(plain).status_code == 204
    assert connect(plain).is_authenticated() is False
    with pytest.raises(exceptions.Forbidden, match="bad token"):
        tokens.lookup(plain)
    assert tokens.revoke(plain).status_code == 204  # revoking twice is not an error

    self_revoker = connect(_token(root)["client_token"])
    assert self_revoker.auth.token.revoke_self().status_code == 204
    assert self_revoker.is_authenticated() is False

    by_accessor = _token(root)
    tokens.revoke_accessor(by_accessor["accessor"])
    assert connect(by_accessor["client_token"]).is_authenticated() is False
    with pytest.raises(exceptions.InvalidRequest, match="invalid accessor"):
        tokens.lookup_accessor(by_accessor["accessor"])
    again = tokens.revoke_accessor(by_accessor["accessor"])
    assert again["warnings"] == ["No token found with this accessor"]

    parent, child = family()
    assert tokens.lookup(child.token)["data"]["orphan"] is False
    tokens.revoke(parent.token)
    assert (parent.is_authenticated(), child.is_authenticated()) == (False, False)

    parent, child = family()
    parent.auth.token.revoke_self()
    assert child.is_authenticated() is False

    parent, child = family()
    assert tokens.revoke_and_orphan_children(parent.token).status_code == 204
    assert (parent.is_authenticated(), child.is_authenticated()) == (False, True)
    assert tokens.lookup(child.token)["data"]["orphan"] is True


def test_create_orphan(root: hvac.Client) -> None:
    auth = root.auth.token.create_orphan(policies=["default"], ttl="5m")["auth"]
    assert auth["orphan"] is True and auth["lease_duration"] == 300
    assert root.auth.token.lookup(auth["client_token"])["data"]["orphan"] is True
    assert _token(root, no_parent=True)["orphan"] is True


def test_token_create_refusals_are_invalid_requests(
    strongroom_bug: Bug, connect: Connect, root: hvac.Client
) -> None:
    minter = _minter(root, connect)
    with pytest.raises(exceptions.InvalidRequest, match="child policies must be subset of parent"):
        minter.auth.token.create(policies=["admin"])
    with pytest.raises(exceptions.InvalidRequest, match="required to create orphan token"):
        minter.auth.token.create(policies=["default"], no_parent=True)
    with pytest.raises(exceptions.InvalidRequest, match="required to specify token id"):
        minter.auth.token.create(id="chosen", policies=["default"])
    root.auth.token.create_or_update_role("web", allowed_policies=["web"])
    with pytest.raises(exceptions.InvalidRequest, match="subset of the role's allowed policies"):
        root.auth.token.create(role_name="web", policies=["admin"])


def test_non_root_token_creation(connect: Connect, root: hvac.Client) -> None:
    minter = _minter(root, connect, "extra")
    assert _token(minter, policies=["extra"])["policies"] == ["default", "extra"]
    inherited = minter.auth.token.create(ttl="5m")["auth"]  # no policies: the parent's
    assert inherited["policies"] == ["default", "extra", "mint"] and inherited["orphan"] is False
    # create-orphan needs no sudo, only an ACL grant on that path (`auth/token/create*` here).
    orphan = minter.auth.token.create_orphan(policies=["default"], ttl="5m")["auth"]
    assert (orphan["orphan"], orphan["policies"]) == (True, ["default"])

    # auth/token/accessors is a root path: `list` alone is not enough, sudo is needed.
    listing = 'path "auth/token/accessors" {{ capabilities = ["list"{}] }}'
    root.sys.create_or_update_acl_policy("lister", listing.format(""))
    root.sys.create_or_update_acl_policy("sudo-lister", listing.format(', "sudo"'))
    with pytest.raises(exceptions.Forbidden, match="permission denied"):
        connect(_token(root, policies=["lister"])["client_token"]).auth.token.list_accessors()
    sudo_lister = connect(_token(root, policies=["sudo-lister"])["client_token"])
    assert sudo_lister.auth.token.list_accessors()["data"]["keys"]


def test_sudo_on_create_allows_orphans_and_any_policy(
    strongroom_bug: Bug, connect: Connect, root: hvac.Client
) -> None:
    admin = _minter(root, connect, sudo=True)
    assert _token(admin, no_parent=True)["orphan"] is True
    assert _token(admin, policies=["admin"])["policies"] == ["admin", "default"]


def test_list_accessors_lists_the_accessors(strongroom_bug: Bug, root: hvac.Client) -> None:
    auth = _token(root)
    keys = root.auth.token.list_accessors()["data"]["keys"]
    assert auth["accessor"] in keys
    for accessor in keys:  # every listed value is usable as an accessor
        assert root.auth.token.lookup_accessor(accessor)["data"]["accessor"] == accessor
    root.auth.token.revoke_accessor(auth["accessor"])
    assert auth["accessor"] not in root.auth.token.list_accessors()["data"]["keys"]


# -- Token roles ------------------------------------------------------------------------------


def test_token_role_crud_and_use(root: hvac.Client) -> None:
    tokens = root.auth.token
    with pytest.raises(exceptions.InvalidPath):
        tokens.list_roles()
    tokens.create_or_update_role("web", allowed_policies=["web-read"], orphan=True, renewable=False)
    tokens.create_or_update_role("web", token_explicit_max_ttl=7200, orphan=True, renewable=False)
    role = tokens.read_role("web")["data"]
    assert (role["name"], role["allowed_policies"]) == ("web", ["web-read"])  # kept on update
    assert (role["orphan"], role["renewable"]) == (True, False)
    assert role["token_explicit_max_ttl"] == 7200
    assert (role["disallowed_policies"], role["token_type"]) == ([], "default-service")
    assert tokens.list_roles()["data"]["keys"] == ["web"]

    auth = tokens.create(role_name="web", policies=["web-read"])["auth"]
    assert auth["policies"] == ["default", "web-read"]
    assert (auth["orphan"], auth["renewable"], auth["lease_duration"]) == (True, False, 7200)
    looked_up = tokens.lookup(auth["client_token"])["data"]
    assert (looked_up["role"], looked_up["path"]) == ("web", "auth/token/create/web")
    assert tokens.create(role_name="web")["auth"]["policies"] == ["default", "web-read"]
    assert tokens.create_orphan(role_name="web")["auth"]["orphan"] is True
    with pytest.raises(exceptions.InvalidRequest, match="unknown role nope"):
        tokens.create(role_name="nope")

    tokens.create_or_update_role("web", allowed_policies=["x"], disallowed_policies=["root"])
    role = tokens.read_role("web")["data"]
    assert (role["allowed_policies"], role["disallowed_policies"]) == (["x"], ["root"])
    assert (role["orphan"], role["renewable"]) == (False, True)  # hvac resends its defaults
    assert tokens.delete_role("web").status_code == 204
    with pytest.raises(exceptions.InvalidPath):
        tokens.read_role("web")
    with pytest.raises(exceptions.InvalidPath):
        tokens.list_roles()
    assert tokens.delete_role("web").status_code == 204


def test_role_allowed_policies_need_not_be_the_parents(
    strongroom_bug: Bug, connect: Connect, root: hvac.Client
) -> None:
    root.auth.token.create_or_update_role("web", allowed_policies=["web-read"])
    minter = _minter(root, connect)
    granted = minter.auth.token.create(role_name="web", policies=["web-read"])["auth"]
    assert granted["policies"] == ["default", "web-read"]


def test_role_without_allowed_policies_inherits_the_parents(
    strongroom_bug: Bug, connect: Connect, root: hvac.Client
) -> None:
    root.auth.token.create_or_update_role("open")
    minter = _minter(root, connect, "extra")
    inherited = minter.auth.token.create(role_name="open")["auth"]["policies"]
    assert inherited == ["default", "extra", "mint"]
    assert root.auth.token.create(role_name="open")["auth"]["policies"] == ["root"]


def test_role_path_suffix(strongroom_bug: Bug, root: hvac.Client) -> None:
    tokens = root.auth.token
    tokens.create_or_update_role("web", path_suffix="web-v1")
    assert tokens.read_role("web")["data"]["path_suffix"] == "web-v1"
    token = tokens.create(role_name="web")["auth"]["client_token"]
    assert tokens.lookup(token)["data"]["path"] == "auth/token/create/web/web-v1"
    for bad in ("a/b", "v1"):
        with pytest.raises(exceptions.InvalidRequest, match="path suffix contains invalid"):
            tokens.create_or_update_role("bad", path_suffix=bad)


# -- Policies ---------------------------------------------------------------------------------

APP_POLICY = """
path "secret/data/app/*" { capabilities = ["read"] }
path "secret/metadata/app/*" { capabilities = ["list"] }
path "kv1/shared/*" { capabilities = ["create", "read", "update"] }
path "secret/data/app/locked" { capabilities = ["deny"] }
"""


def test_acl_policy_crud(root: hvac.Client) -> None:
    sys = root.sys
    assert set(sys.list_acl_policies()["data"]["keys"]) == {"default", "root"}
    assert sys.create_or_update_acl_policy("App-Read", APP_POLICY).status_code == 204
    policy = sys.read_acl_policy("app-read")["data"]  # names are lower-cased
    assert (policy["name"], policy["policy"], policy["version"]) == ("app-read", APP_POLICY, 1)
    assert set(sys.list_acl_policies()["data"]["keys"]) == {"app-read", "default", "root"}
    with pytest.raises(exceptions.InvalidPath):
        sys.read_acl_policy("nope")
    with pytest.raises(exceptions.InvalidRequest, match='invalid capability "reed"'):
        sys.create_or_update_acl_policy("bad", 'path "x" { capabilities = ["reed"] }')
    with pytest.raises(exceptions.InvalidRequest, match="failed to parse policy"):
        sys.create_or_update_acl_policy("bad", 'path "x" {')
    with pytest.raises(exceptions.InvalidRequest, match='cannot update "root" policy'):
        sys.create_or_update_acl_policy("root", APP_POLICY)
    with pytest.raises(exceptions.InvalidRequest, match='cannot delete "root" policy'):
        sys.delete_acl_policy("root")
    with pytest.raises(exceptions.InvalidRequest, match="cannot delete default policy"):
        sys.delete_acl_policy("default")
    assert sys.delete_acl_policy("app-read").status_code == 204
    assert sys.delete_acl_policy("app-read").status_code == 204
    assert set(sys.list_acl_policies()["data"]["keys"]) == {"default", "root"}


def test_legacy_policy_api(root: hvac.Client) -> None:
    sys = root.sys
    rules = 'path "secret/*" { capabilities = ["read"] }'
    sys.create_or_update_policy("legacy", rules)
    sys.create_or_update_policy("as-dict", {"path": {"secret/*": {"capabilities": ["list"]}}})
    read = sys.read_policy("legacy")
    assert (read["name"], read["rules"], read["data"]["rules"]) == ("legacy", rules, rules)
    assert '"list"' in sys.read_policy("as-dict")["rules"]  # hvac sends a dict as JSON
    listed = sys.list_policies()
    assert set(listed["policies"]) == set(listed["data"]["keys"])
    assert set(listed["policies"]) == {"as-dict", "default", "legacy", "root"}
    with pytest.raises(exceptions.InvalidPath):
        sys.read_policy("nope")
    sys.delete_policy("legacy")
    assert "legacy" not in sys.list_policies()["policies"]


def test_policy_grants_and_denies(connect: Connect, root: hvac.Client) -> None:
    root.sys.create_or_update_acl_policy("app-read", APP_POLICY)
    root.sys.enable_secrets_engine("kv", path="kv1", options={"version": "1"})
    root.secrets.kv.v2.create_or_update_secret("app/db", {"pw": "s3"})
    root.secrets.kv.v2.create_or_update_secret("other/db", {"pw": "x"})
    user = connect(_token(root, policies=["app-read"])["client_token"])
    kv2, kv1 = user.secrets.kv.v2, user.secrets.kv.v1

    assert _read2(user, "app/db")["data"] == {"pw": "s3"}
    assert kv2.list_secrets("app")["data"]["keys"] == ["db"]
    with pytest.raises(exceptions.InvalidPath):  # allowed but absent is 404, not 403
        _read2(user, "app/absent")
    assert kv1.create_or_update_secret("shared/x", {"a": "b"}, mount_point="kv1").ok
    assert kv1.read_secret("shared/x", mount_point="kv1")["data"] == {"a": "b"}

    denied = (
        lambda: _read2(user, "other/db"),
        lambda: _read2(user, "app/locked"),
        lambda: kv2.create_or_update_secret("app/db", {"pw": "mine"}),
        lambda: kv2.list_secrets(""),
        lambda: kv1.delete_secret("shared/x", mount_point="kv1"),
        user.sys.list_mounted_secrets_engines,
        lambda: user.sys.read_acl_policy("app-read"),
    )
    for attempt in denied:
        with pytest.raises(exceptions.Forbidden, match="permission denied"):
            attempt()
    assert _read2(root, "app/db")["data"] == {"pw": "s3"}

    # Policy changes apply to tokens already issued.
    root.sys.create_or_update_acl_policy("app-read", 'path "secret/data/other/*" {policy="read"}')
    assert _read2(user, "other/db")["data"] == {"pw": "x"}
    with pytest.raises(exceptions.Forbidden):
        _read2(user, "app/db")
    root.sys.delete_acl_policy("app-read")
    with pytest.raises(exceptions.Forbidden):
        _read2(user, "other/db")
    assert user.is_authenticated() is True


def test_capabilities(connect: Connect, root: hvac.Client) -> None:
    root.sys.create_or_update_acl_policy("app-read", APP_POLICY)
    auth = _token(root, policies=["app-read"])
    user = connect(auth["client_token"])
    paths = ["secret/data/app/db", "secret/data/app/locked", "kv1/shared/x", "sys/mounts"]
    expected = {
        "secret/data/app/db": ["read"],
        "secret/data/app/locked": ["deny"],
        "kv1/shared/x": ["create", "read", "update"],
        "sys/mounts": ["deny"],
    }
    assert user.sys.get_capabilities(paths)["data"] == expected
    assert root.sys.get_capabilities(paths, token=auth["client_token"])["data"] == expected
    by_accessor = root.sys.get_capabilities(["kv1/shared/x"], accessor=auth["accessor"])
    assert by_accessor["data"]["kv1/shared/x"] == ["create", "read", "update"]
    # With one path the answer also carries a flat `capabilities` list (Vault's legacy shape).
    assert by_accessor["data"]["capabilities"] == ["create", "read", "update"]
    assert root.sys.get_capabilities(["anything"])["data"]["anything"] == ["root"]
    legacy = user.adapter.post("/v1/sys/capabilities-self", json={"path": "secret/data/app/x"})
    assert legacy["data"]["capabilities"] == ["read"]
    with pytest.raises(exceptions.Forbidden):
        user.sys.get_capabilities(["secret/data/app/db"], token=auth["client_token"])


# -- Cubbyhole --------------------------------------------------------------------------------


def test_cubbyhole_is_private_to_its_token(connect: Connect, root: hvac.Client) -> None:
    owner = connect(_token(root)["client_token"])
    assert owner.write_data("cubbyhole/mine", data={"k": "v"}).status_code == 204
    owner.write_data("cubbyhole/dir/x", data={"k": "v2"})
    assert owner.read("cubbyhole/mine")["data"] == {"k": "v"}
    assert owner.list("cubbyhole/")["data"]["keys"] == ["dir/", "mine"]

    stranger = connect(_token(root)["client_token"])
    for other in (root, stranger):  # hvac's read/list return None on 404
        assert other.read("cubbyhole/mine") is None
        assert other.list("cubbyhole/") is None
    root.write_data("cubbyhole/mine", data={"root": "own"})
    assert owner.read("cubbyhole/mine")["data"] == {"k": "v"}
    assert root.read("cubbyhole/mine")["data"] == {"root": "own"}

    owner.delete("cubbyhole/mine")
    assert owner.read("cubbyhole/mine") is None
    with pytest.raises(exceptions.VaultError, match="missing data fields"):
        owner.write_data("cubbyhole/empty", data={})  # OpenBao: 500, Strongroom: 400


def test_cubbyhole_dies_with_its_token(connect: Connect, root: hvac.Client) -> None:
    _token(root, id="fixed-token")
    connect("fixed-token").write_data("cubbyhole/keep", data={"a": "1"})
    root.auth.token.revoke("fixed-token")
    _token(root, id="fixed-token")  # same token string, new token
    assert connect("fixed-token").read("cubbyhole/keep") is None
