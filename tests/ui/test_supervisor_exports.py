"""The exports of the report on screen: the CSV of the table on screen is the hub's own CSV,
the workbook has every table of the report, the mayor's PDF says the period's figures; each
through the "save as" dialog (tests answer for it) with the result said in Spanish inline."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.client.base import HubClient
from kiosk.clock import VirtualClock
from kiosk.hub import OfficeHub
from kiosk.services.report import report_tables
from printing.pdf.report import TITLE, cell_text, report_pdf
from printing.reports.xlsx import report_xlsx
from tests.ui.conftest import ChosenFiles, RecordedBoxes
from tests.ui.supervisor_support import (
    DAY,
    file_expedientes,
    hub_client,
    make_supervisor,
    parse_csv,
    work_morning,
)
from ui.supervisor.window import SupervisorWindow

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def worked(hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str]) -> HubClient:
    file_expedientes(hub, clock, DAY)
    work_morning(hub, clock, tokens)
    return hub_client(hub, tokens["supervisor"])


@pytest.fixture
def window(qtbot: QtBot, worked: HubClient) -> SupervisorWindow:
    shown = make_supervisor(qtbot, worked)
    shown.show_tab("history")
    return shown


def saved(qtbot: QtBot, window: SupervisorWindow, count: int) -> Path:
    qtbot.waitUntil(lambda: len(window.saved) == count, timeout=20_000)
    return window.saved[-1]


def test_the_table_on_screen_to_csv(qtbot: QtBot, window: SupervisorWindow,
                                    worked: HubClient, file_dialogs: ChosenFiles,
                                    tmp_path: Path, message_boxes: RecordedBoxes) -> None:
    window.history.tables.show_name("por_hora")
    file_dialogs.save_to = tmp_path / "exportes" / "turnos por hora"  # no extension typed
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    path = saved(qtbot, window, 1)
    assert path == tmp_path / "exportes" / "turnos por hora.csv"
    [(title, suggested, filters)] = file_dialogs.saving
    assert title == "Guardar la tabla en CSV"
    assert (suggested, filters) == ("por_hora_2026-11-20.csv", "Tabla CSV (*.csv)")
    assert path.read_text("utf-8") == worked.export_report_table("por_hora", DAY, DAY)
    heading, rows = parse_csv(path.read_text("utf-8"))
    history = worked.ticket_history(DAY, DAY)
    assert [r[0] for r in rows] == [g.label for g in history.by_hour]
    assert [int(r[heading.index("Emitidos")]) for r in rows] == [g.issued
                                                                 for g in history.by_hour]
    notice = window.exports.notice
    assert notice.kind == "info" and str(path) in notice.text()
    assert notice.text().startswith(f"«Turnos por hora de emisión» guardada en CSV "
                                    f"({len(rows)} filas)")
    # On the expedientes tab, its own table on screen.
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    window.expedientes.tables.show_name("expedientes_por_area")
    file_dialogs.save_to = tmp_path / "areas.csv"
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    path = saved(qtbot, window, 2)
    assert path.read_text("utf-8") == worked.export_report_table("expedientes_por_area",
                                                                 DAY, DAY)
    assert message_boxes.shown == []


def test_everything_to_xlsx(qtbot: QtBot, window: SupervisorWindow, worked: HubClient,
                            file_dialogs: ChosenFiles, tmp_path: Path) -> None:
    file_dialogs.save_to = tmp_path / "informe.xlsx"
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL | SHIFT)
    path = saved(qtbot, window, 1)
    report = worked.period_report(DAY, DAY)
    assert path.read_bytes() == report_xlsx(report)  # reproducible: the same report
    workbook = load_workbook(io.BytesIO(path.read_bytes()))
    tables = report_tables(report)
    assert workbook.sheetnames == [t.name for t in tables]
    for table in tables:
        sheet = workbook[table.name]
        values = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
        assert values == table.rows, table.name
        assert [c.value for c in sheet[2]] == table.columns
    by_service = workbook["por_servicio"]
    assert [r[0] for r in by_service.iter_rows(min_row=3, values_only=True)] == [
        g.label for g in report.tickets.by_service]
    assert "Libro de Excel" in window.exports.notice.text()
    assert file_dialogs.saving[-1][1] == "informe_2026-11-20.xlsx"


def test_the_mayors_pdf(qtbot: QtBot, window: SupervisorWindow, worked: HubClient,
                        file_dialogs: ChosenFiles, tmp_path: Path) -> None:
    file_dialogs.save_to = tmp_path / "alcalde.pdf"
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)
    path = saved(qtbot, window, 1)
    report = worked.period_report(DAY, DAY)
    assert path.read_bytes() == report_pdf(report)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    first = reader.pages[0].extract_text()
    assert TITLE in first and "CAC Cajamarca" in first
    lines = first.splitlines()
    issued = next(line for line in lines if line.startswith("Turnos emitidos"))
    assert issued.split()[-1] == cell_text(report.tickets.overall.issued) == "5"
    whole = "\n".join(page.extract_text() for page in reader.pages)
    for group in report.tickets.by_service:
        assert group.label in whole
    assert window.exports.notice.text().startswith("Informe PDF para el alcalde guardado")


def test_cancelled_or_unwritable(qtbot: QtBot, window: SupervisorWindow,
                                 file_dialogs: ChosenFiles, tmp_path: Path,
                                 message_boxes: RecordedBoxes) -> None:
    file_dialogs.save_to = None  # the supervisor cancelled the dialog
    window.exports.csv.click()
    assert len(file_dialogs.saving) == 1 and window.saved == []
    assert not window.exports.notice.isVisible()
    blocker = tmp_path / "no-es-carpeta"
    blocker.write_text("un archivo")
    file_dialogs.save_to = blocker / "tabla.csv"
    window.exports.csv.click()
    qtbot.waitUntil(lambda: window.exports.notice.kind == "error", timeout=10_000)
    text = window.exports.notice.text()
    assert text.startswith(f"No se pudo guardar «{blocker / 'tabla.csv'}»")
    assert text.endswith("Elija otra carpeta.")
    assert window.saved == [] and message_boxes.shown == []


def test_the_export_keys_only_work_on_a_period_tab(
        qtbot: QtBot, window: SupervisorWindow, file_dialogs: ChosenFiles,
        tmp_path: Path) -> None:
    file_dialogs.save_to = tmp_path / "x.csv"
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    assert window.current_tab() == "live" and not window.exports.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)
    assert file_dialogs.saving == []
