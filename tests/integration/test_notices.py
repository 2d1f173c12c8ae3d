"""Notices to citizens through real providers on loopback: an SMTP server (aiosmtpd) and an
SMS gateway (http.server) that fails on purpose. Each notice leaves once, after retries with
backoff on the virtual clock, across a restart of the hub, and never after the citizen
withdrew the consent."""

from __future__ import annotations

import json
import socket
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import func, select

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import Conflict, InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.hub.notices import NoticeRound
from kiosk.notice_job import NoticeJob
from kiosk.notice_senders import senders
from kiosk.rules.notices import SMS_MAX, Channel, NoticeKind, gsm7_length
from kiosk.services import notices
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import NoticeContactInput
from kiosk.settings import OfficeConfig
from kiosk.storage.tables import Event, Notice, NoticeConsent
from tests.integration.test_expedientes import act, edificacion

MOBILE = "987654321"
EMAIL = "vecina@correo.pe"
KEY = "clave-secreta-de-la-pasarela"


# --- the providers on loopback -------------------------------------------------------------


class Mailbox:
    """aiosmtpd's handler: the messages the server accepted."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Smtp:
    port: int
    mailbox: Mailbox
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    server = Smtp(free_port(), Mailbox())
    server.start()
    yield server
    server.stop()


@dataclass
class Gateway:
    """An SMS gateway that answers `failures` first (503 by default), then 202."""

    failures: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/sms"


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            status = state.failures.pop(0) if state.failures else 202
            state.received.append({"status": status, "body": body,
                                   "authorization": self.headers["Authorization"],
                                   "key": self.headers["Idempotency-Key"]})
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    state.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=state.server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.server.shutdown()
    state.server.server_close()
    thread.join(timeout=10)


def providers(config: OfficeConfig, smtp: Smtp | None, gateway: Gateway | None
              ) -> dict[Channel, notices.Sender]:
    """What the notice job builds from the office's settings (kiosk.notice_senders.senders)."""
    changes: dict[str, Any] = {}
    if smtp is not None:
        changes.update(notice_smtp_host="127.0.0.1", notice_smtp_port=smtp.port,
                       notice_smtp_security="ninguno", notice_sender="avisos@cac.gob.pe")
    if gateway is not None:
        changes.update(notice_sms_url=gateway.url, notice_sms_key=KEY)
    return senders(replace(config, **changes))


def contact(mobile: str | None = MOBILE, email: str | None = EMAIL, consent: bool = True
            ) -> NoticeContactInput:
    return NoticeContactInput(mobile=mobile, email=email, consent=consent)


def outbox(hub: OfficeHub) -> list[tuple[str, str, str, int]]:
    with hub.store.read_session() as session:
        return [(n.channel, n.kind, n.state, n.attempts) for n in session.scalars(
            select(Notice).order_by(Notice.created_at, Notice.channel))]


def observe(hub: OfficeHub, clerk: DeviceIdentity, number: str) -> None:
    act(hub, clerk, number, "observe", note="Falta la firma del profesional en los planos")


# --- the flows -----------------------------------------------------------------------------


