"""ESC/POS bytes: golden files, and a strict decoder reading them back."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from escpos.capabilities import get_profile
from escpos.printer import Dummy

from printing.blocks import QR, Cut, Layout, Pair, Rule, Text
from printing.encoding import CODEPAGES, encode_text
from printing.errors import PrinterError
from printing.escpos_render import PROFILE, render_bytes
from printing.layout import receipt_layout, requirements_layout, ticket_layout
from tests.printing.conftest import RECEIPT, RECEIPT_QR, REQUIREMENTS, TICKET, TICKET_QR
from tests.printing.escpos_decoder import DecodeError, decode

GOLDEN = Path(__file__).parent / "golden"
# After an intended change of the ticket's bytes, regenerate the golden files with
#   CAC_REGEN_GOLDEN=1 .venv/bin/python -m pytest -q tests/printing -k golden
# and review the difference (tests/printing/escpos_decoder.py can print it as text).
REGENERATE = os.environ.get("CAC_REGEN_GOLDEN") == "1"

SPANISH = Layout((
    Text("Atención: Señora Ñusta Ñahui, ¿necesita ayuda? ¡Pregunte!", align="center"),
    Text("ÁÉÍÓÚ áéíóú Ññ Üü ¿¡ º ª « » – fin", bold=True),
    QR("CAJ-2026-000123"),
    Cut(),
))


@pytest.mark.parametrize("width", [58, 80])
def test_golden_ticket_bytes(width: int) -> None:
    data = render_bytes(ticket_layout(TICKET), width, "CP858")
    golden = GOLDEN / f"ticket_{width}mm.bin"
    if REGENERATE:
        golden.write_bytes(data)
    assert data == golden.read_bytes(), f"ESC/POS bytes changed; see the comment on {golden.name}"


def test_decoder_finds_code_page_spanish_text_qr_and_cut() -> None:
    decoded = decode(render_bytes(SPANISH, 80, "CP858"))
    assert decoded.commands[:2] == ["init", "codepage 19"]
    assert decoded.codepage == CODEPAGES["CP858"] == 19
    for expected in ("Atención", "Señora", "¿", "¡", "ÁÉÍÓÚ", "Ñ", "Üü", "º ª « »"):
        assert expected in decoded.text
    assert "- fin" in decoded.text  # the en dash, which no code page here has, prints as "-"
    assert decoded.qr_payloads == ["CAJ-2026-000123"] and decoded.qr_prints == 1
    assert decoded.ends_with_cut


@pytest.mark.parametrize("codepage", sorted(CODEPAGES))
def test_every_offered_code_page_prints_spanish(codepage: str) -> None:
    decoded = decode(render_bytes(SPANISH, 58, codepage.lower()))
    assert decoded.codepage == CODEPAGES[codepage]
    assert "ÁÉÍÓÚ áéíóú Ññ Üü ¿¡" in decoded.text


def test_code_page_numbers_match_python_escpos_profile() -> None:
    profile = get_profile(PROFILE)
    for name, number in CODEPAGES.items():
        assert profile.codePages[str(number)] == name
    # And python-escpos itself, told to use CP858, selects the same table and bytes.
    printer = Dummy(profile=PROFILE)
    printer.charcode("CP858")
    printer.text("Atención ÁÉÍÓÚ Ñ ¿¡\n")
    assert printer.output == b"\x1bt\x13" + encode_text("Atención ÁÉÍÓÚ Ñ ¿¡", "CP858") + b"\n"


def test_code_page_without_capital_accents_is_refused() -> None:
    with pytest.raises(PrinterError) as caught:
        render_bytes(SPANISH, 80, "CP437")
    assert caught.value.code == "unsupported_codepage"
    assert "castellano" in caught.value.message


def test_ticket_bytes_carry_the_ticket() -> None:
    decoded = decode(render_bytes(ticket_layout(TICKET), 80))
    number = next(line for line in decoded.lines if line.text == "A-023")
    assert (number.width, number.height, number.bold, number.align) == (6, 6, True, "center")
    assert "ATENCIÓN PREFERENCIAL - Adulto mayor" in decoded.text
    assert "20/11/2026 08:15" in decoded.text
    assert "Personas delante: 3" in decoded.text and "Espera estimada: 10-20 min" in decoded.text
    assert "Espere su llamado en la pantalla" in decoded.text
    assert "REIMPRESIÓN" not in decoded.text
    assert decoded.qr_payloads == [TICKET_QR] and decoded.ends_with_cut


def test_large_number_shrinks_to_fit_58mm() -> None:
    decoded = decode(render_bytes(ticket_layout(replace(TICKET, number="PA-001")), 58))
    number = next(line for line in decoded.lines if line.text == "PA-001")
    assert number.width == 5 and 6 * 5 <= 32


def test_receipt_bytes() -> None:
    decoded = decode(render_bytes(receipt_layout(RECEIPT), 58))
    text = " ".join(line.text.strip() for line in decoded.lines)  # 58 mm wraps the long ones
    for expected in ("N.° CAJ-R-2026-000045", "Expediente: CAJ-2026-000123", "S/ 10.50",
                     "S/ 2.00", "Señora María Ñahui Quispe", "DNI 41234567",
                     "Forma de pago: Efectivo", "Rosa Chávez Ibáñez"):
        assert expected in text
    total = next(line for line in decoded.lines if line.text.startswith("TOTAL"))
    assert total.text.endswith("S/ 12.50") and total.width == 2 and total.bold
    assert decoded.qr_payloads == [RECEIPT_QR] and decoded.ends_with_cut


def test_requirements_bytes() -> None:
    decoded = decode(render_bytes(requirements_layout(REQUIREMENTS), 80))
    text = decoded.text
    assert "Derecho de trámite: S/ 104.50" in text and "Plazo: 4 días hábiles" in text
    assert "1. Solicitud con carácter" in text and "(si corresponde)" in text
    assert "3. Pago del derecho de trámite." in text


def test_control_characters_in_data_cannot_become_commands() -> None:
    hostile = replace(RECEIPT, payer_name="Juan\x1bd\x50\x1dV\x00Pérez\x07")
    decoded = decode(render_bytes(receipt_layout(hostile), 80))  # strict: fails on any command
    assert "Pagador: Juan?dP?V?Pérez?" in decoded.text
    assert decoded.commands.count("cut") == 1


def test_characters_outside_the_code_page_degrade_one_for_one() -> None:
    assert encode_text("“Año” — Łódź € ā", "CP850") == '"Año" - ?ódz E a'.encode("cp850")
    assert encode_text("€", "CP858") == b"\xd5"  # CP858 has the euro sign
    assert encode_text("Jose\u0301", "CP858") == "José".encode("cp858")  # combining accent


def test_decoder_rejects_garbage() -> None:
    good = render_bytes(SPANISH, 80)
    with pytest.raises(DecodeError):
        decode(good[:-3] + b"\x1bZ" + good[-3:])
    with pytest.raises(DecodeError):
        decode(b"\x1b@" + "sin página".encode("cp858") + b"\n")  # text before ESC t
    with pytest.raises(DecodeError):
        decode(good + b"\x07")


def test_rendering_is_deterministic_and_pairs_fill_the_line() -> None:
    layout = Layout((Pair("Concepto", "Importe", bold=True), Rule(), Cut()))
    assert render_bytes(layout, 80) == render_bytes(layout, 80)
    first = decode(render_bytes(layout, 80)).lines[0]
    assert len(first.text) == 48 and first.text.startswith("Concepto")
    assert first.text.endswith("Importe")


def test_a_block_kept_from_another_layout_prints_in_the_style_it_follows_here() -> None:
    """Blocks' bytes are kept (printing.escpos_render._block_bytes) with the style the printer
    is in when they start: the same block after a bold, large, centred one and after none."""
    shared = Text("Personas delante: 3 (prueba de estilo)")
    alone = decode(render_bytes(Layout((shared, Cut())), 80))  # rendered from ESC @ first
    after_style = decode(render_bytes(Layout((
        Text("A-001", align="center", bold=True, size=4), shared, Cut())), 80))
    again = decode(render_bytes(Layout((
        Text("A-001", align="center", bold=True, size=4), shared, Cut())), 80))
    line = next(x for x in after_style.lines if x.text == shared.text)
    assert (line.align, line.bold, line.width) == ("left", False, 1)
    assert next(x for x in alone.lines if x.text == shared.text) == line
    assert again.lines == after_style.lines and again.commands == after_style.commands
