"""The hoja de reclamación: the citizen's copy of a reclamo of the Libro de Reclamaciones
(DS 007-2020-PCM), printed at the kiosk or the counter right after filing, with its number
and the day by which the entity must answer (kiosk/rules/reclamos.py)."""

from __future__ import annotations

from kiosk.rules.reclamos import NOT_RECLAMOS
from kiosk.services.reclamo_views import ReclamoView
from printing.blocks import Block, Cut, Layout, ReprintMark, Rule, Text, paper
from printing.documents.common import (
    DEFAULT_TIMEZONE,
    DOC_TYPE_TEXT,
    date_time,
    days_text,
    long_date,
)

TITLE = "LIBRO DE RECLAMACIONES"
SUBTITLE = "HOJA DE RECLAMACIÓN"
LAW = "DS 007-2020-PCM"


def _answer_to(reclamo: ReclamoView) -> str:
    if reclamo.email:
        return f"al correo {reclamo.email}"
    return f"al domicilio {reclamo.address}" if reclamo.address else "en esta oficina"


def hoja_reclamo_blocks(reclamo: ReclamoView, *, municipality: str = "",
                        reprint: bool = False, timezone: str = DEFAULT_TIMEZONE) -> Layout:
    blocks: list[Block] = []
    if municipality:
        blocks.append(Text(municipality, align="center", bold=True))
    blocks += [
        Text(reclamo.office_name, align="center"),
        Rule(),
        Text(TITLE, align="center", bold=True, size=2, fit=True),
        Text(f"{SUBTITLE} ({LAW})", align="center"),
        Rule(),
        ReprintMark(),
        Text("Reclamo N.°", align="center"),
        Text(reclamo.number, align="center", bold=True, size=2, fit=True),
        Text(f"Registrado el {date_time(reclamo.filed_at, timezone)}", align="center"),
        Rule(),
        Text(f"Nombre: {reclamo.full_name}"),
        Text(f"Documento: {DOC_TYPE_TEXT.get(reclamo.doc_type, reclamo.doc_type)} "
             f"{reclamo.doc_number}"),
    ]
    for label, value in (("Domicilio", reclamo.address), ("Teléfono", reclamo.phone),
                         ("Correo", reclamo.email)):
        if value:
            blocks.append(Text(f"{label}: {value}"))
    blocks += [Text(f"Categoría: {reclamo.category_text}"), Rule(),
               Text("Detalle:", bold=True), Text(reclamo.description)]
    if reclamo.request:
        blocks += [Text("Pedido:", bold=True), Text(reclamo.request)]
    blocks += [
        Rule(),
        Text("La entidad debe responder a más tardar el", align="center"),
        Text(long_date(reclamo.due_date), align="center", bold=True, size=2, fit=True),
        Text(f"({days_text(reclamo.answer_working_days)} desde su registro)", align="center"),
        Text(f"La respuesta se enviará {_answer_to(reclamo)}."),
        Rule(),
        Text("No son reclamos y van por otra vía:"),
    ]
    blocks += [Text(f"- {e.what.split(' (')[0]}: {e.where}") for e in NOT_RECLAMOS]
    blocks += [Rule(), Text("Conserve esta hoja.", align="center", bold=True), Cut()]
    return Layout(tuple(blocks), reprint=reprint)


def hoja_reclamo_layout(reclamo: ReclamoView, *, municipality: str = "", reprint: bool = False,
                        width_mm: int = 80, timezone: str = DEFAULT_TIMEZONE) -> Layout:
    """The thermal hoja of `reclamo` (58 or 80 mm), marked REIMPRESIÓN when `reprint`."""
    paper(width_mm)
    return hoja_reclamo_blocks(reclamo, municipality=municipality, reprint=reprint,
                               timezone=timezone)
