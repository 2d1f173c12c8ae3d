"""Saving a window as the person sees it, for `cac screenshots` and the screenshot modules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget


def shooter(widget: QWidget, file_of: Callable[[str], Path], saved: list[Path]
            ) -> Callable[[str], None]:
    """`shot(name)`: `widget` as it is now (pending events drawn first) saved as
    `file_of(name)`, the path added to `saved`."""

    def shot(name: str) -> None:
        QCoreApplication.processEvents()
        path = file_of(name)
        widget.grab().save(str(path))
        saved.append(path)

    return shot
