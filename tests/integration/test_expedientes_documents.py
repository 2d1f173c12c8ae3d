"""A partida filed "asking for a search" gets its acta later; the documents a counter issues
(cargo, receipt, copia certificada) are remembered by the hub; stored attachments come back."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import (
    DocumentInput,
    ExpedienteView,
    PartidaDetails,
    PaymentInput,
    TransitionInput,
)
from kiosk.storage.tables import Event, Expediente
from tests.conftest import CLERK, LIMA, person_on
from tests.integration.test_expedientes import CLERK_NAME, act, add_acta, kinds, partida
from tests.integration.test_expedientes_refusals import PDF, PNG, refused


def link(hub: OfficeHub, device: DeviceIdentity, number: str, acta_id: str | None,
         note: str | None = None) -> ExpedienteView:
    return hub.transition(device, number, TransitionInput(action="link_acta", acta_id=acta_id,
                                                          note=note))


def paid_search(hub: OfficeHub, clerk: DeviceIdentity, **changes: object) -> ExpedienteView:
    """A partida filed without its acta (the archive searches it), already paid."""
    filed = hub.file_expediente(clerk, partida(**changes))
    assert filed.acta is None and filed.details["search_note"]
    hub.pay(clerk, filed.number, PaymentInput(amount=filed.fee))
    return hub.expediente(clerk, filed.number)


# --- linking the acta found --------------------------------------------------------------


def test_the_acta_found_is_linked_and_then_the_partida_is_approved(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock) -> None:
    searching = paid_search(hub, clerk)
    assert searching.balance == 0
    assert "approve" not in searching.allowed_actions
    assert "link_acta" in searching.allowed_actions
    message = refused(hub, Conflict, "action_blocked",
                      lambda: act(hub, clerk, searching.number, "approve"))
    assert message == (
        f"No se puede aprobar el expediente {searching.number}: la solicitud se registró sin "
        "acta (para buscarla). Cuando el archivo la encuentre, vincúlela con «Vincular acta»; "
        "si no existe, deniegue la solicitud con una nota.")

    acta = add_acta(hub)
    clock.set(datetime(2026, 11, 23, 11, 30, tzinfo=LIMA))  # found on Monday
    linked = link(hub, clerk, searching.number, acta, note="Ubicada en el libro 12")
    assert linked.acta is not None and (linked.acta.id, linked.acta.acta_number) == (acta,
                                                                                     "1001")
    # Paid, now complete: aprobación automática approves it (TUO Ley 27444 art. 33).
    assert (linked.status, linked.approved_by_law) == ("aprobado", "approved_automatically")
    assert linked.details["acta_id"] == acta
    assert linked.details["search_note"] == searching.details["search_note"]  # kept as history
    assert linked.allowed_actions == ["deliver"]
    event = linked.events[-2]
    assert (event.kind, event.kind_text, event.who, event.where, event.area) == (
        "acta_linked", "Acta vinculada", CLERK_NAME, "Ventanilla 3", "Registro Civil")
    assert event.at == clock.now()
    assert event.note == ("Acta de nacimiento N.° 1001 (libro 12, folio 34) vinculada. "
                          "Ubicada en el libro 12")
    with hub.store.read_session() as session:
        data = session.scalars(select(Event.data).where(Event.kind == "acta_linked")).one()
    assert clerk.clerk is not None
    assert (data["who_id"], data["counter"], data["acta_id"], data["acta_number"],
            data["acta_kind"], data["from_status"], data["to_status"]) == (
        clerk.clerk.user_id, 3, acta, "1001", "nacimiento", "recibido", "recibido")

    delivered = act(hub, clerk, searching.number, "deliver")
    assert kinds(delivered) == ["received", "paid", "acta_linked", "approved_automatically",
                                "delivered"]


def test_linking_checks_the_acta_as_the_filing_does(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock) -> None:
    searching = paid_search(hub, clerk)
    number = searching.number
    marriage = add_acta(hub, kind="matrimonio", number="3001")
    message = refused(hub, InvalidInput, "variant_mismatch",
                      lambda: link(hub, clerk, number, marriage))
    assert message == ("El acta 3001 es de matrimonio, pero el trámite RC-01 es copia de "
                       "partida de nacimiento.")
    message = refused(hub, NotFound, "unknown_acta", lambda: link(hub, clerk, number, "nada"))
    assert "un supervisor la registra" in message
    message = refused(hub, InvalidInput, "acta_required", lambda: link(hub, clerk, number, None))
    assert message.startswith("Indique el acta que encontró el archivo")
    # Born 21 Nov 2008: 17 on Friday 20 Nov 2026, so only a parent gets the copy.
    child = add_acta(hub, number="2001", event_date=date(2008, 11, 21), given="Luz")
    message = refused(hub, Conflict, "minor_record", lambda: link(hub, clerk, number, child))
    assert "solo se entrega al padre o a la madre" in message
    assert "deniéguela con una nota" in message
    parent = paid_search(hub, clerk, details=PartidaDetails(
        search_note="Hija nacida en 2008", relation="padre_madre"))
    linked = link(hub, clerk, parent.number, child)
    assert linked.acta is not None and linked.acta.minor
    # On Monday 23 Nov she is 18: the titular's own request may now get her acta.
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=LIMA))
    assert link(hub, clerk, number, child).acta is not None
    message = refused(hub, Conflict, "illegal_transition",
                      lambda: link(hub, clerk, number, add_acta(hub, number="1002")))
    assert f"No se puede vincular el acta al expediente {number}: ya tiene su acta" in message
    pending = paid_search(hub, clerk).number
    message = refused(hub, InvalidInput, "invalid_acta", lambda: hub.transition(
        clerk, pending, TransitionInput(action="derive", area="Archivo", acta_id=child)))
    assert "«Vincular acta»" in message


def test_only_a_pending_partida_takes_an_acta(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    acta = add_acta(hub)
    denied = paid_search(hub, clerk)
    act(hub, clerk, denied.number, "deny", note="El acta no existe en el archivo")
    message = refused(hub, Conflict, "illegal_transition",
                      lambda: link(hub, clerk, denied.number, acta))
    assert message == (f"No se puede vincular el acta al expediente {denied.number}: está "
                       "«Denegado». Es un estado final: el expediente ya no admite cambios.")
    other = hub.file_expediente(clerk, partida(procedure="MP-01", details=None,
                                               requirements_presented=[1]))
    message = refused(hub, Conflict, "illegal_transition",
                      lambda: link(hub, clerk, other.number, acta))
    assert "solo las copias de partida llevan un acta" in message


def test_a_partida_approved_without_its_acta_is_not_delivered(
        hub: OfficeHub, clerk: DeviceIdentity) -> None:
    """Approved before approval needed the acta (older data): delivery waits for it."""
    searching = paid_search(hub, clerk)
    with hub.unit_of_work() as uow:  # test data: the row as an older hub left it
        row = uow.session.scalars(select(Expediente).where(
            Expediente.number == searching.number)).one()
        row.status = "aprobado"
        uow.commit()
    view = hub.expediente(clerk, searching.number)
    assert view.allowed_actions == ["link_acta"]  # an approval is not cancelled (art. 213)
    message = refused(hub, Conflict, "action_blocked",
                      lambda: act(hub, clerk, searching.number, "deliver"))
    assert message.startswith(f"No se puede entregar el expediente {searching.number}: la "
                              "solicitud se registró sin acta")
    link(hub, clerk, searching.number, add_acta(hub))
    assert act(hub, clerk, searching.number, "deliver").status == "entregado"  # type: ignore[attr-defined]


# --- documents issued --------------------------------------------------------------------


def test_the_hub_remembers_documents_across_a_restart(
        hub: OfficeHub, clerk: DeviceIdentity, data_dir: DataDir, clock: VirtualClock,
        tokens: dict[str, str]) -> None:
    filed = hub.file_expediente(clerk, partida(add_acta(hub)))
    receipt = hub.pay(clerk, filed.number, PaymentInput(amount=filed.fee))
    hub.record_document(clerk, filed.number, DocumentInput(document="cargo"))
    hub.record_document(clerk, filed.number, DocumentInput(
        document="receipt", receipt_number=receipt.receipt_number))
    hub.close()

    again = OfficeHub(data_dir, clock)  # the hub restarted: nothing lives in a window
    try:
        counter = person_on(again, tokens["counter"], CLERK, 3)
        view = again.expediente(counter, filed.number)
        assert (view.times_issued("cargo"), view.times_issued("receipt", receipt.receipt_number),
                view.times_issued("copia")) == (1, 1, 0)
        second = again.record_document(SYSTEM, filed.number,
                                       DocumentInput(document="cargo", reprint=True))
        assert [(d.document, d.issue_number, d.reprint) for d in second.documents] == [
            ("cargo", 1, False), ("receipt", 1, False), ("cargo", 2, True)]
        assert second.events[-1].note == ("Cargo de recepción emitido en la ticketera "
                                          "(reimpresión, n.º 2)")
        assert second.events[-1].who == "sistema"
    finally:
        again.close()


def test_a_certified_copy_is_an_event_of_the_expediente(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock) -> None:
    filed = hub.file_expediente(clerk, partida(details=PartidaDetails(acta_id=add_acta(hub),
                                                                       copies=2)))
    copia = DocumentInput(document="copia", medium="pdf")
    refused(hub, Conflict, "copy_not_ready", lambda: hub.record_document(clerk, filed.number,
                                                                         copia))
    hub.pay(clerk, filed.number, PaymentInput(amount=filed.fee))  # approved: art. 33
    clock.set(datetime(2026, 11, 20, 10, 5, tzinfo=LIMA))
    issued = hub.record_document(clerk, filed.number, copia)
    [document] = issued.documents
    assert (document.document, document.medium, document.issue_number, document.reprint,
            document.at, document.who, document.where) == (
        "copia", "pdf", 1, False, clock.now(), CLERK_NAME, "Ventanilla 3")
    assert issued.events[-1].kind_text == "Documento emitido"
    assert issued.events[-1].note == "Copia certificada emitida en A4 (PDF) (original, n.º 1)"
    duplicate = hub.record_document(clerk, filed.number,
                                    copia.model_copy(update={"reprint": True}))
    assert duplicate.events[-1].note == ("Copia certificada emitida en A4 (PDF) (duplicado, "
                                         "n.º 2)")
    assert duplicate.times_issued("copia") == 2


def test_the_a4_cargo_is_the_same_document_on_other_paper(
        hub: OfficeHub, clerk: DeviceIdentity) -> None:
    """Issues are counted per medium: the first A4 cargo after the thermal one is its original
    in A4, the second A4 one a reprint; the thermal count goes on by itself."""
    filed = hub.file_expediente(clerk, partida(add_acta(hub)))
    thermal = DocumentInput(document="cargo")
    a4 = DocumentInput(document="cargo", medium="pdf")
    view = hub.record_document(clerk, filed.number, thermal)
    assert (view.times_issued("cargo", medium="termica"), view.times_issued(
        "cargo", medium="pdf"), view.times_issued("cargo")) == (1, 0, 1)
    view = hub.record_document(clerk, filed.number, a4)
    assert view.events[-1].note == "Cargo de recepción emitido en A4 (PDF) (original, n.º 1)"
    assert view.times_issued("cargo", medium="pdf") == 1
    view = hub.record_document(clerk, filed.number, a4.model_copy(update={"reprint": True}))
    view = hub.record_document(clerk, filed.number, thermal.model_copy(update={"reprint": True}))
    assert [(d.medium, d.issue_number, d.reprint) for d in view.documents] == [
        ("termica", 1, False), ("pdf", 1, False), ("pdf", 2, True), ("termica", 2, True)]


# --- attachments back from the hub ---------------------------------------------------------


def test_a_lost_or_damaged_attachment_is_reported_not_served(
        hub: OfficeHub, clerk: DeviceIdentity) -> None:
    number = hub.file_expediente(clerk, partida()).number
    scan = hub.attach(clerk, number, "solicitud.pdf", "application/pdf", PDF)
    photo = hub.attach(clerk, number, "foto.png", "image/png", PNG)
    assert hub.attachment_file(clerk, number, scan.id).content == PDF
    stored = hub.data_dir.root / "attachments" / "2026"
    (stored / f"{scan.sha256}.pdf").write_bytes(PDF.replace(b"Catalog", b"Katalog"))
    with pytest.raises(Conflict) as caught:
        hub.attachment_file(clerk, number, scan.id)
    assert caught.value.code == "attachment_damaged"
    assert "«solicitud.pdf» del hub está dañado" in caught.value.message
    (stored / f"{photo.sha256}.png").unlink()
    with pytest.raises(NotFound) as missing:
        hub.attachment_file(clerk, number, photo.id)
    assert missing.value.code == "attachment_missing"
    assert missing.value.message.startswith("El archivo «foto.png» no está en el disco del hub")
    assert [a.who for a in hub.expediente(clerk, number).attachments] == [CLERK_NAME] * 2
