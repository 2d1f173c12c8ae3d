"""Central's statistics blocks built as offices push (sync/central/stats_blocks.py says what
one holds).

The hub sums each of its closed days up once (kiosk/services/daily_stats.py); central does the
same for every office, from the very tickets and with the very arithmetic (`day_block`,
`figures_of`), and goes on up: an office's month from its days, its year from its months, the
region's day from its offices' days, its month from its days, its year from its months.

A push marks the office-days it changed (`central_stats_dirty`); nothing read covers a marked
day until `refresh` has built it again (`cac central`'s maintenance, `cac central maintain`;
reads meanwhile take that office-day from its tickets). A day is built once it is over and
none of its tickets is still open; a month, a year once over and every day of theirs built.
One refresh at a time over the database.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, or_, select, text, tuple_
from sqlalchemy.orm import Session

from kiosk.rules.calendar import LIMA
from kiosk.rules.queue import ACTIVE_STATUSES
from kiosk.services import daily_stats
from kiosk.services.daily_stats import DIMENSIONS, Part, figures_of
from kiosk.storage.tables import Ticket
from sync.central.schema import stats_blocks, stats_dirty, stats_series
from sync.central.series_codec import unpack_row
from sync.central.stats_blocks import (
    COUNTS,
    DAY,
    DAY_SERIES,
    MONTH,
    MONTH_SERIES,
    REGION,
    SERIES,
    SUMS,
    VERSION,
    YEAR,
    GroupKey,
    Header,
    block_from_memory,
    clerk_usernames,
    exact_figures,
    forget,
    group_of,
    load_headers,
    plan_of,
    series_row,
    store,
)

BUILD_BATCH = 20  # office-days per transaction
_REFRESH_LOCK = 7_470_021  # pg_try_advisory_lock: one refresh at a time over the database


# --- an office's day, from its tickets ---------------------------------------------------------


def build_office_day(connection: Connection, office_id: str, day: date, now: datetime) -> None:
    """The office-day's block from its tickets and ratings (none: no block)."""
    session = Session(bind=connection)
    blocks = daily_stats.raw_blocks(session, day, day, LIMA, [office_id])
    if not blocks:
        forget(connection, office_id, DAY, day)
        return
    header, series = block_from_memory(blocks[0], office_id, DAY)
    store(connection, header, series, now)


def still_open(connection: Connection, office_id: str, day: date) -> bool:
    return connection.scalar(select(Ticket.id).where(
        Ticket.office_id == office_id, Ticket.business_date == day,
        Ticket.status.in_(list(ACTIVE_STATUSES))).limit(1)) is not None


# --- a block from others: a month from days, the region's day from its offices' --------------


def build_merged(connection: Connection, sources: Sequence[Header], scope: str, period: str,
                 start: date, end: date, now: datetime) -> None:
    """A block whose tickets are the union of `sources`' (the same offices' days, or one day
    of several offices), with its times: each group merged in memory, one at a time."""
    rename = clerk_usernames(connection) if scope == REGION and any(
        s.scope != REGION for s in sources) else {}
    plan: dict[GroupKey, list[tuple[Header, GroupKey]]] = {}
    for source in sources:
        for (dim, key), kept in source.sources().items():
            target = (dim, rename.get(key, key) if dim == "clerk" else key)
            plan.setdefault(target, []).extend((source, k) for k in kept)
    kept_dims = DAY_SERIES if period == DAY else MONTH_SERIES
    header = Header(scope, period, start, end, sum(s.tickets for s in sources),
                    weekday=sources[0].weekday if period == DAY else None)
    loader = _SeriesLoader(connection, sources)
    series = []
    for (dim, key), wanted in sorted(plan.items()):
        part = _merged_part(loader, wanted)
        header.figures.setdefault(dim, {})[key] = figures_of([part])
        if dim in kept_dims:
            header.groups.append(group_of(dim, key, part))
            series.append((dim, key, *series_row(part)))
    for source in sources:
        _add_totals(header, source)
    overall = header.figures.get("all", {}).get("all")
    if overall is not None:
        header.months = {f"{start:%Y-%m}": overall}
        if period == DAY:  # the region's day: its own figures, not one office's
            header.days = {start.isoformat(): overall}
    store(connection, header, series, now)


