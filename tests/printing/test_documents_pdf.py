"""The A4 PDFs (cargo, copia certificada de partida, cierre de caja), read back as a citizen's
PDF reader would: the text (pypdf), the page size, the embedded fonts, and the QR decoded
(zxing-cpp) from the page rendered to pixels (pypdfium2)."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image

from kiosk.errors import Conflict
from printing.errors import PrinterError
from printing.layout import web_address
from printing.pdf import (
    base,
    cargo_pdf,
    cierre_pdf,
    partida_pdf,
    pdf_page_image,
    pdf_page_png,
)
from tests.printing.doc_data import (
    CLOSING,
    DEATH,
    ISSUED,
    LICENCIA,
    LICENCIA_URL,
    MARRIAGE,
    MUNICIPALITY,
    OFFICE,
    PARTIDA,
    PARTIDA_URL,
    big_closing,
    pdf_reader,
    pdf_text,
    with_acta,
)

A4_PT = (595, 842)  # 210 x 297 mm


def check_pdf(data: bytes, title: str) -> pypdf.PdfReader:
    """A4 pages, every font embedded, the metadata an office expects."""
    assert data.startswith(b"%PDF-")
    reader = pdf_reader(data)
    assert reader.pages
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_PT
        fonts = page["/Resources"]["/Font"]
        assert fonts
        for ref in fonts.values():
            font = ref.get_object()
            assert "DejaVuSans" in str(font["/BaseFont"])
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()  # the TrueType program is inside
    meta = reader.metadata
    assert meta is not None
    assert meta.title == title
    assert meta.author == OFFICE
    return reader


def qr_codes(data: bytes, page: int = 0) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(pdf_page_image(data, page, dpi=150))]


# --- cargo de recepción ----------------------------------------------------------------------


def test_cargo_pdf_text_metadata_and_qr() -> None:
    data = cargo_pdf(LICENCIA, OFFICE, LICENCIA_URL, municipality=MUNICIPALITY)
    reader = check_pdf(data, "Cargo de recepción CAJ-2026-000123")
    assert len(reader.pages) == 1  # a usual cargo fits one page
    meta = reader.metadata
    assert meta is not None and meta.creation_date == datetime(2026, 11, 20, 13, 15, tzinfo=UTC)
    text = pdf_text(data)
    for expected in (
        MUNICIPALITY, "CARGO DE RECEPCIÓN", "Ley N.° 27444, art. 128",
        "Expediente N.°", "CAJ-2026-000123", "20/11/2026 08:15",
        "Recibido por: Rosa Chávez Ibáñez – Ventanilla 3",
        "Trámite Licencia de funcionamiento – establecimiento de riesgo medio",
        "Solicitante Bodega Los Andes E.I.R.L.", "Documento RUC 20512333797",
        "Plazo 10 días hábiles — vence el 04/12/2026",
        "Calificación Evaluación previa — silencio positivo",
        "Requisitos presentados: 4 de 5", "✓ Presentado", "No presentado",
        "Número de folios: 23", "Recibo N.° CAJ-R-2026-000045", "S/ 263.20",
        "Total pagado", "7K3QD-9XM2A-VB8", web_address(LICENCIA_URL),
        "Sello de recepción", "Página 1 de 1",
    ):
        assert expected in text, expected
    assert "REIMPRESIÓN" not in text
    assert qr_codes(data) == [LICENCIA_URL]


def test_cargo_pdf_reprint_is_marked() -> None:
    data = cargo_pdf(LICENCIA, OFFICE, LICENCIA_URL, reprint=True,
                     reprinted_at=datetime(2026, 11, 23, 14, 5, tzinfo=UTC))
    text = pdf_text(data)
    assert "REIMPRESIÓN" in text and "Reimpreso el 23/11/2026 09:05" in text
    assert qr_codes(data) == [LICENCIA_URL]


def test_same_input_same_bytes() -> None:
    def all_docs() -> list[bytes]:
        return [cargo_pdf(LICENCIA, OFFICE, LICENCIA_URL),
                partida_pdf(PARTIDA, OFFICE, PARTIDA_URL, ISSUED),
                cierre_pdf(CLOSING, OFFICE)]

    assert all_docs() == all_docs()
    later = partida_pdf(PARTIDA, OFFICE, PARTIDA_URL, ISSUED.replace(day=21))
    assert later != all_docs()[1]


def test_long_cargo_flows_onto_more_a4_pages() -> None:
    requirements = [r.model_copy(update={"number": n, "text": f"Requisito número {n}: " + (
        "documento con carácter de declaración jurada y firma del solicitante. " * 3)})
        for n, r in enumerate(LICENCIA.requirements * 8, start=1)]
    expediente = LICENCIA.model_copy(update={"requirements": requirements})
    data = cargo_pdf(expediente, OFFICE, LICENCIA_URL, reprint=True)
    reader = check_pdf(data, "Cargo de recepción CAJ-2026-000123")
    pages = len(reader.pages)
    assert pages >= 2
    text = pdf_text(data)
    assert f"Página {pages} de {pages}" in text
    assert "Requisito número 40" in text and "Sello de recepción" in text
    for page in reader.pages:  # the reprint mark heads every page
        assert "REIMPRESIÓN" in page.extract_text()
    assert qr_codes(data) == [LICENCIA_URL]


# --- copia certificada de partida ------------------------------------------------------------


def test_birth_certificate_copies() -> None:
    data = partida_pdf(PARTIDA, OFFICE, PARTIDA_URL, ISSUED, municipality=MUNICIPALITY,
                       registrar="Abog. Carmen Rosa Vásquez Llanos")
    reader = check_pdf(data, "Copia certificada de acta de nacimiento — CAJ-2026-000124")
    assert len(reader.pages) == 2  # the citizen asked for 2 copies: one page each
    first = " ".join(reader.pages[0].extract_text().split())
    second = " ".join(reader.pages[1].extract_text().split())
    assert "Copia 1 de 2" in first and "Copia 2 de 2" in second
    for expected in (
        MUNICIPALITY, "Oficina de Registros del Estado Civil",
        "COPIA CERTIFICADA DE ACTA DE NACIMIENTO",
        "Expediente N.° CAJ-2026-000124", "Fecha de emisión: 20/11/2026",
        "Recibo N.° CAJ-R-2026-000046",
        "N.° de acta 000457", "Libro 12", "Folio 228",
        "Apellido paterno Ñahui", "Apellido materno Quispe", "Prenombres María Elena",
        "Fecha de nacimiento 15 de marzo de 1984", "Lugar de nacimiento Distrito de Cajamarca",
        "Padre Juan Ñahui Chávez", "Madre Rosa Quispe Huamán",
        "Fecha de inscripción 2 de abril de 1984",
        "CERTIFICA", "acta de nacimiento N.° 000457, libro 12, folio 228",
        "el 20 de noviembre de 2026",  # issue date in office time (15:40 UTC = 10:40)
        "Abog. Carmen Rosa Vásquez Llanos", "Registrador(a) del Estado Civil",
        "Código de verificación", "Q8W3E-5R7T9-Y1K", web_address(PARTIDA_URL),
    ):
        assert expected in first, expected
    assert "DUPLICADO" not in first
    assert qr_codes(data, 0) == [PARTIDA_URL]
    assert qr_codes(data, 1) == [PARTIDA_URL]


def test_marriage_and_death_certificates() -> None:
    marriage = partida_pdf(with_acta(MARRIAGE), OFFICE, PARTIDA_URL, ISSUED)
    check_pdf(marriage, "Copia certificada de acta de matrimonio — CAJ-2026-000124")
    text = pdf_text(marriage)
    assert "COPIA CERTIFICADA DE ACTA DE MATRIMONIO" in text
    assert "Contrayente José Luis Huamán Cabrera" in text
    assert "Contrayente Ana Sofía Ñique Rojas" in text
    assert "Fecha de celebración 12 de junio de 2010" in text
    assert "Padre" not in text and "Copia 1 de 1" in text
    death = partida_pdf(with_acta(DEATH), OFFICE, PARTIDA_URL, ISSUED)
    text = pdf_text(death)
    assert "COPIA CERTIFICADA DE ACTA DE DEFUNCIÓN" in text
    assert "Apellido paterno Ñaupari" in text and "Apellido materno Ávila" in text
    assert "Fecha de defunción 3 de septiembre de 2019" in text
    assert "Lugar de defunción Hospital Regional Docente de Cajamarca" in text
    assert qr_codes(death) == [PARTIDA_URL]


def test_duplicate_copy_is_marked_and_copies_can_be_chosen() -> None:
    data = partida_pdf(PARTIDA, OFFICE, PARTIDA_URL, ISSUED, copies=3, reprint=True)
    reader = pdf_reader(data)
    assert len(reader.pages) == 3
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert "DUPLICADO" in text and f"Copia {number} de 3" in text


def test_partida_needs_its_acta() -> None:
    searching = PARTIDA.model_copy(update={"acta": None})
    with pytest.raises(Conflict, match="aún no tiene un acta"):
        partida_pdf(searching, OFFICE, PARTIDA_URL, ISSUED)
    with pytest.raises(ValueError, match="copies"):
        partida_pdf(PARTIDA, OFFICE, PARTIDA_URL, ISSUED, copies=0)


# --- cierre de caja --------------------------------------------------------------------------


def test_cierre_pdf() -> None:
    data = cierre_pdf(CLOSING, OFFICE, municipality=MUNICIPALITY)
    check_pdf(data, "Cierre de caja 20/11/2026 — Rosa Chávez Ibáñez")
    text = pdf_text(data)
    for expected in (
        "CIERRE DE CAJA", "20 de noviembre de 2026", "Cajero(a) Rosa Chávez Ibáñez (rchavez)",
        "Emitido 20/11/2026 17:30",
        "1 CAJ-R-2026-000041 08:21 CAJ-2026-000118 Efectivo — S/ 10.45",
        "0458712-3", "Cantidad de recibos 6", "Total Efectivo S/ 146.30",
        "Total Banco de la Nación S/ 683.50", "TOTAL GENERAL S/ 829.80",
        "Cajero(a)", "Tesorería / Supervisor(a)",
    ):
        assert expected in text, expected
    assert "REIMPRESIÓN" not in text


def test_long_cierre_repeats_the_heading_on_each_page() -> None:
    data = cierre_pdf(big_closing(90), OFFICE, reprint=True)
    reader = check_pdf(data, "Cierre de caja 20/11/2026 — Rosa Chávez Ibáñez")
    assert len(reader.pages) >= 2
    for page in reader.pages:
        text = page.extract_text()
        assert "REIMPRESIÓN" in text and "Expediente" in text  # the table's heading row
    text = pdf_text(data)
    assert all(f"CAJ-R-2026-{n:06d}" in text for n in range(1, 91))
    assert "TOTAL GENERAL S/ 940.50" in text


# --- fonts and previews ----------------------------------------------------------------------


def test_fonts_are_bundled_with_their_licence() -> None:
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"):
        assert (base.FONTS_DIR / name).is_file(), name
    assert "Bitstream" in (base.FONTS_DIR / "LICENSE-DejaVu.txt").read_text()


def test_missing_fonts_are_a_spanish_error(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    monkeypatch.setattr(base, "FONTS_DIR", tmp_path)
    with pytest.raises(PrinterError, match="Faltan las fuentes") as caught:
        cierre_pdf(CLOSING, OFFICE)
    assert caught.value.code == "missing_font"


def test_control_characters_in_data_do_not_reach_the_pdf() -> None:
    expediente = LICENCIA.model_copy(update={"applicant_name": "Bodega\x1bLos\tAndes"})
    text = pdf_text(cargo_pdf(expediente, OFFICE, LICENCIA_URL))
    assert "Solicitante Bodega?Los Andes" in text


def test_pdf_page_png() -> None:
    data = cargo_pdf(LICENCIA, OFFICE, LICENCIA_URL)
    with Image.open(io.BytesIO(pdf_page_png(data, dpi=72))) as image:
        assert image.format == "PNG"
        assert abs(image.width - A4_PT[0]) <= 1 and abs(image.height - A4_PT[1]) <= 1
    with pytest.raises(ValueError, match="page"):
        pdf_page_image(data, 1)


def test_pdf_preview_without_pypdfium2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # import fails as if not installed
    with pytest.raises(PrinterError, match="falta el componente pypdfium2") as caught:
        pdf_page_png(cargo_pdf(LICENCIA, OFFICE, LICENCIA_URL))
    assert caught.value.code == "preview_unavailable"
