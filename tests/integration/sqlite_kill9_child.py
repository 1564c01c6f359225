"""Child process for test_sqlite_kill9: hammers SQLiteStorage with concurrent writers and
reports each write on stdout only AFTER its call returned (was acknowledged).

Usage: python sqlite_kill9_child.py DB_PATH WRITERS

Lines: `put <key> <hex value>` after a put; `txn <key> <hex value> <key> <hex value>` after a
two-key transaction; `deleting <key>` before and `del <key>` after a delete of an earlier key.
The parent SIGKILLs this process mid-stream and checks every reported write in the database.
"""

from __future__ import annotations

import asyncio
import hashlib
import sys

from strongroom.storage import Entry, SQLiteStorage, TxnOp


def value_for(key: str) -> bytes:
    """Deterministic, varied-length bytes (32 to 128), so no two keys share a value."""
    digest = hashlib.sha256(key.encode()).digest()
    return digest * (1 + len(key) % 4)


def report(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def writer(storage: SQLiteStorage, worker: int) -> None:
    written: list[str] = []
    n = 0
    while True:
        key = f"w{worker:02d}/k{n:07d}"
        if n % 7 == 3:
            a, b = f"{key}/a", f"{key}/b"
            await storage.transaction([TxnOp("put", k, value_for(k)) for k in (a, b)])
            report(f"txn {a} {value_for(a).hex()} {b} {value_for(b).hex()}")
            written += [a, b]
        else:
            await storage.put(Entry(key, value_for(key)))
            report(f"put {key} {value_for(key).hex()}")
            written.append(key)
        if n % 10 == 9:
            victim = written[-5]
            report(f"deleting {victim}")  # intent: the delete may commit unreported
            await storage.delete(victim)
            report(f"del {victim}")
        n += 1


async def main(path: str, writers: int) -> None:
    storage = SQLiteStorage(path)
    try:
        await asyncio.gather(*(writer(storage, i) for i in range(writers)))
    finally:
        await storage.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
