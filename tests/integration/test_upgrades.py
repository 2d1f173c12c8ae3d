"""Upgrades that keep everything (issue 19): an office made at any past schema revision opens
with this version, after a backup, with every row, statistic, expediente, the audit chain and
the sync outbox as they were; an upgrade that fails puts the backup back and says so."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.config import DataDir
from kiosk.errors import StorageError
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.storage import migrate
from kiosk.storage.tables import Base, Expediente
from tests.integration.office_at_revision import (
    NewestOffice,
    build_newest_office,
    dump,
    newest_as_if_made_at,
    office_at,
    open_hub,
    revisions,
    schema_of,
)

# Tables of the newest schema the walk may leave empty, each with why. None today.
MAY_BE_EMPTY: dict[str, str] = {}


@pytest.fixture(scope="module")
def newest(tmp_path_factory: pytest.TempPathFactory) -> NewestOffice:
    return build_newest_office(tmp_path_factory.mktemp("upgrades"))


def test_the_newest_office_has_rows_in_every_table(newest: NewestOffice) -> None:
    counts = {name: len(rows) for name, rows in dump(newest.database).items()}
    # Every table the models declare is in the store (and so in the walk).
    assert set(Base.metadata.tables) <= set(counts)
    empty = sorted(name for name, count in counts.items()
                   if count == 0 and name not in MAY_BE_EMPTY)
    assert empty == [], f"tablas sin filas: {empty}"


def readings(hub: OfficeHub, period: tuple[Any, Any]) -> dict[str, Any]:
    """What a person reads: the period's statistics, every expediente, the audit verdict,
    the sync outbox as the supervisor sees it."""
    numbers = _expediente_numbers(hub)
    report = hub.verify_audit(SYSTEM)
    return {
        "stats": hub.stats(SYSTEM, *period).model_dump(),
        "expediente_stats": hub.expediente_stats(SYSTEM, *period).model_dump(),
        "satisfaction": hub.satisfaction_stats(SYSTEM, *period).model_dump(),
        "expedientes": {n: hub.expediente(SYSTEM, n).model_dump() for n in numbers},
        "audit": (report.checked, report.first_seq, report.last_seq, report.problems,
                  report.rows, report.rows_checked),
        "sync": hub.sync_status(SYSTEM).model_dump(exclude={"checked_at"}),
    }


def _expediente_numbers(hub: OfficeHub) -> list[str]:
    with hub.store.read_session() as session:
        return sorted(session.scalars(select(Expediente.number)))


def upgrade_keeps_everything(newest: NewestOffice, revision: str, root: Path) -> None:
    old = office_at(newest, revision, root / "old")
    before_schema = schema_of(old.database)
    before = dump(old.database)
    empty = [name for name, rows in before.items() if not rows and name not in MAY_BE_EMPTY]
    assert empty == [], f"{revision}: tablas sin filas {empty}"
    hub = open_hub(old, newest)  # the real start: backup, migrations, triggers, indexes
    try:
        assert migrate.current_revision(old.database) == migrate.head_revision()
        # Every row of every table the old version had, column by column, as it was.
        after = dump(old.database, before_schema)
        for table, rows in before.items():
            assert after[table] == rows, f"{revision}: {table}"
        after_reading = readings(hub, newest.period)
    finally:
        hub.close()
    # The copy taken first is the old office as it was.
    [backup] = old.backups.glob(f"antes-de-migrar-{revision}-*.sqlite3")
    assert dump(backup) == before
    # And what a person reads is what the newest version reads on the same office.
    expected = open_hub(newest_as_if_made_at(newest, revision, root / "expected"), newest)
    try:
        expected_reading = readings(expected, newest.period)
    finally:
        expected.close()
    # The chain is whole. (Rows may differ from their events where the old schema had no
    # column for what the newest office's events say, e.g. who served a ticket before 0008:
    # an artefact of cutting the newest office down, the same on both sides.)
    assert after_reading["audit"][3] == []
    for part, value in expected_reading.items():
        assert after_reading[part] == value, f"{revision}: {part}"


# Every past revision, each its own test (about 2 s each: the walk stays in the default run).
@pytest.mark.parametrize("revision", revisions()[:-1])
def test_an_office_made_at_a_past_revision_upgrades_keeping_everything(
        newest: NewestOffice, revision: str, tmp_path: Path) -> None:
    upgrade_keeps_everything(newest, revision, tmp_path)


def test_the_walk_covers_every_migration() -> None:
    walked = revisions()
    assert walked[0] == "0001" and walked[-1] == migrate.head_revision()
    assert len(walked) == len(list((migrate.MIGRATIONS_DIR / "versions").glob("0*.py")))


# --- a failed upgrade ----------------------------------------------------------------------

FAILING_STEP = '''
from alembic import op

revision = "9999"
down_revision = {head!r}


def upgrade() -> None:
    # Half the work done (a table made, rows gone), then the failure.
    op.execute("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
    op.execute("DELETE FROM print_jobs")
    raise RuntimeError("fallo provocado en la prueba")


def downgrade() -> None:
    pass
'''


@pytest.fixture
def failing_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The migrations of this version plus one newer step that fails half-way."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9999_fails.py").write_text(
        FAILING_STEP.format(head=migrate.head_revision()))
    migrate.head_revision.cache_clear()
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    yield
    monkeypatch.undo()
    migrate.head_revision.cache_clear()


def test_a_failed_upgrade_restores_the_backup_and_says_so(
        hub: OfficeHub, data_dir: DataDir, failing_migration: None) -> None:
    hub.issue_ticket(SYSTEM, "partidas")
    head = migrate.current_revision(data_dir.database)
    hub.close()
    before = dump(data_dir.database)
    with pytest.raises(StorageError) as refused:
        OfficeHub(data_dir, hub.clock)
    assert refused.value.code == "upgrade_failed"
    [backup] = data_dir.backups.glob(f"antes-de-migrar-{head}-*.sqlite3")
    message = refused.value.message
    assert message.startswith(f"No se pudo actualizar la base de datos de la oficina de la "
                              f"versión {head} a la 9999 (RuntimeError: fallo provocado en "
                              "la prueba). Se restauró la copia de seguridad tomada antes "
                              f"de actualizar, {backup}: los datos de la oficina quedaron "
                              "como estaban.")
    assert "vuelva a instalar la versión anterior" in message
    # The office is as before: every row, its revision, no half-made table.
    assert dump(data_dir.database) == before
    assert migrate.current_revision(data_dir.database) == head
    db = sqlite3.connect(data_dir.database)
    try:
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"
                          ).fetchone() == (0,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()


def test_a_backup_that_cannot_be_put_back_is_named_and_left_intact(
        hub: OfficeHub, data_dir: DataDir, failing_migration: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    hub.issue_ticket(SYSTEM, "partidas")
    hub.close()
    before = dump(data_dir.database)

    def disk_fails(_db: Path, _backup: Path) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(migrate, "restore_failed_upgrade", disk_fails)
    with pytest.raises(StorageError) as refused:
        OfficeHub(data_dir, hub.clock)
    [backup] = data_dir.backups.glob("antes-de-migrar-*.sqlite3")
    assert "y tampoco se pudo volver a poner la copia tomada antes (disk I/O error). La " \
           f"copia está intacta en {backup}" in refused.value.message
    assert "restáurela con «cac restore»" in refused.value.message
    assert dump(backup) == before


def test_cac_hub_refuses_to_start_after_a_failed_upgrade(
        hub: OfficeHub, data_dir: DataDir, failing_migration: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    hub.close()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        code = main(["hub", "--data-dir", str(data_dir.root)])
    finally:  # `cac hub` logs to the office's hub.log from the root logger
        for added in [h for h in root.handlers if h not in handlers]:
            added.close()
            root.removeHandler(added)
        root.setLevel(level)
    err = capsys.readouterr().err
    [backup] = data_dir.backups.glob("antes-de-migrar-*.sqlite3")
    assert code == 2
    assert err.startswith("Error: No se pudo actualizar la base de datos de la oficina")
    assert f"Se restauró la copia de seguridad tomada antes de actualizar, {backup}" in err
    # What support is asked for says what failed.
    log = (data_dir.logs / "hub.log").read_text(encoding="utf-8")
    assert "la actualización de" in log and "RuntimeError: fallo provocado en la prueba" in log
