"""Creating the office: its first administrator, with a PIN or password of their own."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

from kiosk.office_setup import PIN_DIGITS
from ui.setup_wizard.context import SetupContext
from ui.setup_wizard.page import SetupPage
from ui.setup_wizard.pages import PRINTER
from ui.setup_wizard.steps import AdminForm, check_admin


class AdminPage(SetupPage):
    def __init__(self, context: SetupContext) -> None:
        super().__init__(context, "El administrador",
                         "Quien administra la oficina: usuarios, ventanillas, dispositivos.")
        form = QFormLayout()
        self.username = QLineEdit(placeholderText="p. ej. maria.perez")
        self.full_name = QLineEdit(placeholderText="nombre y apellidos")
        self.secret = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        form.addRow("&Usuario:", self.username)
        form.addRow("Nombre &completo:", self.full_name)
        form.addRow("&PIN o contraseña:", self.secret)
        form.addRow("&Repita el PIN o contraseña:", self.repeat)
        self.body.addLayout(form)
        low, high = PIN_DIGITS
        rule = QLabel(f"Un PIN de {low} a {high} dígitos (no repetidos ni seguidos) o una "
                      "contraseña de 8 caracteres o más. Guárdelo: cierra también el quiosco "
                      "y la pantalla.")
        rule.setWordWrap(True)
        rule.setObjectName("hint")
        self.body.addWidget(rule)
        self.finish_layout()

    def form(self) -> AdminForm:
        return AdminForm(self.username.text(), self.full_name.text(), self.secret.text(),
                         self.repeat.text())

    def nextId(self) -> int:
        return PRINTER

    def validatePage(self) -> bool:
        checked = self.attempt(lambda: check_admin(self.form()))
        self.context.admin = checked
        return checked is not None
