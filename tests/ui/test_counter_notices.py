"""The filing form asks for the citizen's contact for notices and their consent (Ley 29733):
a contact without the consent is refused and kept on screen; with it the hub records both."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.hub import OfficeHub
from kiosk.storage.tables import NoticeConsent
from tests.ui.conftest import RecordedBoxes
from tests.ui.counter_support import type_text
from tests.ui.test_counter_flow import open_form, type_applicant
from ui.counter.window import CounterWindow


def test_the_form_takes_the_contact_only_with_the_consent(
        qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, tmp_path: Path,
        message_boxes: RecordedBoxes) -> None:
    window = logged_in
    open_form(qtbot, window, "LE-B")
    form = window.form
    type_applicant(qtbot, window)
    for edit, text in ((form.edificacion.address, "Av. Atahualpa 1020"),
                       (form.edificacion.description, "Vivienda de dos pisos"),
                       (form.edificacion.professional, "Arq. Carla Rojas Díaz"),
                       (form.edificacion.registration, "CAP 12345")):
        type_text(qtbot, edit, text)
    qtbot.mouseClick(form.all_requirements, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.notice_mobile, "987 654 321")
    qtbot.keyClicks(form.notice_email, "maria@correo.pe")
    assert form.notice_consent.text() == "Autoriza los avisos (Ley 29733)"
    assert not form.notice_consent.isChecked()

    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "autorizarlo" in form.notice.text(), timeout=10_000)
    assert window.area.stack.currentWidget() is form  # nothing filed, nothing lost
    assert form.notice_mobile.text() == "987 654 321"

    form.notice_consent.setChecked(True)
    form.notice.clear_message()
    shot = Path(os.environ.get("CAC_SHOTS", tmp_path)) / "counter_form_notices.png"
    assert form.grab().save(str(shot))
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=10_000)
    expediente = window.expediente.expediente
    assert expediente is not None
    with hub.store.read_session() as session:
        consent = session.scalars(select(NoticeConsent)).one()
        assert (consent.mobile, consent.email, consent.given_by_name) == (
            "987654321", "maria@correo.pe", "Ana Torres Chávez")
    panel = window.expediente
    assert panel.facts["notices"][1].text() == "SMS y correo · autorizados el 20/11/2026"
    assert panel.stop_notices.isVisible()
    shot = Path(os.environ.get("CAC_SHOTS", tmp_path)) / "counter_expediente_notices.png"
    assert window.grab().save(str(shot))

    message_boxes.answer = False  # asked first: «No» leaves it
    qtbot.mouseClick(panel.stop_notices, Qt.MouseButton.LeftButton)
    assert [box[:2] for box in message_boxes.shown] == [("confirm", "Retirar avisos")]
    message_boxes.answer = True
    qtbot.mouseClick(panel.stop_notices, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.facts["notices"][1].text() == "No autorizados",
                    timeout=10_000)
    assert not panel.stop_notices.isVisible()
    assert panel.notice.text() == f"Avisos retirados del expediente {expediente.number}."
    with hub.store.read_session() as session:
        consent = session.scalars(select(NoticeConsent)).one()
        assert (consent.mobile, consent.withdrawn_by_name) == (None, "Ana Torres Chávez")

    open_form(qtbot, window, "LE-B")  # the next citizen starts with an empty contact
    assert (form.notice_mobile.text(), form.notice_consent.isChecked()) == ("", False)
