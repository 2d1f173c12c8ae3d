"""The rules of the recursos (TUO de la Ley 27444 arts. 218-220), dates counted by hand over
Holy Week 2027 (Thu 25 and Fri 26 Mar are national holidays; 1 May 2027 is a Saturday).

Decision notified Mon 15 Mar 2027; 15 working days to file: Tue 16 (1), Wed 17 (2), Thu 18
(3), Fri 19 (4), Mon 22 (5), Tue 23 (6), Wed 24 (7), [Thu 25, Fri 26], Mon 29 (8), Tue 30 (9),
Wed 31 (10), Thu 1 Apr (11), Fri 2 (12), Mon 5 (13), Tue 6 (14), Wed 7 Apr (15).
Filed Wed 7 Apr, 30 working days to decide: Thu 8 (1), Fri 9 (2), Mon 12 (3) … Fri 16 (7),
Mon 19 (8) … Fri 23 (12), Mon 26 (13) … Fri 30 (17), Mon 3 May (18) … Fri 7 (22), Mon 10
(23) … Fri 14 (27), Mon 17 (28), Tue 18 (29), Wed 19 May 2027 (30).
"""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.errors import Conflict, InvalidInput
from kiosk.rules.appeals import (
    AppealOutcome,
    Filing,
    PastAppeal,
    appeal_overdue,
    check_filing,
    status_after,
    terms_for,
)
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.expedientes import Status
from kiosk.rules.procedures import Appeal, AppealKind

CALENDAR = WorkingCalendar()
RECONSIDERACION, APELACION = AppealKind.RECONSIDERACION, AppealKind.APELACION
ROW = (Appeal(RECONSIDERACION, "Subgerencia de Licencias", 15, 30),
       Appeal(APELACION, "Gerencia de Desarrollo Económico", 15, 30))
DECIDED = date(2027, 3, 15)


def filing(kind: AppealKind = RECONSIDERACION, *, status: Status = Status.DENEGADO,
           past: tuple[PastAppeal, ...] = (), filed_on: date = date(2027, 4, 7),
           decided_on: date = DECIDED, notified_on: date | None = None) -> Filing:
    return check_filing(CALENDAR, number="CAJ-2027-000010", status=status, kind=kind,
                        terms=terms_for(kind, "Subgerencia de Licencias", ROW),
                        decided_on=decided_on, notified_on=notified_on, past=past,
                        filed_on=filed_on)


def refusal(code: str, error: type[Exception] = Conflict, **given: object) -> str:
    with pytest.raises(error) as caught:
        filing(**given)  # type: ignore[arg-type]
    assert caught.value.code == code  # type: ignore[attr-defined]
    return str(caught.value.message)  # type: ignore[attr-defined]


def test_the_tupa_row_gives_the_terms_and_the_law_fills_a_row_without_them() -> None:
    assert terms_for(APELACION, "Subgerencia de Licencias", ROW) == ROW[1]
    assert terms_for(RECONSIDERACION, "Jefatura de Registro Civil", ()) == Appeal(
        RECONSIDERACION, "Jefatura de Registro Civil", 15, 30)
    assert terms_for(APELACION, "Jefatura de Registro Civil", ()) == Appeal(
        APELACION, "El superior jerárquico de Jefatura de Registro Civil", 15, 30)
    assert terms_for(APELACION, None, ()).authority == (
        "El superior jerárquico de la autoridad que decidió")


def test_the_last_day_to_file_is_the_15th_working_day_after_holy_week() -> None:
    on_time = filing()
    assert (on_time.against, on_time.notified_on, on_time.filing_due, on_time.due_date) == (
        "la denegatoria", DECIDED, date(2027, 4, 7), date(2027, 5, 19))
    message = refusal("appeal_late", filed_on=date(2027, 4, 8))
    assert message == (
        "No se puede registrar el recurso de reconsideración del expediente CAJ-2027-000010: "
        "el plazo para interponerlo venció el 07/04/2027 (15 días hábiles desde la "
        "notificación del 15/03/2027, TUO de la Ley 27444 (DS 004-2019-JUS), art. 218.2). "
        "La decisión quedó firme (TUO de la Ley 27444 (DS 004-2019-JUS), art. 222).")
    # Notified on Wed 17 Mar, two working days later: the term ends two working days later.
    assert filing(filed_on=date(2027, 4, 9), notified_on=date(2027, 3, 17)).filing_due == date(
        2027, 4, 9)
    refusal("invalid_notification", InvalidInput, notified_on=date(2027, 3, 12))
    refusal("invalid_notification", InvalidInput, notified_on=date(2027, 4, 8))


def test_what_may_be_appealed_and_in_which_order() -> None:
    for status in (Status.RECIBIDO, Status.OBSERVADO, Status.EN_AREA, Status.ANULADO):
        refusal("not_appealable", status=status)
    assert filing(status=Status.ENTREGADO).against == "la aprobación"
    assert filing(APELACION, status=Status.NULO).against == "la nulidad de oficio"
    pending = PastAppeal(RECONSIDERACION, None, None)
    refusal("appeal_in_process", past=(pending,))
    infundado = PastAppeal(RECONSIDERACION, AppealOutcome.INFUNDADO, date(2027, 4, 20))
    # The apelación after a reconsideración counts from the reconsideración's decision.
    after = filing(APELACION, past=(infundado,), decided_on=date(2027, 4, 20),
                   filed_on=date(2027, 4, 21))
    assert (after.against, after.filing_due) == ("la resolución de la reconsideración",
                                                date(2027, 5, 11))
    refusal("reconsideration_done", past=(infundado,), decided_on=date(2027, 4, 20))
    fundado = PastAppeal(RECONSIDERACION, AppealOutcome.FUNDADO, date(2027, 4, 20))
    refusal("appeal_granted", kind=APELACION, status=Status.APROBADO, past=(fundado,),
            decided_on=date(2027, 4, 20))
    decided = PastAppeal(APELACION, AppealOutcome.INFUNDADO, date(2027, 4, 20))
    assert "agotó la vía administrativa (TUO de la Ley 27444, art. 228)" in refusal(
        "appeals_exhausted", kind=APELACION, past=(decided,), decided_on=date(2027, 4, 20))


@pytest.mark.parametrize(("outcome", "status", "before", "after"), [
    (AppealOutcome.FUNDADO, Status.DENEGADO, None, Status.APROBADO),
    (AppealOutcome.FUNDADO, Status.NULO, Status.ENTREGADO, Status.ENTREGADO),
    (AppealOutcome.FUNDADO, Status.NULO, None, Status.APROBADO),
    (AppealOutcome.FUNDADO, Status.APROBADO, None, Status.APROBADO),
    (AppealOutcome.INFUNDADO, Status.DENEGADO, None, Status.DENEGADO),
    (AppealOutcome.IMPROCEDENTE, Status.NULO, Status.APROBADO, Status.NULO),
])
def test_what_the_outcome_does_to_the_expediente(outcome: AppealOutcome, status: Status,
                                                 before: Status | None, after: Status) -> None:
    assert status_after(outcome, status, before) is after


def test_overdue_the_day_after_its_due_date_while_in_process() -> None:
    due = date(2027, 5, 19)
    assert not appeal_overdue(None, due, due)
    assert appeal_overdue(None, date(2027, 5, 20), due)
    assert not appeal_overdue(AppealOutcome.FUNDADO, date(2027, 5, 20), due)
