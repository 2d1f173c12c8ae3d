"""Expedientes on a real office store: a partida from ticket to delivered copy, an edificación,
silencio positivo, citizens reused by document. Helpers here are shared by the other
test_expedientes_*.py files."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.clock import VirtualClock
from kiosk.errors import Conflict, Forbidden, Unauthorized
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.ids import new_id
from kiosk.rules.expedientes import format_tracking_code
from kiosk.rules.names import search_key
from kiosk.rules.permissions import Role
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import (
    BusinessInput,
    EdificacionDetails,
    ExpedienteInput,
    PartidaDetails,
    PaymentInput,
    PersonInput,
    TransitionInput,
)
from kiosk.storage.tables import (
    Acta,
    Attachment,
    Business,
    Event,
    Expediente,
    ExpedienteTicket,
    Payment,
    Person,
    YearSequence,
)
from tests.conftest import LIMA

CLERK_NAME = "Ana Torres Chávez"  # the demo clerk «ana» of the `clerk` fixture


# --- helpers shared by the test_expedientes_*.py files -------------------------------------


def person(doc_number: str = "10117410", given: str = "Juan Carlos",
           paternal: str = "Quispe", maternal: str | None = "Mamani", **extra: str
           ) -> PersonInput:
    return PersonInput(doc_number=doc_number, given_names=given, paternal_surname=paternal,
                       maternal_surname=maternal, **extra)


def add_acta(hub: OfficeHub, kind: str = "nacimiento", number: str = "1001",
             event_date: date = date(1990, 5, 14), given: str = "Juan Carlos",
             paternal: str = "Quispe", maternal: str = "Mamani") -> str:
    """An entry of the office's civil registry index (written directly: test data)."""
    with hub.unit_of_work() as uow:
        acta = Acta(id=new_id(), office_id=hub.office.office_id, kind=kind, acta_number=number,
                    book="12", folio="34", event_date=event_date,
                    registered_on=event_date + timedelta(days=10), place="Cajamarca",
                    titular_given=given, titular_paternal=paternal, titular_maternal=maternal,
                    titular_search=search_key(paternal, maternal, given),
                    father_name="Pedro Quispe Rojas", mother_name="Rosa Mamani Cruz",
                    created_at=uow.now)
        uow.session.add(acta)
        uow.commit()
        return acta.id


def partida(acta_id: str | None = None, **changes: object) -> ExpedienteInput:
    details = PartidaDetails(acta_id=acta_id,
                             search_note=None if acta_id else "Nacido en Cajamarca en 1990")
    fields: dict[str, object] = {"procedure": "RC-01", "person": person(),
                                 "requirements_presented": [1, 2], "pages": 1,
                                 "details": details}
    fields.update(changes)
    return ExpedienteInput.model_validate(fields)


def edificacion(code: str = "LE-B", modalidad: str = "B", presented: tuple[int, ...] = (1, 4, 5)
                ) -> ExpedienteInput:
    return ExpedienteInput(
        procedure=code, person=person(), requirements_presented=list(presented), pages=42,
        details=EdificacionDetails(modalidad=modalidad,  # type: ignore[arg-type]
                                   work_address="Jr. Amalia Puga 455, Cajamarca",
                                   description="Vivienda unifamiliar de dos pisos",
                                   professional_name="Arq. Lucía Cabrera Vega",
                                   professional_registration="CAP 12345"))


def business(ruc: str = "20512333797", name: str = "Bodega Doña Rosa E.I.R.L.") -> BusinessInput:
    return BusinessInput(ruc=ruc, name=name, address="Jr. Dos de Mayo 123, Cajamarca")


def act(hub: OfficeHub, device: DeviceIdentity, number: str, action: str,
        **fields: object) -> object:
    return hub.transition(device, number, TransitionInput.model_validate(
        {"action": action, **fields}))


def row_counts(hub: OfficeHub) -> dict[str, int]:
    """How many rows each table the expedientes write to holds (to prove nothing was written)."""
    with hub.store.read_session() as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Event, Expediente, ExpedienteTicket, Payment, Attachment, Person,
                              Business, YearSequence)}


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def kinds(view: object) -> list[str]:
    return [e.kind for e in view.events]  # type: ignore[attr-defined]


