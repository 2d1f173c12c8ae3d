"""The expediente's thermal documents (cargo, payment receipt, cierre), read back from the bytes.

Every check decodes the real ESC/POS output with the strict decoder: the text the paper shows
(CP858, accents), the QR payload, the cut, the REIMPRESIÓN banner; and the PNG preview drawn
from the same layout.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image

from kiosk.services.expediente_views import RequirementCheck
from printing.blocks import Layout, paper
from printing.documents import cargo_data, cargo_layout, cierre_layout, payment_receipt_layout
from printing.errors import PrinterError
from printing.escpos_render import render_bytes
from printing.preview import preview_image, preview_png
from tests.printing.doc_data import (
    BANK_PAYMENT,
    CASH_PAYMENT,
    CLOSING,
    LICENCIA,
    LICENCIA_URL,
    MUNICIPALITY,
    OFFICE,
    PARTIDA,
    PARTIDA_URL,
    big_closing,
)
from tests.printing.escpos_decoder import Decoded, decode

DOTS = {58: 384, 80: 576}


def printed(layout: Layout, width_mm: int) -> Decoded:
    decoded = decode(render_bytes(layout, width_mm))
    columns = paper(width_mm).columns
    assert decoded.codepage == 19  # CP858, selected once
    assert decoded.ends_with_cut
    for line in decoded.lines:
        assert len(line.text) * line.width <= columns, line
    # Nothing degraded to "?": every character printed is one CP858 holds.
    assert "?" not in decoded.text
    return decoded


def flat(decoded: Decoded) -> str:
    """The printed text with line breaks as spaces (wrapping depends on the paper)."""
    return " ".join(decoded.text.split())


def scanned(layout: Layout, width_mm: int) -> list[str]:
    return [c.text for c in zxingcpp.read_barcodes(preview_image(layout, width_mm))]


def cargo(width_mm: int, **kwargs: object) -> Layout:
    return cargo_layout(LICENCIA, OFFICE, LICENCIA_URL, width_mm=width_mm,
                        municipality=MUNICIPALITY, **kwargs)  # type: ignore[arg-type]


# --- cargo de recepción ----------------------------------------------------------------------


def test_cargo_prints_the_filing_facts(width_mm: int) -> None:
    decoded = printed(cargo(width_mm), width_mm)
    text = flat(decoded)
    for expected in (
        "Municipalidad Provincial de Cajamarca", "CAC Cajamarca - Sede Central",
        "CARGO DE RECEPCIÓN", "Ley N.° 27444, art. 128",
        "CAJ-2026-000123",
        "Recibido: 20/11/2026 08:15",  # filed 13:15 UTC = 08:15 in Lima
        "Recibido por: Rosa Chávez Ibáñez - Ventanilla 3",
        "Trámite: Licencia de funcionamiento - establecimiento de riesgo medio",
        "Código TUPA: LF-02",
        "Solicitante: Bodega Los Andes E.I.R.L.", "Documento: RUC 20512333797",
        "Representante: Juan Carlos Quispe Mamani (DNI 45678912)",
        "Giro: Bodega y venta de abarrotes", "Área del local: 48.50 m²",
        "Nivel de riesgo: Medio",
        "Requisitos presentados: 4 de 5", "N.° de folios: 23",
        "S/ 263.20", "Recibo N.° CAJ-R-2026-000045",
        "Plazo: 10 días hábiles - vence el 04/12/2026",  # the em dash prints as "-"
        "Calificación: Evaluación previa - silencio positivo",
        "Código de seguimiento", "7K3QD-9XM2A-VB8",
    ):
        assert expected in text, expected
    assert "REIMPRESIÓN" not in text
    assert decoded.qr_payloads == [LICENCIA_URL] and decoded.qr_prints == 1


def test_cargo_number_is_the_largest_text(width_mm: int) -> None:
    decoded = printed(cargo(width_mm), width_mm)
    number = next(line for line in decoded.lines if line.text == "CAJ-2026-000123")
    assert number.bold and number.align == "center"
    assert number.width == max(line.width for line in decoded.lines)
    assert number.width == {58: 2, 80: 3}[width_mm]  # 15 characters on 32 / 48 columns


def test_cargo_requirements_are_numbered_with_their_state(width_mm: int) -> None:
    requirements = [
        RequirementCheck(number=1, text="Solicitud con declaración jurada.", mandatory=True,
                         presented=True),
        RequirementCheck(number=2, text="Copia del plano de ubicación.", mandatory=True,
                         presented=False),
        RequirementCheck(number=3, text="Autorización sectorial.", mandatory=False,
                         presented=False),
    ]
    expediente = LICENCIA.model_copy(update={"requirements": requirements})
    text = flat(printed(cargo_layout(expediente, OFFICE, LICENCIA_URL, width_mm=width_mm),
                        width_mm))
    assert "Requisitos presentados: 1 de 3" in text
    assert "1. [X] Solicitud con declaración jurada." in text
    assert "2. [ ] Copia del plano de ubicación. - PENDIENTE" in text
    assert "3. [-] Autorización sectorial. (si corresponde)" in text


def test_cargo_reprint_is_marked_once(width_mm: int) -> None:
    from datetime import UTC, datetime

    layout = cargo(width_mm, reprint=True,
                   reprinted_at=datetime(2026, 11, 23, 14, 5, tzinfo=UTC))
    decoded = printed(layout, width_mm)
    banners = [line for line in decoded.lines if line.text == "REIMPRESIÓN"]
    assert len(banners) == 1 and banners[0].bold
    assert "Reimpreso el 23/11/2026 09:05" in flat(decoded)
    assert decoded.qr_payloads == [LICENCIA_URL]
    # Without reprint, the date of a reprint is not printed.
    assert "Reimpreso" not in flat(printed(cargo(width_mm), width_mm))


def test_cargo_of_a_partida_names_the_acta(width_mm: int) -> None:
    layout = cargo_layout(PARTIDA, OFFICE, PARTIDA_URL, width_mm=width_mm)
    decoded = printed(layout, width_mm)
    text = flat(decoded)
    assert "Acta: Nacimiento N.° 000457 - María Elena Ñahui Quispe" in text
    assert "Copias: 2" in text and "Entrega: En ventanilla" in text
    assert "Relación: Titular" in text and "Documento: DNI 41234567" in text
    assert "Plazo: 1 día hábil - vence el 23/11/2026" in text  # Friday -> Monday
    assert "Calificación: Aprobación automática" in text
    assert decoded.qr_payloads == [PARTIDA_URL]


def test_cargo_free_fee_balance_and_observation(width_mm: int) -> None:
    free = PARTIDA.model_copy(update={"fee": Decimal("0.00"), "paid": Decimal("0.00"),
                                      "payments": [], "fee_basis": "Gratuito"})
    text = flat(printed(cargo_layout(free, OFFICE, PARTIDA_URL, width_mm=width_mm), width_mm))
    assert "Derecho de trámite gratuito" in text
    assert "Total pagado" not in text and "Recibo" not in text
    owing = LICENCIA.model_copy(update={
        "payments": [], "paid": Decimal("0.00"), "balance": Decimal("263.20"),
        "status": "observado", "observation_due": date(2026, 11, 24)})
    text = flat(printed(cargo_layout(owing, OFFICE, LICENCIA_URL, width_mm=width_mm),
                        width_mm))
    assert "Total pagado S/ 0.00" in text and "Saldo pendiente S/ 263.20" in text
    assert "Observado: subsane hasta el 24/11/2026 (2 días hábiles)" in text


def test_cargo_data_is_shared_words() -> None:
    data = cargo_data(LICENCIA, OFFICE, LICENCIA_URL)
    assert data.received_at == "20/11/2026 08:15"
    assert data.deadline == "10 días hábiles — vence el 04/12/2026"
    assert data.tracking_code == "7K3QD-9XM2A-VB8"
    assert data.presented_count == 4 and not data.free
    assert ("Nivel de riesgo", "Medio") in data.facts()


def test_cargo_preview_scans_and_has_the_paper_width(width_mm: int) -> None:
    png = preview_png(cargo(width_mm), width_mm)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.width == DOTS[width_mm]
        assert image.height > 3 * image.width  # a long strip: the whole cargo
        assert [c.text for c in zxingcpp.read_barcodes(image)] == [LICENCIA_URL]
    original = preview_image(cargo(width_mm), width_mm)
    reprint = preview_image(cargo(width_mm, reprint=True), width_mm)
    assert reprint.height > original.height


def test_bad_paper_width_fails_before_printing() -> None:
    with pytest.raises(PrinterError, match="58 u 80 mm"):
        cargo(76)
    with pytest.raises(PrinterError, match="58 u 80 mm"):
        cierre_layout(CLOSING, OFFICE, width_mm=100)


# --- payment receipt -------------------------------------------------------------------------


def test_cash_receipt(width_mm: int) -> None:
    layout = payment_receipt_layout(CASH_PAYMENT, OFFICE, PARTIDA_URL, expediente=PARTIDA,
                                    municipality=MUNICIPALITY, width_mm=width_mm)
    decoded = printed(layout, width_mm)
    text = flat(decoded)
    for expected in (
        "RECIBO DE PAGO", "N.° CAJ-R-2026-000046", "Fecha: 20/11/2026 08:19",
        "Expediente: CAJ-2026-000124",
        "Trámite: Copia certificada de partida de nacimiento",
        "Pagador: María Elena Ñahui Quispe", "Documento: DNI 41234567",
        "Derecho de trámite (RC-01)", "S/ 20.90", "Forma de pago: Efectivo",
        "Recibido S/ 50.00", "Vuelto S/ 29.10",
        "Atendido por: Rosa Chávez Ibáñez - Ventanilla 3",
    ):
        assert expected in text, expected
    assert "Voucher" not in text and "REIMPRESIÓN" not in text
    assert decoded.qr_payloads == [PARTIDA_URL]


def test_bank_receipt_and_reprint(width_mm: int) -> None:
    layout = payment_receipt_layout(BANK_PAYMENT, OFFICE, LICENCIA_URL, width_mm=width_mm,
                                    reprint=True)
    decoded = printed(layout, width_mm)
    text = flat(decoded)
    assert "Forma de pago: Banco de la Nación" in text
    assert "Voucher N.° 0458712-3" in text
    assert "Vuelto" not in text and "Recibido" not in text
    assert "Pagador: Bodega Los Andes E.I.R.L." in text
    assert "Documento" not in text  # no expediente given: the document is not guessed
    assert sum(1 for line in decoded.lines if line.text == "REIMPRESIÓN") == 1
    assert scanned(layout, width_mm) == [LICENCIA_URL]


def test_receipt_without_tracking_url_has_no_qr(width_mm: int) -> None:
    layout = payment_receipt_layout(CASH_PAYMENT, OFFICE, "", width_mm=width_mm)
    decoded = printed(layout, width_mm)
    assert decoded.qr_payloads == [] and "Conserve este recibo." in flat(decoded)


# --- cierre de caja --------------------------------------------------------------------------


def test_cierre_lists_every_receipt_and_the_totals(width_mm: int) -> None:
    layout = cierre_layout(CLOSING, OFFICE, municipality=MUNICIPALITY, width_mm=width_mm)
    decoded = printed(layout, width_mm)
    text = flat(decoded)
    assert "CIERRE DE CAJA" in text and "20 de noviembre de 2026" in text
    assert "Cajero(a): Rosa Chávez Ibáñez (rchavez)" in text
    assert "Emitido: 20/11/2026 17:30" in text
    for line in CLOSING.lines:
        assert line.receipt_number in text and line.expediente_number in text
    assert "08:21 CAJ-2026-000118 Efectivo" in text
    assert "08:47 CAJ-2026-000119 B. Nación Voucher N.° 0458712-3" in text
    assert "Cantidad de recibos 6" in text
    assert "Efectivo S/ 146.30" in text and "Banco de la Nación S/ 683.50" in text
    total = next(line for line in decoded.lines if line.text.startswith("TOTAL"))
    assert total.text.endswith("S/ 829.80") and total.width == 2 and total.bold
    signature_lines = [line for line in decoded.lines if set(line.text) == {"_"}]
    assert len(signature_lines) == 2 and "Tesorería / Supervisor(a)" in text
    assert decoded.qr_payloads == []


def test_cierre_of_a_day_without_payments(width_mm: int) -> None:
    empty = CLOSING.model_copy(update={"lines": [], "count": 0, "total": Decimal("0"),
                                       "by_method": {}})
    text = flat(printed(cierre_layout(empty, OFFICE, width_mm=width_mm), width_mm))
    assert "Sin cobros en el día." in text and "Cantidad de recibos 0" in text
    assert "Efectivo S/ 0.00" in text and "Banco de la Nación S/ 0.00" in text


def test_cierre_reprint_and_many_receipts(width_mm: int) -> None:
    layout = cierre_layout(big_closing(120), OFFICE, reprint=True, width_mm=width_mm)
    decoded = printed(layout, width_mm)
    assert sum(1 for line in decoded.lines if line.text == "REIMPRESIÓN") == 1
    assert "CAJ-R-2026-000120" in decoded.text and "Cantidad de recibos 120" in flat(decoded)
    assert "S/ 1,254.00" in decoded.text
