"""Rekey: replace the unseal key shares (`sys/rekey/init|update|verify`).

A quorum of current shares proves the operators hold the old key; new shares are generated and,
when verification is required, must be fed back before the switch is committed.
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from strongroom.errors import DecryptionFailed, InvalidRequest, Sealed
from strongroom.seal import SealConfig, combine_shares
from strongroom.seal.shares import ShareProgress, shares_json
from strongroom.types import JSONDict

if TYPE_CHECKING:
    from strongroom.core.core import Core


@dataclass
class _Attempt:
    config: SealConfig
    require_verification: bool
    nonce: str = field(default_factory=lambda: str(uuid.uuid4()))
    progress: ShareProgress = field(default_factory=ShareProgress)
    pending_key: bytes | None = None
    verification_nonce: str = ""
    verification: ShareProgress = field(default_factory=ShareProgress)


class Rekey:
    """The one rekey attempt a node can have at a time."""

    def __init__(self, core: Core) -> None:
        self._core = core
        self._attempt: _Attempt | None = None

    async def status(self) -> JSONDict:
        self._require_unsealed()
        current = await self._core.seal_config()
        attempt = self._attempt
        body: JSONDict = {
            "nonce": attempt.nonce if attempt else "",
            "started": attempt is not None,
            "t": attempt.config.secret_threshold if attempt else 0,
            "n": attempt.config.secret_shares if attempt else 0,
            "progress": attempt.progress.progress if attempt else 0,
            "required": current.secret_threshold if current else 0,
            "pgp_fingerprints": None,
            "backup": False,
            "verification_required": attempt.require_verification if attempt else False,
        }
        if attempt is not None and attempt.verification_nonce:
            body["verification_nonce"] = attempt.verification_nonce
        return body

    async def start(self, config: SealConfig, *, require_verification: bool) -> JSONDict:
        self._require_unsealed()
        if self._attempt is not None:
            # vault-compat: rekey error text
            raise InvalidRequest("rekey already in progress")
        config.validate()
        self._attempt = _Attempt(config=config, require_verification=require_verification)
        return await self.status()

    def cancel(self) -> None:
        """Cancel the attempt (an API call: 503 while sealed)."""
        self._require_unsealed()
        self._attempt = None

    def reset(self) -> None:
        """Forget the attempt (sealing does this)."""
        self._attempt = None

    def _require_unsealed(self) -> None:
        if self._core.sealed:
            raise Sealed()

    def _current(self, nonce: str) -> _Attempt:
        self._require_unsealed()
        attempt = self._attempt
        if attempt is None:
            raise InvalidRequest("no rekey in progress")
        if not hmac.compare_digest(nonce, attempt.nonce):
            raise InvalidRequest(
                f"incorrect nonce supplied; nonce for this rekey operation is {attempt.nonce}"
            )
        return attempt

    async def update(self, share: bytes, nonce: str) -> JSONDict:
        """Add a current share; once the quorum is in, generate the new shares."""
        attempt = self._current(nonce)
        if attempt.pending_key is not None:
            raise InvalidRequest("rekey is awaiting verification of the new shares")
        current = await self._core.seal_config()
        if current is None:
            raise InvalidRequest("server is not initialized")
        complete = attempt.progress.add(
            share,
            current.secret_threshold,
            duplicate_error="given key has already been provided during this generation operation",
        )
        if complete is None:
            return await self.status()
        old_key = combine_shares(complete, current.secret_threshold)
        try:
            root_key = await self._core.seal_access.recover_root_key(old_key)
        except DecryptionFailed:
            raise InvalidRequest("failed to verify the unseal key shares: invalid key") from None
        new_key, new_shares = self._core.seal_access.new_unseal_key(attempt.config)
        result: JSONDict = {
            "complete": True,
            "nonce": attempt.nonce,
            **shares_json(new_shares),
            "pgp_fingerprints": None,
            "backup": False,
            "verification_required": attempt.require_verification,
        }
        if attempt.require_verification:
            attempt.pending_key = new_key
            attempt.verification_nonce = str(uuid.uuid4())
            result["verification_nonce"] = attempt.verification_nonce
            return result
        await self._commit(attempt.config, new_key, root_key)
        return result

    async def verification_status(self) -> JSONDict:
        self._require_unsealed()
        attempt = self._attempt
        if attempt is None or attempt.pending_key is None:
            raise InvalidRequest("no rekey verification in progress")
        return {
            "nonce": attempt.verification_nonce,
            "started": True,
            "t": attempt.config.secret_threshold,
            "n": attempt.config.secret_shares,
            "progress": attempt.verification.progress,
        }

    async def restart_verification(self) -> JSONDict:
        self._require_unsealed()
        attempt = self._attempt
        if attempt is None or attempt.pending_key is None:
            raise InvalidRequest("no rekey verification in progress")
        attempt.verification.reset()
        attempt.verification_nonce = str(uuid.uuid4())
        return await self.verification_status()

    async def verify(self, share: bytes, nonce: str) -> JSONDict:
        """Add a new share; once the new threshold is met and matches, commit the rekey."""
        self._require_unsealed()
        attempt = self._attempt
        if attempt is None or attempt.pending_key is None:
            raise InvalidRequest("no rekey verification in progress")
        if not hmac.compare_digest(nonce, attempt.verification_nonce):
            raise InvalidRequest(
                "incorrect nonce supplied; nonce for this verify operation is "
                f'"{attempt.verification_nonce}"'
            )
        complete = attempt.verification.add(
            share,
            attempt.config.secret_threshold,
            duplicate_error="given key has already been provided during this verify operation",
        )
        if complete is None:
            return await self.verification_status()
        candidate = combine_shares(complete, attempt.config.secret_threshold)
        if not hmac.compare_digest(candidate, attempt.pending_key):
            attempt.verification_nonce = str(uuid.uuid4())
            raise InvalidRequest("rekey verification failed; incorrect key shares supplied")
        await self._commit(attempt.config, attempt.pending_key, self._core.barrier.root_key)
        return {"nonce": attempt.verification_nonce, "complete": True}

    async def _commit(self, config: SealConfig, new_key: bytes, root_key: bytes) -> None:
        await self._core.replace_unseal_key(config, new_key, root_key)
        self._attempt = None


__all__ = ["Rekey"]
