"""Joining an office: the hub's address, the pairing code the admin window shows, what this PC
is for and its counter. «Unirse» redeems the code (it works once)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWizard

from ui.setup_wizard.context import SetupContext
from ui.setup_wizard.page import SetupPage
from ui.setup_wizard.pages import CHECK, PRINTER
from ui.setup_wizard.steps import PURPOSE, PURPOSES, JoinForm, join_office


class JoinPage(SetupPage):
    def __init__(self, context: SetupContext) -> None:
        super().__init__(context, "Unirse a la oficina",
                         "Copie la dirección y el código que muestra la ventana de "
                         "administración (pestaña Dispositivos, «Emparejar un equipo nuevo»).")
        form = QFormLayout()
        self.hub = QLineEdit(placeholderText="https://192.168.1.10:8470")
        self.code = QLineEdit(placeholderText="ABCD-EFGH-JKLM")
        self.code.setMaxLength(20)
        self.role = QComboBox()
        for purpose in PURPOSES:
            self.role.addItem(purpose.label, purpose.role)
        self.counter = QLineEdit(placeholderText="número")
        self.counter.setMaxLength(3)
        self.counter_label = QLabel("&Ventanilla:")
        self.counter_label.setBuddy(self.counter)
        form.addRow("&Dirección del hub:", self.hub)
        form.addRow("&Código de emparejamiento:", self.code)
        form.addRow("&Esta PC será:", self.role)
        form.addRow(self.counter_label, self.counter)
        self.body.addLayout(form)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Unirse")
        self.finish_layout()

    def _role_changed(self) -> None:
        needs = PURPOSE[self.role.currentData()].counter
        self.counter_label.setVisible(bool(needs))
        self.counter.setVisible(bool(needs))
        self.counter.setPlaceholderText("obligatorio" if needs == "required" else
                                        "opcional: la que se propone al ingresar")

    def form(self) -> JoinForm:
        return JoinForm(self.hub.text(), self.code.text(), str(self.role.currentData()),
                        self.counter.text())

    def nextId(self) -> int:
        return PRINTER if PURPOSE[self.role.currentData()].prints else CHECK

    def validatePage(self) -> bool:
        joined = self.attempt(lambda: join_office(self.context.data_dir, self.form(),
                                                  self.context.pair))
        if joined is None:
            return False
        self.context.joined, self.context.this_pc = joined, joined.this_pc
        return True
