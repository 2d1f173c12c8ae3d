"""The constancia de silencio administrativo positivo (TUO Ley 27444 art. 199.1): thermal and
A4 with the same words, only for an expediente whose silence the hub recorded. The sample
licence (10 working days from Fri 20 Nov 2026: Mon 23 … Fri 4 Dec) was due Fri 4 Dec; the
silence operated on Sat 5 Dec (the day after, with no notification period: docs/decisions.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from printing.documents import NoSilence, constancia_layout
from printing.escpos_render import render_bytes
from printing.pdf import constancia_pdf, pdf_page_png
from tests.printing.doc_data import LICENCIA, MUNICIPALITY, OFFICE, pdf_text
from tests.printing.escpos_decoder import decode

ISSUED = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)  # 10:00 in Lima
SILENCED = LICENCIA.model_copy(update={
    "status": "aprobado", "status_text": "Aprobado", "silence_operated_on": date(2026, 12, 5),
    "approved_by_law": "silence_operated",
    "silence_article": "art. 199.1 del TUO de la Ley 27444 (DS 004-2019-JUS)"})
STATEMENT = (
    f"Se deja constancia de que la solicitud del expediente {LICENCIA.number}, presentada el 20 "
    "de noviembre de 2026, no fue resuelta ni notificada dentro del plazo de 10 días hábiles, "
    "que venció el 4 de diciembre de 2026. Conforme al art. 199.1 del TUO de la Ley 27444 (DS "
    "004-2019-JUS), ha quedado aprobada automáticamente en los términos en que fue solicitada "
    "desde el 5 de diciembre de 2026.")


def test_the_a4_constancia_certifies_the_silence_with_its_article() -> None:
    assert LICENCIA.due_date == date(2026, 12, 4)
    data = constancia_pdf(SILENCED, OFFICE, ISSUED, municipality=MUNICIPALITY)
    text = pdf_text(data)
    assert "CONSTANCIA DE SILENCIO ADMINISTRATIVO POSITIVO" in text
    assert STATEMENT in text
    assert "Aprobado por ley desde 05/12/2026" in text
    assert "Emitida el 09/12/2026 10:00" in text
    assert constancia_pdf(SILENCED, OFFICE, ISSUED, municipality=MUNICIPALITY) == data
    assert pdf_page_png(data).startswith(b"\x89PNG")


def test_the_thermal_constancia_says_the_same() -> None:
    layout = constancia_layout(SILENCED, OFFICE, ISSUED, municipality=MUNICIPALITY)
    text = " ".join(decode(render_bytes(layout, 80)).text.split())
    assert "Aprobado por ley desde el 05/12/2026" in text
    assert "art. 199.1 del TUO de la Ley 27444" in text


def test_no_constancia_without_a_recorded_silence() -> None:
    with pytest.raises(NoSilence):
        constancia_pdf(LICENCIA, OFFICE, ISSUED)
    with pytest.raises(NoSilence):
        constancia_layout(LICENCIA, OFFICE, ISSUED)
