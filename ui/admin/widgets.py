"""What the admin window's tabs share: the way they reach the hub and say how it went.

A tab never calls the hub itself on the GUI thread: it hands `work` (run on the window's
worker thread) and what to do with the answer to the window's `run`, which also handles
the hub being away and a session that ended. The tab's own refusals (the hub's Spanish
message) appear in the tab's notice, and the form keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.client.base import HubClient
from kiosk.errors import CacError
from ui.counter.widgets import Notice
from ui.hub_calls import Runner as Runner  # the tabs' runner (the window's `_call`)


class AdminTab(QWidget):
    """One concern of the office (services, users, …). `load()` asks the hub for what the
    tab shows; `loads` counts the answers received (tests wait on it)."""

    title = ""

    def __init__(self, client: HubClient, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self._run = run
        self.notice = Notice()
        self.loads = 0

    def load(self) -> None:
        raise NotImplementedError

    def run(self, work: Callable[[], Any], on_result: Callable[[Any], None],
            on_error: Callable[[CacError], None] | None = None) -> None:
        self._run(work, on_result, on_error or self.refused)

    def refused(self, error: CacError) -> None:
        """The hub said no (in Spanish): say it where the administrator is looking."""
        self.notice.show_message(error.message, "error")

    def done(self, message: str) -> None:
        self.notice.show_message(message, "info")

    def clear(self) -> None:
        """Back to the login: nothing of the last session stays on screen."""
        self.notice.clear_message()


def group(title: str) -> tuple[QGroupBox, QVBoxLayout]:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(12, 14, 12, 10)
    layout.setSpacing(8)
    return box, layout


def form_layout() -> QFormLayout:
    form = QFormLayout()
    form.setSpacing(8)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def line(placeholder: str = "", max_length: int = 120) -> QLineEdit:
    field = QLineEdit()
    field.setPlaceholderText(placeholder)
    field.setMaxLength(max_length)
    return field


def combo(options: dict[str, str]) -> QComboBox:
    widget = QComboBox()
    for value, text in options.items():
        widget.addItem(text, value)
    return widget


def choose(widget: QComboBox, value: object) -> None:
    index = widget.findData(value)
    if index >= 0:
        widget.setCurrentIndex(index)


def buttons(*widgets: QPushButton, stretch_first: bool = False) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    if stretch_first:
        row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    if not stretch_first:
        row.addStretch(1)
    return row


def primary(text: str) -> QPushButton:
    widget = QPushButton(text)
    widget.setObjectName("primary")
    return widget


class ShownOnce(QWidget):
    """A secret shown once, large: a new user's initial PIN or a pairing code. Hidden with
    «Ya lo anoté», on logout and on the lock screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        frame = QFrame()
        frame.setObjectName("shownOnce")
        outer.addWidget(frame)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(4)
        self.caption = QLabel()
        self.caption.setObjectName("shownCaption")
        self.caption.setWordWrap(True)
        self.value = QLabel()
        self.value.setObjectName("shownValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QLabel()
        self.detail.setObjectName("shownDetail")
        self.detail.setWordWrap(True)
        self.close_button = QPushButton("Ya lo anoté")
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addLayout(buttons(self.close_button, stretch_first=True))
        self.close_button.clicked.connect(self.forget)
        self.hide()

    def show_secret(self, caption: str, value: str, detail: str) -> None:
        self.caption.setText(caption)
        self.value.setText(value)
        self.detail.setText(detail)
        self.show()

    def forget(self) -> None:
        self.value.clear()
        self.hide()
