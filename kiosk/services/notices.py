"""Notices to citizens: their contact and consent, and the outbox the notice job drains.

A consent (Ley 29733) is a row with who took it and when, and an event (stream
«notice_consent», without the address: the contact stays in the office). Withdrawing it cancels
what has not left. `enqueue_notice` puts one notice per channel into the outbox, in the
transaction of the event it tells of; its idempotency key is unique, so the same event
enqueued twice (a retry, a replay) is one notice. The sender (kiosk/notice_job.py) takes the
due ones, sends them outside any transaction and records the result here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput
from kiosk.ids import new_id
from kiosk.rules.notices import (
    EXPEDIENTE_NOTICES,
    FAILING_AFTER,
    READY_DOCUMENTS,
    Channel,
    NoticeKind,
    NoticeState,
    clean_email,
    clean_mobile,
    idempotency_key,
    next_attempt,
    notice_text,
)
from kiosk.services.expediente_views import NoticeConsentView, NoticeContactInput
from kiosk.services.supervisor_views import NoticeItem, NoticeOverview
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.settings import tracking_link
from kiosk.storage.tables import Expediente, Notice, NoticeConsent

EXPEDIENTE = "expediente"
CITA = "cita"  # for the citas' engine: its reminders use the same outbox
CONSENT_STREAM = "notice_consent"
ERROR_MAX = 300


@dataclass(frozen=True)
class Who:
    """Who takes or withdraws a consent: the clerk (users.id, full name) and the device."""

    user_id: str | None
    name: str
    device_id: str | None


# --- consent -------------------------------------------------------------------------------


def active_consent(session: Session, subject_kind: str, subject_id: str
                   ) -> NoticeConsent | None:
    return session.scalar(
        select(NoticeConsent).where(NoticeConsent.subject_kind == subject_kind,
                                    NoticeConsent.subject_id == subject_id,
                                    NoticeConsent.withdrawn_at.is_(None))
        .order_by(NoticeConsent.given_at.desc()).limit(1))


def give_consent(uow: UnitOfWork, subject_kind: str, subject_id: str, reference: str,
                 contact: NoticeContactInput, who: Who) -> NoticeConsent | None:
    """Record the contact and the citizen's consent; None when no contact was given. A
    contact without the consent ticked is refused (nothing is kept without it)."""
    mobile = clean_mobile(contact.mobile) if contact.mobile else None
    email = clean_email(contact.email) if contact.email else None
    if mobile is None and email is None:
        return None
    if not contact.consent:
        raise InvalidInput("consent_required",
                           "Para enviar avisos el ciudadano debe autorizarlo (Ley 29733): "
                           "marque «Autoriza los avisos» o borre el celular y el "
                           "correo.")
    previous = active_consent(uow.session, subject_kind, subject_id)
    if previous is not None:
        _withdraw(uow, previous, who, reference)
    consent = NoticeConsent(
        id=new_id(), office_id=uow.office.office_id, subject_kind=subject_kind,
        subject_id=subject_id, mobile=mobile, email=email, given_at=uow.now,
        given_by=who.user_id, given_by_name=who.name)
    uow.session.add(consent)
    uow.record(CONSENT_STREAM, consent.id, "consent_given",
               {"subject": subject_kind, "reference": reference,
                "channels": [str(c) for c in _channels(consent)], "who_id": who.user_id,
                "who": who.name}, who.device_id)
    return consent


def withdraw_consent(uow: UnitOfWork, subject_kind: str, subject_id: str, reference: str,
                     who: Who) -> int:
    """Withdraw the consent (the contact is erased); returns the notices cancelled."""
    consent = active_consent(uow.session, subject_kind, subject_id)
    if consent is None:
        raise Conflict("no_consent",
                       f"{reference} no tiene avisos autorizados: no hay nada que retirar.")
    return _withdraw(uow, consent, who, reference)


def _withdraw(uow: UnitOfWork, consent: NoticeConsent, who: Who, reference: str) -> int:
    consent.withdrawn_at, consent.withdrawn_by = uow.now, who.user_id
    consent.withdrawn_by_name = who.name
    consent.mobile = consent.email = None  # nothing kept the citizen no longer allows
    cancelled = 0
    for notice in uow.session.scalars(select(Notice).where(
            Notice.consent_id == consent.id, Notice.state == NoticeState.PENDING)):
        notice.state, notice.last_error = NoticeState.CANCELLED, "Autorización retirada."
        cancelled += 1
    uow.record(CONSENT_STREAM, consent.id, "consent_withdrawn",
               {"subject": consent.subject_kind, "reference": reference,
                "cancelled": cancelled, "who_id": who.user_id, "who": who.name},
               who.device_id)
    return cancelled


def cancel_pending(uow: UnitOfWork, subject_kind: str, subject_id: str, why: str) -> int:
    """Cancel what has not left about a subject that no longer needs it (a cancelled cita)."""
    consent = active_consent(uow.session, subject_kind, subject_id)
    if consent is None:
        return 0
    cancelled = 0
    for notice in uow.session.scalars(select(Notice).where(
            Notice.consent_id == consent.id, Notice.state == NoticeState.PENDING)):
        notice.state, notice.last_error = NoticeState.CANCELLED, why
        cancelled += 1
    return cancelled


def consent_view(session: Session, subject_kind: str, subject_id: str
                 ) -> NoticeConsentView | None:
    consent = active_consent(session, subject_kind, subject_id)
    if consent is None:
        return None
    return NoticeConsentView(channels=[str(c) for c in _channels(consent)],
                             given_at=consent.given_at, given_by=consent.given_by_name)


def _channels(consent: NoticeConsent) -> list[Channel]:
    return [c for c, address in ((Channel.SMS, consent.mobile), (Channel.EMAIL, consent.email))
            if address]


# --- the outbox ----------------------------------------------------------------------------


def enqueue_notice(uow: UnitOfWork, subject_kind: str, subject_id: str, event: str,
                   kind: NoticeKind, reference: str, *, tracking_code: str = "",
                   when: str = "") -> int:
    """Put the notice of `event` (any unique name of what happened: an event's id, «<cita
    id>:reminder») into the outbox for each channel the citizen allowed; returns how many
    were added (0: no consent, or already enqueued). Call it inside the unit of work of what
    happened, so the notice exists exactly when that does."""
    consent = active_consent(uow.session, subject_kind, subject_id)
    if consent is None:
        return 0
    office = uow.office
    url = tracking_link(office.public_url or office.central_public_url, tracking_code)
    text = notice_text(kind, office.office_name or office.office_code, reference, url, when)
    added = 0
    for channel in _channels(consent):
        subject, body = ("", text.sms) if channel is Channel.SMS else (text.subject, text.body)
        done = uow.session.execute(insert(Notice).values(
            id=new_id(), office_id=office.office_id,
            idempotency_key=idempotency_key(subject_kind, event, channel),
            consent_id=consent.id, channel=str(channel), kind=str(kind), reference=reference,
            subject=subject, body=body, state=str(NoticeState.PENDING), attempts=0,
            next_attempt_at=uow.now, created_at=uow.now,
        ).on_conflict_do_nothing(index_elements=["idempotency_key"]))
        added += int(getattr(done, "rowcount", 0) or 0)
    return added


def on_expediente_event(uow: UnitOfWork, expediente: Expediente, event_kind: str,
                        data: dict[str, Any], event_id: str) -> int:
    """The hook of every expediente event (services/expedientes.record): the ones that tell
    the citizen something enqueue their notice."""
    kind = EXPEDIENTE_NOTICES.get(event_kind)
    if kind is None and event_kind == "document_issued" and \
            data.get("document") in READY_DOCUMENTS and not data.get("reprint"):
        kind = NoticeKind.READY
    if kind is None:
        return 0
    # A first copy issued twice (another medium) is still one «ready»: keyed by document.
    event = f"{expediente.id}:ready:{data.get('document')}" if kind is NoticeKind.READY \
        else event_id
    return enqueue_notice(uow, EXPEDIENTE, expediente.id, event, kind, expediente.number,
                          tracking_code=expediente.tracking_code)


@dataclass(frozen=True)
class Outgoing:
    """A notice to send now: where to (read from the consent at send time) and what."""

    notice_id: str
    key: str
    channel: Channel
    address: str
    subject: str
    body: str


class SendFailure(Exception):
    """A provider did not take a notice: why (Spanish), and whether trying again can help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class Sender(Protocol):
    """The port every provider adapter fills (kiosk/notice_senders.py)."""

    def send(self, notice: Outgoing) -> None:
        """Hand the notice to the provider, or raise SendFailure."""
        ...


