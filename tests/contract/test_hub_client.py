"""One contract, two clients: in-process and HTTP must behave the same, errors included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kiosk.client import HubClient
from kiosk.client.http import HttpHubClient
from kiosk.errors import (
    Conflict,
    Forbidden,
    HubUnavailable,
    InvalidInput,
    NotFound,
    Unauthorized,
)
from kiosk.ids import new_id
from kiosk.services.views import PrintJobReport

DAY = date(2026, 11, 20)


def test_a_ticket_from_kiosk_to_counter(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk: HubClient = connect("kiosk")
    counter: HubClient = connect("counter", counter=4)
    assert [s.code for s in kiosk.services()][:2] == ["partidas", "licencias"]
    issued = kiosk.issue_ticket("caja", "discapacidad")
    assert (issued.number, issued.ahead, issued.status) == ("PC-001", 0, "waiting")
    assert counter.open_counter(4).state == "open"
    called = counter.call_next(4)
    assert called is not None and called.id == issued.id and called.counter == 4
    assert counter.recall(issued.id).recalls == 1
    assert counter.start(issued.id).status == "serving"
    done = counter.finish(issued.id, "derivado")
    assert (done.status, done.outcome) == ("finished", "derivado")
    assert counter.call_next(4) is None
    assert counter.ticket(issued.id).status == "finished"
    page = connect("display").calls(0)
    assert [(c.kind, c.number) for c in page.calls] == [("called", "PC-001"),
                                                        ("recalled", "PC-001")]


def test_no_show_reinstate_and_transfer(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk: HubClient = connect("kiosk")
    counter: HubClient = connect("counter")
    ticket = kiosk.issue_ticket("orientacion")
    counter = connect("counter", counter=5)
    counter.open_counter(5)
    counter.call_next(5)
    counter.no_show(ticket.id)
    assert counter.queue().missed == ["R-001"]
    counter.reinstate(ticket.id)
    counter.call_ticket(5, ticket.id)
    moved = counter.transfer(ticket.id, "caja")
    assert (moved.service, moved.status) == ("caja", "waiting")


def test_counter_states(connect) -> None:  # type: ignore[no-untyped-def]
    counter: HubClient = connect("counter", counter=2)
    counter.open_counter(2)
    assert counter.pause_counter(2, "Refrigerio").pause_reason == "Refrigerio"
    assert counter.resume_counter(2).state == "open"
    assert counter.close_counter(2).state == "closed"
    assert [c.state for c in counter.counters()][1] == "closed"


def test_a_logout_leaves_the_counter_and_the_login_offers_it_again(
        connect) -> None:  # type: ignore[no-untyped-def]
    from kiosk.services.expediente_views import LoginCounter  # new with issue 15

    counter: HubClient = connect("counter", counter=2)
    counter.open_counter(2)
    counter.logout()  # nobody at counter 2 any more: it closes, the TV calls nobody there
    assert [c.state for c in counter.counters()][1] == "closed"
    assert counter.login_counter() == LoginCounter(counter=2, bound=False)
    assert connect("rating", person=False).login_counter() == LoginCounter(counter=4,
                                                                            bound=True)


def test_a_display_reports_its_voice_through_both(
        connect) -> None:  # type: ignore[no-untyped-def]
    from kiosk.services.display_health import DisplayHealthReport  # new with issue 15

    supervisor: HubClient = connect("supervisor")
    assert supervisor.alerts() == []
    connect("display").report_display_health(DisplayHealthReport(voice="no_module"))
    [alert] = supervisor.alerts()
    assert alert.code == "display_voice" and "QtTextToSpeech" in alert.message
    with pytest.raises(Forbidden):
        connect("kiosk").report_display_health(DisplayHealthReport(voice="ok"))


def test_the_same_errors_reach_both_clients(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk: HubClient = connect("kiosk")
    counter: HubClient = connect("counter", counter=1)
    cases = [
        (NotFound, "unknown_service", lambda: kiosk.issue_ticket("pasaportes")),
        (Conflict, "counter_not_open", lambda: counter.call_next(1)),
        (Forbidden, "other_counter", lambda: counter.open_counter(77)),
        (Unauthorized, "clerk_required",
         lambda: connect("counter", person=False).open_counter(1)),
        (Forbidden, "forbidden", lambda: kiosk.stats(DAY, DAY)),
        (Forbidden, "forbidden", lambda: connect("display").issue_ticket("caja")),
    ]
    waiting = kiosk.issue_ticket("caja")
    cases.append((Conflict, "illegal_transition", lambda: counter.finish(waiting.id)))
    for error, code, action in cases:
        with pytest.raises(error) as caught:
            action()
        assert caught.value.code == code
        assert caught.value.message


def test_invalid_category_is_refused_by_both(connect) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        connect("kiosk").issue_ticket("caja", "vip")


def test_stats_and_export(connect) -> None:  # type: ignore[no-untyped-def]
    connect("kiosk").issue_ticket("caja")
    supervisor: HubClient = connect("supervisor")
    report = supervisor.stats(DAY, DAY)
    assert (report.issued, report.office) == (1, "CAJ")
    assert supervisor.export_tickets(DAY, DAY).splitlines()[1].split(",")[1] == "C-001"
    assert supervisor.close_day().expired == 1


def test_procedures(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk: HubClient = connect("kiosk")
    procedures = kiosk.procedures()
    assert len(procedures) == 12
    assert procedures[0].category == "partida" and procedures[-1].code == "MP-01"
    low = kiosk.procedure("LF-01")
    assert low in procedures
    assert (low.fee_soles, low.version, low.service) == (Decimal("263.20"), 1, "licencias")
    assert kiosk.procedure("rc-01").fee_basis == "Monto fijo"
    for code in ("XX-99", "a b/c?d"):
        with pytest.raises(NotFound) as caught:
            kiosk.procedure(code)
        assert caught.value.code == "unknown_procedure"


def test_print_jobs_and_alerts(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk: HubClient = connect("kiosk")
    supervisor: HubClient = connect("supervisor")
    ticket = kiosk.issue_ticket("caja")
    report = PrintJobReport(id=new_id(), kind="ticket", reference=ticket.id, state="failed",
                            error_code="paper_out", error_message="La impresora no tiene papel")
    view = kiosk.report_print(report)
    assert (view.id, view.state, view.device, view.reference) == (
        report.id, "failed", "kiosk de prueba", ticket.id)
    assert kiosk.report_print(report) == view
    assert [a.message for a in supervisor.alerts()] == [
        "La impresora del «kiosk de prueba» falló: La impresora no tiene papel (08:00)"]
    assert supervisor.print_jobs("failed") == [view]
    fixed = kiosk.report_print(report.model_copy(update={
        "state": "printed", "error_code": None, "error_message": None, "reprint": True}))
    assert (fixed.state, fixed.reprint) == ("printed", True)
    assert supervisor.print_jobs("failed") == []
    assert supervisor.print_jobs(limit=1) == [fixed]
    assert supervisor.alerts() == []


def test_print_job_errors_are_the_same_for_both(connect) -> None:  # type: ignore[no-untyped-def]
    kiosk: HubClient = connect("kiosk")
    counter: HubClient = connect("counter")
    report = PrintJobReport(id=new_id(), kind="receipt", reference=None, state="printed")
    counter.report_print(report)
    cases = [
        (InvalidInput, "invalid_print_job",
         lambda: kiosk.report_print(report.model_copy(update={"kind": "poster"}))),
        (InvalidInput, "invalid_print_job",
         lambda: kiosk.report_print(report.model_copy(update={"id": "no-es-uuid"}))),
        (InvalidInput, "invalid_print_job", lambda: kiosk.report_print(
            report.model_copy(update={"id": new_id(), "error_message": "x" * 501}))),
        (Forbidden, "print_job_foreign", lambda: kiosk.report_print(report)),
        (Forbidden, "forbidden", lambda: kiosk.print_jobs()),
        (Forbidden, "forbidden", lambda: kiosk.alerts()),
        (Forbidden, "forbidden", lambda: connect("supervisor").report_print(report)),
        (InvalidInput, "invalid_print_state", lambda: connect("admin").print_jobs("roto")),
        (InvalidInput, "invalid_limit", lambda: connect("admin").print_jobs(None, 0)),
    ]
    for error, code, action in cases:
        with pytest.raises(error) as caught:
            action()
        assert caught.value.code == code
        assert caught.value.message


def test_http_client_reports_an_unreachable_hub_in_spanish() -> None:
    client = HttpHubClient("http://127.0.0.1:9", "token", timeout=2)  # discard port: closed
    with pytest.raises(HubUnavailable) as caught:
        client.health()
    assert "No se puede conectar con el hub" in caught.value.message
    client.close()


# --- expedientes, payments, attachments ----------------------------------------------------


def test_an_expediente_through_both_clients(connect, hub) -> None:  # type: ignore[no-untyped-def]
    from kiosk.services.expediente_views import PaymentInput, TransitionInput
    from tests.conftest import CLERK
    from tests.integration.test_expedientes import add_acta, partida
    from tests.integration.test_expedientes_refusals import PDF

    kiosk: HubClient = connect("kiosk")
    counter: HubClient = connect("counter", person=False)
    counter.login(*CLERK, counter=3)
    issued = kiosk.issue_ticket("partidas")
    counter.open_counter(3)
    counter.call_next(3)
    counter.start(issued.id)
    filed = counter.file_expediente(partida(ticket_id=issued.id))
    assert (filed.number, filed.status, filed.fee, filed.due_date) == (
        "CAJ-2026-000001", "recibido", Decimal("8.50"), date(2026, 11, 23))
    assert filed.events[0].who == "Ana Torres Chávez"
    assert counter.expediente(filed.tracking_code.lower()) == filed
    receipt = counter.pay(filed.number, PaymentInput(amount=Decimal("8.50"),
                                                     cash_received=Decimal("10.00")))
    assert (receipt.receipt_number, receipt.change, receipt.clerk) == (
        "CAJ-R-2026-000001", Decimal("1.50"), "Ana Torres Chávez")
    scan = counter.attach(filed.number, "Solicitud — María.pdf", "application/pdf", PDF)
    assert (scan.file_name, scan.size, scan.who) == ("Solicitud — María.pdf", len(PDF),
                                                     "Ana Torres Chávez")
    # Filed asking for a search: the archive finds the acta, the clerk links it.
    assert "approve" not in counter.expediente(filed.number).allowed_actions
    acta = add_acta(hub)
    linked = counter.transition(filed.number, TransitionInput(action="link_acta", acta_id=acta))
    assert linked.acta is not None and linked.acta.id == acta
    assert linked.status == "aprobado"  # paid and complete: aprobación automática (art. 33)
    done = counter.transition(filed.number, TransitionInput(action="deliver", note="Entregado"))
    assert (done.status, [e.kind for e in done.events]) == (
        "entregado", ["received", "paid", "attached", "acta_linked", "approved_automatically",
                      "delivered"])
    assert (done.payments, done.attachments) == ([receipt], [scan])
    assert counter.finish(issued.id).expedientes == ["CAJ-2026-000001"]
    public = kiosk.public_status(filed.number)
    assert (public.status, public.status_text, public.filed_on) == (
        "entregado", "Entregado", DAY)
    closing = counter.cash_closing()
    assert (closing.username, closing.count, closing.total) == ("ana", 1, Decimal("8.50"))
    assert connect("supervisor").cash_closing(DAY, "ana") == closing.model_copy(
        update={"generated_at": closing.generated_at})


def test_expediente_errors_are_the_same_for_both(connect) -> None:  # type: ignore[no-untyped-def]
    from kiosk.errors import Unauthorized
    from kiosk.services.expediente_views import PaymentInput, TransitionInput
    from tests.conftest import CLERK
    from tests.integration.test_expedientes import partida, person
    from tests.integration.test_expedientes_refusals import PNG

    kiosk: HubClient = connect("kiosk")
    anonymous: HubClient = connect("counter", person=False)  # nobody logged in
    counter: HubClient = connect("counter", person=False)
    counter.login(*CLERK, counter=3)
    number = counter.file_expediente(partida()).number
    cases = [
        (Unauthorized, "clerk_required", lambda: anonymous.file_expediente(partida())),
        (Forbidden, "forbidden", lambda: kiosk.expediente(number)),
        (Forbidden, "forbidden", lambda: kiosk.file_expediente(partida())),
        (NotFound, "unknown_procedure",
         lambda: counter.file_expediente(partida(procedure="XX-99"))),
        (InvalidInput, "invalid_dni",
         lambda: counter.file_expediente(partida(person=person(doc_number="1234567")))),
        (NotFound, "unknown_expediente", lambda: kiosk.public_status("CAJ-2026-000999")),
        (NotFound, "unknown_expediente", lambda: counter.expediente("no existe / ni así")),
        (InvalidInput, "payment_below_balance",
         lambda: counter.pay(number, PaymentInput(amount=Decimal("8.00")))),
        (InvalidInput, "attachment_type_mismatch",
         lambda: counter.attach(number, "a.pdf", "application/pdf", PNG)),
        (InvalidInput, "unsupported_media_type",
         lambda: counter.attach(number, "a.txt", "text/plain", b"hola")),
        (Conflict, "illegal_transition",
         lambda: counter.transition(number, TransitionInput(action="deliver"))),
        (InvalidInput, "note_required",
         lambda: counter.transition(number, TransitionInput(action="observe"))),
        (Forbidden, "forbidden", lambda: counter.cash_closing(None, "luis")),
    ]
    for error, code, action in cases:
        with pytest.raises(error) as caught:
            action()
        assert caught.value.code == code
        assert caught.value.message


def test_link_acta_errors_are_the_same_for_both(connect, hub) -> None:  # type: ignore[no-untyped-def]
    from kiosk.services.expediente_views import PaymentInput, TransitionInput
    from tests.conftest import CLERK
    from tests.integration.test_expedientes import add_acta, partida

    counter: HubClient = connect("counter", person=False)
    counter.login(*CLERK, counter=3)
    searching = counter.file_expediente(partida())
    counter.pay(searching.number, PaymentInput(amount=searching.fee))
    marriage = add_acta(hub, kind="matrimonio", number="3001")
    child = add_acta(hub, number="2001", event_date=date(2008, 11, 21), given="Luz")
    with_acta = counter.file_expediente(partida(add_acta(hub, number="1001"))).number
    cases = [
        (Conflict, "action_blocked",
         lambda: counter.transition(searching.number, TransitionInput(action="approve"))),
        (InvalidInput, "acta_required",
         lambda: counter.transition(searching.number, TransitionInput(action="link_acta"))),
        (NotFound, "unknown_acta", lambda: counter.transition(
            searching.number, TransitionInput(action="link_acta", acta_id="no-such-acta"))),
        (InvalidInput, "variant_mismatch", lambda: counter.transition(
            searching.number, TransitionInput(action="link_acta", acta_id=marriage))),
        (Conflict, "minor_record", lambda: counter.transition(
            searching.number, TransitionInput(action="link_acta", acta_id=child))),
        (Conflict, "illegal_transition", lambda: counter.transition(
            with_acta, TransitionInput(action="link_acta", acta_id=marriage))),
        (InvalidInput, "invalid_acta", lambda: counter.transition(
            searching.number, TransitionInput(action="observe", note="x", acta_id=marriage))),
    ]
    for error, code, action in cases:
        with pytest.raises(error) as caught:
            action()
        assert caught.value.code == code
        assert caught.value.message
    assert counter.expediente(searching.number).acta is None


def test_documents_issued_are_counted_by_both(connect) -> None:  # type: ignore[no-untyped-def]
    from kiosk.services.expediente_views import DocumentInput, PaymentInput
    from tests.conftest import CLERK, SECOND_CLERK
    from tests.integration.test_expedientes import partida

    counter: HubClient = connect("counter", person=False)
    counter.login(*CLERK, counter=3)
    filed = counter.file_expediente(partida())
    assert filed.documents == [] and filed.times_issued("cargo") == 0
    first = counter.record_document(filed.number, DocumentInput(document="cargo"))
    [issue] = first.documents
    assert (issue.document, issue.medium, issue.issue_number, issue.reprint, issue.who,
            issue.where) == ("cargo", "termica", 1, False, "Ana Torres Chávez", "Ventanilla 3")
    assert first.events[-1].kind == "document_issued"
    # Another counter, another clerk: the hub knows the cargo was issued already.
    other: HubClient = connect("counter", person=False)
    other.login(*SECOND_CLERK, counter=1)
    seen = other.expediente(filed.number)
    assert seen.times_issued("cargo") == 1
    assert seen.times_issued("cargo", medium="termica") == 1
    assert seen.times_issued("cargo", medium="pdf") == 0  # A4: the same cargo, other paper
    again = other.record_document(filed.number, DocumentInput(document="cargo", medium="pdf"))
    assert [(d.medium, d.issue_number, d.reprint, d.who) for d in again.documents] == [
        ("termica", 1, False, "Ana Torres Chávez"), ("pdf", 1, False, "Luis Quispe Mamani")]
    receipt = counter.pay(filed.number, PaymentInput(amount=filed.fee))
    paid = counter.record_document(filed.number, DocumentInput(
        document="receipt", receipt_number=receipt.receipt_number.lower()))
    assert paid.times_issued("receipt", receipt.receipt_number) == 1
    assert paid.times_issued("receipt", "CAJ-R-2026-000999") == 0
    assert paid.times_issued("cargo") == 2
    cases = [
        (NotFound, "unknown_receipt", lambda: counter.record_document(
            filed.number, DocumentInput(document="receipt", receipt_number="CAJ-R-2026-000999"))),
        (InvalidInput, "receipt_required",
         lambda: counter.record_document(filed.number, DocumentInput(document="receipt"))),
        (InvalidInput, "invalid_receipt", lambda: counter.record_document(
            filed.number, DocumentInput(document="cargo", receipt_number="CAJ-R-2026-000001"))),
        (Conflict, "copy_not_ready",
         lambda: counter.record_document(filed.number, DocumentInput(document="copia"))),
        (NotFound, "unknown_expediente", lambda: counter.record_document(
            "CAJ-2026-000999", DocumentInput(document="cargo"))),
        (Forbidden, "forbidden", lambda: connect("kiosk").record_document(
            filed.number, DocumentInput(document="cargo"))),
    ]
    for error, code, action in cases:
        with pytest.raises(error) as caught:
            action()
        assert caught.value.code == code
        assert caught.value.message
    assert len(counter.expediente(filed.number).documents) == 3


def test_the_cierre_knows_it_was_printed(connect) -> None:  # type: ignore[no-untyped-def]
    from kiosk.services.expediente_views import PaymentInput
    from tests.conftest import CLERK
    from tests.integration.test_expedientes import partida

    counter: HubClient = connect("counter", person=False)
    counter.login(*CLERK, counter=3)
    filed = counter.file_expediente(partida())
    counter.pay(filed.number, PaymentInput(amount=filed.fee))
    closing = counter.cash_closing()
    assert (closing.printed, closing.print_reference) == (0, "2026-11-20:ana")
    failed = PrintJobReport(id=new_id(), kind="cierre", reference=closing.print_reference,
                            state="failed", error_code="paper_out")
    counter.report_print(failed)
    assert counter.cash_closing().printed == 0  # a failed print does not count
    counter.report_print(failed.model_copy(update={"state": "printed", "error_code": None}))
    counter.report_print(PrintJobReport(id=new_id(), kind="cierre", reference="2026-11-19:ana",
                                        state="printed"))  # another day
    assert counter.cash_closing().printed == 1
    assert connect("supervisor").cash_closing(DAY, "ana").printed == 1


def test_an_attachment_comes_back_as_it_was_stored(connect) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import CLERK
    from tests.integration.test_expedientes import partida
    from tests.integration.test_expedientes_refusals import JPG, PDF

    counter: HubClient = connect("counter", person=False)
    counter.login(*CLERK, counter=3)
    number = counter.file_expediente(partida()).number
    other = counter.file_expediente(partida()).number
    scan = counter.attach(number, "Declaración — Ñahui.pdf", "application/pdf", PDF)
    photo = counter.attach(number, "dni.jpeg", "image/jpg", JPG)
    got = counter.attachment_file(number, scan.id)
    assert (got.attachment_id, got.file_name, got.media_type, got.content) == (
        scan.id, "Declaración — Ñahui.pdf", "application/pdf", PDF)
    assert counter.attachment_file(number, photo.id).media_type == "image/jpeg"
    assert connect("supervisor").attachment_file(number, photo.id).content == JPG
    assert connect("admin").attachment_file(number, scan.id) == got
    cases = [
        (NotFound, "unknown_attachment", lambda: counter.attachment_file(other, scan.id)),
        (NotFound, "unknown_attachment", lambda: counter.attachment_file(number, "no-existe")),
        (NotFound, "unknown_expediente",
         lambda: counter.attachment_file("CAJ-2026-000999", scan.id)),
        (Forbidden, "forbidden", lambda: connect("kiosk").attachment_file(number, scan.id)),
        (Forbidden, "forbidden", lambda: connect("display").attachment_file(number, scan.id)),
    ]
    for error, code, action in cases:
        with pytest.raises(error) as caught:
            action()
        assert caught.value.code == code
        assert caught.value.message


def test_sync_status_and_attention_through_both(connect, hub) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    kiosk, supervisor = connect("kiosk"), connect("supervisor")
    status = kiosk.sync_status()  # every window shows it, the kiosk's too
    assert not status.configured and status.summary.startswith("Oficina sin servidor central")
    assert status.pending > 0  # the demo office's catalogue waits for a central
    with hub.store.write_session() as session:
        session.execute(text("UPDATE sync_outbox SET state = 'rejected', reason = 'prueba' "
                             "WHERE seq = (SELECT min(seq) FROM sync_outbox)"))
        session.commit()
    assert supervisor.sync_status().rejected == 1
    [item] = supervisor.sync_attention()
    assert (item.kind, item.reason) == ("push", "prueba")
    with pytest.raises(Forbidden):
        kiosk.sync_attention()


def test_an_initial_pin_is_changed_through_both(connect, hub) -> None:  # type: ignore[no-untyped-def]
    from kiosk.hub import SYSTEM

    _, pin = hub.add_user(SYSTEM, "mario.rojas", "Mario Rojas Vílchez", "counter", None)
    counter = connect("counter")
    assert counter.login("mario.rojas", pin, counter=2).user.must_change
    with pytest.raises(Conflict) as refused:
        counter.open_counter(2)
    assert refused.value.code == "secret_change_required"
    with pytest.raises(InvalidInput, match="de 6 a 12 dígitos"):
        counter.change_secret(pin, "48261")  # new PINs: 6 digits at least
    assert counter.change_secret(pin, "482915").must_change is False
    counter.logout()
    assert not counter.login("mario.rojas", "482915", counter=2).user.must_change
    assert counter.open_counter(2).state == "open"
