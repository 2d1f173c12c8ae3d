"""Render «Configurar esta PC» page by page (offscreen), walking the hub PC's path in a
temporary folder with a printer that writes files, and the join page with what a person
types (and with the message a wrong code gets)."""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWizard

from kiosk.config import DataDir
from kiosk.service_install import Places
from printing.discovery import FILES_CHOICE, PrinterChoice
from ui.qt_app import application
from ui.setup_wizard.context import SetupContext
from ui.setup_wizard.pages import ADMIN, CHECK, CHOICE, JOIN, OFFICE, PRINTER, START
from ui.setup_wizard.wizard import SetupWizard


def _free_port() -> int:
    """The hub's port for the check page: one free now, whatever else this PC serves."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def screen_file(directory: Path, name: str) -> Path:
    return directory / f"configurar-{name}.png"


def save_setup_screenshots(directory: Path) -> list[Path]:
    application()
    directory.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data_dir = DataDir(root / "pc")
        context = SetupContext(
            data_dir, Places.of_this_pc(data_dir.root, root / "sistema"), enable=False,
            hub_port=_free_port(),
            find_printers=lambda: [PrinterChoice("cups", "TM-T20II",
                                                 "Impresora «TM-T20II» (CUPS)"), FILES_CHOICE])
        wizard = SetupWizard(context)
        wizard.show()

        def shot(name: str) -> None:
            QCoreApplication.processEvents()
            path = screen_file(directory, name)
            wizard.grab().save(str(path))
            saved.append(path)

        try:
            shot("1-inicio")
            wizard.next()
            office = wizard.pages[OFFICE]
            office.code.setText("CAJ")  # type: ignore[attr-defined]
            office.name.setText("CAC Cajamarca")  # type: ignore[attr-defined]
            office.municipality.setText(  # type: ignore[attr-defined]
                "Municipalidad Provincial de Cajamarca")
            shot("2-oficina")
            wizard.next()
            admin = wizard.pages[ADMIN]
            admin.username.setText("maria.perez")  # type: ignore[attr-defined]
            admin.full_name.setText("María Pérez Quispe")  # type: ignore[attr-defined]
            admin.secret.setText("1234")  # type: ignore[attr-defined]
            admin.repeat.setText("1234")  # type: ignore[attr-defined]
            wizard.next()  # refused: the PIN is too short, what was typed stays
            shot("3-administrador-error")
            admin.secret.setText("24681357")  # type: ignore[attr-defined]
            admin.repeat.setText("24681357")  # type: ignore[attr-defined]
            wizard.next()
            printer = wizard.pages[PRINTER]
            printer.choice.setCurrentIndex(2)  # type: ignore[attr-defined]  # no printer yet
            shot("4-impresora")
            wizard.next()
            check = wizard.pages[CHECK]
            check.test_printer()  # type: ignore[attr-defined]
            shot("5-pruebas")
            wizard.next()
            assert wizard.currentId() == START
            shot("6-listo")
        finally:
            wizard.close()

        joining = SetupWizard(SetupContext(DataDir(root / "otra"), context.places,
                                           enable=False))
        joining.show()
        try:
            joining.pages[CHOICE].to_join.setChecked(True)  # type: ignore[attr-defined]
            joining.next()
            join = joining.pages[JOIN]
            join.hub.setText("https://192.168.1.10:8470")  # type: ignore[attr-defined]
            join.code.setText("ABCD-EFGH")  # type: ignore[attr-defined]
            join.role.setCurrentIndex(2)  # type: ignore[attr-defined]  # a counter
            join.counter.setText("3")  # type: ignore[attr-defined]
            wizard = joining
            shot("7-unirse")
            joining.button(QWizard.WizardButton.CommitButton).click()
            shot("8-unirse-error")
        finally:
            joining.close()
    return saved