def test_a_filing_with_consent_gets_its_observation_by_sms_and_e_mail(
        hub: OfficeHub, clerk: DeviceIdentity, smtp: Smtp, gateway: Gateway) -> None:
    filed = hub.file_expediente(clerk, edificacion().model_copy(update={"contact": contact()}))
    with hub.store.read_session() as session:
        consent = session.scalars(select(NoticeConsent)).one()
        assert (consent.mobile, consent.email, consent.given_at, consent.given_by_name) == (
            MOBILE, EMAIL, hub.clock.now(), "Ana Torres Chávez")
        given = session.scalars(select(Event).where(Event.kind == "consent_given")).one()
        assert given.data["channels"] == ["sms", "email"]
        assert MOBILE not in json.dumps(given.data) and EMAIL not in json.dumps(given.data)
    assert outbox(hub) == []  # received: nothing to tell yet
    observe(hub, clerk, filed.number)
    assert outbox(hub) == [("email", "observed", "pending", 0), ("sms", "observed", "pending", 0)]

    done = hub.send_due_notices(providers(hub.config, smtp, gateway))
    assert (done.sent, done.retrying, done.failed) == (2, 0, 0)
    assert sorted(o[2] for o in outbox(hub)) == ["sent", "sent"]
    [mail] = smtp.mailbox.messages
    assert (mail["To"], mail["Subject"]) == (EMAIL, f"Expediente {filed.number}: observado")
    assert mail["Message-ID"].startswith("<expediente.")
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes) and "fue OBSERVADO" in payload.decode("utf-8")
    [sms] = gateway.received
    text = sms["body"]["text"]
    assert sms["body"]["to"] == f"+51{MOBILE}" and sms["authorization"] == f"Bearer {KEY}"
    assert sms["key"].endswith(":sms") and sms["body"]["reference"] == sms["key"]
    assert text == (f"CAC Cajamarca: su expediente {filed.number} fue OBSERVADO. Acérquese a "
                    "subsanarlo dentro de 2 dias habiles.")
    assert gsm7_length(text) is not None and len(text) <= SMS_MAX
    # Nothing of the person in it: the name and DNI of the filing are not there.
    assert "Quispe" not in text and "10117410" not in text

    # Approved later: one more notice each; nothing sent twice.
    act(hub, clerk, filed.number, "correct", requirements_presented=[])
    hub.pay(clerk, filed.number, _fee(hub, clerk, filed.number))
    act(hub, clerk, filed.number, "derive", area="Obras")
    act(hub, clerk, filed.number, "approve", note="Conforme")
    hub.send_due_notices(providers(hub.config, smtp, gateway))
    assert [m["Subject"] for m in smtp.mailbox.messages] == [
        f"Expediente {filed.number}: observado", f"Expediente {filed.number}: aprobado"]
    assert len(gateway.received) == 2


def _fee(hub: OfficeHub, clerk: DeviceIdentity, number: str) -> Any:
    from kiosk.services.expediente_views import PaymentInput

    view = hub.expediente(clerk, number)
    return PaymentInput(amount=view.balance, method="banco_nacion", voucher_number="0012-345678")


def test_a_failing_gateway_is_retried_with_backoff_on_the_hub_clock(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock, gateway: Gateway) -> None:
    gateway.failures = [503, 503]
    filed = hub.file_expediente(clerk, edificacion().model_copy(
        update={"contact": contact(email=None)}))
    observe(hub, clerk, filed.number)
    sms_only = providers(hub.config, None, gateway)
    assert hub.send_due_notices(sms_only).retrying == 1
    assert hub.send_due_notices(sms_only).retrying == 0  # not due again yet
    clock.advance(timedelta(seconds=59))
    hub.send_due_notices(sms_only)
    assert len(gateway.received) == 1
    clock.advance(timedelta(seconds=1))  # 1 minute after the first try
    assert hub.send_due_notices(sms_only).retrying == 1
    clock.advance(timedelta(minutes=1, seconds=59))
    hub.send_due_notices(sms_only)
    assert len(gateway.received) == 2  # the second wait is 2 minutes
    clock.advance(timedelta(seconds=1))
    assert hub.send_due_notices(sms_only).sent == 1
    assert [r["status"] for r in gateway.received] == [503, 503, 202]
    assert len({r["key"] for r in gateway.received}) == 1  # the same idempotency key each try
    assert outbox(hub) == [("sms", "observed", "sent", 3)]
    assert hub.send_due_notices(sms_only).sent == 0  # and never again


