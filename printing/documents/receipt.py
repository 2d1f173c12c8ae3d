"""The payment receipt of an expediente, from the hub's PaymentView.

The receipt's layout is printing.layout.receipt_layout (one layout for every receipt); this
module only turns a PaymentView (and, when at hand, its ExpedienteView) into a ReceiptPrint.
"""

from __future__ import annotations

from kiosk.services.expediente_views import ExpedienteView, PaymentView
from printing.blocks import Layout, paper
from printing.documents.common import (
    DEFAULT_TIMEZONE,
    applicant_document,
    grouped,
    method_text,
)
from printing.layout import ReceiptLine, ReceiptPrint, receipt_layout


def _payer_document(payment: PaymentView, expediente: ExpedienteView | None) -> str:
    """The payer's document when the payer is the applicant (or the applicant's person)."""
    if expediente is None:
        return ""
    names = {expediente.applicant_name.casefold()}
    if expediente.person is not None:
        names.add(expediente.person.full_name.casefold())
    if payment.payer.casefold() in names:
        return applicant_document(expediente) or ""
    return ""


def receipt_print(
    payment: PaymentView,
    office_name: str,
    tracking_url: str,
    *,
    expediente: ExpedienteView | None = None,
    municipality: str = "",
    reprint: bool = False,
    timezone: str = DEFAULT_TIMEZONE,
) -> ReceiptPrint:
    """The receipt's data: number, expediente, procedure, payer, amount, method (with the Banco
    de la Nación voucher), cash received and change, date and time, clerk and counter; an
    exemption as a line that takes its amount off, with its legal basis."""
    concept = "Derecho de trámite"
    if expediente is not None and expediente.procedure_code:
        concept += f" ({expediente.procedure_code})"
    lines: tuple[ReceiptLine, ...] = (ReceiptLine(concept, payment.amount),)
    if payment.exempted:  # the full fee, then what the law waives: the total is what was paid
        lines = (ReceiptLine(concept, payment.amount + payment.exempted),
                 ReceiptLine(f"Exoneración: {payment.exemption}", -payment.exempted))
    return ReceiptPrint(
        municipality=municipality,
        office_name=office_name,
        receipt_number=payment.receipt_number,
        issued_at=payment.paid_at,
        expediente_number=payment.expediente_number,
        procedure_name=payment.procedure_name,
        payer_name=payment.payer,
        payer_document=_payer_document(payment, expediente),
        lines=lines,
        legal_basis=payment.exemption_basis or "",
        payment_method=method_text(payment.method),
        voucher_number=payment.voucher_number,
        cash_received=payment.cash_received,
        change=payment.change,
        clerk=payment.clerk or "",
        counter=payment.counter,
        qr_payload=tracking_url,
        tracking_code=grouped(expediente.tracking_code) if expediente is not None else "",
        timezone=timezone,
        reprint=reprint,
    )


def payment_receipt_layout(
    payment: PaymentView,
    office_name: str,
    tracking_url: str,
    *,
    expediente: ExpedienteView | None = None,
    municipality: str = "",
    reprint: bool = False,
    width_mm: int = 80,
    timezone: str = DEFAULT_TIMEZONE,
) -> Layout:
    """The thermal receipt of `payment`, marked REIMPRESIÓN when `reprint`."""
    paper(width_mm)
    return receipt_layout(receipt_print(payment, office_name, tracking_url,
                                        expediente=expediente, municipality=municipality,
                                        reprint=reprint, timezone=timezone))

