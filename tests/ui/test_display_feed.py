"""The display's feed logic, without Qt or a hub: cursor, catch-up, staleness, history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.services.views import CallsPage, CallView
from tests.conftest import LIMA, START
from ui.display.feed import (
    TAIL_EVENTS,
    DisplayFeed,
    latest_call_seq,
    read_until_empty,
    tail_cursor,
)

NOW = START.astimezone(UTC) + timedelta(hours=2)  # 10:00 in Lima


def call(seq: int, number: str, counter: int = 1, *, ago_s: float = 0, kind: str = "called"
         ) -> CallView:
    return CallView(seq=seq, kind=kind, number=number, service="partidas", counter=counter,
                    counter_name=f"Ventanilla {counter}", at=NOW - timedelta(seconds=ago_s))


def page(*calls: CallView, after: int = 0) -> CallsPage:
    return CallsPage(calls=list(calls), last_seq=calls[-1].seq if calls else after)


def numbers(calls: list[CallView]) -> list[str]:
    return [c.number for c in calls]


def test_catch_up_announces_only_fresh_calls_and_lists_all() -> None:
    feed = DisplayFeed(LIMA)
    fresh = feed.catch_up([page(call(3, "A-001", ago_s=600), call(5, "A-002", ago_s=61),
                                call(8, "A-003", ago_s=60), call(9, "C-001", 4, ago_s=2))], NOW)
    assert numbers(fresh) == ["A-003", "C-001"]  # exactly 60 s old is still fresh
    assert numbers(feed.history) == ["C-001", "A-003", "A-002", "A-001"]
    assert feed.latest is not None and feed.latest.number == "C-001"
    assert feed.cursor == 9


def test_staleness_is_judged_by_the_hubs_clock_not_the_call_order() -> None:
    feed = DisplayFeed(LIMA, stale_after=timedelta(seconds=30))
    fresh = feed.catch_up([page(call(1, "A-001", ago_s=29), call(2, "A-002", ago_s=31))], NOW)
    assert numbers(fresh) == ["A-001"]


def test_live_pages_announce_every_new_call_once() -> None:
    feed = DisplayFeed(LIMA)
    feed.catch_up([page()], NOW)
    assert feed.cursor == 0
    assert numbers(feed.live(page(call(4, "A-001"), call(6, "A-002")))) == ["A-001", "A-002"]
    # The same page again (a retried request) and an overlapping one: nothing twice.
    assert feed.live(page(call(4, "A-001"), call(6, "A-002"))) == []
    assert numbers(feed.live(page(call(6, "A-002"), call(7, "A-003")))) == ["A-003"]
    assert feed.cursor == 7
    # Even a stale-looking call is announced when it arrives live (it was just made).
    assert numbers(feed.live(page(call(9, "A-004", ago_s=3600)))) == ["A-004"]


def test_cursor_follows_last_seq_of_an_empty_page_and_never_goes_back() -> None:
    feed = DisplayFeed(LIMA)
    feed.catch_up([page(call(10, "A-001"))], NOW)
    feed.live(CallsPage(calls=[], last_seq=12))
    assert feed.cursor == 12
    feed.live(CallsPage(calls=[], last_seq=3))
    assert feed.cursor == 12


def test_reconnection_does_not_replay_what_was_shown() -> None:
    feed = DisplayFeed(LIMA)
    assert numbers(feed.catch_up([page(call(1, "A-001"))], NOW)) == ["A-001"]
    # The hub pages again from the cursor; an overlapping page repeats seq 1.
    again = feed.catch_up([page(call(1, "A-001"), call(2, "A-002"))], NOW)
    assert numbers(again) == ["A-002"]
    assert numbers(feed.history) == ["A-002", "A-001"]


def test_history_keeps_the_last_n_calls_newest_first() -> None:
    feed = DisplayFeed(LIMA, history_size=3)
    feed.catch_up([page()], NOW)
    feed.live(page(*[call(i, f"A-{i:03d}") for i in range(1, 6)]))
    assert numbers(feed.history) == ["A-005", "A-004", "A-003"]


def test_a_recall_moves_the_ticket_to_the_top_without_a_duplicate() -> None:
    feed = DisplayFeed(LIMA)
    feed.catch_up([page()], NOW)
    feed.live(page(call(1, "A-001"), call(2, "A-002", 2)))
    announced = feed.live(page(call(3, "A-001", kind="recalled")))
    assert [(c.number, c.kind) for c in announced] == [("A-001", "recalled")]
    assert numbers(feed.history) == ["A-001", "A-002"]
    assert feed.latest is not None and feed.latest.kind == "recalled"


def test_calls_of_an_earlier_day_are_never_shown() -> None:
    feed = DisplayFeed(LIMA)
    yesterday = call(1, "A-099", ago_s=20 * 3600)  # 14:00 yesterday in Lima
    fresh = feed.catch_up([page(yesterday, call(2, "A-001", ago_s=900))], NOW)
    assert fresh == []
    assert numbers(feed.history) == ["A-001"]


def test_the_local_day_decides_not_the_utc_day() -> None:
    # 23:30 in Lima is already the next day in UTC: still today for the office.
    late = datetime(2026, 11, 20, 23, 30, tzinfo=LIMA)
    feed = DisplayFeed(LIMA)
    feed.catch_up([page(CallView(seq=1, kind="called", number="A-050", service="partidas",
                                 counter=1, counter_name="Ventanilla 1",
                                 at=late - timedelta(hours=1)))], late)
    assert numbers(feed.history) == ["A-050"]


def test_start_day_clears_the_previous_days_numbers() -> None:
    feed = DisplayFeed(LIMA)
    feed.catch_up([page(call(1, "A-001"))], NOW)
    assert feed.start_day(NOW.astimezone(LIMA).date()) is False
    assert feed.start_day(NOW.astimezone(LIMA).date() + timedelta(days=1)) is True
    assert feed.history == [] and feed.latest is None
    assert feed.cursor == 1  # the cursor stays: those calls must not come back


def test_history_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        DisplayFeed(LIMA, history_size=0)


class PagedHub:
    """The hub's `calls(after)` paging over a sparse event log, counting requests."""

    def __init__(self, call_seqs: list[int], limit: int = 100) -> None:
        self.seqs = sorted(call_seqs)
        self.limit = limit
        self.requests = 0

    def fetch(self, after: int) -> CallsPage:
        self.requests += 1
        chosen = [s for s in self.seqs if s > after][: self.limit]
        return page(*[call(s, f"A-{s % 1000:03d}") for s in chosen], after=after)