def kiosk_device() -> DeviceIdentity:
    return DeviceIdentity(id="kiosk-1", name="Quiosco de la entrada", role=Role.KIOSK)


# --- a partida from ticket to delivered copy ---------------------------------------------


def test_a_partida_from_ticket_to_delivered_copy(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    acta = add_acta(hub)
    issued = hub.issue_ticket(kiosk_device(), "partidas")
    hub.open_counter(clerk, 3)
    called = hub.call_next(clerk, 3)
    assert called is not None and called.id == issued.id
    hub.start(clerk, issued.id)

    filed = hub.file_expediente(clerk, partida(
        acta, ticket_id=issued.id,
        details=PartidaDetails(acta_id=acta, copies=2, relation="titular")))
    assert (filed.number, filed.status, filed.status_text) == (
        "CAJ-2026-000001", "recibido", "Recibido")
    assert (filed.procedure_code, filed.procedure_version, filed.variant) == (
        "RC-01", 1, "nacimiento")
    assert (filed.fee, filed.fee_basis, filed.paid, filed.balance) == (
        Decimal("17.00"), "Monto fijo × 2 copias", Decimal("0.00"), Decimal("17.00"))
    # Deadline 1 working day, filed Friday 20 Nov 2026 → Monday 23 Nov.
    assert (filed.deadline_working_days, filed.due_date) == (1, date(2026, 11, 23))
    assert filed.calificacion_text == "Aprobación automática"
    assert filed.person is not None and filed.person.full_name == "Juan Carlos Quispe Mamani"
    assert filed.applicant_name == "Juan Carlos Quispe Mamani"
    assert filed.acta is not None and (filed.acta.acta_number, filed.acta.minor) == ("1001",
                                                                                   False)
    assert [r.presented for r in filed.requirements] == [True, True, False, False, False]
    # approve: unpaid; deny: never for aprobación automática (TUO Ley 27444 art. 33)
    assert filed.allowed_actions == ["observe", "derive", "cancel"]
    assert len(filed.tracking_code) == 13
    [received] = filed.events
    assert (received.kind, received.kind_text, received.who, received.where, received.area) == (
        "received", "Recibido", CLERK_NAME, "Ventanilla 3", "Registro Civil")

    paid = hub.pay(clerk, filed.number, PaymentInput(amount=Decimal("17.00"),
                                                     cash_received=Decimal("20.00"),
                                                     ticket_id=issued.id))
    assert (paid.receipt_number, paid.amount, paid.change, paid.payer, paid.clerk,
            paid.counter) == ("CAJ-R-2026-000001", Decimal("17.00"), Decimal("3.00"),
                              "Juan Carlos Quispe Mamani", CLERK_NAME, 3)
    after_payment = hub.expediente(clerk, filed.number)
    assert after_payment.balance == Decimal("0.00")
    assert after_payment.requirements[4].presented  # «Pago del derecho de trámite»
    # Aprobación automática (TUO Ley 27444 art. 33): approved once filed complete and paid.
    assert (after_payment.status, after_payment.approved_by_law) == (
        "aprobado", "approved_automatically")
    assert after_payment.allowed_actions == ["deliver"]
    assert after_payment.payments == [paid]

    delivered = act(hub, clerk, filed.number, "deliver", note="Entregadas 2 copias",
                    ticket_id=issued.id)
    assert delivered.status == "entregado"  # type: ignore[attr-defined]
    assert delivered.allowed_actions == []  # type: ignore[attr-defined]
    assert kinds(delivered) == ["received", "paid", "approved_automatically", "delivered"]
    assert delivered.events[-1].note == "Entregadas 2 copias"  # type: ignore[attr-defined]

    finished = hub.finish(clerk, issued.id)
    assert finished.expedientes == ["CAJ-2026-000001"]
    assert hub.ticket(clerk, issued.id).expedientes == finished.expedientes  # read back too
    with hub.store.read_session() as session:
        event = session.scalars(select(Event).where(Event.kind == "finished")).one()
        assert event.data["expedientes"] == ["CAJ-2026-000001"]
        data = session.scalars(select(Event.data).where(Event.kind == "delivered")).one()
        assert (data["who"], data["who_id"], data["where"], data["counter"], data["ticket"]) == (
            CLERK_NAME, clerk.clerk.user_id if clerk.clerk else None, "Ventanilla 3", 3,
            "A-001")

    # The tracking code finds it, whatever the case and dashes.
    code = format_tracking_code(filed.tracking_code).lower()
    assert hub.expediente(clerk, code).number == filed.number
    assert hub.expediente(clerk, "caj-2026-1").number == filed.number

    closing = hub.cash_closing(clerk)
    assert (closing.username, closing.clerk, closing.count, closing.total) == (
        "ana", CLERK_NAME, 1, Decimal("17.00"))
    assert closing.by_method == {"efectivo": Decimal("17.00"), "banco_nacion": Decimal("0.00")}
    assert [line.receipt_number for line in closing.lines] == ["CAJ-R-2026-000001"]


def test_the_kiosk_gets_only_the_public_status(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    filed = hub.file_expediente(clerk, partida())
    kiosk = kiosk_device()
    with pytest.raises(Forbidden) as caught:
        hub.expediente(kiosk, filed.number)
    assert caught.value.message == "Un dispositivo de tipo quiosco no puede hacer esto."
    public = hub.public_status(kiosk, filed.tracking_code)
    assert public.model_dump() == {
        "number": "CAJ-2026-000001",
        "procedure_name": "Copia certificada de partida de nacimiento",
        "status": "recibido", "status_text": "Recibido", "filed_on": date(2026, 11, 20),
        "due_date": date(2026, 11, 23), "observation_due": None, "silencio_positivo": False}
    for device in (kiosk, DeviceIdentity(id="tv", name="Pantalla", role=Role.DISPLAY)):
        with pytest.raises(Forbidden):
            hub.file_expediente(device, partida())
        with pytest.raises(Forbidden):
            hub.cash_closing(device, None, "ana")


def test_writes_need_a_logged_in_clerk(hub: OfficeHub, tokens: dict[str, str]) -> None:
    counter = hub.authenticate(tokens["counter"])  # the device, nobody logged in
    before = row_counts(hub)
    with pytest.raises(Unauthorized) as caught:
        hub.file_expediente(counter, partida())
    assert caught.value.message == "Inicie sesión con su usuario para registrar trámites."
    filed = hub.file_expediente(SYSTEM, partida())  # the hub's own identity may
    assert filed.events[0].who == "sistema"
    with pytest.raises(Unauthorized):
        hub.pay(counter, filed.number, PaymentInput(amount=Decimal("8.50")))
    with pytest.raises(Unauthorized):
        act(hub, counter, filed.number, "cancel", note="x")
    with pytest.raises(Unauthorized):  # nor reading: personal data needs a person too
        hub.expediente(counter, filed.number)
    assert row_counts(hub)["payments"] == before["payments"]


# --- edificación -------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "modalidad", "presented", "fee", "due"), [
    # Filed Fri 20 Nov 2026. 15 working days: 23-27 Nov (5), 30 Nov-4 Dec (10), 7 Dec (11),
    # 8-9 Dec holidays, 10, 11, 14, 15 Dec (15).
    ("LE-B", "B", (1, 4, 5), Decimal("176.00"), date(2026, 12, 15)),
    # 25 working days: 16-18 Dec (18), 21-24 Dec (22), 25 Dec holiday, 28-30 Dec (25).
    ("LE-C", "C", (1, 4, 5, 6, 7), Decimal("302.50"), date(2026, 12, 30)),
])
def test_an_edificacion_through_derivation_and_approval(
        hub: OfficeHub, clerk: DeviceIdentity, code: str, modalidad: str,
        presented: tuple[int, ...], fee: Decimal, due: date) -> None:
    filed = hub.file_expediente(clerk, edificacion(code, modalidad, presented))
    assert (filed.status, filed.fee, filed.due_date, filed.variant, filed.pages) == (
        "recibido", fee, due, modalidad, 42)
    assert filed.details["professional_registration"] == "CAP 12345"
    hub.pay(clerk, filed.number, PaymentInput(amount=fee, method="banco_nacion",
                                              voucher_number="0012-345678"))
    area = "Comisión Técnica de Edificaciones"
    derived = act(hub, clerk, filed.number, "derive", area=area,
                  note="Para revisión del proyecto")
    assert (derived.status, derived.area) == ("en_area", area)  # type: ignore[attr-defined]
    assert derived.events[-1].area == area  # type: ignore[attr-defined]
    reviewed = []
    if modalidad == "C":  # the Comisión Técnica's dictamen comes first (record 37)
        act(hub, clerk, filed.number, "review", dictamen="conforme")
        reviewed = ["reviewed"]
    approved = act(hub, clerk, filed.number, "approve", note="Proyecto conforme")
    assert approved.status == "aprobado"  # type: ignore[attr-defined]
    assert kinds(act(hub, clerk, filed.number, "deliver")) == [
        "received", "paid", "derived", *reviewed, "approved", "delivered"]
    voucher = hub.expediente(clerk, filed.number).payments[0]
    assert (voucher.method, voucher.voucher_number, voucher.change) == (
        "banco_nacion", "0012345678", None)


