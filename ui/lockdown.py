"""Kiosk, TV and rating screen locked down (issue 19): full-screen and open, whatever a citizen
presses; the cursor hidden where nobody has a mouse; out only with an administrator's PIN.

A citizen who closes the kiosk stops the office issuing tickets. So, while a `Lockdown` is
engaged, the window refuses to close (Alt+F4, the window manager's close), goes back to full
screen if something takes it out, and ignores the keys that close or switch windows. Five taps
in the top-left corner within a few seconds open a PIN keypad; the hub checks the PIN against
the office's administrators (throttled and recorded there, kiosk/hub/sessions.py), and only
then does the window close. Ctrl+C and SIGTERM (ui/qt_app.py) still stop the program cleanly.
Switching windows at the system level (Alt+Tab, the Windows key) belongs to the PC's kiosk
session (a session with only this program); the keys are swallowed here where Qt sees them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QInputDevice, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import CacError
from ui.hub_calls import HubCaller
from ui.qt_app import STOPPING

log = logging.getLogger(__name__)

CORNER_PX = 90
TAPS = 5
TAPS_WITHIN_S = 4.0
PROMPT_IDLE_MS = 45_000  # an abandoned PIN pad gives the screen back to the citizens

_ALT = Qt.KeyboardModifier.AltModifier
_CTRL = Qt.KeyboardModifier.ControlModifier
# (key, modifier that must be held; NoModifier: the key alone)
BLOCKED_KEYS = frozenset({
    (Qt.Key.Key_F4, _ALT), (Qt.Key.Key_Tab, _ALT), (Qt.Key.Key_Escape, _ALT),
    (Qt.Key.Key_Q, _CTRL), (Qt.Key.Key_W, _CTRL), (Qt.Key.Key_F4, _CTRL),
    (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Meta, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Super_L, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Super_R, Qt.KeyboardModifier.NoModifier),
})


def blocked(event: QKeyEvent) -> bool:
    key = Qt.Key(event.key())
    held = event.modifiers()
    return any(key == k and (m == Qt.KeyboardModifier.NoModifier or bool(held & m))
               for k, m in BLOCKED_KEYS)


def has_pointer() -> bool:
    """A mouse or touchpad on this PC (a touch screen alone is not one: no cursor then)."""
    pointers = (QInputDevice.DeviceType.Mouse, QInputDevice.DeviceType.TouchPad)
    return any(device.type() in pointers for device in QInputDevice.devices())


class UnlockPrompt(QDialog):
    """A PIN keypad large enough for a finger; typing on a keyboard works too."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("unlockPrompt")
        self.setWindowTitle("Cerrar esta pantalla")
        self.setModal(True)
        self.setStyleSheet(
            "QDialog#unlockPrompt { background: white; }"
            "QLabel { color: #12355b; font-family: 'DejaVu Sans'; font-size: 22px; }"
            "QLabel#unlockProblem { color: #8b1e1e; font-size: 20px; }"
            "QLineEdit { font-size: 34px; padding: 8px; }"
            "QPushButton { font-family: 'DejaVu Sans'; font-size: 30px; min-width: 96px;"
            " min-height: 72px; border-radius: 10px; background: #e8eef6; color: #12355b; }"
            "QPushButton#unlockPrimary { background: #1d4e89; color: white; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        title = QLabel("Solo para el administrador: escriba su PIN para cerrar esta pantalla.")
        title.setWordWrap(True)
        layout.addWidget(title)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(128)
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.pin)
        self.problem = QLabel("")
        self.problem.setObjectName("unlockProblem")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        pad = QGridLayout()
        pad.setSpacing(10)
        self.keys: dict[str, QPushButton] = {}
        for index, digit in enumerate("1234567890"):
            button = QPushButton(digit)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(partial(self.pin.insert, digit))
            self.keys[digit] = button
            row, column = divmod(index, 3) if digit != "0" else (3, 1)
            pad.addWidget(button, row, column)
        self.erase = QPushButton("Borrar")
        self.erase.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.erase.clicked.connect(self.pin.backspace)
        pad.addWidget(self.erase, 3, 0)
        for column in range(3):
            pad.setColumnStretch(column, 1)
        layout.addLayout(pad)
        actions = QHBoxLayout()
        actions.setSpacing(10)
        self.cancel = QPushButton("Cancelar")
        self.cancel.clicked.connect(self.reject)
        self.submit = QPushButton("Cerrar pantalla")
        self.submit.setObjectName("unlockPrimary")
        actions.addWidget(self.cancel, 1)
        actions.addWidget(self.submit, 2)
        layout.addSpacing(6)
        layout.addLayout(actions)
        self.setMinimumWidth(520)
        self.pin.returnPressed.connect(self.submit.click)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(PROMPT_IDLE_MS)
        self.idle.timeout.connect(self.reject)
        self.pin.textChanged.connect(lambda _text: self.idle.start())
        self.idle.start()

    def refused(self, message: str) -> None:
        self.pin.clear()
        self.problem.setText(message)
        self.submit.setEnabled(True)