@pytest.mark.parametrize("seqs", [
    [], [1], [7], [3, 5, 8], list(range(1, 100)), list(range(1, 101)), list(range(1, 102)),
    list(range(5, 50_000, 4)), [*range(2, 200_000, 7), 250_001],
])
def test_latest_call_seq_finds_the_last_call(seqs: list[int]) -> None:
    hub = PagedHub(seqs)
    assert latest_call_seq(hub.fetch) == (seqs[-1] if seqs else 0)


def test_latest_call_seq_needs_few_requests_on_a_large_office() -> None:
    hub = PagedHub(list(range(3, 400_000, 5)))  # a year of calls
    assert latest_call_seq(hub.fetch) == 399_998
    assert hub.requests <= 45  # instead of 800 pages read one after the other


def test_tail_cursor_starts_a_little_before_the_latest_call() -> None:
    assert tail_cursor(PagedHub(list(range(10, 5000, 10))).fetch) == 4990 - TAIL_EVENTS
    assert tail_cursor(PagedHub([4, 9]).fetch) == 0


def test_read_until_empty_pages_forward() -> None:
    hub = PagedHub(list(range(1, 251)))
    pages = read_until_empty(hub.fetch, 0)
    assert [len(p.calls) for p in pages] == [100, 100, 50, 0]
    assert pages[-1].last_seq == 250
