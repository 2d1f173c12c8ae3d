"""The documents the office prints (queue ticket, payment receipt, requirement list) as layouts.

Each `*Print` is the data a caller hands over; each `*_layout` turns it into a `Layout` of blocks
(see printing.blocks). Pure functions: no clock, no I/O, so a fixed input gives fixed bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from kiosk.rules.queue import PREFERENTIAL_CATEGORIES
from printing.blocks import (
    QR,
    Block,
    Cut,
    Feed,
    Layout,
    Logo,
    Pair,
    ReprintMark,
    Rule,
    Text,
)

__all__ = [
    "OFFICE_LOOKUP",
    "ReceiptLine",
    "ReceiptPrint",
    "Requirement",
    "RequirementsPrint",
    "TicketPrint",
    "TicketWords",
    "local_time",
    "preferential_label",
    "receipt_layout",
    "requirements_layout",
    "soles",
    "ticket_layout",
    "web_address",
]

CENT = Decimal("0.01")


def soles(amount: Decimal) -> str:
    """`S/ 1,234.50`: two decimals, half-up, from a Decimal (a float would hide rounding)."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"amounts must be Decimal, not {type(amount).__name__}")
    return f"S/ {amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def local_time(when: datetime, timezone: str) -> str:
    """dd/mm/yyyy HH:MM in the office's zone (a naive time is taken as already local)."""
    if when.tzinfo is not None:
        when = when.astimezone(ZoneInfo(timezone))
    return when.strftime("%d/%m/%Y %H:%M")


def preferential_label(category: str) -> str:
    # The core's wording (kiosk.rules.queue), so the ticket says what the kiosk screen said.
    return PREFERENTIAL_CATEGORIES.get(category, category.replace("_", " ").capitalize())


# What a document says instead of a QR when the office has no public address (nowhere a
# phone could look the expediente up): the code, and where it is of use.
OFFICE_LOOKUP = "Consulte el estado en la oficina con este código"


def web_address(url: str) -> str:
    """A link as a person types it into a browser: without "https://"."""
    return url.removeprefix("https://")


def _header(municipality: str, office_name: str) -> list[Block]:
    blocks: list[Block] = [Text(municipality, align="center", bold=True)] if municipality else []
    return [*blocks, Text(office_name, align="center"), Rule()]


# --- queue ticket --------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketWords:
    """Every word a queue ticket prints, in one language: Spanish here, the citizen's own when
    the kiosk fills them from its translations (ui/kiosk). `%1` and `%2` take the numbers."""

    people_ahead: str = "Personas delante: %1"
    wait_range: str = "Espera estimada: %1–%2 min"
    wait_minutes: str = "Espera estimada: %1 min"
    wait_short: str = "Espera estimada: pocos minutos"
    no_counter: str = "En este momento ninguna ventanilla atiende este servicio."
    preferential: str = "ATENCIÓN PREFERENCIAL – %1"
    categories: Mapping[str, str] = field(default_factory=lambda: dict(PREFERENTIAL_CATEGORIES))
    call: str = "Espere su llamado en la pantalla"
    reprint: str = "REIMPRESIÓN"


def _fill(template: str, *values: object) -> str:
    # Qt's placeholders, filled by replacement: a translation with a stray brace stays text.
    for number, value in enumerate(values, start=1):
        template = template.replace(f"%{number}", str(value))
    return template


@dataclass(frozen=True)
class TicketPrint:
    municipality: str
    office_name: str
    service_name: str
    number: str  # "A-023", "PA-001"
    issued_at: datetime
    people_ahead: int
    # A QR only where it leads somewhere a phone can open ("": none). The kiosk prints none:
    # the live queue is known in the office only, never at central's public page.
    qr_payload: str = ""
    wait_minutes: tuple[int, int] | None = None  # IssuedTicket.estimated_wait_min
    preferential: str | None = None  # gestante | adulto_mayor | discapacidad | nino
    timezone: str = "America/Lima"
    reprint: bool = False
    logo: bytes | None = None  # the office's PNG logo (admin window), printed at the top
    # False when no counter is open for the service (IssuedTicket.counters_open == 0): the
    # ticket says so instead of promising a wait that assumes someone serves it.
    serving_now: bool = True
    words: TicketWords = field(default_factory=TicketWords)


