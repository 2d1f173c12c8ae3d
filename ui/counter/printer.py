"""The counter's printing: cargo de recepción, payment receipt and cierre de caja on the
counter's thermal printer, and the cargo as an A4 PDF.

The documents are the printing package's layouts; the printer and the job reports to the hub
are the kiosk's (`HubReportingPrinter`): one job history, one place that resends lost reports,
one place that asks the hub who the office is (name, municipality, public address for the
QR codes: `OfficeIdentity`); this PC's config.toml only says where its printer is.
Every method runs on the window's worker thread and never raises for a printer fault. Whether a
document is a reprint is the window's question to the hub (`ExpedienteView.times_issued`,
`CashClosing.printed`), never this PC's memory or files.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from kiosk.client.base import HubClient
from kiosk.config import DataDir, OfficeConfig
from kiosk.errors import Conflict, StorageError
from kiosk.services.expediente_views import CashClosing, ExpedienteView, PaymentView
from kiosk.services.reclamo_views import ReclamoView
from kiosk.services.signing_views import IssuedStatement, SignRequest, StatementRequest
from printing.blocks import Layout
from printing.documents.cargo import cargo_layout
from printing.documents.closing import cierre_layout
from printing.documents.receipt import payment_receipt_layout
from printing.pdf.cargo import cargo_pdf
from printing.pdf.closing import cierre_pdf
from printing.pdf.constancia import constancia_pdf
from printing.pdf.partida import partida_pdf
from ui.kiosk.printer_adapter import IDENTITY_MAX_AGE_S, HubReportingPrinter, printer_config
from ui.kiosk.printer_port import PrintOutcome

log = logging.getLogger(__name__)

PDF_FOLDER = "cargos"


class CounterPrinter(Protocol):
    def print_cargo(self, expediente: ExpedienteView, reprint: bool = False) -> PrintOutcome: ...
    def save_cargo_pdf(self, expediente: ExpedienteView, reprint: bool = False) -> Path: ...
    def save_partida_pdf(self, expediente: ExpedienteView, reprint: bool = False) -> Path: ...
    def save_constancia_pdf(self, expediente: ExpedienteView, reprint: bool = False
                            ) -> Path: ...
    def print_receipt(self, payment: PaymentView, expediente: ExpedienteView | None,
                      reprint: bool = False) -> PrintOutcome: ...
    def print_closing(self, closing: CashClosing, reprint: bool = False) -> PrintOutcome: ...
    def closing_pdf(self, closing: CashClosing) -> bytes: ...
    def print_reclamo(self, reclamo: ReclamoView) -> PrintOutcome: ...


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "cargo"


def _names(first: Path) -> Iterator[Path]:
    """`name`, then `<stem>-2<suffix>`, `-3`…"""
    yield first
    for n in range(2, 10_000):
        yield first.with_name(f"{first.stem}-{n}{first.suffix}")


def _save_new(folder: Path, name: str, data: bytes) -> Path:
    """`data` under the first free name of `name`'s series, never overwriting a file, and never
    seen empty or half written under that name (a viewer, the clerk or a test may open it at
    once): written to a private temporary file first, then hard-linked to the name, which fails
    if the name is taken, so two saves at once never take the same one. Where the folder's file
    system has no hard links (a FAT USB stick), the name is reserved empty and replaced."""
    tmp = folder / f".{name}.{uuid.uuid4().hex}.tmp"
    tmp.write_bytes(data)
    try:
        for path in _names(folder / name):
            try:
                os.link(tmp, path)
            except FileExistsError:
                continue
            except OSError:  # no hard links here
                break
            return path
        else:
            raise FileExistsError(folder / name)
        for path in _names(folder / name):
            try:
                path.open("xb").close()
            except FileExistsError:
                continue
            tmp.replace(path)
            return path
        raise FileExistsError(folder / name)
    finally:
        tmp.unlink(missing_ok=True)


def write_file(path: Path, data: bytes) -> None:
    """`data` at `path` (a name the clerk chose, which may be replaced) whole or not at all:
    written beside it first, then renamed over it. A folder that refuses it is said in
    Spanish (StorageError), not raised as an OSError."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as error:
        raise StorageError("file_not_saved", f"No se pudo guardar el archivo en {path}: "
                                             f"{error.strerror or error}.") from error
    finally:
        tmp.unlink(missing_ok=True)


