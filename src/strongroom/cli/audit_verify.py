"""`strongroom audit verify -key-file=PATH [-expect-head=HEX] FILE [FILE...]`.

Checks the tamper-evidence chain of file audit logs. Give rotated files oldest first, then
the current one: they are verified as one chain. The key is the device's chain key as hex,
read from a file (or `-` for stdin) and never from the command line, where other users could
see it in the process list. The chain key is derived one-way from the device's HMAC salt:
holding it lets an auditor verify (and, in principle, forge) the chain, but not brute-force
the HMACed values in the log. Exit status: 0 intact, 1 usage or I/O error, 2 tampering.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from strongroom.audit.verify import verify_files

_USAGE = "strongroom audit verify -key-file=PATH [-expect-head=HEX] FILE [FILE...]"


def _read_key(path: str) -> bytes:
    if path == "-":
        text = sys.stdin.read()
    else:
        with open(path, encoding="ascii") as f:
            text = f.read()
    key = bytes.fromhex(text.strip())
    if len(key) != 32:
        raise ValueError("the chain key must be 32 bytes (64 hex digits)")
    return key


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="strongroom audit verify", usage=_USAGE)
    parser.add_argument("-key-file", "--key-file", dest="key_file", required=True)
    parser.add_argument("-expect-head", "--expect-head", dest="expect_head", default=None)
    parser.add_argument("files", nargs="+")
    return parser


def verify_command(argv: Sequence[str]) -> int:
    """Run the command; returns the exit status."""
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exc:
        return 0 if exc.code == 0 else 1
    try:
        key = _read_key(args.key_file)
        results = verify_files(key, args.files, expected_head=args.expect_head)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    tampered = False
    for path, result in results:
        for note in result.notes:
            print(f"{path}: note: {note}")
        for finding in result.findings:
            tampered = True
            print(f"{path}:{finding.line}: {finding.kind}: {finding.message}")
        if result.intact:
            print(f"{path}: intact ({result.records} records)")
    return 2 if tampered else 0


__all__ = ["verify_command"]
