"""What the kiosk window needs from a printer, so tests and the real printer plug in alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kiosk.services.reclamo_views import ReclamoView
from kiosk.services.views import IssuedTicket, ProcedureView
from printing.layout import TicketWords


@dataclass(frozen=True)
class PrintOutcome:
    ok: bool
    message: str | None = None  # Spanish, for the screen, when the print failed
    job_id: str | None = None


class KioskPrinter(Protocol):
    """Prints on the kiosk's own thermal printer. Never raises: a failure is an outcome."""

    def print_ticket(self, ticket: IssuedTicket, service_name: str, words: TicketWords
                     ) -> PrintOutcome:
        """`words`: the ticket's texts in the language the citizen chose."""
        ...
    def print_requirements(self, procedure: ProcedureView) -> PrintOutcome: ...
    def print_reclamo(self, reclamo: ReclamoView) -> PrintOutcome:
        """The hoja de reclamación of a reclamo just filed on this kiosk."""
        ...
    def reprint(self, job_id: str) -> PrintOutcome:
        """Print a job again, marked REIMPRESIÓN (after the paper was changed)."""
        ...
