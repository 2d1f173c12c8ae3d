"""The hub over the LAN (requests). Errors come back as the same CacError types as in-process."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote, unquote

import requests
from pydantic import BaseModel, TypeAdapter

from kiosk import __version__
from kiosk.errors import (
    CacError,
    Conflict,
    Forbidden,
    HubUnavailable,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthorized,
    UpgradeRequired,
)
from kiosk.rules.versions import API_LEVEL, newer_hub_notice, parse_level
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
    API_LEVEL_HEADER,
    ATTACHMENT_ID_HEADER,
    CLERK_HEADER,
    FILE_NAME_HEADER,
    PREFIX,
    VERSION_HEADER,
    WindowRestartReport,
)

M = TypeVar("M", bound=BaseModel)


HUB_CERTIFICATE = ("No se pudo verificar el certificado del hub de la oficina: no es el de la "
                   "oficina, o falta su certificado en esta PC (empareje el equipo con --pair, "
                   "o use --ca con el archivo de «cac device add»).")

_BY_STATUS: dict[int, type[CacError]] = {
    400: InvalidInput,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: InvalidInput,
    422: InvalidInput,
    426: UpgradeRequired,
}

_SERVICES = TypeAdapter(list[ServiceView])
_DAYS = TypeAdapter(list[NonWorkingDayView])
_COUNTERS = TypeAdapter(list[CounterView])
_PROCEDURES = TypeAdapter(list[ProcedureView])
_PRINT_JOBS = TypeAdapter(list[PrintJobView])
_ALERTS = TypeAdapter(list[AlertView])
_ATTENTION = TypeAdapter(list[SyncAttentionItem])
_ACCESS = TypeAdapter(list[AccessEntry])
_CITA_PLANS = TypeAdapter(list[CitaPlanView])
_CITAS = TypeAdapter(list[CitaView])
_PERSONS = TypeAdapter(list[PersonView])
_BUSINESSES = TypeAdapter(list[BusinessView])
_ACTAS = TypeAdapter(list[ActaView])
_EXPEDIENTE_SUMMARIES = TypeAdapter(list[ExpedienteSummary])
_ADMIN_USERS = TypeAdapter(list[AdminUserView])
_ADMIN_DEVICES = TypeAdapter(list[AdminDeviceView])
_PAIRINGS = TypeAdapter(list[PairingCode])


class HttpHubClient:
    def __init__(self, base_url: str, token: str, timeout: float = 10.0, *,
                 verify: bool | str = True) -> None:
        """`verify`: check an https hub's certificate (a path: the office CA learned when
        pairing or from `cac device add`, or the administrator's own; True: the system's
        CAs). Never False: an unverified hub would get the device's token."""
        self._base = base_url.rstrip("/") + PREFIX
        self._timeout = timeout
        self._http = requests.Session()
        # Given with every request: a session's own `verify` loses to REQUESTS_CA_BUNDLE
        # (requests issue #3829), and the office's CA must win.
        self._verify = verify
        self._http.headers["Authorization"] = f"Bearer {token}"
        self._http.headers[VERSION_HEADER] = __version__
        self._http.headers[API_LEVEL_HEADER] = str(API_LEVEL)
        # What the hub last said of itself (every answer does): its version and API level.
        self.hub_version: str | None = None
        self.hub_api_level: int | None = None

    @property
    def hub_url(self) -> str:
        """The hub's address as given (what `pair_device` takes)."""
        return self._base.removesuffix(PREFIX)

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, *, json: Any = None,
                 params: dict[str, Any] | None = None, timeout: float | None = None,
                 data: bytes | None = None, headers: dict[str, str] | None = None
                 ) -> requests.Response:
        try:
            response = self._http.request(method, self._base + path, json=json, params=params,
                                          data=data, headers=headers, verify=self._verify,
                                          timeout=timeout or self._timeout)
        except requests.exceptions.SSLError as exc:
            raise HubUnavailable("hub_certificate", HUB_CERTIFICATE) from exc
        except requests.RequestException as exc:
            raise HubUnavailable(
                "hub_unavailable", "No se puede conectar con el hub de la oficina. "
                "Revise la red; se reintentará solo."
            ) from exc
        self._learn_hub_version(response)
        if response.status_code >= 400:
            raise _error_from(response)
        return response

    def _learn_hub_version(self, response: requests.Response) -> None:
        version = response.headers.get(VERSION_HEADER)
        if version:
            self.hub_version = version
            self.hub_api_level = parse_level(response.headers.get(API_LEVEL_HEADER))

    def version_notice(self) -> str | None:
        """The window's notice when the hub runs a newer program it still works with."""
        return None if self.hub_version is None else newer_hub_notice(self.hub_version)

    def _model(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        return model.model_validate_json(self._request(method, path, **kwargs).content)

    def health(self) -> HealthView:
        return self._model(HealthView, "GET", "/health")

    def services(self) -> list[ServiceView]:
        return _SERVICES.validate_json(self._request("GET", "/services").content)

    def counters(self) -> list[CounterView]:
        return _COUNTERS.validate_json(self._request("GET", "/counters").content)

    def queue(self) -> QueueSnapshot:
        return self._model(QueueSnapshot, "GET", "/queue")

    def ticket(self, ticket_id: str) -> TicketView:
        return self._model(TicketView, "GET", f"/tickets/{ticket_id}")

    def issue_ticket(self, service: str, preferential: str | None = None) -> IssuedTicket:
        return self._model(IssuedTicket, "POST", "/tickets",
                           json={"service": service, "preferential": preferential})

    def call_next(self, counter: int) -> TicketView | None:
        response = self._request("POST", f"/counters/{counter}/call-next")
        if response.status_code == 204:
            return None
        return TicketView.model_validate_json(response.content)

    def call_ticket(self, counter: int, ticket_id: str, reason: str | None = None
                    ) -> TicketView:
        return self._model(TicketView, "POST", f"/counters/{counter}/call",
                           json={"ticket_id": ticket_id, "reason": reason})

    def _ticket_action(self, ticket_id: str, action: str, body: Any = None) -> TicketView:
        return self._model(TicketView, "POST", f"/tickets/{ticket_id}/{action}", json=body)

    def recall(self, ticket_id: str) -> TicketView:
        return self._ticket_action(ticket_id, "recall")

    def start(self, ticket_id: str) -> TicketView:
        return self._ticket_action(ticket_id, "start")

    def finish(self, ticket_id: str, outcome: str = "atendido") -> TicketView:
        return self._ticket_action(ticket_id, "finish", {"outcome": outcome})

    def no_show(self, ticket_id: str) -> TicketView:
        return self._ticket_action(ticket_id, "no-show")

    def reinstate(self, ticket_id: str) -> TicketView:
        return self._ticket_action(ticket_id, "reinstate")

    def transfer(self, ticket_id: str, service: str) -> TicketView:
        return self._ticket_action(ticket_id, "transfer", {"service": service})

    def _counter_action(self, number: int, action: str, body: Any = None) -> CounterView:
        return self._model(CounterView, "POST", f"/counters/{number}/{action}", json=body)

    def open_counter(self, number: int) -> CounterView:
        return self._counter_action(number, "open")

    def pause_counter(self, number: int, reason: str) -> CounterView:
        return self._counter_action(number, "pause", {"reason": reason})

    def resume_counter(self, number: int) -> CounterView:
        return self._counter_action(number, "resume")

    def close_counter(self, number: int) -> CounterView:
        return self._counter_action(number, "close")

    def close_day(self) -> DayClosed:
        return self._model(DayClosed, "POST", "/day/close")

    def calls(self, after: int = 0, wait: float = 0.0) -> CallsPage:
        return self._model(CallsPage, "GET", "/calls", params={"after": after, "wait": wait},
                           timeout=self._timeout + wait)

    def stats(self, date_from: date, date_to: date) -> StatsReport:
        return self._model(StatsReport, "GET", "/stats",
                           params={"from": date_from.isoformat(), "to": date_to.isoformat()})

    def export_tickets(self, date_from: date, date_to: date) -> str:
        response = self._request("GET", "/tickets/export", params={
            "from": date_from.isoformat(), "to": date_to.isoformat()})
        response.encoding = "utf-8"
        return response.text

    def procedures(self) -> list[ProcedureView]:
        return _PROCEDURES.validate_json(self._request("GET", "/procedures").content)

    def procedure(self, code: str) -> ProcedureView:
        return self._model(ProcedureView, "GET", f"/procedures/{quote(code, safe='')}")

    def report_print(self, report: PrintJobReport) -> PrintJobView:
        return self._model(PrintJobView, "POST", "/print-jobs",
                           json=report.model_dump(mode="json"))

    def print_jobs(self, state: str | None = None, limit: int = 50) -> list[PrintJobView]:
        params: dict[str, Any] = {"limit": limit}
        if state is not None:
            params["state"] = state
        return _PRINT_JOBS.validate_json(
            self._request("GET", "/print-jobs", params=params).content)

    def alerts(self) -> list[AlertView]:
        return _ALERTS.validate_json(self._request("GET", "/alerts").content)

    def report_display_health(self, report: DisplayHealthReport) -> None:
        self._request("PUT", "/devices/self/health", json=report.model_dump(mode="json"))

    def report_window_restart(self, report: WindowRestartReport) -> None:
        self._request("POST", "/devices/self/restarts", json=report.model_dump(mode="json"))

    # --- clerks (sessions) ---------------------------------------------------------------

    def login(self, username: str, secret: str, counter: int | None = None) -> ClerkSession:
        session = self._model(ClerkSession, "POST", "/sessions", json=LoginInput(
            username=username, secret=secret, counter=counter).model_dump(mode="json"))
        self._http.headers[CLERK_HEADER] = session.token
        return session

    def unlock_window(self, secret: str) -> UserView:
        return self._model(UserView, "POST", "/sessions/window-unlock", json={"secret": secret})

    def change_secret(self, current: str, new: str) -> UserView:
        return self._model(UserView, "POST", "/sessions/current/secret",
                           json={"current": current, "new": new})

    def login_counter(self) -> LoginCounter:
        return self._model(LoginCounter, "GET", "/sessions/counter")

    def logout(self) -> None:
        if CLERK_HEADER in self._http.headers:
            try:
                self._request("DELETE", "/sessions/current")
            finally:
                del self._http.headers[CLERK_HEADER]

    # --- citizens, civil registry and search ---------------------------------------------

    def find_persons(self, query: str, limit: int = 20) -> list[PersonView]:
        return _PERSONS.validate_json(self._request(
            "GET", "/persons", params={"q": query, "limit": limit}).content)

    def find_businesses(self, query: str, limit: int = 20) -> list[BusinessView]:
        return _BUSINESSES.validate_json(self._request(
            "GET", "/businesses", params={"q": query, "limit": limit}).content)

    def search_actas(self, query: str, kind: str | None = None, limit: int = 20
                     ) -> list[ActaView]:
        params: dict[str, Any] = {"q": query, "limit": limit}
        if kind is not None:
            params["kind"] = kind
        return _ACTAS.validate_json(self._request("GET", "/actas", params=params).content)

    def add_acta(self, acta: ActaInput) -> ActaView:
        return self._model(ActaView, "POST", "/actas", json=acta.model_dump(mode="json"))

    def search_expedientes(self, query: str, limit: int = 20) -> list[ExpedienteSummary]:
        return _EXPEDIENTE_SUMMARIES.validate_json(self._request(
            "GET", "/expedientes", params={"q": query, "limit": limit}).content)

    # --- expedientes, payments, attachments ----------------------------------------------

    @staticmethod
    def _expediente_path(number: str, tail: str = "") -> str:
        return f"/expedientes/{quote(number, safe='')}{tail}"

    def file_expediente(self, request: ExpedienteInput) -> ExpedienteView:
        return self._model(ExpedienteView, "POST", "/expedientes",
                           json=request.model_dump(mode="json"))

    def expediente(self, number: str) -> ExpedienteView:
        return self._model(ExpedienteView, "GET", self._expediente_path(number))

    def transition(self, number: str, change: TransitionInput) -> ExpedienteView:
        return self._model(ExpedienteView, "POST",
                           self._expediente_path(number, "/transitions"),
                           json=change.model_dump(mode="json"))

    def nullify(self, number: str, nullity: NullityInput) -> ExpedienteView:
        return self._model(ExpedienteView, "POST", self._expediente_path(number, "/nullity"),
                           json=nullity.model_dump(mode="json"))

    def file_appeal(self, number: str, appeal: AppealInput) -> ExpedienteView:
        return self._model(ExpedienteView, "POST", self._expediente_path(number, "/appeals"),
                           json=appeal.model_dump(mode="json"))

    def decide_appeal(self, number: str, appeal_id: str, decision: AppealDecisionInput
                      ) -> ExpedienteView:
        return self._model(ExpedienteView, "POST", self._expediente_path(
            number, f"/appeals/{quote(appeal_id, safe='')}/decision"),
            json=decision.model_dump(mode="json"))

    def record_itse(self, number: str, inspection: ItseInput) -> ExpedienteView:
        return self._model(ExpedienteView, "POST", self._expediente_path(number, "/itse"),
                           json=inspection.model_dump(mode="json"))

    def give_notice_consent(self, number: str, contact: NoticeContactInput
                            ) -> ExpedienteView:
        return self._model(ExpedienteView, "POST",
                           self._expediente_path(number, "/notice-consent"),
                           json=contact.model_dump(mode="json"))

    def withdraw_notice_consent(self, number: str) -> NoticeWithdrawal:
        return self._model(NoticeWithdrawal, "DELETE",
                           self._expediente_path(number, "/notice-consent"))

    def pay(self, number: str, payment: PaymentInput) -> PaymentView:
        return self._model(PaymentView, "POST", self._expediente_path(number, "/payments"),
                           json=payment.model_dump(mode="json"))

    def attach(self, number: str, file_name: str, media_type: str, content: bytes
               ) -> AttachmentView:
        """The file goes as the raw body (it may be megabytes: no JSON or base64)."""
        headers = {"Content-Type": media_type.encode("ascii", "replace").decode(),
                   FILE_NAME_HEADER: quote(file_name, safe="")}
        return self._model(AttachmentView, "POST",
                           self._expediente_path(number, "/attachments"),
                           data=content, headers=headers)

    def attachment_file(self, number: str, attachment_id: str) -> AttachmentFile:
        """The stored bytes as the body; the name comes back percent-encoded in X-File-Name."""
        response = self._request(
            "GET", self._expediente_path(number, f"/attachments/{quote(attachment_id, safe='')}"))
        return AttachmentFile(
            attachment_id=response.headers.get(ATTACHMENT_ID_HEADER, attachment_id),
            file_name=unquote(response.headers.get(FILE_NAME_HEADER, "")),
            media_type=response.headers.get("Content-Type", "").split(";")[0].strip(),
            content=response.content)

    def record_document(self, number: str, issue: DocumentInput) -> ExpedienteView:
        return self._model(ExpedienteView, "POST", self._expediente_path(number, "/documents"),
                           json=issue.model_dump(mode="json"))

    def cash_closing(self, day: date | None = None, username: str | None = None
                     ) -> CashClosing:
        params: dict[str, Any] = {}
        if day is not None:
            params["date"] = day.isoformat()
        if username is not None:
            params["username"] = username
        return self._model(CashClosing, "GET", "/cash-closing", params=params)

    def public_status(self, number: str) -> PublicStatus:
        return self._model(PublicStatus, "GET", self._expediente_path(number, "/public"))

    def sync_status(self) -> SyncStatusView:
        return self._model(SyncStatusView, "GET", "/sync")

    def sync_attention(self) -> list[SyncAttentionItem]:
        return _ATTENTION.validate_json(self._request("GET", "/sync/attention").content)

    def audit_access(self, person: str | None = None, user: str | None = None,
                     date_from: date | None = None, date_to: date | None = None,
                     limit: int = 200) -> list[AccessEntry]:
        params: dict[str, str | int] = {"limit": limit}
        for key, value in (("person", person), ("user", user)):
            if value:
                params[key] = value
        if date_from:
            params["from"] = date_from.isoformat()
        if date_to:
            params["to"] = date_to.isoformat()
        return _ACCESS.validate_json(self._request("GET", "/audit/access",
                                                   params=params).content)

    # --- the supervisor's dashboard and the period report --------------------------------

    @staticmethod
    def _period(date_from: date, date_to: date) -> dict[str, str]:
        return {"from": date_from.isoformat(), "to": date_to.isoformat()}

    # --- citas ----------------------------------------------------------------------------

    def cita_services(self) -> list[CitaPlanView]:
        return _CITA_PLANS.validate_json(self._request("GET", "/citas/services").content)

    def set_cita_plan(self, code: str, change: CitaPlanInput) -> CitaPlanView:
        return self._model(CitaPlanView, "PUT", f"/admin/citas/{quote(code, safe='')}",
                           json=change.model_dump(mode="json"))

    def delegate_citas(self, code: str, delegation: CitaDelegationInput) -> CitaDayView:
        return self._model(CitaDayView, "POST",
                           f"/admin/citas/{quote(code, safe='')}/delegations",
                           json=delegation.model_dump(mode="json"))

    def cita_slots(self, code: str, day: date) -> CitaDayView:
        return self._model(CitaDayView, "GET",
                           f"/citas/services/{quote(code, safe='')}/days/{day.isoformat()}")

    def book_cita(self, request: CitaInput) -> CitaView:
        return self._model(CitaView, "POST", "/citas", json=request.model_dump(mode="json"))

    def check_in_cita(self, arrival: CheckInInput) -> CitaCheckIn:
        return self._model(CitaCheckIn, "POST", "/citas/check-in",
                           json=arrival.model_dump(mode="json"))

    def citas_of_day(self, day: date) -> list[CitaView]:
        return _CITAS.validate_json(self._request("GET", f"/citas/days/{day.isoformat()}")
                                    .content)

    def verify_cita(self, code: str, proof: CitaProof) -> CitaView:
        return self._model(CitaView, "POST", f"/citas/{quote(code, safe='')}/verify",
                           json=proof.model_dump(mode="json"))

    def cancel_cita(self, code: str, cancel: CitaCancel) -> CitaView:
        return self._model(CitaView, "POST", f"/citas/{quote(code, safe='')}/cancel",
                           json=cancel.model_dump(mode="json"))

    def change_cita(self, code: str, change: CitaChange) -> CitaView:
        return self._model(CitaView, "POST", f"/citas/{quote(code, safe='')}/change",
                           json=change.model_dump(mode="json"))

    def cita(self, code: str) -> CitaView:
        return self._model(CitaView, "GET", f"/citas/{quote(code, safe='')}")

    def cita_stats(self, date_from: date, date_to: date) -> CitaStats:
        return self._model(CitaStats, "GET", "/stats/citas",
                           params=self._period(date_from, date_to))

    def supervisor_live(self) -> SupervisorLive:
        return self._model(SupervisorLive, "GET", "/supervisor/live")

    def ticket_history(self, date_from: date, date_to: date) -> TicketHistory:
        return self._model(TicketHistory, "GET", "/stats/history",
                           params=self._period(date_from, date_to))

    def expediente_stats(self, date_from: date, date_to: date) -> ExpedienteStats:
        return self._model(ExpedienteStats, "GET", "/stats/expedientes",
                           params=self._period(date_from, date_to))

    def itse_overview(self) -> ItseOverview:
        return self._model(ItseOverview, "GET", "/supervisor/itse")

    def notice_overview(self) -> NoticeOverview:
        return self._model(NoticeOverview, "GET", "/supervisor/notices")

    def satisfaction_stats(self, date_from: date, date_to: date) -> SatisfactionStats:
        return self._model(SatisfactionStats, "GET", "/stats/satisfaction",
                           params=self._period(date_from, date_to))

    def period_report(self, date_from: date, date_to: date) -> PeriodReport:
        return self._model(PeriodReport, "GET", "/reports",
                           params=self._period(date_from, date_to))

    def export_report_table(self, name: str, date_from: date, date_to: date) -> str:
        response = self._request("GET", f"/reports/tables/{quote(name, safe='')}",
                                 params=self._period(date_from, date_to))
        response.encoding = "utf-8"
        return response.text

    def rate_ticket(self, ticket: str, score: int) -> RatingView:
        return self._model(RatingView, "POST", "/ratings",
                           json={"ticket": ticket, "score": score})


    # --- the Libro de Reclamaciones and the suggestions box ----------------------------------

    def save_reclamo_draft(self, draft: ReclamoDraftInput) -> None:
        self._request("POST", "/reclamos/drafts", json=draft.model_dump(mode="json"))

    def reclamo_draft(self, ticket: str) -> ReclamoDraft:
        return self._model(ReclamoDraft, "GET", f"/reclamos/drafts/{quote(ticket, safe='')}")

    def file_reclamo(self, reclamo: ReclamoInput) -> ReclamoView:
        return self._model(ReclamoView, "POST", "/reclamos",
                           json=reclamo.model_dump(mode="json"))

    def reclamo_book(self, open_only: bool = False) -> ReclamoBook:
        return self._model(ReclamoBook, "GET", "/reclamos",
                           params={"open_only": "true" if open_only else "false"})

    def export_reclamos(self, year: int | None = None) -> str:
        response = self._request("GET", "/reclamos/export",
                                 params={} if year is None else {"year": year})
        response.encoding = "utf-8"
        return response.text

    def answer_reclamo(self, number: str, answer: ReclamoAnswer) -> ReclamoView:
        return self._model(ReclamoView, "POST", f"/reclamos/{quote(number, safe='')}/answer",
                           json=answer.model_dump(mode="json"))

    def reclamo(self, number: str) -> ReclamoView:
        return self._model(ReclamoView, "GET", f"/reclamos/{quote(number, safe='')}")

    def submit_suggestion(self, suggestion: SuggestionInput) -> SuggestionReceived:
        return self._model(SuggestionReceived, "POST", "/suggestions",
                           json=suggestion.model_dump(mode="json"))

    def suggestion_stats(self, date_from: date, date_to: date) -> SuggestionStats:
        return self._model(SuggestionStats, "GET", "/stats/suggestions",
                           params=self._period(date_from, date_to))

    # --- administration --------------------------------------------------------------------

    def non_working_days(self, year: int | None = None) -> list[NonWorkingDayView]:
        params = {"year": year} if year is not None else None
        return _DAYS.validate_json(self._request("GET", "/admin/calendar",
                                                 params=params).content)

    def add_office_day(self, new: OfficeDayInput) -> CalendarChanged:
        return self._model(CalendarChanged, "POST", "/admin/calendar",
                           json=new.model_dump(mode="json"))

    def correct_office_day(self, day: date, change: OfficeDayChange) -> CalendarChanged:
        return self._model(CalendarChanged, "PATCH", f"/admin/calendar/{day.isoformat()}",
                           json=change.model_dump(mode="json", exclude_unset=True))

    def remove_office_day(self, day: date) -> CalendarChanged:
        return self._model(CalendarChanged, "DELETE", f"/admin/calendar/{day.isoformat()}")

    def admin_services(self) -> list[ServiceView]:
        return _SERVICES.validate_json(self._request("GET", "/admin/services").content)

    def add_service(self, service: ServiceInput) -> ServiceView:
        return self._model(ServiceView, "POST", "/admin/services",
                           json=service.model_dump(mode="json"))

    def change_service(self, code: str, change: ServiceChange) -> ServiceView:
        return self._model(ServiceView, "PATCH", f"/admin/services/{quote(code, safe='')}",
                           json=change.model_dump(mode="json", exclude_unset=True))

    def admin_counters(self) -> list[CounterView]:
        return _COUNTERS.validate_json(self._request("GET", "/admin/counters").content)

    def add_counter(self, counter: CounterSetup) -> CounterView:
        return self._model(CounterView, "POST", "/admin/counters",
                           json=counter.model_dump(mode="json"))

    def change_counter(self, number: int, counter: CounterSetup) -> CounterView:
        return self._model(CounterView, "PUT", f"/admin/counters/{number}",
                           json=counter.model_dump(mode="json"))

    def admin_users(self) -> list[AdminUserView]:
        return _ADMIN_USERS.validate_json(self._request("GET", "/admin/users").content)

    def add_admin_user(self, user: UserInput) -> UserCreated:
        return self._model(UserCreated, "POST", "/admin/users",
                           json=user.model_dump(mode="json"))

    @staticmethod
    def _user_path(username: str, tail: str = "") -> str:
        return f"/admin/users/{quote(username, safe='')}{tail}"

    def change_user(self, username: str, change: UserChange) -> AdminUserView:
        return self._model(AdminUserView, "PATCH", self._user_path(username),
                           json=change.model_dump(mode="json", exclude_unset=True))

    def reset_user_secret(self, username: str) -> UserCreated:
        return self._model(UserCreated, "POST", self._user_path(username, "/secret"))

    def unlock_user(self, username: str) -> AdminUserView:
        return self._model(AdminUserView, "POST", self._user_path(username, "/unlock"))

    def admin_devices(self) -> list[AdminDeviceView]:
        return _ADMIN_DEVICES.validate_json(self._request("GET", "/admin/devices").content)

    def create_pairing(self, pairing: PairingInput) -> PairingCode:
        return self._model(PairingCode, "POST", "/admin/pairings",
                           json=pairing.model_dump(mode="json"))

    def pairings(self) -> list[PairingCode]:
        return _PAIRINGS.validate_json(self._request("GET", "/admin/pairings").content)

    def cancel_pairing(self, pairing_id: str) -> None:
        self._request("DELETE", f"/admin/pairings/{quote(pairing_id, safe='')}")

    def revoke_device(self, device_id: str) -> AdminDeviceView:
        return self._model(AdminDeviceView, "POST",
                           f"/admin/devices/{quote(device_id, safe='')}/revoke")

    def bind_device(self, device_id: str, counter: int | None) -> AdminDeviceView:
        return self._model(AdminDeviceView, "PATCH", f"/admin/devices/{quote(device_id, safe='')}",
                           json=DeviceBinding(counter=counter).model_dump())

    def office_settings(self) -> OfficeSettings:
        return self._model(OfficeSettings, "GET", "/admin/office")

    def change_office_settings(self, change: OfficeSettingsChange) -> OfficeSettings:
        return self._model(OfficeSettings, "PATCH", "/admin/office",
                           json=change.model_dump(mode="json", exclude_unset=True))

    def set_logo(self, png: bytes) -> OfficeSettings:
        """The PNG goes as the raw body; the hub checks it (Spanish errors)."""
        return self._model(OfficeSettings, "PUT", "/admin/office/logo", data=png,
                           headers={"Content-Type": "image/png"})

    def office_logo(self) -> bytes | None:
        response = self._request("GET", "/office/logo")
        return None if response.status_code == 204 else response.content

    def test_print(self) -> PrinterTestResult:
        return self._model(PrinterTestResult, "POST", "/admin/printers/test",
                           timeout=self._timeout + 30)

    # --- the digital signature -------------------------------------------------------------

    def signing_status(self) -> SigningStatus:
        return self._model(SigningStatus, "GET", "/signing")

    def import_signing_certificate(self, certificate: CertificateImport) -> SigningStatus:
        return self._model(SigningStatus, "PUT", "/signing/certificate",
                           json=certificate.model_dump(mode="json"))

    def unlock_signing(self, unlock: SigningUnlock) -> SigningStatus:
        return self._model(SigningStatus, "POST", "/signing/unlock",
                           json=unlock.model_dump(mode="json"))

    def sign_document(self, number: str, request: SignRequest) -> SignedDocument:
        """The PDF goes and comes back as base64 in JSON (a copy is some 100 KB)."""
        return self._model(SignedDocument, "POST",
                           f"/signing/documents/{quote(number, safe='')}",
                           json=request.model_dump(mode="json"), timeout=self._timeout + 10)

    def check_statement(self, check: StatementCheck) -> StatementVerdict:
        return self._model(StatementVerdict, "POST", "/signing/statements-check",
                           json=check.model_dump(mode="json"))

    def issue_statement(self, number: str, request: StatementRequest) -> IssuedStatement:
        return self._model(IssuedStatement, "POST",
                           f"/signing/statements/{quote(number, safe='')}",
                           json=request.model_dump(mode="json"))


def pair_device(hub_url: str, code: str, verify: bool | str = True, timeout: float = 10.0
                ) -> PairedDevice:
    """Redeem a one-time pairing code from a new PC (it has no token yet): the device's token
    comes back once, to be stored in this PC's settings. For an https hub `verify` is the CA
    that `kiosk.client.pairing.hub_ca_for_code` learned, or the one given with --ca."""
    url = hub_url.rstrip("/") + PREFIX + "/pair"
    try:
        response = requests.post(url, json={"code": code}, verify=verify, timeout=timeout)
    except requests.exceptions.SSLError as exc:
        raise HubUnavailable("hub_certificate", HUB_CERTIFICATE) from exc
    except requests.RequestException as exc:
        raise HubUnavailable("hub_unavailable",
                             "No se puede conectar con el hub de la oficina. Revise la "
                             "dirección y la red.") from exc
    if response.status_code >= 400:
        raise _error_from(response)
    return PairedDevice.model_validate_json(response.content)


def _error_from(response: requests.Response) -> CacError:
    try:
        payload = response.json()["error"]
        code, message = str(payload["code"]), str(payload["message"])
    except (ValueError, KeyError, TypeError):
        code, message = "hub_error", f"El hub respondió con un error ({response.status_code})."
    if response.status_code >= 500:
        return HubUnavailable(code, message)
    if response.status_code == 429:
        retry_after = response.headers.get("Retry-After", "")
        return RateLimited(code, message, int(retry_after) if retry_after.isdigit() else 60)
    return _BY_STATUS.get(response.status_code, InvalidInput)(code, message)
