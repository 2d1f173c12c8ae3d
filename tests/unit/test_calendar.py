"""The working-day calendar, with deadlines computed by hand across Peru's holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import InvalidInput
from kiosk.rules import calendar
from kiosk.rules.calendar import (
    LIMA,
    NATIONAL,
    WorkingCalendar,
    add_working_days,
    due_date,
    easter_sunday,
    is_working_day,
    national_holidays,
)


def at(day: str, hhmm: str = "09:00") -> datetime:
    """A filing moment in Lima."""
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=LIMA)


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_easter_matches_known_dates() -> None:
    known = {2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05",
             2027: "2027-03-28", 2038: "2038-04-25"}
    assert {year: easter_sunday(year).isoformat() for year in known} == known


def test_the_national_holidays_of_2026() -> None:
    weekday_or_not = {day.isoformat() for day in national_holidays(2026)}
    expected = {
        "2026-01-01", "2026-04-02", "2026-04-03", "2026-05-01", "2026-06-07", "2026-06-29",
        "2026-07-23", "2026-07-28", "2026-07-29", "2026-08-06", "2026-08-30", "2026-10-08",
        "2026-11-01", "2026-12-08", "2026-12-09", "2026-12-25",
    }
    # The package also lists Easter Sunday: a Sunday, so it never changes a deadline.
    assert weekday_or_not - {"2026-04-05"} == expected
    assert national_holidays(2026)[d("2026-04-02")] == "Jueves Santo"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-04-01", True),  # Wednesday of Holy Week
        ("2026-04-02", False),  # Holy Thursday
        ("2026-04-03", False),  # Good Friday
        ("2026-04-06", True),
        ("2023-06-07", True),  # 7 Jun is a holiday from 2024 (Ley 31788)
        ("2024-06-07", False),
        ("2024-07-23", False),  # Ley 31822 applied in 2024 already
        ("2021-08-06", True),  # 6 Aug and 9 Dec from 2022
        ("2022-08-06", False),  # (a Saturday, but a holiday too)
        ("2021-12-09", True),
        ("2022-12-09", False),
        ("2026-11-21", False),  # Saturday
        ("2026-11-22", False),  # Sunday
        ("2026-11-23", True),
    ],
)
def test_working_days(day: str, working: bool) -> None:
    assert is_working_day(d(day)) is working


@pytest.mark.parametrize(
    ("filed", "days", "due"),
    [
        # Holy Week 2026: Holy Thursday 2 Apr, Good Friday 3 Apr.
        (at("2026-04-01"), 0, "2026-04-01"),
        (at("2026-04-01"), 1, "2026-04-06"),
        (at("2026-04-01"), 2, "2026-04-07"),
        (at("2026-03-31"), 2, "2026-04-06"),
        (at("2026-03-30"), 5, "2026-04-08"),
        (at("2026-04-02"), 0, "2026-04-06"),  # filed on a holiday: counts as filed on Monday
        (at("2026-04-02"), 1, "2026-04-07"),
        (at("2026-04-04"), 1, "2026-04-07"),  # filed on Saturday
        # 23, 28 and 29 July 2026 (Thursday, Tuesday, Wednesday).
        (at("2026-07-22"), 1, "2026-07-24"),
        (at("2026-07-22"), 3, "2026-07-30"),
        (at("2026-07-27"), 1, "2026-07-30"),
        (at("2026-07-27"), 3, "2026-08-03"),
        (at("2024-07-22"), 1, "2024-07-24"),
        # 8 and 9 December 2026 (Tuesday, Wednesday).
        (at("2026-12-07"), 1, "2026-12-10"),
        (at("2026-12-04"), 2, "2026-12-10"),
        # Year end: 25 Dec 2026 and 1 Jan 2027 are Fridays.
        (at("2026-12-24"), 1, "2026-12-28"),
        (at("2026-12-24"), 5, "2027-01-04"),
        (at("2026-12-31"), 1, "2027-01-04"),
        # The local date decides, not the UTC one.
        (at("2026-04-01", "23:30"), 1, "2026-04-06"),
        (datetime(2026, 4, 1, 4, 30, tzinfo=UTC), 1, "2026-04-01"),  # 31 Mar 23:30 in Lima
    ],
)
def test_deadlines_computed_by_hand(filed: datetime, days: int, due: str) -> None:
    assert add_working_days(filed, days) == d(due)
    assert due_date(filed, days, NATIONAL) == d(due)


def test_extra_non_working_days_are_skipped() -> None:
    office = WorkingCalendar({d("2026-12-24"): "Día no laborable (sector público)",
                              d("2026-12-31"): "Día no laborable (sector público)"})
    assert not office.is_working_day(d("2026-12-24"))
    assert office.non_working_reason(d("2026-12-31")) == "Día no laborable (sector público)"
    assert office.add_working_days(at("2026-12-23"), 1) == d("2026-12-28")
    assert office.add_working_days(at("2026-12-23"), 4) == d("2027-01-04")
    assert office.add_working_days(at("2026-12-24"), 0) == d("2026-12-28")
    assert NATIONAL.add_working_days(at("2026-12-23"), 1) == d("2026-12-24")
    # A plain list of dates works too.
    assert WorkingCalendar([d("2026-11-23")]).add_working_days(at("2026-11-20"), 1) == d(
        "2026-11-24")


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(InvalidInput):
        add_working_days(at("2026-04-01"), -1)
    with pytest.raises(InvalidInput):
        add_working_days(d("1800-01-01"), 1)
    with pytest.raises(ValueError):
        due_date(datetime(2026, 4, 1, 9, 0), 1, NATIONAL)  # naive: which day is it?


def test_an_old_holidays_package_is_corrected(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of `holidays` without 7 Jun and 23 Jul, and with 6 Aug a year early."""
    real = calendar.package_holidays

    def old_package(year: int) -> dict[date, str]:
        found = {day: name for day, name in real(year).items()
                 if (day.month, day.day) not in ((6, 7), (7, 23))}
        found[date(year, 8, 6)] = "Batalla de Junín"
        return found

    monkeypatch.setattr(calendar, "package_holidays", old_package)
    calendar.national_holidays.cache_clear()
    try:
        added, removed = calendar.holiday_corrections(2026)
        assert removed == {}
        assert set(added) == {d("2026-06-07"), d("2026-07-23")}
        assert calendar.holiday_corrections(2021)[1] == {d("2021-08-06"): "Batalla de Junín"}
        assert not is_working_day(d("2026-07-23"))
        assert not is_working_day(d("2024-06-07"))
        assert is_working_day(d("2021-08-06"))  # a Friday before Ley 31530 applied
    finally:
        calendar.national_holidays.cache_clear()


