"""The signed cargo's QR proves what the cargo says (decision 46, addendum): its digest covers
the filing time, the applicant, the procedure, the requirements presented and the amount paid,
read by the hub from its own records; the hub, `cac verify` and the kiosk recompute it from what
the office recorded when it signed the cargo; a cargo statement of the old form (three fields)
still verifies."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import InvalidInput
from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import PaymentInput
from kiosk.services.signing_views import SignRequest, StatementCheck, StatementRequest
from kiosk.signing import pades
from kiosk.signing import statement as statements
from kiosk.signing.link import TimestampLink
from kiosk.storage.tables import Event
from printing.pdf import cargo_pdf
from tests.conftest import START
from tests.integration.test_expedientes import kiosk_device
from tests.signing.authority import P12_PASSWORD, Authority, make_authority
from tests.signing.qr_walk import SignedCargo, old_form_cargo, set_up, signed_cargo


@pytest.fixture(scope="module")
def authority() -> Authority:
    return make_authority(START)


def _cargo_fields(hub: OfficeHub, cargo: SignedCargo) -> list[tuple[str, str]]:
    issued_on = statements.parse(cargo.statement.statement)[0].issued_on
    return statements.cargo_fields_of(cargo.view, issued_on, hub.config.tz)


def _use_test_clock(monkeypatch: pytest.MonkeyPatch, clock: VirtualClock) -> None:
    import kiosk.cli

    opened = kiosk.cli.office_hub
    monkeypatch.setattr(kiosk.cli, "office_hub",
                        lambda folder, _clock=None: opened(folder, clock))


def test_the_cargo_digest_covers_what_the_paper_shows(
        hub: OfficeHub, clerk: DeviceIdentity, authority: Authority) -> None:
    set_up(hub, authority)
    cargo = signed_cargo(hub, clerk)
    statement = statements.parse(cargo.statement.statement)[0]
    assert (statement.kind, statement.version) == ("cargo", 2)
    fields = _cargo_fields(hub, cargo)
    assert statement.digest == statements.content_digest(fields)
    names = [name for name, _ in fields]
    for name in ("filed_at", "procedure_code", "procedure", "applicant", "applicant_document",
                 "requirement", "paid"):
        assert name in names
    # what a forger changes on the paper changes the digest
    view = cargo.view
    assert view.person is not None
    missing = next(r for r in view.requirements if not r.presented)
    altered = [
        view.model_copy(update={"applicant_name": "Rosa Chávez Ibáñez"}),
        view.model_copy(update={"person": view.person.model_copy(
            update={"doc_number": "41234567"})}),
        view.model_copy(update={"procedure_code": "LE-C"}),
        view.model_copy(update={"procedure_name": "Licencia de funcionamiento"}),
        view.model_copy(update={"requirements": [
            r.model_copy(update={"presented": True}) if r is missing else r
            for r in view.requirements]}),
        view.model_copy(update={"paid": view.paid + Decimal("10")}),
        view.model_copy(update={"filed_at": view.filed_at + timedelta(minutes=1)}),
    ]
    for other in altered:
        assert statements.content_digest(statements.cargo_fields_of(
            other, statement.issued_on, hub.config.tz)) != statement.digest
    # one canonical form: composed or decomposed accents, stray spaces: the same digest
    decomposed = unicodedata.normalize("NFD", f"  {view.applicant_name}  ").replace(" ", "  ")
    assert statements.cargo_fields_of(view.model_copy(update={"applicant_name": decomposed}),
                                      statement.issued_on, hub.config.tz) == fields
    # the event of the signature records those fields, computed by the hub
    with hub.store.read_session() as session:
        (data,) = session.scalars(select(Event.data).where(Event.kind == "document_signed"))
    assert data["document_id"] == cargo.document_id
    assert [tuple(f) for f in data["fields"]] == fields

    # Consultar (a kiosk alone): what the cargo must say, its applicant masked
    checked = hub.check_statement(kiosk_device(), StatementCheck(code=cargo.statement.statement))
    assert checked.valid
    shown = dict(checked.rows)
    assert shown["Trámite"] == view.procedure_name and shown["Código TUPA"] == "LE-B"
    assert shown["Solicitante"] == "J*** C*** Q*** M***"
    assert shown["Documento"].endswith("410") and view.person.doc_number not in str(
        checked.rows)
    presented = [v for k, v in checked.rows if k == "Requisito presentado"]
    assert presented == [f"{r.number}. {r.text}" for r in view.requirements if r.presented]
    assert f"{missing.number}. {missing.text}" not in presented


def test_a_cargo_whose_expediente_changed_after_its_statement_is_not_signed(
        hub: OfficeHub, clerk: DeviceIdentity, authority: Authority) -> None:
    set_up(hub, authority)
    cargo = signed_cargo(hub, clerk)
    statement = hub.issue_statement(clerk, cargo.number, StatementRequest(kind="cargo"))
    # paid afterwards: the statement no longer says what the cargo does
    assert cargo.view.fee > 0
    hub.pay(clerk, cargo.number, PaymentInput(amount=cargo.view.fee,
                                              cash_received=cargo.view.fee))
    view = hub.expediente(clerk, cargo.number)
    stale = cargo_pdf(view, "CAC Cajamarca", "", statement=statement)
    with pytest.raises(InvalidInput) as caught:
        hub.sign_document(clerk, cargo.number, SignRequest(kind="cargo", content=stale))
    assert caught.value.code == "wrong_statement"
    # the first cargo still verifies: its record is what it said when it was signed
    assert hub.check_statement(kiosk_device(),
                               StatementCheck(code=cargo.statement.statement)).valid


def test_an_altered_record_or_another_file_is_refused_and_the_old_form_still_verifies(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock, authority: Authority,
        tmp_path: Path, data_dir: DataDir, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    set_up(hub, authority)
    cargo = signed_cargo(hub, clerk)
    old = old_form_cargo(hub, cargo.number, clock)
    assert hub.check_statement(kiosk_device(), StatementCheck(code=old)).valid
    # a cargo re-made with another applicant, the genuine statement in it, signed again
    # with a valid certificate: its signature is intact, but it is not the office's file
    assert cargo.view.person is not None
    forged_view = cargo.view.model_copy(update={"applicant_name": "Rosa Chávez Ibáñez"})
    forged = cargo_pdf(forged_view, "CAC Cajamarca", "", statement=cargo.statement)
    opened = hub.certificate_folder.unlock(P12_PASSWORD, clock.now())
    forged = pades.sign_pdf(forged, pades.pdf_signer(opened), name="Falsificador",
                            reason="x", place="x", link=TimestampLink(""),
                            now=clock.now()).content
    # the counter retried the signing (its answer was lost): both files are the office's
    retried = hub.sign_document(clerk, cargo.number,
                                SignRequest(kind="cargo", content=cargo.unsigned)).content
    assert retried != cargo.signed
    _use_test_clock(monkeypatch, clock)
    from kiosk.cli import main

    genuine_path, forged_path = tmp_path / "cargo.pdf", tmp_path / "cargo-otro.pdf"
    genuine_path.write_bytes(cargo.signed)
    forged_path.write_bytes(forged)
    (tmp_path / "cargo-2.pdf").write_bytes(retried)
    hub.close()
    folder = ["--data-dir", str(data_dir.root)]
    assert main(["verify", str(genuine_path), *folder]) == 0
    out = capsys.readouterr().out  # the office's console: the applicant in full
    assert "Documento auténtico" in out and "Juan Carlos Quispe Mamani" in out
    assert cargo.view.procedure_name in out and "Falsificador" not in out
    assert main(["verify", str(tmp_path / "cargo-2.pdf"), *folder]) == 0
    capsys.readouterr()
    assert main(["verify", str(forged_path), *folder]) == 1
    out = capsys.readouterr().out
    assert "no es el que la oficina firmó" in out and "íntegra" in out
    assert main(["verify", old, *folder]) == 0  # the old form: its three fields
    assert "Documento auténtico" in capsys.readouterr().out

    # the record of what the cargo says altered in the database: its digest no longer
    # matches, at the console and at the kiosk
    reopened = OfficeHub(data_dir, clock)
    try:
        with reopened.store.write_connection() as connection:
            signed = connection.execute(select(Event.id, Event.data).where(
                Event.kind == "document_signed")).all()
            assert len(signed) == 2  # the signing and its retry
            for event in signed:
                fields = [["applicant", "Rosa Chávez Ibáñez"] if name == "applicant"
                          else [name, value] for name, value in event.data["fields"]]
                connection.execute(update(Event).where(Event.id == event.id).values(
                    data={**event.data, "fields": fields}))
            connection.commit()
        refused = reopened.check_statement(kiosk_device(),
                                           StatementCheck(code=cargo.statement.statement))
        assert not refused.valid and refused.status == "altered" and refused.rows == []
    finally:
        reopened.close()
    assert main(["verify", cargo.statement.statement, *folder]) == 1
    assert "no coinciden con los que la oficina registró" in capsys.readouterr().out
