"""`cac audit verify`, second half: every ticket, expediente and payment against its events.

The hash chain (kiosk/services/audit.py) shows the events were not touched. The rows the office
works from (the queue, the expedientes, the cierre de caja) are projections of those events and
can be edited on their own: an amount changed in `payments` changes the cierre with the chain
intact. So each row is rebuilt from its events through the services' own projection
(kiosk/services/projections.py) and compared field by field; a row without any event (written
by hand) and events whose row is gone are named too. Ticket rows removed by the retention purge
(kiosk/services/retention.py) are expected to be gone: its event says through which day.

Memory stays flat on a large office: a stream's events are read in the order of the index on
(stream, stream_id) (row id, then seq) and merged with the rows read in id order, one row at a
time. Payments, far fewer, are matched by receipt number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import groupby
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Row, RowMapping, Select, select
from sqlalchemy.orm import Session

from kiosk.services.projections import (
    EXPEDIENTE_CREATED,
    EXPEDIENTE_FIELDS,
    EXPEDIENTE_LINKED_FIELDS,
    PAYMENT_EVENT,
    PAYMENT_FIELDS,
    TICKET_CREATED,
    TICKET_FIELDS,
    payment_fields,
    project_expediente,
    project_ticket,
    ticket_issued,
)
from kiosk.storage.tables import Event, Expediente, Payment, Service, Ticket, User

T = TypeVar("T")
MAX_ROW_PROBLEMS = 200
PURGE_EVENT = "ticket_data_purged"

# «el turno A-001 del 20/11/2026», «el expediente CAJ-2026-000001», ...
TABLE_TEXT = {"tickets": "el turno", "expedientes": "el expediente",
              "payments": "el pago con recibo"}
OF_TABLE = {"tickets": "del turno", "expedientes": "del expediente",
            "payments": "del pago con recibo"}
TABLE_NAME = {"tickets": "turnos", "expedientes": "expedientes", "payments": "pagos"}
FIELD_TEXT = {
    "tickets": {
        "number": "número", "business_date": "día", "service_id": "servicio",
        "origin_service_id": "servicio de origen", "preferential": "atención preferente",
        "status": "estado", "issued_at": "emitido", "called_at": "primera llamada",
        "last_called_at": "última llamada", "started_at": "inicio de la atención",
        "finished_at": "fin de la atención", "missed_at": "no se presentó",
        "counter_number": "ventanilla", "outcome": "resultado", "recalls": "rellamadas",
        "transfers": "derivaciones", "user_id": "personal que atendió"},
    "expedientes": {
        "number": "número", "status": "estado", "area": "área", "filed_at": "recibido",
        "requirements_presented": "requisitos presentados", "pages": "folios",
        "fee": "derecho de trámite", "paid": "pagado", "due_date": "vence",
        "observed_at": "observado", "observation_due": "plazo para subsanar",
        "stopped_working_days": "días hábiles detenido", "itse_done": "ITSE conforme",
        "decided_at": "resuelto", "delivered_at": "entregado", "person_id": "persona",
        "business_id": "empresa", "created_by": "registrado por", "acta_id": "acta"},
    "payments": {
        "expediente_id": "expediente", "amount": "monto", "method": "medio de pago",
        "voucher_number": "n.º de voucher", "cash_received": "efectivo recibido",
        "user_id": "cajero", "counter_number": "ventanilla", "paid_at": "pagado",
        "business_date": "día de caja"},
}


@dataclass(frozen=True)
class RowProblem:
    table: str  # tickets | expedientes | payments
    reference: str  # the number people use: «A-001 del 20/11/2026», «CAJ-2026-000001»
    kind: str  # differs | no_events | row_missing | events_unreadable
    message: str  # Spanish, naming the row, the field and both values
    field: str | None = None  # the column that differs
    stored: Any = None  # what the row holds (JSON-ready)
    expected: Any = None  # what its events say (JSON-ready)
    seq: int | None = None  # the event it concerns, when one does


@dataclass
class RowCheck:
    problems: list[RowProblem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLE_TEXT, 0))
    truncated: bool = False

    def add(self, problem: RowProblem) -> None:
        if len(self.problems) < MAX_ROW_PROBLEMS:
            self.problems.append(problem)
        else:
            self.truncated = True


@dataclass(frozen=True)
class _Names:
    """How ids are shown to people: services by code, clerks by user name, expedientes by
    number."""

    tz: ZoneInfo
    services: Mapping[str, str]
    users: Mapping[str, str]
    expedientes: Mapping[str, str]

    def shown(self, column: str, value: Any) -> str:
        if value is None:
            return "(vacío)"
        if column in ("service_id", "origin_service_id"):
            value = self.services.get(value, value)
        elif column in ("user_id", "created_by"):
            value = self.users.get(value, value)
        elif column == "expediente_id":
            value = self.expedientes.get(value, value)
        elif isinstance(value, bool):
            value = "sí" if value else "no"
        elif isinstance(value, datetime):
            value = value.astimezone(self.tz).strftime("%d/%m/%Y %H:%M:%S")
        elif isinstance(value, date):
            value = value.strftime("%d/%m/%Y")
        elif isinstance(value, Decimal):
            value = f"{value:f}"
        elif isinstance(value, list):
            value = ", ".join(map(str, value)) or "ninguno"
        return f"«{value}»"


def _plain(value: Any) -> Any:
    """A value for `--json`."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return value


