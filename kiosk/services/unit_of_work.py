"""The unit of work owns one write transaction: projections and their events commit together."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from types import TracebackType
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from kiosk.clock import Clock, HybridLogicalClock
from kiosk.ids import new_id
from kiosk.rules.audit import GENESIS, event_hash
from kiosk.settings import SETTINGS, OfficeConfig
from kiosk.storage.prepared import PreparedInsert
from kiosk.storage.store import Store, writer_session
from kiosk.storage.tables import Event

CALL_KINDS = ("called", "recalled")

_INSERT_EVENT = PreparedInsert(cast(Any, Event.__table__))
_CHAIN_HEAD = "SELECT hash FROM events ORDER BY seq DESC LIMIT 1"


@dataclass(frozen=True)
class OfficeContext:
    """What services need to know about the office they run in. A field named like a setting
    (kiosk/settings.py) holds that setting's value: `of` and `with_settings` fill it."""

    office_id: str
    office_code: str
    tz: ZoneInfo
    default_service_minutes: float
    missed_reinstate_minutes: int
    cap_preferential_calls: bool = False  # OfficeConfig's, for the calling policy
    ubigeo: str = ""  # OfficeConfig's: which regional non-working days count here
    filing_cutoff: str = ""  # OfficeConfig's: "HH:MM", a later filing counts the next day
    # OfficeConfig's: what a notice to a citizen names, and where it points (notices.py).
    office_name: str = ""
    public_url: str = ""
    central_public_url: str = ""
    office_opens: str = "08:30"  # OfficeConfig's: the hours cut into cita slots
    office_closes: str = "16:30"
    cita_window_minutes: int = 10  # OfficeConfig's: a cita's tolerance
    cita_kiosk_bookings_per_hour: int = 10  # OfficeConfig's: a kiosk's bookings in an hour

    @classmethod
    def of(cls, office_id: str, office_code: str, config: OfficeConfig) -> OfficeContext:
        """The office's context with the settings `config` holds."""
        return cls(office_id=office_id, office_code=office_code, tz=config.tz,
                   **_settings_of(cls, config))

    def with_settings(self, config: OfficeConfig) -> OfficeContext:
        """The same office with the settings `config` holds now (the admin changed some)."""
        return replace(self, tz=config.tz, **_settings_of(type(self), config))

    def business_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()


def _settings_of(context: type[OfficeContext], config: OfficeConfig) -> dict[str, Any]:
    # The office's identity is its row's (the same code), never replaced by a reload.
    return {f.name: getattr(config, f.name) for f in fields(context)
            if f.name in SETTINGS and f.name not in ("office_id", "office_code")}


class UnitOfWork:
    # The clerk (users.id) logged in on the device this unit works for; the hub sets it. None
    # for the hub itself and for devices without a login.
    clerk_id: str | None = None
    # The counter the caller is bound to, for operations bound to one (a clerk acts only on
    # tickets their counter holds); None for the hub itself and unbound operations.
    counter: int | None = None

    def __init__(self, store: Store, clock: Clock, hlc: HybridLogicalClock, office: OfficeContext):
        self._store = store
        self._clock = clock
        self._hlc = hlc
        self.office = office
        self._after_commit: list[Callable[[], None]] = []
        self._last_hash: str | None = None
        # The newest call ("called"/"recalled") this unit wrote: displays are woken after commit.
        self.last_call_seq: int | None = None

    def __enter__(self) -> UnitOfWork:
        self._connection_cm = self._store.write_connection()
        self._connection: Connection = self._connection_cm.__enter__()
        self._session: Session | None = None
        # One instant per operation: every row and event it writes agrees on the time.
        self.now = self._clock.now()
        self.today = self.office.business_date(self.now)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._session is not None:
                self._session.close()  # its transaction, if not committed, is rolled back
            if self._connection.in_transaction():
                self._connection.rollback()  # not committed explicitly: nothing is kept
        finally:
            self._connection_cm.__exit__(exc_type, exc, tb)

    @property
    def session(self) -> Session:
        """The ORM session of this unit's transaction, made when first asked for: the ticket
        issue, all prepared statements, never pays for one."""
        if self._session is None:
            self._session = writer_session(self._connection)
        return self._session

    def commit(self) -> None:
        if self._session is not None:
            self._session.commit()
        elif self._connection.in_transaction():
            self._connection.commit()
        hooks, self._after_commit = self._after_commit, []
        for hook in hooks:
            hook()

    def after_commit(self, hook: Callable[[], None]) -> None:
        self._after_commit.append(hook)

    def record(
        self,
        stream: str,
        stream_id: str,
        kind: str,
        data: dict[str, Any],
        device_id: str | None,
    ) -> Event:
        """Append an event to the office's hash chain.

        Only calls are flushed at once (their `seq` wakes the displays); the rest are written
        with the commit, in the order they were recorded.
        """
        if self._last_hash is None:
            self._last_hash = (
                self.session.scalar(select(Event.hash).order_by(Event.seq.desc()).limit(1))
                or GENESIS
            )
        fields = self._event_fields(stream, stream_id, kind, data, device_id)
        digest = event_hash(self._last_hash, **fields)
        event = Event(id=fields.pop("event_id"), **fields, prev_hash=self._last_hash, hash=digest)
        self.session.add(event)
        self._last_hash = digest
        if kind in CALL_KINDS:
            self.session.flush()
            self.last_call_seq = event.seq
        return event

    def driver(self) -> sqlite3.Connection:
        """The DBAPI connection of this unit's write transaction, for the prepared statements
        of the hot paths (kiosk.storage.prepared). What the ORM holds pending is flushed first:
        raw statements see it, and events keep the order they were recorded in."""
        if self._session is not None:
            self._session.flush()
            connection = self._session.connection()  # the session's transaction, begun
        else:
            connection = self._connection
            if not connection.in_transaction():
                connection.begin()
        return cast(sqlite3.Connection, connection.connection.driver_connection)

    def append_event(
        self,
        stream: str,
        stream_id: str,
        kind: str,
        data: dict[str, Any],
        device_id: str | None,
    ) -> int:
        """`record`, written at once with a prepared INSERT (no ORM object): the same row,
        link in the chain and triggers (outbox, audit head). Returns the event's `seq`."""
        db = self.driver()
        if self._last_hash is None:
            head = db.execute(_CHAIN_HEAD).fetchone()
            self._last_hash = head[0] if head else GENESIS
        fields = self._event_fields(stream, stream_id, kind, data, device_id)
        digest = event_hash(self._last_hash, **fields)
        fields["id"] = fields.pop("event_id")
        seq = _INSERT_EVENT(db, {**fields, "prev_hash": self._last_hash, "hash": digest})
        self._last_hash = digest
        if kind in CALL_KINDS:
            self.last_call_seq = seq
        return seq

    def _event_fields(
        self,
        stream: str,
        stream_id: str,
        kind: str,
        data: dict[str, Any],
        device_id: str | None,
    ) -> dict[str, Any]:
        return {
            "event_id": new_id(),
            "office_id": self.office.office_id,
            "stream": stream,
            "stream_id": stream_id,
            "kind": kind,
            "occurred_at": self.now,
            "hlc": self._hlc.tick(),
            "device_id": device_id,
            "data": data,
        }
