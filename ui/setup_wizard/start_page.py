"""The end: whether this PC opens its part by itself when it is turned on (`cac service
install --role …`), and which window opens now."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel

from kiosk.service_install import HUB, ROLE_TEXT
from ui.setup_wizard.context import SetupContext
from ui.setup_wizard.page import SetupPage
from ui.setup_wizard.steps import start_with_pc

OPENS = {HUB: "la ventana de administración (el hub funciona en esta PC)",
         "kiosk": "el quiosco de turnos", "display": "la pantalla de llamados",
         "counter": "la ventanilla", "rating": "la pantalla de calificación",
         "supervisor": "la supervisión", "admin": "la administración"}


class StartPage(SetupPage):
    def __init__(self, context: SetupContext) -> None:
        super().__init__(context, "Listo", "Esta PC quedó configurada.")
        self.at_start = QCheckBox()
        self.at_start.setChecked(True)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.done = QLabel()
        self.done.setObjectName("hint")
        self.done.setWordWrap(True)
        for widget in (self.at_start, self.summary, self.done):
            self.body.addWidget(widget)
        self.installed = False
        self.finish_layout()

    def initializePage(self) -> None:
        this_pc = self.context.this_pc
        assert this_pc is not None
        self.at_start.setText(f"Iniciar {ROLE_TEXT[this_pc.role]} al encender esta PC")
        self.summary.setText(f"Al terminar se abrirá {OPENS[this_pc.role]}.")

    def validatePage(self) -> bool:
        if not self.at_start.isChecked() or self.installed:
            return True
        context = self.context
        this_pc = context.this_pc
        assert this_pc is not None
        done = self.attempt(lambda: start_with_pc(this_pc, context.data_dir, context.places,
                                                  context.enable, context.runner))
        if done is None:  # said on the page; unticking the box finishes without it
            return False
        self.installed = True
        context.service_started = context.enable
        self.done.setText("\n".join(done))
        return True

    def nextId(self) -> int:
        return -1
