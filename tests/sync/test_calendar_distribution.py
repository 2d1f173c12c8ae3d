"""Central distributes non-working days with their scope; each office counts only its own
(issue 20). Run against SQLite and a real PostgreSQL (tests/sync/conftest.py).

Dates by hand: June 2026, Tue 23 (the filing, 09:00), Wed 24 (Inti Raymi, Cusco's regional
holiday, department 08), Thu 25. RC-01 has a deadline of 1 working day: due Wed 24, or Thu
25 where the 24th does not count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.clock import VirtualClock
from kiosk.errors import InvalidInput, NotFound
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.calendar import LIMA
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.storage.tables import Event
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer
from sync.hub_sync import FeedApplier
from tests.conftest import RunningHub
from tests.integration.test_expedientes import add_acta, partida
from tests.sync.conftest import clerk_of, connect_sync

INTI_RAYMI = date(2026, 6, 24)
WED_24, THU_25 = date(2026, 6, 24), date(2026, 6, 25)


def _sync(office: OfficeHub, url: str, token: str) -> None:
    report = connect_sync(office, url, token).run_round()
    assert report.ok, report.error


def _placed(office: OfficeHub, ubigeo: str) -> OfficeHub:
    office.change_office_settings(SYSTEM, OfficeSettingsChange.model_validate(
        {"ubigeo": ubigeo}))
    return office


def _kinds(office: OfficeHub, stream: str) -> list[tuple[str, object, object]]:
    with office.store.read_session() as session:
        return [(e.kind, e.data.get("date"), e.data.get("by")) for e in session.scalars(
            select(Event).where(Event.stream == stream).order_by(Event.seq))]


def test_inti_raymi_moves_cusco_deadlines_and_not_cajamarcas_and_its_removal_moves_back(
        central: CentralServer, central_http: RunningHub,
        make_office: Callable[..., OfficeHub], clock: VirtualClock) -> None:
    clock.set(datetime(2026, 6, 22, 8, 0, tzinfo=LIMA))
    cusco = _placed(make_office("CUS", "CAC Cusco"), "080101")
    cajamarca = _placed(make_office("CAJ", "CAC Cajamarca"), "060101")
    tokens = {o: central.add_office(o.office.office_code, o.config.office_name)[1]
              for o in (cusco, cajamarca)}
    clock.set(datetime(2026, 6, 23, 9, 0, tzinfo=LIMA))
    filed = {o: o.file_expediente(clerk_of(o), partida(add_acta(o))) for o in tokens}
    assert {o.office.office_code: f.due_date for o, f in filed.items()} == {
        "CUS": WED_24, "CAJ": WED_24}

    assert central.add_non_working_day(INTI_RAYMI, "Inti Raymi", "departamento", "08",
                                       by="María Quispe") == "added"
    for office, token in tokens.items():
        _sync(office, central_http.url, token)
    due = {o.office.office_code: o.expediente(clerk_of(o, counter=4), f.number).due_date
           for o, f in filed.items()}
    assert due == {"CUS": THU_25, "CAJ": WED_24}
    # Both hold the day; only Cusco counts it.
    assert [(d.day, d.counts) for d in cusco.non_working_days(SYSTEM, 2026)] == [
        (INTI_RAYMI, True)]
    assert [(d.day, d.counts) for d in cajamarca.non_working_days(SYSTEM, 2026)] == [
        (INTI_RAYMI, False)]

    # A correction of its name changes no date; a removal moves Cusco's deadline back.
    assert central.add_non_working_day(INTI_RAYMI, "Fiesta del Inti Raymi", "departamento",
                                       "08", by="María Quispe") == "corrected"
    central.remove_non_working_day(INTI_RAYMI, "departamento", "08", by="Jorge Huamán")
    for office, token in tokens.items():
        _sync(office, central_http.url, token)
    assert cusco.expediente(clerk_of(cusco, counter=5), filed[cusco].number).due_date == WED_24
    assert cusco.non_working_days(SYSTEM, 2026) == []

    # Audited each way: central's log says who there; the office's chain what reached it.
    log = [(r["action"], r["date"], r["by"], r["previous_name"]) for r in central.calendar_log()]
    assert log == [("added", INTI_RAYMI, "María Quispe", None),
                   ("corrected", INTI_RAYMI, "María Quispe", "Inti Raymi"),
                   ("removed", INTI_RAYMI, "Jorge Huamán", None)]
    assert [k for k in _kinds(cusco, "calendar") if k[0] != "non_working_day_set"
            or k[1] == "2026-06-24"] == [
        ("non_working_day_set", "2026-06-24", "Servidor central"),
        ("non_working_day_set", "2026-06-24", "Servidor central"),
        ("non_working_day_withdrawn", "2026-06-24", "Servidor central")]
    # The office's moves of its due date reach central as its own facts.
    _sync(cusco, central_http.url, tokens[cusco])
    events = REPLICAS["events"]
    with central.engine.connect() as connection:
        moved = connection.scalar(select(func.count()).select_from(events).where(
            events.c.stream_id == filed[cusco].id, events.c.kind == "due_date_moved"))
    assert moved == 2


def test_a_day_of_one_office_goes_to_that_office_only(
        central: CentralServer, central_http: RunningHub,
        make_office: Callable[..., OfficeHub]) -> None:
    cajamarca, celendin = make_office("CAJ", "CAC Cajamarca"), make_office("CEL", "CAC Celendín")
    tokens = {o: central.add_office(o.office.office_code, o.config.office_name)[1]
              for o in (cajamarca, celendin)}
    central.add_non_working_day(date(2026, 11, 23), "Aniversario de la provincia", "oficina",
                                "cel")
    for office, token in tokens.items():
        _sync(office, central_http.url, token)
    assert cajamarca.non_working_days(SYSTEM) == []
    [day] = celendin.non_working_days(SYSTEM)
    assert (day.scope, day.place, day.counts, day.own) == ("oficina", "CEL", True, True)


@pytest.mark.parametrize(("scope", "place", "refusal"), [
    ("departamento", "8", InvalidInput), ("regional", "", InvalidInput),
    ("oficina", "XYZ", NotFound)])
def test_central_refuses_a_day_without_its_place(central: CentralServer, scope: str,
                                                 place: str, refusal: type[Exception]) -> None:
    with pytest.raises(refusal):
        central.add_non_working_day(INTI_RAYMI, "Inti Raymi", scope, place)
    with pytest.raises(NotFound):
        central.remove_non_working_day(INTI_RAYMI, "departamento", "08")


def test_the_calendar_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    central = ["central", "holiday", "--database-url", database, "--date", "2026-06-24"]
    assert main([*central, "--name", "Inti Raymi", "--scope", "departamento", "--place", "08",
                 "--by", "María Quispe"]) == 0
    assert "cuenta solo en departamento 08" in capsys.readouterr().out
    assert main([*central, "--name", "Inti Raymi", "--scope", "departamento"]) == 2
    assert "2 dígitos" in capsys.readouterr().err
    assert main(["central", "holiday-remove", "--database-url", database, "--date",
                 "2026-06-24", "--scope", "departamento", "--place", "08"]) == 0
    capsys.readouterr()
    assert main(["central", "holidays", "--database-url", database, "--log"]) == 0
    out = capsys.readouterr().out
    assert "María Quispe agregó el 24/06/2026 (departamento 08): Inti Raymi" in out
    assert "Servidor central retiró el 24/06/2026" in out

    office = str(tmp_path / "caj")
    assert main(["init", "--data-dir", office, "--office", "CAJ", "--name", "CAC"]) == 0
    assert main(["calendar", "add", "--data-dir", office, "--date", "2026-12-31", "--name",
                 "Aniversario del distrito"]) == 0
    assert main(["calendar", "correct", "--data-dir", office, "--date", "2026-12-31",
                 "--new-date", "2026-12-30"]) == 0
    capsys.readouterr()
    assert main(["calendar", "list", "--data-dir", office, "--year", "2026"]) == 0
    assert ("30/12/2026  Aniversario del distrito  (oficina CAJ; cuenta en esta oficina)"
            in capsys.readouterr().out)
    assert main(["calendar", "remove", "--data-dir", office, "--date", "2026-12-31"]) == 2
    assert "no tiene un día no laborable propio el 31/12/2026" in capsys.readouterr().err
    assert main(["calendar", "remove", "--data-dir", office, "--date", "2026-12-30"]) == 0


def test_a_day_from_an_older_central_without_a_place_counts_everywhere(
        make_office: Callable[..., OfficeHub]) -> None:
    office = make_office()
    payload = {"id": "d1", "date": "2026-11-23", "name": "Día (central anterior)",
               "scope": "sector_publico"}
    item: dict[str, Any] = {"c": 1, "t": "non_working_days", "o": "upsert", "p": payload}
    # Sent again (under another id, as central re-adds a day): it replaces the first.
    again = {**item, "c": 2, "p": {**payload, "id": "d2", "name": "Día corregido"}}
    assert FeedApplier(office).apply([item, again]) == 2
    [day] = office.non_working_days(SYSTEM)
    assert (day.name, day.place, day.counts) == ("Día corregido", "", True)
    assert office.sync_status(SYSTEM).pull_problems == 0
