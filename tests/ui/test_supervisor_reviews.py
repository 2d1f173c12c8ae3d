"""The «Comisión Técnica» sub-tab of the supervisor's Expedientes tab: licencias de
edificación C and D without a favourable dictamen, their due date, the overdue in red (record
37). Filed Fri 20 Nov 2026: modalidad C's 15 working days end Tue 15 Dec (8-9 Dec holidays),
modalidad D's 20 on Tue 22 Dec."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import TransitionInput
from tests.conftest import LIMA
from tests.integration.test_expedientes import edificacion
from ui.supervisor.models import RED_BG
from ui.supervisor.periods import ExpedientesPanel


def test_overdue_reviews_in_the_expedientes_tab(
        qtbot: QtBot, hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock,
        tmp_path: Path) -> None:
    c = hub.file_expediente(clerk, edificacion("LE-C", "C", (1, 4, 5, 6, 7)))
    d = hub.file_expediente(clerk, edificacion("LE-D", "D", (1, 4, 5, 6, 7, 8)))
    reviewed = hub.file_expediente(clerk, edificacion("LE-C", "C", (1, 4, 5, 6, 7)))
    hub.transition(clerk, reviewed.number, TransitionInput(action="review",
                                                           dictamen="conforme"))
    hub.file_expediente(clerk, edificacion())  # modalidad B: no Comisión
    clock.set(datetime(2026, 12, 16, 9, 0, tzinfo=LIMA))

    panel = ExpedientesPanel()
    qtbot.addWidget(panel)
    panel.resize(1200, 500)
    panel.show_stats(hub.expediente_stats(SYSTEM, date(2026, 12, 1), date(2026, 12, 31)))
    panel.tables.show_name("expedientes_comision_tecnica")
    model = panel.reviews
    cells = [[model.data(model.index(r, col)) for col in range(model.columnCount())]
             for r in range(model.rowCount())]
    assert cells == [
        [c.number, "Licencia de edificación — modalidad C", "C", "20/11/2026",
         "15/12/2026 · VENCIDO", "—"],
        [d.number, "Licencia de edificación — modalidad D", "D", "20/11/2026",
         "22/12/2026", "—"]]
    background = Qt.ItemDataRole.BackgroundRole
    assert model.data(model.index(0, 4), background) == RED_BG
    assert model.data(model.index(1, 4), background) is None
    assert panel.reviews_hint.text().startswith(
        "Al 16/12/2026, cualquiera sea el periodo: 2 licencias de edificación C o D sin "
        "dictamen favorable de la Comisión Técnica, 1 vencida (en rojo).")
    index = panel.tables.names.index("expedientes_comision_tecnica")
    assert panel.tables.tabText(index) == "Comisión Técnica (1 vencida)"
    assert panel.grab().save(str(tmp_path / "supervisor-comision.png"))  # looked at
