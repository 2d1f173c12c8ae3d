"""What each event does to the row it describes: the one projection of tickets, expedientes and
payments from their events (ARCHITECTURE §4).

The services call these functions as they record an event, so the row and its event are
written in one transaction by the same code; `cac audit verify` (kiosk/services/audit_rows.py)
replays the stored events through them and compares the rows that come out with the stored
ones. What an event means for its row is said here, once.

`data` is the event's data as recorded (with the who/where the services add); `at` its
`occurred_at`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.rules.expedientes import ACTION_EVENT, APPEAL_DECIDED, LEGAL_APPROVALS, Status
from kiosk.rules.money import ZERO, soles
from kiosk.rules.queue import TicketStatus
from kiosk.storage.tables import Expediente, Ticket

# The columns each table's events determine (what `cac audit verify` compares). The rest are
# copied from the catalogue at filing (terms, tracking code, details) or are bookkeeping.
TICKET_FIELDS = ("number", "business_date", "service_id", "origin_service_id", "preferential",
                 "status", "issued_at", "called_at", "last_called_at", "started_at",
                 "finished_at", "missed_at", "counter_number", "outcome", "recalls",
                 "transfers", "user_id")
EXPEDIENTE_FIELDS = ("number", "status", "area", "filed_at", "requirements_presented", "pages",
                     "fee", "paid", "due_date", "observed_at", "observation_due",
                     "stopped_working_days", "itse_done", "decided_at", "delivered_at",
                     "person_id", "business_id", "created_by", "exemption", "exempted")
# The acta of a partida is an event's only once linked after filing («acta_linked»).
EXPEDIENTE_LINKED_FIELDS = ("acta_id",)
PAYMENT_FIELDS = ("expediente_id", "amount", "method", "voucher_number", "cash_received",
                  "user_id", "counter_number", "paid_at", "business_date")

# Events of a counter serving a ticket: they name the clerk, whose figures they count for.
SERVING_EVENTS = frozenset({"called", "recalled", "started", "finished", "no_show",
                            "transferred"})
TICKET_CREATED = "issued"
EXPEDIENTE_CREATED = "received"
PAYMENT_EVENT = "paid"
# Expediente events that move it to the status they name in `to_status`.
_STATUS_EVENTS = frozenset({*ACTION_EVENT.values(), *LEGAL_APPROVALS})


# --- tickets -----------------------------------------------------------------------------


def ticket_issued(data: Mapping[str, Any], at: datetime, service_id: str) -> dict[str, Any]:
    """The columns of a new ticket its «issued» event sets (`service_id`: its service's id,
    the event names the code)."""
    return {"number": data["number"], "business_date": date.fromisoformat(data["business_date"]),
            "service_id": service_id, "origin_service_id": service_id,
            "preferential": data.get("preferential"), "status": TicketStatus.WAITING.value,
            "issued_at": at, "recalls": 0, "transfers": 0}


def project_ticket(ticket: Ticket, kind: str, data: Mapping[str, Any], at: datetime,
                   service_ids: Mapping[str, str]) -> None:
    """Apply one later event of a ticket; `service_ids` maps service codes to ids (for a
    transfer)."""
    if kind == "called":
        ticket.status = TicketStatus.CALLED
        ticket.called_at = ticket.called_at or at
        ticket.last_called_at = at
        ticket.counter_number = data["counter"]
    elif kind == "recalled":
        ticket.recalls += 1
        ticket.last_called_at = at
    elif kind == "started":
        ticket.status = TicketStatus.SERVING
        ticket.started_at = at
    elif kind == "finished":
        ticket.status = TicketStatus.FINISHED
        ticket.finished_at = at
        ticket.outcome = data["outcome"]
    elif kind == "no_show":
        ticket.status = TicketStatus.NO_SHOW
        ticket.missed_at = at
    elif kind == "reinstated":
        # It keeps its issue time, so it goes back to the front of its service.
        ticket.status = TicketStatus.WAITING
        ticket.missed_at = None
    elif kind == "transferred":
        # Issue time and preference are kept: the citizen does not queue again from the back.
        ticket.status = TicketStatus.WAITING
        ticket.service_id = service_ids[data["to_service"]]
        ticket.started_at = None
        ticket.transfers += 1
    elif kind == "expired":
        ticket.status = TicketStatus.EXPIRED
    if kind in SERVING_EVENTS and (kind == "called" or "who_id" in data):
        # A call decides whose ticket it is (like its counter); later steps only fill it in.
        ticket.user_id = data.get("who_id")


# --- expedientes and their payments ------------------------------------------------------


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def project_expediente(expediente: Expediente, kind: str, data: Mapping[str, Any],
                       at: datetime) -> None:
    """Apply one event of an expediente, «received» (which sets every field) included."""
    if kind == EXPEDIENTE_CREATED:
        expediente.number = data["number"]
        expediente.status = Status.RECIBIDO
        expediente.area = data["area"]
        expediente.filed_at = at
        expediente.requirements_presented = list(data["requirements_presented"])
        expediente.pages = data["pages"]
        expediente.fee = Decimal(data["fee"])
        expediente.exemption = data.get("exemption")
        expediente.exempted = None if data.get("exempted") is None else Decimal(data["exempted"])
        expediente.paid = ZERO
        expediente.due_date = date.fromisoformat(data["due_date"])
        expediente.observed_at = expediente.observation_due = None
        expediente.stopped_working_days = 0
        expediente.itse_done = False
        expediente.decided_at = expediente.delivered_at = None
        expediente.person_id = data["person_id"]
        expediente.business_id = data["business_id"]
        expediente.created_by = data["who_id"]
        return
    if kind == PAYMENT_EVENT:
        expediente.paid = soles(expediente.paid + Decimal(data["amount"]))
        return
    if kind == "due_date_moved":
        expediente.due_date = date.fromisoformat(data["due_date"])
        if "observation_due" in data:
            expediente.observation_due = _day(data["observation_due"])
        return
    if kind == APPEAL_DECIDED:
        # Fundado against a denial or a nulidad changes the status; the rest only the history.
        if "to_status" in data:
            expediente.status = Status(data["to_status"])
        return
    if kind not in _STATUS_EVENTS:
        return  # documents issued, files attached, appeals filed: history only
    expediente.status = Status(data["to_status"])
    if kind == "observed":
        expediente.observed_at = at
        expediente.observation_due = _day(data["observation_due"])
    elif kind == "corrected":
        if "requirements_presented" in data:
            expediente.requirements_presented = list(data["requirements_presented"])
        expediente.stopped_working_days += data["stopped_working_days"]
        expediente.due_date = date.fromisoformat(data["due_date"])
        expediente.observation_due = None
    elif kind == "derived":
        expediente.area = data["area"]
    elif kind == "inspected":
        expediente.itse_done = data["inspection_result"] == "conforme"
    elif kind in ("approved", "denied", *LEGAL_APPROVALS):
        expediente.decided_at = at
    elif kind == "delivered":
        expediente.delivered_at = at
    elif kind == "acta_linked":
        expediente.acta_id = data["acta_id"]


def payment_fields(expediente_id: str, data: Mapping[str, Any], at: datetime, tz: ZoneInfo
                   ) -> dict[str, Any]:
    """The payment row a «paid» event of an expediente records (besides its id and office)."""
    cash = data.get("cash_received")
    return {"expediente_id": expediente_id, "receipt_number": data["receipt_number"],
            "amount": Decimal(data["amount"]), "method": data["method"],
            "voucher_number": data.get("voucher_number"),
            "cash_received": None if cash is None else Decimal(cash),
            "user_id": data.get("who_id"), "counter_number": data.get("counter"),
            "paid_at": at, "business_date": at.astimezone(tz).date()}
