"""The kiosk's real printer: the printing package's Printer, with every job reported to the hub.

Printing runs on the kiosk's worker thread (inside the same call that issued the ticket), so a
slow or dead printer never freezes the screen. A report the hub could not take (it was
restarting) is kept and sent with the next one: the supervisor's printer alert is not lost.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

from kiosk.client.base import HubClient
from kiosk.config import DataDir, OfficeConfig
from kiosk.errors import CacError
from kiosk.services.views import IssuedTicket, PrintJobReport, ProcedureView
from printing.jobs import Printer, PrintJob
from printing.layout import (
    Requirement,
    RequirementsPrint,
    TicketPrint,
    TicketWords,
    requirements_layout,
    ticket_layout,
)
from ui.kiosk.printer_port import PrintOutcome

log = logging.getLogger(__name__)


class HubReportingPrinter:
    def __init__(self, client: HubClient, config: OfficeConfig, root: Path) -> None:
        self._client = client
        self._config = config
        self._printer = Printer.from_config(config, root, on_job_finished=self._report)
        self._unreported: list[PrintJobReport] = []
        self._lock = threading.Lock()
        self._office_name: str | None = None
        self._logo: bytes | None = None

    @property
    def printer(self) -> Printer:
        return self._printer

    @property
    def history(self) -> list[PrintJob]:
        return self._printer.history

    def _office(self) -> str:
        if self._office_name is None:
            self._office_name = self._client.health().name
            # The logo is asked for once with the name: a ticket never waits on a download.
            try:
                self._logo = self._client.office_logo()
            except CacError as exc:
                log.info("tickets without the office logo for now: %s", exc.code)
        return self._office_name

    def _report(self, job: PrintJob) -> None:
        with self._lock:
            self._unreported.append(PrintJobReport.model_validate(job.to_dict()))
            pending, self._unreported = self._unreported, []
        for index, report in enumerate(pending):
            try:
                self._client.report_print(report)
            except CacError as exc:
                log.info("print report kept for later: %s", exc.code)
                with self._lock:
                    self._unreported = pending[index:] + self._unreported
                return

    @staticmethod
    def _outcome(job: PrintJob) -> PrintOutcome:
        return PrintOutcome(ok=job.ok, message=job.error_message, job_id=job.id)

    def print_ticket(self, ticket: IssuedTicket, service_name: str,
                     words: TicketWords | None = None) -> PrintOutcome:
        document = TicketPrint(
            municipality=self._config.municipality,
            office_name=self._office(),
            service_name=service_name,
            number=ticket.number,
            issued_at=ticket.issued_at,
            people_ahead=ticket.ahead,
            qr_payload=f"turno:{ticket.id}",
            wait_minutes=ticket.estimated_wait_min,
            preferential=ticket.preferential,
            timezone=self._config.timezone,
            logo=self._logo,
            serving_now=ticket.counters_open != 0,
            words=words or TicketWords(),
        )
        return self._outcome(self._printer.print(ticket_layout(document), "ticket", ticket.id))

    def print_requirements(self, procedure: ProcedureView) -> PrintOutcome:
        document = RequirementsPrint(
            municipality=self._config.municipality,
            office_name=self._office(),
            procedure_name=procedure.name,
            fee=procedure.fee_soles,
            deadline_working_days=procedure.deadline_working_days,
            requirements=tuple(Requirement(r.text, conditional=not r.mandatory)
                               for r in procedure.requirements),
            printed_at=datetime.now(UTC),
            procedure_code=procedure.code,
            fee_note=procedure.fee_basis,
            qualification=procedure.calificacion_text,
            timezone=self._config.timezone,
        )
        return self._outcome(
            self._printer.print(requirements_layout(document), "requirements", procedure.code))


    def reprint(self, job_id: str) -> PrintOutcome:
        job = next((j for j in self._printer.history if j.id == job_id), None)
        if job is None:
            return PrintOutcome(ok=False, message="Ese ticket ya no se puede reimprimir.")
        return self._outcome(self._printer.reprint(job))


def printer_for(client: HubClient, data_dir: DataDir) -> HubReportingPrinter:
    """The printer this PC's config names; without a config, files in the data dir."""
    if data_dir.exists():
        config = data_dir.load_config()
    else:
        log.warning("no config in %s: tickets are written as files there", data_dir.root)
        data_dir.create()
        config = OfficeConfig(office_code="CAC", office_name="CAC")
    return HubReportingPrinter(client, config, data_dir.root)
