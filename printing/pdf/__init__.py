"""A4 documents as PDF bytes (fpdf2, fonts bundled in assets/fonts and embedded).

- `cargo_pdf`: the cargo de recepción (same words as the thermal one).
- `constancia_pdf`: the constancia de silencio administrativo positivo.
- `partida_pdf`: the copia certificada of a birth, marriage or death record, with its QR.
- `cierre_pdf`: a clerk's cierre de caja.
- `report_pdf`: the supervisor's period report for the mayor (summary, charts, tables).
- `pdf_page_png`: a page as PNG for on-screen previews (needs the optional pypdfium2).

Same input, same bytes: the creation date comes from the document's data.
"""

from printing.pdf.cargo import cargo_pdf
from printing.pdf.closing import cierre_pdf
from printing.pdf.constancia import constancia_pdf
from printing.pdf.partida import partida_pdf
from printing.pdf.preview import pdf_page_image, pdf_page_png
from printing.pdf.report import report_pdf

__all__ = ["cargo_pdf", "cierre_pdf", "constancia_pdf", "partida_pdf", "pdf_page_image",
           "pdf_page_png", "report_pdf"]
