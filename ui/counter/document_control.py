"""The papers of an expediente, without the window: the cargo, the receipt and the copia
certificada printed or saved (each recorded at the hub, which knows whether it is a reprint),
and the scanned files attached to it.

`DocumentControl` owns these hub calls and the counter's printer; everything runs through the
window's runner (worker thread). Tests drive it with a plain runner, no window.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.client.base import HubClient
from kiosk.errors import CacError, Conflict, InvalidInput
from kiosk.rules.expedientes import SILENCE_OPERATED
from kiosk.services.expediente_views import (
    AttachmentView,
    DocumentInput,
    ExpedienteView,
    PaymentView,
)
from ui.counter import texts
from ui.counter.printer import CounterPrinter
from ui.hub_calls import Runner
from ui.kiosk.printer_port import PrintOutcome

log = logging.getLogger(__name__)

# What the file dialog offers; the hub checks the content itself (kiosk/services/attachments.py).
ATTACHMENT_FILTER = "Documentos escaneados (*.pdf *.png *.jpg *.jpeg);;Todos los archivos (*)"
ATTACHMENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg",
                    "jpeg": "image/jpeg"}
# Far more than any office allows (config: attachment_max_mb ≤ 100): never read into memory.
ATTACHMENT_READ_LIMIT = 100 * 1024 * 1024

Issued = Callable[[Any, ExpedienteView], None]  # (what the printer answered, the fresh one)
Failed = Callable[[CacError], None]


def print_text(outcome: PrintOutcome | None, what: str) -> str:
    if outcome is None:
        return "Esta ventanilla no tiene impresora configurada."
    if outcome.ok:
        return f"Se imprimió {what}."
    return f"No se pudo imprimir {what}: {outcome.message or 'error de la impresora'}."


class DocumentControl:
    def __init__(self, client: HubClient, printer: CounterPrinter | None, run: Runner) -> None:
        self._client = client
        self.printer = printer
        self._run = run
        # Documents being printed or saved now: a second press waits for the hub's count.
        self._issuing: set[tuple[str, str, str | None]] = set()

    def record(self, expediente: ExpedienteView, issue: DocumentInput) -> ExpedienteView:
        """On the worker thread, after a document came out: tell the hub (the next one is a
        reprint). The paper is out already, so a hub that cannot be reached is only logged."""
        try:
            return self._client.record_document(expediente.number, issue)
        except CacError as exc:
            log.warning("document %s of %s not recorded: %s", issue.document,
                        expediente.number, exc.code)
            return expediente

    def print_paid_receipt(self, paid: PaymentView, expediente: ExpedienteView
                           ) -> tuple[ExpedienteView, PrintOutcome | None]:
        """On the worker thread, right after a payment: its receipt (recorded when printed)."""
        printer = self.printer
        outcome = printer.print_receipt(paid, expediente) if printer else None
        if outcome is not None and outcome.ok:
            expediente = self.record(expediente, DocumentInput(
                document="receipt", receipt_number=paid.receipt_number))
        return expediente, outcome

    def issue(self, number: str, document: str, medium: str,
              produce: Callable[[CounterPrinter, ExpedienteView, bool], Any],
              issued: Issued, failed: Failed, receipt_number: str | None = None) -> bool:
        """Print or save a document of expediente `number`. Whether it is a reprint is the
        hub's knowledge (any counter, any day), read fresh just before. False (nothing
        asked) while the same document is still being issued."""
        printer, client = self.printer, self._client
        assert printer is not None
        key = (number, document, receipt_number)
        if key in self._issuing:
            return False
        self._issuing.add(key)

        def work() -> tuple[Any, ExpedienteView]:
            fresh = client.expediente(number)
            reprint = fresh.times_issued(document, receipt_number, medium) > 0
            result = produce(printer, fresh, reprint)
            if not isinstance(result, PrintOutcome) or result.ok:
                fresh = self.record(fresh, DocumentInput(
                    document=document, medium=medium, receipt_number=receipt_number,
                    reprint=reprint))
            return result, fresh

        def done(answer: tuple[Any, ExpedienteView]) -> None:
            self._issuing.discard(key)
            issued(*answer)

        def refused(error: CacError) -> None:
            self._issuing.discard(key)
            failed(error)

        self._run(work, done, refused)
        return True

    def print_cargo(self, number: str, issued: Issued, failed: Failed) -> bool:
        """A second cargo of an expediente on the same paper (thermal or A4, from any
        counter) says REIMPRESIÓN; the A4 one after a thermal one is not a reprint."""
        return self.issue(number, "cargo", "termica",
                          lambda printer, fresh, reprint: printer.print_cargo(fresh, reprint),
                          issued, failed)

    def save_cargo_pdf(self, number: str, issued: Issued, failed: Failed) -> bool:
        return self.issue(number, "cargo", "pdf",
                          lambda printer, fresh, reprint: printer.save_cargo_pdf(fresh, reprint),
                          issued, failed)

    def save_certified_copy(self, number: str, issued: Issued, failed: Failed) -> bool:
        """A second copia certificada of the same expediente says DUPLICADO."""
        return self.issue(number, "copia", "pdf",
                          lambda printer, fresh, reprint: printer.save_partida_pdf(fresh,
                                                                                   reprint),
                          issued, failed)

    def save_constancia(self, number: str, issued: Issued, failed: Failed) -> bool:
        """The constancia de silencio administrativo positivo (A4 PDF), once the hub recorded
        the silence; a second one says REIMPRESIÓN."""
        def produce(printer: CounterPrinter, fresh: ExpedienteView, reprint: bool) -> Path:
            if fresh.approved_by_law != SILENCE_OPERATED or fresh.status == "nulo":
                raise Conflict("no_silence",
                               f"El expediente {fresh.number} no tiene silencio administrativo "
                               "positivo registrado (o fue declarado nulo): no corresponde la "
                               "constancia.")
            return printer.save_constancia_pdf(fresh, reprint)

        return self.issue(number, "constancia_silencio", "pdf", produce, issued, failed)

    def reprint_receipt(self, number: str, receipt: str, issued: Issued, failed: Failed
                        ) -> bool:
        def produce(printer: CounterPrinter, fresh: ExpedienteView, reprint: bool
                    ) -> PrintOutcome:
            payment = next(p for p in fresh.payments if p.receipt_number == receipt)
            return printer.print_receipt(payment, fresh, reprint)

        return self.issue(number, "receipt", "termica", produce, issued, failed, receipt)

    def attach(self, number: str, path: Path,
               attached: Callable[[AttachmentView, ExpedienteView], None],
               failed: Failed) -> None:
        """A scanned file added to expediente `number`; the hub checks its content."""
        client = self._client

        def work() -> tuple[AttachmentView, ExpedienteView]:
            try:
                size = path.stat().st_size
                if size > ATTACHMENT_READ_LIMIT:
                    raise InvalidInput("attachment_too_large",
                                       f"El archivo «{path.name}» pesa "
                                       f"{texts.size_text(size)}: es demasiado grande para "
                                       "adjuntarlo. Escanéelo con menor resolución.")
                content = path.read_bytes()
            except OSError:
                raise InvalidInput("unreadable_file",
                                   f"No se pudo leer el archivo «{path.name}». Revise que "
                                   "exista y que no esté abierto en otro programa.") from None
            extension = path.suffix.lower().lstrip(".")
            media_type = ATTACHMENT_TYPES.get(extension) or \
                mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            added = client.attach(number, path.name, media_type, content)
            return added, client.expediente(number)

        self._run(work, lambda result: attached(*result), failed)

    def clear(self) -> None:
        self._issuing.clear()
