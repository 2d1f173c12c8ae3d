"""Ley 29733: every request that shows a clerk personal data leaves one audited event."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.cli import main
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import Forbidden, InvalidInput, StorageError
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services import access_log
from kiosk.services.devices import DeviceIdentity
from kiosk.storage.tables import Event
from tests.conftest import SUPERVISOR, advance, person_on
from tests.integration.test_expedientes import add_acta, partida, person
from tests.integration.test_expedientes_refusals import PDF

DNI = person().doc_number


def accesses(hub: OfficeHub) -> list[tuple[str | None, dict[str, object]]]:
    with hub.store.read_session() as session:
        return [(e.device_id, e.data) for e in session.scalars(
            select(Event).where(Event.kind == access_log.ACCESS_KIND).order_by(Event.seq))]


def test_each_read_of_personal_data_is_one_event_naming_who_what_and_whom(
        hub: OfficeHub, clerk: DeviceIdentity) -> None:
    filed = hub.file_expediente(clerk, partida())
    second = hub.file_expediente(clerk, partida())
    scan = hub.attach(clerk, filed.number, "solicitud.pdf", "application/pdf", PDF)
    acta = add_acta(hub, given="Eusebia", paternal="Ccori", maternal="Yupanqui")
    assert accesses(hub) == []  # filing and attaching are writes, audited as such
    assert filed.person is not None
    owner = filed.person.id

    hub.expediente(clerk, filed.number)
    found = hub.find_persons(clerk, DNI)
    listed = hub.search_expedientes(clerk, "Quispe Mamani Juan Carlos")
    hub.attachment_file(clerk, filed.number, scan.id)
    actas = hub.search_actas(clerk, "Ccori Yupanqui")
    hub.find_persons(clerk, "Nadie Inexistente")  # nothing shown: nothing to log
    assert [p.id for p in found] == [owner] and len(listed) == 2 and [a.id for a in actas] == [
        acta]

    logged = accesses(hub)
    who = {"who_id": clerk.clerk.user_id if clerk.clerk else None, "who": "ana",
           "device": clerk.name}
    assert [device for device, _ in logged] == [clerk.id] * 5
    assert [data for _, data in logged] == [
        {"what": "expediente", "query": None, "persons": [owner], "records": [filed.number],
         "count": 1, **who},
        {"what": "persons", "query": DNI, "persons": [owner], "records": [], "count": 1, **who},
        {"what": "expedientes", "query": "Quispe Mamani Juan Carlos", "persons": [owner],
         "records": [e.number for e in listed], "count": 2, **who},
        {"what": "attachment", "query": None, "persons": [owner],
         "records": [filed.number, scan.id], "count": 1, **who},
        {"what": "actas", "query": "Ccori Yupanqui", "persons": [], "records": [acta],
         "count": 1, **who},
    ]
    assert {second.number, filed.number} == {e.number for e in listed}
    for _, data in logged:  # ids and the query typed, never the data shown
        shown = json.dumps({k: v for k, v in data.items() if k != "query"}, ensure_ascii=False)
        assert not {DNI, "Juan", "Quispe", "Mamani"} & set(shown.replace('"', " ").split())


def test_access_events_join_the_chain_and_the_outbox(hub: OfficeHub, clerk: DeviceIdentity
                                                     ) -> None:
    filed = hub.file_expediente(clerk, partida())
    hub.expediente(clerk, filed.number)
    assert hub.verify_audit(SYSTEM).ok
    with hub.store.read_session() as session:
        event = session.scalars(select(Event).where(Event.kind == access_log.ACCESS_KIND)).one()
        event_id = event.id
    with sqlite3.connect(hub.store.path) as db:
        queued = db.execute("SELECT count(*) FROM sync_outbox WHERE tbl = 'events' AND "
                            "row_key = ?", (event_id,)).fetchone()[0]
    assert queued == 1  # replicated to central like every event (docs/decisions.md, 15)


def test_an_access_that_cannot_be_logged_is_not_served(
        hub: OfficeHub, clerk: DeviceIdentity, monkeypatch: pytest.MonkeyPatch) -> None:
    filed = hub.file_expediente(clerk, partida())

    def full_disk(*_args: object) -> int:
        raise StorageError("disk_full", "El disco del hub está lleno.")

    monkeypatch.setattr(access_log, "log_access", full_disk)
    with pytest.raises(StorageError):
        hub.expediente(clerk, filed.number)
    with pytest.raises(StorageError):
        hub.find_persons(clerk, DNI)


def test_kiosk_and_display_are_refused_and_leave_no_access(
        hub: OfficeHub, clerk: DeviceIdentity, tokens: dict[str, str]) -> None:
    filed = hub.file_expediente(clerk, partida())
    for role in ("kiosk", "display"):
        device = hub.authenticate(tokens[role])
        for read in (lambda d: hub.find_persons(d, DNI),
                     lambda d: hub.expediente(d, filed.number),
                     lambda d: hub.search_expedientes(d, DNI),
                     lambda d: hub.search_actas(d, "Quispe"),
                     lambda d: hub.find_businesses(d, "Bodega")):
            with pytest.raises(Forbidden):
                read(device)
    # What the kiosk may read of an expediente names nobody.
    public = hub.public_status(hub.authenticate(tokens["kiosk"]), filed.number)
    assert DNI not in public.model_dump_json() and "Quispe" not in public.model_dump_json()
    assert accesses(hub) == []


def test_the_log_is_read_by_person_user_and_dates(hub: OfficeHub, clerk: DeviceIdentity,
                                                  clock: VirtualClock, tokens: dict[str, str]
                                                  ) -> None:
    mine = hub.file_expediente(clerk, partida())
    other = hub.file_expediente(clerk, partida(person=person("45678912", "Rosa", "Huamán")))
    hub.expediente(clerk, mine.number)
    day_one = hub.office.business_date(clock.now())
    advance(clock, days=1)
    supervisor = person_on(hub, tokens["supervisor"], SUPERVISOR)
    hub.expediente(supervisor, other.number)
    hub.find_persons(supervisor, DNI)
    hub.search_expedientes(clerk, "45678912")

    everything = hub.audit_access(SYSTEM)
    assert [(e.what, e.who) for e in everything] == [
        ("expedientes", "ana"), ("persons", "rosa"), ("expediente", "rosa"),
        ("expediente", "ana")]  # newest first: the person, whatever the device
    assert everything[-1].persons[0].doc_number == DNI
    assert everything[-1].what_text == "detalle de expediente"

    of_dni = hub.audit_access(SYSTEM, person=DNI)
    assert [(e.what, e.who) for e in of_dni] == [("persons", "rosa"), ("expediente", "ana")]
    # Rosa: her expediente opened by the supervisor, and the clerk's search by her DNI.
    assert [e.what for e in hub.audit_access(SYSTEM, person="45678912")] == [
        "expedientes", "expediente"]
    assert [e.what for e in hub.audit_access(SYSTEM, user="ANA")] == ["expedientes",
                                                                       "expediente"]
    assert [e.what for e in hub.audit_access(SYSTEM, date_from=day_one, date_to=day_one)] == [
        "expediente"]
    assert hub.audit_access(SYSTEM, date_from=day_one + timedelta(days=2)) == []
    assert len(hub.audit_access(SYSTEM, limit=1)) == 1
    with pytest.raises(InvalidInput) as caught:
        hub.audit_access(SYSTEM, date_from=day_one, date_to=day_one - timedelta(days=1))
    assert caught.value.code == "invalid_period"
    with pytest.raises(Forbidden):
        hub.audit_access(supervisor)
    assert len(accesses(hub)) == 4  # reading the log is not an access to a person's data


def test_cac_audit_access(hub: OfficeHub, clerk: DeviceIdentity, data_dir: DataDir,
                          capsys: pytest.CaptureFixture[str]) -> None:
    filed = hub.file_expediente(clerk, partida())
    hub.expediente(clerk, filed.number)
    hub.find_persons(clerk, "Quispe Mamani")
    today = hub.office.business_date(hub.clock.now()).isoformat()
    hub.close()
    root = str(data_dir.root)
    assert main(["audit", "access", "--data-dir", root, "--person", DNI]) == 0
    out = capsys.readouterr().out
    assert "ana" in out and "detalle de expediente" in out and f"DNI {DNI}" in out
    assert "búsqueda de personas «Quispe Mamani»" in out and "2 acceso(s)." in out
    assert main(["audit", "access", "--data-dir", root, "--user", "luis"]) == 0
    assert "No hay accesos" in capsys.readouterr().out
    assert main(["audit", "access", "--data-dir", root, "--json", "--desde", today,
                 "--hasta", today]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["what"], r["who"], r["records"]) for r in rows] == [
        ("persons", "ana", []), ("expediente", "ana", [filed.number])]
