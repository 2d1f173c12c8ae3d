"""The central server's database: PostgreSQL in production (psycopg 3), SQLite for trials.

The schema is brought to the newest Alembic revision when the server or a `cac central`
command opens it.
"""

from __future__ import annotations

import asyncio
import sys
from collections import namedtuple
from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from typing import Any, cast

import psycopg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.sql.expression import Executable, ReturnsRows
from starlette.concurrency import run_in_threadpool

from kiosk.errors import ConfigError, StorageError
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
    """Statements each atomic alone (a lookup, one upsert: every office request's credential,
    /health, the public page's two at 200 lookups a second). On PostgreSQL they have a small
    pool of their own, in autocommit from the start: no BEGIN and COMMIT round trips, no mode
    switched at each checkout and back, and no ping before each use (half of each lookup's
    round trips and CPU). A connection the server dropped (PostgreSQL restarted) fails once
    instead: the pool throws it away with the others as old, and the statement runs again on
    a new one. On SQLite: in a transaction of its own on central's engine, committed."""

    def __init__(self, engine: Engine) -> None:
        self._own = engine.dialect.name == "postgresql"
        self.engine = (create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_size=5,
                                     max_overflow=10) if self._own else engine)
        # psycopg cannot wait on Windows' ProactorEventLoop (uvicorn's loop there): threads.
        self._async = self._own and sys.platform != "win32"
        self._loops: dict[asyncio.AbstractEventLoop, _LoopConnections] = {}
        self._plans: dict[int, _Plan] = {}

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

    async def rows_async(self, statement: ReturnsRows, parameters: Mapping[str, Any]
                         ) -> list[Any]:
        """`rows` for a route of the event loop (a credential, a page's lookup). On
        PostgreSQL through psycopg's asynchronous connections: the loop waits for the answer
        itself, with no worker thread to hand the request to and back, and the statement
        goes to the driver as compiled once (no SQLAlchemy execution per call). On SQLite and
        on Windows: `rows` in a worker thread."""
        if not self._async:
            return await run_in_threadpool(self.rows, cast(Executable, statement), parameters)
        plan = self._plans.get(id(statement))
        if plan is None:
            plan = self._plans[id(statement)] = _Plan(statement, self.engine)
        loop = asyncio.get_running_loop()
        connections = self._loops.get(loop)
        if connections is None:
            for ended in [old for old in self._loops if old.is_closed()]:
                self._loops.pop(ended).close()  # a server restarted in this process
            connections = self._loops[loop] = _LoopConnections(self.engine)
        return await connections.run(plan, parameters)

    def dispose(self) -> None:
        if self._own:
            self.engine.dispose()
            for connections in list(self._loops.values()):
                connections.close(ended=True)
            self._loops.clear()


class _Plan:
    """A statement compiled once for psycopg: its SQL, how its values are bound, and how each
    column of its rows is read (SQLAlchemy's own result processing: UTCDateTime and the
    like), into rows with named fields."""

    def __init__(self, statement: ReturnsRows, engine: Engine) -> None:
        self.statement = statement  # kept: its id is the plan's key
        dialect = engine.dialect
        self.compiled = statement.compile(dialect=dialect)
        self.sql = self.compiled.string
        for bind in self.compiled.binds.values():
            # Values go to psycopg as given: no list expanded into the SQL, no type that
            # converts a value on its way in.
            if bind.expanding or bind.literal_execute or bind.type.bind_processor(dialect):
                raise ValueError(f"rows_async: el parámetro «{bind.key}» necesita SQLAlchemy")
        columns = list(statement.exported_columns)
        self.row = namedtuple("_Row", [c.key for c in columns])  # type: ignore[misc]
        self.readers: list[Callable[[Any], Any] | None] = [
            c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]

    def values(self, parameters: Mapping[str, Any]) -> MutableMapping[str, Any]:
        return self.compiled.construct_params(parameters)

    def rows(self, raw: list[tuple[Any, ...]]) -> list[Any]:
        readers = self.readers
        return [self.row(*(v if read is None or v is None else read(v)
                           for read, v in zip(readers, r, strict=True))) for r in raw]


class _LoopConnections:
    """The asynchronous connections of one event loop: a few kept open, at most AT_ONCE at
    once (a flood of lookups waits its turn instead of taking every connection PostgreSQL
    allows), each wait and each connection attempt bounded (a database out of reach answers
    503 in seconds, not after the system's TCP timeout). A connection the server dropped
    fails once: the others, as old, are closed with it, and the statement runs again on a
    new one."""

    KEPT, AT_ONCE, WAIT_S, CONNECT_S = 5, 15, 30.0, 5

    def __init__(self, engine: Engine) -> None:
        url = engine.url.set(drivername="postgresql")
        if "connect_timeout" not in url.query:
            url = url.update_query_dict({"connect_timeout": str(self.CONNECT_S)})
        self.conninfo = url.render_as_string(hide_password=False)
        self.idle: list[psycopg.AsyncConnection[Any]] = []
        self.turns = asyncio.Semaphore(self.AT_ONCE)
        self.ended = False

    async def run(self, plan: _Plan, parameters: Mapping[str, Any]) -> list[Any]:
        values = plan.values(parameters)
        try:
            if self.turns.locked():  # all at work: wait, but not for ever
                async with asyncio.timeout(self.WAIT_S):
                    await self.turns.acquire()
            else:
                await self.turns.acquire()
        except TimeoutError:
            raise StorageError("database_busy", "La base de datos central está ocupada; "
                               "intente de nuevo en unos segundos.") from None
        try:
            return await self._run(plan, values)
        finally:
            self.turns.release()

    async def _run(self, plan: _Plan, values: Mapping[str, Any]) -> list[Any]:
        for attempt in (1, 2):
            connection = (self.idle.pop() if self.idle else
                          await psycopg.AsyncConnection.connect(self.conninfo,
                                                                autocommit=True))
            try:
                cursor = await connection.execute(plan.sql, values, prepare=True)
                raw = await cursor.fetchall()
            except BaseException as error:
                broken = connection.broken
                await connection.close()
                if broken and attempt == 1 and isinstance(error, psycopg.OperationalError):
                    self.close()
                    continue
                raise
            if len(self.idle) < self.KEPT and not self.ended:
                self.idle.append(connection)
            else:
                await connection.close()
            return plan.rows(raw)
        raise AssertionError("unreachable")

    def close(self, ended: bool = False) -> None:
        """Close the kept connections (from outside the loop too: no await); `ended`: and
        those still at work when they finish."""
        self.ended = self.ended or ended
        while self.idle:
            connection = self.idle.pop()  # held until finished: unreferenced, it would warn
            connection.pgconn.finish()


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
