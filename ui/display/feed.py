"""The display's view of the hub's call feed: cursor, catch-up, history (plain Python, no Qt).

How a call is judged (documented in the module so tests and the window agree):

- Live: a call that arrives through the long-poll while connected is announced.
- Catch-up: on the first connection and after every reconnection the display reads, without
  waiting, every call it missed. Each is judged against the hub's own clock (`HealthView.time`,
  read just before): older than `stale_after` it goes to the history silently, newer it is
  announced. Using the hub's time keeps a display with a wrong local clock right, and makes the
  rule testable with the hub's virtual clock.
- Calls of an earlier office day are never shown (numbering restarts every day).
- A call is identified by its `seq`; the cursor only moves forward, so a page read twice (a
  retried request, a reconnect) never announces a call twice.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo

from kiosk.services.views import CallsPage, CallView

# How many events before the latest call the first connection reads to fill the history: a
# ticket makes about five events (issued, called, started, finished...), so this covers the last
# couple of hundred tickets while a year-old office database stays a few requests away.
TAIL_EVENTS = 1000


class DisplayFeed:
    def __init__(self, tz: tzinfo = UTC, history_size: int = 9,
                 stale_after: timedelta = timedelta(seconds=60)) -> None:
        if history_size < 1:
            raise ValueError("history_size must be at least 1")
        self.tz = tz
        self.history_size = history_size  # the big latest call plus the list beside it
        self.stale_after = stale_after
        self.cursor: int | None = None  # None until the first connection placed it
        self._history: deque[CallView] = deque()
        self._day: date | None = None

    # --- reading ------------------------------------------------------------------------

    @property
    def history(self) -> list[CallView]:
        """Newest first; one entry per ticket number (a recall moves it back to the top)."""
        return list(self._history)

    @property
    def latest(self) -> CallView | None:
        return self._history[0] if self._history else None

    # --- feeding ------------------------------------------------------------------------

    def catch_up(self, pages: Iterable[CallsPage], hub_now: datetime) -> list[CallView]:
        """Fold in what was missed; returns only the calls fresh enough to announce."""
        self.start_day(self._local_date(hub_now))
        fresh: list[CallView] = []
        for page in pages:
            for call in self._take(page):
                if self._local_date(call.at) != self._day:
                    continue  # an earlier day's call: its number means nothing today
                self._remember(call)
                if hub_now - call.at <= self.stale_after:
                    fresh.append(call)
        return fresh

    def live(self, page: CallsPage) -> list[CallView]:
        """Fold in a long-poll page; every new call in it is announced."""
        new = list(self._take(page))
        for call in new:
            self._remember(call)
        return new

    def start_day(self, today: date) -> bool:
        """Forget calls of earlier days (the display ran past midnight). True if it changed."""
        if today == self._day:
            return False
        self._day = today
        kept = [c for c in self._history if self._local_date(c.at) == today]
        changed = len(kept) != len(self._history)
        self._history = deque(kept)
        return changed

    def _take(self, page: CallsPage) -> Iterable[CallView]:
        cursor = self.cursor or 0
        for call in sorted(page.calls, key=lambda c: c.seq):
            if call.seq > cursor:
                cursor = call.seq
                yield call
        self.cursor = max(cursor, page.last_seq)

    def _remember(self, call: CallView) -> None:
        stale = [c for c in self._history if c.number == call.number]
        for old in stale:
            self._history.remove(old)
        self._history.appendleft(call)
        while len(self._history) > self.history_size:
            self._history.pop()

    def _local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()


def latest_call_seq(fetch: Callable[[int], CallsPage]) -> int:
    """The hub's latest call seq in O(log n) requests (the API only pages forward).

    `fetch(after)` returns the first page of calls with seq > after. Gallop forward until a page
    is empty, then bisect: a display started on a year-old office must not read every call.
    """
    page = fetch(0)
    if not page.calls:
        return 0
    low = page.calls[-1].seq  # a call exists at `low`
    high = low
    while True:
        page = fetch(high)
        if not page.calls:
            break  # none after `high`
        low = page.calls[-1].seq
        high = low * 2
    while low < high:  # invariant: a call at `low`, none after `high`
        middle = (low + high) // 2
        page = fetch(middle)
        if page.calls:
            low = page.calls[-1].seq
        else:
            high = middle
    return low


def tail_cursor(fetch: Callable[[int], CallsPage]) -> int:
    """Where a first connection starts reading: a little before the latest call."""
    return max(0, latest_call_seq(fetch) - TAIL_EVENTS)


def read_until_empty(fetch: Callable[[int], CallsPage], after: int, max_pages: int = 10_000
                     ) -> list[CallsPage]:
    """Every page after `after`, without waiting (catch-up)."""
    pages: list[CallsPage] = []
    for _ in range(max_pages):
        page = fetch(after)
        pages.append(page)
        if not page.calls or page.last_seq <= after:
            break
        after = page.last_seq
    return pages
