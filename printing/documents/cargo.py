"""The cargo de recepción (Ley 27444, art. 128): the citizen's proof of filing.

`cargo_data` reads an ExpedienteView once into the words the cargo prints; `cargo_layout` lays
them out for the thermal printer (ESC/POS bytes and the PNG preview come from that one layout)
and printing.pdf.cargo puts the same words on an A4 page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kiosk.services.expediente_views import ExpedienteView
from printing.blocks import (
    QR,
    Block,
    Cut,
    Feed,
    Layout,
    Pair,
    ReprintMark,
    Rule,
    Text,
    paper,
)
from printing.documents.common import (
    DEFAULT_TIMEZONE,
    applicant_document,
    date_time,
    days_text,
    detail_rows,
    grouped,
    received_event,
    representative,
    short_date,
    who_and_where,
)
from printing.layout import OFFICE_LOOKUP, soles, web_address

TITLE = "CARGO DE RECEPCIÓN"
LEGAL_BASIS = "Ley N.° 27444, art. 128"


@dataclass(frozen=True)
class CargoRequirement:
    number: int
    text: str
    mandatory: bool
    presented: bool

    @property
    def status(self) -> str:
        """ "Presentado", "PENDIENTE" (mandatory, missing) or "No presentado" (conditional)."""
        if self.presented:
            return "Presentado"
        return "PENDIENTE" if self.mandatory else "No presentado (si corresponde)"


@dataclass(frozen=True)
class CargoPayment:
    receipt_number: str
    amount: Decimal
    paid_at: str  # local "dd/mm/yyyy HH:MM"


@dataclass(frozen=True)
class CargoData:
    """What a cargo says, already in words (Spanish) and local time."""

    municipality: str
    office_name: str
    number: str  # CAJ-2026-000123
    received_at: str  # "20/11/2026 08:15", office time
    received_by: str  # "Rosa Chávez Ibáñez – Ventanilla 3" or ""
    procedure: str  # "Copia certificada de partida de nacimiento"
    procedure_code: str  # TUPA code, "RC-01"
    area: str
    applicant: str
    applicant_document: str | None
    representative: str | None
    details: tuple[tuple[str, str], ...]
    requirements: tuple[CargoRequirement, ...]
    pages: int
    fee: Decimal
    fee_basis: str
    payments: tuple[CargoPayment, ...]
    paid: Decimal
    balance: Decimal
    deadline: str  # "4 días hábiles — vence el 04/12/2026"
    calificacion: str
    observation: str | None  # the 2-day correction notice of an observed filing
    tracking_code: str  # grouped for reading: "7KQ2 M9XA 4BZ3"
    tracking_url: str  # the public page (kiosk.config.tracking_link); "": none, no QR
    filed_at: datetime  # for the PDF's creation date
    reprint: bool = False
    reprinted_at: str | None = None

    @property
    def presented_count(self) -> int:
        return sum(1 for r in self.requirements if r.presented)

    @property
    def requirements_heading(self) -> str:
        return f"Requisitos presentados: {self.presented_count} de {len(self.requirements)}"

    @property
    def free(self) -> bool:
        return self.fee == 0

    @property
    def fee_text(self) -> str:
        return "gratuito" if self.free else soles(self.fee)

    def facts(self) -> list[tuple[str, str]]:
        """The cargo's (label, value) rows, in print order, after the number and time."""
        rows = [("Trámite", self.procedure)]
        if self.procedure_code:
            rows.append(("Código TUPA", self.procedure_code))
        if self.area:
            rows.append(("Área responsable", self.area))
        rows.append(("Solicitante", self.applicant))
        if self.applicant_document:
            rows.append(("Documento", self.applicant_document))
        if self.representative:
            rows.append(("Representante", self.representative))
        rows.extend(self.details)
        return rows


