"""The digital signature (issue 18): the admin imports the municipality's certificate, a
registrar unlocks it once per session with its password, and the hub signs the PDFs the
counter makes (copia certificada, cargo de recepción, cierre de caja) as PAdES.

The signing happens here, on the hub PC, where the certificate is: a counter PC sends the PDF
and gets it back signed; the key never leaves the office folder and its password is never
written. Each signature is an event (who, what, the signed file's SHA-256 and its document id),
so the office knows every document it signed, and a signed QR statement can name it later.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from kiosk.hub.core import SYSTEM, HubCore
from kiosk.ids import new_id
from kiosk.rules.permissions import Role
from kiosk.rules.text import checked_text_arguments
from kiosk.services import admin_audit, calendar_days, expedientes
from kiosk.services.devices import ClerkRef, DeviceIdentity
from kiosk.services.documents import check_copy_ready
from kiosk.services.registry import acta_view
from kiosk.services.signing_views import (
    CertificateImport,
    IssuedStatement,
    SignedDocument,
    SigningStatus,
    SigningUnlock,
    SignRequest,
    StatementCheck,
    StatementRequest,
    StatementVerdict,
)
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.users import SESSION_HOURS
from kiosk.signing import statement as statements
from kiosk.signing.certificate import CertificateFolder
from kiosk.signing.keyring import Keyring
from kiosk.signing.link import TimestampLink
from kiosk.signing.office_keys import OfficeKeys
from kiosk.storage.tables import Acta, Event, Expediente

SIGNED_EVENT = "document_signed"
REASONS = {
    "copia": "Copia certificada: concuerda con el acta que obra en el Registro del Estado Civil",
    "cargo": "Cargo de recepción del expediente",
    "cierre": "Cierre de caja",
}

_STATE_LOCK = threading.Lock()


class _SigningState:
    """What the hub holds for signing while it runs: the unlocked keys, the timestamp link."""

    def __init__(self) -> None:
        self.keyring = Keyring(timedelta(hours=SESSION_HOURS))
        self.link = TimestampLink("")


@checked_text_arguments  # no control characters in any text argument; names cleaned
class SigningFacade(HubCore):
    """The signing certificate, its unlocking per session, and signed documents."""

    def _signing(self) -> _SigningState:
        with _STATE_LOCK:
            state: _SigningState | None = self.__dict__.get("_signing_state")
            if state is None:
                state = self.__dict__["_signing_state"] = _SigningState()
            if state.link.url != self.config.timestamp_url:  # the admin changed it
                state.link = TimestampLink(self.config.timestamp_url)
            return state

    @property
    def certificate_folder(self) -> CertificateFolder:
        return CertificateFolder(self.data_dir.signing, self.data_dir.root)

    @property
    def office_keys(self) -> OfficeKeys:
        """The office's Ed25519 key for QR statements and the public keys known here."""
        return OfficeKeys(self.data_dir.signing, self.office.office_id, self.data_dir.root)

    def issue_statement(self, device: DeviceIdentity, number: str, request: StatementRequest
                        ) -> IssuedStatement:
        """The signed statement the QR of a copy (or cargo) of expediente `number` carries,
        made before the document is drawn: its digest covers the document's data
        (`statements.document_fields`; a cargo's, `statements.cargo_fields` read here from the
        hub's own records), its id is the one the signature's event will carry."""
        self.allow(device, "documents.sign")
        self._signer(device)
        now = self.clock.now()
        issued_on = now.astimezone(self.config.tz).date()
        with self.store.read_session() as session:
            found = expedientes.find_expediente(session, self.office.office_id, number)
            acta = None
            if request.kind == "copia":
                check_copy_ready(found)
                row = session.get(Acta, found.acta_id)
                assert row is not None
                acta = acta_view(row, issued_on)
            reference = found.number
            fields = (self._cargo_fields(session, found, issued_on) if request.kind == "cargo"
                      else statements.document_fields(request.kind, reference, issued_on, acta))
        digest = statements.content_digest(fields)
        document_id = new_id()
        token = statements.sign(self.office_keys.signing_key(now), document_id=document_id,
                                kind=request.kind, number=reference,
                                acta_number=acta.acta_number if acta else "",
                                issued_on=issued_on, digest=digest)
        return IssuedStatement(document_id=document_id, kind=request.kind, reference=reference,
                               issued_at=now, statement=token,
                               url=statements.verification_url(self.config.public_address,
                                                               token))

    def check_statement(self, device: DeviceIdentity, check: StatementCheck
                        ) -> StatementVerdict:
        """A statement checked with the keys this hub holds (its own and every office's
        pulled from central): no link needed."""
        self.allow(device, "expedientes.public")
        verdict = self.verify_statement(check.code)
        return StatementVerdict(valid=verdict.valid, status=verdict.status,
                                message=verdict.message,
                                rows=statements.describe(verdict.statement, verdict.fields)
                                if verdict.statement and verdict.status in ("valid", "revoked")
                                else [])

    def verify_statement(self, code: str) -> statements.Verdict:
        """A statement checked with the keys held here and, when its digest covers a cargo's
        data, against this office's record of that cargo (`signed_records`)."""
        verdict = statements.verify(code, self.office_keys.known())
        if verdict.statement is None or not statements.covers_content(verdict.statement):
            return verdict
        return statements.check_content(
            verdict, statements.recorded_fields(self.signed_records(verdict.statement)))

    def signed_records(self, statement: statements.Statement) -> list[dict[str, Any]]:
        """The `document_signed` events' data of the document a statement names (its SHA-256,
        and for a cargo the fields its digest covers): none when this office signed no such
        document, more than one when a signing was retried with the same statement."""
        with self.store.read_session() as session:
            try:
                found = expedientes.find_expediente(session, self.office.office_id,
                                                    statement.number)
            except NotFound:
                return []
            return [dict(data) for data in session.scalars(select(Event.data).where(
                Event.stream == "expediente", Event.stream_id == found.id,
                Event.kind == SIGNED_EVENT)) if data.get("document_id") == statement.document_id]

    def _cargo_fields(self, session: Session, found: Expediente, issued_on: date
                      ) -> list[tuple[str, str]]:
        """A cargo's fields from the hub's own view of the expediente."""
        today = self.office.business_date(self.clock.now())
        view = expedientes.expediente_view(session, found, today,
                                           calendar_days.office_calendar(session, self.office))
        return statements.cargo_fields_of(view, issued_on, self.config.tz)

    def _stated(self, stated: str, kind: str, reference: str) -> statements.Statement | None:
        """The statement a PDF carries (its Keywords), checked to be this office's, of this
        document; None when it carries none (signed without a QR statement: a new id)."""
        token = statements.statement_in_keywords(stated)
        if token is None:
            return None
        verdict = statements.verify(token, self.office_keys.own())
        if (not verdict.valid or verdict.statement is None
                or verdict.statement.number != reference or verdict.statement.kind != kind):
            raise InvalidInput("wrong_statement",
                               "El código de verificación del PDF no corresponde a este "
                               "documento: genérelo de nuevo antes de firmarlo.")
        return verdict.statement

    def _may_sign(self, device: DeviceIdentity) -> bool:
        clerk = device.clerk
        names = {n.strip() for n in self.config.signing_users.split(",") if n.strip()}
        return clerk is not None and clerk.username in names

    def signing_status(self, device: DeviceIdentity) -> SigningStatus:
        """The certificate (its public part), and whether the caller signs and has unlocked."""
        self.allow(device, "signing.read")
        now = self.clock.now()
        clerk = device.clerk
        unlocked = clerk is not None and self._signing().keyring.get(clerk.session_id,
                                                                       now) is not None
        may_sign = self._may_sign(device)
        return SigningStatus(certificate=self.certificate_folder.describe(now),
                             may_sign=may_sign, unlocked=unlocked,
                             signer=clerk.full_name if may_sign and clerk else "",
                             timestamp_url=self.config.timestamp_url)

    def import_signing_certificate(self, device: DeviceIdentity, certificate: CertificateImport
                                   ) -> SigningStatus:
        """The admin's PKCS#12 file, opened with its password to check it, kept in the office
        folder (never the password); every unlocked key is forgotten (it was the old one)."""
        actor = self._admin(device, "admin.write")
        now = self.clock.now()
        view = self.certificate_folder.import_p12(certificate.content, certificate.password, now)
        self._signing().keyring.clear()

        def audit(uow: UnitOfWork) -> None:
            admin_audit.record(uow, actor, "office", self.office.office_id,
                               "signing_certificate_imported",
                               {"holder": view.holder, "issuer": view.issuer,
                                "serial": view.serial, "fingerprint": view.fingerprint,
                                "valid_until": view.valid_until.isoformat()})

        self._write(device, "admin.write", audit)
        return self.signing_status(device) if device is not SYSTEM else SigningStatus(
            certificate=view, timestamp_url=self.config.timestamp_url)

    def unlock_signing(self, device: DeviceIdentity, unlock: SigningUnlock) -> SigningStatus:
        """The registrar's password opens the key for this session (in memory only)."""
        self.allow(device, "documents.sign")
        clerk = self._signer(device)
        now = self.clock.now()
        state = self._signing()
        state.keyring.admit(clerk.user_id, now)
        try:
            opened = self.certificate_folder.unlock(unlock.password, now)
        except Unauthorized:
            state.keyring.failed(clerk.user_id, now)
            raise
        state.keyring.succeeded(clerk.user_id)
        from kiosk.signing import pades  # noqa: F401 - pyHanko's second, now, not at the first copy

        state.keyring.put(clerk.session_id, opened, now)
        return self.signing_status(device)

    def _signer(self, device: DeviceIdentity) -> ClerkRef:
        clerk = device.clerk
        if clerk is None or not self._may_sign(device):
            raise Forbidden("not_a_signer",
                            "Su usuario no firma documentos: el administrador indica quién "
                            "firma en Administración › Firma digital.")
        return clerk

    def sign_document(self, device: DeviceIdentity, number: str, request: SignRequest
                      ) -> SignedDocument:
        """`request.content` (a PDF of expediente `number`, or a cierre) signed with the
        certificate the caller unlocked; recorded as an event with its digest."""
        self.allow(device, "documents.sign")
        clerk = self._signer(device)
        now = self.clock.now()
        state = self._signing()
        opened = state.keyring.get(clerk.session_id, now)
        if opened is None:
            raise Conflict("signing_locked",
                           "Para firmar, ingrese la contraseña del certificado (una vez por "
                           "sesión).")
        if now > opened.certificate.not_valid_after_utc:  # it expired during the session
            raise Conflict("signing_expired",
                           "El certificado de firma venció el "
                           f"{opened.certificate.not_valid_after_utc:%d/%m/%Y}: el "
                           "administrador debe importar el vigente.")
        from kiosk.signing import pades  # pyHanko: imported by the unlock already

        if request.kind == "cierre":
            reference = request.reference.strip()
            names = ["cierre de caja", reference.rpartition(":")[2]]  # its day and user
            if names[1] != clerk.username and clerk.role not in (Role.SUPERVISOR, Role.ADMIN):
                raise Forbidden("forbidden", "Solo puede firmar su propio cierre de caja; el "
                                             "de otro usuario lo firma un supervisor.")
        else:  # checked before the work of signing: it exists, a copy is due
            with self.store.read_session() as session:
                found = expedientes.find_expediente(session, self.office.office_id, number)
                if request.kind == "copia":
                    check_copy_ready(found)
                reference = found.number
            names = [reference]
        # The PDF names what it is about (printing/pdf writes its Keywords): a file of another
        # expediente or cierre is not signed by mistake.
        stated = pades.keywords(request.content)
        if not reference or any(not name or name not in stated for name in names):
            raise InvalidInput("wrong_document",
                               f"El PDF no corresponde a «{reference[:40]}»: genere el "
                               "documento de nuevo antes de firmarlo.")
        statement = self._stated(stated, request.kind, reference)
        fields = None
        if statement is not None and statements.covers_content(statement):
            # The cargo's data read again: what the event records is what the QR's digest
            # covers, or the expediente changed since the statement was issued.
            with self.store.read_session() as session:
                fields = self._cargo_fields(session, expedientes.find_expediente(
                    session, self.office.office_id, reference), statement.issued_on)
            if statements.content_digest(fields) != statement.digest:
                raise InvalidInput("wrong_statement",
                                   "El expediente cambió después de generar el código de "
                                   "verificación: genere el cargo de nuevo antes de firmarlo.")
        signed = pades.sign_pdf(
            request.content, pades.pdf_signer(opened), name=clerk.full_name,
            reason=REASONS[request.kind],
            place=self.config.signing_place or self.config.office_name, link=state.link,
            now=now)
        document_id = statement.document_id if statement else new_id()
        data = {"document_id": document_id, "document": request.kind, "sha256": signed.sha256,
                "signer": clerk.full_name, "timestamped": signed.timestamped,
                "certificate_serial": f"{opened.certificate.serial_number:X}"}
        if fields is not None:  # what the cargo says, for whoever checks its QR later
            data["fields"] = [list(field) for field in fields]
        actor = self._actor(device)
        if request.kind == "cierre":
            self._write(device, "documents.sign", lambda uow: uow.record(
                "cash_closing", reference, SIGNED_EVENT,
                {**data, **expedientes.actor_data(uow.session, actor)}, actor.device_id))
        else:
            self._write(device, "documents.sign", lambda uow: expedientes.record(
                uow, expedientes.find_expediente(uow.session, self.office.office_id, reference),
                SIGNED_EVENT, actor, **data))
        return SignedDocument(document_id=document_id, kind=request.kind, reference=reference,
                              sha256=signed.sha256, signer=clerk.full_name, signed_at=now,
                              timestamped=signed.timestamped, content=signed.content)
