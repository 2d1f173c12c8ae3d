"""The calling policy (kiosk/rules/calling.py): properties over generated queues and days.

A day at one counter is simulated here with a model of what the store's snapshot holds (each
service's oldest regular ticket, the oldest preferential one, the counter's last calls);
tests/integration/test_calling_cap.py checks the same through the hub.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kiosk.rules.calling import (
    CAP_LOOKBACK,
    PREFERENTIAL_CAP_CALLS,
    PREFERENTIAL_CAP_WINDOW,
    Candidate,
    PreferentialMode,
    QueueHeads,
    choose_next,
    choose_regular,
)

START = datetime(2026, 11, 20, 13, 0, tzinfo=UTC)


def candidate(rank: int, minutes_ago: int, sla: int, n: int) -> Candidate:
    return Candidate(rank, f"t{n}", START - timedelta(minutes=minutes_ago), sla)


heads_strategy = st.builds(
    QueueHeads,
    regular=st.lists(st.tuples(st.integers(0, 240), st.integers(1, 60)), max_size=4).map(
        lambda xs: [candidate(rank, ago, sla, rank) for rank, (ago, sla) in enumerate(xs)]),
    preferential=st.none() | st.builds(candidate, st.integers(0, 3), st.integers(0, 240),
                                       st.integers(1, 60), st.just(99)),
    recent_calls=st.lists(st.booleans(), max_size=CAP_LOOKBACK),
)


@given(heads_strategy, st.booleans())
def test_the_choice_is_always_one_of_the_heads_offered(heads: QueueHeads, cap: bool) -> None:
    chosen = choose_next(heads, START, cap=cap)
    offered = [*heads.regular, *([heads.preferential] if heads.preferential else [])]
    if offered:
        assert chosen in offered
    else:
        assert chosen is None


@given(heads_strategy)
def test_without_the_cap_a_preferential_ticket_is_never_passed_over(heads: QueueHeads) -> None:
    chosen = choose_next(heads, START)
    if heads.preferential is not None:
        assert chosen == heads.preferential
    else:
        assert chosen == choose_regular(heads.regular, START)


@given(heads_strategy)
def test_the_cap_only_lets_a_regular_ticket_go_first_after_a_recent_preferential_call(
        heads: QueueHeads) -> None:
    chosen = choose_next(heads, START, cap=True)
    recently = any(heads.recent_calls)
    if heads.preferential is not None and (not heads.regular or not recently):
        assert chosen == heads.preferential
    elif heads.preferential is not None:
        assert chosen in heads.regular


# --- a day at one counter -----------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    n: int
    rank: int
    issued_at: datetime
    preferential: bool


@dataclass
class Counter:
    """One counter's queue as the store holds it, and what it called."""

    slas: list[int]
    now: datetime = START
    waiting: list[Waiting] = field(default_factory=list)
    calls: list[tuple[Waiting, bool]] = field(default_factory=list)  # (ticket, regulars waited)
    issued: int = 0

    def arrive(self, rank: int, preferential: bool, minutes_ago: int = 0) -> Waiting:
        self.issued += 1
        ticket = Waiting(self.issued, rank % len(self.slas),
                         self.now - timedelta(minutes=minutes_ago), preferential)
        self.waiting.append(ticket)
        return ticket

    def heads(self) -> QueueHeads:
        def oldest(tickets: list[Waiting]) -> Waiting | None:
            return min(tickets, key=lambda t: (t.issued_at, t.n), default=None)

        def offer(ticket: Waiting) -> Candidate:
            return Candidate(ticket.rank, str(ticket.n), ticket.issued_at, self.slas[ticket.rank])

        regular = [oldest([t for t in self.waiting if t.rank == rank and not t.preferential])
                   for rank in range(len(self.slas))]
        preferential = oldest([t for t in self.waiting if t.preferential])
        return QueueHeads(
            regular=[offer(t) for t in regular if t is not None],
            preferential=offer(preferential) if preferential is not None else None,
            recent_calls=[t.preferential for t, _ in reversed(self.calls[-CAP_LOOKBACK:])])

    def call(self, cap: bool) -> Waiting | None:
        heads = self.heads()
        chosen = choose_next(heads, self.now, cap=cap)
        if chosen is None:
            return None
        ticket = next(t for t in self.waiting if str(t.n) == chosen.ticket_id)
        self.waiting.remove(ticket)
        self.calls.append((ticket, bool(heads.regular)))
        return ticket


# A day: before each step some minutes pass; a step is a call or an arrival (service, kind).
steps = st.lists(st.tuples(st.integers(0, 15),
                           st.none() | st.tuples(st.integers(0, 2), st.booleans())),
                 max_size=60)
slas = st.lists(st.integers(5, 60), min_size=1, max_size=3)


def run_day(counter: Counter, day: list[tuple[int, tuple[int, bool] | None]], cap: bool) -> None:
    for minutes, step in day:
        counter.now += timedelta(minutes=minutes)
        if step is None:
            counter.call(cap)
        else:
            counter.arrive(*step)


@given(slas, steps)
def test_with_the_cap_at_most_one_preferential_in_any_three_calls_while_regulars_wait(
        services: list[int], day: list[tuple[int, tuple[int, bool] | None]]) -> None:
    counter = Counter(services)
    run_day(counter, day, cap=True)
    for end in range(PREFERENTIAL_CAP_WINDOW, len(counter.calls) + 1):
        window = counter.calls[end - PREFERENTIAL_CAP_WINDOW:end]
        if all(regulars_waited for _, regulars_waited in window[1:]):
            assert sum(t.preferential for t, _ in window) <= PREFERENTIAL_CAP_CALLS, window


