"""The kiosk's real printer: the printing package's Printer, with every job reported to the hub.

Printing runs on the kiosk's worker thread (inside the same call that issued the ticket), so a
slow or dead printer never freezes the screen. A report the hub could not take (it was
restarting) is kept and sent with the next one: the supervisor's printer alert is not lost.

What the paper says of the office (name, municipality, logo, public address) is the hub's
(`OfficeIdentity`), never this PC's config.toml, which only says how to reach its printer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.client.base import HubClient
from kiosk.config import DataDir, OfficeConfig, tracking_link
from kiosk.errors import CacError
from kiosk.services.reclamo_views import ReclamoView
from kiosk.services.views import IssuedTicket, PrintJobReport, ProcedureView
from printing.documents import hoja_reclamo_layout
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

# How long a printer trusts what it last heard of the office: the admin's changes (name,
# logo, public address) reach the paper within this time, without a restart.
IDENTITY_MAX_AGE_S = 300.0


@dataclass(frozen=True)
class OfficeIdentity:
    """The office as its documents name it, from the hub (`GET /health`, `GET /office/logo`:
    public, so a kiosk alone may read it)."""

    code: str
    name: str
    municipality: str
    public_url: str  # the public address of central's tracking page; "": none
    logo: bytes | None = field(default=None, repr=False)

    def tracking_url(self, tracking_code: str) -> str:
        """The expediente's public page, or "" (no QR: the code is printed instead)."""
        return tracking_link(self.public_url, tracking_code)


class HubReportingPrinter:
    def __init__(self, client: HubClient, config: OfficeConfig, root: Path,
                 identity_max_age_s: float = IDENTITY_MAX_AGE_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._config = config
        self._printer = Printer.from_config(config, root, on_job_finished=self._report)
        self._unreported: list[PrintJobReport] = []
        self._lock = threading.Lock()
        self._identity_lock = threading.Lock()
        self._identity: OfficeIdentity | None = None
        self._identity_at = 0.0
        self._identity_max_age_s = identity_max_age_s
        self._monotonic = monotonic
        # The hub's time at its last answer, and this PC's monotonic clock then.
        self._hub_time: tuple[datetime, float] | None = None

    @property
    def printer(self) -> Printer:
        return self._printer

    @property
    def history(self) -> list[PrintJob]:
        return self._printer.history

    def identity(self) -> OfficeIdentity:
        """What the hub says of the office: asked at the first print and again once it is
        older than `identity_max_age_s`. While the hub cannot answer, the last known one (or,
        before any, this PC's config: better a print than none)."""
        with self._identity_lock:
            known = self._identity
            if known is not None and \
                    self._monotonic() - self._identity_at < self._identity_max_age_s:
                return known
            try:
                health = self._client.health()
            except CacError as exc:
                log.info("office identity not refreshed: %s", exc.code)
                return known or self._local_identity()
            logo = known.logo if known is not None else None
            try:
                logo = self._client.office_logo()
            except CacError as exc:
                log.info("the office logo not refreshed: %s", exc.code)
            self._identity = OfficeIdentity(code=health.office, name=health.name,
                                            municipality=health.municipality,
                                            public_url=health.public_url, logo=logo)
            self._identity_at = self._monotonic()
            self._hub_time = (health.time, self._identity_at)
            return self._identity

    def hub_now(self) -> datetime:
        """The office's time for what a paper says (printed, issued, reprinted at): the
        hub's at its last answer plus what has passed since on this PC's monotonic clock,
        so a PC whose clock is wrong prints the hub's date. This PC's clock only while the
        hub never answered (as the identity falls back to this PC's config)."""
        self.identity()
        with self._identity_lock:
            known = self._hub_time
        if known is None:
            return datetime.now(UTC)
        at, seen = known
        return at + timedelta(seconds=self._monotonic() - seen)

    def _local_identity(self) -> OfficeIdentity:
        config = self._config
        return OfficeIdentity(code=config.office_code, name=config.office_name,
                              municipality=config.municipality,
                              public_url=config.public_address)

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
        office = self.identity()
        document = TicketPrint(  # no QR: nothing a phone could open knows the live queue
            municipality=office.municipality,
            office_name=office.name,
            service_name=service_name,
            number=ticket.number,
            issued_at=ticket.issued_at,
            people_ahead=ticket.ahead,
            wait_minutes=ticket.estimated_wait_min,
            preferential=ticket.preferential,
            timezone=self._config.timezone,
            logo=office.logo,
            serving_now=ticket.counters_open != 0,
            words=words or TicketWords(),
        )
        return self._outcome(self._printer.print(ticket_layout(document), "ticket", ticket.id))

    def print_requirements(self, procedure: ProcedureView) -> PrintOutcome:
        office = self.identity()
        document = RequirementsPrint(
            municipality=office.municipality,
            office_name=office.name,
            procedure_name=procedure.name,
            fee=procedure.fee_soles,
            deadline_working_days=procedure.deadline_working_days,
            requirements=tuple(Requirement(r.text, conditional=not r.mandatory)
                               for r in procedure.requirements),
            printed_at=self.hub_now(),
            procedure_code=procedure.code,
            fee_note=procedure.fee_basis,
            qualification=procedure.calificacion_text,
            authority=procedure.authority or "",
            appeals=tuple(a.text for a in procedure.appeals),
            timezone=self._config.timezone,
        )
        return self._outcome(
            self._printer.print(requirements_layout(document), "requirements", procedure.code))


    def print_reclamo(self, reclamo: ReclamoView) -> PrintOutcome:
        office = self.identity()
        layout = hoja_reclamo_layout(reclamo, municipality=office.municipality,
                                     width_mm=self._config.printer_width_mm,
                                     timezone=self._config.timezone)
        return self._outcome(self._printer.print(layout, "reclamo", reclamo.number))

    def reprint(self, job_id: str) -> PrintOutcome:
        job = next((j for j in self._printer.history if j.id == job_id), None)
        if job is None:
            return PrintOutcome(ok=False, message="Ese ticket ya no se puede reimprimir.")
        return self._outcome(self._printer.reprint(job))


def printer_config(data_dir: DataDir) -> OfficeConfig:
    """This PC's printer settings (config.toml); without a config, files in the data dir.
    The office's name and the rest come from the hub (`HubReportingPrinter.identity`)."""
    if data_dir.exists():
        return data_dir.load_config()
    log.warning("no config in %s: documents are written as files there", data_dir.root)
    data_dir.create()
    return OfficeConfig(office_code="CAC", office_name="CAC")


def printer_for(client: HubClient, data_dir: DataDir) -> HubReportingPrinter:
    """The printer this PC's config names, printing what the hub says of the office."""
    return HubReportingPrinter(client, printer_config(data_dir), data_dir.root)
