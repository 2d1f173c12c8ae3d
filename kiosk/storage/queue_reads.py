"""What the calling policy (kiosk/rules/calling.py) decides over: a counter's queue heads, read
from the office store. The store reads; the rules decide.

Calling is the hot path of a busy office. Building a SELECT, hashing it for SQLAlchemy's
compiled cache and loading ORM objects cost far more than SQLite's own work: the statements
are built once and read plain rows (Core).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import Date, Table, bindparam, exists, select, text, true
from sqlalchemy.orm import Session

from kiosk.rules.calling import CAP_LOOKBACK, Candidate, PreferentialMode, QueueHeads
from kiosk.rules.citas import CitaStatus
from kiosk.rules.queue import CounterState, TicketStatus
from kiosk.storage.tables import Cita, Counter, CounterService, Service, Ticket

_TICKETS = cast(Table, Ticket.__table__)
_COUNTER_SERVICES = cast(Table, CounterService.__table__)
_SERVICES = cast(Table, Service.__table__)
_CITAS = cast(Table, Cita.__table__)


def _waiting_heads_statement() -> Any:
    """One row per service of a counter, in its order of preference: the service's id, code
    and target, the oldest regular ticket waiting in it (or NULLs) and, repeated on every row,
    the oldest preferential ticket waiting in any of the counter's services (or NULLs). A
    checked-in cita's ticket is not a regular one (`_CITA_HEAD` reads it)."""
    links, services = _COUNTER_SERVICES.alias("links"), _SERVICES.alias("svc")
    head, oldest = _TICKETS.alias("head"), _TICKETS.alias("oldest")
    is_cita = exists().where(_CITAS.c.ticket_id == oldest.c.id,
                             _CITAS.c.status == CitaStatus.ARRIVED.value)
    head_id = (
        select(oldest.c.id)
        .where(oldest.c.status == TicketStatus.WAITING.value,
               oldest.c.service_id == links.c.service_id, oldest.c.preferential.is_(None),
               ~is_cita)
        .order_by(oldest.c.issued_at, oldest.c.id)
        .limit(1)
        .correlate(links)
        .scalar_subquery()
    )
    mine = select(_COUNTER_SERVICES.c.service_id).where(
        _COUNTER_SERVICES.c.counter_id == bindparam("counter_id"))
    preferential = (
        select(_TICKETS.c.id, _TICKETS.c.service_id, _TICKETS.c.issued_at)
        .where(_TICKETS.c.status == TicketStatus.WAITING.value,
               _TICKETS.c.preferential.is_not(None), _TICKETS.c.service_id.in_(mine))
        .order_by(_TICKETS.c.issued_at, _TICKETS.c.id)
        .limit(1)
        .subquery("preferential")
    )
    return (
        select(links.c.service_id, services.c.code, services.c.sla_minutes, head.c.id,
               head.c.issued_at, preferential.c.id, preferential.c.service_id,
               preferential.c.issued_at)
        .select_from(
            links.join(services, services.c.id == links.c.service_id)
            .outerjoin(head, head.c.id == head_id)
            .outerjoin(preferential, true()))
        .where(links.c.counter_id == bindparam("counter_id"))
        .order_by(links.c.rank)
    )


_WAITING_HEADS = _waiting_heads_statement()

# The waiting ticket of today's checked-in cita with the earliest slot, in any of a counter's
# services: its id, service and slot start (ix_citas_day_status: today's few citas only).
_CITA_HEAD = (
    select(_TICKETS.c.id, _TICKETS.c.service_id, _CITAS.c.start_at)
    .select_from(_CITAS.join(_TICKETS, _TICKETS.c.id == _CITAS.c.ticket_id))
    .where(_CITAS.c.day == bindparam("today", type_=Date),
           _CITAS.c.status == CitaStatus.ARRIVED.value,
           _TICKETS.c.status == TicketStatus.WAITING.value,
           _TICKETS.c.preferential.is_(None),
           _TICKETS.c.service_id.in_(select(_COUNTER_SERVICES.c.service_id).where(
               _COUNTER_SERVICES.c.counter_id == bindparam("counter_id"))))
    .order_by(_CITAS.c.start_at, _TICKETS.c.issued_at)
    .limit(1)
)

