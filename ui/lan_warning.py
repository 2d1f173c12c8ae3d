"""The admin's and supervisor's warning when the hub serves the office network in clear
(`cac hub --insecure-http`): shown above every page while /health says so."""

from __future__ import annotations

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
        else:
            self.clear_message("insecure")
