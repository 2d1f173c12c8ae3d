"""Central's statistics blocks: what one holds, how it is stored and read, and the figures of a
period made of several (sync/central/stats_refresh.py builds them, sync/central/figures.py
reads a period).

A block holds the figures of the tickets of one office (`scope` its id) or of every office
together (REGION) over one day, month or year: its groups' counts, lengths and exact sums,
every group's own figures (a period that is one block is read as such), each day's and
month's figures, the ratings and served tickets; and, for days and months, each kept group's
sorted times in a row of its own (`central_stats_series`), so a period made of several
blocks is merged exactly without reading them all (sync/central/order_stats.py). Years keep
no times: a period is made of a year only when it is exactly that year.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, insert, select, tuple_

from kiosk.services.daily_stats import DIMENSIONS, Block, Part, figures_of
from kiosk.services.history import histogram_counts
from sync.central.order_stats import Selection, stored_series
from sync.central.schema import REPLICAS, stats_blocks, stats_series
from sync.central.series_codec import pack_row

VERSION = 3  # of the blocks' layout: blocks of another are built again (2: packed times;
#  3: their differences, stride by stride: sync/central/series_codec.py)
REGION = "*"  # the scope of every office together
DAY, MONTH, YEAR = "day", "month", "year"
# The groups whose times a day keeps («weekday» and «heat» are its «all» and «hour»: one
# weekday), and a month («all» and «weekday» are the unions of its «pref» and «heat» groups).
DAY_SERIES = ("all", "service", "counter", "clerk", "hour", "pref")
MONTH_SERIES = ("service", "counter", "clerk", "hour", "pref", "heat")
COUNTS = ("issued", "served", "no_show", "expired", "within", "expired_uncalled",
          "preferential")
SERIES = ("waits", "services", "pref_waits")
SUMS = ("wait_sum", "service_sum", "pref_sum")

GroupKey = tuple[str, str]  # (dimension, key)
BlockKey = tuple[str, str, date, date]  # scope, period, first and last day
ALL_COLUMNS = ("header", "figures", "days", "ratings")


@dataclass
class Group:
    """A group whose times a block keeps: its counts, lengths and exact sums."""

    dim: str
    key: str
    counts: list[int]
    lengths: list[int]  # waits, services, preferential waits
    sums: list[int | None]

    def row(self) -> list[Any]:
        return [self.dim, self.key, *self.counts, *self.lengths, *self.sums]

    @classmethod
    def of(cls, row: list[Any]) -> Group:
        return cls(row[0], row[1], row[2:9], row[9:12], row[12:15])


@dataclass
class Header:
    """What `central_stats.header` holds of one block."""

    scope: str
    period: str
    start: date
    end: date
    tickets: int = 0
    groups: list[Group] = field(default_factory=list)  # the ones with times kept
    weekday: int | None = None  # a day: the local weekday of all its tickets
    figures: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    days: dict[str, dict[str, Any]] = field(default_factory=dict)
    months: dict[str, dict[str, Any]] = field(default_factory=dict)
    histogram: list[int] = field(default_factory=lambda: [0] * 10)
    rated: dict[tuple[str, int | None, str | None], list[int]] = field(default_factory=dict)
    served: dict[tuple[str, int | None, str | None], int] = field(default_factory=dict)
    sla: dict[str, int] = field(default_factory=dict)
    version: int = VERSION

    def columns(self) -> dict[str, str]:
        """The block as `central_stats` keeps it: apart what not every read needs."""

        def text_(value: Any) -> str:
            return json.dumps(value, separators=(",", ":"))

        return {
            "header": text_({"v": self.version, "groups": [g.row() for g in self.groups],
                             "weekday": self.weekday, "histogram": self.histogram,
                             "sla": self.sla}),
            "figures": text_({"groups": self.figures, "months": self.months}),
            "days": text_(self.days),
            "ratings": text_({"rated": [[*k, v] for k, v in self.rated.items()],
                              "served": [[*k, v] for k, v in self.served.items()]}),
        }

    @classmethod
    def of(cls, key: BlockKey, tickets: int, columns: Mapping[str, Any]) -> Header:
        found = cls(*key, tickets)
        if columns.get("header"):
            data = json.loads(str(columns["header"]))
            found.version, found.weekday = data["v"], data["weekday"]
            found.groups = [Group.of(g) for g in data["groups"]]
            found.histogram, found.sla = data["histogram"], data["sla"]
        if columns.get("figures"):
            data = json.loads(str(columns["figures"]))
            found.figures, found.months = data["groups"], data["months"]
        if columns.get("days"):
            found.days = json.loads(str(columns["days"]))
        if columns.get("ratings"):
            data = json.loads(str(columns["ratings"]))
            found.rated = {(s, c, u): d for s, c, u, d in data["rated"]}
            found.served = {(s, c, u): n for s, c, u, n in data["served"]}
        return found

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.scope, self.period, self.start)

    def sources(self) -> dict[GroupKey, list[GroupKey]]:
        """Every group this block answers for, and the kept groups it is the union of."""
        found: dict[GroupKey, list[GroupKey]] = {(g.dim, g.key): [(g.dim, g.key)]
                                                 for g in self.groups}
        if self.weekday is not None:  # a day: one weekday
            if ("all", "all") in found:
                found[("weekday", str(self.weekday + 1))] = [("all", "all")]
            for g in self.groups:
                if g.dim == "hour":
                    found[("heat", f"{self.weekday}:{g.key}")] = [("hour", g.key)]
        elif self.groups and not any(g.dim == "all" for g in self.groups):  # a month
            prefs = [(g.dim, g.key) for g in self.groups if g.dim == "pref"]
            if prefs:
                found[("all", "all")] = prefs
            for g in self.groups:
                if g.dim == "heat":
                    weekday = str(int(g.key.split(":")[0]) + 1)
                    found.setdefault(("weekday", weekday), []).append((g.dim, g.key))
        return found


def group_of(dim: str, key: str, part: Part) -> Group:
    return Group(dim, key, [getattr(part, c) for c in COUNTS],
                 [len(getattr(part, s)) for s in SERIES], [getattr(part, s) for s in SUMS])


def series_row(part: Part) -> tuple[bytes, bytes]:
    return pack_row([getattr(part, s) for s in SERIES])


def stored_parts(header: Header, group: GroupKey) -> list[Part]:
    """The block's parts that make up `group`, their times left in the database."""
    by_key = {(g.dim, g.key): g for g in header.groups}
    parts = []
    for dim, key in header.sources().get(group, []):
        g = by_key[(dim, key)]
        row = (header.scope, header.period, header.start, dim, key)
        series = stored_series(row, g.lengths)
        issued, served, no_show, expired, within, uncalled, preferential = g.counts
        parts.append(Part(issued, served, no_show, expired, within, uncalled, preferential,
                          waits=series[0], services=series[1], pref_waits=series[2],
                          wait_sum=g.sums[0], service_sum=g.sums[1], pref_sum=g.sums[2]))
    return parts


