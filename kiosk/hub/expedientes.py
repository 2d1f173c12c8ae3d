"""Expedientes (mesa de partes): filing, transitions, payments and the cash closing,
attachments, issued documents, the public status, and the TUPA they are filed under.

One module because every write here goes through `_clerk_write` (a clerk acting, with the
office's working calendar; kiosk/hub/core.py, shared with the ITSE's facade).
"""

from __future__ import annotations

from datetime import date

from kiosk.errors import Forbidden, InvalidInput
from kiosk.hub.core import HubCore
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.permissions import Role
from kiosk.rules.text import checked_text_arguments
from kiosk.services import (
    access_log,
    appeals,
    attachments,
    calendar_days,
    documents,
    expedientes,
    payments,
    search,
    tupa,
)
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import (
    AppealDecisionInput,
    AppealInput,
    AttachmentFile,
    AttachmentView,
    CashClosing,
    DocumentInput,
    ExpedienteInput,
    ExpedienteSummary,
    ExpedienteView,
    NullityInput,
    PaymentInput,
    PaymentView,
    PublicStatus,
    TransitionInput,
)
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import ProcedureView


@checked_text_arguments  # no control characters in any text argument; names cleaned
class ExpedientesFacade(HubCore):
    """What the counter does with expedientes and their money."""

    # --- the TUPA in force ----------------------------------------------------------------

    def procedures(self, device: DeviceIdentity) -> list[ProcedureView]:
        """The TUPA in force today (office local date), by category then name."""
        self.allow(device, "procedures.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return tupa.list_procedures(session, self.office.office_id, today)

    def procedure(self, device: DeviceIdentity, code: str) -> ProcedureView:
        self.allow(device, "procedures.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return tupa.get_procedure(session, self.office.office_id, code, today)

    def working_calendar(self) -> WorkingCalendar:
        """The office's working days (national holidays and its extra non-working days)."""
        with self.store.read_session() as session:
            return calendar_days.office_calendar(session, self.office)

    # --- expedientes ----------------------------------------------------------------------

    def search_expedientes(self, device: DeviceIdentity, query: str, limit: int = 20
                           ) -> list[ExpedienteSummary]:
        """By number, tracking code, or the applicant's document or name; newest first."""
        self.allow(device, "expedientes.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            found = search.search_expedientes(session, query, limit,
                                              office_code=self.office.office_code, today=today)
            persons = access_log.applicants(session, (e.id for e in found))
        if found:
            self._log_access(device, access_log.Access(
                "expedientes", query=query, persons=persons,
                records=tuple(e.number for e in found), count=len(found)))
        return found

    def file_expediente(self, device: DeviceIdentity, request: ExpedienteInput
                        ) -> ExpedienteView:
        """Receive a request at the counter (mesa de partes): a new expediente number."""
        def file(uow: UnitOfWork, actor: expedientes.Actor, calendar: WorkingCalendar
                 ) -> ExpedienteView:
            view = expedientes.file_expediente(uow, request, actor, calendar)
            if payments.exemption_receipt(uow, view.number, actor) is None:
                return view
            return expedientes.get_expediente(uow.session, uow.office.office_id, view.number,
                                              uow.today)
        return self._clerk_write(device, "expedientes.write", file)

    def expediente(self, device: DeviceIdentity, number: str) -> ExpedienteView:
        """One expediente by number or tracking code, with its history (staff only)."""
        self.allow(device, "expedientes.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            view = expedientes.get_expediente(session, self.office.office_id, number, today,
                                              calendar_days.office_calendar(session, self.office))
        self._log_access(device, access_log.Access(
            "expediente", persons=(view.person.id,) if view.person else (),
            records=(view.number,), count=1))
        return view

    def transition(self, device: DeviceIdentity, number: str, change: TransitionInput
                   ) -> ExpedienteView:
        return self._clerk_write(device, "expedientes.write", lambda uow, actor, calendar:
                                 expedientes.transition(uow, number, change, actor, calendar))

    def nullify(self, device: DeviceIdentity, number: str, nullity: NullityInput
                ) -> ExpedienteView:
        """Nulidad de oficio of an approved expediente (TUO Ley 27444 art. 213): a supervisor."""
        return self._clerk_write(device, "expedientes.nullify", lambda uow, actor, calendar:
                                 expedientes.nullify(uow, number, nullity, actor, calendar))

    def file_appeal(self, device: DeviceIdentity, number: str, appeal: AppealInput
                    ) -> ExpedienteView:
        """A recurso de reconsideración or apelación the citizen files at the counter."""
        return self._clerk_write(device, "appeals.file", lambda uow, actor, calendar:
                                 appeals.file_appeal(uow, number, appeal, actor, calendar))

    def decide_appeal(self, device: DeviceIdentity, number: str, appeal_id: str,
                      decision: AppealDecisionInput) -> ExpedienteView:
        """The outcome of a recurso, as its authority resolved it: a supervisor records it."""
        return self._clerk_write(device, "appeals.decide", lambda uow, actor, calendar:
                                 appeals.decide_appeal(uow, number, appeal_id, decision, actor,
                                                       calendar))

    def record_silences(self, device: DeviceIdentity) -> list[str]:
        """Record silencio positivo where it operated (the hub's daily round): the numbers."""
        return self._clerk_write(device, "expedientes.write", lambda uow, _actor, calendar:
                                 expedientes.record_silences(uow, calendar))

    def pay(self, device: DeviceIdentity, number: str, payment: PaymentInput) -> PaymentView:
        return self._clerk_write(device, "payments.take", lambda uow, actor, _calendar:
                                 payments.pay(uow, number, payment, actor))

    def attach(self, device: DeviceIdentity, number: str, file_name: str, media_type: str,
               content: bytes) -> AttachmentView:
        limit = self.config.attachment_max_mb * attachments.MB
        return self._clerk_write(device, "expedientes.write", lambda uow, actor, _calendar:
                                 attachments.attach(uow, number, file_name, media_type, content,
                                                    actor, self.data_dir.root, limit))

    def attachment_file(self, device: DeviceIdentity, number: str, attachment_id: str
                        ) -> AttachmentFile:
        """A stored scan of an expediente, to open at the counter (staff only)."""
        self.allow(device, "attachments.read")
        with self.store.read_session() as session:
            found = attachments.attachment_content(session, self.office.office_id, number,
                                                   attachment_id, self.data_dir.root)
            expediente = expedientes.find_expediente(session, self.office.office_id, number)
            owner, filed = expediente.person_id, expediente.number
        self._log_access(device, access_log.Access(
            "attachment", persons=(owner,) if owner else (), records=(filed, found.attachment_id),
            count=1))
        return found

    def record_document(self, device: DeviceIdentity, number: str, issue: DocumentInput
                        ) -> ExpedienteView:
        """A cargo, receipt or certified copy the counter issued: the next one is a reprint."""
        return self._clerk_write(device, "documents.record", lambda uow, actor, calendar:
                                 documents.record_document(uow, number, issue, actor,
                                                           calendar))

    def cash_closing(self, device: DeviceIdentity, day: date | None = None,
                     username: str | None = None) -> CashClosing:
        """Cierre de caja of one clerk and day: a clerk sees their own, a supervisor anyone's."""
        self.allow(device, "cash.read")
        clerk = device.clerk
        if clerk is None:  # SYSTEM (the CLI): anyone's, named
            if username is None or not username.strip():
                raise InvalidInput("username_required",
                                   "Indique el usuario cuyo cierre de caja quiere ver.")
        elif username is None or not username.strip():
            username = clerk.username
        elif clerk.role not in (Role.SUPERVISOR, Role.ADMIN) and (
                username.strip().lower() != clerk.username):
            raise Forbidden("forbidden",
                            "Solo puede ver su propio cierre de caja; el de otro usuario lo ve "
                            "un supervisor.")
        now = self.clock.now()
        with self.store.read_session() as session:
            return payments.cash_closing(session, self.office.office_id,
                                         day or self.office.business_date(now), username, now)

    def public_status(self, device: DeviceIdentity, number: str) -> PublicStatus:
        """What the kiosk and the tracking QR may show: status and dates, never whose it is."""
        self.allow(device, "expedientes.public")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return expedientes.public_status(session, self.office.office_id, number, today,
                                             calendar_days.office_calendar(session, self.office))
