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
from datetime import timedelta

from kiosk.errors import Conflict, Forbidden, InvalidInput, Unauthorized
from kiosk.hub.core import SYSTEM, HubCore
from kiosk.ids import new_id
from kiosk.rules.permissions import Role
from kiosk.rules.text import checked_text_arguments
from kiosk.services import admin_audit, expedientes
from kiosk.services.devices import ClerkRef, DeviceIdentity
from kiosk.services.documents import check_copy_ready
from kiosk.services.signing_views import (
    CertificateImport,
    SignedDocument,
    SigningStatus,
    SigningUnlock,
    SignRequest,
)
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.users import SESSION_HOURS
from kiosk.signing.certificate import CertificateFolder
from kiosk.signing.keyring import Keyring
from kiosk.signing.link import TimestampLink

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
        signed = pades.sign_pdf(
            request.content, pades.pdf_signer(opened), name=clerk.full_name,
            reason=REASONS[request.kind],
            place=self.config.signing_place or self.config.office_name, link=state.link,
            now=now)
        document_id = new_id()
        data = {"document_id": document_id, "document": request.kind, "sha256": signed.sha256,
                "signer": clerk.full_name, "timestamped": signed.timestamped,
                "certificate_serial": f"{opened.certificate.serial_number:X}"}
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
