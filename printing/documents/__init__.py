"""The expediente's thermal documents, built from the hub's views (no hub access, no clock).

- `cargo_layout`: the cargo de recepción (Ley 27444, art. 128).
- `payment_receipt_layout`: the payment receipt of a PaymentView (printing.layout's receipt).
- `constancia_layout`: the constancia de silencio administrativo positivo (art. 199.1).
- `cierre_layout`: a clerk's cierre de caja.
- `hoja_reclamo_layout`: the citizen's hoja de reclamación (Libro de Reclamaciones).

Each returns one `Layout`: `render_bytes(layout, width_mm)` gives the ESC/POS bytes,
`preview_png(layout, width_mm)` the preview, `Printer.print(layout, kind, reference)` prints it.
The A4 versions are in printing.pdf.
"""

from printing.documents.cargo import CargoData, cargo_data, cargo_layout
from printing.documents.closing import cierre_layout
from printing.documents.constancia import NoSilence, constancia_layout
from printing.documents.hoja_reclamo import hoja_reclamo_layout
from printing.documents.receipt import payment_receipt_layout, receipt_print

__all__ = [
    "CargoData",
    "NoSilence",
    "cargo_data",
    "cargo_layout",
    "cierre_layout",
    "constancia_layout",
    "hoja_reclamo_layout",
    "payment_receipt_layout",
    "receipt_print",
]
