"""A PDF page as a PNG, for on-screen previews (pypdfium2, an optional component).

pypdfium2 is not needed to write PDFs, only to look at them inside the program: without it the
preview says so in Spanish and the PDF itself still works.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from printing.errors import PrinterError


def _pdfium() -> Any:
    try:
        import pypdfium2  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as exc:
        raise PrinterError(
            "preview_unavailable",
            "No se puede mostrar la vista previa del PDF: falta el componente pypdfium2 "
            "(instálelo con «pip install pypdfium2»). El PDF se generó bien; ábralo con su "
            "lector de PDF.") from exc
    return pypdfium2


def pdf_page_image(pdf: bytes, page: int = 0, dpi: int = 110) -> Image.Image:
    """Page `page` (0 = first) of `pdf` drawn at `dpi`, as an RGB image."""
    pdfium = _pdfium()
    document = pdfium.PdfDocument(pdf)
    try:
        if not 0 <= page < len(document):
            raise ValueError(f"the PDF has {len(document)} page(s), not page {page + 1}")
        bitmap = document[page].render(scale=dpi / 72)
        image: Image.Image = bitmap.to_pil().convert("RGB")
    finally:
        document.close()
    return image


def pdf_page_png(pdf: bytes, page: int = 0, dpi: int = 110) -> bytes:
    """The PNG of one page of `pdf` (the first by default)."""
    buffer = io.BytesIO()
    pdf_page_image(pdf, page, dpi).save(buffer, format="PNG")
    return buffer.getvalue()
