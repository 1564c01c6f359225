"""kv v2 versions as a hypothesis state machine: writes (with and without check-and-set),
merge patches, soft deletes, undeletes, destroys, max_versions trimming, delete_version_after
expiry and metadata deletion, checked against a small independent model after every step."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from strongroom.engines.kv import kv_backend
from strongroom.errors import InvalidRequest
from strongroom.logical import Operation, Request, Response
from strongroom.storage import InmemStorage
from strongroom.testing.clock import FakeClock
from strongroom.types import JSON, JSONDict

T = TypeVar("T")
US = 1_000_000

KEYS = st.sampled_from(["a", "dir/c"])
VALUES = st.integers(min_value=0, max_value=3)
SECRETS = st.dictionaries(st.sampled_from(["x", "y", "z"]), VALUES, max_size=3)
PATCHES = st.dictionaries(st.sampled_from(["x", "y", "z"]), st.none() | VALUES, max_size=3)
VERSION_LISTS = st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=3)


@dataclass
class ModelVersion:
    data: JSONDict
    deletion: int | None = None  # microseconds
    destroyed: bool = False

    def readable(self, now: int) -> bool:
        return not self.destroyed and not (self.deletion is not None and self.deletion <= now)


@dataclass
class ModelKey:
    versions: dict[int, ModelVersion] = field(default_factory=dict)
    current: int = 0
    max_versions: int = 0
    expiry: int = 0  # delete_version_after, seconds


class KVVersions(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.clock = FakeClock()
        self.storage = InmemStorage()
        self.backend = kv_backend({"version": "2"}, clock=self.clock)
        self.model: dict[str, ModelKey] = {}

    def teardown(self) -> None:
        self.loop.close()

    # plumbing -------------------------------------------------------------------------------

    def run(self, coro: Coroutine[object, object, T]) -> T:
        return self.loop.run_until_complete(coro)

    def call(self, op: Operation, path: str, **data: JSON) -> Response | None:
        request = Request(operation=op, path=path, data=dict(data), storage=self.storage)
        return self.run(self.backend.handle(request))

    def now(self) -> int:
        return round(self.clock.now() * US)

    def add_version(self, key: str, data: JSONDict) -> int:
        entry = self.model.setdefault(key, ModelKey())
        entry.current += 1
        deletion = self.now() + entry.expiry * US if entry.expiry else None
        entry.versions[entry.current] = ModelVersion(dict(data), deletion)
        keep = entry.max_versions or 10
        for old in [n for n in entry.versions if n <= entry.current - keep]:
            del entry.versions[old]
        return entry.current

    # rules ----------------------------------------------------------------------------------

    @rule(key=KEYS, data=SECRETS)
    def write(self, key: str, data: JSONDict) -> None:
        response = self.call(Operation.UPDATE, "data/" + key, data=data)
        version = self.add_version(key, data)
        assert response is not None and response.data is not None
        assert response.data["version"] == version

    @rule(key=KEYS, data=SECRETS, offset=st.sampled_from([0, 0, -1, 1]))
    def write_with_cas(self, key: str, data: JSONDict, offset: int) -> None:
        entry = self.model.get(key)
        current = entry.current if entry is not None else 0
        options = {"cas": current + offset}
        if offset == 0:
            response = self.call(Operation.UPDATE, "data/" + key, data=data, options=options)
            assert response is not None and response.data is not None
            assert response.data["version"] == self.add_version(key, data)
            return
        try:
            self.call(Operation.UPDATE, "data/" + key, data=data, options=options)
        except InvalidRequest as exc:
            assert exc.messages == ["check-and-set parameter did not match the current version"]
        else:
            raise AssertionError("a stale cas was accepted")

    @rule(key=KEYS, patch=PATCHES)
    def patch(self, key: str, patch: JSONDict) -> None:
        response = self.call(Operation.PATCH, "data/" + key, data=patch)
        entry = self.model.get(key)
        latest = entry.versions.get(entry.current) if entry is not None else None
        if entry is None or latest is None:
            assert response == Response(status=404)
            return
        assert response is not None
        if not latest.readable(self.now()):
            assert response.status == 404
            assert response.data is not None and response.data["version"] == entry.current
            return
        merged = dict(latest.data)
        for name, value in patch.items():
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
        assert response.data is not None
        assert response.data["version"] == self.add_version(key, merged)

    @rule(key=KEYS)
    def delete_latest(self, key: str) -> None:
        assert self.call(Operation.DELETE, "data/" + key) is None
        entry = self.model.get(key)
        if entry is not None and entry.current in entry.versions:
            self._soft_delete(entry.versions[entry.current])

    def _soft_delete(self, version: ModelVersion) -> None:
        if version.readable(self.now()):
            version.deletion = self.now()

    @rule(key=KEYS, versions=VERSION_LISTS)
    def delete(self, key: str, versions: list[int]) -> None:
        assert self.call(Operation.UPDATE, "delete/" + key, versions=versions) is None
        entry = self.model.get(key)
        for n in versions:
            if entry is not None and n in entry.versions:
                self._soft_delete(entry.versions[n])

    @rule(key=KEYS, versions=VERSION_LISTS)
    def undelete(self, key: str, versions: list[int]) -> None:
        assert self.call(Operation.UPDATE, "undelete/" + key, versions=versions) is None
        entry = self.model.get(key)
        for n in versions:
            version = entry.versions.get(n) if entry is not None else None
            if entry is not None and version is not None and not version.destroyed:
                version.deletion = self.now() + entry.expiry * US if entry.expiry else None

    @rule(key=KEYS, versions=VERSION_LISTS)
    def destroy(self, key: str, versions: list[int]) -> None:
        assert self.call(Operation.UPDATE, "destroy/" + key, versions=versions) is None
        entry = self.model.get(key)
        for n in versions:
            if entry is not None and n in entry.versions:
                entry.versions[n].destroyed = True

    @rule(key=KEYS, max_versions=st.integers(min_value=0, max_value=4))
    def set_max_versions(self, key: str, max_versions: int) -> None:
        self.call(Operation.UPDATE, "metadata/" + key, max_versions=max_versions)
        self.model.setdefault(key, ModelKey()).max_versions = max_versions

    @rule(key=KEYS, seconds=st.integers(min_value=0, max_value=4))
    def set_delete_version_after(self, key: str, seconds: int) -> None:
        self.call(Operation.UPDATE, "metadata/" + key, delete_version_after=seconds)
        self.model.setdefault(key, ModelKey()).expiry = seconds

    @rule(key=KEYS)
    def delete_metadata(self, key: str) -> None:
        assert self.call(Operation.DELETE, "metadata/" + key) is None
        self.model.pop(key, None)

    @rule(seconds=st.integers(min_value=1, max_value=3))
    def advance(self, seconds: int) -> None:
        self.clock.advance(seconds)

    # invariants -----------------------------------------------------------------------------

    @invariant()
    def reads_agree_with_the_model(self) -> None:
        now = self.now()
        for key in ("a", "dir/c"):
            entry = self.model.get(key)
            meta = self.call(Operation.READ, "metadata/" + key)
            if entry is None:
                assert meta is None
                assert self.call(Operation.READ, "data/" + key) is None
                continue
            assert meta is not None and meta.data is not None
            assert meta.data["current_version"] == entry.current
            listed = sorted(int(n) for n in meta.data["versions"])
            assert listed == sorted(entry.versions)
            for number in range(1, entry.current + 2):
                self._check_version(key, entry, number, now)

    def _check_version(self, key: str, entry: ModelKey, number: int, now: int) -> None:
        response = self.call(Operation.READ, "data/" + key, version=str(number))
        version = entry.versions.get(number)
        if version is None:
            assert response is None
            return
        assert response is not None and response.data is not None
        metadata = response.data["metadata"]
        assert (metadata["version"], metadata["destroyed"]) == (number, version.destroyed)
        if version.readable(now):
            assert response.status is None
            assert response.data["data"] == version.data
        else:
            assert response.status == 404
            assert response.data["data"] is None


KVVersions.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_kv_versions = KVVersions.TestCase
