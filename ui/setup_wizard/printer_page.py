"""The receipt printer: one this PC shows (CUPS, Windows, a serial port), a network printer by
its address, or none yet (files in the data folder). On the hub PC «Crear la oficina» makes
the office here, all of it or nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWizard

from printing.discovery import PrinterChoice
from ui.setup_wizard.context import SetupContext
from ui.setup_wizard.page import SetupPage
from ui.setup_wizard.pages import CHECK
from ui.setup_wizard.steps import PrinterForm, create_office, save_pc_printer

NETWORK = PrinterChoice("network", "", "Impresora de red (escriba su dirección IP:puerto)")


class PrinterPage(SetupPage):
    def __init__(self, context: SetupContext) -> None:
        super().__init__(context, "La impresora de tickets",
                         "La que esta PC usa para los turnos y los cargos.")
        form = QFormLayout()
        self.choice = QComboBox()
        self.target = QLineEdit()
        self.paper = QComboBox()
        for mm in (80, 58):
            self.paper.addItem(f"{mm} mm", mm)
        form.addRow("&Impresora:", self.choice)
        form.addRow("&Dirección:", self.target)
        form.addRow("&Ancho del papel:", self.paper)
        self.body.addLayout(form)
        self.found = QLabel()
        self.found.setObjectName("hint")
        self.found.setWordWrap(True)
        self.body.addWidget(self.found)
        self.choice.currentIndexChanged.connect(self._chosen)
        self.setCommitPage(True)
        self.finish_layout()

    def initializePage(self) -> None:
        creating = self.context.creating
        self.setButtonText(QWizard.WizardButton.CommitButton,
                           "&Crear la oficina" if creating else "&Guardar")
        if self.choice.count():
            return  # back on the page: what was chosen stays
        found = self.context.find_printers()
        for printer in [*found[:-1], NETWORK, *found[-1:]]:
            self.choice.addItem(printer.label, printer)
        printers = len(found) - 1
        self.found.setText(f"Se encontraron {printers} impresoras en esta PC." if printers > 1
                           else "Se encontró una impresora en esta PC." if printers == 1
                           else "No se encontró ninguna impresora en esta PC: conéctela y "
                                "vuelva a abrir el asistente, o use una impresora de red.")

    def _chosen(self) -> None:
        printer: PrinterChoice = self.choice.currentData()
        self.target.setText(printer.target)
        self.target.setReadOnly(printer.backend != "network")

    def form(self) -> PrinterForm:
        printer: PrinterChoice = self.choice.currentData()
        return PrinterForm(printer.backend, self.target.text(), int(self.paper.currentData()))

    def nextId(self) -> int:
        return CHECK

    def validatePage(self) -> bool:
        context = self.context
        if context.creating:
            office, admin = context.office, context.admin
            assert office is not None and admin is not None
            made = self.attempt(lambda: create_office(context.data_dir, office, admin,
                                                      self.form(), context.clock,
                                                      context.hub_port))
            context.this_pc = made
            return made is not None
        return self.attempt(lambda: save_pc_printer(context.data_dir, self.form())) is not None
