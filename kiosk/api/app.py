"""Routes of the office hub API (`/api/v1`). Thin: each one calls one OfficeHub method.

No `from __future__ import annotations` here: FastAPI reads the annotations at runtime.
"""

import asyncio
import re
import socket
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar
from urllib.parse import quote, unquote

import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from kiosk import __version__
from kiosk.api.connections import bounded_config
from kiosk.api.errors import BodySizeLimit, FeedPosition, LargeBody, install_error_handlers
from kiosk.api.routing import ViewRoute
from kiosk.clock import Clock
from kiosk.errors import RateLimited
from kiosk.hub import MAX_LONG_POLL_S, OfficeHub
from kiosk.lan import WILDCARDS, HubNames, hub_url, is_loopback, lan_scheme
from kiosk.rules.text import Note, TextInput
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
from kiosk.services.devices import DeviceIdentity
from kiosk.services.display_health import DisplayHealthReport
from kiosk.services.expediente_views import (
    ActaInput,
    ActaView,
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
from kiosk.services.office_settings import LOGO_MAX_BYTES
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

if TYPE_CHECKING:
    from kiosk.tls import CertificateRenewal, HubCertificate

PREFIX = "/api/v1"
# A clerk's session rides next to the device credential (see kiosk/services/users.py).
CLERK_HEADER = "X-Clerk-Session"

Preferential = Literal["gestante", "adulto_mayor", "discapacidad", "nino"]
Outcome = Literal["atendido", "observado", "derivado", "desistio"]


class Body(TextInput):
    """Text fields are one line without control characters unless typed `Note`."""

    model_config = ConfigDict(extra="forbid")


class IssueTicketBody(Body):
    service: str = Field(min_length=1, max_length=20)
    preferential: Preferential | None = None


class FinishBody(Body):
    outcome: Outcome = "atendido"


class TransferBody(Body):
    service: str = Field(min_length=1, max_length=20)


class CallTicketBody(Body):
    ticket_id: str = Field(min_length=1, max_length=36)
    reason: str | None = Field(default=None, max_length=200)


class SecretChangeBody(Body):
    current: str = Field(min_length=1, max_length=128)
    new: str = Field(min_length=1, max_length=128)


class ReasonBody(Body):
    reason: str = Field(max_length=200)


class RatingBody(Body):
    """The score's range is the hub's to check (the same Spanish error in-process)."""

    ticket: str = Field(min_length=1, max_length=36)
    score: int


class PrintJobBody(Body):
    """A print job's outcome. Kind, id and text lengths are checked by the hub itself, so the
    in-process and HTTP clients get the same errors."""

    id: str
    kind: str
    reference: str | None = None
    state: Literal["printed", "failed"]
    error_code: str | None = None
    error_message: Note | None = None
    reprint: bool = False


CounterNumber = Annotated[int, Path(ge=1, le=999)]
DateFrom = Annotated[date, Query(alias="from")]
DateTo = Annotated[date, Query(alias="to")]
TableName = Annotated[str, Path(min_length=1, max_length=1000)]
TicketId = Annotated[str, Path(min_length=1, max_length=36)]
ProcedureCode = Annotated[str, Path(min_length=1, max_length=40)]


def create_app(hub: OfficeHub) -> FastAPI:
    app = FastAPI(
        title="CAC Kiosk — hub de oficina",
        version=__version__,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.add_middleware(
        BodySizeLimit, large=[attachment_body(hub.config.attachment_max_mb), LOGO_BODY]
    )
    install_error_handlers(app)
    bearer = HTTPBearer(auto_error=False)

    def may(operation: str) -> Any:
        """The caller of a route, checked for `operation` (its role, a person logged in where
        one is needed: kiosk/rules/permissions.py) before the route reads anything else."""

        def caller(
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
            clerk_session: Annotated[str | None, Header(alias=CLERK_HEADER, max_length=100)] = None,
        ) -> DeviceIdentity:
            me = hub.authenticate(credentials.credentials if credentials else "", clerk_session)
            hub.allow(me, operation)
            return me

        caller.operation = operation  # type: ignore[attr-defined]  # read by the tests
        return Depends(caller)

    api = APIRouter(prefix=PREFIX, route_class=ViewRoute)

    @api.get("/health")
    def health() -> HealthView:
        return hub.health()

    @api.get("/services")
    def services(me: Annotated[DeviceIdentity, may("services.read")]) -> list[ServiceView]:
        return hub.services(me)

    @api.get("/procedures")
    def procedures(me: Annotated[DeviceIdentity, may("procedures.read")]) -> list[ProcedureView]:
        return hub.procedures(me)

    @api.get("/procedures/{code:path}")  # any text reaches the hub: it answers 404
    def procedure(
        code: ProcedureCode, me: Annotated[DeviceIdentity, may("procedures.read")]
    ) -> ProcedureView:
        return hub.procedure(me, code)

    @api.get("/queue")
    def queue(me: Annotated[DeviceIdentity, may("queue.read")]) -> QueueSnapshot:
        return hub.queue(me)

    @api.get("/counters")
    def counters(me: Annotated[DeviceIdentity, may("counters.read")]) -> list[CounterView]:
        return hub.counters(me)

    @api.post("/tickets", status_code=201)
    def issue(
        body: IssueTicketBody, me: Annotated[DeviceIdentity, may("tickets.issue")]
    ) -> IssuedTicket:
        return hub.issue_ticket(me, body.service, body.preferential)

    @api.get("/tickets/export")
    def export(
        me: Annotated[DeviceIdentity, may("tickets.export")],
        date_from: Annotated[date, Query(alias="from")],
        date_to: Annotated[date, Query(alias="to")],
    ) -> Response:
        csv = hub.export_tickets(me, date_from, date_to)
        name = f"turnos-{hub.office.office_code}-{date_from}-{date_to}.csv"
        return Response(
            csv,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @api.get("/tickets/{ticket_id}")
    def ticket(
        ticket_id: TicketId, me: Annotated[DeviceIdentity, may("tickets.read")]
    ) -> TicketView:
        return hub.ticket(me, ticket_id)

    @api.post("/tickets/{ticket_id}/recall")
    def recall(
        ticket_id: TicketId, me: Annotated[DeviceIdentity, may("tickets.serve")]
    ) -> TicketView:
        return hub.recall(me, ticket_id)

    @api.post("/tickets/{ticket_id}/start")
    def start(
        ticket_id: TicketId, me: Annotated[DeviceIdentity, may("tickets.serve")]
    ) -> TicketView:
        return hub.start(me, ticket_id)

    @api.post("/tickets/{ticket_id}/no-show")
    def no_show(
        ticket_id: TicketId, me: Annotated[DeviceIdentity, may("tickets.serve")]
    ) -> TicketView:
        return hub.no_show(me, ticket_id)

    @api.post("/tickets/{ticket_id}/reinstate")
    def reinstate(
        ticket_id: TicketId, me: Annotated[DeviceIdentity, may("tickets.reinstate")]
    ) -> TicketView:
        return hub.reinstate(me, ticket_id)

    @api.post("/tickets/{ticket_id}/finish")
    def finish(
        ticket_id: TicketId,
        me: Annotated[DeviceIdentity, may("tickets.serve")],
        body: FinishBody | None = None,
    ) -> TicketView:
        return hub.finish(me, ticket_id, (body or FinishBody()).outcome)

    @api.post("/tickets/{ticket_id}/transfer")
    def transfer(
        ticket_id: TicketId, body: TransferBody, me: Annotated[DeviceIdentity, may("tickets.serve")]
    ) -> TicketView:
        return hub.transfer(me, ticket_id, body.service)

    @api.post(
        "/counters/{number}/call-next",
        response_model=TicketView,
        responses={204: {"description": "Nadie espera"}},
    )
    def call_next(
        number: CounterNumber, me: Annotated[DeviceIdentity, may("tickets.serve")]
    ) -> TicketView | Response:
        called = hub.call_next(me, number)
        return Response(status_code=204) if called is None else called

    @api.post("/counters/{number}/call")
    def call_ticket(
        number: CounterNumber,
        body: CallTicketBody,
        me: Annotated[DeviceIdentity, may("tickets.serve")],
    ) -> TicketView:
        return hub.call_ticket(me, number, body.ticket_id, body.reason)

    @api.post("/counters/{number}/open")
    def open_counter(
        number: CounterNumber, me: Annotated[DeviceIdentity, may("counters.operate")]
    ) -> CounterView:
        return hub.open_counter(me, number)

    @api.post("/counters/{number}/pause")
    def pause(
        number: CounterNumber,
        body: ReasonBody,
        me: Annotated[DeviceIdentity, may("counters.operate")],
    ) -> CounterView:
        return hub.pause_counter(me, number, body.reason)

    @api.post("/counters/{number}/resume")
    def resume(
        number: CounterNumber, me: Annotated[DeviceIdentity, may("counters.operate")]
    ) -> CounterView:
        return hub.resume_counter(me, number)

    @api.post("/counters/{number}/close")
    def close(
        number: CounterNumber, me: Annotated[DeviceIdentity, may("counters.operate")]
    ) -> CounterView:
        return hub.close_counter(me, number)

    @api.post("/day/close")
    def close_day(me: Annotated[DeviceIdentity, may("day.close")]) -> DayClosed:
        return hub.close_day(me)

    @api.get("/calls")
    async def calls(
        me: Annotated[DeviceIdentity, may("calls.read")],
        after: FeedPosition = 0,
        wait: Annotated[float, Query(ge=0, le=MAX_LONG_POLL_S)] = 0,
    ) -> CallsPage:
        return await hub.calls_after_async(me, after, wait)

    @api.get("/stats")
    def stats(
        me: Annotated[DeviceIdentity, may("stats.read")],
        date_from: Annotated[date, Query(alias="from")],
        date_to: Annotated[date, Query(alias="to")],
    ) -> StatsReport:
        return hub.stats(me, date_from, date_to)

    @api.post("/print-jobs")
    def report_print(
        body: PrintJobBody, me: Annotated[DeviceIdentity, may("prints.report")]
    ) -> PrintJobView:
        return hub.report_print(me, PrintJobReport(**body.model_dump()))

    @api.get("/print-jobs")
    def print_jobs(
        me: Annotated[DeviceIdentity, may("prints.read")],
        state: Annotated[str | None, Query(max_length=40)] = None,
        limit: int = 50,
    ) -> list[PrintJobView]:
        return hub.print_jobs(me, state, limit)

    @api.get("/alerts")
    def alerts(me: Annotated[DeviceIdentity, may("alerts.read")]) -> list[AlertView]:
        return hub.alerts(me)

    @api.put("/devices/self/health", status_code=204)
    def display_health(
        body: DisplayHealthReport, me: Annotated[DeviceIdentity, may("displays.health")]
    ) -> Response:
        hub.report_display_health(me, body)
        return Response(status_code=204)

    # --- the supervisor's dashboard, the period report, ratings ---------------------------

    @api.get("/supervisor/live")
    def supervisor_live(me: Annotated[DeviceIdentity, may("stats.read")]) -> SupervisorLive:
        return hub.supervisor_live(me)

    @api.get("/stats/history")
    def ticket_history(
        me: Annotated[DeviceIdentity, may("stats.read")], date_from: DateFrom, date_to: DateTo
    ) -> TicketHistory:
        return hub.ticket_history(me, date_from, date_to)

    @api.get("/stats/expedientes")
    def expediente_stats(
        me: Annotated[DeviceIdentity, may("stats.read")], date_from: DateFrom, date_to: DateTo
    ) -> ExpedienteStats:
        return hub.expediente_stats(me, date_from, date_to)

    @api.get("/stats/satisfaction")
    def satisfaction_stats(
        me: Annotated[DeviceIdentity, may("stats.read")], date_from: DateFrom, date_to: DateTo
    ) -> SatisfactionStats:
        return hub.satisfaction_stats(me, date_from, date_to)

    @api.get("/reports")
    def period_report(
        me: Annotated[DeviceIdentity, may("stats.read")], date_from: DateFrom, date_to: DateTo
    ) -> PeriodReport:
        return hub.period_report(me, date_from, date_to)

    # Any text reaches the hub, which answers 404 «unknown_table» with the names it knows.
    @api.get(
        "/reports/tables/{name:path}",
        response_class=Response,
        responses={200: {"description": "La tabla en CSV (UTF-8)", "content": {"text/csv": {}}}},
    )
    def export_report_table(
        name: TableName,
        me: Annotated[DeviceIdentity, may("reports.export")],
        date_from: DateFrom,
        date_to: DateTo,
    ) -> Response:
        csv = hub.export_report_table(me, name, date_from, date_to)
        file_name = f"{name}-{hub.office.office_code}-{date_from}-{date_to}.csv"
        return Response(
            csv,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{file_name}"'},
        )

    @api.post("/ratings", status_code=201)
    def rate_ticket(
        body: RatingBody, me: Annotated[DeviceIdentity, may("ratings.submit")]
    ) -> RatingView:
        return hub.rate_ticket(me, body.ticket, body.score)

    @api.get("/sync")
    def sync_status(me: Annotated[DeviceIdentity, may("sync.status")]) -> SyncStatusView:
        return hub.sync_status(me)

    @api.get("/sync/attention")
    def sync_attention(
        me: Annotated[DeviceIdentity, may("sync.attention")],
    ) -> list[SyncAttentionItem]:
        return hub.sync_attention(me)

    @api.get("/audit/access")
    def audit_access(
        me: Annotated[DeviceIdentity, may("audit.access")],
        person: Annotated[str | None, Query(max_length=20)] = None,
        user: Annotated[str | None, Query(max_length=40)] = None,
        date_from: Annotated[date | None, Query(alias="from")] = None,
        date_to: Annotated[date | None, Query(alias="to")] = None,
        limit: int = 200,
    ) -> list[AccessEntry]:
        """Who opened whose personal data (Ley 29733), newest first: admins only."""
        return hub.audit_access(
            me, person=person, user=user, date_from=date_from, date_to=date_to, limit=limit
        )

    # --- clerks (sessions) ---------------------------------------------------------------

    @api.post("/sessions")
    async def login(
        body: LoginInput, me: Annotated[DeviceIdentity, may("sessions.login")]
    ) -> ClerkSession:
        return await slowed_refusals(lambda: hub.login(me, body))

    @api.get("/sessions/counter")
    def login_counter(me: Annotated[DeviceIdentity, may("counters.read")]) -> LoginCounter:
        return hub.login_counter(me)

    @api.post("/sessions/current/secret")
    async def change_secret(
        body: SecretChangeBody, me: Annotated[DeviceIdentity, may("sessions.secret")]
    ) -> UserView:
        return await slowed_refusals(lambda: hub.change_secret(me, body.current, body.new))

    @api.delete("/sessions/current", status_code=204)
    def logout(
        me: Annotated[DeviceIdentity, may("sessions.login")],
        clerk_session: Annotated[str | None, Header(alias=CLERK_HEADER, max_length=100)] = None,
    ) -> Response:
        hub.logout(me, clerk_session)
        return Response(status_code=204)

    # --- citizens, civil registry and search ---------------------------------------------
    # The hub checks the query and the limit itself (Spanish errors, the same in-process).

    @api.get("/persons")
    def find_persons(
        me: Annotated[DeviceIdentity, may("persons.read")], q: SearchText = "", limit: int = 20
    ) -> list[PersonView]:
        return hub.find_persons(me, q, limit)

    @api.get("/businesses")
    def find_businesses(
        me: Annotated[DeviceIdentity, may("persons.read")], q: SearchText = "", limit: int = 20
    ) -> list[BusinessView]:
        return hub.find_businesses(me, q, limit)

    @api.get("/actas")
    def search_actas(
        me: Annotated[DeviceIdentity, may("actas.read")],
        q: SearchText = "",
        kind: Annotated[str | None, Query(max_length=40)] = None,
        limit: int = 20,
    ) -> list[ActaView]:
        return hub.search_actas(me, q, kind, limit)

    @api.post("/actas", status_code=201)
    def add_acta(body: ActaInput, me: Annotated[DeviceIdentity, may("actas.manage")]) -> ActaView:
        return hub.add_acta(me, body)

    @api.get("/expedientes")
    def search_expedientes(
        me: Annotated[DeviceIdentity, may("expedientes.read")], q: SearchText = "", limit: int = 20
    ) -> list[ExpedienteSummary]:
        return hub.search_expedientes(me, q, limit)

    # --- expedientes, payments, attachments ----------------------------------------------

    @api.post("/expedientes", status_code=201)
    def file_expediente(
        body: ExpedienteInput, me: Annotated[DeviceIdentity, may("expedientes.write")]
    ) -> ExpedienteView:
        return hub.file_expediente(me, body)

    @api.post("/expedientes/{number:path}/transitions")
    def transition(
        number: ExpedienteRef,
        body: TransitionInput,
        me: Annotated[DeviceIdentity, may("expedientes.write")],
    ) -> ExpedienteView:
        return hub.transition(me, number, body)

    @api.post("/expedientes/{number:path}/payments", status_code=201)
    def pay(
        number: ExpedienteRef,
        body: PaymentInput,
        me: Annotated[DeviceIdentity, may("payments.take")],
    ) -> PaymentView:
        return hub.pay(me, number, body)

    @api.post("/expedientes/{number:path}/attachments", status_code=201)
    def attach(
        number: ExpedienteRef,
        me: Annotated[DeviceIdentity, may("expedientes.write")],
        content: Annotated[bytes, Depends(raw_body)],
        content_type: Annotated[str | None, Header(max_length=100)] = None,
        file_name: Annotated[str | None, Header(alias=FILE_NAME_HEADER, max_length=1000)] = None,
    ) -> AttachmentView:
        """The scanned file is the raw body; its name comes percent-encoded in X-File-Name."""
        return hub.attach(me, number, unquote(file_name or ""), content_type or "", content)

    @api.get(
        "/expedientes/{number:path}/attachments/{attachment_id}",
        response_class=Response,
        responses={
            200: {
                "description": "El archivo adjunto (PDF, PNG o JPG)",
                "content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}},
            }
        },
    )
    def attachment_file(
        number: ExpedienteRef,
        attachment_id: AttachmentId,
        me: Annotated[DeviceIdentity, may("attachments.read")],
    ) -> Response:
        """The stored scan as the raw body, with its media type; the name (percent-encoded)
        comes in X-File-Name and in Content-Disposition."""
        found = hub.attachment_file(me, number, attachment_id)
        name = quote(found.file_name, safe="")
        return Response(
            found.content,
            media_type=found.media_type,
            headers={
                FILE_NAME_HEADER: name,
                ATTACHMENT_ID_HEADER: found.attachment_id,
                "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
                "Cache-Control": "no-store",
            },
        )

    @api.post("/expedientes/{number:path}/documents", status_code=201)
    def record_document(
        number: ExpedienteRef,
        body: DocumentInput,
        me: Annotated[DeviceIdentity, may("documents.record")],
    ) -> ExpedienteView:
        return hub.record_document(me, number, body)

    @api.get("/expedientes/{number:path}/public")
    def public_status(
        number: ExpedienteRef, me: Annotated[DeviceIdentity, may("expedientes.public")]
    ) -> PublicStatus:
        return hub.public_status(me, number)

    # After the routes below /expedientes/{number}/: any text reaches the hub, which answers 404.
    @api.get("/expedientes/{number:path}")
    def expediente(
        number: ExpedienteRef, me: Annotated[DeviceIdentity, may("expedientes.read")]
    ) -> ExpedienteView:
        return hub.expediente(me, number)

    @api.get("/cash-closing")
    def cash_closing(
        me: Annotated[DeviceIdentity, may("cash.read")],
        day: Annotated[date | None, Query(alias="date")] = None,
        username: Annotated[str | None, Query(max_length=40)] = None,
    ) -> CashClosing:
        return hub.cash_closing(me, day, username)

    # --- the admin window: an admin device with an admin user logged in (docs/admin.md)

    @api.post("/pair", status_code=201)
    async def pair(body: PairInput) -> PairedDevice:
        """A new PC redeems its one-time code: no credential yet, wrong codes rate-limited."""
        return await slowed_refusals(lambda: hub.pair(body.code))

    @api.get(
        "/pair/ca",
        response_class=Response,
        responses={
            200: {
                "description": "El certificado de la autoridad de la oficina",
                "content": {"application/x-pem-file": {}},
            }
        },
    )
    def office_ca() -> Response:
        """Public: a new PC reads it before pairing and trusts it only when the last group of
        its pairing code matches (kiosk/rules/pairing_codes.py)."""
        return Response(hub.office_ca.pem, media_type="application/x-pem-file")

    @api.get(
        "/office/logo",
        response_class=Response,
        responses={
            200: {"description": "El logo de la oficina (PNG)", "content": {"image/png": {}}},
            204: {"description": "La oficina no tiene logo"},
        },
    )
    def office_logo(me: Annotated[DeviceIdentity, may("services.read")]) -> Response:
        logo = hub.office_logo(me)
        if logo is None:
            return Response(status_code=204)
        return Response(logo, media_type="image/png")

    @api.get("/admin/services")
    def admin_services(me: Annotated[DeviceIdentity, may("admin.read")]) -> list[ServiceView]:
        return hub.admin_services(me)

    @api.post("/admin/services", status_code=201)
    def add_service(
        body: ServiceInput, me: Annotated[DeviceIdentity, may("admin.write")]
    ) -> ServiceView:
        return hub.add_service(me, body)

    @api.patch("/admin/services/{code}")
    def change_service(
        code: ServiceCode, body: ServiceChange, me: Annotated[DeviceIdentity, may("admin.write")]
    ) -> ServiceView:
        return hub.change_service(me, code, body)

    @api.get("/admin/counters")
    def admin_counters(me: Annotated[DeviceIdentity, may("admin.read")]) -> list[CounterView]:
        return hub.admin_counters(me)

    @api.post("/admin/counters", status_code=201)
    def add_counter(
        body: CounterSetup, me: Annotated[DeviceIdentity, may("admin.write")]
    ) -> CounterView:
        return hub.add_counter(me, body)

    @api.put("/admin/counters/{number}")
    def change_counter(
        number: CounterNumber, body: CounterSetup, me: Annotated[DeviceIdentity, may("admin.write")]
    ) -> CounterView:
        return hub.change_counter(me, number, body)

    @api.get("/admin/users")
    def admin_users(me: Annotated[DeviceIdentity, may("admin.read")]) -> list[AdminUserView]:
        return hub.admin_users(me)

    @api.post("/admin/users", status_code=201)
    def add_admin_user(
        body: UserInput, me: Annotated[DeviceIdentity, may("admin.write")]
    ) -> UserCreated:
        return hub.add_admin_user(me, body)

    @api.patch("/admin/users/{username}")
    def change_user(
        username: Username, body: UserChange, me: Annotated[DeviceIdentity, may("admin.write")]
    ) -> AdminUserView:
        return hub.change_user(me, username, body)

    @api.post("/admin/users/{username}/secret")
    def reset_user_secret(
        username: Username, me: Annotated[DeviceIdentity, may("admin.write")]
    ) -> UserCreated:
        return hub.reset_user_secret(me, username)

    @api.post("/admin/users/{username}/unlock")
    def unlock_user(
        username: Username, me: Annotated[DeviceIdentity, may("admin.write")]
    ) -> AdminUserView:
        return hub.unlock_user(me, username)

    @api.get("/admin/devices")
    def admin_devices(me: Annotated[DeviceIdentity, may("admin.read")]) -> list[AdminDeviceView]:
        return hub.admin_devices(me)

    @api.patch("/admin/devices/{device_id}")
    def bind_device(
        device_id: ObjectId,
        body: DeviceBinding,
        me: Annotated[DeviceIdentity, may("admin.write")],
    ) -> AdminDeviceView:
        """Bind a counter device to its counter (`{"counter": null}` frees it)."""
        return hub.bind_device(me, device_id, body)

    @api.post("/admin/devices/{device_id}/revoke")
    def revoke_device(
        device_id: ObjectId, me: Annotated[DeviceIdentity, may("admin.write")]
    ) -> AdminDeviceView:
        return hub.revoke_device(me, device_id)

    @api.post("/admin/pairings", status_code=201)
    def create_pairing(
        body: PairingInput, me: Annotated[DeviceIdentity, may("admin.write")]
    ) -> PairingCode:
        return hub.create_pairing(me, body)

    @api.get("/admin/pairings")
    def pairings(me: Annotated[DeviceIdentity, may("admin.read")]) -> list[PairingCode]:
        return hub.pairings(me)

    @api.delete("/admin/pairings/{pairing_id}", status_code=204)
    def cancel_pairing(
        pairing_id: ObjectId, me: Annotated[DeviceIdentity, may("admin.write")]
    ) -> Response:
        hub.cancel_pairing(me, pairing_id)
        return Response(status_code=204)

    @api.get("/admin/office")
    def office_settings(me: Annotated[DeviceIdentity, may("admin.read")]) -> OfficeSettings:
        return hub.office_settings(me)

    @api.patch("/admin/office")
    def change_office_settings(
        body: OfficeSettingsChange, me: Annotated[DeviceIdentity, may("admin.write")]
    ) -> OfficeSettings:
        return hub.change_office_settings(me, body)

    @api.put("/admin/office/logo")
    def set_logo(
        me: Annotated[DeviceIdentity, may("admin.write")],
        content: Annotated[bytes, Depends(raw_body)],
    ) -> OfficeSettings:
        """The PNG is the raw body (Content-Type: image/png); the hub checks it."""
        return hub.set_logo(me, content)

    @api.post("/admin/printers/test")
    def test_print(me: Annotated[DeviceIdentity, may("admin.write")]) -> PrinterTestResult:
        return hub.test_print(me)

    app.include_router(api)
    return app


# --- the admin window ------------------------------------------------------------------------

ServiceCode = Annotated[str, Path(min_length=1, max_length=40)]
Username = Annotated[str, Path(min_length=1, max_length=40)]
ObjectId = Annotated[str, Path(min_length=1, max_length=36)]
LOGO_BODY = LargeBody(
    method="PUT",
    path=re.compile(PREFIX + r"/admin/office/logo"),
    limit=LOGO_MAX_BYTES + 64 * 1024,
    code="invalid_logo",
    message=f"El logo supera el máximo de {LOGO_MAX_BYTES // 1024} KB. Redúzcalo.",
)


# --- citizens, civil registry and search -----------------------------------------------------

SearchText = Annotated[str, Query(max_length=1000)]


# --- expedientes, payments, attachments ------------------------------------------------------

FILE_NAME_HEADER = "X-File-Name"
ATTACHMENT_ID_HEADER = "X-Attachment-Id"
AttachmentId = Annotated[str, Path(min_length=1, max_length=100)]
# Expediente numbers and tracking codes; anything else reaches the hub, which answers 404.
ExpedienteRef = Annotated[str, Path(min_length=1, max_length=1000)]


# A throttled login or pairing is answered after this pause, which holds no thread: a client
# that ignores Retry-After and asks again at once (a flood, a spray) then asks once a second per
# connection, instead of spinning the hub's CPU with refusals while the kiosks wait.
REFUSAL_DELAY_S = 1.0
T = TypeVar("T")


async def slowed_refusals(work: Callable[[], T]) -> T:
    """`work` (a blocking hub call) in the thread pool; a 429 waits REFUSAL_DELAY_S first."""
    try:
        return await run_in_threadpool(work)
    except RateLimited:
        await pause_before_refusal()
        raise


async def pause_before_refusal() -> None:
    await asyncio.sleep(REFUSAL_DELAY_S)


async def raw_body(request: Request) -> bytes:
    return await request.body()


def attachment_body(max_mb: int) -> LargeBody:
    """Scanned documents may be up to the office's limit; a little more still reaches the hub,
    which answers with the file's size. Far bigger ones are cut off unread."""
    return LargeBody(
        method="POST",
        path=re.compile(PREFIX + r"/expedientes/.+/attachments"),
        limit=max_mb * 1024 * 1024 + 64 * 1024,
        code="attachment_too_large",
        message=f"El archivo supera el máximo de {max_mb} MB. Escanéelo con menor resolución "
        "o en blanco y negro, o divídalo en partes.",
    )


class HubServer(uvicorn.Server):
    """uvicorn with what the hub serves besides its API: `lan_url`, the address other PCs
    use, and while it serves HTTPS with the office CA, the daily renewal of its certificate."""

    def __init__(self, config: uvicorn.Config, lan_url: str,
                 certificate: "HubCertificate | None", clock: Clock) -> None:
        super().__init__(config)
        self.lan_url, self.certificate, self.clock = lan_url, certificate, clock
        self.renewal: CertificateRenewal | None = None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        if self.certificate is None:
            await super().serve(sockets)
            return
        from kiosk.tls import CertificateRenewal

        if not self.config.loaded:
            self.config.load()  # makes the TLS context the renewal reloads
        assert self.config.ssl is not None
        self.renewal = CertificateRenewal(self.certificate, self.config.ssl, self.clock).start()
        try:
            await super().serve(sockets)
        finally:
            self.renewal.stop()


def hub_server(hub: OfficeHub, *, insecure_http: bool = False, **config: Any) -> HubServer:
    """The hub's API on uvicorn, set up alike for `cac hub`, `cac app` and the tests, its
    connections bounded (kiosk/api/connections.py).

    Over TLS with the administrator's certificate when the office installed one; otherwise
    plain HTTP on loopback and HTTPS with the office CA anywhere else, unless `insecure_http`
    (then /health says so)."""
    host = str(config.get("host", "127.0.0.1"))
    own = hub.config.tls_cert_file
    scheme = lan_scheme(host, own_certificate=bool(own), insecure_http=insecure_http)
    hub.lan_insecure = scheme == "http" and not is_loopback(host)
    certificate = None
    office_tls = scheme == "https" and not own
    names = HubNames.discover(host) if office_tls or host.strip() in WILDCARDS else None
    if scheme == "https" and own:
        config.setdefault("ssl_certfile", own)
        config.setdefault("ssl_keyfile", hub.config.tls_key_file)
    elif office_tls:
        from kiosk.tls import HubCertificate

        certificate = HubCertificate(hub.data_dir.tls, hub.office_ca,
                                     lambda: HubNames.discover(host))
        certificate.ensure(hub.clock.now(), names)
        config.setdefault("ssl_certfile", str(certificate.cert_file))
        config.setdefault("ssl_keyfile", str(certificate.key_file))
    url = hub_url(scheme, host, int(config.get("port", 8000)), names)
    return HubServer(uvicorn.Config(create_app(hub), log_level="warning",
                                    **bounded_config(config)), url, certificate, hub.clock)
