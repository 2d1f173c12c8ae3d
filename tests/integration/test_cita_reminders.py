"""The reminder the day before a cita (decision record 47): the notice job puts tomorrow's
reminders into the outbox, only for bookings whose citizen consented (Ley 29733), once each,
and sends them through the providers; a cancelled cita gets none. Virtual clock, a fake
provider that records what it was given."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.errors import InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.notice_job import NoticeJob
from kiosk.rules.notices import SMS_MAX, Channel
from kiosk.services import notices
from kiosk.services.cita_views import CitaCancel, CitaInput, CitaPlanInput
from kiosk.storage.tables import NoticeConsent
from tests.conftest import LIMA, Connect

MONDAY = date(2026, 11, 23)  # the clock starts on Friday 20/11, 08:00


def at(day: date, hour: int, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LIMA)


class Recorder:
    """A provider that takes every notice and remembers it."""

    def __init__(self) -> None:
        self.sent: list[notices.Outgoing] = []

    def send(self, notice: notices.Outgoing) -> None:
        self.sent.append(notice)


def booking(document: str, name: str, hour: int, contact: str | None, consent: bool
            ) -> CitaInput:
    return CitaInput(service="licencias", start=at(MONDAY, hour), document=document,
                     name=name, contact=contact, consent=consent)


def test_one_reminder_per_consenting_cita_the_day_before_none_when_cancelled(
        hub: OfficeHub, clock: VirtualClock, connect: Connect,
        monkeypatch: pytest.MonkeyPatch) -> None:
    admin, clerk = connect("admin"), connect("counter", counter=3)
    kiosk = connect("kiosk", person=False)
    admin.set_cita_plan("licencias", CitaPlanInput(slot_minutes=60, walkin_percent=0))
    rosa = clerk.book_cita(booking("11112222", "Rosa Quispe", 9, "976 543 210", True))
    ana = kiosk.book_cita(booking("55556666", "Ana Paz", 10, "ana@example.pe", True))
    clerk.book_cita(booking("33334444", "Sin Permiso", 11, "912345678", False))
    gone = kiosk.book_cita(booking("77778888", "Luis Rojas", 12, "998877665", True))
    with hub.store.read_session() as session:  # the box ticked: a consent like an expediente's
        kinds = [c.subject_kind for c in session.scalars(select(NoticeConsent))]
        assert kinds == ["cita"] * 3
    kiosk.cancel_cita(gone.code, CitaCancel(document="77778888"))

    sms, mail = Recorder(), Recorder()
    monkeypatch.setattr("kiosk.notice_job.senders",
                        lambda config: {Channel.SMS: sms, Channel.EMAIL: mail})
    job = NoticeJob(hub)  # not started: its rounds are run by hand
    for _ in range(2):  # Friday and Saturday: Monday's reminders are not due yet
        job.run_once()
        clock.advance(timedelta(days=1))
    assert sms.sent == [] and mail.sent == []

    # Sunday 08:00: the day before. Several rounds (one a minute): each reminder once.
    for _ in range(3):
        job.run_once()
        clock.advance(timedelta(minutes=1))
    assert [n.address for n in sms.sent] == ["976543210"]
    assert rosa.code in sms.sent[0].body and "23/11 a las 09:30" in sms.sent[0].body
    assert len(sms.sent[0].body) <= SMS_MAX and "Rosa" not in sms.sent[0].body
    assert [n.address for n in mail.sent] == ["ana@example.pe"]
    assert ana.code in mail.sent[0].subject and "10:30" in mail.sent[0].body

    clock.advance(timedelta(days=1))  # Monday: nothing more
    job.run_once()
    assert (len(sms.sent), len(mail.sent)) == (1, 1)


def test_a_reminder_enqueued_then_cancelled_never_leaves(
        hub: OfficeHub, clock: VirtualClock, connect: Connect) -> None:
    admin, clerk = connect("admin"), connect("counter", counter=3)
    admin.set_cita_plan("licencias", CitaPlanInput(slot_minutes=60, walkin_percent=0))
    cita = clerk.book_cita(booking("11112222", "Rosa Quispe", 9, "976543210", True))
    clock.advance(timedelta(days=2))
    assert hub.enqueue_cita_reminders() == 1 and hub.enqueue_cita_reminders() == 0
    hub.cancel_cita(SYSTEM, cita.code, CitaCancel())  # before any provider was set
    sms = Recorder()
    assert hub.send_due_notices({Channel.SMS: sms}).sent == 0 and sms.sent == []


def test_a_contact_for_reminders_must_be_a_mobile_or_an_e_mail(connect: Connect) -> None:
    connect("admin").set_cita_plan("licencias", CitaPlanInput(slot_minutes=60,
                                                              walkin_percent=0))
    with pytest.raises(InvalidInput) as wrong:
        connect("counter", counter=3).book_cita(booking("11112222", "Rosa Quispe", 9,
                                                        "12345", True))
    assert wrong.value.code == "invalid_mobile"
