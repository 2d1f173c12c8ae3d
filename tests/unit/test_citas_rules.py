"""Citas rules (kiosk/rules/citas.py): slots per day, the walk-in share, holidays, arrivals.
Every expected slot list below is worked out by hand in the comment above it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from kiosk.errors import InvalidInput
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.citas import (
    CitaPlan,
    bookable_places,
    callable_from,
    check_booking_day,
    check_plan,
    day_slots,
    new_code,
    normalise_code,
    on_time,
    reminder_text,
    slot_starts,
)

CALENDAR = WorkingCalendar()


def test_slots_cut_the_hours_and_the_last_ends_by_closing() -> None:
    # 08:30-10:00 in 20-minute slots: 08:30, 08:50, 09:10, 09:30; 09:50 would end at 10:10.
    assert slot_starts(time(8, 30), time(10, 0), 20) == [
        time(8, 30), time(8, 50), time(9, 10), time(9, 30)]


def test_the_walk_in_share_spreads_the_booked_places_over_the_day() -> None:
    # 8 slots x 1 counter = 8 places; 50 % for walk-ins leaves B = 4, spread
    # floor((i+1)*4/8) - floor(i*4/8): 0,1,0,1,0,1,0,1.
    assert bookable_places(8, 1, 50) == [0, 1, 0, 1, 0, 1, 0, 1]
    # 4 slots x 2 counters = 8; 25 % kept: B = 6 -> floor((i+1)*6/4)-floor(i*6/4): 1,2,1,2.
    assert bookable_places(4, 2, 25) == [1, 2, 1, 2]
    # 3 slots x 1 counter, 10 %: 3*90//100 = 2 -> 0,1,1 (the walk-in share rounds up).
    assert bookable_places(3, 1, 10) == [0, 1, 1]
    assert bookable_places(5, 0, 0) == [0] * 5  # no counter serves it
    assert bookable_places(4, 3, 100) == [0] * 4  # all for walk-ins


def test_a_day_of_slots_leaves_out_the_slots_kept_for_walk_ins() -> None:
    # Thursday 10 Dec 2026, 08:00-10:00 in 30-minute slots: 08:00, 08:30, 09:00, 09:30; one
    # counter, half for walk-ins: B = 2 -> places 0,1,0,1: 08:30 and 09:30.
    slots = day_slots(date(2026, 12, 10), CitaPlan(30, 50), time(8), time(10), 1, CALENDAR)
    assert [(s.start, s.places) for s in slots] == [(time(8, 30), 1), (time(9, 30), 1)]


def test_no_slots_on_a_holiday_a_weekend_or_an_office_day_off() -> None:
    plan = CitaPlan(30, 0)
    # 8 Dec (Inmaculada Concepción), a Tuesday in 2026; 12 Dec is a Saturday.
    assert day_slots(date(2026, 12, 8), plan, time(8), time(10), 2, CALENDAR) == []
    assert day_slots(date(2026, 12, 12), plan, time(8), time(10), 2, CALENDAR) == []
    office = WorkingCalendar({date(2026, 12, 10): "Aniversario de la oficina"})
    assert day_slots(date(2026, 12, 10), plan, time(8), time(10), 2, office) == []
    # The working day after: 4 slots of 2 places each.
    assert [s.places for s in day_slots(date(2026, 12, 11), plan, time(8), time(10), 2,
                                        office)] == [2, 2, 2, 2]


@pytest.mark.parametrize(("minutes", "share"), [(0, 10), (241, 10), (30, -1), (30, 101),
                                                (True, 10), ("30", 10)])
def test_a_wrong_plan_is_refused_in_spanish(minutes: object, share: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_plan(minutes, share)
    assert caught.value.code == "invalid_cita_plan"


def test_booking_days() -> None:
    today = date(2026, 12, 10)
    assert check_booking_day(today, today, same_day=True) == today
    with pytest.raises(InvalidInput, match="desde mañana"):
        check_booking_day(today, today, same_day=False)
    with pytest.raises(InvalidInput):
        check_booking_day(today - timedelta(days=1), today, same_day=True)
    with pytest.raises(InvalidInput, match="60 días"):
        check_booking_day(today + timedelta(days=61), today, same_day=True)


def test_codes_read_back_whatever_the_typing() -> None:
    code = new_code()
    assert normalise_code(code) == code
    assert normalise_code(code.lower().replace("-", " ")) == code
    assert normalise_code(code[2:]) == code
    assert normalise_code("12345678") is None  # a DNI: no 1 in the alphabet, 8 characters
    assert normalise_code("C-OOOOOO") is None


def test_arrival_on_time_within_the_window_and_called_from_its_start_minus_it() -> None:
    start = datetime(2026, 12, 10, 9, 30, tzinfo=UTC)
    window = timedelta(minutes=10)
    assert on_time(start + window, start, window)
    assert not on_time(start + window + timedelta(seconds=1), start, window)
    assert callable_from(start, window) == datetime(2026, 12, 10, 9, 20, tzinfo=UTC)


def test_the_reminder_says_no_personal_data_and_fits_an_sms() -> None:
    text = reminder_text("CAC Cajamarca", "Licencias", datetime(2026, 12, 11, 9, 30), "C-7K3M9P")
    assert text == ("CAC Cajamarca: su cita de Licencias es mañana 11/12 a las 09:30. "
                    "Código C-7K3M9P.")
    assert len(text) <= 160
