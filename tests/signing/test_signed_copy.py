"""A copia certificada walked from filing to a signed PDF: the admin imports the
municipality's certificate (a throwaway CA's), names the registrar who signs, the registrar
unlocks it with its password once per session, and the hub signs the copy as PAdES. Both
verifiers accept it (pyHanko's and poppler's pdfsig); a byte changed afterwards fails both."""

from __future__ import annotations

import hashlib
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.client import HubClient
from kiosk.clock import VirtualClock
from kiosk.errors import CacError, Conflict, Forbidden, Unauthorized
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.expediente_views import PaymentInput
from kiosk.services.signing_views import CertificateImport, SigningUnlock, SignRequest
from kiosk.storage.backup import backup_database
from kiosk.storage.tables import Event
from printing.pdf import cierre_pdf, partida_pdf
from tests.conftest import START, Connect
from tests.integration.test_expedientes import add_acta, partida
from tests.signing.authority import P12_PASSWORD, Authority, make_authority
from tests.signing.verify import pdfsig_accepts, pdfsig_report, pyhanko_verdict, tampered

URL = "https://tramites.cajamarca.gob.pe/t/"


@pytest.fixture(scope="module")
def authority() -> Authority:
    return make_authority(START)


def refused(kind: type[CacError], code: str, call: object) -> str:
    with pytest.raises(kind) as caught:
        call()  # type: ignore[operator]
    assert caught.value.code == code, caught.value.message
    return caught.value.message


def set_up_signing(connect: Connect, authority: Authority, users: str = "ana") -> HubClient:
    admin = connect("admin")
    status = admin.import_signing_certificate(
        CertificateImport(content=authority.p12, password=P12_PASSWORD))
    assert status.certificate is not None
    assert status.certificate.holder == "Registro Civil - Firma de prueba"
    assert status.certificate.organisation == "Municipalidad Provincial de Cajamarca"
    admin.change_office_settings(OfficeSettingsChange(signing_users=users,
                                                      signing_place="Cajamarca, Perú"))
    return admin


def approved_copy(hub: OfficeHub, counter: HubClient, clock: VirtualClock, acta: str = "1001"
                  ) -> tuple[str, bytes]:
    """A paid partida whose acta is linked (approved at once) and its copy as the counter
    makes it."""
    filed = counter.file_expediente(partida(add_acta(hub, number=acta)))
    counter.pay(filed.number, PaymentInput(amount=filed.fee, cash_received=Decimal("20")))
    expediente = counter.expediente(filed.number)
    assert expediente.status == "aprobado"
    return filed.number, partida_pdf(expediente, "CAC Cajamarca",
                                     URL + expediente.tracking_code, clock.now(),
                                     municipality="Municipalidad Provincial de Cajamarca")


def test_a_certified_copy_signed_by_the_registrar_verifies_and_tampering_fails(
        hub: OfficeHub, connect: Connect, clock: VirtualClock, authority: Authority,
        tmp_path: Path) -> None:
    set_up_signing(connect, authority)
    counter = connect("counter", counter=3)  # «ana», the registrar
    number, copy = approved_copy(hub, counter, clock)
    status = counter.signing_status()
    assert (status.may_sign, status.unlocked) == (True, False)
    assert status.certificate is not None and not status.certificate.expired

    request = SignRequest(kind="copia", content=copy)
    refused(Conflict, "signing_locked", lambda: counter.sign_document(number, request))
    refused(Unauthorized, "signing_password",
            lambda: counter.unlock_signing(SigningUnlock(password="no-es-la-clave")))
    assert counter.unlock_signing(SigningUnlock(password=P12_PASSWORD)).unlocked

    signed = counter.sign_document(number, request)
    assert signed.content.startswith(copy)  # an incremental update: the copy, then the signature
    assert signed.sha256 == hashlib.sha256(signed.content).hexdigest()
    assert (signed.kind, signed.reference, signed.signer) == ("copia", number,
                                                              "Ana Torres Chávez")
    assert not signed.timestamped  # no timestamp server set

    verdict = pyhanko_verdict(signed.content, authority.root)
    assert verdict.intact and verdict.valid and verdict.covers_whole_file
    assert "Registro Civil - Firma de prueba" in verdict.signer
    assert verdict.name == "Ana Torres Chávez" and verdict.location == "Cajamarca, Perú"
    assert verdict.reason.startswith("Copia certificada")
    assert verdict.signing_time == clock.now()  # the hub's clock, not the PC's
    report = pdfsig_report(signed.content, tmp_path)
    assert pdfsig_accepts(report), report
    assert "ETSI.CAdES.detached" in report  # PAdES
    assert "Signing Time: Nov 20 2026" in report

    changed = tampered(signed.content, b"COPIA CERTIFICADA" if b"COPIA CERTIFICADA"
                       in signed.content else b"/Producer")
    assert not pyhanko_verdict(changed, authority.root).intact
    report = pdfsig_report(changed, tmp_path)
    assert not pdfsig_accepts(report) and "Digest Mismatch" in report, report

    # The hub knows what it signed: the digest and the id a signed QR statement will name.
    with hub.store.read_session() as session:
        (data,) = session.scalars(select(Event.data).where(Event.kind == "document_signed"))
    assert data["sha256"] == signed.sha256
    assert data["document_id"] == signed.document_id
    assert (data["document"], data["number"]) == ("copia", number)
    assert counter.expediente(number).events[-1].kind == "document_signed"
    assert hub.verify_audit(SYSTEM).ok  # chained, and the expediente replays the same


