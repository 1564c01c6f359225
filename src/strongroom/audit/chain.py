"""The tamper-evidence chain over audit records (beyond Vault). Pure.

Each record carries `strongroom_chain` = HMAC-SHA256(chain key, prev || canonical(record)),
where `canonical` is sorted-key compact JSON of the record without the chain fields and
`prev` is the previous record's chain value (hex), or the genesis value for the first record
of a chain. The first record a device writes after opening its sink also carries
`strongroom_chain_prev` (the value it chains from), so a rotated file, or a file the server
reopened after a restart, states where it continues from; that field is covered by the MAC.
`strongroom_seq` numbers records 0, 1, 2, ... along the chain (also MACed), so a verifier can
tell a deleted record (the number jumps) from an altered one.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import orjson

from strongroom.keyed_hmac import KeyedHmac
from strongroom.types import JSONDict

CHAIN_FIELD = "strongroom_chain"
PREV_FIELD = "strongroom_chain_prev"
SEQ_FIELD = "strongroom_seq"
_GENESIS_LABEL = b"strongroom-audit-chain-genesis-v1"


def genesis(key: bytes) -> str:
    """The chain value a brand-new chain starts from."""
    return hmac.new(key, _GENESIS_LABEL, hashlib.sha256).hexdigest()


def canonical(record: JSONDict) -> bytes:
    """Sorted-key compact JSON of `record` without the chain value itself."""
    body = {k: v for k, v in record.items() if k != CHAIN_FIELD}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link(key: bytes, prev: str, record: JSONDict) -> str:
    """The chain value of `record` following `prev`."""
    mac = hmac.new(key, prev.encode(), hashlib.sha256)
    mac.update(b"\n")
    mac.update(canonical(record))
    return mac.hexdigest()


def _with_seq(record: JSONDict, prev: str, seq: int, *, state_prev: bool) -> JSONDict:
    """A copy of `record` with its sequence number (and `strongroom_chain_prev` when
    `state_prev`), without any chain fields it carried: what the chain value covers."""
    out = dict(record)
    out.pop(CHAIN_FIELD, None)
    out.pop(PREV_FIELD, None)
    out[SEQ_FIELD] = seq
    if state_prev:
        out[PREV_FIELD] = prev
    return out


def seal_record(key: bytes, prev: str, seq: int, record: JSONDict, *, state_prev: bool) -> JSONDict:
    """`record` plus its chain fields (and `strongroom_chain_prev` when `state_prev`)."""
    out = _with_seq(record, prev, seq, state_prev=state_prev)
    out[CHAIN_FIELD] = link(key, prev, out)
    return out


class Linker:
    """`link` with the chain key set up once (one per device)."""

    __slots__ = ("_mac",)

    def __init__(self, key: bytes) -> None:
        self._mac = KeyedHmac(key)

    def __repr__(self) -> str:
        return "Linker(**********)"

    def link_canonical(self, prev: str, canonical_json: bytes) -> str:
        """The chain value following `prev` of the record whose `canonical` is given."""
        return self._mac.hexdigest(prev.encode() + b"\n" + canonical_json)


_CHAIN_TAIL = b',"' + CHAIN_FIELD.encode() + b'":"'


def seal_plain(
    linker: Linker, prev: str, seq: int, record: JSONDict, *, state_prev: bool
) -> tuple[bytes, str] | None:
    """`seal_record` plus compact JSON of the result, via orjson: (line, chain value).

    Only for plain records (str, int, bool, None, dicts with str keys, lists), which orjson
    writes byte-for-byte as `json.dumps(..., separators=(",", ":"), ensure_ascii=False)`
    does, sorted keys included. None when orjson refuses the record (an integer beyond 64
    bits, a lone surrogate, nesting deeper than 255): the caller then takes the stdlib path,
    which writes or fails exactly as before.
    """
    out = _with_seq(record, prev, seq, state_prev=state_prev)
    try:
        value = linker.link_canonical(prev, orjson.dumps(out, option=orjson.OPT_SORT_KEYS))
        body = orjson.dumps(out)
    except orjson.JSONEncodeError:
        return None
    # The chain value goes last, as seal_record appends it.
    return body[:-1] + _CHAIN_TAIL + value.encode() + b'"}', value


def check(key: bytes, prev: str, record: JSONDict) -> bool:
    """Whether `record`'s chain value is right for `prev` (constant-time compare)."""
    value = record.get(CHAIN_FIELD)
    if not isinstance(value, str):
        return False
    return hmac.compare_digest(value, link(key, prev, record))


__all__ = [
    "CHAIN_FIELD",
    "PREV_FIELD",
    "SEQ_FIELD",
    "Linker",
    "canonical",
    "check",
    "genesis",
    "link",
    "seal_plain",
    "seal_record",
]
