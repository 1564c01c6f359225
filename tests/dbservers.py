"""Throw-away PostgreSQL and MariaDB servers on loopback, for the database secrets engine tests.

`start_postgres()` and `start_mariadb()` make a fresh data directory under the system temp dir,
start the real server (Debian's PostgreSQL 15 / MariaDB packages) on a free 127.0.0.1 port with
its unix socket in that directory, create the superuser `strongroom_admin` with a random
password and the database `strongroom`, and wait until the admin can log in over TCP.
`stop()` (or leaving the `with` block) signals only the server process started here, by PID, and
removes the directory.

As root, PostgreSQL runs as the `postgres` system user (it refuses to run as root) and MariaDB
with `--user=root`; otherwise both run as the current user. The servers are started through
`setpriv --pdeathsig`, so they die with the test process even when it is killed outright.
"""

from __future__ import annotations

import contextlib
import datetime
import glob
import os
import pwd
import re
import secrets
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import psycopg
import pymysql
import pymysql.err
from psycopg import sql

from strongroom.testing.process import free_port

ADMIN_USER = "strongroom_admin"
DATABASE = "strongroom"
LOOPBACK = "127.0.0.1"

# MariaDB errors meaning "this account cannot log in": access denied (1045; 1698 for an unknown
# user), password expired (1862), account locked (4151). Anything else (server gone, too many
# connections) is raised.
_MARIADB_LOGIN_REFUSED = frozenset({1045, 1698, 1862, 4151})

_PORT_IN_USE = re.compile(r"address already in use|could not bind|bind on tcp/ip port", re.I)


class DatabaseServerError(RuntimeError):
    """A test database server could not be set up or did not come up."""


def _child_env() -> dict[str, str]:
    """The environment for server processes: no PG*/MYSQL* settings leaking in, C locale."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "MYSQL", "MARIADB"))}
    env["LC_ALL"] = "C"
    return env


def _launcher(user: pwd.struct_passwd | None) -> list[str]:
    """`setpriv` to die with this process and, if given, switch to `user` (from root)."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise DatabaseServerError("setpriv (util-linux) is needed to start test database servers")
    args = [setpriv, "--pdeathsig", "TERM"]
    if user is not None:
        args += [f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]
    return [*args, "--"]


def _reachable_by(path: Path, user: pwd.struct_passwd) -> bool:
    """Whether `user` may traverse every directory above `path` (judged by mode bits)."""
    for parent in path.resolve().parents:
        info = parent.stat()
        if info.st_uid == user.pw_uid:
            bit = stat.S_IXUSR
        elif info.st_gid == user.pw_gid:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not info.st_mode & bit:
            return False
    return True


def _run(args: list[str], *, log_path: Path, cwd: Path, what: str) -> None:
    """Run a set-up command, its output appended to the log; raise with the log on failure."""
    with open(log_path, "ab") as log:
        log.write(f"$ {' '.join(args)}\n".encode())
        log.flush()
        code = subprocess.run(
            args, stdout=log, stderr=subprocess.STDOUT, cwd=cwd, env=_child_env(), check=False
        ).returncode
    if code != 0:
        raise DatabaseServerError(f"{what} failed (exit {code}):\n{log_path.read_text()}")


