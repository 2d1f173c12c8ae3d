"""What services hand out: plain models shared by the API, its clients and the windows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class View(BaseModel):
    model_config = ConfigDict(frozen=True)


class ServiceView(View):
    code: str
    name: str
    prefix: str
    sla_minutes: int
    active: bool


class TicketView(View):
    id: str
    number: str
    service: str
    preferential: str | None
    status: str
    issued_at: datetime
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    counter: int | None = None
    outcome: str | None = None
    recalls: int = 0
    # Numbers of the expedientes handled in this ticket (given when the ticket is finished).
    expedientes: list[str] = Field(default_factory=list)


class IssuedTicket(TicketView):
    ahead: int
    estimated_wait_min: tuple[int, int]
    # Counters open for the service when the ticket was issued. 0: nobody serves it now, so
    # the estimate (which assumes its counters will open) must not be promised to the citizen.
    # None: a hub from before this field.
    counters_open: int | None = None


class QueueEntry(View):
    """A waiting ticket as the public may see it: a number, never a name."""

    number: str
    preferential: bool
    waiting_s: int


class ServiceQueue(View):
    service: str
    name: str
    prefix: str
    sla_minutes: int
    waiting: int
    preferential_waiting: int
    longest_wait_s: int | None
    tickets: list[QueueEntry]


class CounterView(View):
    number: int
    name: str
    state: str
    pause_reason: str | None
    current_ticket: str | None
    current_ticket_id: str | None
    services: list[str]
    # Preferential tickets: tambien (first, the default) | solo (a dedicated counter) | nunca.
    preferential: str = "tambien"


class QueueSnapshot(View):
    business_date: date
    services: list[ServiceQueue]
    counters: list[CounterView]
    missed: list[str]


class CallView(View):
    seq: int
    kind: str
    number: str
    service: str
    counter: int
    counter_name: str
    at: datetime


class CallsPage(View):
    calls: list[CallView]
    last_seq: int


class DayClosed(View):
    business_date: date
    expired: int
    counters_closed: int


class Metrics(View):
    issued: int = 0
    served: int = 0
    no_show: int = 0
    expired: int = 0
    wait_p50_s: float | None = None
    wait_p90_s: float | None = None
    wait_mean_s: float | None = None
    service_p50_s: float | None = None
    service_mean_s: float | None = None
    sla_pct: float | None = None
    pref_wait_p50_s: float | None = None


class StatsReport(Metrics):
    office: str
    date_from: date
    date_to: date
    timezone: str
    by_service: dict[str, Metrics]
    by_counter: dict[str, Metrics]
    by_hour: dict[str, Metrics]


class DeviceView(View):
    id: str
    name: str
    role: str
    created_at: datetime
    revoked: bool


class HealthView(View):
    """Public (no credential): what any PC of the office may know, e.g. to print with."""

    status: str
    office: str
    name: str
    version: str
    time: datetime
    municipality: str = ""
    # The public address of central's tracking page the documents' QR codes point at
    # (OfficeConfig.public_address); "": none, documents print the code without a QR.
    public_url: str = ""
    # The hub serves plain HTTP on the office network (`--insecure-http`): tokens, sessions
    # and PINs travel in clear, and the admin and supervisor windows say so.
    insecure_http: bool = False


class RequirementView(View):
    number: int
    text: str
    mandatory: bool


class AppealView(View):
    """An appeal against a procedure's decision, as its TUPA row states it."""

    kind: str  # reconsideracion | apelacion
    name: str  # Spanish: «Reconsideración», «Apelación»
    authority: str  # who decides the appeal
    filing_working_days: int  # to file it, from the notification of the decision
    resolution_working_days: int  # to decide it

    @property
    def text(self) -> str:
        """One line for the counter and the requirement sheet, in Spanish."""
        return (f"{self.name}: {self.filing_working_days} días hábiles para presentarla; la "
                f"resuelve {self.authority} en {self.resolution_working_days} días hábiles")


class ProcedureView(View):
    """A TUPA procedure as the public sees it: its current version, fee for this year's UIT."""

    code: str
    name: str
    category: str  # partida | licencia_funcionamiento | licencia_edificacion | otro
    area: str
    service: str | None  # queue service code where it is attended
    version: int
    effective_from: date
    # For the current year's UIT, two decimals; None: «tasa por confirmar», a fee in % of a UIT
    # not loaded yet (fee_basis says which): shown so, and a filing is refused, never guessed.
    fee_soles: Decimal | None
    fee_basis: str  # Spanish: "4.7855 % de la UIT 2026 (S/ 5,500.00)", "Monto fijo", "Gratuito"
    deadline_working_days: int
    calificacion: str  # code
    calificacion_text: str  # Spanish label, e.g. "Evaluación previa — silencio positivo"
    requirements: list[RequirementView]
    # The kind within the category: risk level (bajo, medio, alto, muy_alto), modalidad (A-D)
    # or acta (nacimiento, matrimonio, defuncion); None for «otro».
    variant: str | None = None
    authority: str | None = None  # who decides it; None: the catalogue does not say yet
    appeals: list[AppealView] = []  # reconsideración, then apelación, as the catalogue says


class CatalogueImported(View):
    """What `cac catalogue import` changed; all zeros when the file was already loaded."""

    procedures_added: int = 0
    versions_added: int = 0
    procedures_updated: int = 0
    procedures_unchanged: int = 0
    uit_set: int = 0
    non_working_days_set: int = 0

    @property
    def changed(self) -> bool:
        return any((self.procedures_added, self.versions_added, self.procedures_updated,
                    self.uit_set, self.non_working_days_set))


class PrintJobReport(View):
    """What a kiosk or counter reports after each print job on its own printer."""

    id: str  # the job id the device generated (UUID)
    kind: str  # ticket | receipt | requirements | cargo
    reference: str | None  # e.g. the ticket id
    state: Literal["printed", "failed"]
    error_code: str | None = None
    error_message: str | None = None
    reprint: bool = False


class PrintJobView(PrintJobReport):
    device: str  # the reporting device's name
    reported_at: datetime


class AlertView(View):
    code: str
    message: str
