"""SQLAlchemy models of the office store.

`events` is the append-only history (hash-chained per office); `tickets` and `counters` are
projections of it, updated in the same transaction as each event.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, hands back aware UTC; refuses naive datetimes on the way in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class UuidText(TypeDecorator[str]):
    """An id a hub made (kiosk/ids.py: a UUID as lowercase text): text on the hubs' SQLite,
    PostgreSQL's `uuid` on central (16 bytes where the text takes 37), read and written as
    the same text everywhere. Only for columns that never hold anything else (the sync wire
    refuses any other value for them: sync/wire.py)."""

    impl = String(36)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.UUID(as_uuid=False))
        return dialect.type_descriptor(String(36))


class DecimalText(TypeDecorator[Decimal]):
    """Exact decimals kept as text ("8.50", "4.7855"): SQLite has no decimal type."""

    impl = String(20)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError("a decimal column takes a finite Decimal")
        return f"{value:f}"

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON}


class Office(Base):
    __tablename__ = "offices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (
        UniqueConstraint("office_id", "code"),
        UniqueConstraint("office_id", "prefix"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(2))
    sla_minutes: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Counter(Base):
    __tablename__ = "counters"
    __table_args__ = (UniqueConstraint("office_id", "number"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(10), default="closed")
    pause_reason: Mapped[str | None] = mapped_column(String(200))
    current_ticket_id: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[datetime]
    # Which tickets it takes by preference (kiosk/rules/calling.py PreferentialMode).
    preferential: Mapped[str] = mapped_column(String(10), default="tambien",
                                              server_default="tambien")


class CounterService(Base):
    """Which services a counter serves, in its order of preference (rank 0 first)."""

    __tablename__ = "counter_services"
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer)


class DaySequence(Base):
    """The last number issued per series per business day: numbers are never reused."""

    __tablename__ = "day_sequences"
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    series: Mapped[str] = mapped_column(String(4), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("office_id", "business_date", "series", "seq"),
        Index("ix_tickets_queue", "status", "service_id", "issued_at", "id"),
        # Preferential tickets are few: a partial index finds the oldest one without a sort.
        Index("ix_tickets_preferential_queue", "status", "issued_at", "id",
              sqlite_where=text("preferential IS NOT NULL")),
        Index("ix_tickets_business_date", "business_date"),
    )
    id: Mapped[str] = mapped_column(UuidText, primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    business_date: Mapped[date] = mapped_column(Date)
    series: Mapped[str] = mapped_column(String(4))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(12))
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id"))
    origin_service_id: Mapped[str] = mapped_column(ForeignKey("services.id"))
    preferential: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))
    issued_at: Mapped[datetime]
    called_at: Mapped[datetime | None]
    last_called_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    missed_at: Mapped[datetime | None]
    counter_number: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(20))
    recalls: Mapped[int] = mapped_column(Integer, default=0)
    transfers: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]
    # The clerk (users.id) logged in at the counter that last called or served it; None when
    # the counter's device had nobody logged in. Projected from the events' `who_id`.
    user_id: Mapped[str | None] = mapped_column(String(36))


class Event(Base):
    """An immutable fact. `seq` is the local order; `hash` chains each row to the one before."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_stream", "stream", "stream_id"),
        Index("ix_events_kind_seq", "kind", "seq"),  # the displays' call feed
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    stream: Mapped[str] = mapped_column(String(20))
    stream_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(30))
    occurred_at: Mapped[datetime]
    hlc: Mapped[str] = mapped_column(String(60))
    device_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    # A counter device the admin bound to one counter: its clerks log in there only, and as a
    # rating screen it rates only that counter's tickets.
    counter_number: Mapped[int | None] = mapped_column(Integer)


# --- catalogue: UIT, extra non-working days, TUPA procedures ----------------------------------


class UitValue(Base):
    """The UIT of each year (national data, pulled from central; seeded by migration 0004)."""

    __tablename__ = "uit_values"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    amount: Mapped[Decimal] = mapped_column(DecimalText())
    source: Mapped[str | None] = mapped_column(String(120))


