"""The cargo de recepción on A4: the same words as the thermal cargo (printing.documents.cargo)."""

from __future__ import annotations

from datetime import datetime

from fpdf.enums import XPos, YPos

from kiosk.services.expediente_views import ExpedienteView
from kiosk.services.signing_views import IssuedStatement
from kiosk.signing.statement import keyword
from printing.documents.cargo import LEGAL_BASIS, TITLE, CargoData, cargo_data
from printing.documents.common import DEFAULT_TIMEZONE
from printing.layout import OFFICE_LOOKUP, soles, web_address
from printing.pdf.base import BOLD, FAMILY, HEADING, LINE, PAD, OfficePdf, PageInfo

REPRINT_MARK = "REIMPRESIÓN"
QR_SIZE = 24.0  # mm, plus the quiet zone around it
FOOTER = ("Conserve este cargo: acredita la presentación de su solicitud "
          f"({LEGAL_BASIS}).")


def _number_box(pdf: OfficePdf, data: CargoData, qr_payload: str) -> None:
    """Expediente number, time of receipt and the tracking QR, side by side in one frame."""
    x, y = pdf.l_margin, pdf.get_y()
    qr_col = QR_SIZE + 12
    first = (pdf.epw - qr_col) * 0.53
    second = pdf.epw - qr_col - first
    height = QR_SIZE + 11.5
    pdf.set_line_width(0.5)
    pdf.rect(x, y, pdf.epw, height)
    pdf.line(x + first, y, x + first, y + height)
    pdf.line(x + first + second, y, x + first + second, y + height)
    pdf.set_line_width(0.2)
    middle = y + height / 2
    pdf.set_xy(x, middle - 9)
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(first, 4, "Expediente N.°", align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "B", 20)
    pdf.cell(first, 11, data.number, align="C")
    pdf.set_xy(x + first, middle - 11)
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(second, 4, "Fecha y hora de recepción", align="C",
             new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "B", 15)
    pdf.cell(second, 9, data.received_at, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    if data.received_by:
        pdf.set_font(FAMILY, "", 8)
        pdf.multi_cell(second, 3.8, f"Recibido por: {data.received_by}", align="C",
                       new_x=XPos.LEFT, new_y=YPos.NEXT)
    if qr_payload:
        pdf.qr(qr_payload, x + first + second + 6, y + 3.4, QR_SIZE)
        pdf.set_xy(x + first + second, y + QR_SIZE + 4.8)
        pdf.set_font(FAMILY, "B", 8)
        pdf.cell(qr_col, 4, data.tracking_code, align="C")
    else:  # no public address: the code, large, where the QR would be
        pdf.set_xy(x + first + second + 1, middle - 10)
        pdf.set_font(FAMILY, "", 8)
        pdf.multi_cell(qr_col - 2, 3.8, "Código de seguimiento", align="C",
                       new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, "B", 11)
        pdf.multi_cell(qr_col - 2, 5.2, data.tracking_code.replace("-", "-\n"), align="C",
                       new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_xy(x, y + height + 2)
    pdf.set_font(FAMILY, "", 10)


def _requirements(pdf: OfficePdf, data: CargoData) -> None:
    pdf.section(data.requirements_heading)
    pdf.set_font(FAMILY, "", 9)
    if data.requirements:
        with pdf.table(col_widths=(12, pdf.epw - 12 - 34, 34), width=pdf.epw,
                       headings_style=HEADING, text_align=("CENTER", "LEFT", "LEFT"),
                       line_height=LINE, padding=PAD) as table:
            head = table.row()
            for text in ("N.°", "Requisito", "Estado"):
                head.cell(text)
            for req in data.requirements:
                row = table.row()
                row.cell(str(req.number))
                row.cell(req.text + ("" if req.mandatory else " (si corresponde)"))
                status = ("✓ Presentado" if req.presented
                          else "PENDIENTE" if req.mandatory else "No presentado")
                row.cell(status, style=None if req.presented else BOLD)
    else:
        pdf.paragraph("Este trámite no exige requisitos documentales.")
    pdf.ln(1)
    pdf.paragraph(f"Número de folios: {data.pages}", bold=True)


def _payment(pdf: OfficePdf, data: CargoData) -> None:
    pdf.section("Derecho de trámite y pagos")
    pdf.set_font(FAMILY, "", 9)
    fee = "Gratuito" if data.free else soles(data.fee)
    rows: list[tuple[str, str, bool]] = [
        (f"Derecho de trámite ({data.fee_basis})" if data.fee_basis and not data.free
         else "Derecho de trámite", fee, True)]
    rows += [(f"Recibo N.° {p.receipt_number} — {p.paid_at}", soles(p.amount), False)
             for p in data.payments]
    if data.payments or not data.free:
        rows.append(("Total pagado", soles(data.paid), True))
    if data.balance > 0:
        rows.append(("Saldo pendiente", soles(data.balance), True))
    with pdf.table(col_widths=(pdf.epw - 40, 40), width=pdf.epw, first_row_as_headings=False,
                   borders_layout="HORIZONTAL_LINES", text_align=("LEFT", "RIGHT"),
                   line_height=LINE, padding=PAD) as table:
        for label, amount, bold in rows:
            row = table.row()
            row.cell(label, style=BOLD if bold else None)
            row.cell(amount, style=BOLD if bold else None)


def _tracking_and_stamp(pdf: OfficePdf, data: CargoData, verifies: bool) -> None:
    """How to follow the expediente on the left, the reception stamp and signature on the
    right."""
    height = 25.0
    pdf.ensure_room(height + 3)
    pdf.ln(3)
    x, y = pdf.l_margin, pdf.get_y()
    text_w = pdf.epw / 2 - 4
    pdf.set_xy(x, y + 1)
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(text_w, 4.5, "Código de seguimiento:", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "B", 13)
    pdf.multi_cell(text_w, 6.5, data.tracking_code, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 8.5)
    # On a signed cargo the QR is its signed statement (decision 46), not the tracking page.
    by = "este código" if verifies else "el código QR"
    how = (f"Consulte el estado de su trámite con {by}, en el kiosco de la oficina o "
           f"en {web_address(data.tracking_url)}" if data.tracking_url else
           f"{OFFICE_LOOKUP}, en el kiosco o en ventanilla.")
    if verifies:
        how = f"El código QR verifica la firma de este cargo. {how}"
    pdf.multi_cell(text_w, 4, how, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    box_x, box_w = x + pdf.epw / 2 + 4, pdf.epw / 2 - 4
    pdf.set_draw_color(150)
    pdf.rect(box_x, y, box_w, height)
    pdf.set_draw_color(0)
    pdf.set_xy(box_x, y + 1.5)
    pdf.set_font(FAMILY, "", 8)
    pdf.set_text_color(120)
    pdf.cell(box_w, 4, "Sello de recepción", align="C")
    pdf.set_text_color(0)
    pdf.signature(box_x + 8, y + height - 10, box_w - 16, "Firma del servidor que recibe",
                  name=data.received_by)
    pdf.set_xy(pdf.l_margin, y + height)


def cargo_pdf(
    expediente: ExpedienteView,
    office_name: str,
    tracking_url: str,
    *,
    municipality: str = "",
    reprint: bool = False,
    reprinted_at: datetime | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    statement: IssuedStatement | None = None,
) -> bytes:
    """The A4 cargo de recepción of `expediente` as PDF bytes; reprints are marked
    REIMPRESIÓN on every page. Same input, same bytes. A signed cargo's QR carries the hub's
    `statement` (decision 46) instead of the tracking page, and its Keywords name it."""
    data = cargo_data(expediente, office_name, tracking_url, municipality=municipality,
                      reprint=reprint, reprinted_at=reprinted_at, timezone=timezone)
    if statement is None:
        return render_cargo_pdf(data)
    return render_cargo_pdf(data, (keyword(statement.statement),),
                            statement.url or statement.statement)


def render_cargo_pdf(data: CargoData, keywords: tuple[str, ...] = (),
                     qr_payload: str = "") -> bytes:
    """`qr_payload`: a signed statement's (decision 46); "": the tracking page."""
    info = PageInfo(data.municipality, data.office_name, unit="Mesa de partes",
                    mark=REPRINT_MARK if data.reprint else "", footer=FOOTER)
    pdf = OfficePdf(info, title=f"Cargo de recepción {data.number}",
                    subject=f"Cargo de recepción del expediente {data.number}",
                    created_at=data.filed_at,
                    keywords=(data.number, "cargo de recepción", *keywords))
    pdf.add_page()
    pdf.title_block(TITLE, f"{LEGAL_BASIS}, Ley del Procedimiento Administrativo General")
    _number_box(pdf, data, qr_payload or data.tracking_url)
    pdf.section("Datos del trámite")
    pdf.set_font(FAMILY, "", 9)
    pdf.facts([*data.facts(), ("Plazo", data.deadline), ("Calificación", data.calificacion)])
    _requirements(pdf, data)
    _payment(pdf, data)
    if data.observation:
        pdf.ln(2)
        pdf.paragraph(data.observation, bold=True)
    if data.reprinted_at:
        pdf.ln(2)
        pdf.paragraph(f"Reimpreso el {data.reprinted_at}.", size=9)
    _tracking_and_stamp(pdf, data, bool(qr_payload))
    return pdf.to_bytes()
