"""A foreigner files at the counter with the card they carry: a carné de extranjería shorter
than 9 characters (refused before) and a CPP/PTP card; both are found again by number and
print on the cargo."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import create_engine

from kiosk.config import DataDir
from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.storage import migrate
from printing.documents.common import person_document
from tests.integration.test_expedientes import partida, person


def test_a_cpp_holder_and_a_short_carne_file_and_are_found_again(
        hub: OfficeHub, clerk: DeviceIdentity) -> None:
    cpp = hub.file_expediente(clerk, partida(person=person(
        doc_type="CPP", doc_number="456 789", given="María Alejandra", paternal="Pérez",
        maternal="González")))
    assert cpp.person is not None
    assert (cpp.person.doc_type, cpp.person.doc_number) == ("CPP", "000456789")
    assert person_document(cpp.person) == "CPP 000456789"
    ce = hub.file_expediente(clerk, partida(person=person(
        doc_type="CE", doc_number="12345678", given="Luis", paternal="Rojas",
        maternal="Díaz")))
    assert ce.person is not None and ce.person.doc_number == "012345678"
    # Typed again as the card prints it: the same person, not a second record.
    again = hub.file_expediente(clerk, partida(person=person(
        doc_type="CPP", doc_number="000456789", given="María Alejandra", paternal="Pérez",
        maternal="González")))
    assert again.person is not None and again.person.id == cpp.person.id
    found = hub.find_persons(clerk, "000456789")
    assert [p.id for p in found] == [cpp.person.id]


def test_an_office_store_of_the_old_schema_takes_cpp_after_the_upgrade(data_dir: DataDir
                                                                       ) -> None:
    data_dir.create()
    engine = create_engine(f"sqlite:///{data_dir.database}")
    with engine.begin() as connection:  # a store at the schema before the CPP
        config = migrate._alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0013")
    engine.dispose()
    migrate.upgrade_database(data_dir.database, data_dir.backups)
    db = sqlite3.connect(data_dir.database)
    try:
        db.execute("PRAGMA foreign_keys = OFF")
        insert = ("INSERT INTO persons (id, office_id, doc_type, doc_number, given_names, "
                  "paternal_surname, search_name, created_at, updated_at) VALUES "
                  "(?, 'o', ?, '000456789', 'María', 'Pérez', 'PEREZ MARIA', "
                  "'2026-12-01 10:00:00', '2026-12-01 10:00:00')")
        db.execute(insert, ("p1", "CPP"))
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(insert, ("p2", "XYZ"))  # the check constraint is still there
        assert db.execute("SELECT doc_type FROM persons").fetchall() == [("CPP",)]
        # The rebuilt table keeps its name index and its sync triggers.
        triggers = {name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'persons'")}
        assert {"fts_persons_ai", "fts_persons_ad", "fts_persons_au"} <= triggers
        assert {"sync_persons_ai", "sync_persons_au"} <= triggers
        assert db.execute("SELECT rowid FROM fts_persons WHERE fts_persons MATCH 'perez'"
                          ).fetchall() == db.execute("SELECT rowid FROM persons").fetchall()
    finally:
        db.close()
