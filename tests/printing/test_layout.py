"""Layouts: the documents' content, money, dates and wrapping to the paper."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printing.blocks import QR, Cut, Layout, Line, Pair, Text, paper, printed_lines, wrap
from printing.encoding import encode_text
from printing.errors import PrinterError
from printing.escpos_render import render_bytes
from printing.layout import (
    ReceiptLine,
    local_time,
    preferential_label,
    receipt_layout,
    requirements_layout,
    soles,
    ticket_layout,
)
from tests.printing.conftest import RECEIPT, REQUIREMENTS, TICKET
from tests.printing.escpos_decoder import decode

LONG = ("Solicitud de licencia de funcionamiento con carácter de declaración jurada "
        "presentada por la señora Ñahui, ¿con número de RUC? ¡Sí! "
        "Supercalifragilisticoespialidosoextraordinariamentelargo fin.")


def all_layouts() -> list[Layout]:
    return [
        ticket_layout(TICKET),
        ticket_layout(replace(TICKET, number="PA-001", service_name=LONG, reprint=True)),
        receipt_layout(RECEIPT),
        receipt_layout(replace(RECEIPT, procedure_name=LONG, payer_name=LONG, lines=(
            ReceiptLine(LONG, Decimal("1234567.891")), ReceiptLine("x", Decimal("0"))))),
        requirements_layout(REQUIREMENTS),
        Layout((Text(LONG, size=3), Text(LONG, size=8, bold=True), Pair(LONG, LONG, size=2),
                Text(LONG, indent=4), Cut())),
    ]


def test_no_printed_line_is_wider_than_the_paper(width_mm: int) -> None:
    columns = paper(width_mm).columns
    for layout in all_layouts():
        decoded = decode(render_bytes(layout, width_mm))
        assert decoded.lines
        for line in decoded.lines:
            assert len(line.text) * line.width <= columns, (width_mm, line)


def test_wrapping_breaks_between_words(width_mm: int) -> None:
    columns = paper(width_mm).columns
    rows = wrap(LONG, columns)
    assert all(len(row) <= columns for row in rows)
    words = LONG.split()
    long_word = next(w for w in words if len(w) > columns)
    # Every word that fits a line is printed whole on one row.
    assert [w for w in " ".join(rows).split() if w in words] == [
        w for w in words if w != long_word]
    assert "".join(rows).replace(" ", "") == LONG.replace(" ", "")


@settings(max_examples=150)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=300),
       st.integers(min_value=1, max_value=48), st.integers(min_value=0, max_value=8))
def test_wrap_never_exceeds_the_width(text: str, width: int, indent: int) -> None:
    for row in wrap(text, width, indent):
        assert len(row) <= width
        assert len(encode_text(row)) <= width  # one byte per character at most, no commands
        assert not any(byte < 0x20 for byte in encode_text(row))


def test_big_text_wraps_on_fewer_columns() -> None:
    lines = printed_lines(Layout((Text("uno dos tres cuatro cinco", size=6),)), 48)  # 8 columns
    assert [line.text for line in lines if isinstance(line, Line)] == [
        "uno dos", "tres", "cuatro", "cinco"]


def test_fit_lowers_the_size_until_the_text_fits_one_line() -> None:
    def sizes(columns: int) -> list[int]:
        layout = Layout((Text("PA-001", size=6, fit=True),))
        return [i.size for i in printed_lines(layout, columns) if isinstance(i, Line)]

    assert sizes(48) == [6]
    assert sizes(32) == [5]
    assert sizes(4) == [1, 1]  # nothing fits: smallest size, wrapped


def test_qr_modules_shrink_to_fit_the_paper() -> None:
    big = QR("x" * 200, module_dots=8)
    fitted = next(item for item in printed_lines(Layout((big,)), 32) if isinstance(item, QR))
    assert fitted.module_dots == 384 // (17 + 4 * 10 + 8)
    small = next(item for item in printed_lines(Layout((QR("A-023"),)), 48)
                 if isinstance(item, QR))
    assert small.module_dots == 6


def test_preferential_categories_in_words() -> None:
    assert preferential_label("gestante") == "Gestante"
    assert preferential_label("adulto_mayor") == "Adulto mayor"
    assert preferential_label("discapacidad") == "Persona con discapacidad"
    assert "niño en brazos" in preferential_label("nino")
    assert preferential_label("bombero_voluntario") == "Bombero voluntario"  # never crashes
    for category in ("gestante", "adulto_mayor", "discapacidad", "nino"):
        layout = ticket_layout(replace(TICKET, preferential=category))
        text = " ".join(item.text for item in printed_lines(layout, 48)
                        if isinstance(item, Line))
        assert f"ATENCIÓN PREFERENCIAL – {preferential_label(category)}" in text


def test_regular_ticket_has_no_preferential_line_and_wait_wording() -> None:
    def text_of(**changes: object) -> str:
        layout = ticket_layout(replace(TICKET, **changes))  # type: ignore[arg-type]
        return "\n".join(i.text for i in printed_lines(layout, 48) if isinstance(i, Line))

    assert "PREFERENCIAL" not in text_of(preferential=None)
    assert "Espera estimada: 10–20 min" in text_of()
    assert "Espera estimada: 5 min" in text_of(wait_minutes=(5, 5))
    assert "Espera estimada: pocos minutos" in text_of(wait_minutes=(0, 0))
    assert "Espera estimada" not in text_of(wait_minutes=None)


def test_reprint_banner_appears_once_and_only_on_reprints() -> None:
    def banners(layout: Layout) -> int:
        return sum(1 for i in printed_lines(layout, 48)
                   if isinstance(i, Line) and i.text == "REIMPRESIÓN")

    layout = ticket_layout(TICKET)
    assert banners(layout) == 0
    assert banners(layout.as_reprint()) == 1
    assert banners(layout.as_reprint().as_reprint()) == 1
    assert banners(ticket_layout(replace(TICKET, reprint=True))) == 1
    assert banners(Layout((Text("sin marca"),), reprint=True)) == 1  # banner goes on top


def test_money_is_decimal_with_two_places() -> None:
    assert soles(Decimal("12.5")) == "S/ 12.50"
    assert soles(Decimal("5350")) == "S/ 5,350.00"
    assert soles(Decimal("0.125")) == "S/ 0.13"  # half up, as cash is rounded
    with pytest.raises(TypeError):
        soles(12.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ReceiptLine("x", 1.5)  # type: ignore[arg-type]
    assert RECEIPT.total == Decimal("12.50")


def test_local_time_is_the_office_time() -> None:
    assert local_time(datetime(2026, 11, 20, 13, 15, tzinfo=UTC), "America/Lima") == (
        "20/11/2026 08:15")
    assert local_time(datetime(2026, 1, 2, 9, 5), "America/Lima") == "02/01/2026 09:05"


def test_requirements_deadline_and_fee_wording() -> None:
    def text_of(**changes: object) -> str:
        layout = requirements_layout(replace(REQUIREMENTS, **changes))  # type: ignore[arg-type]
        return "\n".join(i.text for i in printed_lines(layout, 48) if isinstance(i, Line))

    assert "Plazo: el mismo día" in text_of(deadline_working_days=0)
    assert "Plazo: 1 día hábil" in text_of(deadline_working_days=1)
    assert "Plazo: 30 días hábiles" in text_of(deadline_working_days=30)
    assert "Derecho de trámite: gratuito" in text_of(fee=Decimal("0"))
    assert "Derecho de trámite: tasa por confirmar" in text_of(fee=None)
    assert "Derecho de trámite: gratuito" in text_of(fee=Decimal("0"))
    assert "1. Solicitud" in text_of() and "2. Vigencia de poder" in text_of()


def test_unknown_paper_width_is_a_spanish_error() -> None:
    with pytest.raises(PrinterError, match="58 u 80 mm"):
        render_bytes(ticket_layout(TICKET), 76)
