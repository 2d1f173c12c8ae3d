"""The Comisión Técnica's review of edificación C and D (kiosk/rules/comision_tecnica.py):
its due date on the working calendar, counted by hand, and the dictamen before approval."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kiosk.errors import Conflict, InvalidInput
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.comision_tecnica import (
    REVIEW_TERMS,
    review_due,
    review_overdue,
    review_required,
)
from kiosk.rules.expedientes import (
    Action,
    ExpedienteState,
    Status,
    allowed_actions,
    check_action,
)
from kiosk.rules.procedures import Category

CALENDAR = WorkingCalendar()  # national holidays only


def state(dictamen: str | None = None, required: bool = True,
          status: Status = Status.EN_AREA) -> ExpedienteState:
    return ExpedienteState(status=status, category=Category.LICENCIA_EDIFICACION, variant="C",
                           itse_done=False, balance=Decimal(0), observation_due=None,
                           today=date(2026, 12, 1), review_required=required,
                           dictamen=dictamen)


def test_the_terms_are_data_with_their_source_and_unconfirmed() -> None:
    assert {m: (t.working_days, t.confirmed) for m, t in REVIEW_TERMS.items()} == {
        "C": (15, False), "D": (20, False)}
    assert all("DS 029-2019-VIVIENDA" in t.source for t in REVIEW_TERMS.values())


@pytest.mark.parametrize(("filed", "modalidad", "stopped", "due"), [
    # Fri 20 Nov 2026, 15 working days: 23-27 Nov (5), 30 Nov-4 Dec (10), 7 Dec (11),
    # 8-9 Dec holidays, 10-11 Dec (13), 14-15 Dec (15).
    (date(2026, 11, 20), "C", 0, date(2026, 12, 15)),
    # 20 working days: then 16-18 Dec (18), 21-22 Dec (20).
    (date(2026, 11, 20), "D", 0, date(2026, 12, 22)),
    # Two days stopped by an observation: Wed 23 (21), Thu 24 Dec (22).
    (date(2026, 11, 20), "D", 2, date(2026, 12, 24)),
    # Filed Sat 12 Dec: counts from Mon 14; 15 days are 15-18 (4), 21-24 (8), 25 Dec holiday,
    # 28-31 Dec (12), 1 Jan holiday, 4-6 Jan 2027 (15).
    (date(2026, 12, 12), "C", 0, date(2027, 1, 6)),
])
def test_the_review_due_date(filed: date, modalidad: str, stopped: int, due: date) -> None:
    assert review_due(CALENDAR, filed, modalidad, stopped) == due


def test_overdue_only_without_any_dictamen() -> None:
    due = date(2026, 12, 15)
    assert review_overdue(due, date(2026, 12, 15), None) is False  # its last day
    assert review_overdue(due, date(2026, 12, 16), None) is True
    # After a «no conforme» the corrected project is the citizen's to bring.
    assert review_overdue(due, date(2026, 12, 16), "no_conforme") is False
    assert review_overdue(due, date(2026, 12, 16), "conforme") is False


def test_who_reviews() -> None:
    assert review_required("licencia_edificacion", "C", None)
    assert review_required("licencia_edificacion", "D", "comision_tecnica")
    assert not review_required("licencia_edificacion", "D", "revisores_urbanos")
    assert not review_required("licencia_edificacion", "B", None)
    assert not review_required("licencia_funcionamiento", "C", None)


def test_no_approval_before_a_favourable_dictamen() -> None:
    assert "review" in allowed_actions(state())
    assert "approve" not in allowed_actions(state())
    with pytest.raises(Conflict) as refused:
        check_action(state(), Action.APPROVE, "CAJ-2026-000001")
    assert "Comisión Técnica" in refused.value.message
    assert "approve" not in allowed_actions(state("no_conforme"))
    assert "review" in allowed_actions(state("no_conforme"))
    for favourable in ("conforme", "conforme_con_observaciones"):
        assert check_action(state(favourable), Action.APPROVE, "X") is Status.APROBADO
        assert "review" not in allowed_actions(state(favourable))
    assert "approve" in allowed_actions(state(required=False))
    assert "review" not in allowed_actions(state(required=False))


def test_a_dictamen_keeps_the_status_and_needs_its_observations() -> None:
    assert check_action(state(), Action.REVIEW, "X", dictamen="conforme") is Status.EN_AREA
    with pytest.raises(InvalidInput) as missing:
        check_action(state(), Action.REVIEW, "X")
    assert missing.value.code == "dictamen_required"
    with pytest.raises(InvalidInput) as note:
        check_action(state(), Action.REVIEW, "X", dictamen="conforme_con_observaciones")
    assert note.value.code == "note_required"
    assert check_action(state(), Action.REVIEW, "X", dictamen="no_conforme",
                        note="Corregir la escalera") is Status.EN_AREA
    with pytest.raises(Conflict):  # not while observado
        check_action(state(status=Status.OBSERVADO), Action.REVIEW, "X", dictamen="conforme")
