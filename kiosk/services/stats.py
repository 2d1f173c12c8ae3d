"""Waiting-time statistics for a period. The API, the CLI and the reports all call this."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from statistics import fmean
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, String, select, type_coerce
from sqlalchemy.orm import Session

from kiosk.errors import InvalidInput
from kiosk.rules.calendar import check_day
from kiosk.rules.queue import TicketStatus, percentile
from kiosk.services.views import Metrics, StatsReport
from kiosk.storage.tables import Service, Ticket

MAX_PERIOD_DAYS = 366 * 5


class TicketFacts(NamedTuple):
    """One ticket as the figures see it (a tuple: a year of a busy office is 200,000)."""

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
    user_id: str | None = None  # the clerk who called or served it (tickets.user_id)

    @property
    def wait_s(self) -> float | None:
        return None if self.called_at is None else (self.called_at - self.issued_at).total_seconds()

    @property
    def service_s(self) -> float | None:
        if self.status != TicketStatus.FINISHED or not (self.started_at and self.finished_at):
            return None
        return (self.finished_at - self.started_at).total_seconds()


def of_offices(column: Any, office_ids: Iterable[str] | None) -> list[ColumnElement[bool]]:
    """The filter narrowing a query to some offices (central's store), none for a hub's."""
    return [] if office_ids is None else [column.in_(list(office_ids))]


def check_period(date_from: date, date_to: date) -> None:
    check_day(date_from, "desde")
    check_day(date_to, "hasta")
    if date_to < date_from:
        raise InvalidInput("invalid_period", "La fecha final es anterior a la inicial.")
    if (date_to - date_from).days > MAX_PERIOD_DAYS:
        raise InvalidInput("invalid_period", "El periodo no puede pasar de cinco años.")


def ticket_facts(session: Session, date_from: date, date_to: date,
                 office_ids: Iterable[str] | None = None, *, ordered: bool = True
                 ) -> Iterator[TicketFacts]:
    """The tickets of a period; `office_ids` narrows a store that holds several offices
    (the central server's). Figures do not depend on the order: `ordered=False` spares the
    sort of a long period (a year of a busy office is 200,000 rows)."""
    check_period(date_from, date_to)
    query = (
        select(
            Ticket.number, _raw(Ticket.business_date), Service.code, Service.sla_minutes,
            Ticket.preferential, Ticket.status, Ticket.counter_number, _raw(Ticket.issued_at),
            _raw(Ticket.called_at), _raw(Ticket.started_at), _raw(Ticket.finished_at),
            Ticket.outcome, Ticket.user_id,
        )
        .join(Service, Service.id == Ticket.service_id)
        .where(Ticket.business_date >= date_from, Ticket.business_date <= date_to)
    )
    if ordered:
        query = query.order_by(Ticket.issued_at, Ticket.id)
    if office_ids is not None:
        query = query.where(Ticket.office_id.in_(list(office_ids)))
    for (number, day, service, sla, preferential, status, counter, issued, called, started,
         finished, outcome, user_id) in session.execute(query):
        yield TicketFacts(number, _day(day), service, sla, preferential, status, counter,
                          _utc(issued), _utc(called), _utc(started), _utc(finished), outcome,
                          user_id)


def _raw(column: Any) -> Any:
    """A column read without SQLAlchemy's per-value conversion, which costs more than the
    query itself over a year of tickets: SQLite hands back the stored text, PostgreSQL its
    own date or datetime (converted by `_day` and `_utc`)."""
    return type_coerce(column, String).label(column.key)


def _utc(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


class Sample(NamedTuple):
    """What the figures need of one ticket, worked out once (a year has 200,000 of them)."""

    status: str
    preferential: bool
    wait_s: float | None
    service_s: float | None
    within_sla: bool
    expired_uncalled: bool


def sample(fact: TicketFacts) -> Sample:
    wait = fact.wait_s
    return Sample(fact.status, bool(fact.preferential), wait, fact.service_s,
                  wait is not None and wait <= fact.sla_minutes * 60,
                  fact.status == TicketStatus.EXPIRED and fact.called_at is None)


def figures(samples: Sequence[Sample]) -> dict[str, Any]:
    """Every figure of one group of tickets, by the field names of `HistoryMetrics`.

    Waiting time is first call - issue; service time is finish - start of served tickets. The SLA
    share counts every ticket that was called, plus those that expired uncalled (they waited past
    any target); tickets still waiting are left out until they end.
    """
    waits: list[float] = []
    services: list[float] = []
    pref_waits: list[float] = []
    statuses: dict[str, int] = {}
    within = expired_uncalled = preferential = 0
    for status, pref, wait, service, in_target, expired in samples:  # one pass
        statuses[status] = statuses.get(status, 0) + 1
        if wait is not None:
            waits.append(wait)
            if pref:
                pref_waits.append(wait)
        if service is not None:
            services.append(service)
        within += in_target
        expired_uncalled += expired
        preferential += pref
    for values in (waits, services, pref_waits):
        values.sort()  # percentile() sorts again: a sorted list costs it one pass
    judged = len(waits) + expired_uncalled
    return {
        "issued": len(samples),
        "served": statuses.get(TicketStatus.FINISHED, 0),
        "no_show": statuses.get(TicketStatus.NO_SHOW, 0),
        "expired": statuses.get(TicketStatus.EXPIRED, 0),
        "wait_p50_s": _round(percentile(waits, 0.5)),
        "wait_p90_s": _round(percentile(waits, 0.9)),
        "wait_mean_s": _round(fmean(waits)) if waits else None,
        "service_p50_s": _round(percentile(services, 0.5)),
        "service_mean_s": _round(fmean(services)) if services else None,
        "sla_pct": _round(100 * within / judged) if judged else None,
        "pref_wait_p50_s": _round(percentile(pref_waits, 0.5)),
        "preferential": preferential,
        "service_p90_s": _round(percentile(services, 0.9)),
        "pref_wait_p90_s": _round(percentile(pref_waits, 0.9)),
        "pref_wait_mean_s": _round(fmean(pref_waits)) if pref_waits else None,
        "within_sla": within,
        "judged": judged,
    }


_METRICS_FIELDS = tuple(Metrics.model_fields)


def _metrics(samples: Sequence[Sample]) -> Metrics:
    found = figures(samples)
    return Metrics(**{name: found[name] for name in _METRICS_FIELDS})


def metrics(facts: Iterable[TicketFacts]) -> Metrics:
    """The figures of GET /stats for one group of tickets (see `figures`)."""
    return _metrics([sample(f) for f in facts])


def _grouped(facts: list[TicketFacts], samples: list[Sample], key: str, tz: ZoneInfo
             ) -> dict[str, Metrics]:
    groups: dict[str, list[Sample]] = {}
    for fact, one in zip(facts, samples, strict=True):
        if key == "service":
            label = fact.service
        elif key == "counter":
            if fact.counter is None:
                continue
            label = str(fact.counter)
        else:
            label = f"{fact.issued_at.astimezone(tz).hour:02d}"
        groups.setdefault(label, []).append(one)
    ordered = sorted(groups, key=lambda k: (len(k), k))  # counters 2 before 10
    return {label: _metrics(groups[label]) for label in ordered}


def stats_report(session: Session, office: str, tz: ZoneInfo, date_from: date, date_to: date,
                 office_ids: Iterable[str] | None = None) -> StatsReport:
    facts = list(ticket_facts(session, date_from, date_to, office_ids, ordered=False))
    samples = [sample(f) for f in facts]
    overall = _metrics(samples)
    return StatsReport(
        **overall.model_dump(),
        office=office,
        date_from=date_from,
        date_to=date_to,
        timezone=str(tz),
        by_service=_grouped(facts, samples, "service", tz),
        by_counter=_grouped(facts, samples, "counter", tz),
        by_hour=_grouped(facts, samples, "hour", tz),
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