# How far back a counter's own calls are looked for, in the office's calls: a counter that
# called none of the office's last RECENT_CALLS_SCANNED tickets has no recent calls.
RECENT_CALLS_SCANNED = 200
# Whether each of a counter's last calls (the events, in the order they were written) was of a
# preferential ticket, newest first. Walks ix_events_kind_seq back over the office's latest
# calls only; a call of another business day does not count.
_RECENT_CALLS = text(
    "SELECT tickets.preferential IS NOT NULL FROM "
    f"(SELECT seq, stream_id, data FROM events WHERE kind = 'called' "
    f"ORDER BY seq DESC LIMIT {RECENT_CALLS_SCANNED}) AS calls "
    "JOIN tickets ON tickets.id = calls.stream_id "
    "WHERE json_extract(calls.data, '$.counter') = :counter "
    "AND tickets.business_date = :today "
    f"ORDER BY calls.seq DESC LIMIT {CAP_LOOKBACK}").bindparams(bindparam("today", type_=Date))


@dataclass(frozen=True)
class CounterQueue:
    """A counter's queue heads, and the code of each head's service."""

    heads: QueueHeads
    service_of: dict[str, str]  # ticket id -> service code


def counter_queue(session: Session, counter_id: str, counter_number: int, today: date,
                  recent_calls: bool) -> CounterQueue:
    """The heads of a counter's queue in one statement; its recent calls too (`recent_calls`,
    for the cap) when both preferential and regular tickets wait."""
    rows = session.execute(_WAITING_HEADS, {"counter_id": counter_id}).all()
    rank_of = {service_id: rank for rank, (service_id, *_) in enumerate(rows)}
    code_of = {service_id: code for service_id, code, *_ in rows}
    sla_of = {service_id: sla for service_id, _, sla, *_ in rows}
    regular = [Candidate(rank, head_id, issued_at, sla)
               for rank, (_, _, sla, head_id, issued_at, *_) in enumerate(rows)
               if head_id is not None]
    service_of = {head.ticket_id: code_of[rows[head.rank][0]] for head in regular}
    preferential = None
    if rows and rows[0][5] is not None:
        ticket_id, service_id, issued_at = rows[0][5:8]
        preferential = Candidate(rank_of[service_id], ticket_id, issued_at, sla_of[service_id])
        service_of[ticket_id] = code_of[service_id]
    cita = None
    found = session.execute(_CITA_HEAD, {"counter_id": counter_id, "today": today}).first()
    if found is not None:
        ticket_id, service_id, start = found
        cita = Candidate(rank_of[service_id], ticket_id, start, sla_of[service_id])
        service_of[ticket_id] = code_of[service_id]
    recent: list[bool] = []
    if recent_calls and preferential is not None and (regular or cita is not None):
        recent = [bool(flag) for (flag,) in session.execute(
            _RECENT_CALLS, {"counter": counter_number, "today": today})]
    return CounterQueue(QueueHeads(regular, preferential, recent, cita=cita), service_of)


def preferential_taken_elsewhere(session: Session, counter_id: str, service_code: str) -> bool:
    """Whether another open counter that takes preferential tickets serves `service_code`
    (a «nunca» counter then leaves the waiting preferential ticket to it)."""
    found = session.scalar(
        select(Counter.id)
        .join(CounterService, CounterService.counter_id == Counter.id)
        .join(Service, Service.id == CounterService.service_id)
        .where(Counter.id != counter_id, Counter.state == CounterState.OPEN.value,
               Counter.preferential != PreferentialMode.NEVER.value,
               Service.code == service_code)
        .limit(1))
    return found is not None
