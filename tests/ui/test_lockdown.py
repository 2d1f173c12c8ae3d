"""The kiosk locked down (issue 19), against a real hub on loopback: it stays open and
full-screen whatever a citizen does, five taps in the corner ask for a PIN, a wrong PIN is
refused in Spanish by the hub, and the administrator's PIN closes it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.client.http import HttpHubClient
from kiosk.hub import OfficeHub
from kiosk.storage.tables import Event
from tests.conftest import ADMIN, CLERK, RunningHub
from tests.ui.test_kiosk import FakePrinter
from ui.kiosk.window import KioskWindow
from ui.lockdown import (
    CORNER_PX,
    TAPS,
    TAPS_WITHIN_S,
    Lockdown,
    UnlockPrompt,
    blocked,
    show_public,
)
from ui.qt_app import STOPPING


class Seconds:
    """The taps' clock: moved by the test, never the wall clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def client(server: RunningHub, tokens: dict[str, str]) -> Iterator[HttpHubClient]:
    http = HttpHubClient(server.url, tokens["kiosk"], timeout=10)
    yield http
    http.close()


@pytest.fixture
def seconds() -> Seconds:
    return Seconds()


@pytest.fixture
def locked(qtbot: QtBot, client: HttpHubClient, seconds: Seconds
           ) -> Iterator[tuple[KioskWindow, Lockdown]]:
    window = KioskWindow(client, FakePrinter())
    qtbot.addWidget(window)
    lockdown = Lockdown(window, client.unlock_window, now=seconds)
    lockdown.engage(hide_cursor=True)
    qtbot.waitUntil(window.isFullScreen, timeout=5_000)
    yield window, lockdown
    lockdown.wait_idle()
    lockdown.release()
    window.close()


def _tap(qtbot: QtBot, window: KioskWindow, seconds: Seconds, at: QPoint,
         after_s: float = 0.5) -> None:
    seconds.now += after_s
    qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=at)


def _corner_taps(qtbot: QtBot, window: KioskWindow, seconds: Seconds, count: int) -> None:
    for _ in range(count):
        _tap(qtbot, window, seconds, QPoint(CORNER_PX // 3, CORNER_PX // 3))


def test_the_kiosk_stays_open_and_full_screen(qtbot: QtBot,
                                             locked: tuple[KioskWindow, Lockdown]) -> None:
    window, _ = locked
    assert QGuiApplication.overrideCursor() is not None
    assert QGuiApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    assert window.close() is False  # Alt+F4 or the window manager's ×: refused
    assert window.isVisible()
    window.showNormal()  # something took it out of full screen: it goes back
    qtbot.waitUntil(window.isFullScreen, timeout=5_000)


def test_the_keys_that_close_or_switch_windows_are_swallowed() -> None:
    def key(k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
            ) -> QKeyEvent:
        return QKeyEvent(QEvent.Type.KeyPress, k, mods)

    alt, ctrl = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
    for closing in (key(Qt.Key.Key_F4, alt), key(Qt.Key.Key_Tab, alt), key(Qt.Key.Key_Q, ctrl),
                    key(Qt.Key.Key_W, ctrl), key(Qt.Key.Key_F11), key(Qt.Key.Key_Super_L)):
        assert blocked(closing)
    for typing in (key(Qt.Key.Key_4), key(Qt.Key.Key_F4), key(Qt.Key.Key_Q),
                   key(Qt.Key.Key_Return), key(Qt.Key.Key_Backspace)):
        assert not blocked(typing)  # the citizen's and the administrator's typing


def test_only_five_quick_taps_in_the_corner_ask_for_the_pin(
        qtbot: QtBot, locked: tuple[KioskWindow, Lockdown], seconds: Seconds) -> None:
    window, lockdown = locked
    _corner_taps(qtbot, window, seconds, TAPS - 1)
    _tap(qtbot, window, seconds, QPoint(window.width() // 2, window.height() // 2))
    _corner_taps(qtbot, window, seconds, TAPS - 1)  # a tap elsewhere started them over
    assert lockdown.prompt is None
    corner = QPoint(CORNER_PX // 3, CORNER_PX // 3)
    # Too slow: the first of these four is older than the window when the fifth comes.
    seconds.now += TAPS_WITHIN_S - 1.75
    _tap(qtbot, window, seconds, corner)
    assert lockdown.prompt is None
    _tap(qtbot, window, seconds, corner, after_s=0.1)  # five within the window now
    assert isinstance(lockdown.prompt, UnlockPrompt) and lockdown.prompt.isVisible()
    lockdown.prompt.cancel.click()
    qtbot.waitUntil(lambda: lockdown.prompt is None, timeout=5_000)
    assert window.isVisible() and lockdown.engaged


def test_a_wrong_pin_is_refused_and_the_administrators_closes_it(
        qtbot: QtBot, locked: tuple[KioskWindow, Lockdown], seconds: Seconds,
        hub: OfficeHub) -> None:
    window, lockdown = locked
    _corner_taps(qtbot, window, seconds, TAPS)
    prompt = lockdown.prompt
    assert prompt is not None
    for digit in CLERK[1]:  # a clerk's PIN: not an administrator's
        prompt.keys[digit].click()
    prompt.submit.click()
    qtbot.waitUntil(lambda: prompt.problem.text().startswith("PIN incorrecto"), timeout=10_000)
    assert prompt.pin.text() == "" and window.isVisible()

    for digit in ADMIN[1]:
        prompt.keys[digit].click()
    prompt.erase.click()
    prompt.keys[ADMIN[1][-1]].click()
    prompt.submit.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert not lockdown.engaged and QGuiApplication.overrideCursor() is None
    with hub.store.read_session() as session:
        kinds = session.scalars(select(Event.kind).where(
            Event.kind.in_(["window_unlocked", "window_unlock_failed"])).order_by(Event.seq))
        assert list(kinds) == ["window_unlock_failed", "window_unlocked"]


def test_ctrl_c_and_sigterm_still_stop_it(locked: tuple[KioskWindow, Lockdown]) -> None:
    window, _ = locked
    app = QApplication.instance()
    assert app is not None
    app.setProperty(STOPPING, True)
    try:
        assert window.close() is True
    finally:
        app.setProperty(STOPPING, False)
    assert not window.isVisible()


def test_the_pin_pad_looks_right(qtbot: QtBot, locked: tuple[KioskWindow, Lockdown],
                                 tmp_path: Path) -> None:
    _, lockdown = locked
    prompt = lockdown.ask_pin()
    prompt.keys["1"].click()
    prompt.keys["2"].click()
    prompt.refused("PIN incorrecto: esta pantalla se cierra solo con el PIN de un "
                   "administrador.")
    qtbot.waitExposed(prompt)
    shot = tmp_path / "pin.png"
    assert prompt.grab().save(str(shot))
    assert shot.stat().st_size > 0
    assert all(button.height() >= 60 for button in prompt.keys.values())  # a finger's size


def test_windowed_for_trying_it_out_locks_nothing(qtbot: QtBot, client: HttpHubClient) -> None:
    window = KioskWindow(client, FakePrinter())
    qtbot.addWidget(window)
    assert show_public(window, client.unlock_window, windowed=True, size=(540, 960)) is None
    assert not window.isFullScreen() and window.height() == 960
    assert window.close() is True
