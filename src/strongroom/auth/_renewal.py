"""The re-check a login token gets before renewal (Vault's auth renew handlers): the policies
it carries must still be the ones its user or role would get now."""

from __future__ import annotations

from collections.abc import Iterable

from strongroom.errors import InvalidRequest

# vault-compat: the refusal text of userpass/approle renewals
ERR_POLICIES_CHANGED = "policies have changed, not renewing"


def require_same_policies(current: Iterable[str], token_policies: Iterable[str]) -> None:
    """400 unless the token's policies (minus `default`) equal `current` (minus `default`)."""
    now = {p.strip().lower() for p in current if p.strip()} - {"default"}
    held = set(token_policies) - {"default"}
    if now != held:
        raise InvalidRequest(ERR_POLICIES_CHANGED)


__all__ = ["ERR_POLICIES_CHANGED", "require_same_policies"]
