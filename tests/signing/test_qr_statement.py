"""The QR that proves itself (decision 46): the hub signs a compact statement with the office's
Ed25519 key before the copy is drawn; the QR carries it (central's /v/ URL) and the PDF's
Keywords too; `cac verify` checks it and the PAdES signature with no link; a tampered
statement, a rotated key (its old documents still valid) and a revoked one are told apart."""

from __future__ import annotations

import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
import qrcode
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import InvalidInput
from kiosk.hub import OfficeHub
from kiosk.ids import new_id
from kiosk.services.devices import DeviceIdentity
from kiosk.services.signing_views import SignRequest
from kiosk.signing import statement as statements
from kiosk.signing.office_keys import KEYS_FILE, PRIVATE_FILE, OfficeKeys
from kiosk.signing.verify import verify_pdf
from kiosk.storage.tables import Event
from printing.pdf.preview import pdf_page_image
from tests.conftest import START
from tests.signing.authority import Authority, make_authority
from tests.signing.qr_walk import set_up, signed_copy
from tests.signing.verify import tampered

PUBLIC = "https://tramites.munipuno.gob.pe"


@pytest.fixture(scope="module")
def authority() -> Authority:
    return make_authority(START)


def _token(key: Ed25519PrivateKey, issued_on: date, number: str = "PUN-2026-000123") -> str:
    return statements.sign(key, document_id=new_id(), kind="copia", number=number,
                           acta_number="2026-00012345", issued_on=issued_on,
                           digest=statements.content_digest([("a", "b")]))


