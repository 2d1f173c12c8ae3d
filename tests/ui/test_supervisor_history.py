"""The period tabs against a real hub's week: every table on screen equals the hub's own CSV
of it for the same period, the heat map and the histogram equal the API's, the period picker
follows the hub's calendar, and expedientes and satisfaction show what the hub counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pytestqt.qtbot import QtBot

from kiosk.client.base import HubClient
from kiosk.clock import VirtualClock
from kiosk.hub import OfficeHub
from kiosk.simulate import simulate_day
from tests.ui.conftest import RecordedBoxes
from tests.ui.supervisor_support import (
    DAY,
    MONDAY,
    cells,
    file_expedientes,
    hub_client,
    make_supervisor,
    monday_clock,
    parse_csv,
    same_number,
    work_morning,
)
from ui.supervisor.models import EXPEDIENTE_SHOWN, METRIC_SHOWN, SATISFACTION_SHOWN
from ui.supervisor.window import SupervisorWindow

WEDNESDAY = MONDAY + timedelta(days=2)


@pytest.fixture
def clock() -> VirtualClock:
    return monday_clock()


@pytest.fixture
def week(hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str]) -> HubClient:
    """Monday: four expedientes filed, 40 tickets simulated; Wednesday: 30 tickets; Friday:
    the morning of work_morning (two clerks, two ratings, a printer failure)."""
    file_expedientes(hub, clock, MONDAY)
    simulate_day(hub, clock, MONDAY, tickets=40, seed=5)
    simulate_day(hub, clock, WEDNESDAY, tickets=30, seed=6)
    work_morning(hub, clock, tokens)
    return hub_client(hub, tokens["supervisor"])


def choose(qtbot: QtBot, window: SupervisorWindow, kind: str,
           custom: tuple[date, date] | None = None) -> None:
    before = window.report
    window.period.choose(kind, custom)
    qtbot.waitUntil(lambda: window.report is not before, timeout=20_000)


def assert_table_matches_csv(model_cells: list[list[str]], csv_text: str,
                             shown: tuple[str, ...], name: str) -> None:
    heading, rows = parse_csv(csv_text)
    assert len(model_cells) == len(rows), name
    assert rows, f"{name}: the scenario leaves rows to compare"
    for on_screen, exported in zip(model_cells, rows, strict=True):
        assert on_screen[0] == exported[0], name
        for column, title in enumerate(shown, start=1):
            value = exported[heading.index(title)]
            assert same_number(on_screen[column], value), (name, exported[0], title)


def test_every_history_table_is_the_hubs_own_table(qtbot: QtBot, week: HubClient) -> None:
    window = make_supervisor(qtbot, week)
    window.show_tab("history")
    choose(qtbot, window, "week")
    assert window.report is not None
    assert (window.report.date_from, window.report.date_to) == (MONDAY, DAY)
    history = week.ticket_history(MONDAY, DAY)
    assert window.report.tickets == history
    groups = {"por_servicio": history.by_service, "por_ventanilla": history.by_counter,
              "por_usuario": history.by_clerk, "por_hora": history.by_hour,
              "por_dia_semana": history.by_weekday, "por_dia": history.by_day,
              "preferencial": history.by_preference}
    for name, rows in groups.items():
        model = window.history.pages[name].model
        assert [r[0] for r in cells(model)] == [g.label for g in rows], name
        assert_table_matches_csv(cells(model), week.export_report_table(name, MONDAY, DAY),
                                 METRIC_SHOWN, name)
    # Only the morning's two clerks served by name (the simulated days had none logged in).
    assert [g.label for g in history.by_clerk] == ["Ana Torres Chávez", "Luis Quispe Mamani"]
    figures = window.history
    assert int(figures.issued.value.text().replace(",", "")) == history.overall.issued \
        == 40 + 30 + 5
    assert int(figures.served.value.text().replace(",", "")) == history.overall.served
    # The charts plot the same numbers.
    categories, bars = window.history.pages["por_hora"].chart.plotted()  # type: ignore[union-attr]
    assert categories == [g.label[:2] for g in history.by_hour]
    assert bars[0].values == [float(g.issued) for g in history.by_hour]
    categories, bars = window.history.pages["por_servicio"].chart.plotted()  # type: ignore[union-attr]
    assert bars[0].values == [round((g.wait_p50_s or 0) / 60, 1) for g in history.by_service]


def test_the_heat_map_and_the_wait_histogram(qtbot: QtBot, week: HubClient) -> None:
    window = make_supervisor(qtbot, week)
    window.show_tab("history")
    choose(qtbot, window, "week")
    history = week.ticket_history(MONDAY, DAY)
    heat = window.history.heat_model
    assert heat.rowCount() == 7 and heat.columnCount() == len(history.heatmap.hours)
    grid = [[heat.count(r, c) for c in range(heat.columnCount())] for r in range(7)]
    assert grid == history.heatmap.issued
    # Monday, Wednesday and Friday had tickets; Tuesday, Thursday and the weekend none.
    assert [sum(row) > 0 for row in grid] == [True, False, True, False, True, False, False]
    assert sum(map(sum, grid)) == history.overall.issued
    _heading, rows = parse_csv(week.export_report_table("mapa_calor", MONDAY, DAY))
    assert [[int(n) for n in row[1:]] for row in rows] == grid
    bins = cells(window.history.histogram_model)
    assert [(b[0], int(b[1])) for b in bins] == [(b.label, b.count)
                                                 for b in history.wait_histogram]
    total = sum(b.count for b in history.wait_histogram)
    assert [float(b[2]) for b in bins] == [round(100 * b.count / total, 1)
                                           for b in history.wait_histogram]
    _categories, bars = window.history.histogram_chart.plotted()
    assert bars[0].values == [float(b.count) for b in history.wait_histogram]


def test_the_period_picker_follows_the_hubs_calendar(
        qtbot: QtBot, week: HubClient, message_boxes: RecordedBoxes) -> None:
    window = make_supervisor(qtbot, week)
    assert window.report is not None  # «Hoy» by the hub's date, loaded at the start
    assert (window.report.date_from, window.report.date_to) == (DAY, DAY)
    assert window.report.tickets.overall.issued == 5
    window.show_tab("history")
    choose(qtbot, window, "month")
    assert (window.report.date_from, window.report.date_to) == (DAY.replace(day=1), DAY)
    assert "01/11/2026 – 20/11/2026" in window.period.shown.text()
    choose(qtbot, window, "custom", (WEDNESDAY, MONDAY))  # the wrong way round: swapped
    assert (window.report.date_from, window.report.date_to) == (MONDAY, WEDNESDAY)
    assert window.report.tickets.overall.issued == week.ticket_history(
        MONDAY, WEDNESDAY).overall.issued == 70
    assert window.period.date_from.isEnabled()
    choose(qtbot, window, "today")
    assert not window.period.date_from.isEnabled()
    # A period the hub refuses is said under the tables, in the hub's Spanish.
    window.period.choose("custom", (date(2019, 1, 1), DAY))
    qtbot.waitUntil(lambda: window.exports.notice.kind == "error", timeout=10_000)
    assert window.exports.notice.text() == "El periodo no puede pasar de cinco años."
    assert message_boxes.shown == []


def test_the_expedientes_tab(qtbot: QtBot, week: HubClient) -> None:
    window = make_supervisor(qtbot, week)
    window.show_tab("expedientes")
    choose(qtbot, window, "week")
    stats = week.expediente_stats(MONDAY, DAY)
    panel = window.expedientes
    for name, model in (("expedientes_por_tramite", panel.by_procedure),
                        ("expedientes_por_area", panel.by_area)):
        assert_table_matches_csv(cells(model), week.export_report_table(name, MONDAY, DAY),
                                 EXPEDIENTE_SHOWN, name)
    # By hand: four filed on Monday, one partida approved; by Friday the licence is overdue,
    # with silencio positivo; the other partida (aprobación automática, unpaid) is never
    # overdue (TUO Ley 27444 art. 33).
    o = stats.overall
    assert (o.received, o.resolved, o.pending) == (4, 1, 3)
    assert o.overdue >= 1 and o.silencio_positivo >= 1
    assert panel.overdue.value.text() == str(o.overdue) and panel.overdue.level == "alert"
    assert panel.silencio.value.text() == str(o.silencio_positivo)
    assert panel.silencio.level == "warn"
    assert "20/11/2026" in panel.as_of.text()
    _categories, bars = panel.chart.plotted()
    assert [b.values for b in bars] == [[float(g.pending) for g in stats.by_area],
                                        [float(g.overdue) for g in stats.by_area],
                                        [float(g.silencio_positivo) for g in stats.by_area]]


def test_the_satisfaction_tab(qtbot: QtBot, week: HubClient) -> None:
    window = make_supervisor(qtbot, week)
    window.show_tab("satisfaction")
    choose(qtbot, window, "week")
    stats = week.satisfaction_stats(MONDAY, DAY)
    panel = window.satisfaction
    for name in ("satisfaccion_por_servicio", "satisfaccion_por_ventanilla",
                 "satisfaccion_por_usuario"):
        assert_table_matches_csv(cells(panel.models[name]),
                                 week.export_report_table(name, MONDAY, DAY),
                                 SATISFACTION_SHOWN, name)
    # By hand: C-001 rated 2, PA-001 rated 5.
    assert (stats.overall.ratings, stats.overall.mean) == (2, 3.5)
    assert panel.mean.value.text() == "3.50" and panel.mean.level == "warn"
    _categories, bars = panel.chart.plotted()
    assert bars[0].values == [0.0, 1.0, 0.0, 0.0, 1.0] == [
        float(n) for n in stats.overall.distribution]
