"""Where a non-working day counts (its scope and place) and the office's filing cut-off
(issue 20), with due dates counted by hand.

June 2026: Mon 22, Tue 23, Wed 24 (Inti Raymi, Cusco's regional holiday), Thu 25, Fri 26,
Sat 27, Sun 28, Mon 29 (San Pedro y San Pablo, national), Tue 30, Wed 1 Jul."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from kiosk.errors import InvalidInput
from kiosk.rules.calendar import (
    LIMA,
    DayScope,
    OfficePlace,
    WorkingCalendar,
    applies,
    check_scope,
    parse_cutoff,
)

CUSCO = OfficePlace("CUS", "080101")  # Cusco, Cusco, Cusco
CAJAMARCA = OfficePlace("CAJ", "060101")  # Cajamarca, Cajamarca, Cajamarca
INTI_RAYMI = (date(2026, 6, 24), "Inti Raymi", DayScope.DEPARTAMENTO, "08")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LIMA)


def calendar_of(office: OfficePlace, days: list[tuple[date, str, DayScope, str]],
                cutoff: time | None = None) -> WorkingCalendar:
    """The office's calendar as the hub makes it: the days whose scope takes it in."""
    return WorkingCalendar({day: name for day, name, scope, place in days
                            if applies(scope, place, office)}, LIMA, cutoff)


def test_inti_raymi_counts_in_cusco_and_not_in_cajamarca() -> None:
    filed = at("2026-06-22T09:00")
    # Cajamarca: 23 (1), 24 (2), 25 (3), 26 (4), 29 national holiday, 30 (5).
    assert calendar_of(CAJAMARCA, [INTI_RAYMI]).add_working_days(filed, 5) == date(2026, 6, 30)
    # Cusco: 23 (1), 24 Inti Raymi, 25 (2), 26 (3), 29 holiday, 30 (4), 1 Jul (5).
    assert calendar_of(CUSCO, [INTI_RAYMI]).add_working_days(filed, 5) == date(2026, 7, 1)


@pytest.mark.parametrize(("scope", "place", "cusco", "cajamarca"), [
    (DayScope.NACIONAL, "", True, True),
    (DayScope.SECTOR_PUBLICO, "", True, True),
    (DayScope.DEPARTAMENTO, "08", True, False),
    (DayScope.PROVINCIA, "0801", True, False),
    (DayScope.PROVINCIA, "0802", False, False),  # Acomayo: another province of Cusco
    (DayScope.DISTRITO, "080101", True, False),
    (DayScope.DISTRITO, "060101", False, True),
    (DayScope.OFICINA, "CAJ", False, True),
    # Stored before days had a place: they counted everywhere and still do.
    (DayScope.REGIONAL, "", True, True),
])
def test_each_scope_counts_only_where_it_reaches(scope: DayScope, place: str, cusco: bool,
                                                 cajamarca: bool) -> None:
    assert (applies(scope, place, CUSCO), applies(scope, place, CAJAMARCA)) == (cusco, cajamarca)


def test_an_office_without_ubigeo_counts_only_the_whole_countrys_days() -> None:
    unknown = OfficePlace("CAJ")
    assert not applies(DayScope.DEPARTAMENTO, "06", unknown)
    assert applies(DayScope.SECTOR_PUBLICO, "", unknown)
    assert applies(DayScope.OFICINA, "CAJ", unknown)
    # Central's own view (no office): the whole country's days only.
    assert not applies(DayScope.OFICINA, "CAJ", None)


@pytest.mark.parametrize(("scope", "place", "fragment"), [
    ("departamento", "8", "2 dígitos"),
    ("provincia", "08", "4 dígitos"),
    ("distrito", "0801", "6 dígitos"),
    ("nacional", "08", "no lleva «place»"),
    ("oficina", "", "código"),
    ("regional", "", "Valor no permitido"),  # no new day without a place
    ("mundial", "", "Valor no permitido"),
])
def test_a_scope_needs_its_place(scope: str, place: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_scope(scope, place)
    assert fragment in caught.value.message


def test_check_scope_normalises_the_place() -> None:
    assert check_scope("oficina", " caj ") == (DayScope.OFICINA, "CAJ")
    assert check_scope("provincia", "0801") == (DayScope.PROVINCIA, "0801")


def test_a_filing_after_the_cut_off_counts_on_the_next_working_day() -> None:
    # Mon 16 Nov 2026, 1 working day. Without a cut-off: Tue 17. With 17:00, a filing at
    # 17:45 counts as made on Tue 17, so day 1 is Wed 18; at 16:59 it still counts on Mon.
    closing = parse_cutoff("17:00")
    assert closing == time(17, 0)
    assert WorkingCalendar().add_working_days(at("2026-11-16T17:45"), 1) == date(2026, 11, 17)
    office = WorkingCalendar(cutoff=closing)
    assert office.add_working_days(at("2026-11-16T17:45"), 1) == date(2026, 11, 18)
    assert office.add_working_days(at("2026-11-16T16:59"), 1) == date(2026, 11, 17)
    assert office.filing_day(at("2026-11-16T17:45")) == date(2026, 11, 17)
    # Fri 4 Dec at 18:00: Sat and Sun, then Mon 7 is the filing day; 8-9 Dec are holidays,
    # so day 1 is Thu 10 Dec.
    assert office.add_working_days(at("2026-12-04T18:00"), 1) == date(2026, 12, 10)
    # The cut-off is the office's local time: 22:45 UTC is 17:45 in Lima.
    utc = datetime.fromisoformat("2026-11-16T22:45+00:00")
    assert office.add_working_days(utc, 1) == date(2026, 11, 18)


@pytest.mark.parametrize("text", ["5pm", "24:00", "17:60", "17"])
def test_a_cut_off_is_a_time_of_day(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_cutoff(text)
    assert parse_cutoff("") is None