def test_only_the_named_registrar_signs_and_a_pdf_of_another_expediente_is_refused(
        hub: OfficeHub, connect: Connect, clock: VirtualClock, authority: Authority) -> None:
    set_up_signing(connect, authority, users="ana")
    supervisor = connect("supervisor")  # «rosa»: staff, but not named to sign
    assert not supervisor.signing_status().may_sign
    refused(Forbidden, "not_a_signer",
            lambda: supervisor.unlock_signing(SigningUnlock(password=P12_PASSWORD)))
    counter = connect("counter", counter=3)
    number, copy = approved_copy(hub, counter, clock)
    other, _ = approved_copy(hub, counter, clock, acta="1002")
    counter.unlock_signing(SigningUnlock(password=P12_PASSWORD))
    refused(CacError, "wrong_document", lambda: counter.sign_document(
        other, SignRequest(kind="copia", content=copy)))
    refused(CacError, "invalid_pdf", lambda: counter.sign_document(
        number, SignRequest(kind="copia", content=b"%PDF-1.7 no es un PDF")))
    # A damaged file that still names the expediente: refused in Spanish, never a 500.
    at = copy.index(b"startxref")
    for broken in (copy[:at], copy[:at] + b"startxref\n99999999\n%%EOF\n",
                   copy.replace(b"/Root", b"/Rxxt", 1)):
        refused(CacError, "invalid_pdf", lambda broken=broken: counter.sign_document(
            number, SignRequest(kind="copia", content=broken)))


def test_a_cierre_de_caja_is_signed_too(hub: OfficeHub, connect: Connect, clock: VirtualClock,
                                        authority: Authority, tmp_path: Path) -> None:
    set_up_signing(connect, authority)
    counter = connect("counter", counter=3)
    approved_copy(hub, counter, clock)
    closing = counter.cash_closing()
    pdf = cierre_pdf(closing, "CAC Cajamarca")
    counter.unlock_signing(SigningUnlock(password=P12_PASSWORD))
    signed = counter.sign_document(closing.print_reference, SignRequest(
        kind="cierre", content=pdf, reference=closing.print_reference))
    assert pyhanko_verdict(signed.content, authority.root).valid
    assert pdfsig_accepts(pdfsig_report(signed.content, tmp_path))
    assert hub.verify_audit(SYSTEM).ok
    other = closing.print_reference.replace(":ana", ":luis")  # another cashier's: refused
    refused(Forbidden, "forbidden", lambda: counter.sign_document(other, SignRequest(
        kind="cierre", content=pdf.replace(b"ana", b"luis"), reference=other)))


def test_the_certificate_stays_out_of_the_database_and_its_password_is_written_nowhere(
        hub: OfficeHub, connect: Connect, authority: Authority) -> None:
    set_up_signing(connect, authority)
    folder = hub.data_dir.signing
    assert (folder / "certificate.p12").read_bytes() == authority.p12
    if stat.S_IMODE(folder.stat().st_mode) != 0o700 or any(
            stat.S_IMODE(f.stat().st_mode) != 0o600 for f in folder.iterdir()):
        pytest.fail("the signing folder must be the hub user's alone")
    backup = backup_database(hub.data_dir.database, hub.data_dir.backups, "prueba")
    everything = [p for p in hub.data_dir.root.rglob("*") if p.is_file()]
    assert backup in everything
    for path in everything:
        content = path.read_bytes()
        assert P12_PASSWORD.encode() not in content, path
        if not path.is_relative_to(folder):
            assert authority.p12[:64] not in content, path
