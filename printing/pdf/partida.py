"""The certified copy of a civil-registry acta (birth, marriage, death) on A4.

One page per copy ("Copia 1 de 2"), the acta's data from the ActaView, the expediente number,
the issue date, a place for the registrar's signature and stamp, and a QR whose payload is the
expediente's public tracking page, with the tracking code printed under it to check by hand.
"""

from __future__ import annotations

from datetime import datetime

from fpdf.enums import XPos, YPos

from kiosk.errors import Conflict
from kiosk.services.expediente_views import ActaView, ExpedienteView
from kiosk.services.signing_views import IssuedStatement
from kiosk.signing.statement import keyword
from printing.documents.common import (
    DEFAULT_TIMEZONE,
    acta_title,
    grouped,
    local,
    long_date,
    short_date,
)
from printing.layout import web_address
from printing.pdf.base import FAMILY, OfficePdf, PageInfo

UNIT = "Oficina de Registros del Estado Civil"
DUPLICATE_MARK = "DUPLICADO"
QR_SIZE = 32.0  # mm
MAX_COPIES = 10  # as PartidaDetails.copies


def certified_copy_title(acta: ActaView) -> str:
    """ "COPIA CERTIFICADA DE ACTA DE NACIMIENTO" (MATRIMONIO, DEFUNCIÓN)."""
    return f"COPIA CERTIFICADA DE {acta_title(acta.kind, acta.kind_text)}"


def acta_rows(acta: ActaView) -> list[tuple[str, str]]:
    """The acta's data as printed, by kind of acta."""
    rows = [("N.° de acta", acta.acta_number), ("Libro", acta.book), ("Folio", acta.folio)]
    titular = [("Apellido paterno", acta.titular_paternal),
               ("Apellido materno", acta.titular_maternal or "—"),
               ("Prenombres", acta.titular_given)]
    event, place = {
        "nacimiento": ("Fecha de nacimiento", "Lugar de nacimiento"),
        "matrimonio": ("Fecha de celebración", "Lugar de celebración"),
        "defuncion": ("Fecha de defunción", "Lugar de defunción"),
    }.get(acta.kind, ("Fecha del hecho", "Lugar"))
    if acta.kind == "matrimonio":
        rows += [("Contrayente", acta.titular_name),
                 ("Contrayente", acta.spouse_name or "—")]
    else:  # the person born or deceased, surnames first as in the acta
        rows += titular
    rows += [(event, long_date(acta.event_date)), (place, acta.place)]
    if acta.kind == "nacimiento":
        rows += [("Padre", acta.father_name or "—"), ("Madre", acta.mother_name or "—")]
    rows.append(("Fecha de inscripción", long_date(acta.registered_on)))
    return rows


def _certification(acta: ActaView, municipality: str) -> str:
    where = f"de la {municipality}" if municipality else "de esta municipalidad"
    return (f"El (la) Registrador(a) del Estado Civil que suscribe CERTIFICA que los datos que "
            f"anteceden concuerdan con el acta de {acta.kind_text.lower()} N.° "
            f"{acta.acta_number}, libro {acta.book}, folio {acta.folio}, que obra en el archivo "
            f"del Registro del Estado Civil {where}.")


