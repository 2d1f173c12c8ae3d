"""The reclamo form read aloud on request (issue 17: «voice of the text optional»): the step on
screen said in plain sentences when the citizen touches «Escuchar», never unasked; a kiosk with
no Spanish voice does not offer the button."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.rules.reclamos import CATEGORY_SHORT, NOT_RECLAMOS
from ui.kiosk.reclamo_page import ReclamoPage


def test_the_citizen_hears_the_step_on_screen(qtbot: QtBot) -> None:
    said: list[str] = []
    page = ReclamoPage(speak=said.append)
    qtbot.addWidget(page)
    page.show()
    assert said == []  # nothing is said unasked
    assert page.listen.isVisible()
    page.listen.click()
    first = said[-1]
    assert first.startswith("Libro de Reclamaciones")
    assert "<" not in first and "&" not in first  # plain sentences, no markup
    for elsewhere in NOT_RECLAMOS:
        assert elsewhere.where in first
    for category in CATEGORY_SHORT.values():
        assert category in first
    page.choose(next(iter(CATEGORY_SHORT)))
    page.listen.click()
    assert said[-1].startswith("Reclamo sobre:") and "Enviar reclamo" in said[-1]
    page.clear()
    page.open_suggestion()
    page.listen.click()
    assert said[-1].startswith("Buzón de sugerencias") and "no escriba su nombre" in said[-1]
    assert len(said) == 3


def test_no_voice_no_button(qtbot: QtBot) -> None:
    page = ReclamoPage()
    qtbot.addWidget(page)
    page.show()
    assert not page.listen.isVisible()
    page.read_aloud()  # harmless without a voice
