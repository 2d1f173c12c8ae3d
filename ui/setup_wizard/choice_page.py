"""First page: this PC becomes the office's hub, or joins an office that already has one."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QRadioButton

from ui.setup_wizard.context import SetupContext
from ui.setup_wizard.page import SetupPage
from ui.setup_wizard.pages import JOIN, OFFICE


class ChoicePage(SetupPage):
    def __init__(self, context: SetupContext) -> None:
        super().__init__(context, "Configurar esta PC",
                         "Esta PC todavía no tiene una oficina. Elija qué será.")
        self.to_create = QRadioButton("Crear la oficina: esta PC será el hub (el equipo central "
                                   "de la oficina, donde se guardan los datos)")
        self.to_join = QRadioButton("Unirse a una oficina que ya existe: quiosco, pantalla, "
                                 "ventanilla, supervisión o administración")
        self.to_create.setChecked(True)
        for button in (self.to_create, self.to_join):
            button.setObjectName("choice")
            self.body.addWidget(button)
        hint = QLabel("Para unirse necesitará la dirección del hub y un código de "
                      "emparejamiento: el administrador lo genera en la ventana de "
                      "administración, pestaña Dispositivos.")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        self.body.addWidget(hint)
        self.finish_layout()

    def nextId(self) -> int:
        return OFFICE if self.to_create.isChecked() else JOIN

    def validatePage(self) -> bool:
        self.context.creating = self.to_create.isChecked()
        return True
