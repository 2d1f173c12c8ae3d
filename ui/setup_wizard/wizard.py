"""«Configurar esta PC»: the pages put together (the order is in `pages`)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget, QWizard

from ui.kiosk.style import NAVY
from ui.setup_wizard.admin_page import AdminPage
from ui.setup_wizard.check_page import CheckPage
from ui.setup_wizard.choice_page import ChoicePage
from ui.setup_wizard.context import SetupContext
from ui.setup_wizard.join_page import JoinPage
from ui.setup_wizard.office_page import OfficePage
from ui.setup_wizard.pages import ADMIN, CHECK, CHOICE, JOIN, OFFICE, PRINTER, START
from ui.setup_wizard.printer_page import PrinterPage
from ui.setup_wizard.start_page import StartPage
from ui.setup_wizard.steps import ThisPC

SIZE = (760, 560)
STYLE = f"""
QWizard {{ font-size: 15px; }}
QLabel#setupError {{ color: #a11a1a; font-weight: bold; background: #fdecec;
                     border: 1px solid #e3a0a0; border-radius: 4px; padding: 6px; }}
QLabel#hint {{ color: #4b5563; }}
QLabel#linkResult, QLabel#printerResult, QLabel#summary {{ font-size: 16px; color: {NAVY};
                                                            padding: 4px 0; }}
QLabel#linkResult[ok="false"], QLabel#printerResult[ok="false"] {{ color: #a11a1a; }}
QRadioButton#choice {{ font-size: 16px; padding: 8px 0; }}
"""
BUTTONS = {QWizard.WizardButton.BackButton: "< &Atrás",
           QWizard.WizardButton.NextButton: "&Siguiente >",
           QWizard.WizardButton.FinishButton: "&Terminar",
           QWizard.WizardButton.CancelButton: "Cancelar"}


class SetupWizard(QWizard):
    def __init__(self, context: SetupContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("setupWizard")
        self.setWindowTitle("Configurar esta PC · CAC Kiosk")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setStyleSheet(STYLE)
        for button, text in BUTTONS.items():
            self.setButtonText(button, text)
        self.pages = {CHOICE: ChoicePage(context), OFFICE: OfficePage(context),
                      ADMIN: AdminPage(context), JOIN: JoinPage(context),
                      PRINTER: PrinterPage(context), CHECK: CheckPage(context),
                      START: StartPage(context)}
        for page_id, page in self.pages.items():
            self.setPage(page_id, page)
        self.setStartId(CHOICE)
        self.resize(*SIZE)

    @property
    def this_pc(self) -> ThisPC | None:
        """What this PC became (None until the office was created or joined)."""
        return self.context.this_pc
