"""Waiting-time statistics for a period. The API, the CLI and the reports all call this."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from statistics import fmean
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import InvalidInput
from kiosk.rules.queue import TicketStatus, percentile
from kiosk.services.views import Metrics, StatsReport
from kiosk.storage.tables import Service, Ticket

MAX_PERIOD_DAYS = 366 * 5


@dataclass(frozen=True)
class TicketFacts:
    number: str
    business_date: date
    service: str
    sla_minutes: int
    preferential: str | None
    status: str
    counter: int | None
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    outcome: str | None

    @property
    def wait_s(self) -> float | None:
        return None if self.called_at is None else (self.called_at - self.issued_at).total_seconds()

    @property
    def service_s(self) -> float | None:
        if self.status != TicketStatus.FINISHED or not (self.started_at and self.finished_at):
            return None
        return (self.finished_at - self.started_at).total_seconds()


def check_period(date_from: date, date_to: date) -> None:
    if date_to < date_from:
        raise InvalidInput("invalid_period", "La fecha final es anterior a la inicial.")
    if (date_to - date_from).days > MAX_PERIOD_DAYS:
        raise InvalidInput("invalid_period", "El periodo no puede pasar de cinco años.")


def ticket_facts(session: Session, date_from: date, date_to: date,
                 office_ids: Iterable[str] | None = None) -> Iterator[TicketFacts]:
    """The tickets of a period; `office_ids` narrows a store that holds several offices
    (the central server's)."""
    check_period(date_from, date_to)
    query = (
        select(
            Ticket.number, Ticket.business_date, Service.code.label("service"),
            Service.sla_minutes, Ticket.preferential, Ticket.status,
            Ticket.counter_number.label("counter"), Ticket.issued_at,
            Ticket.called_at, Ticket.started_at, Ticket.finished_at, Ticket.outcome,
        )
        .join(Service, Service.id == Ticket.service_id)
        .where(Ticket.business_date >= date_from, Ticket.business_date <= date_to)
        .order_by(Ticket.issued_at, Ticket.id)
    )
    if office_ids is not None:
        query = query.where(Ticket.office_id.in_(list(office_ids)))
    for row in session.execute(query):
        yield TicketFacts(**row._mapping)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def metrics(facts: Iterable[TicketFacts]) -> Metrics:
    """The figures for one group of tickets.

    Waiting time is first call - issue; service time is finish - start of served tickets. The SLA
    share counts every ticket that was called, plus those that expired uncalled (they waited past
    any target); tickets still waiting are left out until they end.
    """
    facts = list(facts)
    waits = [w for f in facts if (w := f.wait_s) is not None]
    services = [s for f in facts if (s := f.service_s) is not None]
    pref_waits = [w for f in facts if f.preferential and (w := f.wait_s) is not None]
    within = sum(1 for f in facts if (w := f.wait_s) is not None and w <= f.sla_minutes * 60)
    expired_uncalled = sum(
        1 for f in facts if f.status == TicketStatus.EXPIRED and f.called_at is None
    )
    judged = len(waits) + expired_uncalled
    return Metrics(
        issued=len(facts),
        served=sum(1 for f in facts if f.status == TicketStatus.FINISHED),
        no_show=sum(1 for f in facts if f.status == TicketStatus.NO_SHOW),
        expired=sum(1 for f in facts if f.status == TicketStatus.EXPIRED),
        wait_p50_s=_round(percentile(waits, 0.5)),
        wait_p90_s=_round(percentile(waits, 0.9)),
        wait_mean_s=_round(fmean(waits)) if waits else None,
        service_p50_s=_round(percentile(services, 0.5)),
        service_mean_s=_round(fmean(services)) if services else None,
        sla_pct=_round(100 * within / judged) if judged else None,
        pref_wait_p50_s=_round(percentile(pref_waits, 0.5)),
    )


def _grouped(facts: list[TicketFacts], key: str, tz: ZoneInfo) -> dict[str, Metrics]:
    groups: dict[str, list[TicketFacts]] = {}
    for fact in facts:
        if key == "service":
            label = fact.service
        elif key == "counter":
            if fact.counter is None:
                continue
            label = str(fact.counter)
        else:
            label = f"{fact.issued_at.astimezone(tz).hour:02d}"
        groups.setdefault(label, []).append(fact)
    ordered = sorted(groups, key=lambda k: (len(k), k))  # counters 2 before 10
    return {label: metrics(groups[label]) for label in ordered}


def stats_report(session: Session, office: str, tz: ZoneInfo, date_from: date, date_to: date,
                 office_ids: Iterable[str] | None = None) -> StatsReport:
    facts = list(ticket_facts(session, date_from, date_to, office_ids))
    overall = metrics(facts)
    return StatsReport(
        **overall.model_dump(),
        office=office,
        date_from=date_from,
        date_to=date_to,
        timezone=str(tz),
        by_service=_grouped(facts, "service", tz),
        by_counter=_grouped(facts, "counter", tz),
        by_hour=_grouped(facts, "hour", tz),
    )


EXPORT_COLUMNS = (
    "date", "number", "service", "preferential", "status", "counter", "issued_at", "called_at",
    "started_at", "finished_at", "outcome",
)


def export_csv(session: Session, tz: ZoneInfo, date_from: date, date_to: date) -> str:
    """One row per ticket; times in ISO 8601 with the office's offset, to the microsecond."""

    def local(moment: datetime | None) -> str:
        return "" if moment is None else moment.astimezone(tz).isoformat()

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for f in ticket_facts(session, date_from, date_to):
        writer.writerow([
            f.business_date.isoformat(), f.number, f.service, f.preferential or "", f.status,
            "" if f.counter is None else f.counter, local(f.issued_at), local(f.called_at),
            local(f.started_at), local(f.finished_at), f.outcome or "",
        ])
    return out.getvalue()
