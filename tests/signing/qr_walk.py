"""A copia certificada (and an A4 cargo) walked from filing to a signed PDF whose QR carries
the hub's signed statement (decision 46), on an office hub in-process: shared by the offline
tests, the kiosk's and the central page's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.ids import new_id
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import ExpedienteView, PaymentInput
from kiosk.services.signing_views import (
    CertificateImport,
    IssuedStatement,
    SigningUnlock,
    SignRequest,
    StatementRequest,
)
from kiosk.signing import statement as statements
from printing.pdf import cargo_pdf, partida_pdf
from tests.integration.test_expedientes import add_acta, edificacion, partida
from tests.signing.authority import P12_PASSWORD, Authority


@dataclass(frozen=True)
class SignedCopy:
    number: str
    statement: IssuedStatement
    unsigned: bytes
    signed: bytes
    document_id: str  # the document_signed event's


def set_up(office: OfficeHub, authority: Authority, public_url: str = "") -> None:
    office.import_signing_certificate(
        SYSTEM, CertificateImport(content=authority.p12, password=P12_PASSWORD))
    office.change_office_settings(SYSTEM, OfficeSettingsChange(
        signing_users="ana", **({"public_url": public_url} if public_url else {})))


def signed_copy(office: OfficeHub, clerk: DeviceIdentity, acta: str = "1001") -> SignedCopy:
    """Filed, paid (approved at once: art. 33), the statement issued, the copy drawn with it
    and signed by the hub, as the counter window does (ui/counter/printer.py)."""
    filed = office.file_expediente(clerk, partida(add_acta(office, number=acta)))
    office.pay(clerk, filed.number, PaymentInput(amount=filed.fee,
                                                 cash_received=Decimal("20")))
    office.unlock_signing(clerk, SigningUnlock(password=P12_PASSWORD))
    statement = office.issue_statement(clerk, filed.number, StatementRequest(kind="copia"))
    view = office.expediente(clerk, filed.number)
    unsigned = partida_pdf(view, "CAC Cajamarca", office.config.tracking_url(
        view.tracking_code), statement.issued_at,
        municipality="Municipalidad Provincial de Cajamarca", signed_by="Ana Torres Chávez",
        statement=statement)
    done = office.sign_document(clerk, filed.number,
                                SignRequest(kind="copia", content=unsigned))
    return SignedCopy(filed.number, statement, unsigned, done.content, done.document_id)


@dataclass(frozen=True)
class SignedCargo:
    number: str
    statement: IssuedStatement
    view: ExpedienteView  # what the counter drew the cargo from
    unsigned: bytes
    signed: bytes
    document_id: str


def signed_cargo(office: OfficeHub, clerk: DeviceIdentity) -> SignedCargo:
    """An edificación filed with some requirements missing, its A4 cargo drawn with the
    hub's `cargo` statement and signed, as the counter window does."""
    filed = office.file_expediente(clerk, edificacion())
    office.unlock_signing(clerk, SigningUnlock(password=P12_PASSWORD))
    statement = office.issue_statement(clerk, filed.number, StatementRequest(kind="cargo"))
    view = office.expediente(clerk, filed.number)
    unsigned = cargo_pdf(view, "CAC Cajamarca", office.config.tracking_url(view.tracking_code),
                         municipality="Municipalidad Provincial de Cajamarca",
                         statement=statement)
    done = office.sign_document(clerk, filed.number,
                                SignRequest(kind="cargo", content=unsigned))
    return SignedCargo(filed.number, statement, view, unsigned, done.content, done.document_id)


def old_form_cargo(hub: OfficeHub, number: str, clock: VirtualClock) -> str:
    """A cargo statement as the hub issued them before the wider digest (version 1)."""
    issued_on = clock.now().astimezone(hub.config.tz).date()
    return statements.sign(
        hub.office_keys.signing_key(clock.now()), document_id=new_id(), kind="cargo",
        number=number, acta_number="", issued_on=issued_on, version=1,
        digest=statements.content_digest(statements.document_fields("cargo", number,
                                                                    issued_on, None)))
