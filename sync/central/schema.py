"""The central server's tables: the offices' replicated tables plus its own bookkeeping.

Replicated tables have the hub's columns and types (kiosk/storage/tables.py), every row keyed
by office, and one more column, `_sync_seq`: the hub's outbox seq of the snapshot stored, so
an older snapshot arriving late never overwrites a newer one. They keep no foreign keys and
no unique constraints but the primary key and what must be unique across offices (a tracking
code): integrity is the hub's job, and a replica that refused a row for a constraint would
stall an office's sync. A clerk's private columns (PIN hash, failed logins, lock) exist in
`users` and stay empty: central keeps no office's secret.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
    literal,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from kiosk.storage.replication import REPLICATED, Policy
from kiosk.storage.tables import Base, UTCDateTime

metadata = MetaData()

SYNC_SEQ = "_sync_seq"

offices = Table(
    "offices", metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(6), nullable=False, unique=True),
    Column("name", String(120), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

# Who may call central: an office's hub (office_id set) or back-office staff.
credentials = Table(
    "central_credentials", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("role", String(12), nullable=False),  # hub | staff | admin
    Column("office_id", String(36), ForeignKey("offices.id")),
    Column("name", String(120), nullable=False),
    # The key USB bundles of this office are signed with (derived from the token).
    Column("bundle_key", String(64)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
)

# What central knows of each office's hub: its own office id, versions, last contact.
office_links = Table(
    "office_links", metadata,
    Column("office_id", String(36), ForeignKey("offices.id"), primary_key=True),
    Column("hub_office_id", String(36)),
    Column("app_version", String(20)),
    Column("protocol", Integer),
    Column("schema", String(20)),
    Column("last_seq", BigInteger, nullable=False, default=0),
    # Below this outbox seq the hub has settled every entry (its batches start at its oldest
    # pending one): their bookkeeping in `sync_applied` is pruned once past the retry horizon.
    Column("acked_seq", BigInteger, nullable=False, server_default="0"),
    Column("last_push_at", UTCDateTime()),
    Column("last_pull_at", UTCDateTime()),
    Column("clock_skew_s", Integer),
)

# Mutation ids applied, per office: a repeated entry (a retry, a duplicated request, a bundle
# imported twice) is answered "duplicate" and changes nothing. Per office, so that no office
# can claim an id another office's hub made first.
applied = Table(
    "sync_applied", metadata,
    Column("office_id", String(36), primary_key=True),
    Column("mutation_id", String(32), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("applied_at", UTCDateTime(), nullable=False),
)

# What hubs pull: catalogue rows, national data, back-office events, in one ordered feed.
changes = Table(
    "sync_changes", metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("office_id", String(36)),  # None: for every office
    Column("tbl", String(40), nullable=False),
    Column("op", String(20), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_sync_changes_office", "office_id", "seq"),
)

# Entries central refused, for the central staff (the hub keeps its own list too).
rejections = Table(
    "sync_rejections", metadata,
    Column("office_id", String(36), primary_key=True),
    Column("mutation_id", String(32), primary_key=True),
    Column("tbl", String(40), nullable=False),
    Column("row_key", String(80), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("payload", Text, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
)


# Central's own audit of the non-working days it distributes: who added, corrected or
# removed which day, and when (the offices record what reached them in their own chains).
calendar_log = Table(
    "calendar_log", metadata,
    Column("id", String(36), primary_key=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("by", String(120), nullable=False),
    Column("action", String(12), nullable=False),  # added | corrected | removed
    Column("date", Date, nullable=False),
    Column("scope", String(20), nullable=False),
    Column("place", String(10), nullable=False),
    Column("name", String(120), nullable=False),
    Column("previous_name", String(120)),
    Index("ix_calendar_log_date", "date"),
)


# Citas central booked on the places offices delegated to it (sync/central/citas.py); each
# goes to its office in the feed, which keeps its copy in `citas`. And the citas an office
# booked itself, as its pushed events tell them, for the public page (decision record 49).
central_citas = Table(
    "central_citas", metadata,
    Column("id", String(36), primary_key=True),
    Column("office_id", String(36), ForeignKey("offices.id"), nullable=False),
    Column("code", String(12), nullable=False, unique=True),
    Column("service_id", String(36), nullable=False),
    Column("start_at", UTCDateTime(), nullable=False),
    Column("document", String(12)),  # none for a booking made at the office
    Column("name", String(120)),
    Column("contact", String(120)),
    Column("booked_by", String(120), nullable=False),
    Column("booked_at", UTCDateTime(), nullable=False),
    # The office's status as central last learned it (its pushed «cita» events); a request
    # (cancel | move) sent in the feed and not answered yet, with its id; the place a move
    # left, held until the office confirms (decision record 48).
    Column("status", String(12), nullable=False, server_default="reservada"),
    Column("pending", String(8)),
    Column("request_id", String(36)),
    Column("held_start_at", UTCDateTime()),
    # Whose place the booking holds: «central» (a delegated place) or «oficina» (the office's
    # own: a booking made there, known from its pushed events, with `proof` — the slow salted
    # digest of its DNI, kiosk/rules/cita_proof.py — instead of the DNI and the name). While a
    # move is pending it names the held place: the new one is always delegated (record 49).
    Column("channel", String(12), nullable=False, server_default="central"),
    Column("proof", String(80)),
    Index("ix_central_citas_slot", "office_id", "service_id", "start_at"),
)


# The offices' public Ed25519 keys for the QR statements on signed documents (decision 46):
# each hub publishes its own (sync/central/verification.py) and pulls every office's.
office_keys = Table(
    "office_keys", metadata,
    Column("key_id", String(16), primary_key=True),
    Column("office_id", String(36), ForeignKey("offices.id"), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("valid_from", UTCDateTime(), nullable=False),
    Column("retired_at", UTCDateTime()),
    Column("revoked_at", UTCDateTime()),
    Column("published_at", UTCDateTime(), nullable=False),
)

# Citizens' lookups of the public page per client address and minute, counted in the database
# so that every central process behind a load balancer counts the same (sync/central/
# public_rate.py): this minute's and the previous minute's, for a sliding window.
rate_limits = Table(
    "central_rate_limits", metadata,
    Column("client", String(64), primary_key=True),
    Column("minute", BigInteger, nullable=False),
    Column("hits", Integer, nullable=False),
    Column("previous", Integer, nullable=False),
)

# --- the statistics, pre-aggregated as offices push (sync/central/stats_blocks.py) ------------

# The figures of the tickets of one office (`scope` its id) or of every office together
# (`scope` REGION) over one day, month or year, JSON in four parts read as needed: the kept
# groups' counts, lengths and exact sums (`header`); each group's and month's figures
# (`figures`); each day's (`days`); the ratings and served tickets by service, counter and
# clerk (`ratings`). The sorted times themselves are in `central_stats_series`.
stats_blocks = Table(
    "central_stats", metadata,
    Column("scope", String(36), primary_key=True),
    Column("period", String(8), primary_key=True),
    Column("start", Date, primary_key=True),
    Column("end", Date, nullable=False),
    Column("version", Integer, nullable=False),
    Column("tickets", Integer, nullable=False),
    Column("header", Text, nullable=False),
    Column("figures", Text, nullable=False),
    Column("days", Text, nullable=False),
    Column("ratings", Text, nullable=False),
    Column("built_at", UTCDateTime(), nullable=False),
)

# One group of a block (a service, a counter, an hour, ...): its waiting times, service times
# and preferential waiting times, sorted, one after the other (`samples`), and every
# `stride`-th of each (`sketch`), so that an order statistic over many blocks reads a few
# values of each, not all (sync/central/order_stats.py; their encoding: series_codec.py).
stats_series = Table(
    "central_stats_series", metadata,
    Column("scope", String(36), primary_key=True),
    Column("period", String(8), primary_key=True),
    Column("start", Date, primary_key=True),
    Column("dim", String(8), primary_key=True),
    Column("key", String(60), primary_key=True),
    Column("samples", LargeBinary, nullable=False),
    Column("sketch", LargeBinary, nullable=False),
)

# The office-days whose tickets or ratings changed since their block was built (a push marks
# them; `mark` tells a later change from the one a build has seen): no block covering one is
# read until it is built again.
stats_dirty = Table(
    "central_stats_dirty", metadata,
    Column("office_id", String(36), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("mark", BigInteger, nullable=False),
)

# An office's events of one older UTC day, folded into one compressed row in their outbox
# order (sync/central/event_archive.py); recovery reads them by outbox seq. `kept_out`: the
# body holds none of the kinds kept as rows (false for rows folded before revision 0016).
event_archive = Table(
    "central_event_archive", metadata,
    Column("office_id", String(36), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("first_seq", BigInteger, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("events", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("kept_out", Boolean, nullable=False, server_default=false()),
    Index("ix_central_event_archive_seq", "office_id", "last_seq"),
)


class office_key(FunctionElement[int]):
    """What the recovery indexes are keyed by: on PostgreSQL the office id's 64-bit hash
    (`hashtextextended`, the function PostgreSQL's hash partitioning relies on staying the
    same across versions), 8 bytes in each entry where the id's text took 40: the tickets'
    index takes 28 bytes an entry built afresh instead of 60. Elsewhere the office id."""

    type = BigInteger()
    name = "office_key"
    inherit_cache = True


@compiles(office_key, "postgresql")
def _office_key_postgresql(element: office_key, compiler: SQLCompiler, **kw: object) -> str:
    return f"hashtextextended({compiler.process(element.clauses, **kw)}, 0)"


@compiles(office_key)
def _office_key(element: office_key, compiler: SQLCompiler, **kw: object) -> str:
    return compiler.process(element.clauses, **kw)


def of_office(column: ColumnElement[str], office_id: str) -> ColumnElement[bool]:
    """The rows whose office `column` is `office_id`'s, by its key (along a recovery index).
    The key alone: no two offices share one (`ux_offices_key`, and `CentralServer.add_office`
    draws another id on a clash), and a second condition on the id itself would make
    PostgreSQL multiply the two estimates and sort an office's whole year instead of reading
    the index in order."""
    return office_key(column) == office_key(literal(office_id, String()))


# What keeps `of_office` exact: one office per key.
Index("ux_offices_key", office_key(offices.c.id), unique=True)


def _replica(name: str, key: tuple[str, ...] | None, national: bool) -> Table:
    source = Base.metadata.tables[name]
    columns = []
    for c in source.columns:
        is_key = (c.name in key) if key else c.primary_key
        columns.append(Column(c.name, c.type, primary_key=is_key,
                              nullable=not is_key,
                              autoincrement=False))
    if "office_id" not in source.columns and not national:
        columns.append(Column("office_id", String(36)))  # central knows whose row it is
    columns.append(Column(SYNC_SEQ, BigInteger))
    return Table(name, metadata, *columns)


REPLICAS: dict[str, Table] = {}
for _spec in REPLICATED:
    # Events are keyed by id here: the hub's `seq` is only that hub's local order.
    national = _spec.policy is Policy.NATIONAL
    REPLICAS[_spec.table] = _replica(_spec.table, None if national else _spec.key, national)

# The lookups central answers: statistics by office and day (tickets, ratings), the public page
# by code, an expediente's events, an office's rows.
Index("ix_tickets_office_day", REPLICAS["tickets"].c.office_id,
      REPLICAS["tickets"].c.business_date)
# One office per tracking code (sync/central/push.py, UNIQUE_ACROSS_OFFICES).
Index("ux_expedientes_tracking", REPLICAS["expedientes"].c.tracking_code, unique=True)
Index("ix_expedientes_office_number", REPLICAS["expedientes"].c.office_id,
      REPLICAS["expedientes"].c.number)
# Events are read back only by a restored hub (by its outbox seq) and, kept as rows for good
# (sync/central/event_archive.py), by kind: the expedientes' figures count cancellations, the
# public verification page reads a document's signature. The last two on those few rows only.
Index("ix_events_recovery", office_key(REPLICAS["events"].c.office_id),
      REPLICAS["events"].c[SYNC_SEQ])
Index("ix_events_cancelled", REPLICAS["events"].c.occurred_at,
      postgresql_where=(REPLICAS["events"].c.kind == "cancelled")
      & (REPLICAS["events"].c.stream == "expediente"),
      sqlite_where=(REPLICAS["events"].c.kind == "cancelled")
      & (REPLICAS["events"].c.stream == "expediente"))
Index("ix_events_signed", REPLICAS["events"].c.stream_id,
      postgresql_where=(REPLICAS["events"].c.kind == "document_signed")
      & (REPLICAS["events"].c.stream == "expediente"),
      sqlite_where=(REPLICAS["events"].c.kind == "document_signed")
      & (REPLICAS["events"].c.stream == "expediente"))
Index("ix_tickets_recovery", office_key(REPLICAS["tickets"].c.office_id),
      REPLICAS["tickets"].c[SYNC_SEQ])
# The period report's expedientes, counted in SQL (sync/central/expedientes.py).
_EXPEDIENTES = REPLICAS["expedientes"]
Index("ix_expedientes_office_filed", _EXPEDIENTES.c.office_id, _EXPEDIENTES.c.filed_at)
Index("ix_expedientes_office_decided", _EXPEDIENTES.c.office_id, _EXPEDIENTES.c.decided_at)
_OPEN = _EXPEDIENTES.c.status.in_(["recibido", "observado", "en_area"])
Index("ix_expedientes_open", _EXPEDIENTES.c.office_id, postgresql_where=_OPEN,
      sqlite_where=_OPEN)
Index("ix_services_office", REPLICAS["services"].c.office_id)
Index("ix_cita_delegations_slot", REPLICAS["cita_delegations"].c.office_id,
      REPLICAS["cita_delegations"].c.service_id, REPLICAS["cita_delegations"].c.start_at)
Index("ix_procedures_office", REPLICAS["procedures"].c.office_id)
Index("ix_users_office", REPLICAS["users"].c.office_id)
Index("ix_ratings_office_day", REPLICAS["ratings"].c.office_id,
      REPLICAS["ratings"].c.business_date)
Index("ix_reclamos_office_number", REPLICAS["reclamos"].c.office_id,
      REPLICAS["reclamos"].c.number)
Index("ix_suggestions_office_day", REPLICAS["suggestions"].c.office_id,
      REPLICAS["suggestions"].c.business_date)
