"""Central's unit of work: the hub's catalogue services run unchanged over central's database.

Importing a TUPA file, adding a clerk or a service centrally goes through the very functions
an office uses (kiosk/services/tupa.py, users.py, catalogue.py), with their checks and Spanish
messages. What they write is then published in the feed, in the same transaction, for the
office's hub (or every hub, for national data) to pull.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event, inspect, null
from sqlalchemy.orm import Session

from kiosk.clock import Clock, HybridLogicalClock
from kiosk.ids import new_id
from kiosk.services.unit_of_work import OfficeContext, UnitOfWork
from kiosk.storage.replication import BY_TABLE, PRIVATE_COLUMNS, REPLICATED, Policy
from kiosk.storage.tables import Event
from sync.central.feed import publish_row
from sync.central.schema import REPLICAS
from sync.central.stats_refresh import mark_office

LIMA = ZoneInfo("America/Lima")
_ORDER = {spec.table: i for i, spec in enumerate(REPLICATED)}


def office_context(office_id: str, office_code: str) -> OfficeContext:
    return OfficeContext(office_id=office_id, office_code=office_code, tz=LIMA,
                         default_service_minutes=6.0, missed_reinstate_minutes=15)


class CentralUnitOfWork(UnitOfWork):
    def __init__(self, engine: Engine, clock: Clock, hlc: HybridLogicalClock,
                 office: OfficeContext) -> None:
        self._engine = engine
        self._clock = clock
        self._hlc = hlc
        self.office = office
        self._after_commit = []
        self._last_hash = None
        self.last_call_seq = None

    def __enter__(self) -> CentralUnitOfWork:
        # The base class's `session` is this one, made at once (central has no prepared paths).
        self._session = Session(self._engine, expire_on_commit=False)
        self._written: dict[int, Any] = {}
        event.listen(self.session, "before_flush", self._forget_private)
        event.listen(self.session, "after_flush", self._collect)
        self.session.begin()
        self.now = self._clock.now()
        self.today = self.office.business_date(self.now)
        return self

    @staticmethod
    def _forget_private(session: Session, _context: Any, _instances: Any) -> None:
        """Central keeps no office secret, even one the hub's services wrote (a new clerk's
        PIN hash): the column stays empty here and the row reaches the office without it."""
        for obj in [*session.new, *session.dirty]:
            table = getattr(obj, "__table__", None)
            for name in PRIVATE_COLUMNS.get(table.name, ()) if table is not None else ():
                setattr(obj, name, null())  # NULL itself: None would let a default in

    def _collect(self, session: Session, _context: Any) -> None:
        for obj in [*session.new, *session.dirty]:
            if getattr(obj, "__table__", None) is not None and obj.__table__.name in BY_TABLE:
                self._written[id(obj)] = obj

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.session.in_transaction():
            self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.flush()
        connection = self.session.connection()
        if any(obj.__table__.name == "services" for obj in self._written.values()):
            # A service's target changed the share within it of every day counted so far.
            mark_office(connection, self.office.office_id)
        for obj in sorted(self._written.values(), key=lambda o: _ORDER[o.__table__.name]):
            policy = BY_TABLE[obj.__table__.name].policy
            if policy in (Policy.CATALOGUE, Policy.NATIONAL):
                office = None if policy is Policy.NATIONAL else self.office.office_id
                publish_row(connection, office, REPLICAS[obj.__table__.name], _values(obj),
                            self.now)
        self._written.clear()
        self.session.commit()

    def record(self, stream: str, stream_id: str, kind: str, data: dict[str, Any],
               device_id: str | None) -> Event:
        """Central's own facts (who imported what): kept, not chained, never sent to hubs."""
        values = {"id": new_id(), "office_id": self.office.office_id, "stream": stream,
                  "stream_id": stream_id, "kind": kind, "occurred_at": self.now,
                  "hlc": self._hlc.tick(), "device_id": device_id, "data": data,
                  "prev_hash": "", "hash": ""}
        self.session.execute(REPLICAS["events"].insert().values(**values))
        return Event(**values)


def _values(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {column.key: getattr(obj, attr.key)
            for attr in mapper.column_attrs for column in attr.columns}

