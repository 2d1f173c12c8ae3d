"""The hoja de reclamación on the thermal printer, read back from its ESC/POS bytes: the
number, the date and time, the answer's last day (30 working days from Fri 20 Nov 2026: Thu 7
Jan 2027, tests/unit/test_reclamo_rules.py), the citizen's data and where quejas and denuncias
go; on 58 and 80 mm paper, with the accents and the ñ of the printer's code page."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kiosk.services.reclamo_views import ReclamoView
from printing.documents import hoja_reclamo_layout
from printing.escpos_render import render_bytes
from printing.preview import preview_png
from tests.printing.escpos_decoder import decode

RECLAMO = ReclamoView(
    number="CAJ-LR-2026-000014", office="CAJ", office_name="CAC Cajamarca", channel="kiosco",
    category="tiempo_atencion", category_text="Tiempo de atención", doc_type="DNI",
    doc_number="41234567", full_name="María Quispe Ñahui", address=None, phone="976543210",
    email="maria@example.pe", description="Esperé dos horas con el turno P-014.",
    request="Más ventanillas abiertas.", filed_at=datetime(2026, 11, 20, 13, 15, tzinfo=UTC),
    answer_working_days=30, due_date=date(2027, 1, 7), status="abierto", overdue=False,
    answer=None, delivery=None, delivery_text=None, answered_at=None)


@pytest.mark.parametrize("width", [58, 80])
def test_the_hoja_prints_its_number_and_the_day_the_answer_is_due(width: int) -> None:
    printed = decode(render_bytes(hoja_reclamo_layout(RECLAMO, municipality="Municipalidad "
                                                      "Provincial de Cajamarca",
                                                      width_mm=width), width))
    text = " ".join(printed.text.split())
    assert "LIBRO DE RECLAMACIONES" in text
    assert "HOJA DE RECLAMACIÓN" in text
    assert "CAJ-LR-2026-000014" in text
    assert "Registrado el 20/11/2026 08:15" in text  # Lima time
    assert "7 de enero de 2027" in text
    assert "(30 días hábiles desde su registro)" in text
    assert "María Quispe Ñahui" in text
    assert "DNI 41234567" in text
    assert "Categoría: Tiempo de atención" in text
    assert "La respuesta se enviará al correo maria@example.pe." in text
    assert "Denuncia por actos de corrupción" in text
    assert "Seguimiento de un expediente" in text
    assert printed.ends_with_cut


def test_a_reprint_says_so_and_the_preview_is_a_png() -> None:
    text = decode(render_bytes(hoja_reclamo_layout(RECLAMO, reprint=True), 80)).text
    assert "REIMPRESIÓN" in text
    assert preview_png(hoja_reclamo_layout(RECLAMO)).startswith(b"\x89PNG")
