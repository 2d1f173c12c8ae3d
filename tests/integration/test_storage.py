"""The store on a real SQLite file: pragmas, migrations with a backup first, the event chain."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text

from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.audit import GENESIS, event_hash
from kiosk.storage import migrate
from kiosk.storage.tables import Event


def test_production_pragmas_on_every_connection(hub: OfficeHub) -> None:
    with hub.store.write_session() as session:
        values = {
            name: session.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert values == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
                      "busy_timeout": 10_000}


def test_migrations_bring_an_old_store_to_head_after_a_backup(data_dir: DataDir) -> None:
    data_dir.create()
    engine = create_engine(f"sqlite:///{data_dir.database}")
    with engine.begin() as connection:  # a store left at the first schema version
        config = migrate._alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    engine.dispose()
    assert migrate.current_revision(data_dir.database) == "0001"
    backup = migrate.upgrade_database(data_dir.database, data_dir.backups)
    assert migrate.current_revision(data_dir.database) == migrate.head_revision() != "0001"
    assert backup is not None and backup.parent == data_dir.backups
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        version = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        copy.close()
    assert version == ("0001",)
    # Already at head: nothing to do, no new backup.
    assert migrate.upgrade_database(data_dir.database, data_dir.backups) is None


def test_the_head_read_from_the_files_is_the_one_alembic_finds(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    alembic_head = ScriptDirectory.from_config(migrate._alembic_config()).get_current_head()
    assert alembic_head is not None and migrate.head_revision() == alembic_head
    # And it follows the chain, not the file names: a migration written after the head.
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (versions / "a_first.py").write_text('revision = "x2"\ndown_revision: str = "x1"\n')
    (versions / "z_last.py").write_text("revision = 'x1'\ndown_revision = None\n")
    migrate.head_revision.cache_clear()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(migrate, "MIGRATIONS_DIR", tmp_path / "migrations")
            assert migrate.head_revision() == "x2"
    finally:
        migrate.head_revision.cache_clear()
    assert migrate.head_revision() == alembic_head


def test_an_office_at_the_newest_schema_starts_without_alembic(hub: OfficeHub,
                                                               data_dir: DataDir) -> None:
    hub.close()
    probe = ("import sys; from kiosk.config import DataDir; from kiosk.hub import OfficeHub; "
             f"from pathlib import Path; OfficeHub(DataDir(Path({str(data_dir.root)!r}))).close(); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    started = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             timeout=60, check=True)
    assert started.stdout.strip() == "[]"


def test_reopening_the_office_keeps_everything(hub: OfficeHub, data_dir: DataDir) -> None:
    ticket = hub.issue_ticket(SYSTEM, "partidas")
    hub.close()
    again = OfficeHub(data_dir, hub.clock)
    try:
        assert again.ticket(SYSTEM, ticket.id).number == "A-001"
        assert again.issue_ticket(SYSTEM, "partidas").number == "A-002"
    finally:
        again.close()


def test_events_form_an_unbroken_hash_chain(hub: OfficeHub) -> None:
    ticket = hub.issue_ticket(SYSTEM, "caja", "nino")
    hub.open_counter(SYSTEM, 4)
    hub.call_next(SYSTEM, 4)
    hub.start(SYSTEM, ticket.id)
    hub.finish(SYSTEM, ticket.id)
    with hub.store.read_session() as session:
        events = list(session.scalars(select(Event).order_by(Event.seq)))
        previous = GENESIS
        for event in events:
            assert event.prev_hash == previous
            assert event.hash == event_hash(
                previous, event_id=event.id, office_id=event.office_id, stream=event.stream,
                stream_id=event.stream_id, kind=event.kind, occurred_at=event.occurred_at,
                hlc=event.hlc, device_id=event.device_id, data=event.data)
            previous = event.hash
        kinds = [e.kind for e in events if e.stream_id == ticket.id]
        stamps = [e.hlc for e in events]
    assert kinds == ["issued", "called", "started", "finished"]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_a_second_office_cannot_open_a_foreign_store(hub: OfficeHub, tmp_path: Path) -> None:
    import shutil

    from kiosk.config import OfficeConfig
    from kiosk.errors import Conflict

    hub.close()
    other = DataDir(tmp_path / "other")
    other.create()
    shutil.copy(hub.data_dir.database, other.database)
    other.save_config(OfficeConfig(office_code="HYO", office_name="CAC Huancayo"))
    try:
        OfficeHub(other)
    except Conflict as exc:
        assert exc.code == "foreign_office"
    else:
        raise AssertionError("a store of CAJ was opened as HYO")


def test_the_models_and_the_migrations_describe_the_same_schema(hub: OfficeHub) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from kiosk.services.search import SEARCH_INDEXES
    from kiosk.storage.tables import Base

    def modelled(name: str | None, kind: str, _parents: object) -> bool:
        # The FTS5 name indexes of migration 0006 (and their shadow tables) have no model.
        return not (kind == "table" and name is not None and any(
            name == index or name.startswith(f"{index}_") for index in SEARCH_INDEXES))

    engine = create_engine(f"sqlite:///{hub.data_dir.database}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_name": modelled})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_full_text_indexes_are_rebuilt_from_their_tables(hub: OfficeHub) -> None:
    """After a migration rows may have new rowids: the indexes are re-read, not trusted."""
    from sqlalchemy import create_engine

    from kiosk.storage.migrate import rebuild_search_indexes

    match = "SELECT count(*) FROM fts_actas WHERE fts_actas MATCH 'QUISPE'"
    engine = create_engine(f"sqlite:///{hub.data_dir.database}")
    try:
        with engine.begin() as connection:
            indexed = connection.exec_driver_sql(match).scalar_one()
            connection.exec_driver_sql("INSERT INTO fts_actas(fts_actas) VALUES ('delete-all')")
            assert indexed > 0 and connection.exec_driver_sql(match).scalar_one() == 0
            rebuild_search_indexes(connection)
            assert connection.exec_driver_sql(match).scalar_one() == indexed
    finally:
        engine.dispose()