def test_a_refused_key_fails_for_good_and_the_supervisor_sees_it(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock, gateway: Gateway,
        tokens: dict[str, str]) -> None:
    from tests.conftest import SUPERVISOR, person_on

    gateway.failures = [401]
    filed = hub.file_expediente(clerk, edificacion().model_copy(
        update={"contact": contact(email=None)}))
    observe(hub, clerk, filed.number)
    assert hub.send_due_notices(providers(hub.config, None, gateway)).failed == 1
    clock.advance(timedelta(days=1))
    hub.send_due_notices(providers(hub.config, None, gateway))
    assert len(gateway.received) == 1  # a failed notice is not retried
    supervisor = person_on(hub, tokens["supervisor"], SUPERVISOR)
    seen = hub.notice_overview(supervisor)
    assert (seen.failed, seen.sent, seen.pending) == (1, 0, 0)
    [item] = seen.items
    assert (item.reference, item.kind, item.channel, item.state, item.last_error) == (
        filed.number, "observed", "sms", "failed", "La pasarela de SMS no aceptó la clave.")
    assert MOBILE not in seen.model_dump_json()


def test_the_same_event_enqueued_twice_is_one_notice(hub: OfficeHub, clerk: DeviceIdentity
                                                      ) -> None:
    filed = hub.file_expediente(clerk, edificacion().model_copy(update={"contact": contact()}))
    with hub.unit_of_work() as uow:
        expediente_id = hub.expediente(clerk, filed.number).id
        added = [notices.enqueue_notice(uow, notices.EXPEDIENTE, expediente_id, "evento-1",
                                        NoticeKind.APPROVED, filed.number) for _ in range(2)]
        uow.commit()
    assert added == [2, 0]  # one per channel, then nothing
    assert [o[:2] for o in outbox(hub)] == [("email", "approved"), ("sms", "approved")]


def test_a_withdrawn_consent_sends_nothing(hub: OfficeHub, clerk: DeviceIdentity,
                                           smtp: Smtp, gateway: Gateway) -> None:
    filed = hub.file_expediente(clerk, edificacion().model_copy(update={"contact": contact()}))
    observe(hub, clerk, filed.number)
    withdrawn = hub.withdraw_notice_consent(clerk, filed.number)
    assert (withdrawn.reference, withdrawn.cancelled) == (filed.number, 2)
    act(hub, clerk, filed.number, "cancel", note="Se tiene por no presentado")
    assert hub.send_due_notices(providers(hub.config, smtp, gateway)).sent == 0
    assert smtp.mailbox.messages == [] and gateway.received == []
    assert sorted(o[2] for o in outbox(hub)) == ["cancelled", "cancelled"]
    with hub.store.read_session() as session:
        consent = session.scalars(select(NoticeConsent)).one()
        assert (consent.mobile, consent.email, consent.withdrawn_by_name) == (
            None, None, "Ana Torres Chávez")  # the contact is erased, the record stays
        assert session.scalar(select(func.count()).select_from(Event).where(
            Event.kind == "consent_withdrawn")) == 1
    with pytest.raises(Conflict) as twice:
        hub.withdraw_notice_consent(clerk, filed.number)
    assert twice.value.code == "no_consent"


def test_a_contact_without_consent_is_refused_and_nothing_is_kept(
        hub: OfficeHub, clerk: DeviceIdentity) -> None:
    with pytest.raises(InvalidInput) as refused:
        hub.file_expediente(clerk, edificacion().model_copy(
            update={"contact": contact(consent=False)}))
    assert refused.value.code == "consent_required"
    with pytest.raises(InvalidInput) as wrong:
        hub.file_expediente(clerk, edificacion().model_copy(
            update={"contact": contact(mobile="12345")}))
    assert wrong.value.code == "invalid_mobile"
    with hub.store.read_session() as session:
        assert session.scalar(select(func.count()).select_from(NoticeConsent)) == 0