def due_notices(session: Session, now: datetime, channels: Collection[Channel],
                limit: int = 50) -> list[Outgoing]:
    """Pending notices of `channels` (those with a provider set; the others wait, untried)
    whose time came, oldest first, with an address the citizen still allows."""
    rows = session.execute(
        select(Notice, NoticeConsent).join(NoticeConsent, NoticeConsent.id == Notice.consent_id)
        .where(Notice.state == NoticeState.PENDING, Notice.next_attempt_at <= now,
               Notice.channel.in_([str(c) for c in channels]),
               NoticeConsent.withdrawn_at.is_(None))
        .order_by(Notice.next_attempt_at, Notice.created_at).limit(limit))
    found = []
    for notice, consent in rows:
        channel = Channel(notice.channel)
        address = consent.mobile if channel is Channel.SMS else consent.email
        if address:
            found.append(Outgoing(notice.id, notice.idempotency_key, channel, address,
                                  notice.subject, notice.body))
    return found


def record_result(uow: UnitOfWork, notice_id: str, error: str | None = None, *,
                  permanent: bool = False) -> None:
    """What a try gave: sent (no error), failed for good (`permanent`), or to retry with
    backoff on the hub's clock."""
    notice = uow.session.get(Notice, notice_id)
    if notice is None or notice.state != NoticeState.PENDING:
        return  # withdrawn meanwhile: its cancellation stands
    if error is None:
        notice.state, notice.sent_at, notice.last_error = NoticeState.SENT, uow.now, None
        notice.attempts += 1
        return
    notice.last_error = error[:ERROR_MAX]
    notice.attempts += 1
    if permanent:
        notice.state = NoticeState.FAILED
    else:
        notice.next_attempt_at = next_attempt(uow.now, notice.attempts)


