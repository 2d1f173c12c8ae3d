"""The Comisión Técnica's review of licencias de edificación C and D, as the supervisor
follows it: the files still without a favourable dictamen, each with its due date (the rules
are kiosk/rules/comision_tecnica.py; the dictamen is the expediente's «reviewed» event,
recorded by the counter's transition)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.comision_tecnica import (
    DICTAMEN_TEXT,
    FAVOURABLE,
    REVIEW_TERMS,
    Dictamen,
    review_due,
    review_overdue,
    review_required,
)
from kiosk.rules.expedientes import RUNNING, Status
from kiosk.rules.procedures import Category
from kiosk.services.expedientes import dictamen_of
from kiosk.services.stats import of_offices
from kiosk.services.supervisor_views import ReviewRow
from kiosk.storage.tables import Expediente, Procedure


def pending_reviews(session: Session, today: date, calendar: WorkingCalendar,
                    office_ids: Iterable[str] | None = None) -> list[ReviewRow]:
    """Edificación C/D in evaluation (or observed) without a favourable dictamen, of the
    offices given (None: every office in the store, the hub's one): overdue first, then by
    due date. Numbers and procedures only, no names."""
    rows = session.execute(
        select(Expediente, Procedure.variant, Procedure.name)
        .join(Procedure, Procedure.id == Expediente.procedure_id)
        .where(*of_offices(Expediente.office_id, office_ids),
               Expediente.category == Category.LICENCIA_EDIFICACION.value,
               Procedure.variant.in_(list(REVIEW_TERMS)),
               Expediente.status.in_([*RUNNING, Status.OBSERVADO])))
    found = []
    for expediente, variant, name in rows:
        if not review_required(expediente.category, variant,
                               expediente.details.get("evaluacion")):
            continue
        dictamen = dictamen_of(session, expediente)
        if dictamen in FAVOURABLE:
            continue
        due = review_due(calendar, expediente.filed_at, str(variant),
                         expediente.stopped_working_days)
        found.append(ReviewRow(
            number=expediente.number, procedure=name, modalidad=str(variant),
            filed_on=calendar.local_date(expediente.filed_at), review_due=due,
            overdue=(Status(expediente.status) in RUNNING
                     and review_overdue(due, today, dictamen)),
            dictamen=dictamen,
            dictamen_text=DICTAMEN_TEXT[Dictamen(dictamen)] if dictamen else None))
    found.sort(key=lambda r: (not r.overdue, r.review_due, r.number))
    return found
