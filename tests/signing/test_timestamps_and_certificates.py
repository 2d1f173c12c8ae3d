"""The timestamp: a server answering RFC 3161 on loopback when the link is up (the signature
carries its token), none when it is down (signed at once, valid all the same, and the server
left alone for a while). And the certificates an admin may not import."""

from __future__ import annotations

import socket
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from kiosk.clock import VirtualClock
from kiosk.errors import CacError, InvalidInput, Unauthorized
from kiosk.hub import OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.signing_views import CertificateImport, SigningUnlock, SignRequest
from kiosk.signing.certificate import CertificateFolder, open_p12
from kiosk.signing.keyring import FAILURE_PAUSE, MAX_FAILURES
from kiosk.signing.link import LINK_RETRY, TimestampLink
from kiosk.signing.pades import pdf_signer, sign_pdf
from tests.conftest import START, Connect
from tests.signing.authority import P12_PASSWORD, Authority, loopback_tsa, make_authority
from tests.signing.test_signed_copy import approved_copy, set_up_signing
from tests.signing.verify import pdfsig_accepts, pdfsig_report, pyhanko_verdict

NOW = START.astimezone(UTC)


@pytest.fixture(scope="module")
def authority() -> Authority:
    return make_authority(START)


def closed_port_url() -> str:
    """A loopback address where nothing listens: the link is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"


def test_with_the_link_up_the_signature_carries_the_servers_timestamp(
        hub: OfficeHub, connect: Connect, clock: VirtualClock, authority: Authority,
        tmp_path: Path) -> None:
    admin = set_up_signing(connect, authority)
    counter = connect("counter", counter=3)
    number, copy = approved_copy(hub, counter, clock)
    counter.unlock_signing(SigningUnlock(password=P12_PASSWORD))
    with loopback_tsa(authority) as url:
        admin.change_office_settings(OfficeSettingsChange(timestamp_url=url))
        assert counter.signing_status().timestamp_url == url
        signed = counter.sign_document(number, SignRequest(kind="copia", content=copy))
    assert signed.timestamped
    verdict = pyhanko_verdict(signed.content, authority.root)
    assert verdict.valid and verdict.timestamped
    assert pdfsig_accepts(pdfsig_report(signed.content, tmp_path))


def test_with_the_link_down_the_document_is_signed_without_a_timestamp_and_verifies(
        hub: OfficeHub, connect: Connect, clock: VirtualClock, authority: Authority,
        tmp_path: Path) -> None:
    admin = set_up_signing(connect, authority)
    admin.change_office_settings(OfficeSettingsChange(timestamp_url=closed_port_url()))
    counter = connect("counter", counter=3)
    number, copy = approved_copy(hub, counter, clock)
    counter.unlock_signing(SigningUnlock(password=P12_PASSWORD))
    signed = counter.sign_document(number, SignRequest(kind="copia", content=copy))
    assert not signed.timestamped
    verdict = pyhanko_verdict(signed.content, authority.root)
    assert verdict.valid and not verdict.timestamped
    assert pdfsig_accepts(pdfsig_report(signed.content, tmp_path))


def test_after_a_failure_the_server_is_left_alone_for_a_while_then_asked_again(
        authority: Authority) -> None:
    signer = pdf_signer(open_p12(authority.p12, P12_PASSWORD))
    pdf = bytes(_blank_pdf())
    link = TimestampLink(closed_port_url(), timeout_s=2)
    first = sign_pdf(pdf, signer, name="Ana", reason="r", place="p", link=link, now=NOW)
    assert not first.timestamped
    assert link.timestamper(NOW + LINK_RETRY / 2) is None  # no new wait per document
    with loopback_tsa(authority) as url:
        link.url = url  # the same server, back up
        later = NOW + LINK_RETRY + timedelta(seconds=1)
        assert link.timestamper(later) is not None
        again = sign_pdf(pdf, signer, name="Ana", reason="r", place="p", link=link, now=later)
    assert again.timestamped
    assert pyhanko_verdict(again.content, authority.root).timestamped


def _blank_pdf() -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    return bytes(document.output())


# --- what the admin may not import ---------------------------------------------------------


@pytest.mark.parametrize(("case", "kind", "code"), [
    ("wrong password", Unauthorized, "signing_password"),
    ("not a PKCS#12 file", Unauthorized, "signing_password"),
    ("expired", InvalidInput, "signing_expired"),
    ("encryption only", InvalidInput, "signing_key_usage"),
])
def test_an_unusable_certificate_is_refused_in_spanish_and_nothing_is_kept(
        tmp_path: Path, case: str, kind: type[CacError], code: str) -> None:
    content, password = {
        "wrong password": (make_authority(START).p12, "otra"),
        "not a PKCS#12 file": (b"-----BEGIN CERTIFICATE-----\nno\n", P12_PASSWORD),
        "expired": (make_authority(START - timedelta(days=400), days=30).p12, P12_PASSWORD),
        "encryption only": (make_authority(START, sign=False).p12, P12_PASSWORD),
    }[case]
    folder = CertificateFolder(tmp_path / "signing", tmp_path)
    with pytest.raises(kind) as caught:
        folder.import_p12(content, password, NOW)
    assert caught.value.code == code
    assert caught.value.message[0].isupper() and "certificado" in caught.value.message
    assert not folder.p12_file.exists() and folder.describe(NOW) is None


def test_an_admin_alone_imports_and_a_copy_made_before_the_certificate_cannot_be_signed(
        hub: OfficeHub, connect: Connect, clock: VirtualClock, authority: Authority) -> None:
    with pytest.raises(CacError) as caught:
        connect("supervisor").import_signing_certificate(
            CertificateImport(content=authority.p12, password=P12_PASSWORD))
    assert caught.value.code == "forbidden"
    connect("admin").change_office_settings(OfficeSettingsChange(signing_users="ana"))
    counter = connect("counter", counter=3)
    assert counter.signing_status().certificate is None
    with pytest.raises(CacError) as caught:
        counter.unlock_signing(SigningUnlock(password=P12_PASSWORD))
    assert caught.value.code == "no_signing_certificate"


def test_the_key_is_unlocked_for_one_session_only(hub: OfficeHub, connect: Connect,
                                                  clock: VirtualClock,
                                                  authority: Authority) -> None:
    set_up_signing(connect, authority)
    counter = connect("counter", counter=3)
    number, copy = approved_copy(hub, counter, clock)
    assert counter.unlock_signing(SigningUnlock(password=P12_PASSWORD)).unlocked
    counter.logout()
    counter.login("ana", "2468", counter=3)  # the same registrar, a new session
    assert not counter.signing_status().unlocked
    with pytest.raises(CacError) as caught:
        counter.sign_document(number, SignRequest(kind="copia", content=copy))
    assert caught.value.code == "signing_locked"


def test_wrong_passwords_are_throttled_and_an_expired_certificate_stops_signing(
        hub: OfficeHub, connect: Connect, clock: VirtualClock, authority: Authority) -> None:
    set_up_signing(connect, authority)
    counter = connect("counter", counter=3)
    number, copy = approved_copy(hub, counter, clock)
    for _attempt in range(MAX_FAILURES):
        with pytest.raises(CacError) as caught:
            counter.unlock_signing(SigningUnlock(password="adivinando"))
        assert caught.value.code == "signing_password"
    with pytest.raises(CacError) as caught:  # the right one too, for a while
        counter.unlock_signing(SigningUnlock(password=P12_PASSWORD))
    assert caught.value.code == "signing_throttled" and "espere 15 minutos" in \
        caught.value.message
    clock.advance(FAILURE_PAUSE)
    assert counter.unlock_signing(SigningUnlock(password=P12_PASSWORD)).unlocked

    clock.set(authority.signer.not_valid_after_utc - timedelta(minutes=1))
    counter = connect("counter", counter=3)  # a session open when the certificate expires
    counter.unlock_signing(SigningUnlock(password=P12_PASSWORD))
    clock.advance(timedelta(minutes=2))
    with pytest.raises(CacError) as caught:
        counter.sign_document(number, SignRequest(kind="copia", content=copy))
    assert caught.value.code == "signing_expired"
