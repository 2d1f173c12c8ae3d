"""Pure queue rules, including properties checked over many generated cases."""

from __future__ import annotations

import statistics
import tomllib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.clock import HybridLogicalClock, VirtualClock
from kiosk.errors import Conflict, InvalidInput
from kiosk.rules.queue import (
    TICKET_ACTIONS,
    Candidate,
    TicketStatus,
    check_prefix,
    check_ticket_action,
    choose_regular,
    estimate_wait_minutes,
    percentile,
    ticket_number,
    ticket_series,
)
from kiosk.services.catalogue import DEMO_CATALOGUE

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def test_series_and_numbers() -> None:
    assert ticket_number(ticket_series("A", None), 23) == "A-023"
    assert ticket_number(ticket_series("A", "gestante"), 1) == "PA-001"
    assert ticket_number("C", 1234) == "C-1234"


def test_a_series_letter_is_one_letter_that_no_one_reads_as_a_digit() -> None:
    assert [check_prefix(p) for p in ("a", " C ", "r", "L", "S", "Z")] == [
        "A", "C", "R", "L", "S", "Z"]
    for refused, why in [("O", "número 0"), ("o", "número 0"), ("I", "número 1"),
                         ("Q", "número 0"), ("P", "preferenciales"), ("Ñ", "A a la Z"),
                         ("AB", "una sola letra"), ("", "una sola letra"), ("7", "A a la Z")]:
        with pytest.raises(InvalidInput) as caught:
            check_prefix(refused)
        assert caught.value.code == "invalid_prefix" and why in caught.value.message, refused


def test_the_demo_office_uses_no_letter_that_reads_as_a_digit() -> None:
    catalogue = tomllib.loads(DEMO_CATALOGUE.read_text(encoding="utf-8"))
    prefixes = {row["code"]: row["prefix"] for row in catalogue["services"]}
    assert "orientacion" in prefixes
    assert {code: check_prefix(letter) for code, letter in prefixes.items()} == prefixes


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=2, max_size=60),
       st.sampled_from([0.1, 0.25, 0.5, 0.75, 0.9]))
def test_percentile_agrees_with_the_standard_library(values: list[float], q: float) -> None:
    expected = statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]
    assert percentile(values, q) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_percentile_of_nothing_is_none() -> None:
    assert percentile([], 0.5) is None
    assert percentile([42.0], 0.9) == 42.0


@given(st.integers(0, 300), st.integers(1, 10),
       st.lists(st.floats(30, 3600), max_size=40), st.floats(1, 30))
def test_wait_estimate_is_an_ordered_range_growing_with_the_queue(
    ahead: int, counters: int, samples: list[float], default: float
) -> None:
    low, high = estimate_wait_minutes(ahead, counters, samples, default)
    assert 0 <= low <= high
    more_low, more_high = estimate_wait_minutes(ahead + 5, counters, samples, default)
    assert more_low >= low and more_high >= high
    fewer_low, _ = estimate_wait_minutes(ahead, counters + 1, samples, default)
    assert fewer_low <= low


candidates = st.lists(
    st.builds(Candidate, rank=st.integers(0, 5), ticket_id=st.uuids().map(str),
              issued_at=st.integers(0, 240).map(lambda m: NOW - timedelta(minutes=m)),
              sla_minutes=st.integers(1, 60)),
    max_size=6, unique_by=lambda c: c.rank,
)


@given(candidates)
def test_choose_regular_respects_order_unless_someone_is_overdue(cands: list[Candidate]) -> None:
    chosen = choose_regular(cands, NOW)
    if not cands:
        assert chosen is None
        return
    assert chosen in cands
    overdue = [c for c in cands if NOW - c.issued_at > timedelta(minutes=c.sla_minutes)]
    if overdue:
        assert chosen in overdue
        assert chosen.issued_at == min(c.issued_at for c in overdue)
    else:
        assert chosen.rank == min(c.rank for c in cands)


@pytest.mark.parametrize("action", sorted(TICKET_ACTIONS))
def test_each_action_is_legal_only_from_its_states(action: str) -> None:
    for status in TicketStatus:
        if status in TICKET_ACTIONS[action]:
            check_ticket_action(action, "A-001", status)
        else:
            with pytest.raises(Conflict):
                check_ticket_action(action, "A-001", status)


def test_hybrid_clock_never_goes_back_even_if_the_wall_clock_does() -> None:
    clock = VirtualClock(NOW)
    hlc = HybridLogicalClock("CAJ", clock)
    first = hlc.tick()
    clock.set(NOW - timedelta(minutes=5))  # the PC's clock was corrected backwards
    second = hlc.tick()
    hlc.observe(HybridLogicalClock.format(int(NOW.timestamp() * 1000) + 60_000, 3, "CEN"))
    third = hlc.tick()
    assert first < second < third
    assert HybridLogicalClock.parse(third)[0] == int(NOW.timestamp() * 1000) + 60_000