def _add_totals(header: Header, part: Header) -> None:
    """What adds up as it is from the blocks a block is made of: days, deadline compliance,
    the waiting-time histogram, the ratings and the served counts."""
    header.days.update(part.days)
    header.sla.update(part.sla)
    header.histogram = [a + b for a, b in zip(header.histogram, part.histogram, strict=True)]
    for k, dist in part.rated.items():
        header.rated[k] = [a + b for a, b in zip(header.rated.get(k, [0] * 5), dist,
                                                 strict=True)]
    for k, count in part.served.items():
        header.served[k] = header.served.get(k, 0) + count


def _merged_part(loader: _SeriesLoader, wanted: list[tuple[Header, GroupKey]]) -> Part:
    part = Part()
    groups = [(source, {(g.dim, g.key): g for g in source.groups}[k], k) for source, k in wanted]
    for i, c in enumerate(COUNTS):
        setattr(part, c, sum(g.counts[i] for _, g, _ in groups))
    rows = [loader.values(source, k) for source, _, k in groups]
    for i, name in enumerate(SERIES):
        setattr(part, name, sorted(chain.from_iterable(row[i] for row in rows)))
    for i, name in enumerate(SUMS):
        sums = [g.sums[i] for _, g, _ in groups]
        setattr(part, name, None if any(s is None for s in sums)
                else sum(s for s in sums if s is not None))
    return part


class _SeriesLoader:
    """The kept times of the source blocks: all at once when they are few (an office's
    month), group by group otherwise (a region's month: millions)."""

    WHOLE = 32 * 1024 * 1024

    def __init__(self, connection: Connection, sources: Sequence[Header]) -> None:
        self.connection = connection
        self.lengths = {(x.key, (g.dim, g.key)): g.lengths for x in sources for g in x.groups}
        self.cache: dict[tuple[tuple[str, str, date], GroupKey], list[Sequence[float]]] = {}
        size = 8 * sum(map(sum, self.lengths.values()))
        if size <= self.WHOLE:
            s = stats_series.c
            keys = [x.key for x in sources]
            for start in range(0, len(keys), 400):
                chunk = keys[start:start + 400]
                for row in connection.execute(
                        select(s.scope, s.period, s.start, s.dim, s.key, s.samples, s.sketch)
                        .where(tuple_(s.scope, s.period, s.start).in_(chunk))):
                    found = ((row.scope, row.period, row.start), (row.dim, row.key))
                    if found in self.lengths:
                        self.cache[found] = list(unpack_row(
                            bytes(row.samples), bytes(row.sketch), self.lengths[found]))

    def values(self, source: Header, group: GroupKey) -> list[Sequence[float]]:
        """The group's series, in the order of SERIES."""
        found = self.cache.get((source.key, group))
        if found is not None:
            return found
        s = stats_series.c
        row = self.connection.execute(select(s.samples, s.sketch).where(
            s.scope == source.scope, s.period == source.period, s.start == source.start,
            s.dim == group[0], s.key == group[1])).first()
        if row is None:
            raise LookupError(f"missing series {source.key} {group}")
        return list(unpack_row(bytes(row.samples), bytes(row.sketch),
                               self.lengths[(source.key, group)]))


def build_year(connection: Connection, months: Sequence[Header], scope: str, start: date,
               end: date, now: datetime) -> None:
    header = Header(scope, YEAR, start, end, sum(m.tickets for m in months))
    for (dim, key), figures in exact_figures(
            connection, {YEAR: plan_of(months, [], DIMENSIONS, {}, days=False)})[YEAR].items():
        if dim == "month":
            header.months[key] = figures
        else:
            header.figures.setdefault(dim, {})[key] = figures
    for month in months:
        _add_totals(header, month)
    store(connection, header, [], now)


