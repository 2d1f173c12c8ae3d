"""The «Decididos por ley» sub-tab of the supervisor's Expedientes tab: each silencio positivo
of the period with the day it operated and its constancia, each nulidad de oficio (TUO Ley
27444 arts. 199.1 and 213). A licencia de edificación B filed Fri 20 Nov 2026 is due Tue 15 Dec
(15 working days, 8-9 Dec holidays); its silence operates on Wed 16 Dec."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import DocumentInput, NullityInput
from tests.conftest import LIMA, SUPERVISOR, person_on
from tests.integration.test_expedientes import edificacion
from ui.supervisor.models import AMBER_BG, RED_BG
from ui.supervisor.periods import ExpedientesPanel


def test_silences_and_nulidades_in_the_expedientes_tab(
        qtbot: QtBot, hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock) -> None:
    first = hub.file_expediente(clerk, edificacion())
    second = hub.file_expediente(clerk, edificacion())
    clock.set(datetime(2026, 12, 17, 9, 0, tzinfo=LIMA))
    assert hub.record_silences(SYSTEM) == [first.number, second.number]
    hub.record_document(SYSTEM, first.number, DocumentInput(document="constancia_silencio"))
    supervisor = person_on(hub, hub.add_device(SYSTEM, "Supervisión", "supervisor")[1],
                           SUPERVISOR)
    hub.nullify(supervisor, second.number, NullityInput(reason="Planos de otra obra"))

    panel = ExpedientesPanel()
    qtbot.addWidget(panel)
    panel.show_stats(hub.expediente_stats(SYSTEM, date(2026, 12, 1), date(2026, 12, 31)))
    panel.tables.show_name("expedientes_por_ley")
    model = panel.by_law
    cells = [[model.data(model.index(r, c)) for c in range(model.columnCount())]
             for r in range(model.rowCount())]
    edif = "Licencia de edificación — modalidad B"
    silence, nullity = "art. 199.1 del TUO de la Ley 27444 (DS 004-2019-JUS)", (
        "art. 213 del TUO de la Ley 27444 (DS 004-2019-JUS)")
    assert cells == [
        [first.number, edif, "Aprobado por silencio administrativo positivo", "16/12/2026",
         silence, "Emitida (1)"],
        [second.number, edif, "Aprobado por silencio administrativo positivo", "16/12/2026",
         silence, "No emitida"],
        [second.number, edif, "Nulidad de oficio declarada", "17/12/2026", nullity, "—"]]
    background = Qt.ItemDataRole.BackgroundRole
    assert model.data(model.index(0, 2), background) == AMBER_BG
    assert model.data(model.index(2, 2), background) == RED_BG
    assert panel.law_hint.text().startswith(
        "En el periodo: 2 aprobados por silencio positivo (1 sin constancia emitida) y 1 "
        "nulidad de oficio.")
