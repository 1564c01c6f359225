"""The `database` secrets engine: dynamic users for PostgreSQL and MySQL/MariaDB, static
account rotation and root credential rotation (OpenBao's database engine API)."""

from strongroom.engines.database.backend import database_backend

__all__ = ["database_backend"]
