"""Documents issued for an expediente: cargo de recepción, payment receipts, copias certificadas.

The counter reports each document after it came out of the printer (or was saved as a PDF);
the hub keeps it as a `document_issued` event on the expediente (who, when, where), so any
counter, also after a restart, knows that the next one is a reprint: REIMPRESIÓN on a cargo or
receipt, DUPLICADO on a certified copy. `ExpedienteView.documents` lists them.

Issues are counted per medium: the cargo saved on A4 after the thermal one is the same
document on other paper (its original in A4, n.º 1), not a reprint; a second A4 is.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.expedientes import Status
from kiosk.services.expediente_views import DocumentInput, ExpedienteView
from kiosk.services.expedientes import (
    DOCUMENT_EVENT,
    DOCUMENT_TEXT,
    Actor,
    expediente_view,
    find_expediente,
    record,
    silence_recorded_on,
)
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import Event, Expediente, Payment

ISSUED_TEXT = {"cargo": "emitido", "receipt": "emitido", "copia": "emitida",
               "constancia_silencio": "emitida"}  # gender agrees
MEDIUM_TEXT = {"termica": "en la ticketera", "pdf": "en A4 (PDF)"}
COPY_READY = frozenset({Status.APROBADO, Status.ENTREGADO})


def check_copy_ready(expediente: Expediente) -> None:
    """A copia certificada comes from an approved request with its acta linked."""
    if expediente.acta_id is None or Status(expediente.status) not in COPY_READY:
        raise Conflict("copy_not_ready",
                       f"El expediente {expediente.number} no puede dar una copia certificada: "
                       "se emite de una solicitud aprobada que tiene su acta vinculada.")


def _previous(session: Session, expediente: Expediente, document: str,
              receipt_number: str | None, medium: str) -> int:
    rows = session.scalars(select(Event.data).where(
        Event.stream == "expediente", Event.stream_id == expediente.id,
        Event.kind == DOCUMENT_EVENT))
    return sum(1 for data in rows if isinstance(data, dict) and data.get("document") == document
               and data.get("receipt_number") == receipt_number
               and data.get("medium") == medium)


def record_document(uow: UnitOfWork, reference: str, issue: DocumentInput, actor: Actor,
                    calendar: WorkingCalendar | None = None) -> ExpedienteView:
    """Record one issue of a document; returns the expediente with it in `documents`
    (`calendar`: the office's, for what it shows that counts days, as its appeals)."""
    expediente = find_expediente(uow.session, uow.office.office_id, reference)
    receipt = None
    if issue.document == "receipt":
        number = (issue.receipt_number or "").strip().upper()
        if not number:
            raise InvalidInput("receipt_required",
                               "Indique el número del recibo que se imprimió.")
        receipt = number
        known = uow.session.scalar(select(Payment.id).where(
            Payment.expediente_id == expediente.id, Payment.receipt_number == number))
        if known is None:
            raise NotFound("unknown_receipt",
                           f"El recibo «{number[:30]}» no es de un pago del expediente "
                           f"{expediente.number}.")
    elif issue.receipt_number is not None:
        raise InvalidInput("invalid_receipt",
                           "El número de recibo solo corresponde a un recibo de pago.")
    if issue.document == "copia":
        check_copy_ready(expediente)
    if issue.document == "constancia_silencio" and (
            silence_recorded_on(uow.session, expediente) is None
            or Status(expediente.status) is Status.NULO):
        raise Conflict("no_silence",
                       f"El expediente {expediente.number} no tiene silencio administrativo "
                       "positivo registrado (o fue declarado nulo): no corresponde la "
                       "constancia.")
    issue_number = _previous(uow.session, expediente, issue.document, receipt,
                             issue.medium) + 1
    what = DOCUMENT_TEXT[issue.document] + (f" {receipt}" if receipt else "")
    mark = ("duplicado" if issue.document == "copia" else "reimpresión") if issue.reprint \
        else "original"
    note = (f"{what} {ISSUED_TEXT[issue.document]} {MEDIUM_TEXT[issue.medium]} "
            f"({mark}, n.º {issue_number})")
    data: dict[str, Any] = {
        "document": issue.document, "medium": issue.medium, "receipt_number": receipt,
        "issue_number": issue_number, "reprint": issue.reprint, "area": expediente.area,
        "note": note}
    record(uow, expediente, DOCUMENT_EVENT, actor, **data)
    return expediente_view(uow.session, expediente, uow.today, calendar)