def _subject(table: str, reference: str) -> str:
    text = f"{TABLE_TEXT[table]} {reference}"
    return text[0].upper() + text[1:]


def _compare(check: RowCheck, names: _Names, table: str, reference: str,
             stored: RowMapping, expected: object, columns: Sequence[str]) -> None:
    for column in columns:
        have, want = stored[column], getattr(expected, column)
        if have == want:  # 8.5 is 8.50; «waiting» is TicketStatus.WAITING
            continue
        label = FIELD_TEXT[table][column]
        check.add(RowProblem(
            table, reference, "differs",
            f"{_subject(table, reference)}: {label} ({column}) guardado "
            f"{names.shown(column, have)}, pero según sus eventos "
            f"{names.shown(column, want)}.",
            field=column, stored=_plain(have), expected=_plain(want)))


def _no_events(check: RowCheck, table: str, reference: str) -> None:
    check.add(RowProblem(table, reference, "no_events",
                         f"{_subject(table, reference)} no tiene ningún evento: se escribió "
                         "fuera del sistema, directamente en la base de datos."))


def _row_missing(check: RowCheck, table: str, reference: str, seq: int) -> None:
    check.add(RowProblem(table, reference, "row_missing",
                         f"{_subject(table, reference)} no está en la base de datos, pero sus "
                         f"eventos lo registran (desde el evento n.º {seq}): fue borrado.",
                         seq=seq))


def _unreadable(check: RowCheck, table: str, reference: str, event: Row[Any] | None,
                why: str) -> None:
    where = f" (evento n.º {event.seq}, «{event.kind}»)" if event is not None else ""
    check.add(RowProblem(table, reference, "events_unreadable",
                         f"Los eventos {OF_TABLE[table]} {reference} no reconstruyen la "
                         f"fila{where}: {why}.", seq=event.seq if event is not None else None))


# --- reading -------------------------------------------------------------------------------

_EVENT_COLUMNS = (Event.seq, Event.stream_id, Event.kind, Event.occurred_at, Event.data)


def _stream(session: Session, stream: str) -> Iterator[tuple[str, Iterator[Row[Any]]]]:
    rows = session.execute(select(*_EVENT_COLUMNS).where(Event.stream == stream)
                           .order_by(Event.stream_id, Event.seq)
                           .execution_options(yield_per=2000))
    return groupby(rows, key=lambda event: str(event.stream_id))


def _rows(session: Session, statement: Select[Any]) -> Iterator[Row[Any]]:
    return iter(session.execute(statement.execution_options(yield_per=2000)))


