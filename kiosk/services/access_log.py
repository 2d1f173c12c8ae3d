"""Who opened whose personal data at the hub (Ley 29733): one audited event per request.

When a staff device is shown personal data — persons found by a search, an expediente's detail
(its applicant), expedientes found by a search, actas of the civil registry, a scanned
attachment, businesses — the hub appends one `personal_data_accessed` event to the office's hash
chain before the answer leaves it: who (the clerk logged in, the device), what (the kind of
access, the query typed, the ids of the persons and the records shown, how many), when. One event
per request, never per row. If the event cannot be written, the data is not shown.

The event holds ids, never what was shown (no names, no document numbers but the query the
clerk typed): the persons' data stays in their rows, where retention and corrections apply, and
the log says whose record it was by id. `access_log` resolves the ids when an admin reads it
(`cac audit access`, GET /api/v1/audit/access).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import InvalidInput
from kiosk.rules.calendar import check_day
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import View
from kiosk.storage.tables import Event, Expediente, Person, User

ACCESS_STREAM = "access"
ACCESS_KIND = "personal_data_accessed"
MAX_ENTRIES = 1000

# What was opened, as the log names it (Spanish: the admin reads it).
WHAT_TEXT = {
    "persons": "búsqueda de personas",
    "businesses": "búsqueda de empresas",
    "actas": "búsqueda de actas",
    "expedientes": "búsqueda de expedientes",
    "expediente": "detalle de expediente",
    "attachment": "documento adjunto",
    "reclamos": "Libro de Reclamaciones",
    "reclamo": "detalle de reclamo",
    "citas": "citas de un día",
    "cita": "detalle de cita",
}


@dataclass(frozen=True)
class Access:
    """One request that showed personal data."""

    what: str  # a key of WHAT_TEXT
    query: str | None = None  # the search typed, as typed
    persons: tuple[str, ...] = ()  # persons.id of every person shown
    records: tuple[str, ...] = ()  # expediente numbers, acta / business / attachment ids
    count: int = 0  # rows shown

    def __post_init__(self) -> None:
        if self.what not in WHAT_TEXT:
            raise ValueError(f"unknown access kind {self.what!r}")


@dataclass(frozen=True)
class Accessor:
    """Who looked: the device (None for the hub itself) and the clerk logged in on it."""

    device_id: str | None
    device_name: str
    user_id: str | None = None
    username: str | None = None


def log_access(uow: UnitOfWork, who: Accessor, access: Access) -> int:
    """Append the access event (prepared statement: a light write); returns its seq."""
    data: dict[str, Any] = {
        "what": access.what,
        "query": access.query,
        "persons": sorted(set(access.persons)),
        "records": list(dict.fromkeys(access.records)),
        "count": access.count,
        "who_id": who.user_id,
        "who": who.username or who.device_name,
        "device": who.device_name,
    }
    return uow.append_event(ACCESS_STREAM, who.user_id or who.device_id or "hub", ACCESS_KIND,
                            data, who.device_id)


def applicants(session: Session, expediente_ids: Iterable[str]) -> tuple[str, ...]:
    """The persons (ids) who filed these expedientes: whose data a list of them shows."""
    ids = list(expediente_ids)
    if not ids:
        return ()
    return tuple(pid for pid in session.scalars(
        select(Expediente.person_id).where(Expediente.id.in_(ids))) if pid)


# --- reading the log -----------------------------------------------------------------------


class AccessPerson(View):
    id: str
    doc_type: str | None  # None: the person's row is no longer in this office's store
    doc_number: str | None


class AccessEntry(View):
    seq: int
    at: datetime
    who: str  # the clerk's username, or the device's name without a login
    who_id: str | None
    device: str
    device_id: str | None
    what: str
    what_text: str
    query: str | None
    persons: list[AccessPerson]
    records: list[str]
    count: int


def _bounds(tz: ZoneInfo, date_from: date | None, date_to: date | None
            ) -> tuple[datetime | None, datetime | None]:
    if date_from:
        check_day(date_from, "desde")
    if date_to:
        check_day(date_to, "hasta")
    if date_from and date_to and date_from > date_to:
        raise InvalidInput("invalid_period", "La fecha «desde» es posterior a «hasta».")
    start = datetime.combine(date_from, time(0), tzinfo=tz) if date_from else None
    end = (datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=tz)
           if date_to else None)
    return start, end


def _person_ids(session: Session, document: str) -> set[str]:
    return set(session.scalars(select(Person.id).where(Person.doc_number == document)))


def _user_ids(session: Session, user: str) -> set[str]:
    return set(session.scalars(select(User.id).where(User.username == user.lower())))


def access_log(session: Session, tz: ZoneInfo, *, person: str | None = None,
               user: str | None = None, date_from: date | None = None,
               date_to: date | None = None, limit: int = 200) -> list[AccessEntry]:
    """The accesses to personal data, newest first: of one person (their document number:
    the records shown were theirs, or the search typed was their number), by one user (their
    username), within office-local dates (inclusive)."""
    if not 1 <= limit <= MAX_ENTRIES:
        raise InvalidInput("invalid_limit", f"El límite debe estar entre 1 y {MAX_ENTRIES}.")
    document = person.strip() if person and person.strip() else None
    username = user.strip().lower() if user and user.strip() else None
    start, end = _bounds(tz, date_from, date_to)
    query = select(Event).where(Event.kind == ACCESS_KIND).order_by(Event.seq.desc())
    if start is not None:
        query = query.where(Event.occurred_at >= start)
    if end is not None:
        query = query.where(Event.occurred_at < end)
    wanted_persons = _person_ids(session, document) if document else set()
    wanted_users = _user_ids(session, username) if username else set()
    found: list[tuple[Event, dict[str, Any]]] = []
    for event in session.scalars(query.execution_options(yield_per=500)):
        data = event.data if isinstance(event.data, dict) else {}
        if document and not (wanted_persons & set(data.get("persons") or ())
                             or document in (data.get("query") or "")):
            continue
        if username and not (data.get("who_id") in wanted_users
                             or (data.get("who") == username and data.get("who_id"))):
            continue
        found.append((event, data))
        if len(found) >= limit:
            break
    documents = _documents(session, (p for _, d in found for p in d.get("persons") or ()))
    return [_entry(event, data, documents) for event, data in found]


def _documents(session: Session, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    wanted = sorted(set(ids))
    out: dict[str, tuple[str, str]] = {}
    for chunk in range(0, len(wanted), 500):
        rows = session.execute(select(Person.id, Person.doc_type, Person.doc_number)
                               .where(Person.id.in_(wanted[chunk:chunk + 500])))
        out.update({pid: (kind, number) for pid, kind, number in rows})
    return out


def _entry(event: Event, data: dict[str, Any], documents: dict[str, tuple[str, str]]
           ) -> AccessEntry:
    what = str(data.get("what") or "")
    persons = []
    for pid in data.get("persons") or ():
        kind, number = documents.get(pid, (None, None))
        persons.append(AccessPerson(id=pid, doc_type=kind, doc_number=number))
    return AccessEntry(
        seq=event.seq, at=event.occurred_at, who=str(data.get("who") or ""),
        who_id=data.get("who_id"), device=str(data.get("device") or ""),
        device_id=event.device_id, what=what, what_text=WHAT_TEXT.get(what, what),
        query=data.get("query"), persons=persons, records=list(data.get("records") or ()),
        count=int(data.get("count") or 0))