# --- blocks from memory --------------------------------------------------------------------


def block_from_memory(block: Block, scope: str, period: str, sla: dict[str, int] | None = None
                      ) -> tuple[Header, list[tuple[str, str, bytes, bytes]]]:
    """A day block made in memory (`daily_stats.day_block`, or a merge of them) as central
    stores it: the header, and one row of times per kept group."""
    weekdays = set(block.groups.get("weekday", {}))
    weekday = int(next(iter(weekdays))) - 1 if len(weekdays) == 1 and period == DAY else None
    kept = (DAY_SERIES if weekday is not None
            else MONTH_SERIES if period == MONTH else DIMENSIONS)
    header = Header(scope, period, block.start, block.end, block.tickets, weekday=weekday,
                    sla=sla or block.sla)
    series = []
    for dim in kept:
        for key, part in block.groups.get(dim, {}).items():
            header.groups.append(group_of(dim, key, part))
            series.append((dim, key, *series_row(part)))
    for dim in DIMENSIONS:
        header.figures[dim] = {key: figures_of(parts) for key, parts in block.parts(dim).items()}
    totals = [p for p in block.parts("all").get("all", []) if p.issued]
    header.days = {d.isoformat(): fig for d, fig in block.day_figures.items()}
    if totals:
        header.months = {f"{block.start:%Y-%m}": figures_of(totals)}
    header.histogram = histogram_counts(totals)
    header.rated, header.served = dict(block.rated), dict(block.served)
    return header, series


def store(connection: Connection, header: Header,
           series: Iterable[tuple[str, str, bytes, bytes]], now: datetime) -> None:
    forget(connection, header.scope, header.period, header.start)
    connection.execute(insert(stats_blocks).values(
        scope=header.scope, period=header.period, start=header.start, end=header.end,
        version=VERSION, tickets=header.tickets, built_at=now, **header.columns()))
    rows = [{"scope": header.scope, "period": header.period, "start": header.start, "dim": d,
             "key": k, "samples": s, "sketch": sk} for d, k, s, sk in series]
    for start in range(0, len(rows), 200):
        connection.execute(insert(stats_series), rows[start:start + 200])


def forget(connection: Connection, scope: str, period: str, start: date) -> None:
    for table in (stats_series, stats_blocks):
        connection.execute(delete(table).where(table.c.scope == scope, table.c.period == period,
                                               table.c.start == start))


def block_keys(connection: Connection, where: Any) -> list[BlockKey]:
    """Which blocks there are (nothing of what they hold: a period chooses among them)."""
    b = stats_blocks.c
    return [(r.scope, r.period, r.start, r.end) for r in connection.execute(
        select(b.scope, b.period, b.start, b.end).where(where, b.version == VERSION)
        .order_by(b.scope, b.start))]


