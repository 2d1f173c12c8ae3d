"""Render the supervisor's window to PNG files (for `make screenshots` and for review), and
the first page of the mayor's PDF report.

The window runs in-process against a throwaway demo office with a worked week
(kiosk/demo_week.py): the live view mid-morning on Friday 20 Nov 2026, this week's history,
the month's expedientes, satisfaction and the sync list. Each view is reached the way a
supervisor would reach it (tabs, period picker, sub-tabs).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from kiosk.client.base import HubClient
from kiosk.demo_week import build_demo_week
from kiosk.services.reclamo_views import ReclamoInput
from printing.errors import PrinterError
from printing.pdf.preview import pdf_page_png
from ui.capture import shooter
from ui.qt_app import application, process_events_until
from ui.supervisor.window import SupervisorOptions, SupervisorWindow

SIZE = (1366, 768)
SUPERVISOR = ("rosa", "8642")  # the demo office's supervisor (kiosk/services/users.py)
# The window's views, in the order they are taken.
SCREENS = ("ingreso", "en-vivo", "historial", "historial-hora", "mapa-calor", "espera",
           "expedientes", "expedientes-ley", "satisfaccion", "sincronizacion", "reclamos")
REPORT_PAGE = "informe-pdf"


def screen_file(directory: Path, name: str) -> Path:
    return directory / f"supervision-{name}.png"


def _wait(done: Callable[[], bool], what: str) -> None:
    if not process_events_until(done, 60_000):
        raise RuntimeError(f"supervisor screenshot: gave up waiting for {what}")


def _file_reclamos(kiosk: HubClient) -> None:
    """Two reclamos filed at the kiosk this morning (the book of the demo week is empty)."""
    for category, name, text in (
            ("tiempo_atencion", "María Quispe Ñahui", "Esperé dos horas con mi turno."),
            ("informacion", "José Chávez Ibáñez", "No me dijeron todos los requisitos.")):
        kiosk.file_reclamo(ReclamoInput(category=category, doc_number="41234567",
                                        full_name=name, email="vecino@example.pe",
                                        description=text))


def save_supervisor_screenshots(directory: Path, scale: float = 1.0) -> list[Path]:
    """Every view of SCREENS, then the PDF's first page (REPORT_PAGE)."""
    application()
    directory.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        week = build_demo_week(Path(tmp) / "oficina", scale=scale)
        office = week.office
        options = SupervisorOptions(refresh_ms=3_600_000, sync_refresh_ms=3_600_000)
        window = SupervisorWindow(office.client(week.supervisor_token), options, tz=office.tz)
        try:
            window.resize(*SIZE)
            window.show()

            shot = shooter(window, partial(screen_file, directory), saved)

            _wait(lambda: bool(window.login.office.text()), "the login page")
            shot("ingreso")
            window.sign_in(*SUPERVISOR)  # the figures name clerks: a supervisor logs in
            _wait(lambda: window.live is not None and window.report is not None,
                  "the live view and today's figures")
            shot("en-vivo")

            def period(kind: str) -> None:
                before = window.report
                window.period.choose(kind)
                _wait(lambda: window.report is not None and window.report is not before,
                      f"the period «{kind}»")

            window.show_tab("history")
            period("week")
            shot("historial")
            window.history.tables.show_name("por_hora")
            shot("historial-hora")
            window.history.tables.show_name("mapa_calor")
            shot("mapa-calor")
            window.history.tables.show_name("histograma_espera")
            shot("espera")
            window.show_tab("expedientes")
            period("month")
            window.expedientes.tables.show_name("expedientes_por_area")
            shot("expedientes")
            window.expedientes.tables.show_name("expedientes_por_ley")
            shot("expedientes-ley")
            window.show_tab("satisfaction")
            period("week")
            shot("satisfaccion")
            window.show_tab("sync")
            _wait(lambda: window.sync_panel.status is not None, "the sync list")
            shot("sincronizacion")
            _file_reclamos(office.client(office.device("Quiosco (capturas)", "kiosk")))
            window.show_tab("reclamos")
            _wait(lambda: window.reclamos_panel.book is not None, "the reclamos")
            shot("reclamos")
            report = window.report
            assert report is not None
            from printing.pdf.report import report_pdf

            page = directory / f"supervision-{REPORT_PAGE}.png"
            try:
                page.write_bytes(pdf_page_png(report_pdf(report), 0, dpi=110))
                saved.append(page)
            except PrinterError as exc:  # an installed wheel without the optional pypdfium2
                if exc.code != "preview_unavailable":
                    raise
        finally:
            window.shutdown()
            window.close()
            office.close()
    return saved
