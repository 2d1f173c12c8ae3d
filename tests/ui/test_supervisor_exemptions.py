"""The «Exonerados» sub-tab of the supervisor's Expedientes tab and its report table: filings an
exemption made (partly) free, how many and what was not collected, with the legal basis, never
counted as money. Hand-computed: RC-01 costs S/ 8.50 a copy; a free first copy waives 8.50, a
copy for the DNI among three copies waives 8.50, two first copies together waive 17.00."""

from __future__ import annotations

import csv
import io

from pytestqt.qtbot import QtBot

from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import PartidaDetails
from tests.integration.test_expedientes import add_acta, partida
from ui.supervisor.periods import ExpedientesPanel


def test_exempt_filings_are_listed_apart_with_their_basis(
        qtbot: QtBot, hub: OfficeHub, clerk: DeviceIdentity) -> None:
    hub.file_expediente(clerk, partida(add_acta(hub), exemption="primera_copia_nacimiento"))
    hub.file_expediente(clerk, partida(add_acta(hub, number="1002"),
                                       exemption="primera_copia_nacimiento"))
    hub.file_expediente(clerk, partida(
        details=PartidaDetails(acta_id=add_acta(hub, number="1003"), copies=3),
        exemption="copia_para_dni"))
    hub.file_expediente(clerk, partida(add_acta(hub, number="1004")))  # no exemption
    today = hub.office.business_date(hub.clock.now())
    stats = hub.expediente_stats(SYSTEM, today, today)

    panel = ExpedientesPanel()
    qtbot.addWidget(panel)
    panel.show_stats(stats)
    panel.tables.show_name("expedientes_exonerados")
    model = panel.exempted
    cells = [[model.data(model.index(r, c)) for c in range(model.columnCount())]
             for r in range(model.rowCount())]
    assert [row[2:] for row in cells] == [["2", "S/ 17.00"], ["1", "S/ 8.50"]]
    assert cells[0][0].startswith("Primera copia certificada") and "Ley 29462" in cells[0][1]
    assert panel.exempted_hint.text().startswith(
        "En el periodo: 3 expedientes exonerados de la tasa, S/ 25.50 no cobrados.")

    # «CSV de la tabla en pantalla»: the same figures, money with a point.
    rows = list(csv.reader(io.StringIO(
        hub.export_report_table(SYSTEM, "expedientes_exonerados", today, today))))
    assert rows[0] == ["Exoneración", "Base legal", "Expedientes", "No cobrado (S/)"]
    assert [row[2:] for row in rows[1:]] == [["2", "17.00"], ["1", "8.50"]]
