"""What the supervisor's dashboard and the period report hand out (kiosk/services/supervisor.py).

Times are seconds (floats rounded to 0.1 s) like `Metrics`; groups with no data give `None`,
not 0. Every group carries a `key` for programs and a Spanish `label` for people.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from kiosk.services.cita_views import CitaStats
from kiosk.services.expediente_views import ExemptionTotal
from kiosk.services.views import Metrics, View

# --- live --------------------------------------------------------------------------------


class LiveService(View):
    service: str
    name: str
    prefix: str
    sla_minutes: int
    waiting: int
    preferential_waiting: int
    longest_wait_s: int | None  # the ticket waiting longest now
    longest_ticket: str | None  # its number (numbers only, never names)
    over_sla: bool
    counters_open: int  # open (not paused) counters that serve it


class LiveCounter(View):
    number: int
    name: str
    state: str  # open | paused | closed
    # What the counter is doing: serving | called | idle | paused | closed
    activity: Literal["serving", "called", "idle", "paused", "closed"]
    activity_text: str  # Spanish: «Atendiendo A-023», «Libre», «En pausa: Refrigerio», «Cerrada»
    pause_reason: str | None
    ticket: str | None
    ticket_id: str | None
    ticket_service: str | None
    since: datetime | None  # when the current activity began
    clerk: str | None  # full name of the clerk logged in there
    username: str | None
    services: list[str]


class LiveAlert(View):
    kind: Literal["sla", "no_counter", "idle_counter", "printer", "sync", "config", "voice"]
    severity: Literal["warning", "critical"]
    message: str  # Spanish
    service: str | None = None
    counter: int | None = None


class SupervisorLive(View):
    office: str
    at: datetime
    business_date: date
    waiting: int
    services: list[LiveService]
    counters: list[LiveCounter]
    alerts: list[LiveAlert]  # critical first
    today: Metrics  # the day so far, the same figures as GET /stats for today
    sync_summary: str


# --- history of tickets ------------------------------------------------------------------


class HistoryMetrics(Metrics):
    """`Metrics` plus the counts behind the shares and a few more spreads."""

    preferential: int = 0
    service_p90_s: float | None = None
    pref_wait_p90_s: float | None = None
    pref_wait_mean_s: float | None = None
    within_sla: int = 0  # called within their service's target
    judged: int = 0  # the SLA share's denominator (called + expired uncalled)


class GroupMetrics(HistoryMetrics):
    key: str
    label: str


class HeatMap(View):
    """Tickets issued by local weekday (rows, Monday first) and hour of issue (columns)."""

    weekdays: list[str]  # «Lunes» … «Domingo»
    hours: list[str]  # «08» … from the first to the last hour with a ticket
    issued: list[list[int]]  # [weekday][hour]
    wait_p50_s: list[list[float | None]]


class HistogramBin(View):
    label: str  # «5–10 min»
    from_s: int  # inclusive
    to_s: int | None  # exclusive; None: open-ended
    count: int


class TicketHistory(View):
    office: str
    date_from: date
    date_to: date
    timezone: str
    overall: HistoryMetrics
    by_service: list[GroupMetrics]
    by_counter: list[GroupMetrics]
    by_clerk: list[GroupMetrics]
    by_hour: list[GroupMetrics]
    by_weekday: list[GroupMetrics]
    by_day: list[GroupMetrics]
    by_month: list[GroupMetrics]  # «2026-11»: the trend of a long period
    # Each preferential category, then «Regular» (tickets without preference) to compare.
    by_preference: list[GroupMetrics]
    heatmap: HeatMap
    wait_histogram: list[HistogramBin]


# --- expedientes ---------------------------------------------------------------------------


class ExpedienteGroup(View):
    key: str
    label: str
    # In the period (by the office's local date of each fact):
    received: int = 0
    resolved: int = 0  # approved or denied
    approved: int = 0
    denied: int = 0
    cancelled: int = 0
    resolved_on_time: int = 0  # decided on or before its due date
    on_time_pct: float | None = None
    mean_working_days: float | None = None  # filing to decision, among those resolved
    # Today (`as_of`), whatever the period: the backlog as the rules see it now.
    pending: int = 0  # recibido, observado or en área
    observed: int = 0
    overdue: int = 0
    silencio_positivo: int = 0


class LegalOutcomeRow(View):
    """An outcome the law decided in the period: silencio positivo operated (TUO Ley 27444
    art. 199.1), or a nulidad de oficio declared (art. 213)."""

    number: str
    procedure: str
    outcome: str  # silence_operated | nullified
    outcome_text: str
    on: date  # the day the silence operated, or the nulidad was declared
    article: str
    constancias: int = 0  # constancias de silencio positivo issued (any medium)
    note: str | None = None


class AppealDueRow(View):
    """A recurso in process (TUO Ley 27444 art. 218.2: decided within 30 working days)."""

    id: str
    number: str
    procedure: str
    kind_text: str  # Reconsideración | Apelación
    against: str  # the decision appealed
    authority: str  # who must decide it
    filed_on: date
    due_date: date
    overdue: bool  # past its due date


class ReviewRow(View):
    """A licencia de edificación C or D waiting for the Comisión Técnica's dictamen (as of
    today): its due date and whether it passed (kiosk/rules/comision_tecnica.py)."""

    number: str
    procedure: str
    modalidad: str
    filed_on: date
    review_due: date
    overdue: bool
    dictamen: str | None = None  # «no_conforme»: waiting for the corrected project
    dictamen_text: str | None = None


class ExpedienteStats(View):
    office: str
    date_from: date
    date_to: date
    as_of: date
    overall: ExpedienteGroup
    by_procedure: list[ExpedienteGroup]
    by_area: list[ExpedienteGroup]
    # Filings of the period an exemption made (partly) free: how many, what was not collected.
    exemptions: list[ExemptionTotal] = Field(default_factory=list)
    # Recorded in the period (by the local date of the event), oldest first.
    by_law: list[LegalOutcomeRow] = Field(default_factory=list)
    # Today (`as_of`): recursos in process, the earliest due first (the office's own;
    # central's figures leave it empty).
    appeals_open: list[AppealDueRow] = Field(default_factory=list)
    # Today (`as_of`): edificación C/D without a favourable dictamen, overdue first.
    reviews: list[ReviewRow] = Field(default_factory=list)


# --- satisfaction --------------------------------------------------------------------------


class SatisfactionGroup(View):
    key: str
    label: str
    ratings: int = 0
    mean: float | None = None  # to 0.01
    distribution: list[int] = Field(default_factory=lambda: [0, 0, 0, 0, 0])  # scores 1..5
    satisfied_pct: float | None = None  # scores 4 and 5
    served: int = 0  # tickets finished in the period
    response_pct: float | None = None  # ratings / served


class SatisfactionStats(View):
    office: str
    date_from: date
    date_to: date
    overall: SatisfactionGroup
    by_service: list[SatisfactionGroup]
    by_counter: list[SatisfactionGroup]
    by_clerk: list[SatisfactionGroup]


class RatingView(View):
    id: str
    ticket_id: str
    number: str
    score: int
    service: str
    counter: int | None
    created_at: datetime


# --- the period report (dashboard history, exports, the mayor's PDF) ---------------------


class PeriodReport(View):
    office: str
    office_name: str
    municipality: str
    date_from: date
    date_to: date
    timezone: str
    generated_at: datetime
    tickets: TicketHistory
    expedientes: ExpedienteStats
    satisfaction: SatisfactionStats
    # Bookings, check-ins and no-shows per service and day: the hub's, when the period has
    # any (central counts none).
    citas: CitaStats | None = None


class ReportTable(View):
    """One table of the report as people read it (minutes, percentages, Spanish headings):
    the CSV files, the XLSX sheets and the PDF's tables are all drawn from these."""

    name: str  # file and sheet name: «por_servicio»
    title: str  # «Turnos por servicio»
    columns: list[str]
    rows: list[list[str | int | float | None]]


class NoticeItem(View):
    """A notice to a citizen in trouble: which expediente and what, never to whom."""

    reference: str  # the expediente number (or cita code)
    kind: str  # kiosk.rules.notices.NoticeKind
    channel: str  # sms | email
    state: str  # pending (still retrying) | failed
    attempts: int
    last_error: str | None = None
    next_attempt_at: datetime
    created_at: datetime


class NoticeOverview(View):
    """The notices' outbox for the supervisor: counts, and the failing ones."""

    pending: int
    sent: int
    failed: int
    retrying: int  # pending after several failed tries
    items: list[NoticeItem] = Field(default_factory=list)
