"""Bad input is refused cleanly, in Spanish, with nothing written: documents, procedures,
partida rules, payments, attachments, transitions out of order, the cierre de caja of others."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from kiosk.errors import CacError, Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.expedientes import Action, Status
from kiosk.rules.permissions import Role
from kiosk.services.devices import ClerkRef, DeviceIdentity
from kiosk.services.expediente_views import (
    ExpedienteInput,
    ExpedienteView,
    NullityInput,
    PartidaDetails,
    PaymentInput,
)
from tests import files
from tests.conftest import SUPERVISOR, person_on
from tests.integration.test_expedientes import (
    act,
    add_acta,
    files_under,
    partida,
    person,
    row_counts,
)

PDF = files.pdf()
PNG = files.picture("PNG")
JPG = files.picture("JPEG")
MB = 1024 * 1024


def refused(hub: OfficeHub, error: type[CacError], code: str, action: Callable[[], object]
            ) -> str:
    """Run an action that must fail; check nothing was written; return the message."""
    before = row_counts(hub)
    files = files_under(hub.data_dir.root / "attachments")
    with pytest.raises(error) as caught:
        action()
    assert caught.value.code == code, caught.value.message
    assert caught.value.message
    assert row_counts(hub) == before
    assert files_under(hub.data_dir.root / "attachments") == files
    return caught.value.message


# --- filing ------------------------------------------------------------------------------


def test_invalid_dni_and_unknown_procedure(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    message = refused(hub, InvalidInput, "invalid_dni", lambda: hub.file_expediente(
        clerk, partida(person=person(doc_number="1234567"))))
    assert message == "El DNI debe tener 8 dígitos; «1234567» tiene 7."
    message = refused(hub, InvalidInput, "invalid_dni", lambda: hub.file_expediente(
        clerk, partida(person=person(doc_number="101174107"))))
    assert "El dígito de verificación «7» no corresponde al DNI 10117410" in message
    message = refused(hub, InvalidInput, "invalid_ce", lambda: hub.file_expediente(
        clerk, partida(person=person(doc_number="12345", doc_type="CE"))))
    assert "carné de extranjería" in message
    message = refused(hub, NotFound, "unknown_procedure", lambda: hub.file_expediente(
        clerk, partida(procedure="XX-99")))
    assert message == "No existe el trámite «XX-99» en el catálogo de esta oficina."


@pytest.mark.parametrize(("changes", "error", "code", "fragment"), [
    ({"details": None}, InvalidInput, "details_required", "Faltan los datos de la partida"),
    ({"details": PartidaDetails()}, InvalidInput, "acta_required", "«search_note»"),
    ({"details": PartidaDetails(search_note="Nacido en 1990", delivery="domicilio")},
     InvalidInput, "delivery_address_required", "dirección de entrega"),
    ({"details": PartidaDetails(acta_id="no-such-acta")}, NotFound, "unknown_acta",
     "Esa acta no está en el registro"),
    ({"person": None}, InvalidInput, "applicant_required", "quién solicita la copia"),
    ({"person_id": "no-such-person", "person": None}, NotFound, "unknown_person",
     "no está registrada"),
    ({"procedure": "MP-01"}, InvalidInput, "invalid_details", "no lleva datos de partida"),
])
def test_bad_partida_requests(hub: OfficeHub, clerk: DeviceIdentity, changes: dict[str, object],
                              error: type[CacError], code: str, fragment: str) -> None:
    request = partida().model_copy(update=changes)
    message = refused(hub, error, code, lambda: hub.file_expediente(clerk, request))
    assert fragment in message, message


def test_a_minors_birth_record_goes_only_to_a_parent(hub: OfficeHub, clerk: DeviceIdentity
                                                     ) -> None:
    # Born 21 Nov 2008: still 17 on Friday 20 Nov 2026.
    child = add_acta(hub, number="2001", event_date=date(2008, 11, 21), given="Luz",
                     paternal="Quispe", maternal="Flores")
    for relation in ("titular", "hermano", "apoderado"):
        message = refused(hub, Conflict, "minor_record", lambda r=relation: hub.file_expediente(
            clerk, partida(child, details=PartidaDetails(acta_id=child, relation=r))))
        assert "solo se entrega al padre o a la madre" in message
    parent = hub.file_expediente(clerk, partida(child, details=PartidaDetails(
        acta_id=child, relation="padre_madre")))
    assert parent.acta is not None and parent.acta.minor
    marriage = add_acta(hub, kind="matrimonio", number="3001")
    message = refused(hub, InvalidInput, "variant_mismatch", lambda: hub.file_expediente(
        clerk, partida(marriage)))
    assert message == ("El acta 3001 es de matrimonio, pero el trámite RC-01 es copia de "
                       "partida de nacimiento.")


def test_the_titular_of_a_death_record_does_not_ask_for_its_copy(
        hub: OfficeHub, clerk: DeviceIdentity) -> None:
    """The titular of a death record is the deceased: a relative or a representative asks,
    with or without the acta found, and the same relation stays fine for other records."""
    death = add_acta(hub, kind="defuncion", number="5001", event_date=date(2024, 3, 2))
    for acta in (death, None):
        details = PartidaDetails(acta_id=acta, relation="titular",
                                 search_note=None if acta else "Falleció en Cajamarca en 2024")
        message = refused(hub, InvalidInput, "relation_not_allowed", lambda d=details:
                          hub.file_expediente(clerk, partida(procedure="RC-03", details=d)))
        assert message.startswith("En una partida de defunción el titular es la persona "
                                  "fallecida: no puede solicitar la copia.")
    for relation in ("conyuge", "hijo", "apoderado"):
        filed = hub.file_expediente(clerk, partida(procedure="RC-03", details=PartidaDetails(
            acta_id=death, relation=relation)))  # type: ignore[arg-type]
        assert filed.acta is not None and filed.acta.acta_number == "5001"
    assert hub.file_expediente(clerk, partida(add_acta(hub))).acta is not None  # a birth


# --- payments ----------------------------------------------------------------------------


def test_a_payment_must_settle_the_balance_exactly(hub: OfficeHub, clerk: DeviceIdentity
                                                   ) -> None:
    number = hub.file_expediente(clerk, partida()).number

    def pay(**fields: object) -> Callable[[], object]:
        return lambda: hub.pay(clerk, number, PaymentInput.model_validate(fields))

    message = refused(hub, InvalidInput, "payment_below_balance", pay(amount="8.00"))
    assert message == "El pago de S/ 8.00 es menor que lo que falta pagar: S/ 8.50."
    message = refused(hub, InvalidInput, "payment_above_balance", pay(amount="10.00"))
    assert message.startswith("El pago de S/ 10.00 es mayor que lo que falta pagar: S/ 8.50.")
    message = refused(hub, InvalidInput, "cash_below_amount",
                      pay(amount="8.50", cash_received="5.00"))
    assert message == "El efectivo recibido (S/ 5.00) es menor que el monto a pagar (S/ 8.50)."
    refused(hub, InvalidInput, "voucher_required", pay(amount="8.50", method="banco_nacion"))
    message = refused(hub, InvalidInput, "invalid_voucher",
                      pay(amount="8.50", method="banco_nacion", voucher_number="12AB"))
    assert "de 6 a 20 dígitos" in message
    refused(hub, InvalidInput, "invalid_voucher", pay(amount="8.50", voucher_number="123456"))
    refused(hub, NotFound, "unknown_expediente", lambda: hub.pay(
        clerk, "CAJ-2026-000999", PaymentInput(amount=Decimal("8.50"))))

    receipt = hub.pay(clerk, number, PaymentInput(amount=Decimal("8.50"), method="banco_nacion",
                                                  voucher_number="123456"))
    assert receipt.receipt_number == "CAJ-R-2026-000001"
    message = refused(hub, Conflict, "nothing_to_pay", pay(amount="8.50"))
    assert "no tiene nada pendiente de pago" in message
    other = hub.file_expediente(clerk, partida()).number
    message = refused(hub, Conflict, "voucher_used", lambda: hub.pay(clerk, other, PaymentInput(
        amount=Decimal("8.50"), method="banco_nacion", voucher_number="123-456")))
    assert message == ("El voucher 123456 ya se registró en el recibo CAJ-R-2026-000001. Un "
                       "voucher paga un solo trámite.")
    act(hub, clerk, other, "cancel", note="Desistió")
    message = refused(hub, Conflict, "expediente_closed", lambda: hub.pay(
        clerk, other, PaymentInput(amount=Decimal("8.50"))))
    assert "«Anulado»: ya no recibe pagos" in message


def test_cash_closing_of_others_is_for_supervisors(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    number = hub.file_expediente(clerk, partida()).number
    hub.pay(clerk, number, PaymentInput(amount=Decimal("8.50")))
    with pytest.raises(Forbidden) as caught:
        hub.cash_closing(clerk, None, "luis")
    assert caught.value.message.startswith("Solo puede ver su propio cierre de caja")
    assert hub.cash_closing(clerk, None, "ANA").total == Decimal("8.50")
    supervisor = DeviceIdentity(
        id="sup", name="PC de supervisión", role=Role.SUPERVISOR,
        clerk=ClerkRef(user_id="r", username="rosa", full_name="Rosa Huamán Cruz",
                       role=Role.SUPERVISOR, counter=None))
    assert hub.cash_closing(supervisor, date(2026, 11, 20), "ana").count == 1
    assert hub.cash_closing(supervisor, date(2026, 11, 19), "ana").count == 0
    assert hub.cash_closing(supervisor, None, "luis").lines == []
    assert hub.cash_closing(supervisor).username == "rosa"  # a person's own, by default
    with pytest.raises(InvalidInput) as missing:
        hub.cash_closing(SYSTEM)  # the hub itself (the CLI) names whose
    assert missing.value.code == "username_required"
    with pytest.raises(NotFound) as unknown:
        hub.cash_closing(supervisor, None, "pedro")
    assert unknown.value.message == "No existe el usuario «pedro»."
    for nobody in (DeviceIdentity(id="c", name="Ventanilla", role=Role.COUNTER),
                   DeviceIdentity(id="s", name="Supervisión", role=Role.SUPERVISOR)):
        with pytest.raises(Unauthorized):
            hub.cash_closing(nobody, None, "ana")
    supervisor_at_counter = DeviceIdentity(
        id="c", name="Ventanilla", role=Role.COUNTER,
        clerk=ClerkRef(user_id="x", username="rosa", full_name="Rosa Huamán Cruz",
                       role=Role.SUPERVISOR, counter=1))
    assert hub.cash_closing(supervisor_at_counter, None, "ana").count == 1


# --- attachments -------------------------------------------------------------------------


def test_attachments_are_stored_by_their_hash(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    number = hub.file_expediente(clerk, partida()).number
    first = hub.attach(clerk, number, "C:\\Escaneos\\Solicitud firmada.PDF", "application/pdf",
                       PDF)
    digest = hashlib.sha256(PDF).hexdigest()
    assert (first.file_name, first.media_type, first.size, first.sha256) == (
        "Solicitud firmada.PDF", "application/pdf", len(PDF), digest)
    stored = hub.data_dir.root / "attachments" / "2026" / f"{digest}.pdf"
    assert stored.read_bytes() == PDF
    assert hub.attach(clerk, number, "otra copia.pdf", "application/pdf", PDF) == first
    photo = hub.attach(clerk, number, "dni.jpeg", "image/jpg", JPG)
    plan = hub.attach(clerk, number, "croquis.png", "image/png; charset=binary", PNG)
    assert (photo.media_type, plan.media_type) == ("image/jpeg", "image/png")
    assert [p.name for p in files_under(hub.data_dir.root / "attachments")] == sorted(
        f"{hashlib.sha256(c).hexdigest()}.{e}" for c, e in ((PDF, "pdf"), (JPG, "jpg"),
                                                             (PNG, "png")))
    assert not list((hub.data_dir.root / "attachments" / "2026").glob(".subiendo-*"))
    view = hub.expediente(clerk, number)
    assert view.attachments == [first, photo, plan]
    assert [e.kind for e in view.events].count("attached") == 3
    assert view.events[-1].note == "Documento adjuntado: croquis.png"


@pytest.mark.parametrize(("name", "media_type", "content", "code", "message"), [
    ("solicitud.pdf", "application/pdf", b"%PDF-" + b"x" * (10 * MB), "attachment_too_large",
     "El archivo «solicitud.pdf» pesa 10.0 MB; el máximo es 10 MB. Escanéelo con menor "
     "resolución o en blanco y negro, o divídalo en partes."),
    ("solicitud.pdf", "application/pdf", PNG, "attachment_type_mismatch",
     "El archivo «solicitud.pdf» se declaró como PDF, pero su contenido es un PNG. Adjunte el "
     "documento correcto."),
    ("foto.jpg", "image/jpeg", b"MZ\x90\x00 not a picture", "attachment_type_mismatch",
     "El archivo «foto.jpg» se declaró como JPG, pero su contenido es un archivo que no es "
     "PDF, PNG ni JPG. Adjunte el documento correcto."),
    ("solicitud.png", "application/pdf", PDF, "attachment_extension_mismatch",
     "El nombre «solicitud.png» termina en «.png», pero el archivo es PDF: use la extensión "
     ".pdf."),
    ("solicitud", "application/pdf", PDF, "attachment_extension_mismatch",
     "El nombre «solicitud» no tiene extensión, pero el archivo es PDF: use la extensión .pdf."),
    ("virus.exe", "application/x-msdownload", b"MZ", "unsupported_media_type",
     "Tipo de archivo no admitido «application/x-msdownload». Adjunte documentos escaneados "
     "en PDF, PNG o JPG."),
    ("vacio.pdf", "application/pdf", b"", "empty_attachment", "El archivo «vacio.pdf» está vacío."),
    ("", "application/pdf", PDF, "invalid_file_name", "Indique el nombre del archivo."),
    ("../", "application/pdf", PDF, "invalid_file_name", "Indique el nombre del archivo."),
])
def test_bad_attachments_are_refused(hub: OfficeHub, clerk: DeviceIdentity, name: str,
                                     media_type: str, content: bytes, code: str,
                                     message: str) -> None:
    number = hub.file_expediente(clerk, partida()).number
    assert refused(hub, InvalidInput, code, lambda: hub.attach(
        clerk, number, name, media_type, content)) == message


def test_the_attachment_limit_is_exact(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    number = hub.file_expediente(clerk, partida()).number
    largest = files.pdf(size=10 * MB)
    assert hub.attach(clerk, number, "grande.pdf", "application/pdf", largest).size == 10 * MB
    refused(hub, InvalidInput, "attachment_too_large", lambda: hub.attach(
        clerk, number, "grande2.pdf", "application/pdf", largest + b"x"))


# --- transitions out of order ------------------------------------------------------------


def bring_to(hub: OfficeHub, clerk: DeviceIdentity, status: Status) -> ExpedienteView:
    """A partida (aprobación automática, S/ 8.50, with its acta) brought to `status` through
    the hub."""
    # Denied: only one whose acta the archive did not find (aprobación automática, art. 33).
    view = hub.file_expediente(clerk, partida(
        None if status is Status.DENEGADO else add_acta(hub),
        requirements_presented=[1] if status is Status.OBSERVADO else [1, 2]))
    number = view.number
    if status in (Status.APROBADO, Status.ENTREGADO, Status.NULO):
        hub.pay(clerk, number, PaymentInput(amount=Decimal("8.50")))  # approved: art. 33
    steps = {Status.EN_AREA: [("derive", {"area": "Archivo"})],
             Status.ENTREGADO: [("deliver", {})],
             Status.DENEGADO: [("deny", {"note": "No existe el acta"})],
             Status.ANULADO: [("cancel", {"note": "Desistió"})]}
    for action, fields in steps.get(status, []):
        act(hub, clerk, number, action, **fields)
    if status is Status.NULO:
        supervisor = person_on(hub, hub.add_device(SYSTEM, "PC supervisión", "supervisor")[1],
                               SUPERVISOR)
        hub.nullify(supervisor, number, NullityInput(reason="DNI falso"))
    view = hub.expediente(clerk, number)
    assert view.status == status
    return view


ALLOWED = {  # aprobación automática: approved once paid, never denied (art. 33)
    Status.RECIBIDO: {"observe", "derive", "cancel"},
    Status.OBSERVADO: {"correct", "cancel"},
    Status.EN_AREA: {"observe", "derive", "cancel"},
    Status.APROBADO: {"deliver"},  # undone only by a nulidad de oficio (a supervisor)
    Status.ENTREGADO: set(),
    Status.DENEGADO: set(),
    Status.ANULADO: set(),
    Status.NULO: set(),
}
BY_LAW = (Status.RECIBIDO, Status.OBSERVADO, Status.EN_AREA, Status.APROBADO)


@pytest.mark.parametrize("status", list(Status))
def test_every_out_of_order_transition_is_refused(hub: OfficeHub, clerk: DeviceIdentity,
                                                  status: Status) -> None:
    view = bring_to(hub, clerk, status)
    assert set(view.allowed_actions) == ALLOWED[status]
    fields = {"note": "Una nota", "area": "Archivo", "inspection_result": "conforme",
              "requirements_presented": [2] if status is Status.OBSERVADO else []}
    for action in Action:
        if str(action) in ALLOWED[status]:
            continue
        if action is Action.NULLIFY:  # its own operation: TransitionInput does not take it
            continue
        code = "illegal_transition"
        if action is Action.APPROVE and status in (Status.RECIBIDO, Status.EN_AREA):
            code = "action_blocked"
        if action is Action.DENY and status in BY_LAW:
            code = "approved_by_law"
        message = refused(hub, Conflict, code, lambda a=action: act(
            hub, clerk, view.number, str(a), **fields))
        assert view.number in message
        if code == "approved_by_law":
            assert "aprobación automática (art. 33 del TUO de la Ley 27444" in message
        elif action is Action.LINK_ACTA and status is not Status.DENEGADO:
            assert "ya tiene su acta vinculada" in message
        elif action is Action.REVIEW:  # a partida has no Comisión Técnica (record 37)
            assert "solo las licencias de edificación de modalidad C o D" in message
        elif action is not Action.INSPECT:
            assert f"está «{view.status_text}»" in message or "falta pagar S/ 8.50" in message


def test_notes_and_areas_are_required(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    number = hub.file_expediente(clerk, partida()).number
    message = refused(hub, InvalidInput, "note_required",
                      lambda: act(hub, clerk, number, "observe"))
    assert message == ("Para observar el expediente escriba en la nota qué debe corregir o "
                       "presentar el ciudadano.")
    refused(hub, InvalidInput, "note_required", lambda: act(hub, clerk, number, "deny",
                                                            note="   "))
    refused(hub, InvalidInput, "area_required", lambda: act(hub, clerk, number, "derive"))
    refused(hub, InvalidInput, "invalid_requirement", lambda: act(
        hub, clerk, number, "derive", area="Archivo", requirements_presented=[3]))
    refused(hub, NotFound, "unknown_ticket", lambda: act(
        hub, clerk, number, "derive", area="Archivo", ticket_id="no-such-ticket"))


def test_an_observation_in_the_area_returns_there(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    number = bring_to(hub, clerk, Status.EN_AREA).number
    observed = act(hub, clerk, number, "observe", note="Falta la fecha de nacimiento")
    assert isinstance(observed, ExpedienteView)
    assert (observed.status, observed.observation_due) == ("observado", date(2026, 11, 24))
    corrected = act(hub, clerk, number, "correct")
    assert isinstance(corrected, ExpedienteView)
    assert (corrected.status, corrected.area, corrected.stopped_working_days) == (
        "en_area", "Archivo", 0)


def test_the_system_identity_files_without_a_clerk(hub: OfficeHub) -> None:
    filed = hub.file_expediente(SYSTEM, ExpedienteInput(procedure="MP-01", person=person(),
                                                        requirements_presented=[1]))
    assert (filed.events[0].who, filed.events[0].where) == ("sistema", "sistema")
