"""When central forgets which mutation ids it applied (`sync_applied`).

The ids are kept so that an entry sent again is answered «duplicate». Applying an entry twice
changes nothing (a row keeps its newest snapshot by outbox seq, an event is inserted once by
its id), so an id matters only while its hub may still send that entry again: a batch whose
answer was lost goes again in the same round or the next ones. An id is pruned once both hold:

- its hub has settled it: its seq is below the first entry of a later batch (`acked_seq`: a hub
  takes every batch from its oldest pending entry, so what lies below is acknowledged or set
  aside in its attention list);
- it is older than the retry horizon, RETRY_HORIZON: a hub switched off for two weeks with a
  batch in flight still gets «duplicate».

What may come after that (a USB bundle imported twice, a backup restored with its old outbox)
is applied again with no effect, answered «applied», which a hub takes the same way.

An event the archive holds needs no id at all (`forget_folded`): pushed again, it is found in
the archive (`event_archive.archived_ids`), answered «applied» and written nowhere. So when
the maintenance folds an office's events (two days after their day, sync/central/
event_archive.py) the ids of those its hub has settled go with them, twelve days before the
horizon: they were most of the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, case, delete, func, select, update
from sqlalchemy.dialects import postgresql

from sync.central.schema import applied, office_links

if TYPE_CHECKING:  # the push imports the archive, which imports `forget_folded` from here
    from sync.central.push import Entry

RETRY_HORIZON = timedelta(days=14)


def settled(entries: Sequence[Entry]) -> dict[str, Any]:
    """The link's `acked_seq` after a batch, for its own UPDATE of the office's link (one
    statement less per batch): a batch starts at its hub's oldest pending entry, so everything
    below it is settled."""
    if not entries:
        return {}
    below = min(e.seq for e in entries) - 1
    seq = office_links.c.acked_seq
    return {"acked_seq": case((seq < below, below), else_=seq)}


def note_settled(connection: Connection, office_id: str, entries: Sequence[Entry]) -> None:
    """`settled` alone (a bundle's batches)."""
    if entries:
        connection.execute(update(office_links).where(
            office_links.c.office_id == office_id).values(**settled(entries)))


def _settled(office_id: str | None = None) -> Any:
    """The row's entry is below its hub's settled seq (no hub batch holds it any more)."""
    office = applied.c.office_id if office_id is None else office_id
    acked = (select(office_links.c.acked_seq)
             .where(office_links.c.office_id == office).scalar_subquery())
    return applied.c.seq <= func.coalesce(acked, 0)


def prune(connection: Connection, now: datetime) -> int:
    """Forget the ids settled and older than the horizon; how many."""
    result = connection.execute(delete(applied).where(
        applied.c.applied_at < now - RETRY_HORIZON, _settled()))
    return int(result.rowcount or 0)


def forget_folded(connection: Connection, office_id: str, seqs: Sequence[int]) -> int:
    """Forget the ids of an office's entries whose events were just folded into the archive
    (their outbox seqs), those its hub has settled; how many. An unsettled one may still be
    in a batch on its way: it keeps its id until the horizon, as any other, so that a batch
    sent again meanwhile is answered «duplicate» by its ids alone, whatever a fold running
    alongside that push has done."""
    if not seqs:
        return 0
    if connection.dialect.name == "postgresql":
        # A hashed semi-join over the seqs as one array (`= ANY(array)` compares each of the
        # office's rows with every seq: 0.8 s a page of 20,000).
        among = applied.c.seq.in_(select(func.unnest(bindparam(
            None, list(seqs), type_=postgresql.ARRAY(applied.c.seq.type)))))
    else:
        among = applied.c.seq.in_(list(seqs))
    result = connection.execute(delete(applied).where(
        applied.c.office_id == office_id, among, _settled(office_id)))
    return int(result.rowcount or 0)

