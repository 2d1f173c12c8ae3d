"""The hub in the same process (all-in-one office): same rules, no network."""

from __future__ import annotations

from datetime import date

from kiosk.hub import OfficeHub
from kiosk.services.access_log import AccessEntry
from kiosk.services.admin_views import (
    AdminDeviceView,
    AdminUserView,
    CounterSetup,
    DeviceBinding,
    OfficeSettings,
    OfficeSettingsChange,
    PairingCode,
    PairingInput,
    PrinterTestResult,
    ServiceChange,
    ServiceInput,
    UserChange,
    UserCreated,
    UserInput,
)
from kiosk.services.devices import DeviceIdentity
from kiosk.services.display_health import DisplayHealthReport
from kiosk.services.expediente_views import (
    ActaInput,
    ActaView,
    AttachmentFile,
    AttachmentView,
    BusinessView,
    CashClosing,
    ClerkSession,
    DocumentInput,
    ExpedienteInput,
    ExpedienteSummary,
    ExpedienteView,
    LoginCounter,
    LoginInput,
    PaymentInput,
    PaymentView,
    PersonView,
    PublicStatus,
    TransitionInput,
    UserView,
)
from kiosk.services.supervisor_views import (
    ExpedienteStats,
    PeriodReport,
    RatingView,
    SatisfactionStats,
    SupervisorLive,
    TicketHistory,
)
from kiosk.services.sync_status import SyncAttentionItem, SyncStatusView
from kiosk.services.views import (
    AlertView,
    CallsPage,
    CounterView,
    DayClosed,
    HealthView,
    IssuedTicket,
    PrintJobReport,
    PrintJobView,
    ProcedureView,
    QueueSnapshot,
    ServiceView,
    StatsReport,
    TicketView,
)