def _digital_signature_box(pdf: OfficePdf, x: float, y: float, width: float, height: float,
                           signer: str) -> None:
    """Where the stamp and handwriting went: who signed the file digitally, and how to check
    it (the signature is in the PDF: a printout carries only this note and the QR)."""
    pdf.set_draw_color(40, 80, 140)
    pdf.rect(x, y, width, height)
    pdf.set_draw_color(0)
    pdf.set_xy(x + 2, y + 3)
    pdf.set_font(FAMILY, "B", 9)
    pdf.set_text_color(40, 80, 140)
    pdf.multi_cell(width - 4, 4.5, "DOCUMENTO FIRMADO DIGITALMENTE", align="C",
                   new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.set_font(FAMILY, "B", 9)
    pdf.multi_cell(width - 4, 4.5, signer, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 8)
    pdf.multi_cell(width - 4, 4, "Registrador(a) del Estado Civil", align="C",
                   new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_xy(x + 2, pdf.get_y() + 1)
    pdf.multi_cell(width - 4, 3.6, "Firma digital con el certificado de la municipalidad "
                                   "(PAdES): verifíquela en el archivo PDF.", align="C",
                   new_x=XPos.LEFT, new_y=YPos.NEXT)


def _verification_and_signature(pdf: OfficePdf, tracking_url: str, tracking_code: str,
                                registrar: str, signed_by: str = "", qr_payload: str = ""
                                ) -> None:
    """The QR and its code on the left, the registrar's stamp and signature on the right
    (or, on a copy signed digitally, who signed it). `qr_payload`: the signed statement's
    URL (decision 46), else the tracking page."""
    height = QR_SIZE + 22
    pdf.ensure_room(height + 14)
    x, y = pdf.l_margin, pdf.get_y() + 8
    qr_col = QR_SIZE + 16
    qr_payload = qr_payload or tracking_url
    if qr_payload:
        pdf.qr(qr_payload, x + 8, y + 2, QR_SIZE)
    pdf.set_xy(x, y + (QR_SIZE + 5 if qr_payload else 8))
    pdf.set_font(FAMILY, "", 8)
    pdf.cell(qr_col, 4, "Código de verificación", align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "B", 10)
    pdf.cell(qr_col, 5, tracking_code, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    box_w = 74.0
    text_w = pdf.epw - qr_col - box_w - 8
    pdf.set_xy(x + qr_col + 2, y + 4)
    pdf.set_font(FAMILY, "", 8.5)
    how = ("Escanee el código QR: su firma electrónica prueba los datos de esta copia, en "
           "la página de la municipalidad o en el kiosco «Consultar», aun sin internet."
           if qr_payload and qr_payload != tracking_url else
           "Escanee el código QR para verificar esta copia en la página pública del "
           "expediente, o ingrese la dirección indicada abajo." if tracking_url else
           "Para verificar esta copia, consulte en la oficina (kiosco o ventanilla) con el "
           "código de verificación.")
    pdf.multi_cell(text_w, 4, how, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    box_x = pdf.w - pdf.r_margin - box_w
    if signed_by:
        _digital_signature_box(pdf, box_x, y, box_w, QR_SIZE + 14, signed_by)
        pdf.set_xy(pdf.l_margin, y + height)
        if tracking_url:
            pdf.set_font(FAMILY, "", 8.5)
            pdf.multi_cell(0, 4, f"Verificación: {web_address(tracking_url)}", align="L",
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    pdf.set_draw_color(150)
    pdf.rect(box_x, y, box_w, QR_SIZE + 2)
    pdf.set_draw_color(0)
    pdf.set_xy(box_x, y + 2)
    pdf.set_font(FAMILY, "", 8)
    pdf.set_text_color(120)
    pdf.cell(box_w, 4, "Sello de la oficina de registro", align="C")
    pdf.set_text_color(0)
    pdf.signature(box_x, y + QR_SIZE + 12, box_w, "Registrador(a) del Estado Civil",
                  name=registrar)
    pdf.set_xy(pdf.l_margin, y + height)
    if tracking_url:
        pdf.set_font(FAMILY, "", 8.5)
        pdf.multi_cell(0, 4, f"Verificación: {web_address(tracking_url)}", align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def partida_pdf(
    expediente: ExpedienteView,
    office_name: str,
    tracking_url: str,
    issued_at: datetime,
    *,
    municipality: str = "",
    registrar: str = "",
    copies: int | None = None,
    reprint: bool = False,
    timezone: str = DEFAULT_TIMEZONE,
    signed_by: str = "",
    statement: IssuedStatement | None = None,
) -> bytes:
    """The certified copies of the acta named by `expediente`, one A4 page per copy.

    `signed_by`: the registrar who signs the file digitally (kiosk/signing): the box for the
    stamp and handwritten signature says so instead.

    `copies` defaults to the number the citizen asked for (the expediente's details). A reprint
    is marked DUPLICADO on every page. The QR's payload is `tracking_url`; the tracking code is
    printed under it ("" prints the code alone, to be checked at the office). With a signed
    `statement` (the hub's, decision 46) the QR carries it instead, as its verification URL
    (or bare, without a public address), and the PDF's Keywords carry it for `cac verify`:
    `issued_at` should then be the statement's. Raises Conflict
    when the expediente has no acta yet (still searched for).
    """
    acta = expediente.acta
    if acta is None:
        raise Conflict("no_acta", f"El expediente {expediente.number} aún no tiene un acta "
                                  "asignada: ubíquela antes de emitir la copia certificada.")
    if copies is None:
        copies = int(expediente.details.get("copies") or 1)
    if not 1 <= copies <= MAX_COPIES:
        raise ValueError(f"copies must be 1..{MAX_COPIES}")
    issued = local(issued_at, timezone)
    title = certified_copy_title(acta)
    code = grouped(expediente.tracking_code)
    info = PageInfo(municipality, office_name, unit=UNIT,
                    mark=DUPLICATE_MARK if reprint else "",
                    footer=f"Expediente {expediente.number} · Código de verificación {code}")
    pdf = OfficePdf(info, title=f"{title.capitalize()} — {expediente.number}",
                    subject=f"{title.capitalize()} N.° {acta.acta_number}",
                    created_at=issued_at,
                    keywords=(expediente.number, acta.acta_number)
                    + ((keyword(statement.statement),) if statement else ()))
    qr_payload = (statement.url or statement.statement) if statement else ""
    receipts = ", ".join(p.receipt_number for p in expediente.payments)
    for copy in range(1, copies + 1):
        pdf.add_page()
        pdf.title_block(title)
        pdf.set_font(FAMILY, "", 10)
        half = pdf.epw / 2
        pdf.cell(half, 6, f"Expediente N.° {expediente.number}")
        pdf.set_font(FAMILY, "B", 10)
        pdf.cell(half, 6, f"Copia {copy} de {copies}", align="R",
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, "", 10)
        pdf.cell(half, 6, f"Fecha de emisión: {short_date(issued.date())}")
        pdf.cell(half, 6, f"Recibo N.° {receipts}" if receipts else "", align="R",
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        pdf.section(f"Datos del acta de {acta.kind_text.lower()}")
        pdf.set_font(FAMILY, "", 11)
        pdf.facts(acta_rows(acta), label_width=58, line_height=6.4)
        pdf.ln(8)
        pdf.paragraph(_certification(acta, municipality), size=11, line_height=6)
        pdf.ln(3)
        pdf.paragraph(f"Expedida en {office_name}, el {long_date(issued.date())}.", size=11,
                      align="L", line_height=6)
        _verification_and_signature(pdf, tracking_url, code, registrar, signed_by, qr_payload)
    return pdf.to_bytes()
