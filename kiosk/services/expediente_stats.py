"""Expedientes for the supervisor and the mayor: what came in, what was decided, what is late.

Flows are counted in the period by the office's local date of each fact: received (filing),
resolved (approval or denial: `decided_at`), cancelled (the «cancelled» event). The backlog
(pending, observed, overdue, silencio positivo) is the projection as of today, judged by the
same rules the counter shows (`kiosk.rules.expedientes.overdue`, `silencio_positivo`): a
projection holds the current state, not the state on a past date.

Working days to resolve run from the effective filing day (the filing's local date, or the next
working day when filed on a non-working day, as deadlines count) to the decision's local date,
by the office's calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.expedientes import (
    EVENT_TEXT,
    LAW,
    SILENCE,
    SILENCE_OPERATED,
    Status,
    overdue,
    silencio_positivo,
)
from kiosk.services.comision_tecnica import pending_reviews
from kiosk.services.expediente_views import ExemptionTotal
from kiosk.services.payments import exemption_totals
from kiosk.services.stats import check_period, of_offices
from kiosk.services.supervisor_views import ExpedienteGroup, ExpedienteStats, LegalOutcomeRow
from kiosk.storage.tables import Event, Expediente, Procedure

OPEN = (Status.RECIBIDO, Status.OBSERVADO, Status.EN_AREA)


@dataclass(frozen=True)
class _Row:
    id: str
    procedure: str  # code
    area: str
    status: str
    calificacion: str
    filed_at: datetime
    due_date: date
    decided_at: datetime | None


class Tally:
    """The counts behind one group's figures (central adds them up in SQL: sync/central/
    expedientes.py)."""

    def __init__(self) -> None:
        self.received = self.approved = self.denied = self.cancelled = 0
        self.on_time = 0
        self.days = self.resolved_days = 0  # working days to resolve: sum, and of how many
        self.pending = self.observed = self.overdue = self.silencio = 0

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    def group(self, key: str, label: str) -> ExpedienteGroup:
        resolved = self.approved + self.denied
        return ExpedienteGroup(
            key=key, label=label, received=self.received, resolved=resolved,
            approved=self.approved, denied=self.denied, cancelled=self.cancelled,
            resolved_on_time=self.on_time,
            on_time_pct=round(100 * self.on_time / resolved, 1) if resolved else None,
            mean_working_days=(round(self.days / self.resolved_days, 1)
                               if self.resolved_days else None),
            pending=self.pending, observed=self.observed, overdue=self.overdue,
            silencio_positivo=self.silencio)


def backlog(tally: Tally, status: Status, calificacion: str, due_date: date, today: date,
            count: int = 1) -> None:
    """`count` open expedientes of `status` due on `due_date`, judged as of `today`."""
    tally.pending += count
    tally.observed += count * (status is Status.OBSERVADO)
    tally.overdue += count * overdue(status, today, due_date, calificacion)
    tally.silencio += count * silencio_positivo(calificacion, status, today, due_date)


def stats_of(office: str, date_from: date, date_to: date, today: date, total: Tally,
             by_procedure: dict[str, Tally], by_area: dict[str, Tally],
             names: dict[str, str], exemptions: list[ExemptionTotal] | None = None,
             by_law: list[LegalOutcomeRow] | None = None) -> ExpedienteStats:
    return ExpedienteStats(
        office=office, date_from=date_from, date_to=date_to, as_of=today,
        overall=total.group("total", "Total"),
        by_procedure=[by_procedure[code].group(code, names.get(code, code))
                      for code in sorted(by_procedure)],
        by_area=[by_area[area].group(area, area) for area in sorted(by_area)],
        exemptions=exemptions or [], by_law=by_law or [])


class WorkingDayCounter:
    """Working days in (after, until] by cumulative counts over a span of dates: one calendar
    look-up per date, not per expediente and date."""

    def __init__(self, calendar: WorkingCalendar, first: date, last: date) -> None:
        self.calendar = calendar
        self.first = first
        self._cumulative = [0]
        day = first
        while day <= last:
            self._cumulative.append(self._cumulative[-1] + calendar.is_working_day(day))
            day += timedelta(days=1)

    def _upto(self, day: date) -> int:
        return self._cumulative[(day - self.first).days + 1]

    def between(self, after: date, until: date) -> int:
        return max(0, self._upto(until) - self._upto(after))


_COLUMNS = (Expediente.id, Procedure.code, Expediente.area, Expediente.status,
            Expediente.calificacion, Expediente.filed_at, Expediente.due_date,
            Expediente.decided_at)


def _rows(session: Session, *where: ColumnElement[bool], cancelled: bool = False
          ) -> list[_Row]:
    query = select(*_COLUMNS).join(Procedure, Procedure.id == Expediente.procedure_id)
    if cancelled:
        query = query.join(Event, Event.stream_id == Expediente.id)
    return [_Row(*row) for row in session.execute(query.where(*where))]


def expediente_stats(session: Session, office: str, tz: ZoneInfo, date_from: date,
                     date_to: date, today: date, calendar: WorkingCalendar,
                     office_ids: Iterable[str] | None = None) -> ExpedienteStats:
    check_period(date_from, date_to)  # also the years the calendar knows
    ids = None if office_ids is None else list(office_ids)
    start = datetime.combine(date_from, time(0), tzinfo=tz)
    end = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=tz)

    mine = of_offices(Expediente.office_id, ids)
    received = _rows(session, Expediente.filed_at >= start, Expediente.filed_at < end, *mine)
    resolved = _rows(session, Expediente.decided_at >= start, Expediente.decided_at < end,
                     *mine)
    cancelled = _rows(session, Event.kind == "cancelled", Event.stream == "expediente",
                      Event.occurred_at >= start, Event.occurred_at < end, *mine,
                      cancelled=True)
    open_rows = _rows(session, Expediente.status.in_(list(OPEN)), *mine)
    exempt = [(code, amount) for code, amount in session.execute(
        select(Expediente.exemption, Expediente.exempted).where(
            Expediente.filed_at >= start, Expediente.filed_at < end,
            Expediente.exemption.is_not(None), *mine))]
    names: dict[str, str] = {}
    for code, name in session.execute(
            select(Procedure.code, Procedure.name)
            .where(*of_offices(Procedure.office_id, ids)).order_by(Procedure.code)):
        names.setdefault(code, name)

    counter = None
    if resolved:
        first = min(calendar.local_date(r.filed_at) for r in resolved)
        last = max(calendar.local_date(r.decided_at) for r in resolved if r.decided_at)
        counter = WorkingDayCounter(calendar, min(first, last), max(first, last))

    total = Tally()
    by_procedure: dict[str, Tally] = {}
    by_area: dict[str, Tally] = {}

    def tallies(row: _Row) -> tuple[Tally, ...]:
        return (total, by_procedure.setdefault(row.procedure, Tally()),
                by_area.setdefault(row.area, Tally()))

    for row in received:
        for tally in tallies(row):
            tally.received += 1
    for row in resolved:
        assert row.decided_at is not None and counter is not None
        decided_on = calendar.local_date(row.decided_at)
        effective = calendar.filing_day(row.filed_at)
        days = counter.between(effective, decided_on) if effective <= decided_on else 0
        for tally in tallies(row):
            if row.status == Status.DENEGADO:
                tally.denied += 1
            else:  # approved (then maybe delivered, or cancelled later)
                tally.approved += 1
            tally.on_time += decided_on <= row.due_date
            tally.days += days
            tally.resolved_days += 1
    for row in cancelled:
        for tally in tallies(row):
            tally.cancelled += 1
    for row in open_rows:
        for tally in tallies(row):
            backlog(tally, Status(row.status), row.calificacion, row.due_date, today)
    stats = stats_of(office, date_from, date_to, today, total, by_procedure, by_area, names,
                     exemptions=exemption_totals(exempt), by_law=by_law(session, start, end, ids))
    return stats.model_copy(update={"reviews": pending_reviews(session, today, calendar, ids)})


# The outcomes the law decides that the supervisor follows: (event kind, the day it names).
LAW_OUTCOMES = {SILENCE_OPERATED: ("operated_on", SILENCE.article),
                "nullified": ("declared_on", LAW["nulidad_de_oficio"].article)}
CONSTANCIA = "constancia_silencio"


def by_law(session: Session, start: datetime, end: datetime, ids: list[str] | None
           ) -> list[LegalOutcomeRow]:
    """Silences recorded and nulidades declared in [start, end), with the constancias issued."""
    rows = session.execute(
        select(Event.stream_id, Event.kind, Event.data, Expediente.number, Procedure.name)
        .join(Expediente, Expediente.id == Event.stream_id)
        .join(Procedure, Procedure.id == Expediente.procedure_id)
        .where(Event.stream == "expediente", Event.kind.in_(list(LAW_OUTCOMES)),
               Event.occurred_at >= start, Event.occurred_at < end,
               *of_offices(Expediente.office_id, ids))
        .order_by(Event.occurred_at, Event.seq)).all()
    issued: dict[str, int] = {}
    for stream_id, data in session.execute(
            select(Event.stream_id, Event.data).where(
                Event.stream == "expediente", Event.kind == "document_issued",
                Event.stream_id.in_({row.stream_id for row in rows}))):
        if isinstance(data, dict) and data.get("document") == CONSTANCIA:
            issued[stream_id] = issued.get(stream_id, 0) + 1
    found = []
    for stream_id, kind, data, number, procedure in rows:
        field, article = LAW_OUTCOMES[kind]
        found.append(LegalOutcomeRow(
            number=number, procedure=procedure, outcome=kind, outcome_text=EVENT_TEXT[kind],
            on=date.fromisoformat(data[field]), article=str(data.get("article") or article),
            constancias=issued.get(stream_id, 0) if kind == SILENCE_OPERATED else 0,
            note=data.get("note")))
    return found