# --- what pushes change, and bringing the blocks up to date ------------------------------------


def mark_changed(connection: Connection, days: set[tuple[str, date]]) -> None:
    """Office-days a push changed (tickets, ratings): not read from their blocks until built
    again. A new mark each time, so that a build that saw the change before it does not clear
    a later one."""
    if not days:
        return
    mark = random.getrandbits(62)
    rows = [{"office_id": o, "day": d, "mark": mark} for o, d in sorted(days)]
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    stmt = upsert(stats_dirty)
    connection.execute(stmt.on_conflict_do_update(index_elements=["office_id", "day"],
                                                  set_={"mark": stmt.excluded.mark}), rows)


def mark_office(connection: Connection, office_id: str) -> None:
    """Every built day of an office changed (its services' targets did)."""
    days = {(office_id, d) for d in connection.scalars(select(stats_blocks.c.start).where(
        stats_blocks.c.scope == office_id, stats_blocks.c.period == DAY))}
    mark_changed(connection, days)


def _month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _covering(connection: Connection, office_id: str, day: date) -> None:
    """Blocks that count this office-day besides its own: gone until built again."""
    b = stats_blocks.c
    doomed = connection.execute(select(b.scope, b.period, b.start).where(
        b.scope.in_([office_id, REGION]), b.start <= day, b.end >= day,
        or_(b.scope == REGION, b.period != DAY))).all()
    for scope, period, start in doomed:
        forget(connection, scope, period, start)


@dataclass
class Refreshed:
    days: int = 0
    blocks: int = 0


def refresh(engine: Engine, now: datetime, *, budget_s: float | None = None) -> Refreshed:
    """Build what the pushes changed and what is newly complete, oldest first; stops after
    `budget_s` (the background job's slice; the rest is built next time). One refresh at a
    time on PostgreSQL: while another process does it, this one returns at once."""
    done = Refreshed()
    deadline = None if budget_s is None else time.monotonic() + budget_s

    def spent() -> bool:
        return deadline is not None and time.monotonic() > deadline

    with engine.connect() as lock:
        if lock.dialect.name == "postgresql" and not lock.scalar(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": _REFRESH_LOCK}):
            return done
        try:
            today = now.astimezone(LIMA).date()
            _outdated(engine)
            d = stats_dirty.c
            with engine.connect() as connection:
                marks = connection.execute(select(d.office_id, d.day, d.mark)
                                           .where(d.day < today)
                                           .order_by(d.day, d.office_id)).all()
            for start in range(0, len(marks), BUILD_BATCH):
                if spent():
                    return done
                done.days += _office_days(engine, marks[start:start + BUILD_BATCH], now)
            for step in STEPS:
                with engine.connect() as connection:
                    wanted = step.wanted(connection, today)
                for target in wanted:
                    if spent():
                        return done
                    with engine.begin() as connection:
                        done.blocks += step.build(connection, target, now)
        finally:
            if lock.dialect.name == "postgresql":
                lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _REFRESH_LOCK})
                lock.commit()
    return done


def _outdated(engine: Engine) -> None:
    """Blocks of another layout: the days built again, the rest from them."""
    b = stats_blocks.c
    with engine.begin() as connection:
        old = connection.execute(select(b.scope, b.period, b.start).where(
            b.version != VERSION)).all()
        mark_changed(connection, {(scope, start) for scope, period, start in old
                                  if period == DAY and scope != REGION})
        for scope, period, start in old:
            forget(connection, scope, period, start)


def _office_days(engine: Engine, marks: Sequence[Any], now: datetime) -> int:
    d = stats_dirty.c
    built = 0
    with engine.begin() as connection:
        for office_id, day, mark in marks:
            if still_open(connection, office_id, day):
                continue
            build_office_day(connection, office_id, day, now)
            _covering(connection, office_id, day)
            connection.execute(delete(stats_dirty).where(
                d.office_id == office_id, d.day == day, d.mark == mark))
            built += 1
    return built


