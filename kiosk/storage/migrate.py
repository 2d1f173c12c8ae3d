"""Apply Alembic migrations at start, after an online backup of an existing database; a
failed upgrade puts that backup back and stops the start with a Spanish message.

Alembic is imported only to migrate. An office already at the newest schema (every start but
the first after an update) checks that with the migration files and one query: loading Alembic
and its script directory was a good part of `cac app`'s start and memory (bench/README.md,
app_start.py).
"""

from __future__ import annotations

import ast
import functools
import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, create_engine

from kiosk.errors import StorageError
from kiosk.private_files import touch_private
from kiosk.storage.audit_head import install_audit_trigger
from kiosk.storage.backup import backup_database
from kiosk.storage.replication import install_capture_triggers
from kiosk.storage.store import apply_pragmas

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@functools.cache
def head_revision() -> str | None:
    """The newest migration: the one no other migration comes after, read from the files'
    `revision` and `down_revision` (tests check it is the head Alembic finds)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = _assigned(path, ("revision", "down_revision"))
        revision, down = found.get("revision"), found.get("down_revision")
        if not isinstance(revision, str):
            continue
        revisions.add(revision)
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):  # a merge migration
            parents.update(str(parent) for parent in down)
    heads = revisions - parents
    if len(heads) > 1:
        raise RuntimeError(f"las migraciones tienen varias cabezas: {sorted(heads)}")
    return heads.pop() if heads else None


def _assigned(path: Path, names: tuple[str, ...]) -> dict[str, object]:
    """The literal values a module assigns to `names` at its top level."""
    values: dict[str, object] = {}
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in names:
            values[target.id] = ast.literal_eval(value)
    return values


def current_revision(db_path: Path) -> str | None:
    """The schema revision Alembic recorded in the store (None for a new one)."""
    if not db_path.exists():
        return None
    db = sqlite3.connect(db_path)
    try:
        row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # no such table: nothing migrated yet
        return None
    finally:
        db.close()
    return str(row[0]) if row else None


def upgrade_database(db_path: Path, backups_dir: Path, keep: int = 10) -> Path | None:
    """Bring the database to the newest schema. Returns the backup made, if any."""
    current = current_revision(db_path)
    head = head_revision()
    if current == head:
        return None
    backup = None
    if current is not None:
        backup = backup_database(db_path, backups_dir, f"antes-de-migrar-{current}", keep)
        log.info("copia de seguridad antes de migrar: %s", backup)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    touch_private(db_path)  # SQLite gives its -wal and -shm files the database's mode
    raw = sqlite3.connect(db_path)
    apply_pragmas(raw)  # WAL is a property of the file: set it before any table exists
    raw.close()
    try:
        _migrate(db_path, existing=current is not None)
    except Exception as exc:
        if backup is None:  # a new office: nothing to keep
            raise
        log.exception("la actualización de %s a %s falló", current, head)
        try:
            restore_failed_upgrade(db_path, backup)
        except sqlite3.Error as restore_error:
            log.exception("no se pudo restaurar %s", backup)
            raise StorageError(
                "upgrade_failed",
                f"No se pudo actualizar la base de datos de la oficina de la versión {current} "
                f"a la {head} ({type(exc).__name__}: {exc}), y tampoco se pudo volver a poner "
                f"la copia tomada antes ({restore_error}). La copia está intacta en {backup}: "
                "no abra la oficina con esta versión; con la versión anterior del programa, "
                "restáurela con «cac restore» y avise a soporte técnico."
            ) from exc
        raise StorageError(
            "upgrade_failed",
            f"No se pudo actualizar la base de datos de la oficina de la versión {current} a "
            f"la {head} ({type(exc).__name__}: {exc}). Se restauró la copia de seguridad "
            f"tomada antes de actualizar, {backup}: los datos de la oficina quedaron como "
            "estaban. El hub no arranca con esta versión: vuelva a instalar la versión "
            "anterior del programa y avise a soporte técnico con el archivo hub.log."
        ) from exc
    log.info("base de datos en la versión %s", head)
    return backup


def _migrate(db_path: Path, existing: bool) -> None:
    from alembic import command

    engine = create_engine(f"sqlite:///{db_path}")
    try:
        with engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if existing:
                rebuild_search_indexes(connection)
                # A batch migration rebuilds tables and drops their triggers; a new column
                # must reach central too.
                install_capture_triggers(connection)
                install_audit_trigger(connection)
    finally:
        engine.dispose()


def restore_failed_upgrade(db_path: Path, backup: Path) -> None:
    """Put the copy taken before the upgrade back, page by page into the live file (its WAL
    stays coherent). SQLite's DDL through the driver is not one transaction: a migration that
    failed half-way may have left tables made or rebuilt, so the rollback alone is not enough."""
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(db_path)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def rebuild_search_indexes(connection: Connection) -> None:
    """Re-read every full-text index from its table (migration 0006).

    The indexes point at rows by rowid, which a table rebuild (a batch migration, VACUUM)
    may renumber: after any migration of an existing store they are rebuilt, which takes
    seconds even for a large office.
    """
    names = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'fts\\_%' "
        "ESCAPE '\\' AND sql LIKE 'CREATE VIRTUAL TABLE%'").scalars().all()
    for name in names:
        connection.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
