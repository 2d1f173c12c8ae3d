"""Who a counter calls next: the office's calling policy, in one place.

The choice is made over a snapshot of the queue heads (`QueueHeads`), which the store reads in
one go (kiosk/storage/queue_reads.py); nothing here touches the database.

1. Preferential tickets first (Ley 28683 exempts them from waiting turns; ARCHITECTURE §5): the
   one waiting longest in any of the counter's services.
2. Otherwise the head of one of the counter's services (`choose_regular`): the counter's order
   of preference, unless someone is already past their service's target wait.

The anti-starvation cap, off by default, is the office setting `cap_preferential_calls`: while
regular tickets wait, at most `PREFERENTIAL_CAP_CALLS` preferential calls in any
`PREFERENTIAL_CAP_WINDOW` consecutive calls at a counter (1 in 3). §5 allows it only as an
explicit, logged option: a call the cap decided says so in its event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# With the cap on: at most 1 preferential call in any 3 consecutive calls at a counter.
PREFERENTIAL_CAP_CALLS = 1
PREFERENTIAL_CAP_WINDOW = 3
# The counter's earlier calls that decide the next one under the cap.
CAP_LOOKBACK = PREFERENTIAL_CAP_WINDOW - 1


@dataclass(frozen=True)
class Candidate:
    """A waiting ticket a counter may call: the oldest regular ticket of one of its services,
    or the oldest preferential ticket of any of them."""

    rank: int  # position of the ticket's service in the counter's order of preference
    ticket_id: str
    issued_at: datetime
    sla_minutes: int


@dataclass(frozen=True)
class QueueHeads:
    """What a counter's next call is chosen from."""

    # The oldest waiting regular (not preferential) ticket of each of the counter's services
    # that has one.
    regular: Sequence[Candidate]
    # The oldest preferential ticket waiting in any of the counter's services.
    preferential: Candidate | None
    # Whether each of the counter's last calls was of a preferential ticket, newest first (at
    # most CAP_LOOKBACK; read only when the cap is on).
    recent_calls: Sequence[bool] = ()


def choose_regular(candidates: Sequence[Candidate], now: datetime) -> Candidate | None:
    """Which service's head ticket a counter calls (after preferential tickets).

    The counter's order of preference decides while everyone is within their service's target;
    once someone has waited past it, the longest-waiting of those goes first, so a counter's
    secondary services are never starved.
    """
    if not candidates:
        return None
    overdue = [c for c in candidates if now - c.issued_at > timedelta(minutes=c.sla_minutes)]
    if overdue:
        return min(overdue, key=lambda c: (c.issued_at, c.rank))
    return min(candidates, key=lambda c: c.rank)


def cap_holds_back(heads: QueueHeads) -> bool:
    """True when the cap makes the waiting preferential ticket let a regular one go first:
    regular tickets wait and the counter's last calls already used the preferential share."""
    recent = list(heads.recent_calls)[:CAP_LOOKBACK]
    return (heads.preferential is not None and bool(heads.regular)
            and sum(recent) >= PREFERENTIAL_CAP_CALLS)


def choose_next(heads: QueueHeads, now: datetime, *, cap: bool = False) -> Candidate | None:
    """The ticket a counter calls now, one of those `heads` offers (None: nobody waits).
    `cap`: the office's `cap_preferential_calls` setting."""
    if heads.preferential is not None and not (cap and cap_holds_back(heads)):
        return heads.preferential
    return choose_regular(heads.regular, now)
