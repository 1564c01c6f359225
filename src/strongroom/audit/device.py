"""The `AuditDevice` Protocol and the shared part of every device: options, formatting and
the tamper-evidence chain. Devices differ only in where a finished line goes.

Must not: decide whether a request may proceed (that is the broker's fail-closed rule).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Awaitable, Mapping
from typing import Protocol, runtime_checkable

from strongroom.audit import chain
from strongroom.audit.entry import AuditEntry
from strongroom.audit.format import (
    FormatOptions,
    Formatted,
    Hasher,
    RecordCache,
    build_request,
    build_response,
)
from strongroom.audit.salt import Salter
from strongroom.errors import InvalidRequest

_TRUE = ("true", "1", "yes", "on", "t")
_FALSE = ("false", "0", "no", "off", "f", "")


@runtime_checkable
class AuditDevice(Protocol):
    """An enabled audit device (Vault's audit.Backend)."""

    @property
    def path(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def options(self) -> Mapping[str, str]: ...

    def hash(self, value: str) -> str:
        """The device's HMAC of `value` (sys/audit-hash)."""
        ...

    async def log_request(self, entry: AuditEntry) -> None: ...

    async def log_response(self, entry: AuditEntry) -> None: ...

    async def reopen(self) -> None:
        """Reopen the sink (SIGHUP), e.g. after logrotate renamed the file."""
        ...

    async def close(self) -> None: ...


@runtime_checkable
class QueuingDevice(AuditDevice, Protocol):
    """A device that queues records and enforces the broker's deadline itself.

    `queue_request` / `queue_response` format the record at once and return what completes
    when it is written: it fails with the write's error, or with `TimeoutError` once
    `timeout` seconds have passed without the record being written (a hung sink). The
    broker then needs no `asyncio.timeout` (a timer, a context manager and a task
    cancellation per call) around each record.
    """

    def queue_request(self, entry: AuditEntry, timeout: float) -> Awaitable[None]: ...

    def queue_response(self, entry: AuditEntry, timeout: float) -> Awaitable[None]: ...


def option_bool(options: Mapping[str, str], key: str, default: bool) -> bool:
    """A boolean device option, parsed like Go's strconv.ParseBool; bad values are a 400."""
    raw = options.get(key)
    if raw is None:
        return default
    value = str(raw).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidRequest(f"invalid value for {key!r}: {raw!r}")


class RecordFormatter:
    """Formats entries for one device and keeps its chain head.

    `seal` must be called in write order, and `commit` only once the line is durably in the
    sink, so a failed write (full disk) leaves the chain where it was.
    """

    def __init__(self, salter: Salter, options: Mapping[str, str]) -> None:
        self.salter = salter
        self.log_raw = option_bool(options, "log_raw", False)
        self.format_options = FormatOptions(
            hmac_accessor=option_bool(options, "hmac_accessor", True),
            elide_list_responses=option_bool(options, "elide_list_responses", False),
        )
        self.prefix = str(options.get("prefix", ""))
        fmt = str(options.get("format", "json"))
        if fmt != "json":
            raise InvalidRequest(f"unsupported audit format {fmt!r}: only 'json'")
        try:
            self.prefix_bytes: bytes | None = self.prefix.encode()
        except UnicodeEncodeError:  # every line fails to encode, as it always did
            self.prefix_bytes = None
        self.hasher: Hasher | None = None if self.log_raw else salter.hash
        self.cache = RecordCache()
        self.chain_key = salter.chain_key()
        self.linker = chain.Linker(self.chain_key)
        self.head = chain.genesis(self.chain_key)
        self.seq = 0
        self.state_prev = True
        self.lock = threading.Lock()

    def request_record(self, entry: AuditEntry) -> Formatted:
        return build_request(entry, self.hasher, self.format_options, self.cache)

    def response_record(self, entry: AuditEntry) -> Formatted:
        return build_response(entry, self.hasher, self.format_options, self.cache)

    def seal(self, formatted: Formatted) -> tuple[bytes, str]:
        """(the line to write, the chain head once it is written)."""
        record, plain = formatted
        if plain and self.prefix_bytes is not None:
            sealed = chain.seal_plain(
                self.linker, self.head, self.seq, record, state_prev=self.state_prev
            )
            if sealed is not None:
                return self.prefix_bytes + sealed[0] + b"\n", sealed[1]
        # The reference path, for records orjson would not spell exactly as `json` does.
        full = chain.seal_record(
            self.chain_key, self.head, self.seq, record, state_prev=self.state_prev
        )
        text = json.dumps(full, separators=(",", ":"), ensure_ascii=False)
        return (self.prefix + text + "\n").encode(), full[chain.CHAIN_FIELD]

    def commit(self, head: str) -> None:
        self.head = head
        self.seq += 1
        self.state_prev = False

    def restart_segment(self, last: tuple[str, int] | None = None) -> None:
        """The next record starts a new sink segment and states the value it chains from.

        `last` is (chain value, seq) of the last record already in the sink, if any.
        """
        if last is not None:
            self.head, self.seq = last[0], last[1] + 1
        self.state_prev = True


__all__ = ["AuditDevice", "QueuingDevice", "RecordFormatter", "option_bool"]
