"""The cierre de caja on A4: every receipt of the clerk's day, totals by method, signatures."""

from __future__ import annotations

from kiosk.services.expediente_views import CashClosing
from printing.documents.closing import (
    SIGNATURES,
    TITLE,
    clerk_text,
    closing_rows,
    exemption_rows,
    method_totals,
)
from printing.documents.common import DEFAULT_TIMEZONE, date_time, long_date, short_date
from printing.layout import soles
from printing.pdf.base import BOLD, FAMILY, HEADING, LINE, PAD, OfficePdf, PageInfo

REPRINT_MARK = "REIMPRESIÓN"
# (heading, width in mm or None: as wide as its longest value, alignment)
COLUMNS = (("N.°", 9, "CENTER"), ("Recibo", None, "LEFT"), ("Hora", 13, "CENTER"),
           ("Expediente", None, "LEFT"), ("Forma de pago", 0, "LEFT"), ("Voucher", 26, "LEFT"),
           ("Importe", 26, "RIGHT"))


def cierre_pdf(
    closing: CashClosing,
    office_name: str,
    *,
    municipality: str = "",
    reprint: bool = False,
    timezone: str = DEFAULT_TIMEZONE,
    signed_by: str = "",
) -> bytes:
    """The A4 cierre de caja of `closing` as PDF bytes (REIMPRESIÓN on reprints); `signed_by`:
    who signs the file digitally (the hub signs it after), said on the page."""
    day = short_date(closing.business_date)
    info = PageInfo(municipality, office_name, unit="Caja",
                    mark=REPRINT_MARK if reprint else "",
                    footer=f"Cierre de caja del {day} · {clerk_text(closing)}")
    pdf = OfficePdf(info, title=f"Cierre de caja {day} — {closing.clerk}",
                    subject=f"Cierre de caja del {day}", created_at=closing.generated_at,
                    keywords=("cierre de caja", day, closing.username))
    pdf.add_page()
    pdf.title_block(TITLE, long_date(closing.business_date))
    pdf.facts([("Cajero(a)", clerk_text(closing)),
               ("Fecha", long_date(closing.business_date)),
               ("Emitido", date_time(closing.generated_at, timezone))], label_width=32)
    pdf.section("Recibos del día")
    rows = closing_rows(closing, timezone)
    pdf.set_font(FAMILY, "", 9)
    if rows:
        fitted = {"Recibo": max(pdf.get_string_width(r.receipt_number) for r in rows) + 4,
                  "Expediente": max(pdf.get_string_width(r.expediente_number)
                                    for r in rows) + 4}
        widths = [fitted[name] if width is None else float(width)
                  for name, width, _ in COLUMNS]
        widths[4] += pdf.epw - sum(widths)  # the method column takes what is left
        with pdf.table(col_widths=widths, width=pdf.epw, headings_style=HEADING,
                       text_align=tuple(align for _, _, align in COLUMNS), line_height=LINE,
                       padding=(0.6, 1.5, 0.6, 1.5)) as table:
            head = table.row()
            for name, _, _ in COLUMNS:
                head.cell(name)
            for row in rows:
                cells = table.row()
                for text in (str(row.number), row.receipt_number, row.time,
                             row.expediente_number, row.method, row.voucher_number or "—",
                             soles(row.amount)):
                    cells.cell(text)
    else:
        pdf.paragraph("Sin cobros en el día.")
    pdf.section("Resumen")
    pdf.set_font(FAMILY, "", 10)
    summary = [("Cantidad de recibos", str(closing.count), False)]
    summary += [(f"Total {name}", soles(amount), False) for name, amount in method_totals(closing)]
    summary.append(("TOTAL GENERAL", soles(closing.total), True))
    summary += [(f"Exonerados — {what}", figures, False)
                for what, figures in exemption_rows(closing)]
    with pdf.table(col_widths=(pdf.epw - 40, 40), width=pdf.epw, first_row_as_headings=False,
                   borders_layout="HORIZONTAL_LINES", text_align=("LEFT", "RIGHT"),
                   line_height=LINE + 0.6, padding=PAD) as table:
        for label, value, bold in summary:
            cells = table.row()
            cells.cell(label, style=BOLD if bold else None)
            cells.cell(value, style=BOLD if bold else None)
    if signed_by:
        pdf.ln(3)
        pdf.paragraph(f"Documento firmado digitalmente por {signed_by}.")
    pdf.ensure_room(40)
    y = pdf.get_y() + 28
    width = (pdf.epw - 20) / 2
    for index, caption in enumerate(SIGNATURES):
        name = closing.clerk if index == 0 else ""
        pdf.signature(pdf.l_margin + index * (width + 20), y, width, caption, name=name)
    return pdf.to_bytes()
