"""Kiosk «Consultar» with a signed document's QR (decision 46): a scanner types the
statement's URL and Enter; the hub checks it with the office keys it holds, no link needed.
An altered code is refused in plain Spanish; a cargo's shows what the paper must say."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.storage.tables import Event
from tests.conftest import START
from tests.signing.authority import make_authority
from tests.signing.qr_walk import set_up, signed_cargo, signed_copy
from tests.ui.test_kiosk_status import kiosk_client, window  # noqa: F401 - fixtures
from ui.kiosk.window import KioskWindow


def _scan(qtbot: QtBot, window: KioskWindow, text: str) -> None:  # noqa: F811
    page = window.status_page
    page.verdict = None
    QTest.keyClicks(page, text)  # as a USB scanner types what it read
    QTest.keyClick(page, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.verdict is not None, timeout=10_000)


def test_a_scanned_qr_statement_is_verified_at_the_kiosk(
        qtbot: QtBot, window: KioskWindow, hub: OfficeHub,  # noqa: F811
        clerk: DeviceIdentity, tmp_path: Path) -> None:
    set_up(hub, make_authority(START), public_url="https://tramites.cajamarca.gob.pe")
    copy = signed_copy(hub, clerk)
    window.start.consult.click()
    page = window.status_page
    assert window.stack.currentWidget() is page
    _scan(qtbot, window, copy.statement.url)
    assert page.verdict is not None and page.verdict.valid
    shown = page.result.text()
    assert "Documento auténtico" in shown and copy.number in shown
    page.grab().save(str(tmp_path / "kiosk-verificacion.png"))
    token = copy.statement.statement
    altered = token[:30] + ("A" if token[30] != "A" else "B") + token[31:]
    _scan(qtbot, window, copy.statement.url.replace(token, altered))
    assert page.verdict is not None and not page.verdict.valid
    assert "alterado o falsificado" in page.result.text()
    assert copy.number not in page.result.text()  # nothing of an altered code is shown


def test_a_signed_cargo_at_the_kiosk_shows_what_it_must_say_and_refuses_an_altered_record(
        qtbot: QtBot, window: KioskWindow, hub: OfficeHub,  # noqa: F811
        clerk: DeviceIdentity, tmp_path: Path) -> None:
    set_up(hub, make_authority(START), public_url="https://tramites.cajamarca.gob.pe")
    cargo = signed_cargo(hub, clerk)
    assert cargo.view.person is not None
    window.start.consult.click()
    page = window.status_page
    _scan(qtbot, window, cargo.statement.url)
    assert page.verdict is not None and page.verdict.valid
    shown = page.result.text()
    # the paper is compared with the procedure, the time, the requirements and the amount,
    # and the applicant masked (a kiosk shows nobody's name or document)
    assert cargo.view.procedure_name in shown and "J*** C*** Q*** M***" in shown
    assert f"{cargo.view.filed_at.astimezone(hub.config.tz):%d/%m/%Y %H:%M}" in shown
    presented = ", ".join(str(r.number) for r in cargo.view.requirements if r.presented)
    assert f"Requisitos presentados</b>&nbsp;&nbsp;</td><td>{presented}<" in shown
    assert any(not r.presented for r in cargo.view.requirements)
    assert "Juan Carlos" not in shown and cargo.view.person.doc_number not in shown
    page.grab().save(str(tmp_path / "kiosk-verificacion-cargo.png"))
    # what the office recorded the cargo says, changed behind its back: refused
    with hub.store.write_connection() as connection:
        event = connection.execute(select(Event.id, Event.data).where(
            Event.kind == "document_signed")).one()
        fields = [[name, "Rosa Chávez Ibáñez" if name == "applicant" else value]
                  for name, value in event.data["fields"]]
        connection.execute(update(Event).where(Event.id == event.id).values(
            data={**event.data, "fields": fields}))
        connection.commit()
    _scan(qtbot, window, cargo.statement.url)
    assert page.verdict is not None and not page.verdict.valid
    assert "no coinciden" in page.result.text()
    assert cargo.view.procedure_name not in page.result.text()
