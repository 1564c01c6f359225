"""`mysql-database-plugin` (MySQL and MariaDB) through PyMySQL, run in worker threads.

The connection URL is the Go driver's DSN that OpenBao takes:
`user:password@tcp(host:port)/dbname?tls=true`. MySQL commits DDL as it goes, so a failed
creation is undone by the role's rollback statements or, when it has none, by dropping the
new user at every host it was created for: no half-made user is left behind.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl

import pymysql
import pymysql.connections
import pymysql.cursors

from strongroom.engines.database._pool import Pool
from strongroom.engines.database.plugins._base import (
    ConnectionFailed,
    ConnectionSettings,
    DatabaseError,
    DatabasePlugin,
    PluginConfigError,
)
from strongroom.framework.template import MYSQL_DEFAULT_USERNAME_TEMPLATE

Connection = pymysql.connections.Connection
Cursor = pymysql.cursors.Cursor

# client-side "cannot reach the server" and "access denied": no connection was made
_CONNECTION_ERRORS = (1045, 2003, 2005, 2006, 2013)

_HOSTS = "SELECT Host FROM mysql.user WHERE User = %s"


@dataclass(frozen=True, slots=True)
class DSN:
    """A parsed Go MySQL DSN."""

    user: str
    password: str
    host: str = "127.0.0.1"
    port: int = 3306
    unix_socket: str = ""
    database: str = ""
    tls: str = "false"


def parse_dsn(text: str) -> DSN:
    """`[user[:password]@][net[(addr)]]/dbname[?params]` as the Go driver reads it."""
    slash = text.rfind("/")
    if slash < 0:
        raise PluginConfigError("unable to parse connectionURL: invalid DSN: missing the slash")
    head, tail = text[:slash], text[slash + 1 :]
    database, _, query = tail.partition("?")
    at = head.rfind("@")
    credentials, address = (head[:at], head[at + 1 :]) if at >= 0 else ("", head)
    user, _, password = credentials.partition(":")
    params = dict(parse_qsl(query, keep_blank_values=True))
    tls = params.get("tls", "false")
    if tls not in ("true", "false", "skip-verify", "preferred"):
        raise PluginConfigError(f"unable to parse connectionURL: invalid value for tls: {tls}")
    net, _, rest = address.partition("(")
    addr = rest.removesuffix(")") if rest else ""
    if net in ("", "tcp"):
        host, _, port = (addr or "127.0.0.1:3306").rpartition(":")
        if not host:
            host, port = addr, "3306"
        try:
            number = int(port)
        except ValueError:
            raise PluginConfigError(
                f"unable to parse connectionURL: invalid port {port!r}"
            ) from None
        return DSN(user, password, host.strip("[]"), number, "", database, tls)
    if net == "unix":
        return DSN(user, password, unix_socket=addr, database=database, tls=tls)
    raise PluginConfigError(
        f"unable to parse connectionURL: default addr for network '{address}' unknown"
    )


def _tls_context(mode: str) -> ssl.SSLContext | None:
    if mode in ("false", ""):
        return None
    context = ssl.create_default_context()
    if mode in ("skip-verify", "preferred"):
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class MySQLPlugin(DatabasePlugin):
    name = "mysql-database-plugin"
    default_username_template = MYSQL_DEFAULT_USERNAME_TEMPLATE

    def __init__(self, settings: ConnectionSettings) -> None:
        super().__init__(settings)
        self._dsn = parse_dsn(settings.url(escape=False))
        self._pool: Pool[Connection] = Pool(self._connect, _close, settings.limits)

    def _scrub(self, text: str) -> str:
        password = self.settings.password
        return text.replace(password, "xxxxx") if password else text

    def _error(self, exc: pymysql.MySQLError) -> str:
        code, message = (*exc.args, "", "")[:2] if exc.args else ("", str(exc))
        return self._scrub(f"Error {code}: {message}" if code else str(message))

    async def _connect(self) -> Connection:
        dsn = self._dsn

        def connect() -> Connection:
            return pymysql.connect(
                host=dsn.host,
                port=dsn.port,
                unix_socket=dsn.unix_socket or None,
                user=dsn.user,
                password=dsn.password,
                database=dsn.database or None,
                ssl=_tls_context(dsn.tls),
                connect_timeout=max(1, int(self.settings.connect_timeout)),
                read_timeout=60,
                write_timeout=60,
                autocommit=False,
                charset="utf8mb4",
            )

        try:
            return await asyncio.to_thread(connect)
        except pymysql.MySQLError as exc:
            raise ConnectionFailed(self._error(exc)) from None

    async def _run(self, queries: Sequence[str]) -> None:
        """Run the queries (no parameters) in one transaction."""

        def work(cursor: Cursor) -> None:
            for query in queries:
                cursor.execute(query)

        await self._with_cursor(work)

    async def _for_each_host(self, query: str, username: str, *extra: str) -> int:
        """Run `query` with (username, host, *extra) for each host the user exists at;
        returns how many hosts there were."""
        hosts: list[str] = []

        def work(cursor: Cursor) -> None:
            cursor.execute(_HOSTS, (username,))
            hosts.extend(str(row[0]) for row in cursor.fetchall())
            for host in hosts:
                cursor.execute(query, (username, host, *extra))

        await self._with_cursor(work)
        return len(hosts)

    async def _with_cursor(self, work: Callable[[Cursor], None]) -> None:
        try:
            await self._with_cursor_once(work)
        except ConnectionFailed:
            # A pooled connection may have died since its last use; one fresh attempt.
            await self._with_cursor_once(work)

    async def _with_cursor_once(self, work: Callable[[Cursor], None]) -> None:
        def run(conn: Connection) -> None:
            with conn.cursor() as cursor:
                work(cursor)
            conn.commit()

        async with self._pool.connection() as conn:
            try:
                await asyncio.to_thread(run, conn)
            except pymysql.OperationalError as exc:
                if exc.args and exc.args[0] in _CONNECTION_ERRORS:
                    raise ConnectionFailed(self._error(exc)) from None
                raise DatabaseError(self._error(exc)) from None
            except pymysql.MySQLError as exc:
                raise DatabaseError(self._error(exc)) from None

    async def _execute(self, queries: Sequence[str]) -> None:
        await self._run(queries)

    async def _undo_default(self, username: str) -> None:
        await self._delete_default(username)

    async def _renew_default(self, username: str, expiration: datetime) -> None:
        """vault-compat: MySQL users carry no expiry; renewal runs only explicit statements."""

    async def _delete_default(self, username: str) -> None:
        await self._for_each_host("DROP USER IF EXISTS %s@%s", username)

    async def _set_password_default(self, username: str, password: str) -> None:
        if not await self._for_each_host("ALTER USER %s@%s IDENTIFIED BY %s", username, password):
            raise DatabaseError(f"user {username!r} does not exist")

    async def close(self) -> None:
        await self._pool.close()


async def _close(conn: Connection) -> None:
    await asyncio.to_thread(conn.close)


__all__ = ["DSN", "MySQLPlugin", "parse_dsn"]
