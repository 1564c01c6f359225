"""Status documents that describe the core: seal status, health, leader. Pure data shapes.

Field names and order follow OpenBao's responses (clients parse these by name).
"""

from __future__ import annotations

from dataclasses import dataclass

from strongroom import __version__
from strongroom.types import JSONDict

# vault-compat: clients read `version`; we report the OpenBao API level we implement, with our
# own version as semver build metadata.
API_VERSION = f"2.7.2+strongroom.{__version__}"
BUILD_DATE = "2026-11-27T00:00:00Z"


@dataclass(frozen=True, slots=True)
class ClusterInfo:
    """The cluster's name and id, chosen at initialisation."""

    name: str
    id: str


@dataclass(frozen=True, slots=True)
class SealStatus:
    """What `sys/seal-status` reports."""

    initialized: bool
    sealed: bool
    threshold: int
    shares: int
    progress: int
    nonce: str
    storage_type: str
    cluster: ClusterInfo | None

    def to_json(self) -> JSONDict:
        body: JSONDict = {
            "type": "shamir",
            "initialized": self.initialized,
            "sealed": self.sealed,
            "t": self.threshold,
            "n": self.shares,
            "progress": self.progress,
            "nonce": self.nonce,
            "recovery_seal": False,
            "version": API_VERSION,
            "commit_date": BUILD_DATE,
            "migration": False,
        }
        if self.cluster is not None and not self.sealed:
            body["cluster_name"] = self.cluster.name
            body["cluster_id"] = self.cluster.id
        body["storage_type"] = self.storage_type
        return body


@dataclass(frozen=True, slots=True)
class HealthStatus:
    """What `sys/health` reports (the HTTP layer picks the status code)."""

    initialized: bool
    sealed: bool
    standby: bool
    server_time_utc: int
    cluster: ClusterInfo | None

    def to_json(self) -> JSONDict:
        body: JSONDict = {
            "initialized": self.initialized,
            "sealed": self.sealed,
            "standby": self.standby,
            "replication_performance_mode": "unknown" if self.sealed else "disabled",
            "replication_dr_mode": "unknown" if self.sealed else "disabled",
            "server_time_utc": self.server_time_utc,
            "version": API_VERSION,
        }
        if self.cluster is not None and not self.sealed:
            body["cluster_name"] = self.cluster.name
            body["cluster_id"] = self.cluster.id
        return body


__all__ = ["API_VERSION", "ClusterInfo", "HealthStatus", "SealStatus"]
