"""Creating the office: its code, name and municipality (what its documents say)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit

from ui.setup_wizard.context import SetupContext
from ui.setup_wizard.page import SetupPage
from ui.setup_wizard.pages import ADMIN
from ui.setup_wizard.steps import OfficeForm, check_office


class OfficePage(SetupPage):
    def __init__(self, context: SetupContext) -> None:
        super().__init__(context, "La oficina",
                         "Así aparecerá en los turnos, los cargos y los informes.")
        form = QFormLayout()
        self.code = QLineEdit(placeholderText="p. ej. CAJ")
        self.code.setMaxLength(6)
        self.name = QLineEdit(placeholderText="p. ej. CAC Cajamarca")
        self.municipality = QLineEdit(placeholderText="p. ej. Municipalidad Provincial de "
                                                      "Cajamarca")
        form.addRow("&Código (2 a 6 letras):", self.code)
        form.addRow("&Nombre de la oficina:", self.name)
        form.addRow("&Municipalidad:", self.municipality)
        self.body.addLayout(form)
        self.finish_layout()

    def form(self) -> OfficeForm:
        return OfficeForm(self.code.text(), self.name.text(), self.municipality.text())

    def nextId(self) -> int:
        return ADMIN

    def validatePage(self) -> bool:
        checked = self.attempt(lambda: check_office(self.form()))
        if checked is None:
            return False
        self.context.office = checked
        return True
