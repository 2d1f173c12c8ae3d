"""Exact order statistics over sorted series that central keeps in its database.

The figures of a period made of several pre-aggregated blocks need, for each group, the values
of a few ranks in the union of the blocks' sorted times (kiosk/services/daily_stats.py does it
in memory). A region's month holds millions of them: reading them all would take seconds and
as much memory as the period is long. Each stored series has a sketch instead, every
`stride`-th value (its rank known): a wanted rank is bracketed between two values from the
sketches, and only the values between them are read from each series (a byte range of its
row). What is found is checked by counting before it is used, and a bracket that missed is
widened, so the value is always the very one `order_stats` finds in memory.

`Selection` works in two passes over the groups, so that every group of a period shares the
same few round trips: `record` notes the ranks `daily_stats.figures_of` asks for, `resolve`
reads them, `replay` hands them back to `figures_of`.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import overload

from sqlalchemy import Connection, func, select

from kiosk.services.daily_stats import order_stats
from sync.central.schema import stats_series
from sync.central.series_codec import Sketch, series_bounds, short_series, sketch_size, stride

Row = tuple[str, str, date, str, str]  # central_stats_series key: scope, period, start, dim, key


@dataclass(eq=False)
class Stored(Sequence[float]):
    """A sorted series in a row of `central_stats_series`: its length, which of the row's
    series it is, where its sketch starts (bytes). Its values are read by `Selection`, never
    one by one."""

    row: Row
    position: int  # which of the row's series
    sketch_offset: int
    n: int

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, index: int) -> float: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[float]: ...

    def __getitem__(self, index: int | slice) -> float | Sequence[float]:
        raise TypeError("a stored series is read through Selection")


def stored_series(row: Row, lengths: Sequence[int]) -> list[Stored]:
    """The series of a row, of these lengths, as `pack_row` stored them."""
    found, sketch_offset = [], 0
    for position, n in enumerate(lengths):
        found.append(Stored(row, position, sketch_offset, n))
        sketch_offset += sketch_size(n)
    return found


@dataclass
class _Query:
    parts: list[Sequence[float]]
    ranks: set[int] = field(default_factory=set)
    found: dict[int, float] = field(default_factory=dict)


@dataclass
class _Known:
    """What is known of one part: all its values, or its sketch."""

    values: Sequence[float] | None = None
    layout: Sketch | None = None
    n: int = 0
    sketch: Sequence[float] = ()  # the layout's, as plain fields: read in `_brackets`' loops
    step: int = 0

    @classmethod
    def of(cls, layout: Sketch) -> _Known:
        return cls(layout=layout, n=layout.n, sketch=layout.values, step=layout.step)


# One byte range to read: a stored series, its column («samples» or «sketch»), the first byte
# (from the series' start, or the sketch's) and how many (-1: the whole series).
_Range = tuple[Stored, str, int, int]


class Selection:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._queries: dict[tuple[int, ...], _Query] = {}

    # --- the two passes of daily_stats.figures_of -------------------------------------------

    def record(self, parts: Sequence[Sequence[float]], n: int,
               ranks: Sequence[tuple[int, int]]) -> list[tuple[float, float]]:
        query = self._queries.setdefault(tuple(map(id, parts)), _Query(list(parts)))
        query.ranks.update(chain.from_iterable(ranks))
        return [(0.0, 0.0)] * len(ranks)

    def replay(self, parts: Sequence[Sequence[float]], n: int,
               ranks: Sequence[tuple[int, int]]) -> list[tuple[float, float]]:
        found = self._queries[tuple(map(id, parts))].found
        return [(found[low], found[high]) for low, high in ranks]

    # --- reading ------------------------------------------------------------------------------

    def resolve(self) -> None:
        pending = [q for q in self._queries.values() if not q.found]
        stored = {id(p): p for q in pending for p in q.parts if isinstance(p, Stored)}
        # First round trip: the short series whole, the sketches of the long ones.
        wanted: list[_Range] = [
            (part, "sketch", part.sketch_offset, sketch_size(part.n)) if stride(part.n)
            else (part, "samples", 0, -1) for part in stored.values()]
        known: dict[int, _Known] = {}
        for (part, column, _, _), (kind, data) in zip(wanted, self._read(wanted),
                                                      strict=True):
            known[id(part)] = (_Known.of(Sketch.of(data, part.n, kind))
                               if column == "sketch"
                               else _Known(values=short_series(data, part.n, kind), n=part.n))
        margin = 3.0
        while pending:
            brackets = []
            for query in pending:
                parts = [known[id(p)] if isinstance(p, Stored) else _Known(values=p, n=len(p))
                         for p in query.parts]
                if all(k.values is not None for k in parts):
                    _exact(query, [k.values for k in parts if k.values is not None])
                    continue
                brackets.extend(_brackets(query, parts, margin))
            # Each stored part's ranks [a, b): one byte range of its row.
            ranges: dict[tuple[int, int, int], tuple[Stored, Sketch]] = {}
            for bracket in brackets:
                for one, (a, b) in zip(bracket.query.parts, bracket.ranges, strict=True):
                    if isinstance(one, Stored) and b > a and (
                            layout := known[id(one)].layout) is not None:
                        ranges[id(one), a, b] = (one, layout)
            spans = [(part, layout.span(a, b)) for (_, a, b), (part, layout) in ranges.items()]
            read = self._read([(part, "samples", first, size) for part, (first, size) in spans])
            slices = {key: layout.decode(data, key[1], key[2])
                      for (key, (_, layout)), (_, data) in zip(ranges.items(), read,
                                                               strict=True)}
            for bracket in brackets:
                bracket.settle(slices, known)
            pending = [q for q in pending if len(q.found) < len(q.ranks)]
            margin *= 4

    def _read(self, wanted: Sequence[_Range]) -> list[tuple[int, bytes]]:
        """Byte ranges of stored series, all in one statement on PostgreSQL: each one's row's
        kind and bytes."""
        if not wanted:
            return []
        found: dict[int, tuple[int, bytes]] = {}
        if self.connection.dialect.name == "postgresql":
            rows = self.connection.exec_driver_sql(
                _RANGES, ([w[0].row[0] for w in wanted], [w[0].row[1] for w in wanted],
                          [w[0].row[2] for w in wanted], [w[0].row[3] for w in wanted],
                          [w[0].row[4] for w in wanted],
                          ["s" if w[1] == "samples" else "k" for w in wanted],
                          [w[0].position for w in wanted], [w[2] for w in wanted],
                          [w[3] for w in wanted], list(range(len(wanted)))))
            found = {i: (kind, bytes(data)) for i, kind, data in rows}
        else:
            t = stats_series.c
            for i, (part, column, first, size) in enumerate(wanted):
                scope, period, start, dim, name = part.row
                where = (t.scope == scope, t.period == period, t.start == start, t.dim == dim,
                         t.key == name)
                head = self.connection.execute(
                    select(func.substr(t.samples, 1, 6 + 4 * part.position),
                           func.length(t.samples), func.substr(t.sketch, 1 + first, size))
                    .where(*where)).first()
                if head is None:
                    continue
                if column == "sketch":
                    found[i] = (bytes(head[0])[0], bytes(head[2]))
                    continue
                begin, end = series_bounds(bytes(head[0]), part.position, head[1])
                data = self.connection.scalar(
                    select(func.substr(t.samples, 1 + begin + first,
                                       end - begin - first if size < 0 else size))
                    .where(*where))
                found[i] = (bytes(head[0])[0], bytes(data or b""))
        missing = [w for i, w in enumerate(wanted) if i not in found]
        if missing:
            raise LookupError(f"series not found: {missing[0][0].row}")
        return [found[i] for i in range(len(wanted))]


def _u32(at: str) -> str:
    """SQL: the uint32 at byte `at` of the row's head."""
    return "(" + " + ".join(f"get_byte(h.h, {at} + {i})::bigint * {256 ** i}"
                            for i in range(4)) + ")"


