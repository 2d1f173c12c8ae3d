"""The hub interface windows program against, and the table of the hub's operations: each
method is declared with its route (HTTP method and path), the permission it needs
(kiosk/rules/permissions.py), its models and the OfficeHub method it calls (kiosk/client/
operations.py). The routes and the in-process client are made from it; both implementations
pass one contract suite."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from kiosk.client.operations import Area
from kiosk.services.access_log import AccessEntry
from kiosk.services.admin_views import (
    AdminDeviceView,
    AdminUserView,
    CounterSetup,
    DeviceBinding,
    OfficeSettings,
    OfficeSettingsChange,
    PairedDevice,
    PairingCode,
    PairingInput,
    PairInput,
    PrinterTestResult,
    ServiceChange,
    ServiceInput,
    UserChange,
    UserCreated,
    UserInput,
)
from kiosk.services.calendar_views import (
    CalendarChanged,
    NonWorkingDayView,
    OfficeDayChange,
    OfficeDayInput,
)
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
    CitaStats,
    CitaView,
)
from kiosk.services.display_health import DisplayHealthReport
from kiosk.services.expediente_views import (
    ActaInput,
    ActaView,
    AppealDecisionInput,
    AppealInput,
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
    NoticeContactInput,
    NoticeWithdrawal,
    NullityInput,
    PaymentInput,
    PaymentView,
    PersonView,
    PublicStatus,
    TransitionInput,
    UserView,
)
from kiosk.services.itse_views import ItseInput, ItseOverview
from kiosk.services.reclamo_views import (
    ReclamoAnswer,
    ReclamoBook,
    ReclamoDraft,
    ReclamoDraftInput,
    ReclamoInput,
    ReclamoView,
    SuggestionInput,
    SuggestionReceived,
    SuggestionStats,
)
from kiosk.services.signing_views import (
    CertificateImport,
    IssuedStatement,
    SignedDocument,
    SigningStatus,
    SigningUnlock,
    SignRequest,
    StatementCheck,
    StatementRequest,
    StatementVerdict,
)
from kiosk.services.supervisor_views import (
    ExpedienteStats,
    NoticeOverview,
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
from kiosk.wire import (
    CallTicketBody,
    FinishBody,
    IssueTicketBody,
    PrintJobBody,
    RatingBody,
    ReasonBody,
    SecretChangeBody,
    TransferBody,
    UnlockBody,
    WindowRestartReport,
)

QUEUE = Area("queue", "turnos")
COUNTERS = Area("counters", "ventanillas")
SESSIONS = Area("sessions", "sesiones")
REGISTRY = Area("registry", "ciudadanos y registro civil")
EXPEDIENTES = Area("expedientes", "expedientes y caja")
CITAS = Area("citas", "citas")
SUPERVISION = Area("supervision", "supervisión")
ADMIN = Area("admin", "administración")
RECLAMOS = Area("reclamos", "libro de reclamaciones")
SIGNING = Area("signing", "firma digital")


class HubClient(Protocol):
    # --- tickets and the queue (within an area, routes are tried in this order) -----------
    @QUEUE.get("/health", may=None)
    def health(self) -> HealthView: ...
    @QUEUE.get("/services", may="services.read")
    def services(self) -> list[ServiceView]: ...
    @QUEUE.get("/procedures", may="procedures.read")
    def procedures(self) -> list[ProcedureView]: ...
    # Any text reaches the hub: it answers 404.
    @QUEUE.get("/procedures/{code:path}", may="procedures.read")
    def procedure(self, code: str) -> ProcedureView: ...
    @QUEUE.get("/queue", may="queue.read")
    def queue(self) -> QueueSnapshot: ...
    @QUEUE.get("/counters", may="counters.read")
    def counters(self) -> list[CounterView]: ...
    @QUEUE.post("/tickets", may="tickets.issue", status=201, body=IssueTicketBody)
    def issue_ticket(self, service: str, preferential: str | None = None) -> IssuedTicket: ...
    @QUEUE.get("/tickets/export", may="tickets.export", response=None)  # CSV
    def export_tickets(self, date_from: date, date_to: date) -> str: ...
    @QUEUE.get("/tickets/{ticket_id}", may="tickets.read")
    def ticket(self, ticket_id: str) -> TicketView: ...
    @QUEUE.post("/tickets/{ticket_id}/recall", may="tickets.serve")
    def recall(self, ticket_id: str) -> TicketView: ...
    @QUEUE.post("/tickets/{ticket_id}/start", may="tickets.serve")
    def start(self, ticket_id: str) -> TicketView: ...
    @QUEUE.post("/tickets/{ticket_id}/no-show", may="tickets.serve")
    def no_show(self, ticket_id: str) -> TicketView: ...
    @QUEUE.post("/tickets/{ticket_id}/reinstate", may="tickets.reinstate")
    def reinstate(self, ticket_id: str) -> TicketView: ...
    @QUEUE.post("/tickets/{ticket_id}/finish", may="tickets.serve", body=FinishBody)
    def finish(self, ticket_id: str, outcome: str = "atendido") -> TicketView: ...
    @QUEUE.post("/tickets/{ticket_id}/transfer", may="tickets.serve", body=TransferBody)
    def transfer(self, ticket_id: str, service: str) -> TicketView: ...
    # 204 when nobody waits.
    @QUEUE.post("/counters/{number}/call-next", may="tickets.serve", response=TicketView)
    def call_next(self, counter: int) -> TicketView | None: ...
    @QUEUE.post("/counters/{number}/call", may="tickets.serve", body=CallTicketBody)
    def call_ticket(self, counter: int, ticket_id: str, reason: str | None = None
                    ) -> TicketView: ...
    @QUEUE.get("/calls", may="calls.read", hub="calls_after")
    def calls(self, after: int = 0, wait: float = 0.0) -> CallsPage: ...
    @QUEUE.post("/print-jobs", may="prints.report", body=PrintJobBody)
    def report_print(self, report: PrintJobReport) -> PrintJobView: ...
    # A display says whether it can speak the calls (kiosk/services/display_health.py).
    @QUEUE.put("/devices/self/health", may="displays.health", status=204)
    def report_display_health(self, report: DisplayHealthReport) -> None: ...
    # A kiosk, TV or rating screen that died was started again by its watchdog.
    @QUEUE.post("/devices/self/restarts", may="windows.restarted", status=204)
    def report_window_restart(self, report: WindowRestartReport) -> None: ...
    # A citizen's 1-5 rating of the ticket just finished (kiosk, counter screen); `ticket`:
    # the ticket's id or today's number («A-023»).
    @QUEUE.post("/ratings", may="ratings.submit", status=201, body=RatingBody)
    def rate_ticket(self, ticket: str, score: int) -> RatingView: ...

    # --- a counter's day ------------------------------------------------------------------
    @COUNTERS.post("/counters/{number}/open", may="counters.operate")
    def open_counter(self, number: int) -> CounterView: ...
    @COUNTERS.post("/counters/{number}/pause", may="counters.operate", body=ReasonBody)
    def pause_counter(self, number: int, reason: str) -> CounterView: ...
    @COUNTERS.post("/counters/{number}/resume", may="counters.operate")
    def resume_counter(self, number: int) -> CounterView: ...
    @COUNTERS.post("/counters/{number}/close", may="counters.operate")
    def close_counter(self, number: int) -> CounterView: ...
    @COUNTERS.post("/day/close", may="day.close")
    def close_day(self) -> DayClosed: ...

    # --- clerks: after login, the client sends the session with every request -------------
    @SESSIONS.post("/sessions", may="sessions.login", body=LoginInput)
    def login(self, username: str, secret: str, counter: int | None = None) -> ClerkSession: ...
    # The counter this PC's login offers (bound by the admin, or its last clerk's).
    @SESSIONS.get("/sessions/counter", may="counters.read")
    def login_counter(self) -> LoginCounter: ...
    # The logged-in clerk's new PIN (an initial one must be changed before working).
    @SESSIONS.post("/sessions/current/secret", may="sessions.secret", body=SecretChangeBody)
    def change_secret(self, current: str, new: str) -> UserView: ...
    # A locked-down kiosk, TV or rating screen closes with an administrator's PIN.
    @SESSIONS.post("/sessions/window-unlock", may="windows.unlock", body=UnlockBody)
    def unlock_window(self, secret: str) -> UserView: ...
    @SESSIONS.delete("/sessions/current", may="sessions.login", status=204)
    def logout(self) -> None: ...

    # --- citizens and the civil registry (staff only); the hub checks query and limit ------
    @REGISTRY.get("/persons", may="persons.read")
    def find_persons(self, query: str, limit: int = 20) -> list[PersonView]: ...
    @REGISTRY.get("/businesses", may="persons.read")
    def find_businesses(self, query: str, limit: int = 20) -> list[BusinessView]: ...
    @REGISTRY.get("/actas", may="actas.read")
    def search_actas(self, query: str, kind: str | None = None, limit: int = 20
                     ) -> list[ActaView]: ...
    @REGISTRY.post("/actas", may="actas.manage", status=201)  # supervisors and admins
    def add_acta(self, acta: ActaInput) -> ActaView: ...
    @REGISTRY.get("/expedientes", may="expedientes.read")
    def search_expedientes(self, query: str, limit: int = 20) -> list[ExpedienteSummary]: ...

    # --- expedientes (`number` is the expediente number or its tracking code) ------------
    @EXPEDIENTES.post("/expedientes", may="expedientes.write", status=201)
    def file_expediente(self, request: ExpedienteInput) -> ExpedienteView: ...
    @EXPEDIENTES.post("/expedientes/{number:path}/transitions", may="expedientes.write")
    def transition(self, number: str, change: TransitionInput) -> ExpedienteView: ...
    # Nulidad de oficio of an approved expediente (TUO Ley 27444 art. 213): a supervisor.
    @EXPEDIENTES.post("/expedientes/{number:path}/nullity", may="expedientes.nullify")
    def nullify(self, number: str, nullity: NullityInput) -> ExpedienteView: ...
    # Recursos against its decision (TUO Ley 27444 arts. 218-220): filed at the counter,
    # decided by a supervisor as their authority resolved them.
    @EXPEDIENTES.post("/expedientes/{number:path}/appeals", may="appeals.file", status=201)
    def file_appeal(self, number: str, appeal: AppealInput) -> ExpedienteView: ...
    @EXPEDIENTES.post("/expedientes/{number:path}/appeals/{appeal_id}/decision",
                      may="appeals.decide")
    def decide_appeal(self, number: str, appeal_id: str, decision: AppealDecisionInput
                      ) -> ExpedienteView: ...
    @EXPEDIENTES.post("/expedientes/{number:path}/payments", may="payments.take", status=201)
    def pay(self, number: str, payment: PaymentInput) -> PaymentView: ...
    # The file is the raw body, its name percent-encoded in X-File-Name.
    @EXPEDIENTES.post("/expedientes/{number:path}/attachments", may="expedientes.write",
                      status=201, body=None)
    def attach(self, number: str, file_name: str, media_type: str, content: bytes
               ) -> AttachmentView: ...
    @EXPEDIENTES.get("/expedientes/{number:path}/attachments/{attachment_id}",
                     may="attachments.read", response=None)  # the file itself
    def attachment_file(self, number: str, attachment_id: str) -> AttachmentFile: ...
    # After a cargo, receipt or copia is printed or saved: the hub counts reprints.
    @EXPEDIENTES.post("/expedientes/{number:path}/documents", may="documents.record",
                      status=201)
    def record_document(self, number: str, issue: DocumentInput) -> ExpedienteView: ...
    # The ITSE of a licencia de funcionamiento: result, certificate number and date.
    @EXPEDIENTES.post("/expedientes/{number:path}/itse", may="itse.record")
    def record_itse(self, number: str, inspection: ItseInput) -> ExpedienteView: ...
    # The citizen's contact and consent to notices after the filing (replaces the one in
    # force); withdrawn (Ley 29733): what had not left is cancelled and the contact erased.
    @EXPEDIENTES.post("/expedientes/{number:path}/notice-consent", may="expedientes.write",
                      status=201)
    def give_notice_consent(self, number: str, contact: NoticeContactInput
                            ) -> ExpedienteView: ...
    @EXPEDIENTES.delete("/expedientes/{number:path}/notice-consent", may="expedientes.write")
    def withdraw_notice_consent(self, number: str) -> NoticeWithdrawal: ...
    # Public: what the kiosk may ask about an expediente.
    @EXPEDIENTES.get("/expedientes/{number:path}/public", may="expedientes.public")
    def public_status(self, number: str) -> PublicStatus: ...
    # After the routes below /expedientes/{number}/: any text reaches the hub (404).
    @EXPEDIENTES.get("/expedientes/{number:path}", may="expedientes.read")
    def expediente(self, number: str) -> ExpedienteView: ...
    @EXPEDIENTES.get("/cash-closing", may="cash.read")
    def cash_closing(self, day: date | None = None, username: str | None = None
                     ) -> CashClosing: ...

    # --- citas (kiosk/rules/citas.py): slots, booking, cancelling, changing, arriving -----
    # Every active service and whether it takes citas (slot length, walk-in share).
    @CITAS.get("/citas/services", may="citas.read")
    def cita_services(self) -> list[CitaPlanView]: ...
    @CITAS.put("/admin/citas/{code}", may="admin.write")
    def set_cita_plan(self, code: str, change: CitaPlanInput) -> CitaPlanView: ...
    # Places of a day's slots given to central to book in advance (its public page).
    @CITAS.post("/admin/citas/{code}/delegations", may="admin.write")
    def delegate_citas(self, code: str, delegation: CitaDelegationInput) -> CitaDayView: ...
    # A service's slots on a day, with the places still free (counts, no names).
    @CITAS.get("/citas/services/{code}/days/{day}", may="citas.read")
    def cita_slots(self, code: str, day: date) -> CitaDayView: ...
    # A clerk books for today on; the kiosk (nobody logged in), for another day.
    @CITAS.post("/citas", may="citas.book", status=201)
    def book_cita(self, request: CitaInput) -> CitaView: ...
    # The citizen arrives: a ticket, called at its time on time, in the regular queue late.
    @CITAS.post("/citas/check-in", may="citas.checkin", status=201)
    def check_in_cita(self, arrival: CheckInInput) -> CitaCheckIn: ...
    @CITAS.get("/citas/days/{day}", may="citas.manage")
    def citas_of_day(self, day: date) -> list[CitaView]: ...
    # `code`: the booking code («C-7K3M9P»); the kiosk gives the booking's DNI too, and is
    # answered no name. Verify: the booking, if it may still change (before the hours).
    @CITAS.post("/citas/{code}/verify", may="citas.book")
    def verify_cita(self, code: str, proof: CitaProof) -> CitaView: ...
    @CITAS.post("/citas/{code}/cancel", may="citas.book")
    def cancel_cita(self, code: str, cancel: CitaCancel) -> CitaView: ...
    @CITAS.post("/citas/{code}/change", may="citas.book")
    def change_cita(self, code: str, change: CitaChange) -> CitaView: ...
    @CITAS.get("/citas/{code}", may="citas.manage")
    def cita(self, code: str) -> CitaView: ...
    # Bookings, check-ins, late arrivals and no-shows per service and day.
    @CITAS.get("/stats/citas", may="stats.read")
    def cita_stats(self, date_from: date, date_to: date) -> CitaStats: ...

    # --- the supervisor: figures, the period report, print jobs, alerts, the link ---------
    @SUPERVISION.get("/stats", may="stats.read")
    def stats(self, date_from: date, date_to: date) -> StatsReport: ...
    @SUPERVISION.get("/print-jobs", may="prints.read")
    def print_jobs(self, state: str | None = None, limit: int = 50) -> list[PrintJobView]: ...
    @SUPERVISION.get("/alerts", may="alerts.read")
    def alerts(self) -> list[AlertView]: ...
    @SUPERVISION.get("/supervisor/live", may="stats.read")
    def supervisor_live(self) -> SupervisorLive: ...
    @SUPERVISION.get("/stats/history", may="stats.read")
    def ticket_history(self, date_from: date, date_to: date) -> TicketHistory: ...
    @SUPERVISION.get("/stats/expedientes", may="stats.read")
    def expediente_stats(self, date_from: date, date_to: date) -> ExpedienteStats: ...
    # ITSE posterior due or late, certificates and their expiries (kiosk/rules/itse.py).
    @SUPERVISION.get("/supervisor/itse", may="itse.read")
    def itse_overview(self) -> ItseOverview: ...
    # Notices to citizens: the outbox in figures and the ones that fail (no address shown).
    @SUPERVISION.get("/supervisor/notices", may="alerts.read")
    def notice_overview(self) -> NoticeOverview: ...
    @SUPERVISION.get("/stats/satisfaction", may="stats.read")
    def satisfaction_stats(self, date_from: date, date_to: date) -> SatisfactionStats: ...
    @SUPERVISION.get("/reports", may="stats.read")
    def period_report(self, date_from: date, date_to: date) -> PeriodReport: ...
    # One table of the period report as CSV text (kiosk.services.report.TABLE_NAMES); any
    # name reaches the hub, which answers 404 «unknown_table» with the names it knows.
    @SUPERVISION.get("/reports/tables/{name:path}", may="reports.export", response=None)
    def export_report_table(self, name: str, date_from: date, date_to: date) -> str: ...
    # The link with central: every window shows it; the attention list is for managers.
    @SUPERVISION.get("/sync", may="sync.status")
    def sync_status(self) -> SyncStatusView: ...
    @SUPERVISION.get("/sync/attention", may="sync.attention")
    def sync_attention(self) -> list[SyncAttentionItem]: ...
    # Who opened whose personal data (Ley 29733; admins only), newest first.
    # `person`: a document number; `user`: a username; dates are the office's, inclusive.
    @SUPERVISION.get("/audit/access", may="audit.access")
    def audit_access(self, person: str | None = None, user: str | None = None,
                     date_from: date | None = None, date_to: date | None = None,
                     limit: int = 200) -> list[AccessEntry]: ...

    # --- the Libro de Reclamaciones and the suggestions box (kiosk/rules/reclamos.py) -----
    # The kiosk alone files the citizen's own hoja (like a ticket) and gets back only it;
    # a clerk files one at the counter.
    @RECLAMOS.post("/reclamos", may="reclamos.file", status=201)
    def file_reclamo(self, reclamo: ReclamoInput) -> ReclamoView: ...
    # The book: open reclamos by due date, then the answered (supervisors).
    @RECLAMOS.get("/reclamos", may="reclamos.read")
    def reclamo_book(self, open_only: bool = False) -> ReclamoBook: ...
    # The year's reclamos as CSV in the hoja's columns (this year's without `year`).
    @RECLAMOS.get("/reclamos/export", may="reclamos.read", response=None)
    def export_reclamos(self, year: int | None = None) -> str: ...
    @RECLAMOS.post("/reclamos/{number:path}/answer", may="reclamos.answer")
    def answer_reclamo(self, number: str, answer: ReclamoAnswer) -> ReclamoView: ...
    # After the routes below /reclamos/{number}/: any text reaches the hub (404).
    # What a citizen typed at the kiosk, kept with the ticket they took to see a clerk.
    @RECLAMOS.post("/reclamos/drafts", may="reclamos.draft", status=204)
    def save_reclamo_draft(self, draft: ReclamoDraftInput) -> None: ...
    @RECLAMOS.get("/reclamos/drafts/{ticket}", may="reclamos.draft_read")
    def reclamo_draft(self, ticket: str) -> ReclamoDraft: ...
    @RECLAMOS.get("/reclamos/{number:path}", may="reclamos.read")
    def reclamo(self, number: str) -> ReclamoView: ...
    # The anonymous suggestions box of the kiosk, and its counts for the satisfaction tab.
    @RECLAMOS.post("/suggestions", may="suggestions.submit", status=201)
    def submit_suggestion(self, suggestion: SuggestionInput) -> SuggestionReceived: ...
    @RECLAMOS.get("/stats/suggestions", may="stats.read")
    def suggestion_stats(self, date_from: date, date_to: date) -> SuggestionStats: ...

    # --- administration (an admin device with a logged-in admin user; docs/admin.md) ---
    # The office's logo for the tickets (None: no logo); any device that prints may read it.
    @ADMIN.get("/office/logo", may="services.read", response=None)
    def office_logo(self) -> bytes | None: ...
    # The office's calendar: every extra non-working day it holds (of a year), whether it
    # counts here; its own days (scope «oficina») added, corrected, removed (audited; the
    # due dates of open expedientes move either way).
    @ADMIN.get("/admin/calendar", may="admin.read")
    def non_working_days(self, year: int | None = None) -> list[NonWorkingDayView]: ...
    @ADMIN.post("/admin/calendar", may="catalogue.manage", status=201)
    def add_office_day(self, new: OfficeDayInput) -> CalendarChanged: ...
    @ADMIN.patch("/admin/calendar/{day}", may="catalogue.manage")
    def correct_office_day(self, day: date, change: OfficeDayChange) -> CalendarChanged: ...
    @ADMIN.delete("/admin/calendar/{day}", may="catalogue.manage")
    def remove_office_day(self, day: date) -> CalendarChanged: ...
    @ADMIN.get("/admin/services", may="admin.read")
    def admin_services(self) -> list[ServiceView]: ...  # inactive too, by position
    @ADMIN.post("/admin/services", may="admin.write", status=201)
    def add_service(self, service: ServiceInput) -> ServiceView: ...
    @ADMIN.patch("/admin/services/{code}", may="admin.write")
    def change_service(self, code: str, change: ServiceChange) -> ServiceView: ...
    @ADMIN.get("/admin/counters", may="admin.read")
    def admin_counters(self) -> list[CounterView]: ...
    @ADMIN.post("/admin/counters", may="admin.write", status=201)
    def add_counter(self, counter: CounterSetup) -> CounterView: ...
    @ADMIN.put("/admin/counters/{number}", may="admin.write")
    def change_counter(self, number: int, counter: CounterSetup) -> CounterView: ...
    @ADMIN.get("/admin/users", may="admin.read")
    def admin_users(self) -> list[AdminUserView]: ...
    @ADMIN.post("/admin/users", may="admin.write", status=201)
    def add_admin_user(self, user: UserInput) -> UserCreated: ...
    @ADMIN.patch("/admin/users/{username}", may="admin.write")
    def change_user(self, username: str, change: UserChange) -> AdminUserView: ...
    @ADMIN.post("/admin/users/{username}/secret", may="admin.write")
    def reset_user_secret(self, username: str) -> UserCreated: ...
    @ADMIN.post("/admin/users/{username}/unlock", may="admin.write")
    def unlock_user(self, username: str) -> AdminUserView: ...
    @ADMIN.get("/admin/devices", may="admin.read")
    def admin_devices(self) -> list[AdminDeviceView]: ...
    # Bind a counter device to its counter (None frees it).
    @ADMIN.patch("/admin/devices/{device_id}", may="admin.write", body=DeviceBinding)
    def bind_device(self, device_id: str, counter: int | None) -> AdminDeviceView: ...
    @ADMIN.post("/admin/devices/{device_id}/revoke", may="admin.write")
    def revoke_device(self, device_id: str) -> AdminDeviceView: ...
    @ADMIN.post("/admin/pairings", may="admin.write", status=201)
    def create_pairing(self, pairing: PairingInput) -> PairingCode: ...
    @ADMIN.get("/admin/pairings", may="admin.read")
    def pairings(self) -> list[PairingCode]: ...  # pending ones, `code` = ""
    @ADMIN.delete("/admin/pairings/{pairing_id}", may="admin.write", status=204)
    def cancel_pairing(self, pairing_id: str) -> None: ...
    @ADMIN.get("/admin/office", may="admin.read")
    def office_settings(self) -> OfficeSettings: ...
    @ADMIN.patch("/admin/office", may="admin.write")
    def change_office_settings(self, change: OfficeSettingsChange) -> OfficeSettings: ...
    # The PNG is the raw body (Content-Type: image/png); the hub checks it.
    @ADMIN.put("/admin/office/logo", may="admin.write", body=None)
    def set_logo(self, png: bytes) -> OfficeSettings: ...
    @ADMIN.post("/admin/printers/test", may="admin.write")
    def test_print(self) -> PrinterTestResult: ...

    # --- the digital signature (kiosk/hub/signing.py; files as base64 in JSON) ------------
    # The certificate's public part, whether the caller signs and has unlocked it.
    @SIGNING.get("/signing", may="signing.read")
    def signing_status(self) -> SigningStatus: ...
    # The admin imports the PKCS#12 file; its password only checks it (never stored).
    @SIGNING.put("/signing/certificate", may="admin.write")
    def import_signing_certificate(self, certificate: CertificateImport) -> SigningStatus: ...
    # A registrar opens the key for their session with the certificate's password.
    @SIGNING.post("/signing/unlock", may="documents.sign")
    def unlock_signing(self, unlock: SigningUnlock) -> SigningStatus: ...
    # A PDF of expediente `number` (a cierre: its day:user as `number`) signed as PAdES.
    @SIGNING.post("/signing/documents/{number:path}", may="documents.sign", status=201)
    def sign_document(self, number: str, request: SignRequest) -> SignedDocument: ...
    # Before a copy or cargo is drawn: the signed statement its QR carries (decision 46).
    @SIGNING.post("/signing/statements/{number:path}", may="documents.sign", status=201)
    def issue_statement(self, number: str, request: StatementRequest) -> IssuedStatement: ...
    # Public (the kiosk's «Consultar»): a QR statement checked with the keys the hub holds.
    @SIGNING.post("/signing/statements-check", may="expedientes.public")
    def check_statement(self, check: StatementCheck) -> StatementVerdict: ...


class NewDevice(Protocol):
    """A new PC has no credential yet: it reads the office's certificate authority
    (kiosk.client.pairing) and redeems its one-time code (kiosk.client.http.pair_device)."""

    @ADMIN.post("/pair", may=None, status=201, client=False)
    def pair(self, body: PairInput) -> PairedDevice: ...
    @ADMIN.get("/pair/ca", may=None, response=None, client=False)  # PEM
    def office_ca(self) -> bytes: ...
