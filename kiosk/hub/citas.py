"""Citas (issue 17): each service's setting, free slots, booking at the counter and at the
kiosk, cancellation and change, the check-in that issues a ticket, no-shows and the
supervisor's figures (kiosk/services/citas.py; the rules in kiosk/rules/citas.py)."""

from __future__ import annotations

from datetime import date

from kiosk.hub.core import SYSTEM, HubCore
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.citas import Channel
from kiosk.rules.permissions import Role
from kiosk.rules.text import checked_text_arguments
from kiosk.services import access_log, calendar_days, citas
from kiosk.services.cita_views import (
    CheckInInput,
    CitaCancel,
    CitaChange,
    CitaCheckIn,
    CitaDayView,
    CitaDelegationInput,
    CitaInput,
    CitaPlanInput,
    CitaPlanView,
    CitaProof,
    CitaReminder,
    CitaStats,
    CitaView,
)
from kiosk.services.devices import DeviceIdentity
from kiosk.services.unit_of_work import UnitOfWork


def _for_the_public(cita: CitaView) -> CitaView:
    """What a public machine may show of a booking: no name, no contact, the DNI masked."""
    return cita.model_copy(update={"name": "", "contact": None,
                                   "document": "****" + cita.document[-4:]})


@checked_text_arguments  # no control characters in any text argument; names cleaned
class CitasFacade(HubCore):
    """Appointments: the office books slots and calls the citizens who check in on time."""

    def _booker(self, device: DeviceIdentity) -> citas.Booker:
        """The kiosk books for another day; staff (and the hub itself), for today too."""
        if device is not SYSTEM and device.role is Role.KIOSK and device.clerk is None:
            return citas.Booker(Channel.KIOSK, same_day=False)
        clerk = device.clerk
        return citas.Booker(Channel.COUNTER, same_day=True,
                            user_id=clerk.user_id if clerk else None)

    def cita_services(self, device: DeviceIdentity) -> list[CitaPlanView]:
        self.allow(device, "citas.read")
        with self.store.read_session() as session:
            return citas.plans(session)

    def set_cita_plan(self, device: DeviceIdentity, code: str, change: CitaPlanInput
                      ) -> CitaPlanView:
        actor = self._admin(device, "admin.write")
        return self._write(device, "admin.write", lambda uow: citas.set_plan(
            uow, code, change, actor.device_id))

    def delegate_citas(self, device: DeviceIdentity, code: str, delegation: CitaDelegationInput
                       ) -> CitaDayView:
        """Places of a day's slots given to central in advance (an admin)."""
        actor = self._admin(device, "admin.write")
        return self._write(device, "admin.write", lambda uow: citas.delegate(
            uow, self._calendar(uow), code, delegation.day, delegation.places,
            actor.device_id))

    def cita_slots(self, device: DeviceIdentity, code: str, day: date) -> CitaDayView:
        self.allow(device, "citas.read")
        with self.store.read_session() as session:
            return citas.free_slots(session, self.office,
                                    calendar_days.office_calendar(session, self.office),
                                    code, day, self.clock.now())

    def book_cita(self, device: DeviceIdentity, request: CitaInput) -> CitaView:
        booker = self._booker(device)
        return self._write(device, "citas.book", lambda uow: citas.book(
            uow, self._calendar(uow), request, booker, self._device_id(device)))

    def _answer(self, device: DeviceIdentity, cita: CitaView) -> CitaView:
        """The kiosk is a public machine: code and DNI prove a booking, not who booked it."""
        if self._booker(device).channel is Channel.KIOSK:
            return _for_the_public(cita)
        return cita

    def verify_cita(self, device: DeviceIdentity, code: str, proof: CitaProof) -> CitaView:
        """The booking its code and DNI prove, while it may change (the kiosk asks before it
        offers other hours of its service): a read, with no one's name in the answer."""
        self.allow(device, "citas.book")
        booker = self._booker(device)
        with self.store.read_session() as session:
            found = citas.proven(session, self.office, self.clock.now(), code, proof.document,
                                 booker)
        return _for_the_public(found)

    def cancel_cita(self, device: DeviceIdentity, code: str, cancel: CitaCancel) -> CitaView:
        booker = self._booker(device)
        return self._answer(device, self._write(device, "citas.book", lambda uow: citas.cancel(
            uow, code, cancel.document, booker, self._device_id(device))))

    def change_cita(self, device: DeviceIdentity, code: str, change: CitaChange) -> CitaView:
        booker = self._booker(device)
        return self._answer(device, self._write(device, "citas.book", lambda uow: citas.change(
            uow, self._calendar(uow), code, change.start, change.document, booker,
            self._device_id(device))))

    def check_in_cita(self, device: DeviceIdentity, arrival: CheckInInput) -> CitaCheckIn:
        done = self._write(device, "citas.checkin", lambda uow: citas.check_in(
            uow, arrival.query, self._device_id(device)))
        # A public machine learns no one's name or contact from a DNI typed on it.
        return done.model_copy(update={"cita": self._answer(device, done.cita)})

    def citas_of_day(self, device: DeviceIdentity, day: date) -> list[CitaView]:
        self.allow(device, "citas.manage")
        with self.store.read_session() as session:
            found = citas.citas_of_day(session, self.office, day)
        self._log_access(device, access_log.Access(
            what="citas", query=day.isoformat(), records=tuple(c.code for c in found),
            count=len(found)))
        return found

    def cita(self, device: DeviceIdentity, code: str) -> CitaView:
        self.allow(device, "citas.manage")
        with self.store.read_session() as session:
            found = citas.citas_view(session, self.office, code)
        self._log_access(device, access_log.Access(what="cita", query=code,
                                                   records=(found.code,), count=1))
        return found

    def cita_stats(self, device: DeviceIdentity, date_from: date, date_to: date) -> CitaStats:
        self.allow(device, "stats.read")
        with self.store.read_session() as session:
            return citas.stats(session, self.office, date_from, date_to, self.clock.now())

    # --- the hub's own work: the sweep of no-shows, the reminders for the notices ---------

    def record_cita_no_shows(self, device: DeviceIdentity) -> list[str]:
        """Bookings whose tolerance passed without a check-in become no-shows (the daily
        job, kiosk/retention_schedule.py, runs it every check)."""
        return self._write(device, "day.close", lambda uow: citas.record_no_shows(
            uow, self._device_id(device)))

    def cita_reminders_due(self) -> list[CitaReminder]:
        """Today's reminders of tomorrow's citas, for the notices' outbox to enqueue (each
        with its idempotency key): call it once a day or more, it is a read."""
        with self.store.read_session() as session:
            return citas.reminders_due(session, self.office, self.config.office_name,
                                       self.office.business_date(self.clock.now()))

    def enqueue_cita_reminders(self) -> int:
        """Tomorrow's reminders into the notices' outbox (the notice job, every round): only
        those with consent, each once; a read when none is due."""
        if not self.cita_reminders_due():
            return 0
        return self._write(SYSTEM, "expedientes.write", citas.enqueue_reminders)

    def _calendar(self, uow: UnitOfWork) -> WorkingCalendar:
        return calendar_days.office_calendar(uow.session, self.office)
