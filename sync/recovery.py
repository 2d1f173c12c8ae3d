"""Getting back from central what a hub restored from an older backup had already pushed.

A backup restored after a disk failure lacks the office's work since that backup. Central
holds it: every office row as last pushed, with the hub's own outbox seq (`_sync_seq`). The
hub sees the gap at `hello` (central's last seq is above its own), asks for its rows above
its own seq, and writes them back with capture off (central has them already). A row the
office changed again since the restore keeps the office's newer version. The day's and the
year's number series are then raised above every number recovered, so no ticket, expediente or
receipt number is issued twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.hub import OfficeHub
from kiosk.rules.expedientes import EXPEDIENTE_SERIES, RECEIPT_SERIES
from kiosk.services import daily_stats
from kiosk.storage.replication import BY_TABLE, KEY_SEPARATOR, Policy
from kiosk.storage.tables import Base, SyncOutbox
from sync import outbox
from sync.client import CentralClient, CentralUnavailable
from sync.wire import PULL_PAGE, decode_row

log = logging.getLogger(__name__)

RECOVERED = (Policy.OFFICE, Policy.APPEND)
MAX_RECOVERY_PAGES = 10_000  # a recovery always ends
# A row whose parent row (its expediente, its ticket) has not been written back yet.
WAITING = ("waiting", "Central no envió el dato del que depende (su expediente, su turno…).")

# Numbers are never reused: each series goes above the highest number the office holds.
_RESEQUENCE = (
    "INSERT INTO day_sequences (office_id, business_date, series, last) "
    "SELECT office_id, business_date, series, max(seq) FROM tickets WHERE true "
    "GROUP BY office_id, business_date, series "
    "ON CONFLICT (office_id, business_date, series) DO UPDATE SET last = max(last, excluded.last)",
    "INSERT INTO year_sequences (office_id, year, series, last) "
    f"SELECT office_id, year, '{EXPEDIENTE_SERIES}', max(seq) FROM expedientes WHERE true "
    "GROUP BY office_id, year "
    "ON CONFLICT (office_id, year, series) DO UPDATE SET last = max(last, excluded.last)",
    # CAJ-R-2026-000045: the year and the number are the receipt number's last two parts.
    "INSERT INTO year_sequences (office_id, year, series, last) "
    "SELECT office_id, CAST(substr(receipt_number, -11, 4) AS INTEGER), "
    f"'{RECEIPT_SERIES}', max(CAST(substr(receipt_number, -6) AS INTEGER)) FROM payments "
    "WHERE true GROUP BY office_id, substr(receipt_number, -11, 4) "
    "ON CONFLICT (office_id, year, series) DO UPDATE SET last = max(last, excluded.last)",
)


@dataclass
class Recovery:
    rows: int = 0  # written back
    kept_local: int = 0  # changed again at the office since the restore: its version stays
    # One per row not written: table, reference (its key) and the Spanish reason.
    problems: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        text_ = f"Recuperados de la central {self.rows} datos que la copia restaurada no tenía"
        if self.kept_local:
            text_ += f"; {self.kept_local} se conservan como están en la oficina"
        if self.problems:
            text_ += f"; {len(self.problems)} no se pudieron guardar (vea la lista de atención)"
        return text_ + "."


def recover(hub: OfficeHub, client: CentralClient, after: int) -> Recovery:
    """Write back this office's rows central holds above outbox seq `after`."""
    result = Recovery()
    with hub.store.read_session() as session:
        changed_here = {(tbl, key) for tbl, key in
                        session.execute(select(SyncOutbox.tbl, SyncOutbox.row_key))}
    cursor = after
    waiting: list[Any] = []  # rows whose parent row had not come yet (see _apply_page)
    for _ in range(MAX_RECOVERY_PAGES):
        answer = client.recover(cursor, PULL_PAGE)
        rows, following = answer.get("rows"), answer.get("next")
        if not isinstance(rows, list) or not isinstance(following, int):
            raise CentralUnavailable("central_bad_answer",
                                     "La respuesta de la central llegó dañada.")
        if rows:
            waiting = _apply_page(hub, [*waiting, *rows], changed_here, result)
        cursor = following
        if not answer.get("more") or not rows:
            break
    for item in waiting:  # their parent never came
        result.problems.append(_problem(item, WAITING[1]))
    if result.rows or result.problems:
        log.warning("%s", result.summary())
    return result


