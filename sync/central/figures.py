"""A period's figures at central, from the pre-aggregated blocks (sync/central/stats_blocks.py).

For one office, or for every office together (the region): the period is covered by the
largest blocks that fit in it and that no push has changed since they were built (its months
and days; a year only when the period is that year); the office-days no block covers yet
(today's, the ones pushed since the last refresh) are read from their tickets. A group that
one block holds alone is that block's figures; else it is merged exactly over the blocks
(order statistics read from the stored times, sync/central/order_stats.py). Memory stays the
blocks' headers and the values near the wanted ranks, whatever the period's length.

The answers are made by the hub's own assemblers from `PeriodFigures`
(kiosk/services/history.py), so central and an office say the same for the same tickets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any

from sqlalchemy import Connection, and_, select
from sqlalchemy.orm import Session

from kiosk.rules.calendar import LIMA
from kiosk.services import daily_stats
from kiosk.services.daily_stats import Block
from kiosk.services.history import Names, PeriodFigures, histogram_counts
from sync.central.schema import stats_blocks, stats_dirty
from sync.central.stats_blocks import (
    ALL_COLUMNS,
    DAY,
    MONTH,
    REGION,
    YEAR,
    BlockKey,
    GroupKey,
    Header,
    block_keys,
    clerk_usernames,
    exact_figures,
    iter_days,
    load_blocks,
    plan_of,
)

# GET /stats needs these groupings only; the period report all of them.
STATS_DIMENSIONS = ("all", "service", "counter", "hour")
Changed = dict[str, set[date]]  # office id -> days changed since their blocks were built


@dataclass
class Cover:
    """How a period is read for one scope: blocks, and office-days from their tickets."""

    blocks: list[BlockKey] = field(default_factory=list)
    raw: dict[str, list[date]] = field(default_factory=dict)  # office id -> days


def changed_days(connection: Connection, date_from: date, date_to: date) -> Changed:
    d = stats_dirty.c
    found: Changed = {}
    for office_id, day in connection.execute(select(d.office_id, d.day).where(
            d.day >= date_from, d.day <= date_to)):
        found.setdefault(office_id, set()).add(day)
    return found


def _runs(days: Sequence[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def cover(connection: Connection, scope: str, date_from: date, date_to: date,
          changed: Changed, keys: list[BlockKey] | None = None) -> Cover:
    """The largest blocks of `scope` inside the period that count no changed day, and the
    rest: an office's changed days from their tickets; a region's days left from its
    offices (their blocks, or their tickets)."""
    b = stats_blocks.c
    if keys is None:
        keys = block_keys(connection, and_(b.scope == scope, b.start >= date_from,
                                           b.end <= date_to))
    stale = (set(chain.from_iterable(changed.values())) if scope == REGION
             else changed.get(scope, set()))
    usable = [k for k in keys if not any(k[2] <= d <= k[3] for d in stale)]
    whole = [k for k in usable if k[1] == YEAR and (k[2], k[3]) == (date_from, date_to)]
    if whole:  # a year keeps no times: used only as the whole period
        return Cover([whole[0]])
    found = Cover()
    covered: set[date] = set()
    for period in (MONTH, DAY):
        for key in usable:
            if key[1] == period and key[2] not in covered:
                found.blocks.append(key)
                covered.update(iter_days(key[2], key[3]))
    left = [d for d in iter_days(date_from, date_to) if d not in covered]
    if not left:
        return found
    if scope != REGION:
        raw = [d for d in left if d in stale]
        if raw:
            found.raw[scope] = raw
        return found
    offices: dict[str, list[BlockKey]] = {}
    for first, last in _runs(left):
        for key in block_keys(connection, and_(b.scope != REGION, b.period == DAY,
                                               b.start >= first, b.start <= last)):
            offices.setdefault(key[0], []).append(key)
    for office_id in {*offices, *changed}:
        one = cover(connection, office_id, min(left), max(left), changed,
                    offices.get(office_id, []))
        found.blocks.extend(one.blocks)
        for office, days in one.raw.items():
            found.raw.setdefault(office, []).extend(d for d in days if d in left)
    return found


@dataclass
class Read:
    headers: list[Header]
    raw: list[Block]


def _raw(connection: Connection, office_id: str, days: list[date]) -> list[Block]:
    session = Session(bind=connection)
    blocks: list[Block] = []
    for first, last in _runs(days):
        blocks.extend(daily_stats.raw_blocks(session, first, last, LIMA, [office_id]))
    return blocks


def period_figures(connection: Connection, scopes: Sequence[str], date_from: date,
                   date_to: date, names: Mapping[str, Names],
                   dimensions: Sequence[str] = daily_stats.DIMENSIONS
                   ) -> dict[str, PeriodFigures]:
    """The period's figures of each scope: an office (its id) or the region (REGION), each
    with its `names`. All the scopes' blocks are chosen first and read together, and all
    their merges share one selection: a handful of statements whatever their number."""
    changed = changed_days(connection, date_from, date_to)
    b = stats_blocks.c
    keys: dict[str, list[BlockKey]] = {scope: [] for scope in scopes}
    for key in block_keys(connection, and_(b.scope.in_(list(scopes)), b.start >= date_from,
                                           b.end <= date_to)):
        keys[key[0]].append(key)
    covers = {scope: cover(connection, scope, date_from, date_to, changed, keys[scope])
              for scope in scopes}
    by_day = "weekday" in dimensions  # the period report's, not GET /stats's
    wanted = list(dict.fromkeys(chain.from_iterable(c.blocks for c in covers.values())))
    headers = {h.key: h for h in load_blocks(connection, wanted,
                                             ALL_COLUMNS if by_day else ("header", "figures"))}
    usernames = clerk_usernames(connection) if REGION in scopes else {}
    reads: dict[str, Read] = {}
    plans = {}
    for scope, chosen in covers.items():
        read = reads[scope] = Read(
            [headers[(k[0], k[1], k[2])] for k in chosen.blocks],
            [block for office_id, days in chosen.raw.items()
             for block in _raw(connection, office_id, days)])
        # A region's blocks key clerks by username already; an office's by user id.
        rename = (usernames if scope == REGION else
                  {user_id: names[scope].clerk(user_id)[0] for user_id in names[scope].clerks})
        plans[scope] = plan_of(read.headers, read.raw, dimensions, rename, days=by_day)
    found = exact_figures(connection, plans)
    return {scope: _assemble(reads[scope], found[scope], names[scope], dimensions)
            for scope in scopes}


def _assemble(read: Read, groups: dict[GroupKey, dict[str, Any]], names: Names,
              dimensions: Sequence[str]) -> PeriodFigures:
    figures: dict[str, dict[str, dict[str, Any]]] = {dim: {} for dim in dimensions}
    months: dict[str, dict[str, Any]] = {}
    days: dict[date, dict[str, Any]] = {}
    for (dim, key), one in groups.items():
        if dim == "day":
            days[date.fromisoformat(key)] = one
        else:
            (months if dim == "month" else figures[dim])[key] = one
    figures.setdefault("all", {}).setdefault("all", daily_stats.figures_of([]))
    rated: dict[Any, list[int]] = {}
    served: dict[Any, int] = {}
    histogram = [0] * 10
    for header in read.headers:
        histogram = [a + b for a, b in zip(histogram, header.histogram, strict=True)]
        _add(rated, served, header.rated, header.served)
    for block in read.raw:
        _add(rated, served, block.rated, block.served)
    totals = [p for block in read.raw for p in block.parts("all").get("all", []) if p.issued]
    histogram = [a + b for a, b in zip(histogram, histogram_counts(totals), strict=True)]
    full_names = {username: full for username, full in names.clerks.values()}
    return PeriodFigures(groups=figures, days=days, months=months, histogram=histogram,
                         rated=rated, served=served,
                         clerks={u: full_names[u] for u in figures.get("clerk", {})
                                 if u in full_names})


def _add(rated: dict[Any, list[int]], served: dict[Any, int],
         more_rated: dict[Any, list[int]], more_served: dict[Any, int]) -> None:
    for k, dist in more_rated.items():
        rated[k] = [a + b for a, b in zip(rated.get(k, [0] * 5), dist, strict=True)]
    for k, count in more_served.items():
        served[k] = served.get(k, 0) + count
