"""The Libro de Reclamaciones' rules, counted by hand: the answer's day in working days over
the national calendar (8, 9 and 25 Dec 2026 and 1 Jan 2027 are holidays), the yearly number,
the categories of DS 007-2020-PCM and what is not a reclamo."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kiosk.errors import InvalidInput
from kiosk.rules.calendar import LIMA, WorkingCalendar
from kiosk.rules.reclamos import (
    ANSWER_WORKING_DAYS,
    CATEGORY_TEXT,
    NOT_RECLAMOS,
    Category,
    ReclamoTerm,
    answer_due,
    is_overdue,
    parse_category,
    parse_delivery,
    reclamo_number,
)


def test_the_deadline_is_data_with_its_source_and_marked_unconfirmed() -> None:
    assert ANSWER_WORKING_DAYS.value == 30
    assert ANSWER_WORKING_DAYS.confirmed is False
    assert "DS 042-2011-PCM" in ANSWER_WORKING_DAYS.source
    assert "DS 007-2020-PCM" in ANSWER_WORKING_DAYS.source


def test_thirty_working_days_skip_weekends_and_the_holidays() -> None:
    # Fri 20 Nov 2026: Nov 23-27 (5), Nov 30-Dec 4 (10), Dec 7 (11), [8, 9], Dec 10-11 (13),
    # Dec 14-18 (18), Dec 21-24 (22), [25], Dec 28-31 (26), [1 Jan], Jan 4-7 (30).
    filed = datetime(2026, 11, 20, 8, 0, tzinfo=LIMA)
    assert answer_due(filed, WorkingCalendar()) == date(2027, 1, 7)
    # The office's own non-working day moves it on by one.
    office = WorkingCalendar({date(2026, 12, 31): "Aniversario"})
    assert answer_due(filed, office) == date(2027, 1, 8)
    # Another figure (once confirmed) is counted the same way.
    assert answer_due(filed, WorkingCalendar(), ReclamoTerm(5, "x", True)) == date(2026, 11, 27)


def test_a_naive_moment_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        answer_due(datetime(2026, 11, 20, 8, 0), WorkingCalendar())


def test_overdue_only_when_open_and_past_its_day() -> None:
    due = date(2027, 1, 7)
    assert not is_overdue(due, date(2027, 1, 7), answered=False)
    assert is_overdue(due, date(2027, 1, 8), answered=False)
    assert not is_overdue(due, date(2027, 1, 8), answered=True)


def test_the_number_is_the_office_the_book_the_year_and_six_digits() -> None:
    assert reclamo_number("CAJ", 2026, 7) == "CAJ-LR-2026-000007"


def test_the_categories_are_the_decree_s_and_bad_ones_are_refused_in_spanish() -> None:
    assert [c.value for c in Category] == [
        "trato_profesional", "informacion", "tiempo_atencion", "acceso", "resultado",
        "confianza", "otros"]
    assert set(CATEGORY_TEXT) == set(Category)
    assert parse_category("acceso") is Category.ACCESO
    with pytest.raises(InvalidInput, match="categoría"):
        parse_category("queja")
    with pytest.raises(InvalidInput, match="respuesta"):
        parse_delivery("paloma")


def test_quejas_denuncias_appeals_and_follow_up_go_elsewhere() -> None:
    said = " ".join(f"{e.what} {e.where}" for e in NOT_RECLAMOS).lower()
    for word in ("queja", "denuncia", "apelación", "expediente", "27444"):
        assert word in said