# --- the supervisor ------------------------------------------------------------------------


def overview(session: Session, limit: int = 50) -> NoticeOverview:
    """Counts by state, and the notices in trouble (failed, or retried FAILING_AFTER times
    and more), newest first, without any address."""
    counts: dict[str, int] = {state: count for state, count in session.execute(
        select(Notice.state, func.count()).group_by(Notice.state))}
    trouble = session.scalars(
        select(Notice).where((Notice.state == NoticeState.FAILED) | (
            (Notice.state == NoticeState.PENDING) & (Notice.attempts >= FAILING_AFTER)))
        .order_by(Notice.created_at.desc(), Notice.reference.desc(), Notice.channel)
        .limit(limit))
    retrying = session.scalar(select(func.count()).select_from(Notice).where(
        Notice.state == NoticeState.PENDING, Notice.attempts >= FAILING_AFTER)) or 0
    return NoticeOverview(
        pending=counts.get(NoticeState.PENDING, 0), sent=counts.get(NoticeState.SENT, 0),
        failed=counts.get(NoticeState.FAILED, 0), retrying=retrying,
        items=[NoticeItem(reference=n.reference, kind=n.kind, channel=n.channel,
                          state=n.state, attempts=n.attempts, last_error=n.last_error,
                          next_attempt_at=n.next_attempt_at, created_at=n.created_at)
               for n in trouble])
