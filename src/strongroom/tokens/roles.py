"""Token roles (`auth/token/roles/:name`): presets and limits for tokens created through them.

Owns the stored role, its read shape and the policy-name glob test its `*_policies_glob`
lists use. It must not decide a token's policies (that is `auth/token/path_create.py`) nor do
I/O (the token store persists the bytes `serialize` returns).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from functools import lru_cache

from strongroom.types import JSONDict


@dataclass(frozen=True, slots=True)
class TokenRole:
    """A token role as Vault stores it.

    `allowed_entity_aliases` is `None` until it is first written: OpenBao reads that back as
    `null`, and an explicitly emptied list as `[]`.
    """

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
    allowed_entity_aliases: tuple[str, ...] | None = None

    @property
    def limits_policies(self) -> bool:
        """Whether any allowed/disallowed list (exact or glob) is set: OpenBao then applies the
        role's own policy rules instead of the parent-subset rule."""
        return bool(
            self.allowed_policies
            or self.disallowed_policies
            or self.allowed_policies_glob
            or self.disallowed_policies_glob
        )

    def to_json(self) -> JSONDict:
        """The read response of `auth/token/roles/:name` (Vault's field set).

        As OpenBao's role read: the policy lists are always lists (`[]` when empty),
        `allowed_entity_aliases` is `null` until set, and `token_bound_cidrs`/`bound_cidrs` and
        `token_num_uses` appear only when set.
        """
        data: JSONDict = asdict(self)
        for key, value in data.items():
            if isinstance(value, tuple):
                data[key] = list(value)
        # vault-compat: legacy aliases still returned by the role read
        data["period"] = self.token_period
        data["explicit_max_ttl"] = self.token_explicit_max_ttl
        if self.token_bound_cidrs:
            data["bound_cidrs"] = list(self.token_bound_cidrs)
        else:
            del data["token_bound_cidrs"]
        if not self.token_num_uses:
            del data["token_num_uses"]
        return data

    def serialize(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode()

    @staticmethod
    def deserialize(blob: bytes) -> TokenRole:
        """Load a stored role. A role stored before a field existed takes that field's
        default; keys this version does not know are ignored rather than failing the load."""
        raw = json.loads(blob)
        known = {f.name for f in fields(TokenRole)}
        for key in list(raw):
            if key not in known:
                del raw[key]
            elif isinstance(raw[key], list):
                raw[key] = tuple(raw[key])
        return TokenRole(**raw)


def unique_lower(names: Iterable[str]) -> list[str]:
    """Trimmed, lower-cased, de-duplicated and sorted names, empty ones dropped (OpenBao's
    `RemoveDuplicates(names, true)`, used for the disallowed lists and entity aliases)."""
    return sorted({name.strip().lower() for name in names if name.strip()})


def sanitize_policies(names: Iterable[str], *, add_default: bool) -> list[str]:
    """OpenBao's `SanitizePolicies`: `unique_lower`, except that `root` anywhere leaves only
    `root`, and `default` is added when asked for (never next to `root`)."""
    cleaned = unique_lower(names)
    if "root" in cleaned:
        return ["root"]
    if add_default and "default" not in cleaned:
        cleaned = sorted([*cleaned, "default"])
    return cleaned


def glob_matches(patterns: Iterable[str], value: str) -> bool:
    """Whether any pattern matches `value`, `*` standing for any run of characters (anywhere,
    any number of times) and everything else literal, as OpenBao's `StrListContainsGlob`.

    An empty pattern matches only the empty string; a pattern without `*` is an exact match.
    Every string is a valid pattern, so matching cannot fail.
    """
    return any(_glob(pattern).fullmatch(value) is not None for pattern in patterns)


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


__all__ = ["TokenRole", "glob_matches", "sanitize_policies", "unique_lower"]