def _dirty_between(connection: Connection, first: date, last: date,
                   office_id: str | None = None) -> bool:
    d = stats_dirty.c
    query = select(d.day).where(d.day >= first, d.day <= last)
    if office_id is not None:
        query = query.where(d.office_id == office_id)
    return connection.scalar(query.limit(1)) is not None


def _year_of(day: date) -> tuple[date, date]:
    return date(day.year, 1, 1), date(day.year, 12, 31)


Target = tuple[str, date, date]  # scope, first and last day


@dataclass(frozen=True)
class _Step:
    """Blocks of `period` built from `source` blocks once their span is over, nothing in it
    changed, and every finer block it needs is there."""

    period: str
    source: str
    region: bool
    span: Any  # day -> (first, last) of the block holding it

    def _scope(self) -> Any:
        return stats_blocks.c.scope == REGION if self.region else stats_blocks.c.scope != REGION

    def wanted(self, connection: Connection, today: date) -> list[Target]:
        b = stats_blocks.c
        if self.period == DAY:  # the region's days, from its offices' days
            existing = set(connection.scalars(select(b.start).where(
                b.scope == REGION, b.period == DAY, b.version == VERSION)))
            days = set(connection.scalars(select(b.start).distinct().where(
                b.scope != REGION, b.period == DAY, b.version == VERSION, b.start < today)))
            return [(REGION, d, d) for d in sorted(days - existing)]
        sources = connection.execute(select(b.scope, b.start).where(
            self._scope(), b.period == self.source, b.version == VERSION)).all()
        existing = {(r.scope, r.start) for r in connection.execute(select(
            b.scope, b.start).where(self._scope(), b.period == self.period,
                                    b.version == VERSION))}
        found: dict[tuple[str, date], date] = {}
        for scope, start in sources:
            first, last = self.span(start)
            if last < today and (scope, first) not in existing:
                found[(scope, first)] = last
        return [(scope, first, last) for (scope, first), last in
                sorted(found.items(), key=lambda item: (item[0][1], item[0][0]))]

    def build(self, connection: Connection, target: Target, now: datetime) -> int:
        scope, first, last = target
        if _dirty_between(connection, first, last, None if scope == REGION else scope):
            return 0
        b = stats_blocks.c
        if not self._complete(connection, scope, first, last):
            return 0
        if self.period == DAY:
            headers = load_headers(connection, and_(b.scope != REGION, b.period == DAY,
                                                    b.start == first))
        else:
            headers = load_headers(connection, and_(b.scope == scope, b.period == self.source,
                                                    b.start >= first, b.start <= last))
        if not headers:
            return 0
        if self.period == YEAR:
            build_year(connection, headers, scope, first, last, now)
        else:
            build_merged(connection, headers, scope, self.period, first, last, now)
        return 1

    def _complete(self, connection: Connection, scope: str, first: date, last: date) -> bool:
        """Every finer block the span has is summed up at `source` level (a region's month
        needs a region's day for every day an office has one; a year, a month for every
        month with days)."""
        if self.period == DAY or (self.period == MONTH and not self.region):
            return True
        b = stats_blocks.c
        finer = (b.scope != REGION) if self.period == MONTH else (b.scope == scope)
        days = connection.scalars(select(b.start).distinct().where(
            finer, b.period == DAY, b.start >= first, b.start <= last)).all()
        held = set(connection.scalars(select(b.start).where(
            b.scope == scope, b.period == self.source, b.start >= first, b.start <= last)))
        if self.source == DAY:
            return set(days) <= held
        return {_month_of(d)[0] for d in days} <= held


STEPS = (_Step(MONTH, DAY, False, _month_of), _Step(YEAR, MONTH, False, _year_of),
         _Step(DAY, DAY, True, lambda d: (d, d)), _Step(MONTH, DAY, True, _month_of),
         _Step(YEAR, MONTH, True, _year_of))

