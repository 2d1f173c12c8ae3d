"""The cierre de caja, without the window: a day's closing of a clerk, read, printed and saved
as an A4 PDF (signed when the clerk signs, issue 18).

`CashControl` owns these hub calls and the printing of the cierre; everything runs through the
window's runner (worker thread). Tests drive it with a plain runner, no window.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from kiosk.client.base import HubClient
from kiosk.errors import CacError, ConfigError
from kiosk.services.expediente_views import CashClosing
from ui.counter.printer import CounterPrinter, write_file
from ui.hub_calls import Runner
from ui.kiosk.printer_port import PrintOutcome

Failed = Callable[[CacError], None]


class CashControl:
    def __init__(self, client: HubClient, printer: CounterPrinter | None, run: Runner) -> None:
        self._client = client
        self._printer = printer
        self._run = run

    def load(self, day: date | None, shown: Callable[[CashClosing], None],
             failed: Failed) -> None:
        """The closing of `day` (None: today by the hub's calendar; this PC's clock may be
        wrong)."""
        client = self._client
        self._run(lambda: client.cash_closing(day), shown, failed)

    def print(self, closing: CashClosing,
              printed: Callable[[tuple[PrintOutcome | None, CashClosing]], None],
              failed: Failed) -> None:
        """A second print of the same day's cierre of the same clerk says REIMPRESIÓN: the
        hub counts the cierre jobs reported as printed (any counter). `printed` gets the
        printer's answer (None: no printer) and the closing as the hub has it now."""
        printer, client = self._printer, self._client

        def work() -> tuple[PrintOutcome | None, CashClosing]:
            fresh = client.cash_closing(closing.business_date, closing.username)
            if printer is None:
                return None, fresh
            outcome = printer.print_closing(fresh, fresh.printed > 0)
            return outcome, client.cash_closing(closing.business_date, closing.username)

        self._run(work, printed, failed)

    def save_pdf(self, closing: CashClosing, path: Path, saved: Callable[[Path], None],
                 failed: Failed) -> None:
        """The A4 cierre of the closing as the hub has it now, written to `path` (chosen by
        the clerk) whole or not at all; «signing_locked» reaches `failed` when the
        certificate's password is due."""
        printer, client = self._printer, self._client

        def work() -> Path:
            if printer is None:
                raise ConfigError("no_printer", "Esta ventanilla no tiene impresión configurada.")
            fresh = client.cash_closing(closing.business_date, closing.username)
            write_file(path, printer.closing_pdf(fresh))
            return path

        self._run(work, saved, failed)
