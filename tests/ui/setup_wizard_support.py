"""Driving «Configurar esta PC» in tests: a wizard on a temporary PC (start files under a
root of its own, a printer that writes files) and the pages' fields by name."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from kiosk.config import DataDir
from kiosk.service_install import Places
from printing.discovery import FILES_CHOICE, PrinterChoice
from ui.setup_wizard.context import SetupContext
from ui.setup_wizard.wizard import SetupWizard


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def paper_printer(folder: Path) -> PrinterChoice:
    """A «printer» found on this PC that writes each job into `folder`."""
    return PrinterChoice("file", str(folder), "Impresora de prueba (archivos)")


def wizard_on(qtbot: QtBot, tmp_path: Path, name: str = "pc") -> SetupWizard:
    data_dir = DataDir(tmp_path / name)
    context = SetupContext(data_dir, Places.of_this_pc(data_dir.root, tmp_path / "sistema"),
                           enable=False, hub_port=free_port(),
                           find_printers=lambda: [paper_printer(tmp_path / "papel"),
                                                  FILES_CHOICE])
    wizard = SetupWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def page(wizard: SetupWizard, page_id: int) -> Any:
    return wizard.pages[page_id]


def commit(wizard: SetupWizard) -> None:
    wizard.button(QWizard.WizardButton.CommitButton).click()


def fill(widget: Any, **texts: str) -> None:
    for field, text in texts.items():
        getattr(widget, field).setText(text)