def _problem(item: Any, reason: str) -> dict[str, str]:
    item = item if isinstance(item, dict) else {}
    return {"table": str(item.get("t", "")), "reference": f"recuperación {item.get('s', '')}",
            "reason": reason[:500]}


def _apply_page(hub: OfficeHub, rows: list[Any], changed_here: set[tuple[str, str]],
                result: Recovery) -> list[Any]:
    """Write one page; returns the rows that wait for a parent row not yet written. Central
    sends each row as last pushed, in the order of those pushes: a payment can come before
    the expediente it belongs to when the expediente changed afterwards (approved on payment),
    so a row refused by a foreign key is tried again after the rest of the page, and then
    after the next page."""
    changed_from: date | None = None
    with hub.unit_of_work() as uow:
        with outbox.applying(uow.session):
            pending = [item if isinstance(item, dict) else {} for item in rows]
            while pending:
                waiting: list[Any] = []
                for item in pending:
                    outcome = _apply_row(uow.session, hub.office.office_id, item, changed_here)
                    if outcome == "written":
                        result.rows += 1
                        day = _business_day(item)
                        if day is not None and (changed_from is None or day < changed_from):
                            changed_from = day
                    elif outcome == "kept":
                        result.kept_local += 1
                    elif outcome == WAITING[0]:
                        waiting.append(item)
                    elif outcome != "present":
                        result.problems.append(_problem(item, outcome))
                if len(waiting) == len(pending):
                    break  # no parent came in this pass: they wait for the next page
                pending = waiting
            else:
                waiting = []
            for statement in _RESEQUENCE:
                uow.session.execute(text(statement))
            if changed_from is not None:  # days summed up without these tickets are redone
                daily_stats.invalidate_from(uow.session, hub.office.office_id, changed_from)
        uow.commit()
    return waiting


def _business_day(item: dict[str, Any]) -> date | None:
    """The day a recovered ticket or rating counts in, for the daily statistics."""
    payload = item.get("p")
    if item.get("t") not in ("tickets", "ratings") or not isinstance(payload, dict):
        return None
    try:
        return date.fromisoformat(str(payload.get("business_date")))
    except ValueError:
        return None


def _apply_row(session: Session, office_id: str, item: dict[str, Any],
               changed_here: set[tuple[str, str]]) -> str:
    """"written", "present" (an event the office has), "kept" (changed here since), or why not."""
    name, payload = item.get("t"), item.get("p")
    spec = BY_TABLE.get(name) if isinstance(name, str) else None
    if spec is None or spec.policy not in RECOVERED or not isinstance(payload, dict):
        return f"La central envió para recuperar datos de «{name}», que no son de la oficina."
    table: Table = Base.metadata.tables[spec.table]
    try:
        row = decode_row(table, payload)
    except ValueError as exc:
        return f"Dato no válido en «{name}»: {exc}."
    if "office_id" in table.columns:
        row["office_id"] = office_id
    keys = list(spec.key or [c.name for c in table.primary_key.columns])
    if any(k not in row for k in keys):
        return f"Un dato de «{name}» llegó sin su clave."
    if (spec.table, KEY_SEPARATOR.join(str(payload[k]) for k in keys)) in changed_here:
        return "kept"
    try:
        with session.begin_nested():
            if spec.policy is Policy.APPEND:
                # A fact is inserted once, at its own place in the chain, never overwritten.
                if session.execute(select(1).select_from(table).where(
                        *(table.c[k] == row[k] for k in keys))).first():
                    return "present"
                session.execute(table.insert().values(**row))
            else:
                primary = [c.name for c in table.primary_key.columns]
                stmt = sqlite_insert(table).values(**row)
                rest = {c: stmt.excluded[c] for c in row if c not in primary}
                session.execute(stmt.on_conflict_do_update(index_elements=primary, set_=rest)
                                if rest else stmt.on_conflict_do_nothing(index_elements=primary))
    except IntegrityError as exc:  # e.g. a number issued again here before the recovery
        detail = str(exc.orig).splitlines()[0][:200]
        if "FOREIGN KEY" in detail.upper():
            return WAITING[0]
        return f"No se pudo recuperar un dato de «{name}»: {detail}."
    return "written"