def test_the_installed_package_needs_no_correction_today() -> None:
    """If this fails, the installed `holidays` disagrees with our table: check which is right."""
    for year in range(2020, 2031):
        assert calendar.holiday_corrections(year) == ({}, {}), year


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
extra_days = st.sets(dates, max_size=20)


@given(start=dates, days=st.integers(min_value=0, max_value=60), extra=extra_days)
def test_the_due_date_is_a_working_day_and_counts_exactly_n(start: date, days: int,
                                                           extra: set[date]) -> None:
    office = WorkingCalendar(extra)
    due = office.add_working_days(start, days)
    assert office.is_working_day(due)
    assert due >= start
    effective = office.next_working_day(start)
    assert office.working_days_between(effective, due) == days


@given(start=dates, days=st.integers(min_value=0, max_value=60), extra=extra_days)
def test_the_due_date_grows_with_the_deadline(start: date, days: int, extra: set[date]) -> None:
    office = WorkingCalendar(extra)
    assert office.add_working_days(start, days + 1) > office.add_working_days(start, days)


@given(start=dates, days=st.integers(min_value=0, max_value=30))
def test_a_later_filing_never_has_an_earlier_due_date(start: date, days: int) -> None:
    later = start + timedelta(days=1)
    assert add_working_days(later, days) >= add_working_days(start, days)
