"""Appeals against an expediente's decision: filed at the counter, decided by a supervisor
(kiosk/rules/appeals.py). Each step is an event of the expediente («appeal_filed»,
«appeal_decided»), written with its `appeals` row in one unit of work."""

from __future__ import annotations

from typing import Any

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules.appeals import (
    OUTCOME_TEXT,
    AppealOutcome,
    article_of,
    status_after,
)
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.expedientes import APPEAL_DECIDED, APPEAL_FILED, STATUS_TEXT, Status
from kiosk.rules.procedures import APPEAL_NAMES, AppealKind
from kiosk.services.appeal_reads import filing_now, nullity_event
from kiosk.services.expediente_views import AppealDecisionInput, AppealInput, ExpedienteView
from kiosk.services.expedientes import (
    Actor,
    expediente_view,
    find_expediente,
    link_ticket,
    record,
)
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import AppealRecord


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None


def file_appeal(uow: UnitOfWork, reference: str, appeal: AppealInput, actor: Actor,
                calendar: WorkingCalendar) -> ExpedienteView:
    """The citizen's recurso against the decision: refused when late (art. 218.2) or when the
    expediente admits no appeal of that kind now; its own due date to be decided."""
    expediente = find_expediente(uow.session, uow.office.office_id, reference)
    kind = AppealKind(appeal.kind)
    filed_on = calendar.filing_day(uow.now)
    filing, terms = filing_now(uow.session, expediente, kind, calendar, filed_on,
                               appeal.notified_on)
    note = _clean(appeal.note)
    ticket = link_ticket(uow, expediente, appeal.ticket_id)
    row = AppealRecord(
        id=new_id(), office_id=uow.office.office_id, expediente_id=expediente.id,
        kind=str(kind), against=filing.against, authority=terms.authority,
        notified_on=filing.notified_on, filed_at=uow.now, due_date=filing.due_date,
        filed_by=actor.user_id, note=note)
    uow.session.add(row)
    name = APPEAL_NAMES[kind]
    record(uow, expediente, APPEAL_FILED, actor, area=expediente.area, appeal_id=row.id,
           appeal_kind=str(kind), against=filing.against, authority=terms.authority,
           notified_on=filing.notified_on.isoformat(),
           filing_due=filing.filing_due.isoformat(), due_date=filing.due_date.isoformat(),
           article=article_of(kind), ticket=ticket,
           note=(f"Recurso de {name.lower()} contra {filing.against}; resuelve "
                 f"{terms.authority} hasta el {filing.due_date:%d/%m/%Y}."
                 + (f" {note}" if note else "")))
    return expediente_view(uow.session, expediente, uow.today, calendar)


def decide_appeal(uow: UnitOfWork, reference: str, appeal_id: str,
                  decision: AppealDecisionInput, actor: Actor, calendar: WorkingCalendar
                  ) -> ExpedienteView:
    """The appeal's outcome with its reason; fundado against a denial approves the expediente,
    against a nulidad de oficio gives back the approval it undid."""
    expediente = find_expediente(uow.session, uow.office.office_id, reference)
    row = uow.session.get(AppealRecord, appeal_id)
    if row is None or row.expediente_id != expediente.id:
        raise NotFound("unknown_appeal",
                       f"El expediente {expediente.number} no tiene ese recurso.")
    name = APPEAL_NAMES[AppealKind(row.kind)].lower()
    if row.outcome is not None:
        raise Conflict("appeal_decided",
                       f"El recurso de {name} del expediente {expediente.number} ya se "
                       f"resolvió ({OUTCOME_TEXT[AppealOutcome(row.outcome)].lower()}).")
    reason = _clean(decision.reason)
    if reason is None:
        raise InvalidInput("reason_required",
                           f"Para resolver el recurso de {name} escriba el motivo de la "
                           "decisión.")
    outcome = AppealOutcome(decision.outcome)
    status = Status(expediente.status)
    before = None
    if status is Status.NULO:
        previous = (nullity_event(uow.session, expediente) or {}).get("from_status")
        before = Status(str(previous)) if previous in (Status.APROBADO, Status.ENTREGADO) \
            else None
    target = status_after(outcome, status, before)
    resolution = _clean(decision.resolution)
    row.outcome, row.reason, row.resolution = str(outcome), reason, resolution
    row.decided_at, row.decided_by = uow.now, actor.user_id
    data: dict[str, Any] = {"appeal_id": row.id, "appeal_kind": row.kind,
                            "outcome": str(outcome), "resolution": resolution,
                            "decided_on": uow.today.isoformat(),
                            "article": article_of(AppealKind(row.kind))}
    if target is not status:
        data.update(from_status=str(status), to_status=str(target))
    effect = (f" El expediente queda «{STATUS_TEXT[target]}»." if target is not status else "")
    record(uow, expediente, APPEAL_DECIDED, actor, area=expediente.area,
           note=(f"Recurso de {name} {OUTCOME_TEXT[outcome].lower()}"
                 + (f" ({resolution})" if resolution else "") + f": {reason.rstrip('.')}.{effect}"),
           **data)
    return expediente_view(uow.session, expediente, uow.today, calendar)