class InProcessHubClient:
    def __init__(self, hub: OfficeHub, token: str) -> None:
        self._hub = hub
        self._token = token
        self._device: DeviceIdentity = hub.authenticate(token)
        self._session: str | None = None

    @property
    def _me(self) -> DeviceIdentity:
        """The device, with its clerk once one logs in: checked on every call, as over HTTP
        (a revoked device or a session ended elsewhere stops working here too)."""
        return self._hub.authenticate(self._token, self._session)

    def health(self) -> HealthView:
        return self._hub.health()

    def services(self) -> list[ServiceView]:
        return self._hub.services(self._me)

    def counters(self) -> list[CounterView]:
        return self._hub.counters(self._me)

    def queue(self) -> QueueSnapshot:
        return self._hub.queue(self._me)

    def ticket(self, ticket_id: str) -> TicketView:
        return self._hub.ticket(self._me, ticket_id)

    def issue_ticket(self, service: str, preferential: str | None = None) -> IssuedTicket:
        return self._hub.issue_ticket(self._me, service, preferential)

    def call_next(self, counter: int) -> TicketView | None:
        return self._hub.call_next(self._me, counter)

    def call_ticket(self, counter: int, ticket_id: str, reason: str | None = None
                    ) -> TicketView:
        return self._hub.call_ticket(self._me, counter, ticket_id, reason)

    def recall(self, ticket_id: str) -> TicketView:
        return self._hub.recall(self._me, ticket_id)

    def start(self, ticket_id: str) -> TicketView:
        return self._hub.start(self._me, ticket_id)

    def finish(self, ticket_id: str, outcome: str = "atendido") -> TicketView:
        return self._hub.finish(self._me, ticket_id, outcome)

    def no_show(self, ticket_id: str) -> TicketView:
        return self._hub.no_show(self._me, ticket_id)

    def reinstate(self, ticket_id: str) -> TicketView:
        return self._hub.reinstate(self._me, ticket_id)

    def transfer(self, ticket_id: str, service: str) -> TicketView:
        return self._hub.transfer(self._me, ticket_id, service)

    def open_counter(self, number: int) -> CounterView:
        return self._hub.open_counter(self._me, number)

    def pause_counter(self, number: int, reason: str) -> CounterView:
        return self._hub.pause_counter(self._me, number, reason)

    def resume_counter(self, number: int) -> CounterView:
        return self._hub.resume_counter(self._me, number)

    def close_counter(self, number: int) -> CounterView:
        return self._hub.close_counter(self._me, number)

    def close_day(self) -> DayClosed:
        return self._hub.close_day(self._me)

    def calls(self, after: int = 0, wait: float = 0.0) -> CallsPage:
        return self._hub.calls_after(self._me, after, wait)

    def stats(self, date_from: date, date_to: date) -> StatsReport:
        return self._hub.stats(self._me, date_from, date_to)

    def export_tickets(self, date_from: date, date_to: date) -> str:
        return self._hub.export_tickets(self._me, date_from, date_to)

    def procedures(self) -> list[ProcedureView]:
        return self._hub.procedures(self._me)

    def procedure(self, code: str) -> ProcedureView:
        return self._hub.procedure(self._me, code)

    def report_print(self, report: PrintJobReport) -> PrintJobView:
        return self._hub.report_print(self._me, report)

    def print_jobs(self, state: str | None = None, limit: int = 50) -> list[PrintJobView]:
        return self._hub.print_jobs(self._me, state, limit)

    def alerts(self) -> list[AlertView]:
        return self._hub.alerts(self._me)

    def report_display_health(self, report: DisplayHealthReport) -> None:
        self._hub.report_display_health(self._me, report)

    # --- clerks (sessions) ---------------------------------------------------------------

    def login(self, username: str, secret: str, counter: int | None = None) -> ClerkSession:
        session = self._hub.login(self._hub.authenticate(self._token), LoginInput(
            username=username, secret=secret, counter=counter))
        self._session = session.token
        return session

    def change_secret(self, current: str, new: str) -> UserView:
        return self._hub.change_secret(self._me, current, new)

    def login_counter(self) -> LoginCounter:
        return self._hub.login_counter(self._me)

    def logout(self) -> None:
        if self._session is not None:
            try:
                self._hub.logout(self._device, self._session)
            finally:
                self._session = None

    # --- citizens, civil registry and search ---------------------------------------------

    def find_persons(self, query: str, limit: int = 20) -> list[PersonView]:
        return self._hub.find_persons(self._me, query, limit)

    def find_businesses(self, query: str, limit: int = 20) -> list[BusinessView]:
        return self._hub.find_businesses(self._me, query, limit)

    def search_actas(self, query: str, kind: str | None = None, limit: int = 20
                     ) -> list[ActaView]:
        return self._hub.search_actas(self._me, query, kind, limit)

    def add_acta(self, acta: ActaInput) -> ActaView:
        return self._hub.add_acta(self._me, acta)

    def search_expedientes(self, query: str, limit: int = 20) -> list[ExpedienteSummary]:
        return self._hub.search_expedientes(self._me, query, limit)

    # --- expedientes, payments, attachments ----------------------------------------------

    def file_expediente(self, request: ExpedienteInput) -> ExpedienteView:
        return self._hub.file_expediente(self._me, request)

    def expediente(self, number: str) -> ExpedienteView:
        return self._hub.expediente(self._me, number)

    def transition(self, number: str, change: TransitionInput) -> ExpedienteView:
        return self._hub.transition(self._me, number, change)

    def pay(self, number: str, payment: PaymentInput) -> PaymentView:
        return self._hub.pay(self._me, number, payment)

    def attach(self, number: str, file_name: str, media_type: str, content: bytes
               ) -> AttachmentView:
        return self._hub.attach(self._me, number, file_name, media_type, content)

    def attachment_file(self, number: str, attachment_id: str) -> AttachmentFile:
        return self._hub.attachment_file(self._me, number, attachment_id)

    def record_document(self, number: str, issue: DocumentInput) -> ExpedienteView:
        return self._hub.record_document(self._me, number, issue)

    def cash_closing(self, day: date | None = None, username: str | None = None
                     ) -> CashClosing:
        return self._hub.cash_closing(self._me, day, username)

    def public_status(self, number: str) -> PublicStatus:
        return self._hub.public_status(self._me, number)

    def sync_status(self) -> SyncStatusView:
        return self._hub.sync_status(self._me)

    def sync_attention(self) -> list[SyncAttentionItem]:
        return self._hub.sync_attention(self._me)

    def audit_access(self, person: str | None = None, user: str | None = None,
                     date_from: date | None = None, date_to: date | None = None,
                     limit: int = 200) -> list[AccessEntry]:
        return self._hub.audit_access(self._me, person=person, user=user, date_from=date_from,
                                      date_to=date_to, limit=limit)

    # --- the supervisor's dashboard and the period report --------------------------------

    def supervisor_live(self) -> SupervisorLive:
        return self._hub.supervisor_live(self._me)

    def ticket_history(self, date_from: date, date_to: date) -> TicketHistory:
        return self._hub.ticket_history(self._me, date_from, date_to)

    def expediente_stats(self, date_from: date, date_to: date) -> ExpedienteStats:
        return self._hub.expediente_stats(self._me, date_from, date_to)

    def satisfaction_stats(self, date_from: date, date_to: date) -> SatisfactionStats:
        return self._hub.satisfaction_stats(self._me, date_from, date_to)

    def period_report(self, date_from: date, date_to: date) -> PeriodReport:
        return self._hub.period_report(self._me, date_from, date_to)

    def export_report_table(self, name: str, date_from: date, date_to: date) -> str:
        return self._hub.export_report_table(self._me, name, date_from, date_to)

    def rate_ticket(self, ticket: str, score: int) -> RatingView:
        return self._hub.rate_ticket(self._me, ticket, score)

    # --- administration --------------------------------------------------------------------

    def admin_services(self) -> list[ServiceView]:
        return self._hub.admin_services(self._me)

    def add_service(self, service: ServiceInput) -> ServiceView:
        return self._hub.add_service(self._me, service)

    def change_service(self, code: str, change: ServiceChange) -> ServiceView:
        return self._hub.change_service(self._me, code, change)

    def admin_counters(self) -> list[CounterView]:
        return self._hub.admin_counters(self._me)

    def add_counter(self, counter: CounterSetup) -> CounterView:
        return self._hub.add_counter(self._me, counter)

    def change_counter(self, number: int, counter: CounterSetup) -> CounterView:
        return self._hub.change_counter(self._me, number, counter)

    def admin_users(self) -> list[AdminUserView]:
        return self._hub.admin_users(self._me)

    def add_admin_user(self, user: UserInput) -> UserCreated:
        return self._hub.add_admin_user(self._me, user)

    def change_user(self, username: str, change: UserChange) -> AdminUserView:
        return self._hub.change_user(self._me, username, change)

    def reset_user_secret(self, username: str) -> UserCreated:
        return self._hub.reset_user_secret(self._me, username)

    def unlock_user(self, username: str) -> AdminUserView:
        return self._hub.unlock_user(self._me, username)

    def admin_devices(self) -> list[AdminDeviceView]:
        return self._hub.admin_devices(self._me)

    def create_pairing(self, pairing: PairingInput) -> PairingCode:
        return self._hub.create_pairing(self._me, pairing)

    def pairings(self) -> list[PairingCode]:
        return self._hub.pairings(self._me)

    def cancel_pairing(self, pairing_id: str) -> None:
        self._hub.cancel_pairing(self._me, pairing_id)

    def revoke_device(self, device_id: str) -> AdminDeviceView:
        return self._hub.revoke_device(self._me, device_id)

    def bind_device(self, device_id: str, counter: int | None) -> AdminDeviceView:
        return self._hub.bind_device(self._me, device_id, DeviceBinding(counter=counter))

    def office_settings(self) -> OfficeSettings:
        return self._hub.office_settings(self._me)

    def change_office_settings(self, change: OfficeSettingsChange) -> OfficeSettings:
        return self._hub.change_office_settings(self._me, change)

    def set_logo(self, png: bytes) -> OfficeSettings:
        return self._hub.set_logo(self._me, png)

    def office_logo(self) -> bytes | None:
        return self._hub.office_logo(self._me)

    def test_print(self) -> PrinterTestResult:
        return self._hub.test_print(self._me)