# A row's head holds its kind, its number of series and each one's end but the last's
# (sync/central/series_codec.py): only the head and the range are read, never the row whole.
_RANGES = (
    "SELECT q.i, get_byte(h.h, 0), CASE WHEN q.col = 'k' THEN substr(s.sketch, 1 + q.a, q.len)"
    " ELSE substr(s.samples, (1 + p.first + q.a)::int, (CASE WHEN q.len < 0 THEN"
    " p.stop - p.first - q.a ELSE q.len END)::int) END "
    "FROM unnest(%b::text[], %b::text[], %b::date[], %b::text[], %b::text[], %b::text[],"
    " %b::int[], %b::int[], %b::int[], %b::int[]) AS q(scope, period, start, dim, key, col,"
    " idx, a, len, i) "
    "JOIN central_stats_series s ON s.scope = q.scope AND s.period = q.period"
    " AND s.start = q.start AND s.dim = q.dim AND s.key = q.key "
    "CROSS JOIN LATERAL (SELECT substr(s.samples, 1, 6 + 4 * q.idx) AS h) h "
    "CROSS JOIN LATERAL (SELECT"
    " CASE WHEN q.idx = 0 THEN 2 + 4 * greatest(get_byte(h.h, 1) - 1, 0)"
    f" ELSE {_u32('4 * q.idx - 2')} END AS first,"
    " CASE WHEN q.idx + 1 >= get_byte(h.h, 1) THEN length(s.samples)::bigint"
    f" ELSE {_u32('2 + 4 * q.idx')} END AS stop) p")


