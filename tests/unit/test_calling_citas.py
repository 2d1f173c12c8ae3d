"""Citas in the calling policy (kiosk/rules/calling.py): properties over generated queues.

A checked-in cita's ticket is called from its slot's start minus the office's window, after
the preferential citizens (Ley 28683) and before the regular queue; never before its time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kiosk.rules.calling import (
    CAP_LOOKBACK,
    Candidate,
    PreferentialMode,
    QueueHeads,
    choose_next,
    choose_regular,
    cita_due,
)

START = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


def candidate(rank: int, minutes_ago: int, sla: int, name: str) -> Candidate:
    return Candidate(rank, name, START - timedelta(minutes=minutes_ago), sla)


# A cita's `issued_at` is its slot's start: from 60 minutes ago to 60 minutes ahead.
cita_strategy = st.builds(candidate, st.integers(0, 3), st.integers(-60, 60), st.just(30),
                          st.just("cita"))

heads_strategy = st.builds(
    QueueHeads,
    regular=st.lists(st.tuples(st.integers(0, 240), st.integers(1, 60)), max_size=4).map(
        lambda xs: [candidate(rank, ago, sla, f"r{rank}") for rank, (ago, sla) in enumerate(xs)]),
    preferential=st.none() | st.builds(candidate, st.integers(0, 3), st.integers(0, 240),
                                       st.integers(1, 60), st.just("p")),
    recent_calls=st.lists(st.booleans(), max_size=CAP_LOOKBACK),
    mode=st.sampled_from(PreferentialMode),
    preferential_elsewhere=st.booleans(),
    cita=st.none() | cita_strategy,
    cita_window=st.integers(0, 30).map(lambda m: timedelta(minutes=m)),
)


def is_due(heads: QueueHeads) -> bool:
    return heads.cita is not None and heads.cita.issued_at - heads.cita_window <= START


@given(heads_strategy, st.booleans())
def test_a_cita_is_never_called_before_its_slot_minus_the_window(heads: QueueHeads,
                                                                   cap: bool) -> None:
    chosen = choose_next(heads, START, cap=cap)
    if chosen is not None and chosen == heads.cita:
        assert chosen.issued_at - heads.cita_window <= START


@given(heads_strategy)
def test_a_due_cita_goes_after_the_preferential_and_before_the_regular_queue(
        heads: QueueHeads) -> None:
    heads = replace(heads, mode=PreferentialMode.ALSO)
    chosen = choose_next(heads, START)
    if heads.preferential is not None:
        assert chosen == heads.preferential  # Ley 28683: nobody goes before
    elif is_due(heads):
        assert chosen == heads.cita
    else:
        assert chosen == choose_regular(heads.regular, START)


@given(heads_strategy)
def test_a_counter_without_preferentials_calls_the_due_cita_first(heads: QueueHeads) -> None:
    heads = replace(heads, mode=PreferentialMode.NEVER, preferential_elsewhere=True)
    chosen = choose_next(heads, START)
    assert chosen == (heads.cita if is_due(heads) else choose_regular(heads.regular, START))


@given(heads_strategy)
def test_a_preferential_only_counter_never_calls_a_cita(heads: QueueHeads) -> None:
    heads = replace(heads, mode=PreferentialMode.ONLY)
    assert choose_next(heads, START) == heads.preferential


@given(heads_strategy)
def test_with_the_cap_a_preferential_ticket_never_waits_for_nobody(heads: QueueHeads) -> None:
    heads = replace(heads, mode=PreferentialMode.ALSO)
    chosen = choose_next(heads, START, cap=True)
    if heads.preferential is not None and not heads.regular and not is_due(heads):
        assert chosen == heads.preferential
    if chosen is None:
        assert heads.preferential is None and not heads.regular and not is_due(heads)


def test_the_window_opens_the_call_before_the_slot() -> None:
    cita = candidate(0, -10, 30, "cita")  # its slot starts in 10 minutes
    regular = [candidate(0, 30, 60, "r0")]
    heads = QueueHeads(regular, None, cita=cita, cita_window=timedelta(minutes=5))
    assert cita_due(heads, START) is None
    assert choose_next(heads, START) == regular[0]
    later = START + timedelta(minutes=5)
    assert choose_next(heads, later) == cita