class Lockdown(QObject):
    """Keeps one public window full-screen and open until an administrator's PIN says so.

    `unlock(pin)` asks the hub (HubClient.unlock_window); `now` gives seconds for the corner
    taps (tests pass their own)."""

    def __init__(self, window: QWidget, unlock: Callable[[str], Any], *,
                 caller: HubCaller | None = None,
                 now: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self.window = window
        self._unlock = unlock
        self._caller = caller or HubCaller(self)
        self._now = now
        self._taps: list[float] = []
        self._last_press: tuple[int, QPoint] | None = None
        self.engaged = False
        self.prompt: UnlockPrompt | None = None
        self._cursor_hidden = False

    def engage(self, hide_cursor: bool | None = None) -> None:
        """Full screen, locked; the cursor hidden where there is no mouse (or as told)."""
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.installEventFilter(self)
        self.engaged = True
        if hide_cursor if hide_cursor is not None else not has_pointer():
            app.setOverrideCursor(Qt.CursorShape.BlankCursor)
            self._cursor_hidden = True
        self.window.showFullScreen()

    def release(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.removeEventFilter(self)
            if self._cursor_hidden:
                app.restoreOverrideCursor()
        self._cursor_hidden = False
        self.engaged = False

    # --- what the citizen may not do ------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.engaged:
            return False
        kind = event.type()
        if watched is self.window:
            if kind == QEvent.Type.Close:
                app = QApplication.instance()
                if app is not None and app.property(STOPPING):
                    return False  # Ctrl+C / SIGTERM: the program's clean stop
                event.ignore()
                return True
            if kind == QEvent.Type.WindowStateChange and not self.window.isFullScreen():
                QTimer.singleShot(0, self._back_to_full_screen)
                return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) \
                and isinstance(event, QKeyEvent) and blocked(event):
            return True
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._pressed(event)
        return False

    def _back_to_full_screen(self) -> None:
        if self.engaged and not self.window.isFullScreen():
            self.window.showFullScreen()

    def _pressed(self, event: QMouseEvent) -> None:
        # A press not taken by a child goes on to its parents: count it once.
        where = event.globalPosition().toPoint()
        press = (event.timestamp(), where)
        if press == self._last_press:
            return
        self._last_press = press
        local = self.window.mapFromGlobal(where)
        if not (0 <= local.x() < CORNER_PX and 0 <= local.y() < CORNER_PX):
            self._taps.clear()
            return
        now = self._now()
        self._taps = [t for t in self._taps if now - t <= TAPS_WITHIN_S] + [now]
        if len(self._taps) >= TAPS:
            self._taps.clear()
            self.ask_pin()

    # --- the way out ------------------------------------------------------------------------

    def ask_pin(self) -> UnlockPrompt:
        if self.prompt is None:
            prompt = self.prompt = UnlockPrompt(self.window)
            prompt.submit.clicked.connect(self._submit)
            prompt.finished.connect(self._prompt_closed)
            prompt.show()
        return self.prompt

    def _prompt_closed(self, _result: int) -> None:
        if self.prompt is not None:
            self.prompt.deleteLater()
        self.prompt = None

    def _submit(self) -> None:
        prompt = self.prompt
        if prompt is None:
            return
        pin = prompt.pin.text()
        if not pin:
            prompt.refused("Escriba el PIN.")
            return
        prompt.submit.setEnabled(False)
        prompt.problem.setText("Verificando…")
        self._caller.call(partial(self._unlock, pin), self._unlocked, self._refused)

    def _refused(self, error: CacError) -> None:
        if self.prompt is not None:
            self.prompt.refused(error.message)

    def _unlocked(self, user: Any) -> None:
        log.info("window unlocked by %s", getattr(user, "username", "?"))
        if self.prompt is not None:
            self.prompt.accept()
        self.release()
        self.window.close()

    def wait_idle(self) -> None:
        self._caller.wait_idle()


def show_public(window: QWidget, unlock: Callable[[str], Any], *, windowed: bool,
                size: tuple[int, int], hide_cursor: bool | None = None) -> Lockdown | None:
    """How a public screen opens: in a window for trying it out (`--windowed`), else
    full-screen and locked down."""
    if windowed:
        window.resize(*size)
        window.show()
        return None
    lockdown = Lockdown(window, unlock)
    lockdown.engage(hide_cursor)
    return lockdown
