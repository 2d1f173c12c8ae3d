"""«Reclamos» at the kiosk over the hub's real server: the citizen reads what is not a
reclamo, chooses the category, types on the large keys, files, and takes the printed hoja
with the number and the answer's day; a refusal is said on the form and nothing typed is lost;
the anonymous suggestion; the next person finds the form empty."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.client.http import HttpHubClient
from kiosk.hub import OfficeHub
from kiosk.storage.tables import Reclamo, Suggestion
from tests.conftest import CLERK, RunningHub
from tests.ui.test_kiosk import FakePrinter
from ui.kiosk.window import KioskWindow


@pytest.fixture
def window(qtbot: QtBot, server: RunningHub, tokens: dict[str, str]
           ) -> Iterator[tuple[KioskWindow, FakePrinter]]:
    client = HttpHubClient(server.url, tokens["kiosk"], timeout=5)
    printer = FakePrinter()
    kiosk = KioskWindow(client, printer)
    qtbot.addWidget(kiosk)
    kiosk.resize(1366, 768)
    kiosk.show()
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.start, timeout=10_000)
    yield kiosk, printer
    kiosk.close()
    client.close()


def type_on(qtbot: QtBot, window: KioskWindow, text: str) -> None:
    """Touch the keys of the on-screen keyboard, one by one (Mayús as needed)."""
    keyboard = window.reclamo_page.keyboard
    for char in text:
        if char == " ":
            qtbot.mouseClick(keyboard.space, Qt.MouseButton.LeftButton)
            continue
        upper = char.upper()
        if char.isalpha() and (char.isupper() != keyboard.shift):
            qtbot.mouseClick(keyboard.caps, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(keyboard.keys[upper], Qt.MouseButton.LeftButton)


def touch(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_citizen_files_a_reclamo_on_the_large_keys_and_takes_the_hoja(
        qtbot: QtBot, window: tuple[KioskWindow, FakePrinter], hub: OfficeHub) -> None:
    kiosk, printer = window
    touch(qtbot, kiosk.start.reclamos)
    page = kiosk.reclamo_page
    assert kiosk.stack.currentWidget() is page
    said = page.elsewhere.text()
    for where in ("Queja por defectos de tramitación", "Denuncia", "Seguimiento de un "
                  "expediente", "mesa de partes"):
        assert where in said
    touch(qtbot, page.category_buttons["tiempo_atencion"])
    assert page.keyboard.isVisible() and page.keyboard.target is page.doc_number
    type_on(qtbot, kiosk, "41234567")
    page.full_name.setFocus()
    type_on(qtbot, kiosk, "Maria Quispe Ñahui")  # no accented keys: «i» for «í»
    page.email.setFocus()
    type_on(qtbot, kiosk, "maria@example.pe")
    page.description.setFocus()
    type_on(qtbot, kiosk, "Espere dos horas")
    assert (page.doc_number.text(), page.full_name.text()) == ("41234567", "Maria Quispe Ñahui")
    touch(qtbot, page.send)
    qtbot.waitUntil(lambda: page.filed is not None, timeout=10_000)
    assert page.filed is not None
    assert printer.reclamos == [page.filed.number] == ["CAJ-LR-2026-000001"]
    assert page.done_number.text() == "CAJ-LR-2026-000001"
    assert "7 de enero de 2027" in page.done_due.text()
    with hub.store.read_session() as session:
        stored = session.execute(select(
            Reclamo.channel, Reclamo.category, Reclamo.full_name, Reclamo.email,
            Reclamo.description)).one()
    assert tuple(stored) == ("kiosco", "tiempo_atencion", "Maria Quispe Ñahui",
                             "maria@example.pe", "Espere dos horas")
    touch(qtbot, page.back)  # «Listo»: the next person finds nothing of this one
    assert kiosk.stack.currentWidget() is kiosk.start
    assert page.full_name.text() == "" and page.description.toPlainText() == ""


def test_a_refusal_is_said_on_the_form_and_what_was_typed_stays(
        qtbot: QtBot, window: tuple[KioskWindow, FakePrinter], hub: OfficeHub) -> None:
    kiosk, printer = window
    kiosk.open_reclamos()
    page = kiosk.reclamo_page
    touch(qtbot, page.category_buttons["acceso"])
    page.doc_number.setText("41234567")
    page.full_name.setText("Rosa Quispe")
    page.description.setPlainText("La rampa estaba cerrada.")
    touch(qtbot, page.send)  # no e-mail and no address: where would the answer go?
    qtbot.waitUntil(lambda: page.problem.isVisible(), timeout=10_000)
    assert "correo electrónico o un domicilio" in page.problem.text()
    assert page.full_name.text() == "Rosa Quispe" and page.send.isEnabled()
    assert printer.reclamos == []
    with hub.store.read_session() as session:
        assert session.scalars(select(Reclamo)).all() == []


def test_an_anonymous_suggestion_from_the_same_page(
        qtbot: QtBot, window: tuple[KioskWindow, FakePrinter], hub: OfficeHub) -> None:
    kiosk, _ = window
    kiosk.open_reclamos()
    page = kiosk.reclamo_page
    touch(qtbot, page.suggest)
    touch(qtbot, page.suggestion_buttons["instalaciones"])
    type_on(qtbot, kiosk, "Mas sillas")
    touch(qtbot, page.send)
    qtbot.waitUntil(lambda: page.steps.currentWidget() is page.done_page, timeout=10_000)
    with hub.store.read_session() as session:
        row = session.execute(select(Suggestion.category, Suggestion.text)).one()
    assert tuple(row) == ("instalaciones", "Mas sillas")


def test_a_foreigner_chooses_the_carne_de_extranjeria(
        qtbot: QtBot, window: tuple[KioskWindow, FakePrinter], hub: OfficeHub) -> None:
    kiosk, printer = window
    kiosk.open_reclamos()
    page = kiosk.reclamo_page
    touch(qtbot, page.category_buttons["otros"])  # the hoja is printed too (below)
    assert page.doc_buttons["DNI"].isChecked()  # the usual case, chosen for them
    touch(qtbot, page.doc_buttons["CE"])
    page.doc_number.setFocus()
    type_on(qtbot, kiosk, "1234567")
    page.full_name.setText("Ana Pérez")
    page.address.setText("Jr. Lima 123")
    page.description.setPlainText("No había atención en la mañana.")
    touch(qtbot, page.send)
    qtbot.waitUntil(lambda: page.filed is not None, timeout=10_000)
    with hub.store.read_session() as session:
        stored = session.execute(select(Reclamo.doc_type, Reclamo.doc_number)).one()
    assert tuple(stored) == ("CE", "001234567")  # as the card prints it
    assert printer.reclamos == [page.filed.number]
    kiosk.go_home()
    assert page.doc_buttons["DNI"].isChecked() and page.doc_type == "DNI"


def test_every_step_fits_the_smallest_kiosk_screen(
        qtbot: QtBot, window: tuple[KioskWindow, FakePrinter]) -> None:
    """1024×768 (tests/ui/test_kiosk_layout.py's smallest): the form and its keyboard, the
    suggestions box and the choice fit without the window growing."""
    kiosk, _ = window
    kiosk.resize(1024, 768)
    kiosk.open_reclamos()
    page = kiosk.reclamo_page
    steps = [lambda: None, lambda: page.choose("trato_profesional"), page.open_suggestion]
    for step in steps:
        page.clear()
        step()
        qtbot.waitUntil(lambda: kiosk.size().toTuple() == (1024, 768), timeout=2_000)
        hint = kiosk.minimumSizeHint()
        assert hint.width() <= 1024 and hint.height() <= 768, (page.steps.currentIndex(), hint)
        assert kiosk.size().toTuple() == (1024, 768)
    page.clear()
    page.choose("otros")  # the tallest step, with a refusal of the hub on it
    page.show_problem("Indique un correo electrónico o un domicilio: allí se le enviará la "
                      "respuesta a su reclamo.")
    QApplication.processEvents()
    assert page.problem.isVisible() and kiosk.size().toTuple() == (1024, 768)


def test_a_clerk_finishes_what_the_citizen_typed(
        qtbot: QtBot, window: tuple[KioskWindow, FakePrinter], hub: OfficeHub,
        tokens: dict[str, str], server: RunningHub) -> None:
    """Half-way, the citizen asks for help: an Orientación ticket, and the clerk who calls it
    reads what was typed (issue 17), which the kiosk itself forgets at once."""
    kiosk, printer = window
    kiosk.open_reclamos()
    page = kiosk.reclamo_page
    touch(qtbot, page.category_buttons["acceso"])
    assert page.helped.isVisible()  # on the form too, not only on the first step
    page.doc_number.setText("41234567")
    page.full_name.setText("Juana Mamani")
    page.description.setPlainText("No hay rampa.")
    touch(qtbot, page.helped)
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.ticket, timeout=10_000)
    number = printer.tickets[-1][0]
    assert printer.tickets[-1][1] == kiosk._service_word("orientacion")
    assert page.full_name.text() == "" and page.description.toPlainText() == ""
    clerk = HttpHubClient(server.url, tokens["counter"])
    try:
        clerk.login(*CLERK, counter=3)
        typed = clerk.reclamo_draft(number)
    finally:
        clerk.close()
    assert (typed.category, typed.doc_number, typed.full_name, typed.description) == (
        "acceso", "41234567", "Juana Mamani", "No hay rampa.")
