"""The office's SQLite store with production pragmas and a single writer.

Writes go through one connection guarded by a lock and opened with BEGIN IMMEDIATE, so
concurrent requests queue up in the hub instead of failing with "database is locked"; readers
use their own pool and, thanks to WAL, never wait for the writer.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from kiosk.errors import StorageError

if TYPE_CHECKING:
    from kiosk.storage.checkpoint import WalCheckpointer

BUSY_TIMEOUT_MS = 10_000
DEFAULT_AUTOCHECKPOINT_PAGES = 1000  # SQLite's own

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)


def apply_pragmas(connection: sqlite3.Connection) -> None:
    for pragma in PRAGMAS:
        connection.execute(pragma)


def _engine(path: Path, begin: str, pool_size: int) -> Engine:
    return sqlite_engine(f"sqlite:///{path}", begin, poolclass=QueuePool, pool_size=pool_size,
                         max_overflow=0 if pool_size == 1 else 4, pool_timeout=60)


def sqlite_engine(url: str, begin: str = "BEGIN IMMEDIATE", **options: Any) -> Engine:
    """An engine on a SQLite file with the production pragmas, starting its transactions
    with `begin` (the office store; the central server's trial database)."""
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how transactions start (SQLAlchemy docs recipe).
        dbapi_connection.isolation_level = None
        apply_pragmas(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Straight to the driver: through exec_driver_sql this was a tenth of a ticket issue.
        connection.connection.driver_connection.execute(begin)

    return engine


def writer_session(connection: Connection) -> Session:
    """An ORM session over the writer's connection that owns its transaction: it begins it,
    or joins the one a prepared statement began, and its commit and rollback are the
    transaction's (kiosk.services.unit_of_work)."""
    return Session(bind=connection, expire_on_commit=False,
                   join_transaction_mode="control_fully")


def storage_error(exc: OperationalError | sqlite3.OperationalError, path: Path) -> Exception:
    """The Spanish message for what SQLite says about the disk; other errors unchanged.
    The hot paths' prepared statements raise the driver's own error (no SQLAlchemy wrap)."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StorageError(
            "disk_full", f"El disco del hub está lleno ({path.parent}): no se pudo guardar. "
            "Libere espacio (copias de seguridad antiguas, archivos ajenos) y vuelva a "
            "intentar; lo ya registrado está a salvo.")
    if "readonly" in text or "read-only" in text:
        return StorageError(
            "read_only", f"La carpeta de datos del hub ({path.parent}) está en solo lectura: "
            "no se puede guardar. Revise los permisos o el disco; lo ya registrado está a "
            "salvo.")
    if "unable to open" in text:
        return StorageError(
            "cannot_open", f"No se puede abrir la base de datos del hub ({path}): revise "
            "que el disco esté conectado y la carpeta exista.")
    return exc


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._write_engine = _engine(path, "BEGIN IMMEDIATE", pool_size=1)
        self._read_engine = _engine(path, "BEGIN", pool_size=4)
        self._write_lock = threading.RLock()
        self._writer: Connection | None = None
        self._checkpointer: WalCheckpointer | None = None
        self._autocheckpoint_pages = DEFAULT_AUTOCHECKPOINT_PAGES

        @event.listens_for(self._write_engine, "connect")
        def _writer_checkpoints(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={self._autocheckpoint_pages}")

    def checkpoint_with(self, checkpointer: WalCheckpointer | None,
                        safety_pages: int = DEFAULT_AUTOCHECKPOINT_PAGES) -> None:
        """Leave WAL checkpoints to `checkpointer` (kiosk.storage.checkpoint), the writer's
        own automatic one `safety_pages` far; None gives them back to the writer."""
        with self._write_lock:
            self._checkpointer = checkpointer
            self._autocheckpoint_pages = (DEFAULT_AUTOCHECKPOINT_PAGES if checkpointer is None
                                          else safety_pages)
            self._drop_writer()  # the next write connects with the new setting

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """The one writer's connection, under the write lock. Its transaction begins on first
        use (BEGIN IMMEDIATE); the caller commits, anything else rolls back. The disk's
        refusals (full, read-only) come out as a StorageError a person can act on."""
        with self._write_lock:
            connection = self._writer_connection()
            try:
                yield connection
            except (OperationalError, sqlite3.OperationalError) as exc:
                self._roll_back(connection)
                error = storage_error(exc, self.path)
                if isinstance(error, StorageError):
                    # The next write opens a fresh connection: a remounted disk or a freed
                    # one works again without restarting the hub.
                    self._drop_writer()
                raise error from exc
            except BaseException:
                self._roll_back(connection)
                raise
            else:
                self._roll_back(connection)  # what the caller did not commit
            finally:
                if self._checkpointer is not None:
                    self._checkpointer.written()

    def _writer_connection(self) -> Connection:
        # Held between writes rather than taken from the pool and given back each time: every
        # write paid for the checkout and its reset, and nothing else may use the writer.
        if self._writer is None or self._writer.closed or self._writer.invalidated:
            self._writer = self._write_engine.connect()
        return self._writer

    @staticmethod
    def _roll_back(connection: Connection) -> None:
        if connection.in_transaction() and not connection.invalidated:
            connection.rollback()

    def _drop_writer(self) -> None:
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
            self._write_engine.dispose()

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """`write_connection` with an ORM session over it: the session's commit commits the
        connection's transaction."""
        with self.write_connection() as connection, writer_session(connection) as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        with Session(self._read_engine) as session:
            yield session
            session.rollback()

    def dispose(self) -> None:
        self._drop_writer()
        self._read_engine.dispose()