class HubCounterPrinter:
    def __init__(self, client: HubClient, config: OfficeConfig, root: Path,
                 identity_max_age_s: float = IDENTITY_MAX_AGE_S) -> None:
        self._client = client
        self._reporting = HubReportingPrinter(client, config, root, identity_max_age_s)
        self._config = config
        self._root = root

    @property
    def reporting(self) -> HubReportingPrinter:
        return self._reporting

    @property
    def pdf_folder(self) -> Path:
        return self._root / PDF_FOLDER

    def _print(self, layout: Layout, kind: str, reference: str) -> PrintOutcome:
        job = self._reporting.printer.print(layout, kind, reference)
        return PrintOutcome(ok=job.ok, message=job.error_message, job_id=job.id)

    def cargo_layout(self, expediente: ExpedienteView, reprint: bool = False) -> Layout:
        office = self._reporting.identity()
        return cargo_layout(
            expediente, office.name, office.tracking_url(expediente.tracking_code),
            reprint=reprint, width_mm=self._config.printer_width_mm,
            municipality=office.municipality,
            reprinted_at=self._reporting.hub_now() if reprint else None,
            timezone=self._config.timezone)

    def print_cargo(self, expediente: ExpedienteView, reprint: bool = False) -> PrintOutcome:
        return self._print(self.cargo_layout(expediente, reprint), "cargo", expediente.id)

    def cargo_pdf(self, expediente: ExpedienteView, reprint: bool = False,
                  statement: IssuedStatement | None = None) -> bytes:
        office = self._reporting.identity()
        return cargo_pdf(
            expediente, office.name, office.tracking_url(expediente.tracking_code),
            municipality=office.municipality, reprint=reprint,
            reprinted_at=self._reporting.hub_now() if reprint else None,
            timezone=self._config.timezone, statement=statement)

    def save_cargo_pdf(self, expediente: ExpedienteView, reprint: bool = False) -> Path:
        """The A4 cargo, signed by the hub when the clerk is one who signs (issue 18), its
        QR then the hub's signed statement (decision 46) as on the copy."""
        signer = self.signer()
        statement = None
        if signer:
            statement = self._client.issue_statement(expediente.number,
                                                     StatementRequest(kind="cargo"))
            # The statement's digest covers the hub's data as it is now (a payment made at
            # another counter since this view was read): the paper is drawn from the same.
            expediente = self._client.expediente(expediente.number)
        data = self.cargo_pdf(expediente, reprint, statement)
        if signer:
            data = self._client.sign_document(
                expediente.number, SignRequest(kind="cargo", content=data)).content
        suffix = "-reimpresion" if reprint else ""
        return self._save_pdf(data, f"cargo-{_safe_name(expediente.number)}{suffix}.pdf")

    def signer(self) -> str:
        """The registrar who signs this document (issue 18): their name when the office has
        a certificate and the clerk is named to sign, "" otherwise (saved unsigned, as
        before). A registrar who has not given the certificate's password in this session
        is refused («signing_locked»): the window asks for it."""
        status = self._client.signing_status()
        if status.certificate is None or not status.may_sign:
            return ""
        if not status.unlocked:
            raise Conflict("signing_locked", "Para firmar el documento, ingrese la contraseña "
                                             "del certificado de firma (una vez por sesión).")
        return status.signer

    def save_partida_pdf(self, expediente: ExpedienteView, reprint: bool = False) -> Path:
        """The copia certificada of the acta the request names, one page per copy, signed
        by the hub when the registrar signs; a second issue of the same expediente
        (`reprint`) is marked DUPLICADO."""
        name = f"copia-certificada-{_safe_name(expediente.number)}.pdf"
        signer = self.signer()
        office = self._reporting.identity()
        # A signed copy's QR carries the hub's signed statement (decision 46), whose issue
        # time the copy prints.
        statement = (self._client.issue_statement(expediente.number,
                                                  StatementRequest(kind="copia"))
                     if signer else None)
        data = partida_pdf(expediente, office.name,
                           office.tracking_url(expediente.tracking_code),
                           statement.issued_at if statement else self._reporting.hub_now(),
                           municipality=office.municipality, reprint=reprint,
                           timezone=self._config.timezone, signed_by=signer,
                           statement=statement)
        if signer:
            data = self._client.sign_document(
                expediente.number, SignRequest(kind="copia", content=data)).content
        if reprint:
            name = name.replace(".pdf", "-duplicado.pdf")
        return self._save_pdf(data, name)

    def save_constancia_pdf(self, expediente: ExpedienteView, reprint: bool = False) -> Path:
        """The A4 constancia de silencio administrativo positivo (NoSilence, a ValueError,
        when the hub has no silence recorded on it); a second one says REIMPRESIÓN."""
        office = self._reporting.identity()
        data = constancia_pdf(expediente, office.name, self._reporting.hub_now(),
                              municipality=office.municipality, reprint=reprint,
                              timezone=self._config.timezone)
        suffix = "-reimpresion" if reprint else ""
        return self._save_pdf(
            data, f"constancia-silencio-{_safe_name(expediente.number)}{suffix}.pdf")

    def _save_pdf(self, data: bytes, name: str) -> Path:
        """Saved under `name`, or `name-2`, `-3`… when a file of that name is there already:
        a document saved earlier (the original, a reprint) is never overwritten."""
        folder = self.pdf_folder
        folder.mkdir(parents=True, exist_ok=True)
        return _save_new(folder, name, data)

    def receipt_layout(self, payment: PaymentView, expediente: ExpedienteView | None,
                       reprint: bool = False) -> Layout:
        office = self._reporting.identity()
        code = expediente.tracking_code if expediente is not None else ""
        return payment_receipt_layout(
            payment, office.name, office.tracking_url(code),
            expediente=expediente, municipality=office.municipality, reprint=reprint,
            width_mm=self._config.printer_width_mm, timezone=self._config.timezone)

    def print_receipt(self, payment: PaymentView, expediente: ExpedienteView | None,
                      reprint: bool = False) -> PrintOutcome:
        return self._print(self.receipt_layout(payment, expediente, reprint), "receipt",
                           payment.id)

    def closing_layout(self, closing: CashClosing, reprint: bool = False) -> Layout:
        office = self._reporting.identity()
        return cierre_layout(closing, office.name, municipality=office.municipality,
                             width_mm=self._config.printer_width_mm, reprint=reprint,
                             timezone=self._config.timezone)

    def print_closing(self, closing: CashClosing, reprint: bool = False) -> PrintOutcome:
        """Reported as a `cierre` job of `<date>:<username>`: the hub counts the prints."""
        return self._print(self.closing_layout(closing, reprint), "cierre",
                           closing.print_reference)

    def closing_pdf(self, closing: CashClosing) -> bytes:
        """The A4 cierre de caja, signed by the hub when the clerk is one who signs (issue 18;
        «signing_locked» when the password is still due); unsigned otherwise."""
        signer = self.signer()
        office = self._reporting.identity()
        data = cierre_pdf(closing, office.name, municipality=office.municipality,
                          timezone=self._config.timezone, signed_by=signer)
        if signer:
            data = self._client.sign_document(
                closing.print_reference,
                SignRequest(kind="cierre", content=data,
                            reference=closing.print_reference)).content
        return data

    def print_reclamo(self, reclamo: ReclamoView) -> PrintOutcome:
        """The hoja de reclamación, reported as a `reclamo` job of its number."""
        return self._reporting.print_reclamo(reclamo)


def counter_printer_for(client: HubClient, data_dir: DataDir) -> HubCounterPrinter:
    """The printer this PC's config names, printing what the hub says of the office."""
    return HubCounterPrinter(client, printer_config(data_dir), data_dir.root)