def _merged(groups: Iterator[tuple[str, Iterator[Row[Any]]]], rows: Iterator[Row[Any]]
            ) -> Iterator[tuple[list[Row[Any]] | None, Row[Any] | None]]:
    """(a row's events, the row) for every id in either, in id order (both come sorted)."""
    group, row = next(groups, None), next(rows, None)
    while group is not None or row is not None:
        if row is None or (group is not None and group[0] < row.id):
            assert group is not None
            yield list(group[1]), None
            group = next(groups, None)
        elif group is None or row.id < group[0]:
            yield None, row
            row = next(rows, None)
        else:
            yield list(group[1]), row
            group, row = next(groups, None), next(rows, None)


def _number(event: Row[Any]) -> str:
    """The number an event names (its row's), whatever was done to its data."""
    data = event.data
    return str(data.get("number", "?")) if isinstance(data, dict) else "?"


def _replay(events: list[Row[Any]], created: str, make: Callable[[Row[Any]], Any],
            apply: Callable[[Any, Row[Any]], None]) -> tuple[Any, Row[Any] | None, str | None]:
    """(the row the events build, the event that failed, why) — None when they cannot."""
    first = events[0]
    if first.kind != created:
        return None, first, (f"falta el evento de su creación («{created}»); el primero que "
                             "queda es otro")
    current = first
    try:
        row = make(first)
        for current in events[1:]:
            apply(row, current)
    except (KeyError, ValueError, TypeError, ArithmeticError, AttributeError):
        return None, current, "un dato falta o no es válido"
    return row, None, None


# --- the three tables ---------------------------------------------------------------------


def _purged_through(session: Session) -> date | None:
    """The last day whose tickets the retention purge removed (their events stay)."""
    latest = None
    for data in session.scalars(select(Event.data).where(Event.stream == "office",
                                                        Event.kind == PURGE_EVENT)):
        try:
            day = date.fromisoformat(data["through"])
        except (KeyError, TypeError, ValueError):
            continue
        latest = day if latest is None or day > latest else latest
    return latest


def _check_tickets(session: Session, names: _Names, check: RowCheck) -> None:
    service_ids = {code: service_id for service_id, code in names.services.items()}
    purged = _purged_through(session)
    stored = _rows(session, select(Ticket.id, *(getattr(Ticket, c) for c in TICKET_FIELDS))
                   .order_by(Ticket.id))

    def make(event: Row[Any]) -> Ticket:
        return Ticket(**ticket_issued(event.data, event.occurred_at,
                                      service_ids[event.data["service"]]))

    def apply(ticket: Ticket, event: Row[Any]) -> None:
        project_ticket(ticket, event.kind, event.data, event.occurred_at, service_ids)

    for events, row in _merged(_stream(session, "ticket"), stored):
        if row is not None:
            check.checked["tickets"] += 1
        if events is None:
            assert row is not None
            _no_events(check, "tickets", f"{row.number} del {row.business_date:%d/%m/%Y}")
            continue
        expected, failed, why = _replay(events, TICKET_CREATED, make, apply)
        if expected is None:
            number = (f"{row.number} del {row.business_date:%d/%m/%Y}" if row is not None
                      else _number(events[0]))
            _unreadable(check, "tickets", number, failed, str(why))
            continue
        reference = f"{expected.number} del {expected.business_date:%d/%m/%Y}"
        if row is None:
            if purged is None or expected.business_date > purged:
                _row_missing(check, "tickets", reference, events[0].seq)
            continue
        _compare(check, names, "tickets", reference, row._mapping, expected, TICKET_FIELDS)


