"""Notices to citizens: withdrawing a consent, the supervisor's view of the outbox, and the
round that sends what is due (kiosk/notice_job.py runs it with the providers the admin set:
the hub itself never talks SMTP or HTTP).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.errors import InvalidInput
from kiosk.hub.core import SYSTEM, HubCore
from kiosk.rules.notices import Channel
from kiosk.services import calendar_days, expedientes, notices
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import (
    ExpedienteView,
    NoticeContactInput,
    NoticeWithdrawal,
)
from kiosk.services.supervisor_views import NoticeOverview
from kiosk.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

BATCH = 50


@dataclass(frozen=True)
class NoticeRound:
    """What one round did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


class NoticesFacade(HubCore):
    def give_notice_consent(self, device: DeviceIdentity, number: str,
                            contact: NoticeContactInput) -> ExpedienteView:
        """A contact and consent after the filing (or a new one: it replaces the one in
        force, whose pending notices are cancelled)."""
        self.allow(device, "expedientes.write")
        who = self._who(device)

        def work(uow: UnitOfWork) -> ExpedienteView:
            expediente = expedientes.find_expediente(uow.session, self.office.office_id,
                                                     number)
            if notices.give_consent(uow, notices.EXPEDIENTE, expediente.id, expediente.number,
                                    contact, who) is None:
                raise InvalidInput("contact_required",
                                   "Escriba el celular o el correo del ciudadano para los "
                                   "avisos.")
            return expedientes.expediente_view(
                uow.session, expediente, uow.today,
                calendar_days.office_calendar(uow.session, self.office))
        return self._write(device, "expedientes.write", work)

    def _who(self, device: DeviceIdentity) -> notices.Who:
        clerk = device.clerk
        return notices.Who(clerk.user_id if clerk else None,
                           clerk.full_name if clerk else device.name, self._device_id(device))

    def withdraw_notice_consent(self, device: DeviceIdentity, number: str) -> NoticeWithdrawal:
        """The citizen withdraws their consent (Ley 29733): nothing more is sent and the
        contact is erased; the event names the clerk who recorded it."""
        self.allow(device, "expedientes.write")
        who = self._who(device)

        def work(uow: UnitOfWork) -> NoticeWithdrawal:
            expediente = expedientes.find_expediente(uow.session, self.office.office_id,
                                                     number)
            cancelled = notices.withdraw_consent(uow, notices.EXPEDIENTE, expediente.id,
                                                 expediente.number, who)
            return NoticeWithdrawal(reference=expediente.number, cancelled=cancelled)
        return self._write(device, "expedientes.write", work)

    def notice_overview(self, device: DeviceIdentity) -> NoticeOverview:
        """The outbox in figures and the notices that fail (no address shown)."""
        self.allow(device, "alerts.read")
        with self.store.read_session() as session:
            return notices.overview(session)

    def send_due_notices(self, providers: Mapping[Channel, notices.Sender]) -> NoticeRound:
        """Send what is due through `providers`, one notice at a time: each send happens
        outside any transaction and its result is recorded right after (a crash between
        the two sends it again, with the same idempotency key)."""
        if not providers:
            return NoticeRound()  # nothing set: every notice waits in the outbox
        with self.store.read_session() as session:
            due = notices.due_notices(session, self.clock.now(), providers.keys(), BATCH)
        sent = retrying = failed = 0
        for outgoing in due:
            error: str | None = None
            permanent = False
            try:
                providers[outgoing.channel].send(outgoing)
            except notices.SendFailure as exc:
                error, permanent = exc.message, exc.permanent
            self._write(SYSTEM, "expedientes.write",
                        functools.partial(notices.record_result, notice_id=outgoing.notice_id,
                                          error=error, permanent=permanent))
            if error is None:
                sent += 1
            elif permanent:
                failed += 1
                log.warning("aviso %s no enviado: %s", outgoing.key, error)
            else:
                retrying += 1
        return NoticeRound(sent, retrying, failed)
