"""The constancia de silencio administrativo positivo on A4: the same words as the thermal one
(printing.documents.constancia)."""

from __future__ import annotations

from datetime import datetime

from kiosk.services.expediente_views import ExpedienteView
from printing.documents.common import DEFAULT_TIMEZONE
from printing.documents.constancia import TITLE, ConstanciaData, constancia_data
from printing.pdf.base import FAMILY, OfficePdf, PageInfo

REPRINT_MARK = "REIMPRESIÓN"
FOOTER = "Conserve esta constancia: acredita la aprobación de su solicitud por silencio positivo."


def constancia_pdf(expediente: ExpedienteView, office_name: str, issued_at: datetime, *,
                   municipality: str = "", reprint: bool = False,
                   timezone: str = DEFAULT_TIMEZONE) -> bytes:
    """The A4 constancia of `expediente` as PDF bytes (NoSilence without a recorded silence).
    Same input, same bytes."""
    return render_constancia_pdf(constancia_data(expediente, office_name, issued_at,
                                                 municipality=municipality, reprint=reprint,
                                                 timezone=timezone))


def render_constancia_pdf(data: ConstanciaData) -> bytes:
    info = PageInfo(data.municipality, data.office_name, unit="Mesa de partes",
                    mark=REPRINT_MARK if data.reprint else "", footer=FOOTER)
    pdf = OfficePdf(info, title=f"Constancia de silencio positivo {data.number}",
                    subject=f"Constancia de silencio administrativo positivo del expediente "
                            f"{data.number}",
                    created_at=data.created_at, keywords=(data.number, "silencio positivo"))
    pdf.add_page()
    pdf.title_block(TITLE, data.legal_basis)
    pdf.section("Datos del expediente")
    pdf.set_font(FAMILY, "", 9)
    pdf.facts(data.facts())
    pdf.section("Constancia")
    pdf.paragraph(data.statement)
    pdf.ln(3)
    pdf.paragraph(f"Código de seguimiento: {data.tracking_code}", bold=True, size=10)
    pdf.paragraph(f"Emitida el {data.issued_at}.", size=9)
    pdf.ensure_room(30)
    pdf.ln(18)
    pdf.signature(pdf.l_margin + pdf.epw / 2 + 8, pdf.get_y(), pdf.epw / 2 - 16,
                  "Firma y sello de la mesa de partes")
    return pdf.to_bytes()
