"""Small widgets the counter's panels share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)


def label(text: str = "", object_name: str | None = None, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    if object_name:
        widget.setObjectName(object_name)
    widget.setWordWrap(wrap)
    return widget


def button(text: str, key: str | None = None, object_name: str | None = None) -> QPushButton:
    """A push button whose keyboard shortcut is part of its text: «Rellamar (F3)».

    The shortcut belongs to the button, so it fires only while the button is visible and
    enabled: a greyed-out action cannot be triggered from the keyboard either."""
    widget = QPushButton(f"{text} ({key})" if key else text)
    if key:
        widget.setShortcut(QKeySequence(key))
        widget.setToolTip(f"{text} — tecla {key}")
    if object_name:
        widget.setObjectName(object_name)
    return widget


def card(object_name: str = "card") -> QFrame:
    frame = QFrame()
    frame.setObjectName(object_name)
    return frame


def table(view: QTableView | None = None) -> QTableView:
    """A read-only, row-selecting table (configures `view` when given)."""
    view = view if view is not None else QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table: keyboard users move on
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


def stretch(view: QTableView, column: int) -> None:
    """Let one column take the free width (after the model is set)."""
    view.horizontalHeader().setStretchLastSection(False)
    view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


class Notice(QLabel):
    """One line of feedback: info (green), error (red), offline (amber); hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()
        self.kind = ""

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.setText(text)
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(bool(text))

    def clear_message(self, kind: str | None = None) -> None:
        """Hide the message (only if it is of `kind`, when given)."""
        if kind is None or self.kind == kind:
            self.kind = ""
            self.clear()
            self.hide()