class NonWorkingDay(Base):
    """An extra non-working day (día no laborable, regional holiday) with where it counts:
    its scope and place (kiosk.rules.calendar.DayScope). The hub keeps every day central
    sends; only those whose scope takes in the office count in its deadlines."""

    __tablename__ = "non_working_days"
    __table_args__ = (UniqueConstraint("date", "scope", "place",
                                       name="uq_non_working_days_date_scope_place"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[date] = mapped_column("date", Date)
    name: Mapped[str] = mapped_column(String(120))
    scope: Mapped[str] = mapped_column(String(20))
    # The ubigeo prefix (department 2 digits, province 4, district 6) or the office's code;
    # "" for the whole country.
    place: Mapped[str] = mapped_column(String(10), default="", server_default="")


class Procedure(Base):
    __tablename__ = "procedures"
    __table_args__ = (
        UniqueConstraint("office_id", "code"),
        CheckConstraint("category IN ('partida', 'licencia_funcionamiento', "
                        "'licencia_edificacion', 'otro')", name="ck_procedures_category"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(30))
    area: Mapped[str] = mapped_column(String(120))
    service_code: Mapped[str | None] = mapped_column(String(20))
    # Which kind within the category: the risk level of a licencia de funcionamiento (bajo,
    # medio, alto, muy_alto), the modalidad of an edificación (A-D), the acta of a partida
    # (nacimiento, matrimonio, defuncion). Rules key on it, never on the name.
    variant: Mapped[str | None] = mapped_column(String(20))
    # Who decides it, and the appeals against the decision (TUO Ley 27444 art. 218):
    # [{"kind": "reconsideracion" | "apelacion", "authority", "filing_working_days",
    #   "resolution_working_days"}]. None: the catalogue does not say yet.
    authority: Mapped[str | None] = mapped_column(String(120))
    appeals: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ProcedureVersion(Base):
    """The terms of a procedure from `effective_from` on; a filing keeps its version."""

    __tablename__ = "procedure_versions"
    __table_args__ = (
        UniqueConstraint("procedure_id", "version"),
        UniqueConstraint("procedure_id", "effective_from"),
        CheckConstraint("fee_kind IN ('uit_pct', 'fixed')", name="ck_procedure_versions_fee"),
        CheckConstraint("deadline_working_days >= 0", name="ck_procedure_versions_deadline"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    procedure_id: Mapped[str] = mapped_column(ForeignKey("procedures.id"))
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date)
    fee_kind: Mapped[str] = mapped_column(String(10))
    fee_value: Mapped[Decimal] = mapped_column(DecimalText())
    deadline_working_days: Mapped[int] = mapped_column(Integer)
    calificacion: Mapped[str] = mapped_column(String(40))
    requirements: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime]


# --- printing ----------------------------------------------------------------------------------


class PrintJob(Base):
    """The last known outcome of one print job, as the device that printed it reported.

    `id` is the job id the device generated, so a repeated report (a retry, a reprint that
    worked) updates the same row; every change is also an event.
    """

    __tablename__ = "print_jobs"
    __table_args__ = (
        Index("ix_print_jobs_reported", "reported_at"),
        Index("ix_print_jobs_device_reported", "device_id", "reported_at"),
        CheckConstraint("state IN ('printed', 'failed')", name="ck_print_jobs_state"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    device_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(12))
    reference: Mapped[str | None] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(10))
    error_code: Mapped[str | None] = mapped_column(String(60))
    error_message: Mapped[str | None] = mapped_column(String(500))
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_at: Mapped[datetime]


# --- clerks ------------------------------------------------------------------------------------


class User(Base):
    """A person who logs in at a counter or a supervisor's window (PIN/password hashed)."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("office_id", "username"),
        CheckConstraint("role IN ('counter', 'supervisor', 'admin')", name="ck_users_role"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    username: Mapped[str] = mapped_column(String(40))
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(12))
    secret_hash: Mapped[str] = mapped_column(String(200))  # scrypt, self-describing string
    must_change: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class UserSession(Base):
    """A clerk logged in on a device; the token is random and stored hashed."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user", "user_id", "started_at"),)
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[str] = mapped_column(String(36))
    counter_number: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


# --- citizens ----------------------------------------------------------------------------------


class Person(Base):
    """A citizen, reused across requests. `search_name` is "PATERNO MATERNO NOMBRES" folded to
    capitals without accents (kiosk/rules/names.py), for surname-first prefix searches."""

    __tablename__ = "persons"
    __table_args__ = (
        UniqueConstraint("office_id", "doc_type", "doc_number"),
        Index("ix_persons_doc_number", "doc_number"),
        Index("ix_persons_search_name", "search_name"),
        CheckConstraint("doc_type IN ('DNI', 'CE', 'CPP', 'PAS')", name="ck_persons_doc_type"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    doc_type: Mapped[str] = mapped_column(String(3))
    doc_number: Mapped[str] = mapped_column(String(12))
    given_names: Mapped[str] = mapped_column(String(80))
    paternal_surname: Mapped[str] = mapped_column(String(60))
    maternal_surname: Mapped[str | None] = mapped_column(String(60))
    search_name: Mapped[str] = mapped_column(String(210))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Business(Base):
    """A company or an individual with business (RUC 10/15/17/20), reused across requests."""

    __tablename__ = "businesses"
    __table_args__ = (
        UniqueConstraint("office_id", "ruc"),
        Index("ix_businesses_search_name", "search_name"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    ruc: Mapped[str] = mapped_column(String(11))
    name: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(200))
    representative_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


# --- civil registry index ----------------------------------------------------------------------


class Acta(Base):
    """One entry of the office's civil registry (the book it is in, not the scanned page)."""

    __tablename__ = "actas"
    __table_args__ = (
        UniqueConstraint("office_id", "kind", "acta_number"),
        Index("ix_actas_titular", "titular_search"),
        Index("ix_actas_spouse", "spouse_search"),
        CheckConstraint("kind IN ('nacimiento', 'matrimonio', 'defuncion')",
                        name="ck_actas_kind"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(10))
    acta_number: Mapped[str] = mapped_column(String(20))
    book: Mapped[str] = mapped_column(String(20))
    folio: Mapped[str] = mapped_column(String(20))
    event_date: Mapped[date] = mapped_column(Date)  # birth, wedding or death
    registered_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(120))
    titular_given: Mapped[str] = mapped_column(String(80))
    titular_paternal: Mapped[str] = mapped_column(String(60))
    titular_maternal: Mapped[str | None] = mapped_column(String(60))
    titular_search: Mapped[str] = mapped_column(String(210))
    # The second spouse of a marriage record; None for births and deaths.
    spouse_given: Mapped[str | None] = mapped_column(String(80))
    spouse_paternal: Mapped[str | None] = mapped_column(String(60))
    spouse_maternal: Mapped[str | None] = mapped_column(String(60))
    spouse_search: Mapped[str | None] = mapped_column(String(210))
    # Parents of the titular of a birth record (for the minor's-copy rule and the copy itself).
    father_name: Mapped[str | None] = mapped_column(String(200))
    mother_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]


# --- expedientes -------------------------------------------------------------------------------


class YearSequence(Base):
    """The last number issued per series per year (expedientes, receipts): never reused."""

    __tablename__ = "year_sequences"
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    series: Mapped[str] = mapped_column(String(4), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Expediente(Base):
    """The projection of one expediente's events (the events are in `events`, stream
    "expediente"). The terms are copied from the procedure version at filing."""

    __tablename__ = "expedientes"
    __table_args__ = (
        UniqueConstraint("office_id", "number"),
        UniqueConstraint("tracking_code"),
        Index("ix_expedientes_person", "person_id", "filed_at"),
        Index("ix_expedientes_business", "business_id", "filed_at"),
        Index("ix_expedientes_status_due", "status", "due_date"),
        Index("ix_expedientes_filed", "filed_at"),
        Index("ix_expedientes_decided", "decided_at"),  # resolved in a period (statistics)
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    number: Mapped[str] = mapped_column(String(20))  # CAJ-2026-000123
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    tracking_code: Mapped[str] = mapped_column(String(20))
    procedure_id: Mapped[str] = mapped_column(ForeignKey("procedures.id"))
    procedure_version_id: Mapped[str] = mapped_column(ForeignKey("procedure_versions.id"))
    category: Mapped[str] = mapped_column(String(30))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"))
    business_id: Mapped[str | None] = mapped_column(ForeignKey("businesses.id"))
    status: Mapped[str] = mapped_column(String(20))
    area: Mapped[str] = mapped_column(String(120))
    filed_at: Mapped[datetime]
    deadline_working_days: Mapped[int] = mapped_column(Integer)
    calificacion: Mapped[str] = mapped_column(String(40))
    due_date: Mapped[date] = mapped_column(Date)
    observed_at: Mapped[datetime | None]
    observation_due: Mapped[date | None] = mapped_column(Date)
    stopped_working_days: Mapped[int] = mapped_column(Integer, default=0)
    fee: Mapped[Decimal] = mapped_column(DecimalText())
    fee_basis: Mapped[str] = mapped_column(String(120))
    # The exemption chosen at filing (kiosk/rules/exemptions.py) and what it took off the fee.
    exemption: Mapped[str | None] = mapped_column(String(40))
    exempted: Mapped[Decimal | None] = mapped_column(DecimalText())
    paid: Mapped[Decimal] = mapped_column(DecimalText())
    pages: Mapped[int] = mapped_column(Integer, default=0)
    requirements_presented: Mapped[list[int]] = mapped_column(JSON)
    details: Mapped[dict[str, Any]]
    acta_id: Mapped[str | None] = mapped_column(ForeignKey("actas.id"))
    itse_done: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    created_by: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[datetime]


class ItseCertificate(Base):
    """An ITSE recorded on a licencia de funcionamiento (its «inspected» event says the same):
    the result and, when conforme, the certificate's number, date and validity. The hub's own
    index for the supervisor's expiries; central learns it from the event."""

    __tablename__ = "itse_certificates"
    __table_args__ = (Index("ix_itse_certificates_valid", "valid_until"),
                      Index("ix_itse_certificates_expediente", "expediente_id"))
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    expediente_id: Mapped[str] = mapped_column(ForeignKey("expedientes.id"))
    result: Mapped[str] = mapped_column(String(12))  # conforme | no_conforme
    certificate_number: Mapped[str | None] = mapped_column(String(30))
    certificate_date: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str | None] = mapped_column(String(36))


class AppealRecord(Base):
    """A recurso de reconsideración or apelación filed against the decision on an expediente
    (its «appeal_filed» and «appeal_decided» events say the same): the hub's own index for the
    counter and the supervisor's overdue appeals; central learns it from the events."""

    __tablename__ = "appeals"
    __table_args__ = (Index("ix_appeals_expediente", "expediente_id"),
                      Index("ix_appeals_open_due", "outcome", "due_date"))
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    expediente_id: Mapped[str] = mapped_column(ForeignKey("expedientes.id"))
    kind: Mapped[str] = mapped_column(String(20))  # reconsideracion | apelacion
    against: Mapped[str] = mapped_column(String(60))  # the decision appealed, in Spanish
    authority: Mapped[str] = mapped_column(String(120))  # who decides it
    notified_on: Mapped[date] = mapped_column(Date)
    filed_at: Mapped[datetime]
    due_date: Mapped[date] = mapped_column(Date)  # last day to decide it
    filed_by: Mapped[str | None] = mapped_column(String(36))
    note: Mapped[str | None] = mapped_column(Text)  # what the citizen asks, in short
    outcome: Mapped[str | None] = mapped_column(String(14))  # None: in process
    reason: Mapped[str | None] = mapped_column(Text)  # why it was decided so
    resolution: Mapped[str | None] = mapped_column(String(60))  # the resolution's number
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(36))


class ExpedienteTicket(Base):
    """Which tickets an expediente was handled in (filed, paid, delivered...)."""

    __tablename__ = "expediente_tickets"
    expediente_id: Mapped[str] = mapped_column(ForeignKey("expedientes.id"), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    linked_at: Mapped[datetime]


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("office_id", "receipt_number"),
        Index("ix_payments_expediente", "expediente_id"),
        Index("ix_payments_day_clerk", "business_date", "user_id"),
        # exonerado: the S/ 0.00 receipt of a filing an exemption made free.
        CheckConstraint("method IN ('efectivo', 'banco_nacion', 'exonerado')",
                        name="ck_payments_method"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    expediente_id: Mapped[str] = mapped_column(ForeignKey("expedientes.id"))
    receipt_number: Mapped[str] = mapped_column(String(24))  # CAJ-R-2026-000045
    amount: Mapped[Decimal] = mapped_column(DecimalText())
    method: Mapped[str] = mapped_column(String(14))
    voucher_number: Mapped[str | None] = mapped_column(String(30))
    cash_received: Mapped[Decimal | None] = mapped_column(DecimalText())
    user_id: Mapped[str | None] = mapped_column(String(36))
    counter_number: Mapped[int | None] = mapped_column(Integer)
    paid_at: Mapped[datetime]
    business_date: Mapped[date] = mapped_column(Date)


class Attachment(Base):
    """A scanned document, stored under the data dir by its SHA-256."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_expediente", "expediente_id"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    expediente_id: Mapped[str] = mapped_column(ForeignKey("expedientes.id"))
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(200))  # relative to the data dir
    added_at: Mapped[datetime]
    added_by: Mapped[str | None] = mapped_column(String(36))


# --- satisfaction ------------------------------------------------------------------------------


class Rating(Base):
    """A citizen's 1-5 rating of the service just received (kiosk or counter-facing screen).

    One per ticket; the counter, service and clerk are copied from the ticket when it is
    rated, so the figures stay put if the ticket's projection changes later.
    """

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("ticket_id"),
        Index("ix_ratings_business_date", "business_date"),
        CheckConstraint("score BETWEEN 1 AND 5", name="ck_ratings_score"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"))
    business_date: Mapped[date] = mapped_column(Date)  # the ticket's
    score: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id"))
    counter_number: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime]


# --- the Libro de Reclamaciones and the suggestions box (kiosk/rules/reclamos.py) -------------


class Reclamo(Base):
    """A reclamo of the Libro de Reclamaciones: the projection of its events (stream
    «reclamo»: filed, answered). The person is written as given on the hoja, not linked to a
    person record: the hoja is what the citizen signed for."""

    __tablename__ = "reclamos"
    __table_args__ = (
        UniqueConstraint("office_id", "number"),
        Index("ix_reclamos_status_due", "status", "due_date"),
        Index("ix_reclamos_filed", "filed_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    number: Mapped[str] = mapped_column(String(24))  # CAJ-LR-2026-000001
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(12))  # kiosco | ventanilla
    category: Mapped[str] = mapped_column(String(24))
    doc_type: Mapped[str] = mapped_column(String(4))
    doc_number: Mapped[str] = mapped_column(String(20))
    full_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(2000))
    request: Mapped[str | None] = mapped_column(String(1000))  # what the citizen asks for
    filed_at: Mapped[datetime]
    answer_working_days: Mapped[int] = mapped_column(Integer)  # the figure counted with
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))  # abierto | respondido
    answer: Mapped[str | None] = mapped_column(String(4000))
    delivery: Mapped[str | None] = mapped_column(String(24))
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(36))
    created_by: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[datetime]


class Suggestion(Base):
    """An anonymous suggestion left at the kiosk: a category and free text, nothing else."""

    __tablename__ = "suggestions"
    __table_args__ = (Index("ix_suggestions_business_date", "business_date"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    business_date: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(1000))
    device_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime]


class ReclamoDraft(Base):
    """What a citizen typed at the kiosk's reclamo form before asking a clerk to finish it,
    kept with the Orientación ticket they took (migration 0024). The hub's own, never
    replicated; gone once the clerk files the reclamo, and at the end of the day."""

    __tablename__ = "reclamo_drafts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), unique=True)
    business_date: Mapped[date] = mapped_column(Date)
    data: Mapped[dict[str, Any]]
    device_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime]


# --- sync with the central server (kiosk/storage/replication.py, sync/) ---------------------


class SyncOutbox(Base):
    """A change waiting for central, written by a trigger in the changing transaction.

    `seq` orders the office's changes and is the version central compares snapshots by;
    `mutation_id` is what central remembers to apply each entry once. Entries central
    acknowledged are deleted; a rejected one stays, with the reason, on the attention list.
    """

    __tablename__ = "sync_outbox"
    __table_args__ = (
        Index("ix_sync_outbox_state", "state", "seq"),
        Index("ix_sync_outbox_row", "tbl", "row_key", "state"),
        CheckConstraint("state IN ('pending', 'inflight', 'rejected')",
                        name="ck_sync_outbox_state"),
        {"sqlite_autoincrement": True},  # a seq is never reused, even after deletes
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(String(32), unique=True)
    tbl: Mapped[str] = mapped_column(String(40))
    row_key: Mapped[str] = mapped_column(String(80))
    op: Mapped[str] = mapped_column(String(10))
    payload: Mapped[str] = mapped_column(Text)  # JSON text, as the trigger wrote it
    created_at: Mapped[str] = mapped_column(
        String(30), server_default=text("(strftime('%Y-%m-%d %H:%M:%f', 'now'))"))
    state: Mapped[str] = mapped_column(String(10), server_default=text("'pending'"))
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    reason: Mapped[str | None] = mapped_column(String(500))


class SyncControl(Base):
    """One row; `applying` is 1 only inside a transaction that applies what central sent, so
    the capture triggers do not echo it back."""

    __tablename__ = "sync_control"
    __table_args__ = (CheckConstraint("id = 1", name="ck_sync_control_one_row"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    applying: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class SyncState(Base):
    """The sync worker's memory: pull cursor, last success, last error, clock skew..."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class AuditHead(Base):
    """The chain's last link, kept by a trigger on every event written (migration 0009): a
    deleted tail of events, which leaves no gap in the numbering, shows against it."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="ck_audit_head_one_row"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_hash: Mapped[str] = mapped_column(String(64), server_default=text("''"))
    events: Mapped[int] = mapped_column(Integer, server_default=text("0"))


# --- administration (migration 0010): local only, never replicated ----------------------------


class PairingCode(Base):
    """A one-time code an admin makes to pair a new device; only its hash is kept."""

    __tablename__ = "pairing_codes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(12))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str | None] = mapped_column(String(36))  # users.id of the admin
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    device_id: Mapped[str | None] = mapped_column(String(36))  # the device it paired
    counter_number: Mapped[int | None] = mapped_column(Integer)  # the device's counter


class PairingGuard(Base):
    """One row: wrong pairing codes in a row and until when pairing is refused."""

    __tablename__ = "pairing_guard"
    __table_args__ = (CheckConstraint("id = 1", name="ck_pairing_guard_one_row"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    locked_until: Mapped[datetime | None]


class OfficeSetting(Base):
    """A setting changed from the admin window, overlaid on config.toml (one row per key)."""

    __tablename__ = "office_settings"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


# --- derived data: the supervisor's statistics (kiosk/services/daily_stats.py) ---------------


class DailyTicketStats(Base):
    """The figures of the tickets of one closed day (`period` «day») or one closed month
    («month»), pre-aggregated so a year's history does not read 200,000 tickets.

    Derived data, never replicated (central computes from its copy of the tickets): `header`
    is JSON (counts by every grouping, the SLA and time zone they were computed with) and
    `samples` the sorted waiting and service times themselves (float64, little-endian), so
    percentiles over any set of days stay exact. `frozen` rows are the only record left of
    their tickets (the retention purge removed them): they are never rebuilt.
    """

    __tablename__ = "daily_ticket_stats"
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(8), primary_key=True)
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    end: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    tickets: Mapped[int] = mapped_column(Integer)
    header: Mapped[str] = mapped_column(Text)
    samples: Mapped[bytes] = mapped_column(LargeBinary)
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)
    built_at: Mapped[datetime]


# --- notices to citizens (migration 0021): the hub's own, never replicated --------------------


class NoticeConsent(Base):
    """A citizen's contact for notices about one expediente (or cita) and their consent (Ley
    29733): when and who took it; withdrawn when and by whom. A new consent is a new row."""

    __tablename__ = "notice_consents"
    __table_args__ = (Index("ix_notice_consents_subject", "subject_kind", "subject_id"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    subject_kind: Mapped[str] = mapped_column(String(20))  # expediente | cita
    subject_id: Mapped[str] = mapped_column(String(36))
    mobile: Mapped[str | None] = mapped_column(String(9))
    email: Mapped[str | None] = mapped_column(String(120))
    given_at: Mapped[datetime]
    given_by: Mapped[str | None] = mapped_column(String(36))  # users.id of the clerk
    given_by_name: Mapped[str] = mapped_column(String(120))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by: Mapped[str | None] = mapped_column(String(36))
    withdrawn_by_name: Mapped[str | None] = mapped_column(String(120))


class Notice(Base):
    """One notice in the outbox: written with the event it tells of, sent by the notice job
    (kiosk/notice_job.py). `idempotency_key` is unique: one notice per event and channel."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_due", "state", "next_attempt_at"),
                      CheckConstraint("state IN ('pending', 'sent', 'failed', 'cancelled')",
                                      name="ck_notices_state"))
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    consent_id: Mapped[str] = mapped_column(ForeignKey("notice_consents.id"))
    channel: Mapped[str] = mapped_column(String(8))  # sms | email
    kind: Mapped[str] = mapped_column(String(20))  # kiosk.rules.notices.NoticeKind
    reference: Mapped[str] = mapped_column(String(30))  # the expediente number (or cita code)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


# --- citas (kiosk/rules/citas.py, kiosk/services/citas.py) ----------------------------------


class CitaService(Base):
    """A service's citas setting: whether it takes them, the slot length and the share of each
    day kept for walk-ins. The hub's own (central learns the bookings by their events)."""

    __tablename__ = "cita_services"
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id"), primary_key=True)
    takes_citas: Mapped[bool] = mapped_column(Boolean, default=True)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    walkin_percent: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]


class Cita(Base):
    """One booking of a slot. A slot's places are counted over the bookings that hold one
    (kiosk/rules/citas.py HOLDS_PLACE), in the write transaction that adds another."""

    __tablename__ = "citas"
    __table_args__ = (
        UniqueConstraint("code"),
        Index("ix_citas_slot", "service_id", "day", "start_at"),
        Index("ix_citas_day_status", "day", "status"),
        Index("ix_citas_document", "document", "day"),
        Index("ix_citas_ticket", "ticket_id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    code: Mapped[str] = mapped_column(String(12))
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id"))
    day: Mapped[date] = mapped_column(Date)
    start_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(12))
    document: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(120))
    contact: Mapped[str | None] = mapped_column(String(120))
    # The ticket its check-in issued (a cita ticket on time, a regular one late).
    ticket_id: Mapped[str | None] = mapped_column(ForeignKey("tickets.id"))
    booked_at: Mapped[datetime]
    booked_by: Mapped[str | None] = mapped_column(String(36))  # users.id; None: the kiosk
    checked_in_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class CitaDelegation(Base):
    """Places of a slot the office gave central to book in advance (central's public page),
    so that both sides can book while they cannot talk and never give the same place: the
    office books only the places it kept. Replicated to central (how many it may give)."""

    __tablename__ = "cita_delegations"
    __table_args__ = (Index("ix_cita_delegations_slot", "service_id", "start_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id"))
    start_at: Mapped[datetime]
    places: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]

