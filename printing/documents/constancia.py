"""The constancia de silencio administrativo positivo: the citizen's proof that the request
was approved by law (TUO de la Ley 27444, art. 199.1) because the office did not decide it in
time. Only for an expediente whose silence the hub recorded (`ExpedienteView.approved_by_law
== "silence_operated"`); the counter reports each issue (document «constancia_silencio»).

`constancia_data` reads the view once into words; `constancia_layout` lays them out for the
thermal printer and printing.pdf.constancia puts the same words on an A4 page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.rules.expedientes import SILENCE, SILENCE_OPERATED
from kiosk.services.expediente_views import ExpedienteView
from printing.blocks import Block, Cut, Layout, ReprintMark, Rule, Text, paper
from printing.documents.common import (
    DEFAULT_TIMEZONE,
    applicant_document,
    date_time,
    days_text,
    detail_rows,
    grouped,
    local,
    long_date,
    short_date,
)
from printing.layout import OFFICE_LOOKUP

TITLE = "CONSTANCIA DE SILENCIO ADMINISTRATIVO POSITIVO"


class NoSilence(ValueError):
    """The expediente has no silencio positivo recorded: there is nothing to certify."""


@dataclass(frozen=True)
class ConstanciaData:
    """What a constancia says, in Spanish words and office time."""

    municipality: str
    office_name: str
    number: str
    procedure: str
    procedure_code: str
    applicant: str
    applicant_document: str | None
    details: tuple[tuple[str, str], ...]
    filed_at: str  # "20/11/2026 08:15"
    deadline: str  # "15 días hábiles — vencido el 15/12/2026"
    operated_on: str  # "16/12/2026"
    statement: str  # the paragraph that certifies it, naming the article
    legal_basis: str  # the article
    tracking_code: str
    issued_at: str  # when it was printed
    created_at: datetime  # for the PDF's creation date
    reprint: bool = False

    def facts(self) -> list[tuple[str, str]]:
        rows = [("Expediente N.°", self.number), ("Trámite", self.procedure)]
        if self.procedure_code:
            rows.append(("Código TUPA", self.procedure_code))
        rows.append(("Solicitante", self.applicant))
        if self.applicant_document:
            rows.append(("Documento", self.applicant_document))
        rows += [*self.details, ("Presentado", self.filed_at), ("Plazo", self.deadline),
                 ("Aprobado por ley desde", self.operated_on)]
        return rows


def constancia_data(expediente: ExpedienteView, office_name: str, issued_at: datetime, *,
                    municipality: str = "", reprint: bool = False,
                    timezone: str = DEFAULT_TIMEZONE) -> ConstanciaData:
    operated = expediente.silence_operated_on
    if expediente.approved_by_law != SILENCE_OPERATED or operated is None:
        raise NoSilence(f"El expediente {expediente.number} no tiene silencio administrativo "
                        "positivo registrado: no corresponde la constancia.")
    article = expediente.silence_article or SILENCE.article
    filed_on = local(expediente.filed_at, timezone).date()
    statement = (
        f"Se deja constancia de que la solicitud del expediente {expediente.number}, presentada "
        f"el {long_date(filed_on)}, no fue resuelta ni notificada dentro del plazo de "
        f"{days_text(expediente.deadline_working_days)}, que venció el "
        f"{long_date(expediente.due_date)}. Conforme al {article}, ha quedado aprobada "
        f"automáticamente en los términos en que fue solicitada desde el {long_date(operated)}. "
        "La entidad solo puede dejarla sin efecto mediante la declaración de nulidad de oficio.")
    return ConstanciaData(
        municipality=municipality, office_name=office_name, number=expediente.number,
        procedure=expediente.procedure_name, procedure_code=expediente.procedure_code,
        applicant=expediente.applicant_name, applicant_document=applicant_document(expediente),
        details=tuple(detail_rows(expediente)),
        filed_at=date_time(expediente.filed_at, timezone),
        deadline=(f"{days_text(expediente.deadline_working_days)} — vencido el "
                  f"{short_date(expediente.due_date)}"),
        operated_on=short_date(operated), statement=statement, legal_basis=article,
        tracking_code=grouped(expediente.tracking_code),
        issued_at=date_time(issued_at, timezone), created_at=issued_at, reprint=reprint)


def constancia_blocks(data: ConstanciaData) -> Layout:
    """The constancia as a thermal layout (any paper width)."""
    blocks: list[Block] = []
    if data.municipality:
        blocks.append(Text(data.municipality, align="center", bold=True))
    blocks += [
        Text(data.office_name, align="center"),
        Rule(),
        Text(TITLE, align="center", bold=True, size=2),
        Text(data.legal_basis, align="center"),
        Rule(),
        ReprintMark(),
        Text("Expediente N.°", align="center"),
        Text(data.number, align="center", bold=True, size=4, fit=True),
        Text(f"Aprobado por ley desde el {data.operated_on}", align="center", bold=True),
        Rule(),
    ]
    blocks += [Text(f"{label}: {value}") for label, value in data.facts()[1:]]
    blocks += [Rule(), Text(data.statement), Rule(),
               Text(f"{OFFICE_LOOKUP}:", align="center"),
               Text(data.tracking_code, align="center", bold=True, size=2, fit=True),
               Text(f"Emitida el {data.issued_at}", align="center"),
               Text("Conserve esta constancia.", align="center", bold=True), Cut()]
    return Layout(tuple(blocks), reprint=data.reprint)


def constancia_layout(expediente: ExpedienteView, office_name: str, issued_at: datetime, *,
                      reprint: bool = False, width_mm: int = 80, municipality: str = "",
                      timezone: str = DEFAULT_TIMEZONE) -> Layout:
    """The thermal constancia of `expediente` (58 or 80 mm), marked REIMPRESIÓN when `reprint`;
    NoSilence when no silencio positivo is recorded on it."""
    paper(width_mm)
    return constancia_blocks(constancia_data(expediente, office_name, issued_at,
                                             municipality=municipality, reprint=reprint,
                                             timezone=timezone))