def _wait_text(wait: tuple[int, int], words: TicketWords) -> str:
    low, high = wait
    if high <= 0:
        return words.wait_short
    if low == high:
        return _fill(words.wait_minutes, low)
    return _fill(words.wait_range, low, high)


def ticket_layout(ticket: TicketPrint) -> Layout:
    words = ticket.words
    blocks: list[Block] = [Logo(ticket.logo)] if ticket.logo else []
    blocks += [
        *_header(ticket.municipality, ticket.office_name),
        ReprintMark(words.reprint),
        Text(ticket.service_name, align="center", bold=True),
        Feed(),
        # As large as the paper allows: 6x on 80 mm; 58 mm shrinks "PA-001" to 5x.
        Text(ticket.number, align="center", bold=True, size=6, fit=True),
        Feed(),
    ]
    if ticket.preferential:
        category = (words.categories.get(ticket.preferential)
                    or preferential_label(ticket.preferential))
        blocks.append(Text(_fill(words.preferential, category), align="center", bold=True))
    blocks += [
        Text(local_time(ticket.issued_at, ticket.timezone), align="center"),
        Rule(),
        Text(_fill(words.people_ahead, ticket.people_ahead), align="center"),
    ]
    if not ticket.serving_now:
        blocks.append(Text(words.no_counter, align="center", bold=True))
    elif ticket.wait_minutes is not None:
        blocks.append(Text(_wait_text(ticket.wait_minutes, words), align="center"))
    blocks += [
        Rule(),
        Text(words.call, align="center", bold=True),
        Feed(),
    ]
    if ticket.qr_payload:
        blocks += [QR(ticket.qr_payload, module_dots=6), Feed()]
    blocks.append(Cut())
    return Layout(tuple(blocks), reprint=ticket.reprint)


# --- payment receipt -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptLine:
    concept: str
    amount: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("receipt amounts must be Decimal")


@dataclass(frozen=True)
class ReceiptPrint:
    municipality: str
    office_name: str
    receipt_number: str  # "CAJ-R-2026-000045"
    issued_at: datetime
    expediente_number: str
    procedure_name: str
    payer_name: str
    payer_document: str  # "DNI 12345678", "RUC 20123456789"
    lines: tuple[ReceiptLine, ...]
    payment_method: str
    clerk: str
    qr_payload: str  # the expediente's public page (tracking_link); "": no QR
    timezone: str = "America/Lima"
    reprint: bool = False
    voucher_number: str | None = None  # Banco de la Nación deposit
    cash_received: Decimal | None = None  # cash handed over ...
    change: Decimal | None = None  # ... and the change given back
    counter: int | None = None  # the ventanilla that took the payment
    tracking_code: str = ""  # grouped for reading; printed when there is no QR
    legal_basis: str = ""  # of an exemption among the lines: the law that grants it

    def __post_init__(self) -> None:
        if not self.lines:
            raise ValueError("a receipt needs at least one line")
        for amount in (self.cash_received, self.change):
            if amount is not None and not isinstance(amount, Decimal):
                raise TypeError("receipt amounts must be Decimal")

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0"))


def _clerk_text(clerk: str, counter: int | None) -> str:
    where = f"Ventanilla {counter}" if counter is not None else ""
    return " – ".join(part for part in (clerk, where) if part)