class DatabaseServer:
    """One running server: where it listens, its admin account, and its process and files."""

    kind = "database"
    stop_signal = signal.SIGTERM

    host: str
    port: int
    admin_user: str
    admin_password: str
    database: str
    directory: Path
    log_path: Path
    startup_seconds: float

    def __init__(self, directory: Path) -> None:
        self.host = LOOPBACK
        self.port = 0
        self.admin_user = ADMIN_USER
        self.admin_password = secrets.token_urlsafe(24)
        self.database = DATABASE
        self.directory = directory
        self.log_path = directory / f"{self.kind}.log"
        self.startup_seconds = 0.0
        self.process: subprocess.Popen[bytes] | None = None

    # -- what a subclass provides ---------------------------------------------------------

    def _prepare(self) -> None:
        """Create the data directory (run once, before the first start)."""
        raise NotImplementedError

    def _command(self) -> list[str]:
        """The server command line for `self.port`."""
        raise NotImplementedError

    def _admin_ready(self) -> bool:
        """One admin TCP login attempt: True once it works, False while it cannot yet."""
        raise NotImplementedError

    def _after_start(self) -> None:
        """Anything to do as admin once the server is up."""

    def can_login(self, user: str, password: str) -> bool:
        """A real TCP login as `user`: False when the server refuses the credentials."""
        raise NotImplementedError

    def user_exists(self, name: str) -> bool:
        raise NotImplementedError

    def users_like(self, pattern: str) -> list[str]:
        """Names of the users matching the SQL LIKE `pattern`, sorted (each name once)."""
        raise NotImplementedError

    def execute(self, query: str, params: Any = None) -> list[tuple[Any, ...]]:
        """Run one statement as the admin (autocommit); the rows it returns, if any."""
        raise NotImplementedError

    def url(self, user: str | None = None, password: str | None = None) -> str:
        """A connection URL (admin's credentials by default)."""
        raise NotImplementedError

    def template_url(self) -> str:
        """The engine's `connection_url`, with `{{username}}`/`{{password}}` placeholders."""
        raise NotImplementedError

    # -- process handling -----------------------------------------------------------------

    @property
    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def start(self, timeout: float = 30.0) -> Self:
        """Prepare the data directory, start the server, wait for admin logins over TCP.

        A port taken between choosing and binding it is retried with another port. On any
        failure the process is stopped and the directory removed before the error propagates.
        """
        began = time.monotonic()
        try:
            self._prepare()
            for attempt in range(3):
                self.port = free_port()
                if self._launch(began + timeout, last_try=attempt == 2):
                    break
            self._after_start()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def _launch(self, deadline: float, *, last_try: bool) -> bool:
        """Start on `self.port`; True when ready, False when the port was taken (retry)."""
        with open(self.log_path, "ab") as log:
            offset = log.tell()  # this attempt's part of the log starts here
            command = self._command()
            log.write(f"$ {' '.join(command)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.directory,
                env=_child_env(),
                start_new_session=True,  # a Ctrl-C at the terminal is for pytest, not for it
            )
        while True:
            code = self.process.poll()
            if code is not None:
                self.process = None
                if _PORT_IN_USE.search(self.log[offset:]) and not last_try:
                    return False
                raise DatabaseServerError(
                    f"{self.kind} exited early (code {code}); server log:\n{self.log}"
                )
            if self._admin_ready():
                return True
            if time.monotonic() > deadline:
                raise DatabaseServerError(
                    f"{self.kind} did not accept admin logins on {self.host}:{self.port} "
                    f"in time; server log:\n{self.log}"
                )
            time.sleep(0.1)

    def stop(self, timeout: float = 20.0) -> None:
        """Signal the server (only the process started here), wait, SIGKILL if it lingers,
        then remove the temp directory. Safe to call twice."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.send_signal(self.stop_signal)
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.host}:{self.port} pid={self.pid}>"


# -- PostgreSQL --------------------------------------------------------------------------------


def postgres_bindir() -> Path:
    """The directory holding `initdb` and `postgres`: `pg_config --bindir` when that has them,
    else the newest /usr/lib/postgresql/*/bin, else whatever PATH finds."""

    def has_server(directory: Path) -> bool:
        return (directory / "initdb").is_file() and (directory / "postgres").is_file()

    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            ).stdout
            candidates.append(Path(out.strip()))

    def version(path: str) -> tuple[int, ...]:
        number = Path(path).parent.name
        return tuple(int(part) for part in number.split(".") if part.isdigit())

    installed = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    candidates += [Path(p) for p in installed]
    initdb = shutil.which("initdb")
    if initdb is not None:
        candidates.append(Path(initdb).parent)
    for directory in candidates:
        if has_server(directory):
            return directory
    raise DatabaseServerError(
        "PostgreSQL server binaries (initdb, postgres) not found; install the Debian "
        "`postgresql` package (.ci/run does)"
    )


class PostgresServer(DatabaseServer):
    """A PostgreSQL cluster: scram-sha-256 over TCP on 127.0.0.1, socket in `directory`."""

    kind = "postgres"
    stop_signal = signal.SIGINT  # "fast" shutdown: disconnect clients, checkpoint, exit

    def __init__(self, directory: Path, bindir: Path, run_as: pwd.struct_passwd | None) -> None:
        super().__init__(directory)
        self.bindir = bindir
        self.run_as = run_as
        self.data_dir = directory / "data"

    def _prepare(self) -> None:
        pwfile = self.directory / "pwfile"
        pwfile.write_text(self.admin_password + "\n")
        pwfile.chmod(0o600)
        if self.run_as is not None:
            os.chown(pwfile, self.run_as.pw_uid, self.run_as.pw_gid)
        _run(
            [
                *_launcher(self.run_as),
                str(self.bindir / "initdb"),
                f"--pgdata={self.data_dir}",
                f"--username={self.admin_user}",
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ],
            log_path=self.log_path,
            cwd=self.directory,
            what="initdb",
        )
        pwfile.unlink()

    def _command(self) -> list[str]:
        settings = {
            "listen_addresses": LOOPBACK,
            "port": str(self.port),
            "unix_socket_directories": str(self.directory),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "shared_buffers": "32MB",
            "max_connections": "100",
            "logging_collector": "off",
            "log_min_messages": "warning",
        }
        args = [arg for name, value in settings.items() for arg in ("-c", f"{name}={value}")]
        postgres = str(self.bindir / "postgres")
        return [*_launcher(self.run_as), postgres, "-D", str(self.data_dir), *args]

    def _connect(
        self, user: str, password: str, dbname: str, timeout: int = 5
    ) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=user,
            password=password,
            dbname=dbname,
            connect_timeout=timeout,
            sslmode="disable",
            autocommit=True,
        )

    def _admin_ready(self) -> bool:
        try:
            self._connect(self.admin_user, self.admin_password, "postgres", timeout=2).close()
        except psycopg.OperationalError:
            return False  # refused, or "the database system is starting up"
        return True

    def _after_start(self) -> None:
        with self._connect(self.admin_user, self.admin_password, "postgres") as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))

    def can_login(self, user: str, password: str) -> bool:
        try:
            self._connect(user, password, self.database).close()
        except psycopg.OperationalError as exc:
            # A connection failure carries no SQLSTATE in psycopg, only the server's FATAL
            # text (in English: the server runs with LC_ALL=C).
            message = str(exc)
            if (
                "password authentication failed" in message
                or "is not permitted to log in" in message
                or ("role" in message and "does not exist" in message)
            ):
                return False
            raise
        return True

    def user_exists(self, name: str) -> bool:
        return bool(self.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)))

    def users_like(self, pattern: str) -> list[str]:
        query = "SELECT rolname FROM pg_roles WHERE rolname LIKE %s ORDER BY rolname"
        return [row[0] for row in self.execute(query, (pattern,))]

    def valid_until(self, name: str) -> datetime.datetime | None:
        """The role's `VALID UNTIL` (aware datetime; None when unset). KeyError: no such role."""
        rows = self.execute("SELECT rolvaliduntil FROM pg_roles WHERE rolname = %s", (name,))
        if not rows:
            raise KeyError(name)
        value: datetime.datetime | None = rows[0][0]
        return value

    def execute(self, query: str, params: Any = None) -> list[tuple[Any, ...]]:
        with self._connect(self.admin_user, self.admin_password, self.database) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description is not None else []

    def url(self, user: str | None = None, password: str | None = None) -> str:
        user = self.admin_user if user is None else user
        password = self.admin_password if password is None else password
        return (
            f"postgresql://{quote(user, safe='')}:{quote(password, safe='')}"
            f"@{self.host}:{self.port}/{self.database}?sslmode=disable"
        )

    def template_url(self) -> str:
        return (
            f"postgresql://{{{{username}}}}:{{{{password}}}}"
            f"@{self.host}:{self.port}/{self.database}?sslmode=disable"
        )


def start_postgres(timeout: float = 30.0) -> PostgresServer:
    """Start a throw-away PostgreSQL server; the caller must `stop()` it (or use `with`)."""
    bindir = postgres_bindir()
    run_as = None
    if os.geteuid() == 0:
        try:
            run_as = pwd.getpwnam("postgres")
        except KeyError:
            raise DatabaseServerError(
                "running as root, PostgreSQL needs the `postgres` system user (the Debian "
                "`postgresql` package creates it)"
            ) from None
    directory = Path(tempfile.mkdtemp(prefix="strongroom-pg-"))
    if run_as is not None:
        if not _reachable_by(directory, run_as):
            shutil.rmtree(directory)
            raise DatabaseServerError(
                f"the postgres user cannot reach {directory}: point TMPDIR at a directory "
                "every user may traverse"
            )
        os.chown(directory, run_as.pw_uid, run_as.pw_gid)
    return PostgresServer(directory, bindir, run_as).start(timeout)


# -- MariaDB -----------------------------------------------------------------------------------


def _find_program(names: tuple[str, ...], what: str) -> str:
    for name in names:
        found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
        if found is not None:
            return found
    raise DatabaseServerError(
        f"{what} not found (tried {', '.join(names)}); install the Debian `mariadb-server` "
        "package (.ci/run does)"
    )


def _sql_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


class MariaDBServer(DatabaseServer):
    """A MariaDB server on 127.0.0.1 with `--skip-name-resolve`: accounts are matched by IP,
    so users the tests create should be `'name'@'%'` (as Vault's default statements do)."""

    kind = "mariadb"
    stop_signal = signal.SIGTERM  # clean shutdown

    def __init__(self, directory: Path, server: str, install_db: str, as_root: bool) -> None:
        super().__init__(directory)
        self.server = server
        self.install_db = install_db
        self.as_root = as_root
        self.data_dir = directory / "data"
        self.socket = directory / "mysqld.sock"
        self.init_file = directory / "init.sql"

    def _user_option(self) -> list[str]:
        return ["--user=root"] if self.as_root else []

    def _prepare(self) -> None:
        _run(
            [
                self.install_db,
                "--no-defaults",  # must come first: ignore /etc/mysql
                f"--datadir={self.data_dir}",
                *self._user_option(),
                "--skip-test-db",
                "--skip-name-resolve",
                "--auth-root-authentication-method=socket",
            ],
            log_path=self.log_path,
            cwd=self.directory,
            what="mariadb-install-db",
        )
        password = _sql_string(self.admin_password)
        statements = [
            # anonymous accounts would shadow 'user'@'%' (older install scripts made them)
            "DROP USER IF EXISTS ''@'localhost';",
            "DROP USER IF EXISTS ''@'%';",
            f"CREATE DATABASE IF NOT EXISTS `{self.database}`;",
        ]
        for host in ("%", "localhost"):
            account = f"'{self.admin_user}'@'{host}'"
            statements += [
                f"CREATE OR REPLACE USER {account} IDENTIFIED BY {password};",
                f"GRANT ALL PRIVILEGES ON *.* TO {account} WITH GRANT OPTION;",
            ]
        self.init_file.write_text("\n".join(statements) + "\n")  # one statement per line
        self.init_file.chmod(0o600)

    def _command(self) -> list[str]:
        return [
            *_launcher(None),
            self.server,
            "--no-defaults",
            f"--datadir={self.data_dir}",
            *self._user_option(),
            f"--port={self.port}",
            f"--bind-address={LOOPBACK}",
            f"--socket={self.socket}",
            f"--pid-file={self.directory / 'mariadbd.pid'}",
            f"--tmpdir={self.directory}",
            f"--init-file={self.init_file}",
            "--skip-name-resolve",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=16M",
            "--innodb-flush-log-at-trx-commit=0",
            "--innodb-doublewrite=0",
            "--innodb-use-native-aio=0",  # no io_uring/libaio limits to trip over in containers
            "--character-set-server=utf8mb4",
        ]

    def _connect(
        self, user: str, password: str, timeout: int = 5, read_timeout: float = 60.0
    ) -> pymysql.Connection[Any]:
        # read_timeout bounds the wait for the server's greeting too: without it, a port held
        # by something that accepts but never speaks would hang the login forever
        return pymysql.connect(
            host=self.host,
            port=self.port,
            user=user,
            password=password,
            connect_timeout=timeout,
            read_timeout=read_timeout,
            write_timeout=read_timeout,
            autocommit=True,
        )

    def _admin_ready(self) -> bool:
        try:
            self._connect(self.admin_user, self.admin_password, 2, read_timeout=2).close()
        except pymysql.err.OperationalError:
            return False  # not listening yet, or the init file has not run yet
        return True

    def can_login(self, user: str, password: str) -> bool:
        try:
            self._connect(user, password, read_timeout=10).close()
        except pymysql.err.OperationalError as exc:
            if exc.args and exc.args[0] in _MARIADB_LOGIN_REFUSED:
                return False
            raise
        return True

    def user_exists(self, name: str, host: str | None = None) -> bool:
        """Whether `name` exists (at `host`, or at any host when None)."""
        if host is None:
            return bool(self.execute("SELECT 1 FROM mysql.user WHERE User = %s", (name,)))
        query = "SELECT 1 FROM mysql.user WHERE User = %s AND Host = %s"
        return bool(self.execute(query, (name, host)))

    def users_like(self, pattern: str) -> list[str]:
        query = "SELECT DISTINCT User FROM mysql.user WHERE User LIKE %s ORDER BY User"
        return [row[0] for row in self.execute(query, (pattern,))]

    def execute(self, query: str, params: Any = None) -> list[tuple[Any, ...]]:
        with self._connect(self.admin_user, self.admin_password) as conn, conn.cursor() as cursor:
            cursor.execute(query, params)
            return list(cursor.fetchall()) if cursor.description is not None else []

    def url(self, user: str | None = None, password: str | None = None) -> str:
        """The Go MySQL DSN the engine's mysql plugin takes: `user:pw@tcp(host:port)/db`."""
        user = self.admin_user if user is None else user
        password = self.admin_password if password is None else password
        return f"{user}:{password}@tcp({self.host}:{self.port})/{self.database}"

    def template_url(self) -> str:
        return f"{{{{username}}}}:{{{{password}}}}@tcp({self.host}:{self.port})/{self.database}"


def start_mariadb(timeout: float = 30.0) -> MariaDBServer:
    """Start a throw-away MariaDB server; the caller must `stop()` it (or use `with`)."""
    server = _find_program(("mariadbd", "mysqld"), "the MariaDB server (mariadbd)")
    install_db = _find_program(("mariadb-install-db", "mysql_install_db"), "mariadb-install-db")
    directory = Path(tempfile.mkdtemp(prefix="strongroom-mariadb-"))
    return MariaDBServer(directory, server, install_db, os.geteuid() == 0).start(timeout)


__all__ = [
    "ADMIN_USER",
    "DATABASE",
    "DatabaseServer",
    "DatabaseServerError",
    "MariaDBServer",
    "PostgresServer",
    "postgres_bindir",
    "start_mariadb",
    "start_postgres",
]
