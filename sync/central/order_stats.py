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
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any, overload

from sqlalchemy import Connection, func, select

from kiosk.services.daily_stats import order_stats
from sync.central.schema import stats_series

SMALL = 256  # a series this short is read whole: its sketch would save nothing
WIDTH = 8  # bytes of a float64
_LITTLE = sys.byteorder == "little"

Row = tuple[str, str, date, str, str]  # central_stats_series key: scope, period, start, dim, key


def stride(n: int) -> int:
    """Every stride-th value of a series of `n` is in its sketch; 0: none (read whole). About
    √n/2 both ways: the sketch read once, and a bracket of a few strides in each series."""
    return 0 if n <= SMALL else math.isqrt(n // 4)


def sketch(values: Sequence[float]) -> Sequence[float]:
    """The values of ranks stride-1, 2·stride-1, ... of a sorted series."""
    step = stride(len(values))
    return values[step - 1::step] if step else []


def pack(series: Sequence[Sequence[float]]) -> bytes:
    """A row's sorted series, one after the other, as `central_stats_series.samples`: a first
    byte, the width of each value, then the values. Times are whole microseconds (what the
    offices measure): kept as unsigned integers of the fewest bytes that hold the row's
    largest, half of a float64 or less; any other value keeps the row in float64 (width 8).
    Fixed width, so that a value's rank still gives its place in the row."""
    values = [v for one in series for v in one]
    micros = [round(v * 1_000_000) if math.isfinite(v) else -1 for v in values]
    if all(m >= 0 and m / 1_000_000 == v for m, v in zip(micros, values, strict=True)):
        width = max(1, (max(micros, default=0).bit_length() + 7) // 8)
        if width < WIDTH:
            return bytes([width]) + b"".join(m.to_bytes(width, "little") for m in micros)
    return bytes([WIDTH]) + to_bytes(values)


def unpack(data: bytes, width: int) -> array[float]:
    """Values of the given width (a slice of a packed row, or all of it after its first
    byte), as float64."""
    if width == WIDTH:
        return from_bytes(data)
    return array("d", [int.from_bytes(data[i:i + width], "little") / 1_000_000
                       for i in range(0, len(data), width)])


def unpack_row(data: bytes) -> array[float]:
    """All the values of a packed row."""
    return unpack(data[1:], data[0]) if data else array("d")


def to_bytes(values: Sequence[float]) -> bytes:
    found = array("d", values)
    if not _LITTLE:  # pragma: no cover - big-endian hosts
        found.byteswap()
    return found.tobytes()


def from_bytes(data: bytes) -> array[float]:
    found = array("d")
    found.frombytes(data)
    if not _LITTLE:  # pragma: no cover - big-endian hosts
        found.byteswap()
    return found


@dataclass(eq=False)
class Stored(Sequence[float]):
    """A sorted series in a row of `central_stats_series`: its length, where it starts in the
    row's samples and in its sketch. Its values are read by `Selection`, never one by one."""

    row: Row
    offset: int
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


@dataclass
class _Query:
    parts: list[Sequence[float]]
    ranks: set[int] = field(default_factory=set)
    found: dict[int, float] = field(default_factory=dict)


@dataclass
class _Known:
    """What is known of one part: all its values, or its sketch and stride."""

    values: Sequence[float] | None = None
    sketch: Sequence[float] = ()
    step: int = 0
    n: int = 0


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
        wanted: list[tuple[Stored, str, int, int]] = []
        for part in stored.values():
            step = stride(part.n)
            if step:
                wanted.append((part, "sketch", part.sketch_offset, part.n // step))
            else:
                wanted.append((part, "samples", part.offset, part.n))
        read = self._read(wanted)
        known: dict[int, _Known] = {}
        for part, (_, column, _, _) in zip(stored.values(), wanted, strict=True):
            data = read[id(part), column]
            known[id(part)] = (_Known(sketch=data, step=stride(part.n), n=part.n)
                               if column == "sketch" else _Known(values=data, n=part.n))
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
            slices = self._read([(part, "samples", part.offset + a, b - a)
                                 for bracket in brackets
                                 for part, (a, b) in zip(bracket.query.parts, bracket.ranges,
                                                         strict=True)
                                 if isinstance(part, Stored) and known[id(part)].values is None
                                 and b > a],
                                keyed_by_range=True)
            for bracket in brackets:
                bracket.settle(slices, known)
            pending = [q for q in pending if len(q.found) < len(q.ranks)]
            margin *= 4

    def _read(self, wanted: Sequence[tuple[Stored, str, int, int]], *,
              keyed_by_range: bool = False) -> dict[Any, array[float]]:
        """Byte ranges of stored series, all in one statement on PostgreSQL."""
        found: dict[Any, array[float]] = {}
        if not wanted:
            return found

        def key(part: Stored, column: str, start: int, count: int) -> Any:
            return (id(part), start, count) if keyed_by_range else (id(part), column)

        if self.connection.dialect.name == "postgresql":
            # A samples range is in values of its row's width (its first byte, read as a
            # slice, as the range is: the row is never read whole); a sketch is float64.
            rows = self.connection.exec_driver_sql(
                "SELECT q.i, w.w, CASE WHEN q.col = 's' THEN substr(s.samples, 2 + q.a * w.w, "
                "q.len * w.w) ELSE substr(s.sketch, 1 + q.a * 8, q.len * 8) END "
                "FROM unnest(%b::text[], %b::text[], "
                "%b::date[], %b::text[], %b::text[], %b::text[], %b::int[], %b::int[], "
                "%b::int[]) AS q(scope, period, start, dim, key, col, a, len, i) "
                "JOIN central_stats_series s ON s.scope = q.scope AND s.period = q.period "
                "AND s.start = q.start AND s.dim = q.dim AND s.key = q.key "
                "CROSS JOIN LATERAL (SELECT CASE WHEN q.col = 's' THEN "
                "get_byte(substr(s.samples, 1, 1), 0) ELSE 8 END AS w) w",
                ([w[0].row[0] for w in wanted], [w[0].row[1] for w in wanted],
                 [w[0].row[2] for w in wanted], [w[0].row[3] for w in wanted],
                 [w[0].row[4] for w in wanted], ["s" if w[1] == "samples" else "k"
                                                 for w in wanted],
                 [w[2] for w in wanted], [w[3] for w in wanted],
                 list(range(len(wanted)))))
            for i, width, data in rows:
                found[key(*wanted[i])] = unpack(bytes(data), width)
        else:
            t = stats_series.c
            for part, column, start, count in wanted:
                scope, period, first, dim, name = part.row
                where = (t.scope == scope, t.period == period, t.start == first,
                         t.dim == dim, t.key == name)
                width, skip = WIDTH, 1
                if column == "samples":
                    head = self.connection.scalar(select(func.substr(t.samples, 1, 1))
                                                  .where(*where))
                    width, skip = (bytes(head)[0] if head else WIDTH), 2
                data = self.connection.scalar(
                    select(func.substr(t[column], start * width + skip, count * width))
                    .where(*where))
                found[key(part, column, start, count)] = unpack(bytes(data or b""), width)
        missing = [w for w in wanted if key(*w) not in found]
        if missing:
            raise LookupError(f"series not found: {missing[0][0].row}")
        return found


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

    def settle(self, slices: dict[Any, array[float]], known: dict[int, _Known]) -> None:
        below = at_most = 0
        window: list[float] = []
        for part, (a, b) in zip(self.query.parts, self.ranges, strict=True):
            values: Sequence[float]
            if not isinstance(part, Stored):
                values, offset = part, 0
            elif (whole := known[id(part)].values) is not None:
                values, offset = whole, 0
            else:
                values = slices[(id(part), part.offset + a, b - a)] if b > a else ()
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
