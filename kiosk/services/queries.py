"""Read-only views of the queue: what the display, the counters and the kiosk show."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.rules.queue import TicketStatus
from kiosk.services.catalogue import list_counters
from kiosk.services.queue import find_ticket, linked_expedientes, ticket_view
from kiosk.services.unit_of_work import CALL_KINDS
from kiosk.services.views import (
    CallsPage,
    CallView,
    QueueEntry,
    QueueSnapshot,
    ServiceQueue,
    TicketView,
)
from kiosk.storage.tables import Event, Service, Ticket

MAX_CALLS_PAGE = 100
_ENTRIES = TypeAdapter(list[QueueEntry])


def queue_snapshot(session: Session, now: datetime, today: date, missed_minutes: int
                   ) -> QueueSnapshot:
    services = list(session.scalars(select(Service).order_by(Service.position)))
    # Counters refresh this every few seconds with hundreds waiting: read the four columns it
    # shows as plain rows, not whole Ticket objects, which were most of its time (bench/README.md,
    # hub_load.py).
    waiting: dict[str, list[tuple[str, str | None, datetime]]] = {s.id: [] for s in services}
    for service_id, number, preferential, issued_at in session.execute(
        select(Ticket.service_id, Ticket.number, Ticket.preferential, Ticket.issued_at)
        .where(Ticket.status == TicketStatus.WAITING)
        .order_by(Ticket.preferential.is_(None), Ticket.issued_at, Ticket.id)
    ):
        waiting.setdefault(service_id, []).append((number, preferential, issued_at))
    rows = []
    for service in services:
        tickets = waiting[service.id]
        waits = [int((now - issued_at).total_seconds()) for _, _, issued_at in tickets]
        rows.append(ServiceQueue(
            service=service.code,
            name=service.name,
            prefix=service.prefix,
            sla_minutes=service.sla_minutes,
            waiting=len(tickets),
            preferential_waiting=sum(1 for _, preferential, _ in tickets if preferential),
            longest_wait_s=max(waits) if waits else None,
            # Hundreds of entries validated in one call of pydantic's core: a third of the cost
            # of building each (or of model_construct, which runs in Python).
            tickets=_ENTRIES.validate_python([
                {"number": number, "preferential": preferential is not None, "waiting_s": w}
                for (number, preferential, _), w in zip(tickets, waits, strict=True)]),
        ))
    missed = list(session.scalars(
        select(Ticket.number).where(
            Ticket.status == TicketStatus.NO_SHOW,
            Ticket.business_date == today,
            Ticket.missed_at >= now - timedelta(minutes=missed_minutes),
        ).order_by(Ticket.missed_at)
    ))
    return QueueSnapshot(business_date=today, services=rows, counters=list_counters(session),
                         missed=missed)


def get_ticket(session: Session, office_id: str, ticket_id: str) -> TicketView:
    ticket = find_ticket(session, office_id, ticket_id)
    service = session.get(Service, ticket.service_id)
    assert service is not None
    return ticket_view(ticket, service.code).model_copy(
        update={"expedientes": linked_expedientes(session, ticket.id)})


def calls_after(session: Session, after: int, limit: int = MAX_CALLS_PAGE) -> CallsPage:
    events = list(session.scalars(
        select(Event).where(Event.seq > after, Event.kind.in_(CALL_KINDS))
        .order_by(Event.seq).limit(limit)
    ))
    calls = [
        CallView(seq=e.seq, kind=e.kind, number=e.data["number"], service=e.data["service"],
                 counter=e.data["counter"], counter_name=e.data["counter_name"],
                 at=e.occurred_at)
        for e in events
    ]
    return CallsPage(calls=calls, last_seq=calls[-1].seq if calls else after)


def latest_call_seq(session: Session) -> int:
    return session.scalar(
        select(Event.seq).where(Event.kind.in_(CALL_KINDS)).order_by(Event.seq.desc()).limit(1)
    ) or 0