def receipt_layout(receipt: ReceiptPrint) -> Layout:
    blocks: list[Block] = [
        *_header(receipt.municipality, receipt.office_name),
        Text("RECIBO DE PAGO", align="center", bold=True, size=2, fit=True),
        Text(f"N.° {receipt.receipt_number}", align="center", bold=True),
        Rule(),
        ReprintMark(),
        Text(f"Fecha: {local_time(receipt.issued_at, receipt.timezone)}"),
        Text(f"Expediente: {receipt.expediente_number}"),
        Text(f"Trámite: {receipt.procedure_name}"),
        Text(f"Pagador: {receipt.payer_name}"),
    ]
    if receipt.payer_document:
        blocks.append(Text(f"Documento: {receipt.payer_document}"))
    blocks += [
        Rule(),
        Pair("Concepto", "Importe", bold=True),
        *(Pair(line.concept, soles(line.amount)) for line in receipt.lines),
    ]
    if receipt.legal_basis:
        blocks.append(Text(f"Base legal: {receipt.legal_basis}"))
    blocks += [
        Rule(),
        Pair("TOTAL", soles(receipt.total), bold=True, size=2),
        Text(f"Forma de pago: {receipt.payment_method}"),
    ]
    if receipt.voucher_number:
        blocks.append(Text(f"Voucher N.° {receipt.voucher_number}"))
    if receipt.cash_received is not None:
        blocks.append(Pair("Recibido", soles(receipt.cash_received)))
    if receipt.change is not None:
        blocks.append(Pair("Vuelto", soles(receipt.change)))
    clerk = _clerk_text(receipt.clerk, receipt.counter)
    if clerk:
        blocks.append(Text(f"Atendido por: {clerk}"))
    blocks.append(Rule())
    if receipt.qr_payload:
        blocks += [Text("Consulte el estado de su trámite:", align="center"),
                   QR(receipt.qr_payload, module_dots=5),
                   Text(web_address(receipt.qr_payload), align="center")]
    elif receipt.tracking_code:
        blocks += [Text(f"{OFFICE_LOOKUP}:", align="center"),
                   Text(receipt.tracking_code, align="center", bold=True)]
    blocks += [Text("Conserve este recibo.", align="center"), Cut()]
    return Layout(tuple(blocks), reprint=receipt.reprint)


# --- requirement list ----------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    text: str
    conditional: bool = False  # required only in some cases


@dataclass(frozen=True)
class RequirementsPrint:
    municipality: str
    office_name: str
    procedure_name: str
    fee: Decimal | None  # 0: free; None: «tasa por confirmar» (the year's UIT not loaded)
    deadline_working_days: int  # 0: same day
    requirements: tuple[Requirement, ...]
    printed_at: datetime
    procedure_code: str = ""
    fee_note: str = ""  # "2.25 % de la UIT 2026"
    qualification: str = ""  # "Aprobación automática", "Evaluación previa (silencio positivo)"
    authority: str = ""  # who decides the procedure
    appeals: tuple[str, ...] = ()  # one line each (AppealView.text)
    qr_payload: str = ""
    timezone: str = "America/Lima"


def _deadline_text(days: int) -> str:
    if days <= 0:
        return "Plazo: el mismo día"
    return "Plazo: 1 día hábil" if days == 1 else f"Plazo: {days} días hábiles"


def _fee_blocks(fee: Decimal | None, note: str) -> list[Block]:
    if fee is None:  # never a guessed amount on paper
        return [Text("Derecho de trámite: tasa por confirmar", bold=True),
                *([Text(f"({note})")] if note else [])]
    if fee == 0:
        return [Text("Derecho de trámite: gratuito")]
    blocks: list[Block] = [Text(f"Derecho de trámite: {soles(fee)}")]
    if note:
        blocks.append(Text(f"({note})"))
    return blocks


def requirements_layout(doc: RequirementsPrint) -> Layout:
    blocks: list[Block] = [
        *_header(doc.municipality, doc.office_name),
        Text("REQUISITOS", align="center", bold=True, size=2, fit=True),
        Text(doc.procedure_name, align="center", bold=True),
    ]
    if doc.procedure_code:
        blocks.append(Text(f"Código TUPA: {doc.procedure_code}", align="center"))
    blocks += [Rule(), *_fee_blocks(doc.fee, doc.fee_note),
               Text(_deadline_text(doc.deadline_working_days))]
    if doc.qualification:
        blocks.append(Text(f"Calificación: {doc.qualification}"))
    if doc.authority:
        blocks.append(Text(f"Resuelve: {doc.authority}"))
    if doc.appeals:
        blocks.append(Text("Recursos contra lo resuelto:"))
        blocks += [Text(f"- {line}.", indent=2) for line in doc.appeals]
    blocks += [Rule(), Text("Presente lo siguiente:", bold=True)]
    for number, req in enumerate(doc.requirements, start=1):
        prefix = f"{number}. "
        suffix = " (si corresponde)" if req.conditional else ""
        blocks.append(Text(prefix + req.text + suffix, indent=len(prefix)))
    blocks += [Rule(), Text(f"Impreso el {local_time(doc.printed_at, doc.timezone)}"),
               Text("Documento informativo. Los requisitos pueden variar con el TUPA vigente.")]
    if doc.qr_payload:
        blocks += [Feed(), QR(doc.qr_payload, module_dots=5)]
    blocks.append(Cut())
    return Layout(tuple(blocks))