def _check_expedientes(session: Session, names: _Names, check: RowCheck
                       ) -> dict[str, tuple[dict[str, Any], str, int]]:
    """Compares the expedientes; returns the payments their events record, by receipt number
    (fields, expediente number, seq)."""
    payments: dict[str, tuple[dict[str, Any], str, int]] = {}
    columns = (*EXPEDIENTE_FIELDS, *EXPEDIENTE_LINKED_FIELDS)
    stored = _rows(session, select(Expediente.id, *(getattr(Expediente, c) for c in columns))
                   .order_by(Expediente.id))

    def apply(expediente: Expediente, event: Row[Any]) -> None:
        project_expediente(expediente, event.kind, event.data, event.occurred_at)

    def make(event: Row[Any]) -> Expediente:
        expediente = Expediente()
        apply(expediente, event)
        return expediente

    for events, row in _merged(_stream(session, "expediente"), stored):
        if row is not None:
            check.checked["expedientes"] += 1
        if events is None:
            assert row is not None
            _no_events(check, "expedientes", row.number)
            continue
        expected, failed, why = _replay(events, EXPEDIENTE_CREATED, make, apply)
        number = str(expected.number if expected is not None else
                     row.number if row is not None else _number(events[0]))
        if expected is None:
            _unreadable(check, "expedientes", number, failed, str(why))
            continue
        for event in events:
            if event.kind == PAYMENT_EVENT:
                try:
                    fields = payment_fields(event.stream_id, event.data, event.occurred_at,
                                            names.tz)
                except (KeyError, ValueError, TypeError, ArithmeticError, AttributeError):
                    _unreadable(check, "expedientes", number, event,
                                "un dato del pago falta o no es válido")
                    continue
                payments[fields["receipt_number"]] = (fields, number, event.seq)
        if row is None:
            _row_missing(check, "expedientes", number, events[0].seq)
            continue
        linked = any(event.kind == "acta_linked" for event in events)
        _compare(check, names, "expedientes", number, row._mapping, expected,
                 columns if linked else EXPEDIENTE_FIELDS)
    return payments


def _check_payments(session: Session, names: _Names, check: RowCheck,
                    recorded: dict[str, tuple[dict[str, Any], str, int]]) -> None:
    stored = {row.receipt_number: row for row in session.execute(
        select(Payment.receipt_number, *(getattr(Payment, c) for c in PAYMENT_FIELDS)))}
    check.checked["payments"] = len(stored)
    for receipt, (fields, number, seq) in sorted(recorded.items()):
        reference = f"{receipt} (expediente {number})"
        row = stored.pop(receipt, None)
        if row is None:
            _row_missing(check, "payments", reference, seq)
        else:
            _compare(check, names, "payments", reference, row._mapping, Payment(**fields),
                     PAYMENT_FIELDS)
    for receipt, row in sorted(stored.items()):
        number = names.expedientes.get(row.expediente_id, row.expediente_id)
        _no_events(check, "payments", f"{receipt} (expediente {number})")


def verify_rows(session: Session, tz: ZoneInfo) -> RowCheck:
    """Every ticket, expediente and payment against its events; what differs, by row."""
    names = _Names(
        tz=tz,
        services={service_id: code for service_id, code in
                  session.execute(select(Service.id, Service.code))},
        users={user_id: username for user_id, username in
               session.execute(select(User.id, User.username))},
        expedientes={expediente_id: number for expediente_id, number in
                     session.execute(select(Expediente.id, Expediente.number))})
    check = RowCheck()
    _guarded(check, "tickets", lambda: _check_tickets(session, names, check))
    recorded = _guarded(check, "expedientes",
                        lambda: _check_expedientes(session, names, check)) or {}
    _guarded(check, "payments", lambda: _check_payments(session, names, check, recorded))
    return check


def _guarded(check: RowCheck, table: str, run: Callable[[], T]) -> T | None:
    try:
        return run()
    except (ValueError, TypeError, ArithmeticError):
        # A value its column's type cannot read (a date that is not one): written by hand.
        check.add(RowProblem(
            table, "", "unreadable",
            f"La tabla de {TABLE_NAME[table]} tiene un valor ilegible (una fecha, un monto o "
            "una lista que no lo son), escrito fuera del sistema; su verificación se detuvo "
            "ahí."))
        return None
