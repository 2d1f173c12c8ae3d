"""Reading the appeals of an expediente (kiosk/rules/appeals.py): the terms its procedure
gives, the decision they are against, what the counter shows and what the supervisor follows.

Apart from kiosk/services/appeals.py (the writes) so that the expediente's view can show them
without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import CacError
from kiosk.rules.appeals import (
    APPEALABLE,
    OUTCOME_TEXT,
    AppealOutcome,
    Filing,
    PastAppeal,
    appeal_overdue,
    article_of,
    check_filing,
    terms_for,
)
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.expedientes import Status
from kiosk.rules.procedures import APPEAL_NAMES, Appeal, AppealKind
from kiosk.services.expediente_views import FiledAppealView
from kiosk.services.supervisor_views import AppealDueRow
from kiosk.storage.tables import AppealRecord, Event, Expediente, Procedure

NULLIFIED = "nullified"


def appeal_records(session: Session, expediente: Expediente) -> list[AppealRecord]:
    return list(session.scalars(
        select(AppealRecord).where(AppealRecord.expediente_id == expediente.id)
        .order_by(AppealRecord.filed_at, AppealRecord.id)))


def past_appeals(records: list[AppealRecord], calendar: WorkingCalendar) -> list[PastAppeal]:
    return [PastAppeal(AppealKind(r.kind), AppealOutcome(r.outcome) if r.outcome else None,
                       calendar.local_date(r.decided_at) if r.decided_at else None)
            for r in records]


def nullity_event(session: Session, expediente: Expediente) -> dict[str, object] | None:
    """The data of the expediente's last «nullified» event (None without one)."""
    data = session.scalar(
        select(Event.data).where(Event.stream == "expediente", Event.stream_id == expediente.id,
                                 Event.kind == NULLIFIED).order_by(Event.seq.desc()).limit(1))
    return data if isinstance(data, dict) else None


def decided_on(session: Session, expediente: Expediente, calendar: WorkingCalendar,
               past: list[PastAppeal]) -> date | None:
    """The day of the decision an appeal filed now is against: the reconsideración's when one
    was decided, else the nulidad's or the expediente's own decision."""
    if past and past[-1].decided_on is not None:
        return past[-1].decided_on
    if Status(expediente.status) is Status.NULO:
        data = nullity_event(session, expediente)
        if data is not None and isinstance(data.get("declared_on"), str):
            return date.fromisoformat(str(data["declared_on"]))
    if expediente.decided_at is not None:
        return calendar.local_date(expediente.decided_at)
    return None


def procedure_terms(session: Session, expediente: Expediente, kind: AppealKind) -> Appeal:
    procedure = session.get(Procedure, expediente.procedure_id)
    assert procedure is not None
    return terms_for(kind, procedure.authority,
                     [Appeal.from_json(row) for row in procedure.appeals or ()])


def filing_now(session: Session, expediente: Expediente, kind: AppealKind,
               calendar: WorkingCalendar, filed_on: date | None, notified_on: date | None,
               records: list[AppealRecord] | None = None) -> tuple[Filing, Appeal]:
    """What an appeal of `kind` filed on `filed_on` would be, or the refusal (CacError).
    `filed_on` None: on the day of the decision (what it admits, whatever the date)."""
    records = appeal_records(session, expediente) if records is None else records
    past = past_appeals(records, calendar)
    status = Status(expediente.status)
    decided = decided_on(session, expediente, calendar, past) if status in APPEALABLE else None
    day = filed_on or decided or calendar.local_date(expediente.updated_at)
    terms = procedure_terms(session, expediente, kind)
    filing = check_filing(calendar, number=expediente.number, status=status, kind=kind,
                          terms=terms, decided_on=decided or day, notified_on=notified_on,
                          past=past, filed_on=day)
    return filing, terms


@dataclass(frozen=True)
class Admitted:
    """The appeals the expediente admits now, and the last day to file them counted from the
    decision (a later notification, typed at the counter, gives later days)."""

    kinds: list[str]
    filing_due: date | None


def admitted(session: Session, expediente: Expediente, calendar: WorkingCalendar,
             records: list[AppealRecord]) -> Admitted:
    if Status(expediente.status) not in APPEALABLE:
        return Admitted([], None)
    kinds, due = [], None
    for kind in AppealKind:
        try:
            filing, _terms = filing_now(session, expediente, kind, calendar, None, None,
                                        records)
        except CacError:
            continue
        kinds.append(str(kind))
        due = filing.filing_due if due is None else min(due, filing.filing_due)
    return Admitted(kinds, due)


def appeal_view(record: AppealRecord, today: date) -> FiledAppealView:
    kind = AppealKind(record.kind)
    outcome = AppealOutcome(record.outcome) if record.outcome else None
    return FiledAppealView(
        id=record.id, kind=str(kind), kind_text=APPEAL_NAMES[kind], against=record.against,
        authority=record.authority, article=article_of(kind), notified_on=record.notified_on,
        filed_at=record.filed_at, due_date=record.due_date,
        overdue=appeal_overdue(outcome, today, record.due_date), note=record.note,
        outcome=str(outcome) if outcome else None,
        outcome_text=OUTCOME_TEXT[outcome] if outcome else None, reason=record.reason,
        resolution=record.resolution, decided_at=record.decided_at)


@dataclass(frozen=True)
class AppealsOfExpediente:
    views: list[FiledAppealView]
    admitted: Admitted


def appeals_of(session: Session, expediente: Expediente, today: date,
               calendar: WorkingCalendar | None) -> AppealsOfExpediente:
    """Its appeals and, with the office's calendar, those it admits."""
    records = appeal_records(session, expediente)
    return AppealsOfExpediente(
        [appeal_view(r, today) for r in records],
        admitted(session, expediente, calendar, records) if calendar else Admitted([], None))


def open_appeals(session: Session, office_id: str, today: date, calendar: WorkingCalendar
                 ) -> list[AppealDueRow]:
    """Recursos in process, the earliest due first, late ones marked (supervisor)."""
    rows = session.execute(
        select(AppealRecord, Expediente.number, Procedure.name)
        .join(Expediente, Expediente.id == AppealRecord.expediente_id)
        .join(Procedure, Procedure.id == Expediente.procedure_id)
        .where(AppealRecord.office_id == office_id, AppealRecord.outcome.is_(None))
        .order_by(AppealRecord.due_date, Expediente.number)).all()
    return [AppealDueRow(id=record.id, number=number, procedure=procedure,
                         kind_text=APPEAL_NAMES[AppealKind(record.kind)],
                         against=record.against, authority=record.authority,
                         filed_on=calendar.local_date(record.filed_at),
                         due_date=record.due_date,
                         overdue=appeal_overdue(None, today, record.due_date))
            for record, number, procedure in rows]
