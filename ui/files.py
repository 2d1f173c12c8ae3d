"""One factory for the "choose a file" and "save as" dialogs, so tests can replace them (as
ui/messages.py does for message boxes).

Windows call `file_dialogs().open_file(parent, title, filters)` or
`file_dialogs().save_file(parent, title, suggested, filters)`; tests install a stand-in with
`set_file_dialogs(...)` that answers with a path of their own, or None (the person cancelled).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QWidget


class FileDialogs(Protocol):
    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None: ...
    def save_file(self, parent: QWidget | None, title: str, suggested: str, filters: str
                  ) -> Path | None: ...


class QtFileDialogs:
    """The real dialogs, in Spanish; None when the person cancels."""

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        name, _chosen = QFileDialog.getOpenFileName(parent, title, "", filters)
        return Path(name) if name else None

    def save_file(self, parent: QWidget | None, title: str, suggested: str, filters: str
                  ) -> Path | None:
        """`suggested`: a file name (in the user's documents) or a whole path."""
        start = Path(suggested)
        if not start.is_absolute():
            start = Path.home() / start
        name, _chosen = QFileDialog.getSaveFileName(parent, title, str(start), filters)
        return Path(name) if name else None


_current: FileDialogs = QtFileDialogs()


def file_dialogs() -> FileDialogs:
    return _current


def set_file_dialogs(dialogs: FileDialogs) -> FileDialogs:
    """Install another factory; returns the previous one so it can be put back."""
    global _current
    previous, _current = _current, dialogs
    return previous