def test_the_statement_fits_a_small_qr_and_tampering_is_refused(tmp_path: Path) -> None:
    keys = OfficeKeys(tmp_path / "signing", "office-1", tmp_path)
    key = keys.signing_key(START)
    token = _token(key, START.date())
    url = statements.verification_url(PUBLIC, token)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    assert code.version <= 10, (code.version, len(url))  # 57 modules: 0.56 mm at 32 mm
    verdict = statements.verify(url, keys.known())
    assert verdict.valid and verdict.statement is not None
    assert (verdict.statement.number, verdict.statement.issued_on) == ("PUN-2026-000123",
                                                                       START.date())
    # every single character changed, and a statement signed by a key nobody published
    raw = statements.token_from_url(url)
    for at in (0, 12, 40, len(raw) // 2, len(raw) - 2):
        swapped = raw[:at] + ("A" if raw[at] != "A" else "B") + raw[at + 1:]
        assert not statements.verify(swapped, keys.known()).valid
    forged = _token(Ed25519PrivateKey.generate(), START.date())
    assert statements.verify(forged, keys.known()).status == "unknown_key"
    assert statements.verify("hola", keys.known()).status == "malformed"
    # the private key is a private file, outside the database
    for name in (PRIVATE_FILE, KEYS_FILE):
        assert stat.S_IMODE((tmp_path / "signing" / name).stat().st_mode) == 0o600


def test_a_rotated_key_keeps_old_documents_and_a_revoked_one_says_firma_revocada(
        tmp_path: Path) -> None:
    keys = OfficeKeys(tmp_path / "signing", "office-1", tmp_path)
    first = keys.signing_key(START)
    old = _token(first, START.date())
    later = START + timedelta(days=30)
    rotated = keys.rotate(later)
    second = keys.signing_key(later)
    assert statements.verify(old, keys.known()).valid  # issued before the rotation
    assert statements.verify(_token(second, later.date()), keys.known()).valid
    # the retired key cannot speak for a day after its retirement
    after = statements.verify(_token(first, later.date() + timedelta(days=1)), keys.known())
    assert after.status == "out_of_validity" and not after.valid
    # revoked from a date: documents before it stay valid, from it on «firma revocada»
    revoke_at = later + timedelta(days=10)
    keys.revoke(rotated.key_id, revoke_at)
    assert statements.verify(_token(second, later.date()), keys.known()).valid
    revoked = statements.verify(_token(second, revoke_at.date()), keys.known())
    assert revoked.status == "revoked" and "Firma revocada" in revoked.message
    assert keys.current_id() not in (None, rotated.key_id)  # a new key took over


def test_a_signed_copy_carries_its_statement_in_the_qr_and_verifies_offline(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock, authority: Authority,
        tmp_path: Path, data_dir: DataDir, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    set_up(hub, authority, public_url=PUBLIC)
    copy = signed_copy(hub, clerk)
    assert copy.statement.url.startswith(PUBLIC + "/v/")
    # the QR as a phone reads it from the rendered page
    read = [c.text for c in zxingcpp.read_barcodes(pdf_page_image(copy.signed, 0, 150))]
    assert read == [copy.statement.url]
    verdict = statements.verify(read[0], hub.office_keys.known())
    assert verdict.valid and verdict.statement is not None
    assert verdict.statement.document_id == copy.document_id  # the event names the same id
    assert verdict.statement.number == copy.number
    view = hub.expediente(clerk, copy.number)
    assert view.acta is not None and verdict.statement.acta_number == view.acta.acta_number
    # its digest is of what the copy certifies, computable by anyone holding the data
    assert verdict.statement.digest == statements.content_digest(statements.document_fields(
        "copia", copy.number, clock.now().date(), view.acta))
    with hub.store.read_session() as session:
        (data,) = session.scalars(select(Event.data).where(Event.kind == "document_signed"))
    assert data["document_id"] == copy.document_id

    found = verify_pdf(copy.signed, hub.office_keys.known())
    assert found.valid and found.signed and "Registro Civil" in found.signer
    changed = verify_pdf(tampered(copy.signed, b"COPIA CERTIFICADA" if b"COPIA CERTIFICADA"
                                  in copy.signed else b"/Producer"), hub.office_keys.known())
    assert not changed.signed and not changed.valid

    # `cac verify FILE.pdf` on the office PC, no link at all (the commands on the test clock)
    import kiosk.cli
    from kiosk.cli import main

    opened = kiosk.cli.office_hub
    monkeypatch.setattr(kiosk.cli, "office_hub",
                        lambda folder, _clock=None: opened(folder, clock))

    path = tmp_path / "copia.pdf"
    path.write_bytes(copy.signed)
    hub.close()
    assert main(["verify", str(path), "--data-dir", str(data_dir.root)]) == 0
    out = capsys.readouterr().out
    assert "Documento auténtico" in out and copy.number in out and "íntegra" in out
    path.write_bytes(copy.signed + b"%% appended\n")
    assert main(["verify", str(path), "--data-dir", str(data_dir.root)]) == 1
    assert "NO VÁLIDA" in capsys.readouterr().out
    forged = _token(Ed25519PrivateKey.generate(), START.date())
    assert main(["verify", forged, "--data-dir", str(data_dir.root)]) == 1
    assert "No reconocemos la clave" in capsys.readouterr().out
    # rotation from the console a day later: the copy signed before it still verifies
    clock.set(clock.now() + timedelta(days=1))
    assert main(["signing", "rotate-key", "--data-dir", str(data_dir.root)]) == 0
    capsys.readouterr()
    assert main(["verify", copy.statement.url, "--data-dir", str(data_dir.root)]) == 0
    # revoked as of the copy's day: «firma revocada»
    clock.set(clock.now() - timedelta(days=1))
    key_id = statements.parse(copy.statement.statement)[0].key_id
    assert main(["signing", "revoke-key", key_id, "--data-dir", str(data_dir.root)]) == 0
    capsys.readouterr()
    path.write_bytes(copy.signed)  # the file intact: only the key's revocation speaks
    assert main(["verify", str(path), "--data-dir", str(data_dir.root)]) == 1
    out = capsys.readouterr().out
    assert "Firma revocada" in out and "íntegra" in out


def test_a_statement_of_another_document_is_not_signed_into_a_copy(
        hub: OfficeHub, clerk: DeviceIdentity, authority: Authority) -> None:
    set_up(hub, authority)
    first = signed_copy(hub, clerk, acta="1001")
    other = signed_copy(hub, clerk, acta="1002")
    assert first.statement.url == ""  # no public address: the QR carries the bare statement
    assert zxingcpp.read_barcodes(pdf_page_image(first.signed, 0, 150))[0].text == \
        first.statement.statement
    # the PDF of one expediente with the statement of another: refused before signing
    swapped = first.unsigned.replace(first.statement.statement.encode(),
                                     other.statement.statement.encode())
    assert swapped != first.unsigned
    with pytest.raises(InvalidInput) as caught:
        hub.sign_document(clerk, first.number, SignRequest(kind="copia", content=swapped))
    assert caught.value.code == "wrong_statement"