def test_offline_notices_wait_and_leave_once_after_the_hub_restarts(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock, data_dir: DataDir) -> None:
    down = Smtp(free_port(), Mailbox())  # no server listens there yet: no link
    filed = hub.file_expediente(clerk, edificacion().model_copy(
        update={"contact": contact(mobile=None)}))
    observe(hub, clerk, filed.number)
    assert NoticeJob(hub).run_once() == NoticeRound()  # no provider set: it waits, untried
    assert outbox(hub) == [("email", "observed", "pending", 0)]
    for _ in range(4):  # four tries without a link: waiting, never dropped
        assert hub.send_due_notices(providers(hub.config, down, None)).retrying == 1
        clock.advance(timedelta(hours=1))
    assert outbox(hub) == [("email", "observed", "pending", 4)]
    hub.close()  # the hub is killed; the notice is in its store

    down.start()
    try:
        again = OfficeHub(data_dir, clock)
        try:
            job = NoticeJob(again)  # what the hub service runs, with the settings it holds
            again.change_office_settings(SYSTEM, OfficeSettingsChange(
                notice_smtp_host="127.0.0.1", notice_smtp_port=down.port,
                notice_smtp_security="ninguno", notice_sender="avisos@cac.gob.pe"))
            assert job.run_once().sent == 1
            assert job.run_once().sent == 0
            clock.advance(timedelta(days=1))
            assert job.run_once().sent == 0
        finally:
            again.close()
    finally:
        down.stop()
    assert [m["Subject"] for m in down.mailbox.messages] == [
        f"Expediente {filed.number}: observado"]


def test_the_gateway_key_is_kept_in_secrets_toml_only(hub: OfficeHub, data_dir: DataDir,
                                                      gateway: Gateway) -> None:
    hub.change_office_settings(SYSTEM, OfficeSettingsChange(notice_sms_url=gateway.url,
                                                            notice_sms_key=KEY))
    assert hub.config.notice_sms_key == KEY  # what the notice job reads
    view = hub.office_settings(SYSTEM)
    assert view.notice_sms_key_set and KEY not in view.model_dump_json()
    stored = tomllib.loads(data_dir.secrets_file.read_text(encoding="utf-8"))
    assert stored["notice_sms_key"] == KEY
    assert KEY.encode() not in data_dir.database.read_bytes()
    assert KEY not in data_dir.config_file.read_text(encoding="utf-8")
    with hub.store.read_session() as session:
        changed = session.scalars(select(Event.data).where(
            Event.kind == "settings_changed")).all()
        assert KEY not in json.dumps(changed)
        assert changed[-1]["secrets_changed"] == ["notice_sms_key"]
    with pytest.raises(InvalidInput) as clear:
        hub.change_office_settings(SYSTEM, OfficeSettingsChange(
            notice_sms_url="http://sms.example.pe/v1"))
    assert "https://" in clear.value.message


def test_approved_by_law_then_ready_for_pick_up_once(hub: OfficeHub, clerk: DeviceIdentity
                                                     ) -> None:
    from kiosk.services.expediente_views import DocumentInput, PartidaDetails, PaymentInput
    from tests.integration.test_expedientes import add_acta, partida

    acta = add_acta(hub)
    filed = hub.file_expediente(clerk, partida(
        acta, details=PartidaDetails(acta_id=acta, relation="titular"),
        contact=contact(email=None)))
    hub.pay(clerk, filed.number, PaymentInput(amount=filed.fee))  # aprobación automática
    assert [o[1] for o in outbox(hub)] == ["approved"]
    for reprint in (False, True):  # the copy, then its duplicate: ready once
        hub.record_document(clerk, filed.number, DocumentInput(document="copia",
                                                               reprint=reprint))
    hub.record_document(clerk, filed.number, DocumentInput(document="copia", medium="pdf"))
    assert [o[1] for o in outbox(hub)] == ["approved", "ready"]