# --- silencio positivo -------------------------------------------------------------------


def test_silencio_positivo_shows_when_the_deadline_passes(hub: OfficeHub, clerk: DeviceIdentity,
                                                          clock: VirtualClock) -> None:
    filed = hub.file_expediente(clerk, edificacion())
    rc = hub.file_expediente(clerk, partida())  # aprobación automática: late, never silencio
    assert filed.due_date == date(2026, 12, 15)
    # The last day, late at night in Lima (already 16 Dec in UTC): still in time.
    clock.set(datetime(2026, 12, 15, 23, 30, tzinfo=LIMA))
    view = hub.expediente(clerk, filed.number)
    assert (view.silencio_positivo, view.overdue) == (False, False)
    clock.set(datetime(2026, 12, 16, 8, 0, tzinfo=LIMA))
    view = hub.expediente(clerk, filed.number)
    assert (view.silencio_positivo, view.overdue) == (True, True)
    assert hub.public_status(kiosk_device(), filed.number).silencio_positivo
    late_partida = hub.expediente(clerk, rc.number)
    # Aprobación automática is never overdue (art. 33).
    assert (late_partida.silencio_positivo, late_partida.overdue) == (False, False)
    # A decision ends it.
    hub.pay(clerk, filed.number, PaymentInput(amount=filed.fee))
    approved = act(hub, clerk, filed.number, "approve")
    assert (approved.silencio_positivo, approved.overdue) == (  # type: ignore[attr-defined]
        False, False)


