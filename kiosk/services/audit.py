"""`cac audit verify`: walk the office's hash chain and say where it was broken, then compare
every ticket, expediente and payment with its events (kiosk/services/audit_rows.py).

Each event's hash covers its content and the previous event's hash (kiosk/rules/audit.py), and
events are numbered without gaps. So an edited row no longer matches its own hash (or, if its
hash was recomputed too, the next row no longer follows it); a deleted row leaves a gap in the
numbering; rows swapped or moved break the links on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from kiosk.rules.audit import GENESIS, event_hash
from kiosk.services.audit_rows import RowProblem, verify_rows
from kiosk.storage.tables import AuditHead, Event

MAX_PROBLEMS = 200  # beyond this a store is plainly damaged: the first ones say where


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    kind: str  # edited | deleted | out_of_order
    message: str  # Spanish, naming the event


@dataclass
class AuditReport:
    checked: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    problems: list[AuditProblem] = field(default_factory=list)
    truncated: bool = False
    # The rows that differ from their events; None when they were not compared (a backup's
    # chain checked before restoring it).
    rows: list[RowProblem] | None = None
    rows_checked: dict[str, int] = field(default_factory=dict)
    rows_truncated: bool = False

    @property
    def chain_ok(self) -> bool:
        return not self.problems

    @property
    def ok(self) -> bool:
        return not self.problems and not self.rows

    def add(self, problem: AuditProblem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.truncated = True


def _describe(event: Event, tz: ZoneInfo) -> str:
    when = event.occurred_at.astimezone(tz).strftime("%d/%m/%Y %H:%M:%S")
    number = event.data.get("number") if isinstance(event.data, dict) else None
    what = f"{event.stream}/{event.kind}" + (f" {number}" if number else "")
    return f"el evento n.º {event.seq} ({what}, {when})"


def verify_chain(session: Session, tz: ZoneInfo) -> AuditReport:
    report = AuditReport()
    previous: Event | None = None
    previous_hash = GENESIS
    in_gaps = 0  # events missing from the numbering, already reported
    rows = session.execute(select(Event).order_by(Event.seq).execution_options(yield_per=2000))
    for event in rows.scalars():
        report.checked += 1
        report.first_seq = event.seq if report.first_seq is None else report.first_seq
        report.last_seq = event.seq
        expected_seq = (previous.seq + 1) if previous is not None else 1
        gap = event.seq != expected_seq
        if gap:
            in_gaps += max(event.seq - expected_seq, 0)
            missing = (f"el n.º {expected_seq}" if event.seq == expected_seq + 1
                       else f"los n.º {expected_seq} a {event.seq - 1}")
            after = f" después de {_describe(previous, tz)}" if previous is not None else ""
            report.add(AuditProblem(expected_seq, "deleted",
                                    f"Faltan eventos: {missing}{after} fueron borrados."))
        content = event_hash(event.prev_hash, event_id=event.id, office_id=event.office_id,
                             stream=event.stream, stream_id=event.stream_id, kind=event.kind,
                             occurred_at=event.occurred_at, hlc=event.hlc,
                             device_id=event.device_id, data=event.data)
        if content != event.hash:
            report.add(AuditProblem(event.seq, "edited",
                                    f"Se modificó {_describe(event, tz)}: su contenido ya no "
                                    "coincide con su huella."))
        elif event.prev_hash != previous_hash and not gap:
            report.add(AuditProblem(
                event.seq, "out_of_order",
                f"{_describe(event, tz).capitalize()} no continúa la cadena del anterior: se "
                "cambió de lugar, se reemplazó, o se modificó el anterior y se recalculó su "
                "huella."))
        previous, previous_hash = event, event.hash
        session.expunge(event)  # a large office: keep memory flat
    try:
        head = session.get(AuditHead, 1)
    except OperationalError:  # a backup made before migration 0009: no head to compare with
        head = None
    # Events written but neither present nor missing from the numbering: the tail was cut (and
    # maybe written over, reusing its numbers).
    if head is not None and (head.events > report.checked + in_gaps or
                             head.last_seq > (report.last_seq or 0)):
        first = (report.last_seq or 0) + 1
        missing = (f"el n.º {first}" if head.last_seq <= first
                   else f"los n.º {first} a {head.last_seq}")
        tail = f" después de {_describe(previous, tz)}" if previous is not None else ""
        report.add(AuditProblem(
            first, "deleted",
            f"Faltan eventos al final de la cadena: {missing}{tail} fueron borrados "
            f"({head.events - report.checked - in_gaps} menos de los que se escribieron)."))
    return report


def verify(session: Session, tz: ZoneInfo) -> AuditReport:
    """The chain, then every ticket, expediente and payment against its events (one read
    snapshot: a hub serving meanwhile does not show up as a difference)."""
    report = verify_chain(session, tz)
    check = verify_rows(session, tz)
    report.rows, report.rows_checked, report.rows_truncated = (check.problems, check.checked,
                                                               check.truncated)
    return report