def cargo_data(
    expediente: ExpedienteView,
    office_name: str,
    tracking_url: str,
    *,
    municipality: str = "",
    reprint: bool = False,
    reprinted_at: datetime | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> CargoData:
    received = received_event(expediente)
    observation = None
    if expediente.observation_due is not None:
        observation = (f"Observado: subsane hasta el {short_date(expediente.observation_due)} "
                       "(2 días hábiles). El plazo queda suspendido mientras tanto.")
    return CargoData(
        municipality=municipality,
        office_name=office_name,
        number=expediente.number,
        received_at=date_time(expediente.filed_at, timezone),
        received_by=who_and_where(received.who, received.where) if received else "",
        procedure=expediente.procedure_name,
        procedure_code=expediente.procedure_code,
        area=expediente.area,
        applicant=expediente.applicant_name,
        applicant_document=applicant_document(expediente),
        representative=representative(expediente),
        details=tuple(detail_rows(expediente)),
        requirements=tuple(CargoRequirement(r.number, r.text, r.mandatory, r.presented)
                           for r in expediente.requirements),
        pages=expediente.pages,
        fee=expediente.fee,
        fee_basis=expediente.fee_basis,
        payments=tuple(CargoPayment(p.receipt_number, p.amount, date_time(p.paid_at, timezone))
                       for p in expediente.payments),
        paid=expediente.paid,
        balance=expediente.balance,
        deadline=(f"{days_text(expediente.deadline_working_days)} — vence el "
                  f"{short_date(expediente.due_date)}"),
        calificacion=expediente.calificacion_text,
        observation=observation,
        tracking_code=grouped(expediente.tracking_code),
        tracking_url=tracking_url,
        filed_at=expediente.filed_at,
        reprint=reprint,
        reprinted_at=date_time(reprinted_at, timezone) if reprint and reprinted_at else None,
    )


# --- thermal -------------------------------------------------------------------------------

_MARK = {True: "[X]", False: "[ ]"}  # CP858 has no check mark


def _requirement_text(req: CargoRequirement) -> str:
    mark = _MARK[req.presented] if req.presented or req.mandatory else "[-]"
    text = f"{req.number}. {mark} {req.text}"
    if not req.presented:
        text += " — PENDIENTE" if req.mandatory else " (si corresponde)"
    return text


def cargo_blocks(data: CargoData) -> Layout:
    """The cargo as a thermal layout (any paper width)."""
    blocks: list[Block] = []
    if data.municipality:
        blocks.append(Text(data.municipality, align="center", bold=True))
    blocks += [
        Text(data.office_name, align="center"),
        Rule(),
        Text(TITLE, align="center", bold=True, size=2),  # two lines on 58 mm, still large
        Text(LEGAL_BASIS, align="center"),
        Rule(),
        ReprintMark(),
        Text("Expediente N.°", align="center"),
        Text(data.number, align="center", bold=True, size=4, fit=True),
        Text(f"Recibido: {data.received_at}", align="center", bold=True),
    ]
    if data.received_by:
        blocks.append(Text(f"Recibido por: {data.received_by}", align="center"))
    blocks.append(Rule())
    blocks += [Text(f"{label}: {value}") for label, value in data.facts()]
    blocks.append(Rule())
    if data.requirements:
        blocks.append(Text(data.requirements_heading, bold=True))
        for req in data.requirements:
            blocks.append(Text(_requirement_text(req), indent=len(f"{req.number}. ")))
    blocks += [Text(f"N.° de folios: {data.pages}", bold=True), Rule()]
    blocks.append(Pair("Derecho de trámite", data.fee_text, bold=True))
    if data.fee_basis and not data.free:
        blocks.append(Text(data.fee_basis))
    for payment in data.payments:
        blocks.append(Pair(f"Recibo N.° {payment.receipt_number}", soles(payment.amount)))
    if data.payments or not data.free:
        blocks.append(Pair("Total pagado", soles(data.paid), bold=True))
    if data.balance > 0:
        blocks.append(Pair("Saldo pendiente", soles(data.balance), bold=True))
    blocks += [
        Rule(),
        Text(f"Plazo: {data.deadline}", bold=True),
        Text(f"Calificación: {data.calificacion}"),
    ]
    if data.observation:
        blocks.append(Text(data.observation, bold=True))
    blocks.append(Rule())
    if data.tracking_url:
        blocks += [
            Text("Código de seguimiento", align="center"),
            Text(data.tracking_code, align="center", bold=True, size=2, fit=True),
            Feed(),
            QR(data.tracking_url, module_dots=6),
            Text("Consulte el estado de su trámite con este código QR, en el kiosco o en:",
                 align="center"),
            Text(web_address(data.tracking_url), align="center"),
        ]
    else:  # no public address: no QR to a page that does not exist
        blocks += [
            Text(f"{OFFICE_LOOKUP}:", align="center"),
            Text(data.tracking_code, align="center", bold=True, size=2, fit=True),
            Text("(en el kiosco o en ventanilla)", align="center"),
        ]
    blocks.append(Text("Conserve este cargo.", align="center", bold=True))
    if data.reprinted_at:
        blocks.append(Text(f"Reimpreso el {data.reprinted_at}", align="center"))
    blocks.append(Cut())
    return Layout(tuple(blocks), reprint=data.reprint)


def cargo_layout(
    expediente: ExpedienteView,
    office_name: str,
    tracking_url: str,
    *,
    reprint: bool = False,
    width_mm: int = 80,
    municipality: str = "",
    reprinted_at: datetime | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> Layout:
    """The thermal cargo de recepción of `expediente`, marked REIMPRESIÓN when `reprint`.

    The layout fits any paper; `width_mm` (58 or 80) is checked here so a bad setting fails
    before anything is printed. Render it with `render_bytes(layout, width_mm)` or
    `preview_png(layout, width_mm)`, or hand it to `Printer.print(layout, "cargo", number)`.
    """
    paper(width_mm)
    return cargo_blocks(cargo_data(expediente, office_name, tracking_url,
                                   municipality=municipality, reprint=reprint,
                                   reprinted_at=reprinted_at, timezone=timezone))
