"""Render «Configurar esta PC» page by page (offscreen), walking the hub PC's path in a
temporary folder with a printer that writes files, and the join page with what a person
types (and with the message a wrong code gets)."""

from __future__ import annotations

import socket
import tempfile
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QWizard

from kiosk.config import DataDir
from kiosk.demo_office import DemoOffice
from kiosk.service_install import Places
from kiosk.services.admin_views import PairingInput
from printing.discovery import FILES_CHOICE, PrinterChoice
from ui.capture import shooter
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

        shot = shooter(wizard, partial(screen_file, directory), saved)

        try:
            shot("01-inicio")
            wizard.next()
            office = wizard.pages[OFFICE]
            office.code.setText("CAJ")  # type: ignore[attr-defined]
            office.name.setText("CAC Cajamarca")  # type: ignore[attr-defined]
            office.municipality.setText(  # type: ignore[attr-defined]
                "Municipalidad Provincial de Cajamarca")
            shot("02-oficina")
            wizard.next()
            admin = wizard.pages[ADMIN]
            admin.username.setText("maria.perez")  # type: ignore[attr-defined]
            admin.full_name.setText("María Pérez Quispe")  # type: ignore[attr-defined]
            admin.secret.setText("1234")  # type: ignore[attr-defined]
            admin.repeat.setText("1234")  # type: ignore[attr-defined]
            wizard.next()  # refused: the PIN is too short, what was typed stays
            shot("03-administrador-error")
            admin.secret.setText("24681357")  # type: ignore[attr-defined]
            admin.repeat.setText("24681357")  # type: ignore[attr-defined]
            wizard.next()
            printer = wizard.pages[PRINTER]
            printer.choice.setCurrentIndex(2)  # type: ignore[attr-defined]  # no printer yet
            shot("04-impresora")
            wizard.next()
            check = wizard.pages[CHECK]
            check.test_printer()  # type: ignore[attr-defined]
            shot("05-pruebas")
            wizard.next()
            assert wizard.currentId() == START
            shot("06-listo")
        finally:
            wizard.close()

        saved.extend(_joining(directory, root, context.places))
    return saved


def _joining(directory: Path, root: Path, places: Places) -> list[Path]:
    """A counter PC joining an office: a demo office stands in for the hub on the network
    (its pairing and its clients in this process)."""
    saved: list[Path] = []
    with DemoOffice.create(root / "hub") as office:
        code = office.staging.create_pairing(PairingInput(name="Ventanilla 3", role="counter",
                                                          counter=3)).code
        context = SetupContext(
            DataDir(root / "ventanilla"), places, enable=False,
            find_printers=lambda: [PrinterChoice("cups", "TM-T20II",
                                                 "Impresora «TM-T20II» (CUPS)"), FILES_CHOICE],
            pair=lambda url, typed, verify: office.staging.pair(typed),
            connect=lambda url, token, ca: office.client(token))
        wizard = SetupWizard(context)
        wizard.show()

        shot = shooter(wizard, partial(screen_file, directory), saved)

        try:
            wizard.pages[CHOICE].to_join.setChecked(True)  # type: ignore[attr-defined]
            wizard.next()
            join = wizard.pages[JOIN]
            join.hub.setText("https://192.168.1.10:8470")  # type: ignore[attr-defined]
            join.code.setText(code)  # type: ignore[attr-defined]
            join.role.setCurrentIndex(2)  # type: ignore[attr-defined]  # a counter
            join.counter.setText("3")  # type: ignore[attr-defined]
            shot("07-unirse")
            join.code.setText(code[:9])  # type: ignore[attr-defined]
            wizard.button(QWizard.WizardButton.CommitButton).click()
            shot("08-unirse-error")
            # Plain http: the stand-in hub has no certificate to learn (an https hub's CA is
            # checked with the code's last group, tests/ui/test_setup_join_tls.py).
            join.hub.setText("http://192.168.1.10:8470")  # type: ignore[attr-defined]
            join.code.setText(code)  # type: ignore[attr-defined]
            wizard.button(QWizard.WizardButton.CommitButton).click()
            printer = wizard.pages[PRINTER]
            printer.choice.setCurrentIndex(printer.choice.count() - 1)  # type: ignore[attr-defined]
            shot("09-unirse-impresora")
            wizard.button(QWizard.WizardButton.CommitButton).click()
            wizard.pages[CHECK].test_printer()  # type: ignore[attr-defined]
            shot("10-unirse-pruebas")
            wizard.next()
            shot("11-unirse-listo")
        finally:
            wizard.close()
    return saved
