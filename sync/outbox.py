"""The hub's side of the outbox: take a batch, settle central's answers, recover after a cut.

Entries go pending → inflight (sent, no answer yet) → deleted (central has them) or rejected
(kept, with central's reason, on the attention list). A round that fails puts its inflight
entries back; a hub that died mid-round does so when it starts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from kiosk.storage.replication import BY_TABLE, Policy, outbox_last_seq, without_private
from kiosk.storage.store import Store
from kiosk.storage.tables import SyncControl, SyncOutbox
from sync.wire import MAX_BATCH_ENTRIES

PENDING, INFLIGHT, REJECTED = "pending", "inflight", "rejected"
# Raw JSON per batch before compression (compressed it is several times smaller).
MAX_RAW_BATCH_BYTES = 3 * 1024 * 1024


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    mutation_id: str
    table: str
    row_key: str
    op: str
    payload: str  # JSON text

    def to_wire(self) -> dict[str, Any]:
        return {"m": self.mutation_id, "s": self.seq, "t": self.table, "o": self.op,
                "k": self.row_key, "p": json.loads(self.payload)}

    def wire_json(self) -> str:
        """`to_wire()` as JSON text, the payload spliced in as the trigger wrote it (the
        push path never parses it)."""
        text = _json_string  # what json.dumps(..., ensure_ascii=False) writes for a str
        return (f'{{"m":{text(self.mutation_id)},"s":{int(self.seq)},"t":{text(self.table)},'
                f'"o":{text(self.op)},"k":{text(self.row_key)},"p":{self.payload}}}')


_json_string: Callable[[str], str] = json.encoder.encode_basestring

_COLUMNS = (SyncOutbox.seq, SyncOutbox.mutation_id, SyncOutbox.tbl, SyncOutbox.row_key,
            SyncOutbox.op, SyncOutbox.payload)


def _entry(row: Any) -> OutboxEntry:
    seq, mutation_id, table, row_key, op, payload = row
    return OutboxEntry(seq, mutation_id, table, row_key, op, without_private(table, payload))


def take_batch(store: Store, max_entries: int = MAX_BATCH_ENTRIES,
               max_bytes: int = MAX_RAW_BATCH_BYTES) -> list[OutboxEntry]:
    """The oldest pending entries, marked inflight."""
    with store.write_session() as session:
        taken = _take(session, max_entries, max_bytes)
        session.commit()
        return taken


def _take(session: Session, max_entries: int, max_bytes: int) -> list[OutboxEntry]:
    # Core statements straight on the connection: no ORM step for hundreds of rows a batch.
    connection = session.connection()
    rows = connection.execute(
        select(*_COLUMNS).where(SyncOutbox.state == PENDING).order_by(SyncOutbox.seq)
        .limit(max_entries)).all()
    taken: list[OutboxEntry] = []
    size = 0
    for row in rows:
        size += len(row.payload) + 120
        if taken and size > max_bytes:
            break
        taken.append(_entry(row))
    if taken:  # the batch is every pending entry up to its last seq
        connection.execute(update(SyncOutbox).where(
            SyncOutbox.state == PENDING, SyncOutbox.seq <= taken[-1].seq).values(
            state=INFLIGHT, attempts=SyncOutbox.attempts + 1))
    return taken


def pending_entries(store: Store) -> list[OutboxEntry]:
    """Everything central has not acknowledged (for a USB bundle), oldest first."""
    with store.read_session() as session:
        return [_entry(r) for r in session.execute(
            select(*_COLUMNS).where(SyncOutbox.state.in_((PENDING, INFLIGHT)))
            .order_by(SyncOutbox.seq))]


def settle(store: Store, results: Iterable[dict[str, Any]],
           batch: Sequence[OutboxEntry] | None = None) -> tuple[int, int]:
    """Apply central's per-entry answers; (acknowledged, rejected). Unanswered entries go back
    to pending: those of `batch` when it is given (another batch may be in flight), else all."""
    with store.write_session() as session:
        counts = _settle(session, results, batch)
        session.commit()
        return counts


def settle_and_take(store: Store, results: Iterable[dict[str, Any]],
                    batch: Sequence[OutboxEntry] | None = None,
                    max_entries: int = MAX_BATCH_ENTRIES, max_bytes: int = MAX_RAW_BATCH_BYTES
                    ) -> tuple[int, int, list[OutboxEntry]]:
    """`settle` then `take_batch`, in one transaction: a round's batches cost one durable
    commit each, not two."""
    with store.write_session() as session:
        done, refused = _settle(session, results, batch)
        taken = _take(session, max_entries, max_bytes)
        session.commit()
        return done, refused, taken


def _settle(session: Session, results: Iterable[dict[str, Any]],
            batch: Sequence[OutboxEntry] | None) -> tuple[int, int]:
    done: list[str] = []
    refused: list[tuple[str, str]] = []
    for item in results:
        mutation, result = item.get("m"), item.get("r")
        if not isinstance(mutation, str):
            continue
        if result in ("applied", "duplicate"):
            done.append(mutation)
        elif result == "rejected":
            refused.append((mutation, str(item.get("why") or "rechazado por la central")[:500]))
    for start in range(0, len(done), 500):
        session.connection().execute(delete(SyncOutbox).where(
            SyncOutbox.mutation_id.in_(done[start:start + 500])))
    for mutation, reason in refused:
        session.execute(update(SyncOutbox).where(SyncOutbox.mutation_id == mutation)
                        .values(state=REJECTED, reason=reason))
    if batch is None:
        _release(session)
        return len(done), len(refused)
    answered = {*done, *(mutation for mutation, _ in refused)}
    left = [e.mutation_id for e in batch if e.mutation_id not in answered]
    for start in range(0, len(left), 500):
        session.execute(update(SyncOutbox).where(
            SyncOutbox.state == INFLIGHT, SyncOutbox.mutation_id.in_(left[start:start + 500]))
            .values(state=PENDING))
    if left:
        _drop_superseded(session)
    return len(done), len(refused)


def release_inflight(store: Store) -> int:
    """Inflight entries back to pending; an older snapshot of a row that has a newer one
    waiting is dropped (only the newest state travels)."""
    with store.write_session() as session:
        count = _release(session)
        session.commit()
        return count


def _release(session: Session) -> int:
    count = _rowcount(session.execute(update(SyncOutbox).where(
        SyncOutbox.state == INFLIGHT).values(state=PENDING)))
    if count:
        _drop_superseded(session)
    return count


def _drop_superseded(session: Session) -> None:
    snapshot_tables = [spec.table for spec in BY_TABLE.values() if spec.policy is not Policy.APPEND]
    names = ", ".join(f"'{t}'" for t in snapshot_tables)
    session.execute(text(
        "DELETE FROM sync_outbox WHERE state = 'pending' AND tbl IN (" + names + ") AND "
        "EXISTS (SELECT 1 FROM sync_outbox newer WHERE newer.tbl = sync_outbox.tbl AND "
        "newer.row_key = sync_outbox.row_key AND newer.state = 'pending' AND "
        "newer.seq > sync_outbox.seq)"))


def retry_rejected(store: Store) -> int:
    """Send the attention list again (after central was fixed or updated)."""
    with store.write_session() as session:
        count = _rowcount(session.execute(update(SyncOutbox).where(
            SyncOutbox.state == REJECTED).values(state=PENDING, reason=None)))
        _drop_superseded(session)
        session.commit()
        return count


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(SyncOutbox.state, func.count()).group_by(SyncOutbox.state))
    found = {state: int(n) for state, n in rows}
    return {"pending": found.get(PENDING, 0) + found.get(INFLIGHT, 0),
            "rejected": found.get(REJECTED, 0)}


last_seq = outbox_last_seq


def raise_seq_floor(session: Session, floor: int, *, restored: bool = False) -> bool:
    """After a restore from an old backup the outbox would reuse seqs central has already
    seen, and central would take the office's new snapshots for stale ones: move every entry,
    and the counter, above what central knows. After `cac restore` the office may already
    have written past central's floor with seqs central used for other changes: then every
    entry moves (`restored`)."""
    if last_seq(session) >= floor and not (restored and floor > 0):
        return False
    # Adding `floor` puts every entry above it and above every old seq: no key collides.
    session.execute(text("UPDATE sync_outbox SET seq = seq + :floor"), {"floor": floor})
    top = session.execute(text("SELECT max(seq) FROM sync_outbox")).scalar()
    new_floor = max(int(top or 0), floor)
    updated = _rowcount(session.execute(text(
        "UPDATE sqlite_sequence SET seq = :floor WHERE name = 'sync_outbox'"),
        {"floor": new_floor}))
    if not updated:
        session.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES "
                             "('sync_outbox', :floor)"), {"floor": new_floor})
    return True


@contextmanager
def applying(session: Session) -> Iterator[None]:
    """Rows written here came from central: the capture triggers leave them out."""
    session.execute(update(SyncControl).values(applying=1))
    try:
        yield
    finally:
        session.execute(update(SyncControl).values(applying=0))


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
