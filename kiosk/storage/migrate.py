"""Apply Alembic migrations at start, after an online backup of an existing database."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine

from kiosk.storage.audit_head import install_audit_trigger
from kiosk.storage.backup import backup_database
from kiosk.storage.replication import install_capture_triggers
from kiosk.storage.store import apply_pragmas

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(db_path: Path) -> str | None:
    if not db_path.exists():
        return None
    engine = create_engine(f"sqlite:///{db_path}")
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


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
    raw = sqlite3.connect(db_path)
    apply_pragmas(raw)  # WAL is a property of the file: set it before any table exists
    raw.close()
    engine = create_engine(f"sqlite:///{db_path}")
    try:
        with engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if current is not None:
                rebuild_search_indexes(connection)
                # A batch migration rebuilds tables and drops their triggers; a new column
                # must reach central too.
                install_capture_triggers(connection)
                install_audit_trigger(connection)
    finally:
        engine.dispose()
    log.info("base de datos en la versión %s", head)
    return backup


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
