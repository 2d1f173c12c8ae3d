"""An office at any past schema revision, with realistic rows in every table (issue 19).

The rows come from a real office at the newest schema, made through the hub's own operations
(the demo week plus the areas it does not touch). For a past revision R, an empty store is
migrated to R and each of R's tables is filled with the newest office's rows, R's columns
only: the data is what a real office leaves (consistent expedientes, an unbroken audit chain,
the outbox's real entries), and it needs no hub code of the old version, which no longer
exists. Generating rows from R's metadata instead would give rows no view can read.

What the old version could not hold is also taken out of the newest office ("as if it had
been made at R"): the hub's views read on that office are what the upgraded one must show.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from kiosk.config import DataDir
from kiosk.demo_week import DemoWeek, build_demo_week, demo_filing, demo_person
from kiosk.errors import CacError
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange, PairingInput
from kiosk.services.calendar_views import OfficeDayInput
from kiosk.services.cita_views import CitaDelegationInput, CitaInput, CitaPlanInput
from kiosk.services.expediente_views import (
    AppealInput,
    ExpedienteInput,
    NoticeContactInput,
    PartidaDetails,
    PaymentInput,
    TransitionInput,
)
from kiosk.services.itse_views import ItseInput
from kiosk.services.reclamo_views import (
    ReclamoDraft,
    ReclamoDraftInput,
    ReclamoInput,
    SuggestionInput,
)
from kiosk.storage import migrate
from kiosk.storage.replication import enqueue_existing_rows
from tests.files import pdf

# Not the office's data: Alembic's own, SQLite's, and the full-text indexes (rebuilt from
# their tables after every migration, kiosk.storage.migrate.rebuild_search_indexes).
NOT_DATA = ("alembic_version", "sqlite_sequence")
# Filled by the migration that makes them (0009 counts the chain, 0007 adds the one row):
# an office made before them has them after the upgrade all the same.
DERIVED = ("audit_head", "sync_control")


def revisions() -> list[str]:
    """Every migration, oldest first."""
    script = ScriptDirectory.from_config(migrate._alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def tables(db: sqlite3.Connection) -> dict[str, list[str]]:
    """The office's tables and their columns."""
    names = [n for (n,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if n not in NOT_DATA and not n.startswith("fts_")]
    return {n: [c[1] for c in db.execute(f'PRAGMA table_info("{n}")')] for n in names}


def dump(path: Path, only: dict[str, list[str]] | None = None
         ) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (or of `only`, those columns), in a stable order."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        schema = only if only is not None else tables(db)
        rows = {}
        for name, columns in schema.items():
            listed = ", ".join(f'"{c}"' for c in columns)
            rows[name] = sorted(db.execute(f'SELECT {listed} FROM "{name}"').fetchall(),
                                key=repr)
        return rows
    finally:
        db.close()


def schema_of(path: Path) -> dict[str, list[str]]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return tables(db)
    finally:
        db.close()


@dataclass
class NewestOffice:
    """The office every past one is cut from, closed; its clock where the week left it."""

    week: DemoWeek
    data_dir: DataDir
    period: tuple[date, date]
    schemas: dict[str, Path]  # revision -> an empty store at that revision

    @property
    def database(self) -> Path:
        return self.data_dir.database


def build_newest_office(root: Path) -> NewestOffice:
    week = build_demo_week(root / "newest", scale=0.03)
    _every_other_table(week)
    week.hub.close()
    data_dir = DataDir(root / "newest")
    return NewestOffice(week, data_dir, (week.days[0] - timedelta(days=28), week.today),
                        empty_schemas(root / "schemas"))


def _every_other_table(week: DemoWeek) -> None:
    """The rows the demo week leaves no trace in, each made by the hub's own operation."""
    hub, clock = week.hub, week.clock
    clerk, kiosk = hub.staff[3], hub.kiosk  # type: ignore[attr-defined]
    assert kiosk is not None
    today = week.today
    hub.file_reclamo(kiosk, ReclamoInput.model_validate({
        "category": "tiempo_atencion", "doc_type": "DNI", "doc_number": "12345678",
        "full_name": "Rosa Quispe Mamani", "email": "rosa@example.pe",
        "description": "Esperé dos horas y nadie me atendió.",
        "request": "Que haya más ventanillas abiertas."}))
    hub.submit_suggestion(kiosk, SuggestionInput(category="instalaciones", text="Más sillas."))
    helped = hub.issue_ticket(kiosk, "orientacion")  # a reclamo a clerk will finish
    hub.save_reclamo_draft(kiosk, ReclamoDraftInput(ticket_id=helped.id, draft=ReclamoDraft(
        category="acceso", full_name="Juana Mamani", description="No hay rampa.")))
    hub.add_office_day(SYSTEM, OfficeDayInput(day=today + timedelta(days=10),
                                              name="Aniversario del distrito"))
    hub.create_pairing(SYSTEM, PairingInput(name="Quiosco 2", role="kiosk"))
    with pytest.raises(CacError):  # a wrong code: its refusal is counted against guessing
        hub.pair("000-000")
    hub.change_office_settings(SYSTEM, OfficeSettingsChange(backups_kept=12))
    ticket = hub.issue_ticket(kiosk, "partidas")
    actas = [a.id for a in hub.search_actas(clerk, "Quispe", "nacimiento", 5)]
    partida = hub.file_expediente(clerk, ExpedienteInput(
        procedure="RC-01", person=demo_person(random.Random(3)),
        requirements_presented=[1, 2], pages=1, ticket_id=ticket.id,
        details=PartidaDetails(acta_id=actas[0], relation="padre_madre")))
    hub.attach(clerk, partida.number, "solicitud.pdf", "application/pdf", pdf())
    building = hub.file_expediente(clerk, demo_filing(random.Random(5), "LE-B", actas))
    hub.transition(clerk, building.number, TransitionInput(
        action="deny", note="Zonificación no compatible con vivienda"))
    hub.file_appeal(clerk, building.number, AppealInput(kind="reconsideracion"))
    licence = hub.file_expediente(clerk, demo_filing(random.Random(4), "LF-01", actas))
    hub.give_notice_consent(clerk, licence.number, NoticeContactInput(
        mobile="987654321", email="vecino@example.pe", consent=True))
    balance = hub.expediente(clerk, licence.number).balance
    if balance > 0:
        hub.pay(clerk, licence.number, PaymentInput(amount=balance))
    hub.transition(clerk, licence.number, TransitionInput(action="approve"))
    hub.record_itse(clerk, licence.number, ItseInput(
        result="conforme", certificate_number="ITSE-0457-2026", certificate_date=today,
        note="Inspección conforme"))
    hub.set_cita_plan(SYSTEM, "partidas", CitaPlanInput(slot_minutes=30, walkin_percent=50))
    day = next(d for d in (today + timedelta(days=n) for n in range(2, 20))
               if not hub.cita_slots(SYSTEM, "partidas", d).closed)
    slots = hub.cita_slots(SYSTEM, "partidas", day).slots
    hub.book_cita(clerk, CitaInput(service="partidas", start=slots[0].start,
                                   document="41234567", name="María Quispe Ñahui"))
    hub.delegate_citas(SYSTEM, "partidas", CitaDelegationInput(day=day, places=1))
    hub.refresh_daily_stats()
    with hub.store.write_session() as session:  # the sync worker's memory (sync/hub_sync.py)
        from kiosk.storage.tables import SyncState
        session.add(SyncState(key="pull_cursor", value={"cursor": 41},
                              updated_at=clock.now()))
        session.commit()


def empty_schemas(folder: Path) -> dict[str, Path]:
    """One walk of the migrations, an empty store kept at each revision."""
    folder.mkdir(parents=True)
    walking = folder / "walk.sqlite3"
    engine = create_engine(f"sqlite:///{walking}")
    made = {}
    try:
        for revision in revisions():
            with engine.begin() as connection:
                config = migrate._alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
            engine.dispose()
            made[revision] = folder / f"{revision}.sqlite3"
            shutil.copyfile(walking, made[revision])
    finally:
        engine.dispose()
    return made


def office_at(newest: NewestOffice, revision: str, root: Path) -> DataDir:
    """A data folder whose store is at `revision`, holding the newest office's rows."""
    shutil.copytree(newest.data_dir.root, root, ignore=shutil.ignore_patterns(
        "*.sqlite3*", "backups"))
    data_dir = DataDir(root)
    shutil.copyfile(newest.schemas[revision], data_dir.database)
    db = sqlite3.connect(data_dir.database, isolation_level=None)
    try:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("ATTACH ? AS src", (f"file:{newest.database}?mode=ro",))
        db.execute("BEGIN")
        there = tables(db)
        for name, columns in there.items():
            if name in ("sync_outbox", "audit_head"):
                continue  # below
            listed = ", ".join(f'"{c}"' for c in columns)
            # REPLACE: the rows a migration seeds (the UIT table, sync_control's one row)
            # give way to the office's own.
            db.execute(f'INSERT OR REPLACE INTO main."{name}" ({listed}) SELECT {listed} '
                       f'FROM src."{name}"')
        # The triggers of R's schema queued and counted what was just copied: the office's
        # own outbox and chain head are what it had, its entries for R's tables alone.
        for derived in ("sync_outbox", "audit_head"):
            if derived in there:
                listed = ", ".join(f'"{c}"' for c in there[derived])
                where = (" WHERE tbl IN (SELECT value FROM json_each(?))"
                         if derived == "sync_outbox" else "")
                db.execute(f'DELETE FROM main."{derived}"')
                db.execute(f'INSERT INTO main."{derived}" ({listed}) SELECT {listed} '
                           f'FROM src."{derived}"{where}',
                           (json.dumps(sorted(there)),) if where else ())
        db.execute("COMMIT")
        problems = db.execute("PRAGMA main.foreign_key_check").fetchall()
        assert problems == [], f"{revision}: {problems[:5]}"
    finally:
        db.close()
    return data_dir


def newest_as_if_made_at(newest: NewestOffice, revision: str, root: Path) -> DataDir:
    """The newest office without what revision R could not hold: the tables R lacks emptied
    (the hub's derived ones kept), the columns R lacks at their default."""
    shutil.copytree(newest.data_dir.root, root, ignore=shutil.ignore_patterns("backups"))
    data_dir = DataDir(root)
    old = schema_of(newest.schemas[revision])
    db = sqlite3.connect(data_dir.database, isolation_level=None)
    try:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("BEGIN")
        # The edits below are no change of the office's: what they queue is not kept.
        db.execute("CREATE TEMP TABLE kept AS SELECT * FROM sync_outbox WHERE tbl IN "
                   "(SELECT value FROM json_each(?))",
                   (json.dumps(sorted(old) if "sync_outbox" in old else []),))
        for name, columns in tables(db).items():
            if name not in old:
                if name not in DERIVED:
                    db.execute(f'DELETE FROM "{name}"')
                continue
            for column in columns:
                if column in old[name]:
                    continue
                info = {c[1]: c for c in db.execute(f'PRAGMA table_info("{name}")')}
                default = info[column][4]
                db.execute(f'UPDATE "{name}" SET "{column}" = {default or "NULL"}')
        db.execute("DELETE FROM sync_outbox")
        db.execute("INSERT INTO sync_outbox SELECT * FROM kept")
        db.execute("COMMIT")
    finally:
        db.close()
    if "sync_outbox" not in old:
        # An office made before the outbox has all it holds queued once by migration 0007,
        # so that central learns it.
        engine = create_engine(f"sqlite:///{data_dir.database}")
        try:
            with engine.begin() as connection:
                enqueue_existing_rows(connection)
        finally:
            engine.dispose()
    return data_dir


def open_hub(data_dir: DataDir, newest: NewestOffice) -> OfficeHub:
    return OfficeHub(data_dir, newest.week.clock)
