"""One factory for message boxes, so the core never opens dialogs and tests can replace it.

Windows call `message_boxes().error(parent, title, text)`; tests install a recorder with
`set_message_boxes(...)` (see tests/ui/conftest.py) and fail on boxes they did not expect.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget


class MessageBoxes(Protocol):
    def info(self, parent: QWidget | None, title: str, text: str) -> None: ...
    def error(self, parent: QWidget | None, title: str, text: str) -> None: ...
    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool: ...
    # A password typed into a box (hidden); None when the person cancels.
    def secret(self, parent: QWidget | None, title: str, text: str) -> str | None: ...


class QtMessageBoxes:
    """The real dialogs, in Spanish."""

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        yes = box.addButton("Sí", QMessageBox.ButtonRole.YesRole)
        box.addButton("No", QMessageBox.ButtonRole.NoRole)
        box.exec()
        return box.clickedButton() is yes

    def secret(self, parent: QWidget | None, title: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(parent, title, text, QLineEdit.EchoMode.Password)
        return value if ok and value else None


_current: MessageBoxes = QtMessageBoxes()


def message_boxes() -> MessageBoxes:
    return _current


def set_message_boxes(boxes: MessageBoxes) -> MessageBoxes:
    """Install another factory; returns the previous one so it can be put back."""
    global _current
    previous, _current = _current, boxes
    return previous
