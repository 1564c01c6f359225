"""Verify the tamper-evidence chain of an audit file (see `chain`). Pure apart from reading.

Reports, by 1-based line number, records that were altered, deleted, reordered or torn
(truncated), or that the file is intact. Deleting whole records from the *end* of a file
leaves a valid chain; pass the device's last chain value as `expected_head` to catch that.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from strongroom.audit import chain
from strongroom.types import JSONDict

_MAX_FINDINGS = 100


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: `kind` is altered, deleted, reordered, truncated or malformed."""

    line: int
    kind: str
    message: str


@dataclass(slots=True)
class VerifyResult:
    """The outcome of verifying one file (or several, in order)."""

    records: int = 0
    head: str = ""
    seq: int = -1
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


def _parse(raw: bytes) -> JSONDict | None:
    start = raw.find(b"{")
    if start < 0:
        return None
    try:
        record = json.loads(raw[start:])
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


class _Verifier:
    def __init__(self, key: bytes, lines: Sequence[bytes], result: VerifyResult) -> None:
        self.key = key
        self.lines = lines
        self.result = result
        self.records = [_parse(raw) for raw in lines]
        self.values: dict[str, int] = {}
        for number, record in enumerate(self.records, 1):
            value = record.get(chain.CHAIN_FIELD) if record else None
            if isinstance(value, str):
                self.values[value] = number

    def add(self, line: int, kind: str, message: str) -> None:
        if len(self.result.findings) < _MAX_FINDINGS:
            self.result.findings.append(Finding(line, kind, message))

    def run(self, torn_tail: bool) -> None:
        res = self.result
        for number, record in enumerate(self.records, 1):
            if record is None or not isinstance(record.get(chain.SEQ_FIELD), int):
                last = number == len(self.records)
                kind = "truncated" if last and torn_tail else "malformed"
                self.add(number, kind, "not a complete chained audit record")
                continue
            seq: int = record[chain.SEQ_FIELD]
            stated = record.get(chain.PREV_FIELD)
            if (
                isinstance(stated, str)
                and stated != res.head
                and chain.check(self.key, stated, record)
            ):
                if res.records == 0 and res.seq < 0:
                    res.notes.append(f"line {number}: chain continues from {stated} (seq {seq})")
                else:
                    self.add(number, "deleted", "chain break: records before this were removed")
            elif not chain.check(self.key, res.head, record):
                self.classify(number, record, seq)
            res.records += 1
            res.head, res.seq = record.get(chain.CHAIN_FIELD, ""), seq

    def classify(self, number: int, record: JSONDict, seq: int) -> None:
        for value, other in self.values.items():
            if other not in (number, number - 1) and chain.check(self.key, value, record):
                self.add(number, "reordered", f"this record belongs right after line {other}")
                return
        expected = self.result.seq + 1
        if seq > expected:
            self.add(number, "deleted", f"{seq - expected} record(s) missing before this line")
        elif seq < expected:
            self.add(number, "reordered", f"sequence {seq} appears after {expected - 1}")
        else:
            self.add(number, "altered", "record content does not match its chain value")


def verify_lines(
    key: bytes,
    lines: Iterable[bytes],
    *,
    torn_tail: bool = False,
    result: VerifyResult | None = None,
) -> VerifyResult:
    """Verify records (one per element, without newlines). Pass `result` to continue a chain
    across files (e.g. a rotated file followed by the current one)."""
    if result is None:
        result = VerifyResult(head=chain.genesis(key))
    _Verifier(key, list(lines), result).run(torn_tail)
    return result


def read_lines(path: str) -> tuple[list[bytes], bool]:
    """(the lines of `path`, whether its last line lacks a newline, i.e. was torn)."""
    with open(path, "rb") as f:
        data = f.read()
    torn = bool(data) and not data.endswith(b"\n")
    lines = data.split(b"\n")
    if not torn:
        lines = lines[:-1]
    return lines, torn


def verify_files(
    key: bytes, paths: Sequence[str], *, expected_head: str | None = None
) -> list[tuple[str, VerifyResult]]:
    """Verify `paths` in order as one chain; findings are per file, lines 1-based."""
    out: list[tuple[str, VerifyResult]] = []
    carry: VerifyResult | None = None
    for path in paths:
        lines, torn = read_lines(path)
        result = VerifyResult(
            head=carry.head if carry else chain.genesis(key), seq=carry.seq if carry else -1
        )
        verify_lines(key, lines, torn_tail=torn, result=result)
        out.append((path, result))
        carry = result
    if expected_head is not None and carry is not None and carry.head != expected_head:
        path, last = out[-1]
        last.findings.append(
            Finding(
                len(read_lines(path)[0]) + 1,
                "truncated",
                "the file ends before the expected last record (records removed from the end)",
            )
        )
    return out


__all__ = ["Finding", "VerifyResult", "read_lines", "verify_files", "verify_lines"]
