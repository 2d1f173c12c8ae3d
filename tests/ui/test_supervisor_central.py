"""`cac supervisor --central`: the figures of every office from the central server (SQLite
trial database, HTTP on loopback), office by office and together, equal to what central's
API answers for the same period; and central away is said without blocking the hub's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.supervisor_views import PeriodReport
from sync.central.app import central_server
from sync.central.server import CentralServer
from sync.client import CentralClient
from sync.hub_sync import HubSync
from tests.conftest import START, RunningHub, clerk_at, start_uvicorn, stop_server
from tests.ui.conftest import ChosenFiles
from tests.ui.supervisor_support import (
    DAY,
    cells,
    hub_client,
    make_supervisor,
    parse_csv,
    work_morning,
)
from ui.supervisor.central import CentralReports, central_reports


@pytest.fixture
def central(tmp_path: Path, clock: VirtualClock) -> Iterator[tuple[CentralServer, RunningHub]]:
    server = CentralServer(f"sqlite:///{tmp_path / 'central.sqlite3'}", clock)
    running = start_uvicorn(central_server(server, lifespan="off",
                                           timeout_graceful_shutdown=2))
    yield server, running
    stop_server(running)
    server.close()


@pytest.fixture
def two_offices(hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str], tmp_path: Path,
                central: tuple[CentralServer, RunningHub]) -> Iterator[CentralReports]:
    """CAJ works the morning of work_morning; CEL serves three partidas at ventanilla 2.
    Both push to central; the supervisor's window reads central with a staff credential."""
    server, running = central
    work_morning(hub, clock, tokens)
    other = OfficeHub.initialise(DataDir(tmp_path / "cel"), "CEL", "CAC Celendín", demo=True,
                                 clock=clock)
    try:
        clock.set(START + timedelta(minutes=22))
        clerk = clerk_at(other, "luis", "1357", 2)
        other.open_counter(clerk, 2)
        for _ in range(3):
            ticket = other.issue_ticket(SYSTEM, "partidas")
            called = other.call_next(clerk, 2)
            assert called is not None and called.id == ticket.id
            other.start(clerk, ticket.id)
            clock.set(clock.now() + timedelta(minutes=2))
            other.finish(clerk, ticket.id)
        for office in (hub, other):
            _row, token = server.add_office(office.config.office_code, office.config.office_name)
            link = CentralClient(running.url, token)
            try:
                result = HubSync(office, link).run_round()
            finally:
                link.close()
            assert result.ok and result.rejected == 0, result.error
        reports = central_reports(running.url, server.add_staff("Gerencia de Atención"))
        yield reports
        reports.close()
    finally:
        other.close()


def test_each_office_and_all_together_from_central(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str],
        two_offices: CentralReports) -> None:
    window = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]), central=two_offices)
    window.show_tab("history")
    period = window.period
    assert period.office.isVisible()
    assert [period.office.itemData(i) for i in range(period.office.count())] == [
        "hub", "central:"]
    before = window.report
    period.office.setCurrentIndex(period.office.findData("central:"))
    qtbot.waitUntil(lambda: window.report is not before, timeout=20_000)
    # What central's API answers for the same period, asked here directly.
    figures = two_offices.reports(DAY, DAY)
    assert window.report == figures.total
    assert window.report_source == "central:"
    assert window.report.tickets.overall.issued == 5 + 3
    assert "(central)" in period.shown.text()
    # The selector now lists central's offices.
    assert [period.office.itemText(i) for i in range(2, period.office.count())] == [
        "CAC Cajamarca (CAJ, central)", "CAC Celendín (CEL, central)"]
    rows = cells(window.history.pages["por_ventanilla"].model)
    assert [r[0] for r in rows] == [g.label for g in figures.total.tickets.by_counter]
    # One office: no new question to central, the same answer's part.
    asked = window.central_figures
    period.office.setCurrentIndex(period.office.findData("central:CEL"))
    qtbot.waitUntil(lambda: window.report_source == "central:CEL", timeout=10_000)
    assert window.central_figures is asked
    celendin: PeriodReport = figures.offices["CEL"]
    assert window.report == celendin
    assert [r[0] for r in cells(window.history.pages["por_usuario"].model)] == [
        "Luis Quispe Mamani"]
    assert int(window.history.issued.value.text()) == celendin.tickets.overall.issued == 3
    # Cajamarca at central says what Cajamarca's hub says.
    period.office.setCurrentIndex(period.office.findData("central:CAJ"))
    qtbot.waitUntil(lambda: window.report_source == "central:CAJ", timeout=10_000)
    own = hub.period_report(SYSTEM, DAY, DAY)
    assert window.report is not None
    assert window.report.tickets == own.tickets
    assert window.report.satisfaction == own.satisfaction
    window.shutdown()


def test_a_csv_of_central_figures_is_made_from_its_report(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], two_offices: CentralReports,
        file_dialogs: ChosenFiles, tmp_path: Path) -> None:
    window = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]), central=two_offices)
    window.show_tab("history")
    window.period.office.setCurrentIndex(window.period.office.findData("central:"))
    qtbot.waitUntil(lambda: window.report_source == "central:", timeout=20_000)
    file_dialogs.save_to = tmp_path / "todas.csv"
    window.exports.csv.click()
    qtbot.waitUntil(lambda: window.saved != [], timeout=10_000)
    heading, rows = parse_csv((tmp_path / "todas.csv").read_text("utf-8"))
    total = two_offices.reports(DAY, DAY).total
    assert [r[0] for r in rows] == [g.label for g in total.tickets.by_service]
    assert [int(r[heading.index("Emitidos")]) for r in rows] == [
        g.issued for g in total.tickets.by_service]
    assert file_dialogs.saving[-1][1] == "por_servicio_TODAS_2026-11-20.csv"
    window.shutdown()


def test_central_away_is_said_and_the_hub_still_answers(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str]) -> None:
    nowhere = central_reports("http://127.0.0.1:9", "credencial")  # nothing listens there
    try:
        window = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]), central=nowhere)
        window.show_tab("history")
        window.period.office.setCurrentIndex(window.period.office.findData("central:"))
        qtbot.waitUntil(lambda: window.exports.notice.kind == "error", timeout=20_000)
        assert window.exports.notice.text().startswith("Central: No hay conexión con la "
                                                       "central (http://127.0.0.1:9)")
        assert not window.offline and not window.banner.isVisible()  # the hub is fine
        assert window.report_source == "hub"  # the hub's figures stay on screen
        window.shutdown()
    finally:
        nowhere.close()
