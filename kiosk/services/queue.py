"""The queue engine: issue tickets, counter actions, day rollover. Plain functions over a UoW."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, Forbidden, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules.calling import PreferentialMode, choose_next, takes_preferential
from kiosk.rules.queue import (
    ACTIVE_STATUSES,
    CounterState,
    TicketStatus,
    check_outcome,
    check_preferential,
    check_reason,
    check_ticket_action,
    estimate_wait_minutes,
    ticket_number,
    ticket_series,
)
from kiosk.services.projections import SERVING_EVENTS, project_ticket, ticket_issued
from kiosk.services.unit_of_work import OfficeContext, UnitOfWork
from kiosk.services.views import DayClosed, IssuedTicket, TicketView
from kiosk.storage.prepared import PreparedInsert
from kiosk.storage.queue_reads import counter_queue, preferential_taken_elsewhere
from kiosk.storage.tables import (
    Counter,
    Expediente,
    ExpedienteTicket,
    Service,
    Ticket,
)

# Samples of today's service time used for estimates: recent ones reflect the current pace.
RECENT_SAMPLES = 30

_TICKETS = cast(Table, Ticket.__table__)

_COUNTER_BY_NUMBER = select(Counter).where(
    Counter.office_id == bindparam("office_id"), Counter.number == bindparam("number"))


# --- lookups -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceRef:
    id: str
    code: str
    name: str
    prefix: str
    active: bool


# By code, or else by its letter prefix (codes and prefixes are unique per office). A plain
# statement on the unit of work's connection: issuing a ticket looks its service up this way.
_SERVICE_BY_REF = (
    "SELECT id, code, name, prefix, active FROM services "
    "WHERE office_id = :office AND (code = :ref OR prefix = :prefix) "
    "ORDER BY code = :ref DESC LIMIT 1")


def find_service(db: sqlite3.Connection, office_id: str, ref: str) -> ServiceRef:
    """A service by code, or else by its letter prefix (`db`: `UnitOfWork.driver()`)."""
    if not isinstance(ref, str) or not ref.strip():
        raise InvalidInput("invalid_service", "Indique el servicio.")
    ref = ref.strip()
    found = db.execute(_SERVICE_BY_REF,
                       {"office": office_id, "ref": ref, "prefix": ref.upper()}).fetchone()
    if found is None:
        raise NotFound("unknown_service", f"El servicio «{ref}» no existe en esta oficina.")
    service_id, code, name, prefix, active = found
    return ServiceRef(service_id, code, name, prefix, bool(active))


def find_counter(session: Session, office_id: str, number: int) -> Counter:
    counter = session.scalar(_COUNTER_BY_NUMBER, {"office_id": office_id, "number": number})
    if counter is None:
        raise NotFound("unknown_counter", f"La ventanilla {number} no existe en esta oficina.")
    return counter


def find_ticket(session: Session, office_id: str, ticket_id: str) -> Ticket:
    ticket = session.get(Ticket, ticket_id) if isinstance(ticket_id, str) else None
    if ticket is None or ticket.office_id != office_id:
        raise NotFound("unknown_ticket", "Ese turno no existe.")
    return ticket


def service_codes(session: Session) -> dict[str, str]:
    return {key: value for key, value in session.execute(select(Service.id, Service.code))}


def ticket_view(ticket: Ticket, service_code: str) -> TicketView:
    return TicketView(
        id=ticket.id,
        number=ticket.number,
        service=service_code,
        preferential=ticket.preferential,
        status=ticket.status,
        issued_at=ticket.issued_at,
        called_at=ticket.last_called_at,
        started_at=ticket.started_at,
        finished_at=ticket.finished_at,
        counter=ticket.counter_number,
        outcome=ticket.outcome,
        recalls=ticket.recalls,
    )


def _view(uow: UnitOfWork, ticket: Ticket) -> TicketView:
    service = uow.session.get(Service, ticket.service_id)
    assert service is not None
    return ticket_view(ticket, service.code)


def _ticket_event(
    uow: UnitOfWork, ticket: Ticket, kind: str, device_id: str | None,
    service_ids: dict[str, str] | None = None, **data: Any
) -> None:
    """Record an event of a ticket and apply it to the ticket (kiosk/services/projections.py)
    in the same transaction. `service_ids`: code -> id of a service the event names."""
    if kind in SERVING_EVENTS and uow.clerk_id is not None:
        data["who_id"] = uow.clerk_id
    data = {"number": ticket.number, **data}
    # Touch the projection before recording: the flush then writes each row once.
    ticket.updated_at = uow.now
    project_ticket(ticket, kind, data, uow.now, service_ids or {})
    uow.record("ticket", ticket.id, kind, data, device_id)


def _counter_event(
    uow: UnitOfWork, counter: Counter, kind: str, device_id: str | None, **data: Any
) -> None:
    counter.updated_at = uow.now
    if uow.clerk_id is not None:
        data["who_id"] = uow.clerk_id
    uow.record("counter", counter.id, kind, {"counter": counter.number, **data}, device_id)


# --- issuing -------------------------------------------------------------------------------


# Issuing is the kiosk's write and the busiest one of the office. Through the ORM nearly all of
# its time was SQLAlchemy building statements and flushing objects, not the disk (bench/README.md,
# queue_latency.py). It now runs prepared statements on the unit of work's own connection: the
# same rows, triggers (outbox, audit head), event chain and transaction.

_INSERT_TICKET = PreparedInsert(_TICKETS)


def _issue_figures_sql(preferential: bool) -> str:
    """People ahead (waiting in the service; for a preferential ticket, the preferential
    ones), counters open for the service and counters serving it at all."""
    ahead = (f"SELECT count(*) FROM tickets WHERE status = '{TicketStatus.WAITING.value}' "
             "AND service_id = :service" + (" AND preferential IS NOT NULL" if preferential
                                            else ""))
    serving = ("SELECT count(*) FROM counters JOIN counter_services "
               "ON counter_services.counter_id = counters.id "
               "WHERE counter_services.service_id = :service")
    return (f"SELECT ({ahead}), ({serving} AND counters.state = '{CounterState.OPEN.value}'), "
            f"({serving})")


_ISSUE_FIGURES = {flag: _issue_figures_sql(flag) for flag in (False, True)}

# Today's last service times of the service, on ix_tickets_queue (status, service_id,
# issued_at): the service's finished tickets issued since the office's midnight, nothing else.
# Bounded by the day: on (status, service_id) alone it walked every ticket the service ever
# finished, slower every day; by business date it read all of today's tickets of every service
# and state (bench/README.md, queue_latency.py with history).
_RECENT_SERVICE_TIMES = (
    "SELECT last_called_at, finished_at FROM tickets "
    f"WHERE status = '{TicketStatus.FINISHED.value}' AND service_id = :service "
    "AND issued_at >= :since AND issued_at < :until "
    f"ORDER BY finished_at DESC LIMIT {RECENT_SAMPLES}")

# Numbers are never reused: the day's counter of the series goes up in the same transaction.
_NEXT_SEQ = (
    "INSERT INTO day_sequences (office_id, business_date, series, last) "
    "VALUES (:office, :today, :series, 1) "
    "ON CONFLICT (office_id, business_date, series) DO UPDATE SET last = last + 1 "
    "RETURNING last")


def _recent_service_seconds(db: sqlite3.Connection, office: OfficeContext, today: date,
                            service_id: str) -> list[float]:
    midnight = datetime.combine(today, time(0), tzinfo=office.tz)
    rows = db.execute(_RECENT_SERVICE_TIMES, {
        "service": service_id, "since": _INSERT_TICKET.bound("issued_at", midnight),
        "until": _INSERT_TICKET.bound("issued_at", midnight + timedelta(days=1))}).fetchall()
    # A counter is busy from the call until the finish: that is what sets the pace.
    return [(datetime.fromisoformat(done) - datetime.fromisoformat(called)).total_seconds()
            for called, done in rows if called and done]


def issue_ticket(
    uow: UnitOfWork, service_ref: str, preferential: str | None, device_id: str | None
) -> IssuedTicket:
    preferential = check_preferential(preferential)
    office_id, today = uow.office.office_id, uow.today
    db = uow.driver()
    service = find_service(db, office_id, service_ref)
    service_id, code, prefix = service.id, service.code, service.prefix
    if not service.active:
        raise Conflict("service_inactive", f"El servicio «{service.name}» no se atiende hoy.")
    ahead, open_now, serving = db.execute(
        _ISSUE_FIGURES[preferential is not None], {"service": service_id}).fetchone()
    series = ticket_series(prefix, preferential)
    ((seq,),) = db.execute(_NEXT_SEQ, {"office": office_id, "today": today.isoformat(),
                                       "series": series}).fetchall()
    ticket_id, number = new_id(), ticket_number(series, seq)
    event = {"number": number, "service": code, "preferential": preferential,
             "business_date": today.isoformat()}
    _INSERT_TICKET(db, {"id": ticket_id, "office_id": office_id, "series": series, "seq": seq,
                        **ticket_issued(event, uow.now, service_id), "updated_at": uow.now})
    uow.append_event("ticket", ticket_id, "issued", event, device_id)
    # With nobody open yet, assume the counters that serve it will open.
    low, high = estimate_wait_minutes(ahead, open_now or serving or 1,
                                      _recent_service_seconds(db, uow.office, today, service_id),
                                      uow.office.default_service_minutes)
    return IssuedTicket(id=ticket_id, number=number, service=code, preferential=preferential,
                        status=TicketStatus.WAITING.value, issued_at=uow.now, ahead=ahead,
                        estimated_wait_min=(low, high), counters_open=open_now)


# --- calling -------------------------------------------------------------------------------


def _open_counter(uow: UnitOfWork, number: int) -> Counter:
    counter = find_counter(uow.session, uow.office.office_id, number)
    if counter.state != CounterState.OPEN:
        state = "en pausa" if counter.state == CounterState.PAUSED else "cerrada"
        raise Conflict("counter_not_open", f"La ventanilla {number} está {state}.")
    _require_idle(uow, counter, "llamar otro turno en")
    return counter


@dataclass(frozen=True)
class NextTicket:
    """Who a counter would call now, and the code of that ticket's service. `capped`: a
    regular ticket the cap on preferential calls put ahead of a waiting preferential one."""

    ticket_id: str
    service_code: str
    capped: bool = False


def pick_next(uow: UnitOfWork, counter: Counter) -> NextTicket | None:
    """Who a counter calls next: the calling policy (kiosk/rules/calling.py) decides over the
    counter's queue heads (kiosk/storage/queue_reads.py), with the office's
    `cap_preferential_calls` setting."""
    cap = uow.office.cap_preferential_calls
    queue = counter_queue(uow.session, counter.id, counter.number, uow.today, recent_calls=cap)
    heads = replace(queue.heads,
                    cita_window=timedelta(minutes=uow.office.cita_window_minutes))
    mode = PreferentialMode(counter.preferential)
    if mode is not PreferentialMode.ALSO:
        waiting = heads.preferential
        heads = replace(heads, mode=mode, preferential_elsewhere=(
            mode is PreferentialMode.NEVER and waiting is not None and
            preferential_taken_elsewhere(uow.session, counter.id,
                                         queue.service_of[waiting.ticket_id])))
    chosen = choose_next(heads, uow.now, cap=cap)
    if chosen is None:
        return None
    waiting = heads.preferential
    return NextTicket(chosen.ticket_id, queue.service_of[chosen.ticket_id],
                      capped=cap and waiting is not None and takes_preferential(heads)
                      and chosen != waiting)


def _call(uow: UnitOfWork, counter: Counter, ticket: Ticket, device_id: str | None,
          reason: str | None, service_code: str | None = None, capped: bool = False
          ) -> TicketView:
    if service_code is None:
        service = uow.session.get(Service, ticket.service_id)
        assert service is not None
        service_code = service.code
    counter.current_ticket_id = ticket.id
    counter.updated_at = uow.now
    data: dict[str, Any] = {"service": service_code, "counter": counter.number,
                            "counter_name": counter.name}
    if reason:
        data["reason"] = reason
    if capped:  # ARCHITECTURE §5: the cap is a logged option
        data["preferential_cap"] = True
    _ticket_event(uow, ticket, "called", device_id, **data)
    return ticket_view(ticket, service_code)


def call_next(uow: UnitOfWork, counter_number: int, device_id: str | None) -> TicketView | None:
    counter = _open_counter(uow, counter_number)
    chosen = pick_next(uow, counter)
    if chosen is None:
        return None
    ticket = uow.session.get(Ticket, chosen.ticket_id)
    assert ticket is not None
    return _call(uow, counter, ticket, device_id, None, chosen.service_code, chosen.capped)


def call_ticket(uow: UnitOfWork, counter_number: int, ticket_id: str, reason: str | None,
                device_id: str | None) -> TicketView:
    counter = _open_counter(uow, counter_number)
    ticket = find_ticket(uow.session, uow.office.office_id, ticket_id)
    check_ticket_action("call", ticket.number, ticket.status)
    expected = pick_next(uow, counter)
    if expected is None or expected.ticket_id != ticket.id:
        reason = check_reason(reason, f"llamar el turno {ticket.number} fuera de orden")
    return _call(uow, counter, ticket, device_id, reason)


# --- serving -------------------------------------------------------------------------------


def _counter_of(uow: UnitOfWork, ticket: Ticket) -> Counter | None:
    if ticket.counter_number is None:
        return None
    return find_counter(uow.session, uow.office.office_id, ticket.counter_number)


def _held_here(uow: UnitOfWork, ticket: Ticket) -> Ticket:
    """A clerk acts only on the tickets their own counter holds (uow.counter, set by the hub
    for a bound caller): not on a ticket called at another counter."""
    if uow.counter is not None and ticket.counter_number != uow.counter:
        where = (f"la ventanilla {ticket.counter_number}" if ticket.counter_number is not None
                 else "ninguna ventanilla")
        raise Forbidden("other_counter",
                        f"El turno {ticket.number} está en {where}, no en la suya "
                        f"(ventanilla {uow.counter}).")
    return ticket


def _release(uow: UnitOfWork, ticket: Ticket) -> None:
    counter = _counter_of(uow, ticket)
    if counter is not None and counter.current_ticket_id == ticket.id:
        counter.current_ticket_id = None
        counter.updated_at = uow.now


def recall(uow: UnitOfWork, ticket_id: str, device_id: str | None) -> TicketView:
    ticket = find_ticket(uow.session, uow.office.office_id, ticket_id)
    check_ticket_action("recall", ticket.number, ticket.status)
    _held_here(uow, ticket)
    counter = _counter_of(uow, ticket)
    assert counter is not None
    service = uow.session.get(Service, ticket.service_id)
    assert service is not None
    _ticket_event(uow, ticket, "recalled", device_id, service=service.code,
                  counter=counter.number, counter_name=counter.name)
    return ticket_view(ticket, service.code)


def start(uow: UnitOfWork, ticket_id: str, device_id: str | None) -> TicketView:
    ticket = find_ticket(uow.session, uow.office.office_id, ticket_id)
    check_ticket_action("start", ticket.number, ticket.status)
    _held_here(uow, ticket)
    _ticket_event(uow, ticket, "started", device_id, counter=ticket.counter_number)
    return _view(uow, ticket)


def linked_expedientes(session: Session, ticket_id: str) -> list[str]:
    """The expedientes filed, paid or delivered while serving a ticket."""
    return list(session.scalars(
        select(Expediente.number)
        .join(ExpedienteTicket, ExpedienteTicket.expediente_id == Expediente.id)
        .where(ExpedienteTicket.ticket_id == ticket_id).order_by(Expediente.number)))


def finish(uow: UnitOfWork, ticket_id: str, outcome: str, device_id: str | None) -> TicketView:
    outcome = check_outcome(outcome)
    ticket = find_ticket(uow.session, uow.office.office_id, ticket_id)
    check_ticket_action("finish", ticket.number, ticket.status)
    _held_here(uow, ticket)
    _release(uow, ticket)
    numbers = linked_expedientes(uow.session, ticket.id)
    _ticket_event(uow, ticket, "finished", device_id, counter=ticket.counter_number,
                  outcome=outcome, expedientes=numbers)
    return _view(uow, ticket).model_copy(update={"expedientes": numbers})


def no_show(uow: UnitOfWork, ticket_id: str, device_id: str | None) -> TicketView:
    ticket = find_ticket(uow.session, uow.office.office_id, ticket_id)
    check_ticket_action("no_show", ticket.number, ticket.status)
    _held_here(uow, ticket)
    _release(uow, ticket)
    _ticket_event(uow, ticket, "no_show", device_id, counter=ticket.counter_number)
    return _view(uow, ticket)


def reinstate(uow: UnitOfWork, ticket_id: str, device_id: str | None) -> TicketView:
    ticket = find_ticket(uow.session, uow.office.office_id, ticket_id)
    check_ticket_action("reinstate", ticket.number, ticket.status)
    window = timedelta(minutes=uow.office.missed_reinstate_minutes)
    if ticket.missed_at is None or uow.now - ticket.missed_at > window:
        raise Conflict(
            "reinstate_window_passed",
            f"El turno {ticket.number} ya no puede reincorporarse: pasaron más de "
            f"{uow.office.missed_reinstate_minutes} minutos desde que no se presentó. "
            "Saque un turno nuevo.",
        )
    _ticket_event(uow, ticket, "reinstated", device_id)
    return _view(uow, ticket)


def transfer(uow: UnitOfWork, ticket_id: str, service_ref: str, device_id: str | None
             ) -> TicketView:
    ticket = find_ticket(uow.session, uow.office.office_id, ticket_id)
    check_ticket_action("transfer", ticket.number, ticket.status)
    _held_here(uow, ticket)
    target = find_service(uow.driver(), uow.office.office_id, service_ref)
    if not target.active:
        raise Conflict("service_inactive", f"El servicio «{target.name}» no se atiende hoy.")
    if target.id == ticket.service_id:
        raise Conflict("same_service", f"El turno {ticket.number} ya es de «{target.name}».")
    source = uow.session.get(Service, ticket.service_id)
    assert source is not None
    _release(uow, ticket)
    _ticket_event(uow, ticket, "transferred", device_id, {target.code: target.id},
                  counter=ticket.counter_number, from_service=source.code,
                  to_service=target.code)
    return ticket_view(ticket, target.code)


# --- counters ------------------------------------------------------------------------------


def _require_idle(uow: UnitOfWork, counter: Counter, what: str) -> None:
    if counter.current_ticket_id is not None:
        current = uow.session.get(Ticket, counter.current_ticket_id)
        label = current.number if current else ""
        raise Conflict(
            "counter_busy",
            f"Termine, derive o marque como no presentado el turno {label} antes de {what} "
            f"la ventanilla {counter.number}.",
        )


def open_counter(uow: UnitOfWork, number: int, device_id: str | None) -> Counter:
    counter = find_counter(uow.session, uow.office.office_id, number)
    if counter.state == CounterState.OPEN:
        raise Conflict("counter_already_open", f"La ventanilla {number} ya está abierta.")
    if counter.state == CounterState.PAUSED:
        raise Conflict("counter_paused", f"La ventanilla {number} está en pausa: reanúdela.")
    counter.state = CounterState.OPEN
    _counter_event(uow, counter, "opened", device_id)
    return counter


def pause_counter(uow: UnitOfWork, number: int, reason: str | None, device_id: str | None
                  ) -> Counter:
    counter = find_counter(uow.session, uow.office.office_id, number)
    text = check_reason(reason, f"pausar la ventanilla {number}")
    if counter.state != CounterState.OPEN:
        raise Conflict("counter_not_open", f"La ventanilla {number} no está abierta.")
    _require_idle(uow, counter, "pausar")
    counter.state = CounterState.PAUSED
    counter.pause_reason = text
    _counter_event(uow, counter, "paused", device_id, reason=text)
    return counter


def resume_counter(uow: UnitOfWork, number: int, device_id: str | None) -> Counter:
    counter = find_counter(uow.session, uow.office.office_id, number)
    if counter.state != CounterState.PAUSED:
        raise Conflict("counter_not_paused", f"La ventanilla {number} no está en pausa.")
    counter.state = CounterState.OPEN
    counter.pause_reason = None
    _counter_event(uow, counter, "resumed", device_id)
    return counter


def close_counter(uow: UnitOfWork, number: int, device_id: str | None) -> Counter:
    counter = find_counter(uow.session, uow.office.office_id, number)
    if counter.state == CounterState.CLOSED:
        raise Conflict("counter_already_closed", f"La ventanilla {number} ya está cerrada.")
    _require_idle(uow, counter, "cerrar")
    counter.state = CounterState.CLOSED
    counter.pause_reason = None
    _counter_event(uow, counter, "closed", device_id)
    return counter


# Why a counter was paused when its clerk's session ended with a ticket at the counter; the
# counter window resumes such a counter when a clerk logs in there again.
UNSTAFFED_REASON = "Sin personal: la sesión se cerró"


def leave_counter(uow: UnitOfWork, number: int, device_id: str | None, why: str
                  ) -> Counter | None:
    """Nobody is logged in at the counter any more (`why`: logout, expired, login_elsewhere):
    an open counter is closed so no ticket is called to an empty window; one holding a
    ticket is paused instead, the ticket kept there for the clerk who comes back (closing
    would have to end or requeue a citizen who may be standing at it). None: left as it was
    (already closed or paused)."""
    counter = find_counter(uow.session, uow.office.office_id, number)
    if counter.state != CounterState.OPEN:
        return None
    if counter.current_ticket_id is None:
        counter.state = CounterState.CLOSED
        counter.pause_reason = None
        _counter_event(uow, counter, "closed", device_id, reason="sesión cerrada",
                       session_ended=why)
    else:
        counter.state = CounterState.PAUSED
        counter.pause_reason = UNSTAFFED_REASON
        _counter_event(uow, counter, "paused", device_id, reason=UNSTAFFED_REASON,
                       session_ended=why)
    return counter


# --- the day -------------------------------------------------------------------------------


def close_day(uow: UnitOfWork, through: date, device_id: str | None) -> DayClosed:
    """End every ticket still open on or before `through` as expired and close the counters."""
    stale = list(
        uow.session.scalars(
            select(Ticket)
            .where(Ticket.status.in_(list(ACTIVE_STATUSES)), Ticket.business_date <= through)
            .order_by(Ticket.issued_at)
        )
    )
    for ticket in stale:
        _ticket_event(uow, ticket, "expired", device_id, previous=ticket.status)
    uow.session.execute(
        update(Counter)
        .where(Counter.current_ticket_id.in_([t.id for t in stale]))
        .values(current_ticket_id=None)
    )
    closed = 0
    for counter in uow.session.scalars(select(Counter).where(Counter.state != CounterState.CLOSED)):
        counter.state = CounterState.CLOSED
        counter.pause_reason = None
        counter.current_ticket_id = None
        _counter_event(uow, counter, "closed", device_id, reason="cierre del día")
        closed += 1
    return DayClosed(business_date=through, expired=len(stale), counters_closed=closed)


def needs_rollover(uow: UnitOfWork) -> bool:
    """True when an earlier day was not closed: tickets still open, or counters left open."""
    midnight = datetime.combine(uow.today, time(0), tzinfo=uow.office.tz)
    stale_ticket = uow.session.scalar(
        select(Ticket.id)
        .where(Ticket.status.in_(list(ACTIVE_STATUSES)), Ticket.business_date < uow.today)
        .limit(1)
    )
    stale_counter = uow.session.scalar(
        select(Counter.id)
        .where(Counter.state != CounterState.CLOSED, Counter.updated_at < midnight)
        .limit(1)
    )
    return stale_ticket is not None or stale_counter is not None
