"""Every item model of the supervisor window through pytest-qt's model tester, filled with
what a real hub reports for a worked morning, and the colours a supervisor scans for."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QColor
from pytestqt.modeltest import ModelTester

from kiosk.clock import VirtualClock
from kiosk.hub import OfficeHub
from kiosk.services.supervisor_views import PeriodReport, SupervisorLive
from kiosk.services.sync_status import SyncAttentionItem
from tests.conftest import SUPERVISOR, person_on
from tests.ui.supervisor_support import (
    DAY,
    MONDAY,
    cells,
    file_expedientes,
    monday_clock,
    work_morning,
)
from ui.supervisor import models


@pytest.fixture
def clock() -> VirtualClock:
    return monday_clock()


@pytest.fixture
def worked(hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str]
           ) -> tuple[SupervisorLive, PeriodReport]:
    """Expedientes filed on Monday (by Friday a partida and a licence are overdue, the
    licence with silencio positivo), then the Friday morning."""
    file_expedientes(hub, clock, MONDAY)
    work_morning(hub, clock, tokens)
    supervisor = person_on(hub, tokens["supervisor"], SUPERVISOR)
    return hub.supervisor_live(supervisor), hub.period_report(supervisor, MONDAY, DAY)


def every_model(live: SupervisorLive, report: PeriodReport) -> dict[str, QAbstractItemModel]:
    t, e, s = report.tickets, report.expedientes, report.satisfaction
    built: dict[str, QAbstractItemModel] = {}
    services = models.LiveServicesModel()
    services.set_rows(live.services)
    counters = models.LiveCountersModel()
    counters.set_rows(live.counters)
    alerts = models.AlertsModel()
    alerts.set_rows(live.alerts)
    built.update(services=services, counters=counters, alerts=alerts)
    for name, rows in (("by_service", t.by_service), ("by_counter", t.by_counter),
                       ("by_clerk", t.by_clerk), ("by_hour", t.by_hour),
                       ("by_preference", t.by_preference)):
        model = models.metrics_model("Grupo")
        model.set_rows(rows)
        built[name] = model
    histogram = models.HistogramModel()
    histogram.set_rows(t.wait_histogram)
    heat = models.HeatMapModel()
    heat.set_heatmap(t.heatmap)
    procedures = models.ExpedientesModel("Trámite")
    procedures.set_rows(e.by_procedure)
    areas = models.ExpedientesModel("Área")
    areas.set_rows(e.by_area)
    satisfaction = models.SatisfactionModel("Ventanilla")
    satisfaction.set_rows(s.by_counter)
    attention = models.attention_model()
    attention.set_rows([SyncAttentionItem(kind="push", table="tickets", reference="A-001",
                                          reason="La oficina no existe en la central",
                                          at="2026-11-20 08:00:00")])
    built.update(histogram=histogram, heat=heat, procedures=procedures, areas=areas,
                 satisfaction=satisfaction, attention=attention)
    return built


def test_every_model_passes_the_model_tester(
        qtmodeltester: ModelTester, worked: tuple[SupervisorLive, PeriodReport]) -> None:
    built = every_model(*worked)
    for name, model in built.items():
        assert model.rowCount() > 0, name  # the tester checked real rows, not an empty model
        qtmodeltester.check(model)
    # And empty, as before the first answer.
    qtmodeltester.check(models.HeatMapModel())
    qtmodeltester.check(models.metrics_model("Servicio"))


def colour(model: QAbstractItemModel, row: int, column: int, role: Any) -> QColor | None:
    value = model.index(row, column).data(role)
    return value if isinstance(value, QColor) else None


def test_the_colours_say_what_needs_attention(
        worked: tuple[SupervisorLive, PeriodReport]) -> None:
    live, report = worked
    built = every_model(live, report)
    services = built["services"]
    for row, service in enumerate(live.services):  # red exactly where the hub says over SLA
        background = colour(services, row, 0, Qt.ItemDataRole.BackgroundRole)
        assert (background == models.RED_BG) is service.over_sla, service.service
    assert any(s.over_sla for s in live.services) and not all(s.over_sla
                                                              for s in live.services)
    alerts = built["alerts"]
    for row, alert in enumerate(live.alerts):
        expected = models.RED_BG if alert.severity == "critical" else models.AMBER_BG
        assert colour(alerts, row, 2, Qt.ItemDataRole.BackgroundRole) == expected
        assert cells(alerts)[row][2] == alert.message
    procedures = built["procedures"]
    assert any(g.overdue for g in report.expedientes.by_procedure)
    assert any(g.silencio_positivo for g in report.expedientes.by_procedure)
    for row, group in enumerate(report.expedientes.by_procedure):
        overdue = colour(procedures, row, models.ExpedientesModel.OVERDUE,
                         Qt.ItemDataRole.BackgroundRole)
        silencio = colour(procedures, row, models.ExpedientesModel.SILENCIO,
                          Qt.ItemDataRole.BackgroundRole)
        assert (overdue == models.RED_BG) is (group.overdue > 0), group.key
        assert (silencio == models.AMBER_BG) is (group.silencio_positivo > 0), group.key


def test_the_heat_map_shades_by_the_busiest_hour(
        worked: tuple[SupervisorLive, PeriodReport]) -> None:
    heat = worked[1].tickets.heatmap
    model = models.HeatMapModel()
    model.set_heatmap(heat)
    peak = max(n for row in heat.issued for n in row)
    for row, counts in enumerate(heat.issued):
        for column, count in enumerate(counts):
            assert model.count(row, column) == count
            assert model.index(row, column).data(models.HEAT_ROLE) == count / peak
            assert model.index(row, column).data() == (str(count) if count else "")
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(
        model.columnCount())] == [f"{h} h" for h in heat.hours]
    assert models.heat_colour(0.0) == models.HEAT_LOW
    assert models.heat_colour(1.0) == models.HEAT_HIGH