@given(slas, steps, st.booleans())
def test_fifo_within_a_kind(services: list[int], day: list[tuple[int, tuple[int, bool] | None]],
                            cap: bool) -> None:
    counter = Counter(services)
    run_day(counter, day, cap)
    preferential = [t.n for t, _ in counter.calls if t.preferential]
    assert preferential == sorted(preferential)
    for rank in range(len(services)):
        regular = [t.n for t, _ in counter.calls if t.rank == rank and not t.preferential]
        assert regular == sorted(regular)


@given(slas, st.lists(st.tuples(st.integers(0, 2), st.booleans()), min_size=1, max_size=12),
       steps)
def test_with_the_cap_no_waiting_ticket_is_starved(
        services: list[int], queue: list[tuple[int, bool]],
        day: list[tuple[int, tuple[int, bool] | None]]) -> None:
    """Whoever waits past their service's target is called within three calls per person
    waiting then, however many arrive meanwhile, of either kind."""
    counter = Counter(services)
    late = [counter.arrive(rank, preferential, minutes_ago=61) for rank, preferential in queue]
    bound = PREFERENTIAL_CAP_WINDOW * len(late)
    for minutes, step in day:
        counter.now += timedelta(minutes=minutes)
        if step is not None:
            counter.arrive(*step)
        elif len(counter.calls) < bound:
            counter.call(cap=True)
    while len(counter.calls) < bound and counter.call(cap=True) is not None:
        pass
    assert {t.n for t in late} <= {t.n for t, _ in counter.calls[:bound]}


@given(slas, st.lists(st.tuples(st.integers(0, 2), st.booleans()), min_size=1, max_size=12))
def test_without_the_cap_every_preferential_ticket_goes_before_any_regular_one(
        services: list[int], queue: list[tuple[int, bool]]) -> None:
    """The law's default: regular tickets wait while preferential ones do (no cap)."""
    counter = Counter(services)
    for rank, preferential in queue:
        counter.arrive(rank, preferential)
    while counter.call(cap=False) is not None:
        pass
    kinds = [t.preferential for t, _ in counter.calls]
    assert kinds == sorted(kinds, reverse=True)
    assert len(kinds) == len(queue)


# --- a dedicated preferential counter (PreferentialMode) ---------------------------------


modes = st.sampled_from(list(PreferentialMode))


@given(heads_strategy, modes, st.booleans(), st.booleans())
def test_whatever_the_option_the_choice_is_one_of_the_heads_offered(
        heads: QueueHeads, mode: PreferentialMode, elsewhere: bool, cap: bool) -> None:
    heads = replace(heads, mode=mode, preferential_elsewhere=elsewhere)
    chosen = choose_next(heads, START, cap=cap)
    offered = [*heads.regular, *([heads.preferential] if heads.preferential else [])]
    assert chosen is None or chosen in offered
    if offered and mode is PreferentialMode.ALSO:
        assert chosen is not None


@given(heads_strategy, st.booleans(), st.booleans())
def test_a_dedicated_counter_calls_preferential_tickets_only(
        heads: QueueHeads, elsewhere: bool, cap: bool) -> None:
    heads = replace(heads, mode=PreferentialMode.ONLY, preferential_elsewhere=elsewhere)
    # Never capped, never a regular ticket: nobody when no preferential ticket waits.
    assert choose_next(heads, START, cap=cap) == heads.preferential


@given(heads_strategy, st.booleans())
def test_a_counter_without_preferentials_leaves_them_to_the_dedicated_one(
        heads: QueueHeads, cap: bool) -> None:
    never = replace(heads, mode=PreferentialMode.NEVER, preferential_elsewhere=True)
    assert choose_next(never, START, cap=cap) == choose_regular(heads.regular, START)
    # With no open counter taking them, Ley 28683 comes first: as any counter.
    alone = replace(heads, mode=PreferentialMode.NEVER, preferential_elsewhere=False)
    assert choose_next(alone, START, cap=cap) == choose_next(heads, START, cap=cap)


def test_the_trial_day_a_regular_ticket_behind_ten_preferential_ones() -> None:
    """The trial: a regular ticket at 08:00, then a preferential one every 33 minutes; each
    citizen takes 33 minutes. One counter calls the ten preferential tickets first: the
    regular one waits 5 h 30 min (10 × 33 min). With a dedicated counter beside a «nunca»
    one, it is called at once and the preferential ones keep their own counter."""
    def day(modes: list[PreferentialMode]) -> dict[str, datetime]:
        counters = [Counter(slas=[600]) for _ in modes]
        waiting = [Waiting(0, 0, START, False)] + [
            Waiting(n, 0, START + timedelta(minutes=33 * (n - 1)), True) for n in range(1, 11)]
        called: dict[str, datetime] = {}
        free = [START for _ in modes]
        now = START
        while len(called) < len(waiting):
            for index, mode in enumerate(modes):
                if free[index] > now:
                    continue
                present = [t for t in waiting if t.issued_at <= now and str(t.n) not in called]
                counters[index].waiting = present
                heads = replace(counters[index].heads(), mode=mode, preferential_elsewhere=any(
                    m is not PreferentialMode.NEVER for i, m in enumerate(modes) if i != index))
                chosen = choose_next(heads, now)
                if chosen is not None:
                    called[chosen.ticket_id] = now
                    free[index] = now + timedelta(minutes=33)
            now += timedelta(minutes=1)
        return called

    alone = day([PreferentialMode.ALSO])
    assert alone["0"] - START == timedelta(hours=5, minutes=30)
    dedicated = day([PreferentialMode.ONLY, PreferentialMode.NEVER])
    assert dedicated["0"] == START
    # Each preferential citizen is still called as they arrive (08:00, 08:33 … 12:57).
    assert [dedicated[str(n)] - START for n in range(1, 11)] == [
        timedelta(minutes=33 * (n - 1)) for n in range(1, 11)]
