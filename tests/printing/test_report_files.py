"""The period report as files: the mayor's A4 PDF and the XLSX workbook, read back (pypdf,
pypdfium2, openpyxl) and compared with what the hub's API answers; `cac report` writes both."""

from __future__ import annotations

import io
from datetime import UTC, date, timedelta
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
from sqlalchemy import select

from kiosk.cli import main
from kiosk.client.http import HttpHubClient
from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.report import TABLE_NAMES, minutes, report_tables
from kiosk.services.supervisor_views import PeriodReport
from kiosk.storage.tables import Ticket
from printing.pdf.report import BAR, report_pdf
from printing.reports.xlsx import report_xlsx
from tests.conftest import SUPERVISOR, RunningHub
from tests.integration.test_supervisor_stats import DAY, clerk_day  # noqa: F401 (fixture)
from tests.printing.doc_data import pdf_reader, pdf_text

A4_PT = (595, 842)


@pytest.fixture
def report(clerk_day: OfficeHub, server: RunningHub, tokens: dict[str, str],  # noqa: F811
           clock: VirtualClock) -> PeriodReport:
    """The small day of tests/integration/test_supervisor_stats.py (4 tickets: waits 120,
    360 and 1200 s), with PA-001 rated 5 right after it was served, as the API gives it."""
    pregnant = next(t for t in clerk_day.ticket_history(SYSTEM, DAY, DAY).by_preference
                    if t.key == "gestante")
    assert pregnant.issued == 1
    clock.set(clock.now().replace(hour=8, minute=10))
    with clerk_day.store.read_session() as session:
        ticket_id = session.scalars(select(Ticket.id).where(Ticket.number == "PA-001")).one()
    clerk_day.rate_ticket(SYSTEM, ticket_id, 5)
    client = HttpHubClient(server.url, tokens["supervisor"])
    client.login(*SUPERVISOR)
    try:
        return client.period_report(DAY, DAY)
    finally:
        client.close()


def test_the_pdf_says_what_the_api_says(report: PeriodReport) -> None:
    data = report_pdf(report)
    reader = pdf_reader(data)
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_PT
        for ref in page["/Resources"]["/Font"].values():
            descriptor = ref.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()  # DejaVu embedded
    meta = reader.metadata
    assert meta is not None
    assert (meta.title, meta.author) == ("Informe de atención al ciudadano — CAC Cajamarca",
                                         "CAC Cajamarca")
    assert meta.creation_date == report.generated_at
    text = pdf_text(data)
    overall = report.tickets.overall
    assert "Informe de atención al ciudadano Día 20 de noviembre de 2026" in text
    assert f"Turnos emitidos {overall.issued}" in text
    # Minutes with one decimal: 360 s, 1032 s, 560 s.
    assert (minutes(overall.wait_p50_s), minutes(overall.wait_p90_s),
            minutes(overall.wait_mean_s)) == (6.0, 17.2, 9.3)
    assert "Espera mediana (min) 6.0" in text and "Espera p90 (min) 17.2" in text
    assert "% atendidos dentro del objetivo 50.0" in text
    assert "Calificaciones recibidas 1" in text and "Calificación media (1–5) 5.0" in text
    # The tables: by service (partidas 2 issued, 2 served, no absentees, median 4.0 min) and
    # by clerk, with Luis's 20-minute wait.
    assert "Registro Civil (partidas) 2 2 0 4.0" in text
    assert "Luis Quispe Mamani 1 0 1 20.0 20.0" in text
    assert "Turnos emitidos por día de la semana y hora" in text and "08 h" in text


def test_the_pdf_draws_its_charts_and_is_reproducible(report: PeriodReport) -> None:
    data = report_pdf(report)
    assert report_pdf(report) == data  # same report, same bytes
    page = pypdfium2.PdfDocument(data)[0].render(scale=1).to_pil().convert("RGB")
    colours = {colour: count for count, colour in page.getcolors(1 << 24) or []}
    bars = colours.get(BAR, 0)
    assert bars > 500  # the daily bars (and the heat map's busiest cell) are drawn


def test_an_empty_period_still_makes_a_report(hub: OfficeHub) -> None:
    empty = hub.period_report(SYSTEM, DAY, DAY + timedelta(days=6))
    text = pdf_text(report_pdf(empty))
    assert "Turnos emitidos 0" in text and "Sin turnos en el periodo." in text
    assert "Sin datos en el periodo." in text
    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(empty)))
    assert workbook.sheetnames == list(TABLE_NAMES)
    assert workbook["por_servicio"].max_row == 2  # title and headings only


def test_the_workbook_has_one_sheet_per_table_with_the_api_figures(report: PeriodReport
                                                                  ) -> None:
    data = report_xlsx(report)
    assert report_xlsx(report) == data  # reproducible too
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    # Dated by the report, never by the clock (the bytes would change from second to second).
    generated = report.generated_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    assert workbook.properties.created == workbook.properties.modified == generated
    assert workbook.sheetnames == list(TABLE_NAMES)
    for table in report_tables(report):
        sheet = workbook[table.name]
        assert sheet["A1"].value == table.title
        assert [c.value for c in sheet[2]] == table.columns
        assert [[c.value for c in row] for row in sheet.iter_rows(min_row=3)] == table.rows
    clerks = workbook["por_usuario"]
    ana = report.tickets.by_clerk[0]
    assert [c.value for c in clerks[3]][:6] == [ana.label, ana.issued, ana.served, ana.no_show,
                                                ana.expired, minutes(ana.wait_p50_s)]
    satisfaction = workbook["satisfaccion_por_servicio"]
    assert [c.value for c in satisfaction[3]][:3] == ["Registro Civil (partidas)", 1, 5.0]
    assert workbook["resumen"]["B3"].value == report.tickets.overall.issued


def test_cac_report_writes_the_pdf_and_the_workbook(clerk_day: OfficeHub,  # noqa: F811
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    expected = clerk_day.period_report(SYSTEM, DAY, DAY)
    clerk_day.close()
    pdf, xlsx = tmp_path / "informe" / "nov.pdf", tmp_path / "nov.xlsx"
    period = ["--from", "2026-11-20", "--to", "2026-11-20"]
    assert main(["report", "--data-dir", str(clerk_day.data_dir.root), *period,
                 "--pdf", str(pdf), "--xlsx", str(xlsx)]) == 0
    out = capsys.readouterr().out
    assert f"guardado en {pdf}" in out and f"guardado en {xlsx}" in out
    assert pdf_reader(pdf.read_bytes()).pages
    assert f"Turnos emitidos {expected.tickets.overall.issued}" in pdf_text(pdf.read_bytes())
    sheet = openpyxl.load_workbook(xlsx)["por_servicio"]
    assert [[c.value for c in row][:3] for row in sheet.iter_rows(min_row=3)] == [
        [g.label, g.issued, g.served] for g in expected.tickets.by_service]
    assert not list(tmp_path.rglob("*.tmp"))
    assert main(["report", "--data-dir", str(clerk_day.data_dir.root), *period]) == 2
    assert "--pdf" in capsys.readouterr().err
    assert main(["report", "--data-dir", str(clerk_day.data_dir.root), "--from", "2026-11-20",
                 "--to", str(date(2026, 11, 19)), "--pdf", str(pdf)]) == 2
    assert "anterior" in capsys.readouterr().err
