"""Qt test isolation: message boxes are recorded, never shown; hub calls are awaited."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from ui.files import set_file_dialogs
from ui.messages import set_message_boxes


@dataclass
class RecordedBoxes:
    """Stands in for the real dialogs; a test that expects one asserts on `shown`."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)
    answer: bool = True
    secrets: list[str] = field(default_factory=list)  # what `secret` boxes are answered

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("info", title, text))

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("error", title, text))

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.shown.append(("confirm", title, text))
        return self.answer

    def secret(self, parent: QWidget | None, title: str, text: str) -> str | None:
        self.shown.append(("secret", title, text))
        return self.secrets.pop(0) if self.secrets else None


@pytest.fixture(autouse=True)
def message_boxes() -> Iterator[RecordedBoxes]:
    recorded = RecordedBoxes()
    previous = set_message_boxes(recorded)
    yield recorded
    set_message_boxes(previous)


@dataclass
class ChosenFiles:
    """Stands in for the "choose a file" and "save as" dialogs: answers with `next` and
    `save_to` (None: cancelled)."""

    next: Path | None = None
    save_to: Path | None = None
    asked: list[tuple[str, str]] = field(default_factory=list)
    saving: list[tuple[str, str, str]] = field(default_factory=list)

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        self.asked.append((title, filters))
        return self.next

    def save_file(self, parent: QWidget | None, title: str, suggested: str, filters: str
                  ) -> Path | None:
        self.saving.append((title, suggested, filters))
        return self.save_to


@pytest.fixture(autouse=True)
def file_dialogs() -> Iterator[ChosenFiles]:
    chosen = ChosenFiles()
    previous = set_file_dialogs(chosen)
    yield chosen
    set_file_dialogs(previous)


# The admin window's (tests/ui/test_admin_*.py) and the counter window's
# (tests/ui/test_counter*.py) fixtures.
from tests.ui.admin_support import admin_client, admin_in, admin_window  # noqa: E402, F401
from tests.ui.counter_support import (  # noqa: E402, F401
    counter_client,
    counter_printer,
    counter_window,
    logged_in,
)
