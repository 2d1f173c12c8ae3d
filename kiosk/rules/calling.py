"""Who a counter calls next: the office's calling policy, in one place.

The choice is made over a snapshot of the queue heads (`QueueHeads`), which the store reads in
one go (kiosk/storage/queue_reads.py); nothing here touches the database.

1. Preferential tickets first (Ley 28683 exempts them from waiting turns; ARCHITECTURE §5): the
   one waiting longest in any of the counter's services.
2. Then a cita's ticket whose time has come (`cita_due`): the citizen checked in on time and
   the slot starts within the office's window (kiosk/rules/citas.py); the earliest slot first.
3. Otherwise the head of one of the counter's services (`choose_regular`): the counter's order
   of preference, unless someone is already past their service's target wait.

The anti-starvation cap, off by default, is the office setting `cap_preferential_calls`: while
regular tickets wait, at most `PREFERENTIAL_CAP_CALLS` preferential calls in any
`PREFERENTIAL_CAP_WINDOW` consecutive calls at a counter (1 in 3). §5 allows it only as an
explicit, logged option: a call the cap decided says so in its event.

Without the cap a regular ticket waits as long as preferential ones keep coming: that is the
law. An office that wants regular turns to move serves preferential citizens at a dedicated
counter (`PreferentialMode`, each counter's option): «solo» calls preferential tickets only;
«nunca» calls regular ones only — unless no open counter that takes preferential tickets
serves the waiting one's service (`QueueHeads.preferential_elsewhere`): Ley 28683 never lets
a preferential citizen wait for nobody.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# With the cap on: at most 1 preferential call in any 3 consecutive calls at a counter.
PREFERENTIAL_CAP_CALLS = 1
PREFERENTIAL_CAP_WINDOW = 3
# The counter's earlier calls that decide the next one under the cap.
CAP_LOOKBACK = PREFERENTIAL_CAP_WINDOW - 1


class PreferentialMode(StrEnum):
    """Which tickets a counter takes, by preference (each counter's option)."""

    ALSO = "tambien"  # preferential first, then regular (the default; ARCHITECTURE §5)
    ONLY = "solo"  # a dedicated counter: preferential tickets only
    NEVER = "nunca"  # regular only, while another open counter takes the preferential ones


PREFERENTIAL_MODE_TEXT = {
    PreferentialMode.ALSO: "Preferenciales primero, luego los demás",
    PreferentialMode.ONLY: "Solo preferenciales (ventanilla preferencial)",
    PreferentialMode.NEVER: "Sin preferenciales (los atiende la ventanilla preferencial)",
}


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
    # The counter's option: which tickets it takes.
    mode: PreferentialMode = PreferentialMode.ALSO
    # Another open counter taking preferential tickets serves the waiting preferential
    # ticket's service (read only for a «nunca» counter).
    preferential_elsewhere: bool = False
    # The checked-in cita with the earliest slot in any of the counter's services; its
    # `issued_at` is the slot's start. Called from `cita_window` before that start.
    cita: Candidate | None = None
    cita_window: timedelta = timedelta(0)


def cita_due(heads: QueueHeads, now: datetime) -> Candidate | None:
    """The waiting cita ticket whose time has come (its slot starts within the window)."""
    cita = heads.cita
    if cita is None or now < cita.issued_at - heads.cita_window:
        return None
    return cita


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


def cap_holds_back(heads: QueueHeads, now: datetime) -> bool:
    """True when the cap makes the waiting preferential ticket let another go first: regular
    tickets (or a cita whose time has come) wait and the counter's last calls already used the
    preferential share."""
    recent = list(heads.recent_calls)[:CAP_LOOKBACK]
    others = bool(heads.regular) or cita_due(heads, now) is not None
    return (heads.preferential is not None and others
            and sum(recent) >= PREFERENTIAL_CAP_CALLS)


def takes_preferential(heads: QueueHeads) -> bool:
    """Whether the counter may call the waiting preferential ticket, by its option."""
    return heads.preferential is not None and (
        heads.mode is not PreferentialMode.NEVER or not heads.preferential_elsewhere)


def choose_next(heads: QueueHeads, now: datetime, *, cap: bool = False) -> Candidate | None:
    """The ticket a counter calls now, one of those `heads` offers (None: nobody it takes
    waits). `cap`: the office's `cap_preferential_calls` setting (a dedicated counter, which
    calls no regular ticket, is never capped)."""
    if heads.mode is PreferentialMode.ONLY:
        return heads.preferential
    if takes_preferential(heads) and not (cap and cap_holds_back(heads, now)):
        return heads.preferential
    return cita_due(heads, now) or choose_regular(heads.regular, now)
