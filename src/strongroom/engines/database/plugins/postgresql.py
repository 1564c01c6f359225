"""`postgresql-database-plugin` through psycopg 3 (asyncio).

Every operation runs in one transaction, so a failing creation statement leaves no half-made
role behind; the role's rollback statements then run too, for anything outside it. The default
revocation revokes every privilege the catalogs show for the role, then drops it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, LiteralString, cast

import psycopg
from psycopg import sql

from strongroom.engines.database._pool import Pool
from strongroom.engines.database._statements import rendered_queries, user_values
from strongroom.engines.database.plugins._base import (
    ConnectionFailed,
    ConnectionSettings,
    DatabaseError,
    DatabasePlugin,
)
from strongroom.framework.template import POSTGRESQL_DEFAULT_USERNAME_TEMPLATE

Connection = psycopg.AsyncConnection[Any]

# vault-compat: the plugin's default renewal
_DEFAULT_RENEW = ("ALTER ROLE \"{{name}}\" VALID UNTIL '{{expiration}}';",)

# Relations and functions on which the role holds a privilege, with the REVOKE each needs.
_RELATION_GRANTS = """
SELECT n.nspname, c.relname, c.relkind = 'S'
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(c.relacl) a
JOIN pg_roles r ON r.oid = a.grantee
WHERE r.rolname = %s
GROUP BY 1, 2, 3
"""
_SCHEMA_GRANTS = """
SELECT DISTINCT n.nspname
FROM pg_namespace n
CROSS JOIN LATERAL aclexplode(n.nspacl) a
JOIN pg_roles r ON r.oid = a.grantee
WHERE r.rolname = %s
"""
_FUNCTION_GRANTS = """
SELECT DISTINCT p.oid::regprocedure::text
FROM pg_proc p
CROSS JOIN LATERAL aclexplode(p.proacl) a
JOIN pg_roles r ON r.oid = a.grantee
WHERE r.rolname = %s
"""


class PostgreSQLPlugin(DatabasePlugin):
    name = "postgresql-database-plugin"
    default_username_template = POSTGRESQL_DEFAULT_USERNAME_TEMPLATE

    def __init__(self, settings: ConnectionSettings) -> None:
        super().__init__(settings)
        self._pool: Pool[Connection] = Pool(self._connect, _close, settings.limits)

    def _scrub(self, text: str) -> str:
        password = self.settings.password
        return text.replace(password, "xxxxx") if password else text

    async def _connect(self) -> Connection:
        timeout = self.settings.connect_timeout
        try:
            async with asyncio.timeout(timeout + 1):
                return await psycopg.AsyncConnection.connect(
                    self.settings.url(), connect_timeout=max(1, int(timeout))
                )
        except (psycopg.Error, TimeoutError, OSError) as exc:
            raise ConnectionFailed(self._scrub(_message(exc) or "connection timed out")) from None

    async def _transaction(self, queries: Sequence[str | sql.Composed]) -> None:
        async def work(conn: Connection) -> None:
            for query in queries:
                await conn.execute(query)

        await self._in_transaction(work)

    async def _in_transaction(self, work: Callable[[Connection], Awaitable[None]]) -> None:
        try:
            await self._in_transaction_once(work)
        except ConnectionFailed:
            # A pooled connection may have died since its last use (server restart, idle
            # timeout): the transaction did not happen, so one fresh attempt is safe.
            await self._in_transaction_once(work)

    async def _in_transaction_once(self, work: Callable[[Connection], Awaitable[None]]) -> None:
        async with self._pool.connection() as conn:
            try:
                async with conn.transaction():
                    await work(conn)
            except psycopg.OperationalError as exc:
                raise ConnectionFailed(self._scrub(_message(exc))) from None
            except psycopg.Error as exc:
                raise DatabaseError(self._scrub(_message(exc))) from None

    async def _execute(self, queries: Sequence[str]) -> None:
        await self._transaction(queries)

    async def _undo_default(self, username: str) -> None:
        """Nothing: the failed creation's transaction was rolled back."""

    async def _renew_default(self, username: str, expiration: datetime) -> None:
        values = user_values(username, expiration=expiration)
        await self._transaction(rendered_queries(_DEFAULT_RENEW, values))

    async def _delete_default(self, username: str) -> None:
        async def work(conn: Connection) -> None:
            await _revoke_and_drop(conn, username)

        await self._in_transaction(work)

    async def _set_password_default(self, username: str, password: str) -> None:
        query = sql.SQL("ALTER ROLE {} WITH PASSWORD {}").format(
            sql.Identifier(username), sql.Literal(password)
        )
        await self._transaction([query])

    async def close(self) -> None:
        await self._pool.close()


async def _revoke_and_drop(conn: Connection, username: str) -> None:
    exists = await (
        await conn.execute(b"SELECT 1 FROM pg_roles WHERE rolname = %s", (username,))
    ).fetchone()
    if exists is None:
        return
    role = sql.Identifier(username)
    revokes: list[sql.Composed] = []
    for schema, relation, is_sequence in await (
        await conn.execute(_RELATION_GRANTS.encode(), (username,))
    ).fetchall():
        kind = sql.SQL("SEQUENCE" if is_sequence else "TABLE")
        revokes.append(
            sql.SQL("REVOKE ALL PRIVILEGES ON {} {}.{} FROM {}").format(
                kind, sql.Identifier(schema), sql.Identifier(relation), role
            )
        )
    for (signature,) in await (
        await conn.execute(_FUNCTION_GRANTS.encode(), (username,))
    ).fetchall():
        revokes.append(
            # regprocedure text is the catalog's own quoted signature
            sql.SQL("REVOKE ALL PRIVILEGES ON FUNCTION {} FROM {}").format(
                sql.SQL(cast(LiteralString, signature)), role
            )
        )
    for (schema,) in await (await conn.execute(_SCHEMA_GRANTS.encode(), (username,))).fetchall():
        revokes.append(
            sql.SQL("REVOKE ALL PRIVILEGES ON SCHEMA {} FROM {}").format(
                sql.Identifier(schema), role
            )
        )
    database = await (await conn.execute(b"SELECT current_database()")).fetchone()
    if database is not None:
        revokes.append(
            sql.SQL("REVOKE ALL PRIVILEGES ON DATABASE {} FROM {}").format(
                sql.Identifier(database[0]), role
            )
        )
    for revoke in revokes:
        await conn.execute(revoke)
    await conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))


async def _close(conn: Connection) -> None:
    await conn.close()


def _message(exc: BaseException) -> str:
    """One line; a server error as OpenBao's driver prints it: `ERROR: ... (SQLSTATE 42704)`."""
    text = " ".join(str(exc).split())
    if isinstance(exc, psycopg.Error) and exc.sqlstate and exc.diag.severity:
        return f"{exc.diag.severity}: {text} (SQLSTATE {exc.sqlstate})"
    return text


__all__ = ["PostgreSQLPlugin"]