# --- citizens ----------------------------------------------------------------------------


def test_citizens_are_reused_by_document(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    first = hub.file_expediente(clerk, partida())
    # Same DNI typed with dots and the check digit, names in capitals without accents, a phone.
    second = hub.file_expediente(clerk, partida(person=person(
        doc_number="10.117.410-2", given="JUAN", paternal="QUISPE", maternal="MAMANI",
        phone="976 543 210")))
    assert first.person is not None and second.person is not None
    assert second.person.id == first.person.id
    assert (second.person.phone, second.person.given_names) == ("976 543 210", "Juan Carlos")
    assert row_counts(hub)["persons"] == 1
    third = hub.file_expediente(clerk, partida(person=None, person_id=first.person.id))
    assert third.person == second.person
    with hub.store.read_session() as session:
        assert [e for e in session.scalars(select(Event.kind).where(Event.stream == "person"))
                ] == ["person_added", "person_updated"]


def test_a_mistyped_dni_never_attaches_someone_else(hub: OfficeHub, clerk: DeviceIdentity
                                                    ) -> None:
    hub.file_expediente(clerk, partida())
    before = row_counts(hub)
    with pytest.raises(Conflict) as caught:
        hub.file_expediente(clerk, partida(person=person(given="Rosa", paternal="Huamán",
                                                         maternal="Cruz")))
    assert caught.value.code == "document_name_mismatch"
    assert caught.value.message.startswith(
        "El DNI 10117410 ya está registrado a nombre de Juan Carlos Quispe Mamani, no de Rosa "
        "Huamán Cruz. Revise el número del documento")
    assert row_counts(hub) == before


def test_a_business_is_reused_by_ruc_with_its_representative(hub: OfficeHub,
                                                             clerk: DeviceIdentity) -> None:
    request = ExpedienteInput(procedure="MP-01", business=business(), person=person(),
                              requirements_presented=[1])
    first = hub.file_expediente(clerk, request)
    again = hub.file_expediente(clerk, request.model_copy(update={
        "business": business(ruc="20-51233379-7", name="BODEGA DOÑA ROSA EIRL")}))
    assert first.business is not None and again.business is not None
    assert again.business.id == first.business.id
    assert again.applicant_name == "Bodega Doña Rosa E.I.R.L."
    # Free and complete, aprobación automática: approved on filing (TUO Ley 27444 art. 33).
    assert (again.fee, again.due_date, again.status) == (
        Decimal("0.00"), date(2026, 11, 20), "aprobado")
    with hub.store.read_session() as session:
        stored = session.get(Business, first.business.id)
        assert stored is not None and stored.representative_id == first.person.id  # type: ignore[union-attr]
    with pytest.raises(Conflict) as caught:
        hub.file_expediente(clerk, request.model_copy(update={
            "business": business(name="Ferretería El Tornillo S.A.C.")}))
    assert "ya está registrado a nombre de «Bodega Doña Rosa E.I.R.L.»" in caught.value.message


def test_numbers_follow_the_year(hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock
                                 ) -> None:
    assert hub.file_expediente(clerk, partida()).number == "CAJ-2026-000001"
    assert hub.file_expediente(clerk, partida()).number == "CAJ-2026-000002"
    clock.set(datetime(2026, 12, 31, 23, 50, tzinfo=LIMA))  # 1 Jan 2027 04:50 UTC
    late = hub.file_expediente(clerk, partida())
    assert late.number == "CAJ-2026-000003"
    receipt = hub.pay(clerk, late.number, PaymentInput(amount=Decimal("8.50")))
    assert receipt.receipt_number == "CAJ-R-2026-000001"


# --- the procedure version and variant ---------------------------------------------------


def test_an_expediente_keeps_the_version_it_was_filed_under(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock, tmp_path: Path) -> None:
    from tests.integration.test_tupa import partida as tupa_partida
    from tests.integration.test_tupa import write

    first = hub.file_expediente(clerk, partida())
    # A new version from 1 Dec 2026; the file does not repeat the variant: it is kept.
    hub.import_catalogue(SYSTEM, write(tmp_path, tupa_partida(effective_from="2026-12-01",
                                                              fee="9.00")))
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=LIMA))
    second = hub.file_expediente(clerk, partida())
    assert (second.procedure_version, second.fee, second.variant) == (2, Decimal("9.00"),
                                                                      "nacimiento")
    again = hub.expediente(clerk, first.number)
    assert (again.procedure_version, again.fee, again.balance) == (1, Decimal("8.50"),
                                                                   Decimal("8.50"))
    assert hub.pay(clerk, first.number, PaymentInput(amount=Decimal("8.50"))).amount == (
        Decimal("8.50"))


def test_the_variant_is_checked_on_import(hub: OfficeHub, tmp_path: Path) -> None:
    from kiosk.errors import InvalidInput
    from tests.integration.test_tupa import partida as tupa_partida
    from tests.integration.test_tupa import write

    text = tupa_partida().replace('category = "partida"',
                                  'category = "partida"\nvariant = "bautizo"')
    with pytest.raises(InvalidInput) as caught:
        hub.import_catalogue(SYSTEM, write(tmp_path, text))
    assert caught.value.message == (
        "tupa.toml, línea 2 ([[procedures]] n.º 1 «RC-01»): Valor no permitido para «variant» "
        "(el tipo de partida): «bautizo». Use uno de: nacimiento, matrimonio, defuncion.")
    moved = tupa_partida().replace('category = "partida"', 'category = "partida"\n'
                                   'variant = "defuncion"')
    assert hub.import_catalogue(SYSTEM, write(tmp_path, moved)).procedures_updated == 1
    assert hub.procedure(SYSTEM, "RC-01").variant == "defuncion"
    assert hub.procedure(SYSTEM, "LF-03").variant == "alto"
    assert hub.procedure(SYSTEM, "MP-01").variant is None
