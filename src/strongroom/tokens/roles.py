"""Token roles (`auth/token/roles/:name`): presets and limits for tokens created through them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from strongroom.types import JSONDict


@dataclass(frozen=True, slots=True)
class TokenRole:
    """A token role as Vault stores it."""

    name: str
    allowed_policies: tuple[str, ...] = ()
    disallowed_policies: tuple[str, ...] = ()
    allowed_policies_glob: tuple[str, ...] = ()
    disallowed_policies_glob: tuple[str, ...] = ()
    orphan: bool = False
    renewable: bool = True
    path_suffix: str = ""
    token_type: str = "default-service"
    token_period: int = 0
    token_explicit_max_ttl: int = 0
    token_ttl: int = 0
    token_max_ttl: int = 0
    token_no_default_policy: bool = False
    token_num_uses: int = 0
    token_bound_cidrs: tuple[str, ...] = ()
    allowed_entity_aliases: tuple[str, ...] = ()

    def to_json(self) -> JSONDict:
        """The read response of `auth/token/roles/:name` (Vault's field set)."""
        data: JSONDict = asdict(self)
        for key, value in data.items():
            if isinstance(value, tuple):
                data[key] = list(value)
        # vault-compat: legacy aliases still returned by the role read
        data["period"] = self.token_period
        data["explicit_max_ttl"] = self.token_explicit_max_ttl
        data["bound_cidrs"] = list(self.token_bound_cidrs)
        return data

    def serialize(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode()

    @staticmethod
    def deserialize(blob: bytes) -> TokenRole:
        raw = json.loads(blob)
        for key, value in raw.items():
            if isinstance(value, list):
                raw[key] = tuple(value)
        return TokenRole(**raw)


__all__ = ["TokenRole"]
