"""What every page of the wizard shares: a title, an explanation, a place for the Spanish
message of what went wrong (what was typed stays), and running a step that may refuse."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizardPage

from kiosk.errors import CacError
from ui.setup_wizard.context import SetupContext

T = TypeVar("T")


def disk_message(exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    return (f"No se pudo guardar en esta PC{where}: {exc.strerror or exc}. Revise el espacio "
            "en disco y los permisos de la carpeta, y vuelva a intentarlo.")


class SetupPage(QWizardPage):
    def __init__(self, context: SetupContext, title: str, subtitle: str) -> None:
        super().__init__()
        self.context = context
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.body = QVBoxLayout(self)
        self.error = QLabel()
        self.error.setObjectName("setupError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()

    def finish_layout(self) -> None:
        self.body.addStretch(1)
        self.body.addWidget(self.error)

    def say_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    @property
    def error_text(self) -> str:
        return self.error.text()

    def attempt(self, step: Callable[[], T]) -> T | None:
        """Run `step`; a refusal is said on the page (None), nothing typed is lost."""
        self.say_error("")
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return step()
        except CacError as exc:
            self.say_error(exc.message)
            return None
        except OSError as exc:  # this PC's disk or folder: said, the page stays as it was
            self.say_error(disk_message(exc))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