def _exact(query: _Query, parts: list[Sequence[float]]) -> None:
    ranks = sorted(query.ranks)
    n = sum(map(len, parts))
    for rank, (value, _) in zip(ranks, order_stats([p for p in parts if len(p)], n,
                                                   [(r, r) for r in ranks]), strict=True):
        query.found[rank] = value


@dataclass
class _Bracket:
    """Some ranks of a query, between `lo` and `hi`; from each part the index range
    [a, b) that holds all its values in [lo, hi]."""

    query: _Query
    ranks: list[int]
    lo: float
    hi: float
    ranges: list[tuple[int, int]]

    def settle(self, slices: dict[tuple[int, int, int], array[float]],
               known: dict[int, _Known]) -> None:
        below = at_most = 0
        window: list[float] = []
        for part, (a, b) in zip(self.query.parts, self.ranges, strict=True):
            values: Sequence[float]
            if not isinstance(part, Stored):
                values, offset = part, 0
            elif (whole := known[id(part)].values) is not None:
                values, offset = whole, 0
            else:
                values = slices[(id(part), a, b)] if b > a else ()
                offset = a
            first, last = bisect_left(values, self.lo), bisect_right(values, self.hi)
            below += offset + first
            at_most += offset + last
            window.extend(values[first:last])
        if below > self.ranks[0] or at_most <= self.ranks[-1]:
            return  # missed: widened next round
        window.sort()
        for rank in self.ranks:
            self.query.found[rank] = window[rank - below]


def _brackets(query: _Query, parts: list[_Known], margin: float) -> list[_Bracket]:
    """Brackets around the query's ranks not found yet: from the sketches, the values whose
    estimated rank lies `margin` standard errors (and a stride) away on each side."""
    steps = [k.step for k in parts if k.values is None]
    spread = margin * math.sqrt(sum(s * s for s in steps) / 12) + max(steps)
    candidates = sorted(chain.from_iterable(k.sketch for k in parts if k.values is None))

    def estimate(value: float) -> float:
        total = 0.0
        for k in parts:
            if k.values is not None:
                total += bisect_left(k.values, value)
            else:
                total += bisect_left(k.sketch, value) * k.step + (k.step - 1) / 2
        return total

    def lower(rank: float) -> float:
        """The largest candidate whose estimated rank is at most `rank` (-inf: none)."""
        lo, hi = 0, len(candidates)
        while lo < hi:
            mid = (lo + hi) // 2
            if estimate(candidates[mid]) <= rank:
                lo = mid + 1
            else:
                hi = mid
        return candidates[lo - 1] if lo else -math.inf

    def upper(rank: float) -> float:
        """The smallest candidate whose estimated rank is at least `rank` (+inf: none)."""
        lo, hi = 0, len(candidates)
        while lo < hi:
            mid = (lo + hi) // 2
            if estimate(candidates[mid]) < rank:
                lo = mid + 1
            else:
                hi = mid
        return candidates[lo] if lo < len(candidates) else math.inf

    brackets: list[_Bracket] = []
    for rank in sorted(r for r in query.ranks if r not in query.found):
        lo, hi = lower(rank - spread), upper(rank + 1 + spread)
        if brackets and brackets[-1].hi >= lo:  # overlapping: one bracket for both
            last = brackets[-1]
            last.ranks.append(rank)
            last.hi = max(last.hi, hi)
        else:
            brackets.append(_Bracket(query, [rank], lo, hi, []))
    for bracket in brackets:
        for k in parts:
            if k.values is not None:
                bracket.ranges.append((0, len(k.values)))
                continue
            # Before a: values below a sketch value < lo; from b on: at or above one > hi.
            a = bisect_left(k.sketch, bracket.lo) * k.step
            following = bisect_right(k.sketch, bracket.hi)
            b = min(k.n, (following + 1) * k.step - 1) if following < len(k.sketch) else k.n
            bracket.ranges.append((a, b))
    return brackets
