"""The central server's database: PostgreSQL in production (psycopg 3), SQLite for trials.

The schema is brought to the newest Alembic revision when the server or a `cac central`
command opens it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

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


@contextlib.contextmanager
def one_statement(engine: Engine) -> Iterator[Connection]:
    """A connection for a statement atomic alone (a lookup, one upsert): on PostgreSQL
    outside any transaction, with no BEGIN and COMMIT round trips (the public page's two
    statements, 200 lookups a second); elsewhere in a transaction of its own, committed."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            yield connection
    else:  # SQLite: central's engine begins its transactions itself (sqlite_engine)
        with engine.begin() as connection:
            yield connection


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
