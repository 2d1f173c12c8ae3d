"""Kiosk «Consultar» with a signed document's QR (decision 46): a scanner types the
statement's URL and Enter; the hub checks it with the office keys it holds, no link needed.
An altered code is refused in plain Spanish."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from tests.conftest import START
from tests.signing.authority import make_authority
from tests.signing.qr_walk import set_up, signed_copy
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