def load_headers(connection: Connection, where: Any,
                 columns: Sequence[str] = ALL_COLUMNS) -> list[Header]:
    b = stats_blocks.c
    return [Header.of((r.scope, r.period, r.start, r.end), r.tickets,
                      {c: getattr(r, c) for c in columns})
            for r in connection.execute(
                select(b.scope, b.period, b.start, b.end, b.tickets, *(b[c] for c in columns))
                .where(where, b.version == VERSION).order_by(b.scope, b.start))]


def load_blocks(connection: Connection, keys: Sequence[BlockKey],
                columns: Sequence[str] = ALL_COLUMNS) -> list[Header]:
    """The chosen blocks, with `columns` of what they hold."""
    b = stats_blocks.c
    found: list[Header] = []
    for start in range(0, len(keys), 500):
        chunk = [(scope, period, first) for scope, period, first, _ in keys[start:start + 500]]
        found.extend(load_headers(connection, tuple_(b.scope, b.period, b.start).in_(chunk),
                                  columns))
    return found


def clerk_usernames(connection: Connection) -> dict[str, str]:
    """Clerks by user id: the region groups a clerk's figures by username, as the hub does."""
    users = REPLICAS["users"]
    return {r.id: r.username for r in connection.execute(select(users.c.id, users.c.username))}


# --- figures over several blocks -------------------------------------------------------------


# What a group's figures over several blocks are made of: a block's own group (or month:
# («month», «2025-03»)), or a part in memory (an office-day read from its tickets).
Source = tuple[Header, GroupKey] | Part
Plan = dict[GroupKey, list[Source]]


def plan_of(headers: Sequence[Header], raw: Sequence[Block], dimensions: Iterable[str],
            rename: dict[str, str], *, days: bool = True) -> Plan:
    """Each group of `dimensions`, each month (and each day) of the union of `headers` and
    `raw`, with what it is made of; clerks by username (`rename`: user id -> username)."""
    plan: Plan = {}
    dims = set(dimensions)
    for header in headers:
        for dim, by_key in header.figures.items():
            if dim in dims:
                for key in by_key:
                    target = (dim, rename.get(key, key) if dim == "clerk" else key)
                    plan.setdefault(target, []).append((header, (dim, key)))
        for month in header.months:
            plan.setdefault(("month", month), []).append((header, ("month", month)))
        for iso in header.days if days else ():
            plan.setdefault(("day", iso), []).append((header, ("day", iso)))
    for block in raw:
        for dim in dims:
            for key, parts in block.parts(dim).items():
                target = (dim, rename.get(key, key) if dim == "clerk" else key)
                plan.setdefault(target, []).extend(p for p in parts if p.issued)
        totals = [p for p in block.parts("all").get("all", []) if p.issued]
        if totals:
            plan.setdefault(("month", f"{block.start:%Y-%m}"), []).extend(totals)
            for day in block.day_figures if days else ():
                plan.setdefault(("day", day.isoformat()), []).extend(totals)
    return plan


def _own(header: Header, dim: str, key: str) -> dict[str, Any] | None:
    if dim == "month":
        return header.months.get(key)
    if dim == "day":
        return header.days.get(key)
    return header.figures.get(dim, {}).get(key)


def exact_figures(connection: Connection, plans: Mapping[Any, Plan]
                  ) -> dict[Any, dict[GroupKey, dict[str, Any]]]:
    """Each plan's groups' figures: a block's own when it alone holds the group, else merged
    exactly from the blocks' stored times and the parts in memory (sync/central/
    order_stats.py), every plan's ranks read together."""
    found: dict[Any, dict[GroupKey, dict[str, Any]]] = {name: {} for name in plans}
    merging: list[tuple[Any, GroupKey, list[Part]]] = []
    for name, plan in plans.items():
        for group, sources in plan.items():
            if len(sources) == 1 and isinstance(sources[0], tuple):
                header, (dim, key) = sources[0]
                own = _own(header, dim, key)
                if own is not None:
                    found[name][group] = own
                    continue
            merging.append((name, group, _parts(sources)))
    if merging:
        selection = Selection(connection)
        for _, _, parts in merging:
            figures_of(parts, selection.record)
        selection.resolve()
        for name, group, parts in merging:
            found[name][group] = figures_of(parts, selection.replay)
    return found


def _parts(sources: Sequence[Source]) -> list[Part]:
    parts: list[Part] = []
    for source in sources:
        if isinstance(source, Part):
            parts.append(source)
            continue
        header, (dim, key) = source
        if header.period == YEAR or (dim == "day" and header.period != DAY):
            raise ValueError("a year's block is read alone, a month's days so")
        parts.extend(stored_parts(header, ("all", "all") if dim in ("month", "day")
                                  else (dim, key)))
    return parts


def iter_days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