def test_a_denial_is_told(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    filed = hub.file_expediente(clerk, edificacion().model_copy(
        update={"contact": contact(mobile=None)}))
    act(hub, clerk, filed.number, "derive", area="Obras")
    act(hub, clerk, filed.number, "deny", note="No cumple los parámetros urbanísticos")
    with hub.store.read_session() as session:
        [denied] = session.scalars(select(Notice)).all()
        assert (denied.kind, denied.subject) == ("denied",
                                                 f"Expediente {filed.number}: denegado")
        assert "fue DENEGADO" in denied.body and "No cumple" not in denied.body


def test_the_counter_withdraws_and_the_supervisor_watches_through_the_api(
        connect: Any, gateway: Gateway, hub: OfficeHub) -> None:
    counter = connect("counter", counter=3)
    filed = counter.file_expediente(edificacion().model_copy(update={"contact": contact()}))
    assert filed.notices is not None and filed.notices.channels == ["sms", "email"]
    counter.transition(filed.number, _observation())
    gateway.failures = [500, 500, 500]
    clock = hub.clock
    assert isinstance(clock, VirtualClock)
    for _ in range(3):
        hub.send_due_notices(providers(hub.config, None, gateway))
        clock.advance(timedelta(hours=1))
    seen = connect("supervisor").notice_overview()
    assert (seen.pending, seen.retrying, seen.sent) == (2, 1, 0)  # the e-mail has no provider
    assert [(i.reference, i.channel, i.attempts) for i in seen.items] == [(filed.number, "sms", 3)]
    withdrawn = counter.withdraw_notice_consent(filed.number)
    assert withdrawn.cancelled == 2
    assert connect("supervisor").notice_overview().pending == 0
    with pytest.raises(Conflict):
        counter.withdraw_notice_consent(filed.number)
    assert counter.expediente(filed.number).notices is None
    # Given again later (only the e-mail now): the view says which channels, never the address.
    again = counter.give_notice_consent(filed.number, contact(mobile=None))
    assert again.notices is not None
    assert (again.notices.channels, again.notices.given_by) == (["email"], "Ana Torres Chávez")
    assert EMAIL not in again.model_dump_json()
    with pytest.raises(InvalidInput) as empty:
        counter.give_notice_consent(filed.number, contact(mobile=None, email=None))
    assert empty.value.code == "contact_required"


def _observation() -> Any:
    from kiosk.services.expediente_views import TransitionInput

    return TransitionInput(action="observe", note="Falta la firma")


def test_e_mail_over_starttls_with_a_password_and_a_refused_password(tmp_path: Any) -> None:
    """The password goes only inside TLS (aiosmtpd refuses AUTH before STARTTLS); a wrong one
    fails for good; «ninguno» to another PC never sends it."""
    import ssl

    import trustme

    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)

    def accepted(mechanism: str, login: bytes, password: bytes) -> bool:
        return (login, password) == (b"avisos", b"clave-del-correo")

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=server_context,
                            require_starttls=True, auth_callback=accepted,
                            auth_required=True)
    controller.start()
    try:
        from kiosk.notice_senders import SmtpSender

        outgoing = notices.Outgoing("n1", "expediente:e1:email", Channel.EMAIL, EMAIL,
                                    "Expediente CAJ-2026-000001: aprobado", "Aprobado.")
        sender = SmtpSender("127.0.0.1", port, "starttls", "avisos", "clave-del-correo",
                            "avisos@cac.gob.pe", context=client_context)
        sender.send(outgoing)
        assert [m["Subject"] for m in mailbox.messages] == [outgoing.subject]
        with pytest.raises(notices.SendFailure) as wrong:
            replace(sender, password="otra").send(outgoing)
        assert wrong.value.permanent and "contraseña" in wrong.value.message
        with pytest.raises(notices.SendFailure) as clear:
            replace(sender, host="smtp.example.pe", security="ninguno").send(outgoing)
        assert clear.value.permanent and "sin cifrar" in clear.value.message
        assert len(mailbox.messages) == 1
    finally:
        controller.stop()
