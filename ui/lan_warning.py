"""The admin's and supervisor's warning when the hub serves the office network in clear
(`cac hub --insecure-http`): shown above every page while /health says so. When there is
none, the same line says, small and green, that the hub runs a newer program this PC still
works with (kiosk/rules/versions.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from kiosk.rules.versions import newer_hub_notice
from kiosk.services.views import HealthView
from ui.counter.widgets import Notice

INSECURE_HTTP = (
    "Atención: el hub atiende la red de la oficina sin cifrar (HTTP, opción --insecure-http). "
    "Las credenciales de los equipos, las sesiones y los PIN viajan en claro y cualquiera en "
    "la red podría leerlos. Reinicie el hub sin esa opción para usar HTTPS.")


class LanWarning(Notice):
    """Hidden while the hub is reached safely (HTTPS, or on this PC only)."""

    def show_for(self, health: HealthView) -> None:
        if health.insecure_http:
            self.show_message(INSECURE_HTTP, "insecure")
            return
        self.clear_message("insecure")
        notice = newer_hub_notice(health.version)
        if notice is not None:
            self.show_message(notice, "info")
        else:
            self.clear_message("info")


def warned_pages(window: QMainWindow) -> tuple[QStackedWidget, LanWarning]:
    """The window's pages (login, work, …) under the warning, which stays above all of them,
    the login's too: the PIN is typed there."""
    stack = QStackedWidget()
    shell = QWidget()
    column = QVBoxLayout(shell)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    warning = LanWarning()
    column.addWidget(warning)
    column.addWidget(stack, 1)
    window.setCentralWidget(shell)
    return stack, warning
