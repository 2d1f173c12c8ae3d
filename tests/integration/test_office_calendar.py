"""The calendar of each office (issue 20): the office's own non-working days added, corrected
and removed by its admin (audited, open deadlines move either way), regional days that count
only where the office is (its ubigeo), and the filing cut-off. Through both clients.

Dates by hand: the demo office opens Fri 20 Nov 2026 08:00 (Lima); RC-01 (copia certificada
de partida) has a deadline of 1 working day, so a filing that Friday is due Mon 23 Nov."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import Conflict, Forbidden, InvalidInput, NotFound
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.calendar import LIMA
from kiosk.services import calendar_days
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.calendar_views import OfficeDayChange, OfficeDayInput
from kiosk.services.unit_of_work import OfficeContext
from kiosk.storage import migrate
from kiosk.storage.tables import Event
from tests.conftest import Connect
from tests.integration.test_expedientes import add_acta, partida

MON_23 = date(2026, 11, 23)
TUE_24 = date(2026, 11, 24)


def calendar_events(hub: OfficeHub, *kinds: str) -> list[dict[str, object]]:
    with hub.store.read_session() as session:
        return [{"kind": e.kind, **e.data} for e in session.scalars(
            select(Event).where(Event.kind.in_(kinds)).order_by(Event.seq))]


def test_an_office_day_added_by_mistake_is_corrected_and_removed_and_deadlines_move_back(
        hub: OfficeHub, connect: Connect) -> None:
    clerk, admin = connect("counter", counter=3), connect("admin")
    filed = clerk.file_expediente(partida(add_acta(hub)))
    assert filed.due_date == MON_23

    added = admin.add_office_day(OfficeDayInput(day=MON_23, name="Aniversario del distrito"))
    assert added.moved == [filed.number]
    assert added.entry is not None and (added.entry.scope, added.entry.place) == ("oficina",
                                                                                   "CAJ")
    assert added.entry.counts and added.entry.own
    assert clerk.expediente(filed.number).due_date == TUE_24  # 23 skipped: Tue 24

    # The anniversary is the 24th, not the 23rd: corrected, the due date moves back to 23.
    fixed = admin.correct_office_day(MON_23, OfficeDayChange(day=TUE_24))
    assert fixed.moved == [filed.number]
    assert clerk.expediente(filed.number).due_date == MON_23

    removed = admin.remove_office_day(TUE_24)
    assert (removed.entry, removed.moved) == (None, [])  # Mon 23 was due already
    assert [d.day for d in admin.non_working_days(2026)] == []

    # Each way an audited event: who, which day; and each move of the due date.
    trail = calendar_events(hub, "non_working_day_added", "non_working_day_corrected",
                            "non_working_day_removed")
    assert [(e["kind"], e["date"], e["who"]) for e in trail] == [
        ("non_working_day_added", "2026-11-23", "admin"),
        ("non_working_day_corrected", "2026-11-24", "admin"),
        ("non_working_day_removed", "2026-11-24", "admin"),
    ]
    assert trail[1]["previous_date"] == "2026-11-23"
    moves = calendar_events(hub, "due_date_moved")
    assert [(m["previous_due_date"], m["due_date"]) for m in moves] == [
        ("2026-11-23", "2026-11-24"), ("2026-11-24", "2026-11-23")]


def test_office_days_are_refused_clearly(hub: OfficeHub, connect: Connect) -> None:
    admin = connect("admin")
    admin.add_office_day(OfficeDayInput(day=MON_23, name="Aniversario del distrito"))
    with pytest.raises(Conflict, match="ya es un día no laborable"):
        admin.add_office_day(OfficeDayInput(day=MON_23, name="Otra vez"))
    with pytest.raises(NotFound, match="la central"):
        admin.remove_office_day(TUE_24)
    with pytest.raises(InvalidInput):
        admin.correct_office_day(MON_23, OfficeDayChange())
    with pytest.raises(Forbidden):
        connect("supervisor").add_office_day(OfficeDayInput(day=TUE_24, name="Feriado"))


def test_a_regional_day_counts_once_the_office_says_where_it_is(
        hub: OfficeHub, connect: Connect, tmp_path: Path) -> None:
    clerk, admin = connect("counter", counter=3), connect("admin")
    tupa = tmp_path / "dias.toml"
    tupa.write_text('[[non_working_days]]\ndate = 2026-11-23\nname = "Feriado regional '
                    '(prueba)"\nscope = "departamento"\nplace = "08"\n', encoding="utf-8")
    hub.import_catalogue(SYSTEM, tupa)
    filed = clerk.file_expediente(partida(add_acta(hub)))
    # No ubigeo: only the whole country's days count, so Mon 23 is a working day.
    assert filed.due_date == MON_23
    [day] = admin.non_working_days(2026)
    assert (day.scope, day.place, day.counts) == ("departamento", "08", False)

    admin.change_office_settings(OfficeSettingsChange.model_validate({"ubigeo": "080101"}))
    # In Cusco (department 08) the day counts: the open expediente moves to Tue 24.
    assert clerk.expediente(filed.number).due_date == TUE_24
    assert admin.non_working_days(2026)[0].counts
    admin.change_office_settings(OfficeSettingsChange.model_validate({"ubigeo": "060101"}))
    assert clerk.expediente(filed.number).due_date == MON_23  # Cajamarca: back to Mon 23
    with pytest.raises(InvalidInput, match="6 dígitos"):
        admin.change_office_settings(OfficeSettingsChange.model_validate({"ubigeo": "0601"}))


def test_a_filing_after_the_office_cut_off_counts_on_the_next_working_day(
        hub: OfficeHub, connect: Connect, clock: VirtualClock) -> None:
    clerk, admin = connect("counter", counter=3), connect("admin")
    acta = add_acta(hub)
    clock.set(datetime(2026, 11, 20, 17, 45, tzinfo=LIMA))  # Fri 17:45
    before = clerk.file_expediente(partida(acta))
    assert before.due_date == MON_23  # no cut-off (the default): counts on Friday

    admin.change_office_settings(OfficeSettingsChange.model_validate(
        {"filing_cutoff": "17:00"}))
    clock.advance(timedelta(minutes=1))
    after = clerk.file_expediente(partida(acta))
    # Filed after 17:00: counts as made on Mon 23, day 1 is Tue 24.
    assert after.due_date == TUE_24
    # The cut-off applies to new filings only: the earlier one keeps Mon 23.
    assert clerk.expediente(before.number).due_date == MON_23
    with pytest.raises(InvalidInput, match="HH:MM"):
        admin.change_office_settings(OfficeSettingsChange.model_validate(
            {"filing_cutoff": "5 pm"}))


def test_days_stored_before_keep_counting_after_the_upgrade(data_dir: DataDir) -> None:
    """A store at 0017 held a «regional» day without a place: it counted for the office, and
    after migration 0018 it still does (no due date moves by an upgrade)."""
    data_dir.create()
    engine = create_engine(f"sqlite:///{data_dir.database}")
    with engine.begin() as connection:
        config = migrate._alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0017")
        connection.execute(text(
            "INSERT INTO non_working_days (id, date, name, scope) VALUES "
            "('d1', '2026-11-23', 'Feriado regional', 'regional')"))
        command.upgrade(config, "0018")
        row = connection.execute(text(
            "SELECT date, scope, place FROM non_working_days")).one()
    engine.dispose()
    assert tuple(row) == ("2026-11-23", "regional", "")
    with Session(create_engine(f"sqlite:///{data_dir.database}")) as session:
        office = OfficeContext("o1", "CAJ", LIMA, 6.0, 15, ubigeo="060101")
        calendar = calendar_days.office_calendar(session, office)
    assert not calendar.is_working_day(MON_23)
