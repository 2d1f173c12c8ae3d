"""The «Sincronización» tab shows the notices to citizens that fail: one refused for good by
the SMS gateway (its key) and one still retrying, with what the provider said; never the
citizen's number or e-mail."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.clock import VirtualClock
from kiosk.hub import OfficeHub
from kiosk.rules.notices import Channel
from kiosk.services import notices
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import NoticeContactInput, TransitionInput
from tests.integration.test_expedientes import edificacion
from tests.ui.supervisor_support import cells, headers, hub_client, make_supervisor


class Refusing:
    """A provider that answers what it is told (the port; the real ones are tested on
    loopback in tests/integration/test_notices.py)."""

    def __init__(self, reason: str, permanent: bool) -> None:
        self.reason, self.permanent = reason, permanent

    def send(self, notice: notices.Outgoing) -> None:
        raise notices.SendFailure(self.reason, permanent=self.permanent)


def _observed(hub: OfficeHub, clerk: DeviceIdentity, contact: NoticeContactInput) -> str:
    filed = hub.file_expediente(clerk, edificacion().model_copy(update={"contact": contact}))
    hub.transition(clerk, filed.number, TransitionInput(action="observe", note="Falta firma"))
    return filed.number


def test_the_supervisor_sees_the_failing_notices(qtbot: QtBot, hub: OfficeHub,
                                                 clerk: DeviceIdentity, clock: VirtualClock,
                                                 tokens: dict[str, str], tmp_path: Path) -> None:
    refused = _observed(hub, clerk, NoticeContactInput(mobile="987654321", consent=True))
    hub.send_due_notices({Channel.SMS: Refusing("La pasarela de SMS no aceptó la clave.",
                                                True)})
    retrying = _observed(hub, clerk, NoticeContactInput(email="vecino@correo.pe",
                                                        consent=True))
    offline = Refusing("Sin conexión con el servidor de correo (ConnectionRefusedError).",
                       False)
    for _ in range(3):
        hub.send_due_notices({Channel.EMAIL: offline})
        clock.advance(notices.next_attempt(clock.now(), 3) - clock.now())

    window = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]))
    window.show_tab("sync")
    box = window.notices_box
    qtbot.waitUntil(lambda: box.model.rowCount() > 0, timeout=10_000)
    assert headers(box.model) == ["Expediente", "Aviso", "Medio", "Estado", "Intentos",
                                  "Motivo", "Próximo intento"]
    rows = cells(box.model)
    assert [row[:6] for row in rows] == [
        [retrying, "Observado", "correo", "Reintentando", "3",
         "Sin conexión con el servidor de correo (ConnectionRefusedError)."],
        [refused, "Observado", "SMS", "Falló", "1", "La pasarela de SMS no aceptó la clave."]]
    assert rows[1][6] == "—" and rows[0][6] != "—"
    assert box.summary.text().startswith(
        "Enviados: 0 · por enviar: 1 · reintentando: 1 · fallidos: 1.")
    assert not box.nothing.isVisible()
    shown = " ".join(" ".join(row) for row in rows) + box.summary.text()
    assert "987654321" not in shown and "vecino@correo.pe" not in shown
    shot = Path(os.environ.get("CAC_SHOTS", tmp_path)) / "supervisor_notices.png"
    assert window.grab().save(str(shot))
