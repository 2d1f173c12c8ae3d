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
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, case, delete, func, select, update

from sync.central.schema import applied, office_links

if TYPE_CHECKING:  # the push imports the archive, which imports the horizon from here
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


def prune(connection: Connection, now: datetime) -> int:
    """Forget the ids settled and older than the horizon; how many."""
    acked = (select(office_links.c.acked_seq)
             .where(office_links.c.office_id == applied.c.office_id).scalar_subquery())
    result = connection.execute(delete(applied).where(
        applied.c.applied_at < now - RETRY_HORIZON, applied.c.seq <= func.coalesce(acked, 0)))
    return int(result.rowcount or 0)

