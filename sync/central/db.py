"""The central server's database: PostgreSQL in production (psycopg 3), SQLite for trials.

The schema is brought to the newest Alembic revision when the server or a `cac central`
command opens it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.sql.expression import Executable

from kiosk.errors import ConfigError
from kiosk.storage.store import sqlite_engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def normalise_url(url: str) -> str:
    """postgresql:// means psycopg 3 here (SQLAlchemy's default driver is psycopg2)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError("invalid_database_url",
                          f"La dirección de base de datos «{url}» no es válida "
                          "(use postgresql://usuario@host/base o sqlite:///archivo).") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("postgresql", "sqlite"):
        raise ConfigError("invalid_database_url",
                          "La central funciona sobre PostgreSQL o SQLite.")
    return parsed.render_as_string(hide_password=False)


def create_central_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return sqlite_engine(url)  # one writer at a time, no lock-upgrade deadlocks
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


class AloneStatements:
    """Statements each atomic alone (a lookup, one upsert: the public page's two, 200 lookups
    a second). On PostgreSQL they have a small pool of their own, in autocommit from the
    start: no BEGIN and COMMIT round trips, no mode switched at each checkout and back, and
    no ping before each use (half of each lookup's round trips and CPU). A connection the
    server dropped (PostgreSQL restarted) fails once instead: the pool throws it away with
    the others as old, and the statement runs again on a new one. On SQLite: in a transaction
    of its own on central's engine, committed."""

    def __init__(self, engine: Engine) -> None:
        self._own = engine.dialect.name == "postgresql"
        self.engine = (create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_size=5,
                                     max_overflow=10) if self._own else engine)

    def rows(self, statement: Executable, parameters: Mapping[str, Any]) -> list[Any]:
        # SQLite: a transaction of its own (central's engine begins it: sqlite_engine).
        connect = self.engine.connect if self._own else self.engine.begin
        for attempt in (1, 2):
            try:
                with connect() as connection:
                    return list(connection.execute(statement, parameters).all())
            except DBAPIError as exc:
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        if self._own:
            self.engine.dispose()


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


# pg_advisory_xact_lock key: one process at a time looks at the revision and upgrades.
_MIGRATION_LOCK = 7_470_002


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision. Several `cac central` processes starting
    together over one PostgreSQL take turns: the first upgrades (in one transaction, which
    PostgreSQL's DDL allows), the others wait for it and find nothing left to do."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": _MIGRATION_LOCK})
        if MigrationContext.configure(connection).get_current_revision() == head_revision():
            return
        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
