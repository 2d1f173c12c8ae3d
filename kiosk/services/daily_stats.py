"""The supervisor's figures pre-aggregated by closed day and month (`daily_ticket_stats`).

A year of a busy office is 200,000 tickets: reading and working out every one of them took
seconds. Each closed day is summed up once into `Part`s, one per group of every grouping the
history shows (service, counter, clerk, hour, weekday, preference, heat-map cell), and each
closed month once more from its days. A period is then the merge of a few dozen rows plus the
days not yet closed (today), read from the tickets as before.

The figures stay exactly the ones computed from the tickets:

- counts are counts;
- a part keeps its waiting and service times themselves (sorted float64, the very values
  `Sample` computes), so a percentile over any set of parts is the same order statistic of the
  same numbers, found by `order_stats` without sorting the whole year;
- a mean is `fsum(values) / n`; a part keeps the exact sum of its values as an integer in
  units of 2**-80 s (every time measured to the microsecond is a whole number of those), and
  the correctly rounded quotient of the merged sum is what `fsum` returns.

A day is aggregated once it is closed (before today, nothing of it still open), in date order,
so every day up to the newest aggregated one either has its row or had no tickets. A change to
a closed day's tickets (a late rating) drops its rows from that day on; a row built under
another SLA or time zone is not used while the day's tickets are still there. Rows whose
tickets the retention purge removed are `frozen`: the only record of those days.
"""

from __future__ import annotations

import json
import math
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import chain, repeat
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kiosk.rules.queue import ACTIVE_STATUSES, TicketStatus
from kiosk.services.stats import Sample, TicketFacts, of_offices, sample, ticket_facts
from kiosk.storage.tables import DailyTicketStats, Rating, Service, Ticket

VERSION = 3  # of the row's layout: rows of another are rebuilt (unless frozen)
DAY, MONTH = "day", "month"
REGULAR = "regular"
# The groupings kept for every day and month. A day whose tickets were all issued on one
# local weekday (every ordinary day) keeps "weekday" and "heat" implied by "all" and "hour".
DIMENSIONS = ("all", "service", "counter", "clerk", "hour", "weekday", "pref", "heat")
SCALE = 1 << 80  # exact sums: values in units of 2**-80 s
_LITTLE = sys.byteorder == "little"
DIRECT = 512  # fewer values than this: merged by a plain sort


# --- one group of tickets ---------------------------------------------------------------------


@dataclass(slots=True)
class Part:
    """The figures' raw material for one group of tickets (see `stats.figures`)."""

    issued: int = 0
    served: int = 0
    no_show: int = 0
    expired: int = 0
    within: int = 0
    expired_uncalled: int = 0
    preferential: int = 0
    waits: Sequence[float] = ()  # sorted
    services: Sequence[float] = ()
    pref_waits: Sequence[float] = ()
    wait_sum: int | None = 0  # exact, in units of 1/SCALE; None when a value is not
    service_sum: int | None = 0
    pref_sum: int | None = 0


def _exact_sum(values: Iterable[float]) -> int | None:
    total = 0
    for value in values:
        scaled = value * SCALE  # a power of two: exact
        if not scaled.is_integer():
            return None
        total += int(scaled)
    return total


def part_of(samples: Sequence[Sample]) -> Part:
    waits: list[float] = []
    services: list[float] = []
    pref_waits: list[float] = []
    part = Part(issued=len(samples))
    for status, pref, wait, service, in_target, expired in samples:
        if status == TicketStatus.FINISHED:
            part.served += 1
        elif status == TicketStatus.NO_SHOW:
            part.no_show += 1
        elif status == TicketStatus.EXPIRED:
            part.expired += 1
        if wait is not None:
            waits.append(wait)
            if pref:
                pref_waits.append(wait)
        if service is not None:
            services.append(service)
        part.within += in_target
        part.expired_uncalled += expired
        part.preferential += pref
    for values in (waits, services, pref_waits):
        values.sort()
    part.waits, part.services, part.pref_waits = waits, services, pref_waits
    part.wait_sum, part.service_sum = _exact_sum(waits), _exact_sum(services)
    part.pref_sum = _exact_sum(pref_waits)
    return part


def order_stats(parts: Sequence[Sequence[float]], n: int, ranks: Sequence[tuple[int, int]]
                ) -> list[tuple[float, float]]:
    """For each (low, high) of `ranks` (0-based), the values of those ranks in the union of
    the sorted `parts` (`n` values in all), exactly. A strided sample of the parts gives a
    window of values around the ranks, checked by counting with bisection; only the values
    inside the window are sorted, and a window that misses is widened until it cannot."""
    if len(parts) == 1:
        only = parts[0]
        return [(only[low], only[high]) for low, high in ranks]
    if n <= DIRECT:
        merged = sorted(chain.from_iterable(parts))
        return [(merged[low], merged[high]) for low, high in ranks]
    step = max(1, n // math.isqrt(32 * n))  # the sample and the windows cost about the same
    pivots = sorted(chain.from_iterable(p[step - 1::step] for p in parts))
    # At or below pivots[t] lie between (t + 1) and (t + 1 + len(parts)) steps of values: each
    # part's sample undercounts it by less than a step, by half a step on average.
    lag = len(parts) // 2
    found = []
    for low, high in ranks:
        width = math.isqrt(len(parts)) + 3
        while True:
            first, last = low // step - 1 - lag - width, high // step - lag + width
            lo = pivots[first] if first >= 0 else None
            hi = pivots[last] if last < len(pivots) else None
            starts = ([0] * len(parts) if lo is None
                      else list(map(bisect_left, parts, repeat(lo))))
            ends = ([len(p) for p in parts] if hi is None
                    else list(map(bisect_right, parts, repeat(hi))))
            below = sum(starts)
            if below <= low and sum(ends) > high:
                window = sorted(chain.from_iterable(
                    p[a:b] for p, a, b in zip(parts, starts, ends, strict=True) if b > a))
                found.append((window[low - below], window[high - below]))
                break
            width *= 4
    return found


# How the values of some ranks in the union of sorted parts are found: `order_stats` here, from
# the parts' values in memory; central reads them from its database (sync/central/figures.py).
Select = Callable[[Sequence[Sequence[float]], int, Sequence[tuple[int, int]]],
                  list[tuple[float, float]]]


def _percentiles(parts: list[Sequence[float]], n: int, qs: Sequence[float],
                 select: Select = order_stats) -> list[float | None]:
    """`kiosk.rules.queue.percentile` of the union of the sorted parts, for each q."""
    if n == 0:
        return [None] * len(qs)
    positions = [(n - 1) * q for q in qs]
    ranks = [(math.floor(p), math.ceil(p)) for p in positions]
    values = select(parts, n, ranks)
    if n == 1:
        return [float(a) for a, _ in values]
    return [float(a + (b - a) * (position - low))
            for (a, b), position, (low, _) in zip(values, positions, ranks, strict=True)]


def _mean(parts: list[Sequence[float]], sums: list[int | None], n: int) -> float | None:
    if n == 0:
        return None
    if any(s is None for s in sums):
        return math.fsum(chain.from_iterable(parts)) / n
    return (sum(s for s in sums if s is not None) / SCALE) / n


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def wait_median(parts: Sequence[Part]) -> float | None:
    """The median wait of several parts, rounded as the figures round it."""
    waits = [p.waits for p in parts if p.waits]
    return _round(_percentiles(waits, sum(map(len, waits)), (0.5,))[0])


def figures_of(parts: Sequence[Part], select: Select = order_stats) -> dict[str, Any]:
    """`stats.figures` of the tickets of several parts together, the same numbers."""
    waits = [p.waits for p in parts if p.waits]
    services = [p.services for p in parts if p.services]
    prefs = [p.pref_waits for p in parts if p.pref_waits]
    nw, ns, np_ = (sum(map(len, waits)), sum(map(len, services)), sum(map(len, prefs)))
    expired_uncalled = sum(p.expired_uncalled for p in parts)
    within = sum(p.within for p in parts)
    judged = nw + expired_uncalled
    wait_p50, wait_p90 = _percentiles(waits, nw, (0.5, 0.9), select)
    service_p50, service_p90 = _percentiles(services, ns, (0.5, 0.9), select)
    pref_p50, pref_p90 = _percentiles(prefs, np_, (0.5, 0.9), select)
    return {
        "issued": sum(p.issued for p in parts),
        "served": sum(p.served for p in parts),
        "no_show": sum(p.no_show for p in parts),
        "expired": sum(p.expired for p in parts),
        "wait_p50_s": _round(wait_p50),
        "wait_p90_s": _round(wait_p90),
        "wait_mean_s": _round(_mean(waits, [p.wait_sum for p in parts if p.waits], nw)),
        "service_p50_s": _round(service_p50),
        "service_mean_s": _round(_mean(services, [p.service_sum for p in parts if p.services],
                                       ns)),
        "sla_pct": _round(100 * within / judged) if judged else None,
        "pref_wait_p50_s": _round(pref_p50),
        "preferential": sum(p.preferential for p in parts),
        "service_p90_s": _round(service_p90),
        "pref_wait_p90_s": _round(pref_p90),
        "pref_wait_mean_s": _round(_mean(prefs, [p.pref_sum for p in parts if p.pref_waits],
                                         np_)),
        "within_sla": within,
        "judged": judged,
    }


# --- one day, one month -----------------------------------------------------------------------

Groups = dict[str, dict[str, Part]]  # dimension -> key -> part
RatedKey = tuple[str, int | None, str | None]  # service code, counter, clerk (user id)


@dataclass
class Block:
    """The figures of some days: one day, one month, or a day still read from its tickets."""

    start: date
    end: date
    groups: Groups
    # Each day's figures (`figures_of` its tickets, worked out when the day is aggregated).
    day_figures: dict[date, dict[str, Any]]
    rated: dict[RatedKey, list[int]] = field(default_factory=dict)  # scores 1..5
    served: dict[RatedKey, int] = field(default_factory=dict)
    tz: str = ""
    sla: dict[str, int] = field(default_factory=dict)
    tickets: int = 0
    version: int = VERSION

    def parts(self, dimension: str) -> dict[str, list[Part]]:
        """The parts of each group of `dimension`. A month keeps neither «all» nor «weekday»
        (a quarter of its bytes): they are the union of its preference groups, and of its
        heat-map cells of each weekday."""
        by = self.groups.get(dimension)
        if by:
            return {key: [part] for key, part in by.items()}
        if dimension == "all" and self.groups["pref"]:
            return {"all": list(self.groups["pref"].values())}
        found: dict[str, list[Part]] = {}
        if dimension == "weekday":
            for key, part in self.groups["heat"].items():
                found.setdefault(str(int(key.split(":")[0]) + 1), []).append(part)
        return found


def _keys(fact: TicketFacts, tz: ZoneInfo) -> tuple[str | None, ...]:
    local = fact.issued_at.astimezone(tz)
    weekday, hour = local.weekday(), local.hour
    return ("all", fact.service, None if fact.counter is None else str(fact.counter),
            fact.user_id, f"{hour:02d}", str(weekday + 1), fact.preferential or REGULAR,
            f"{weekday}:{hour:02d}")


def day_block(day: date, facts: Sequence[TicketFacts], tz: ZoneInfo,
              rated: dict[RatedKey, list[int]]) -> Block:
    """The block of one day from its tickets (and its ratings, read apart)."""
    samples_by: dict[str, dict[str, list[Sample]]] = {d: {} for d in DIMENSIONS}
    served: dict[RatedKey, int] = {}
    for fact in facts:
        one = sample(fact)
        for dimension, key in zip(DIMENSIONS, _keys(fact, tz), strict=True):
            if key is not None:
                samples_by[dimension].setdefault(key, []).append(one)
        if fact.status == TicketStatus.FINISHED:
            key3 = (fact.service, fact.counter, fact.user_id)
            served[key3] = served.get(key3, 0) + 1
    groups = {d: {k: part_of(s) for k, s in by.items()} for d, by in samples_by.items()}
    everything = groups["all"].get("all") or Part()
    slas = {f.service: f.sla_minutes for f in facts}
    return Block(day, day, groups, {day: figures_of([everything])}, rated, served, str(tz),
                 slas, len(facts))


def merge_blocks(blocks: Sequence[Block]) -> Block:
    """One month's block from its days' (the values merged once, when the month closes)."""
    groups: Groups = {d: {} for d in DIMENSIONS}
    collected: dict[str, dict[str, list[Part]]] = {d: {} for d in DIMENSIONS}
    days: dict[date, dict[str, Any]] = {}
    rated: dict[RatedKey, list[int]] = {}
    served: dict[RatedKey, int] = {}
    sla: dict[str, int] = {}
    for block in blocks:
        for dimension, by in block.groups.items():
            for key, part in by.items():
                collected[dimension].setdefault(key, []).append(part)
        days.update(block.day_figures)
        for k, dist in block.rated.items():
            rated[k] = [a + b for a, b in zip(rated.get(k, [0] * 5), dist, strict=True)]
        for k, count in block.served.items():
            served[k] = served.get(k, 0) + count
        sla.update(block.sla)
    for dimension, by_key in collected.items():
        groups[dimension] = {key: _merge_parts(parts) for key, parts in by_key.items()}
    return Block(blocks[0].start, blocks[-1].end, groups, days, rated, served,
                 blocks[0].tz, sla, sum(b.tickets for b in blocks))


def _merged(values: Iterable[Sequence[float]]) -> list[float]:
    return sorted(chain.from_iterable(values))


def _sum(values: Iterable[int | None]) -> int | None:
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _merge_parts(parts: Sequence[Part]) -> Part:
    return Part(
        issued=sum(p.issued for p in parts), served=sum(p.served for p in parts),
        no_show=sum(p.no_show for p in parts), expired=sum(p.expired for p in parts),
        within=sum(p.within for p in parts),
        expired_uncalled=sum(p.expired_uncalled for p in parts),
        preferential=sum(p.preferential for p in parts),
        waits=_merged(p.waits for p in parts), services=_merged(p.services for p in parts),
        pref_waits=_merged(p.pref_waits for p in parts),
        wait_sum=_sum(p.wait_sum for p in parts),
        service_sum=_sum(p.service_sum for p in parts),
        pref_sum=_sum(p.pref_sum for p in parts))


# --- storage ------------------------------------------------------------------------------------

_COUNTS = ("issued", "served", "no_show", "expired", "within", "expired_uncalled",
           "preferential")


def encode(block: Block) -> tuple[str, bytes]:
    values = array("d")
    out_groups: list[list[Any]] = []
    weekdays = set(block.groups.get("weekday", {}))
    implied = len(weekdays) == 1 and block.start == block.end
    derived = ("weekday", "heat") if implied else (
        ("all", "weekday") if block.start != block.end else ())
    for dimension, by in block.groups.items():
        if dimension in derived:
            continue
        for key, p in by.items():
            out_groups.append([dimension, key, *(getattr(p, c) for c in _COUNTS),
                               len(p.waits), len(p.services), len(p.pref_waits),
                               p.wait_sum, p.service_sum, p.pref_sum])
            values.extend(p.waits)
            values.extend(p.services)
            values.extend(p.pref_waits)
    header = {
        "v": VERSION, "tz": block.tz, "sla": block.sla,
        "weekday": int(next(iter(weekdays))) if implied else None,
        "groups": out_groups,
        "days": [[d.isoformat(), fig] for d, fig in sorted(block.day_figures.items())],
        "tickets": block.tickets,
        "rated": [[*k, dist] for k, dist in block.rated.items()],
        "served": [[*k, count] for k, count in block.served.items()],
    }
    if not _LITTLE:
        values.byteswap()
    return json.dumps(header, separators=(",", ":")), values.tobytes()


def _parts(rows: list[list[Any]], view: memoryview[float]) -> list[tuple[list[Any], Part]]:
    found = []
    at = 0
    for row in rows:
        issued, served, no_show, expired, within, uncalled, pref = row[2:9]
        nw, ns, np_, ws, ss, ps = row[9:15]
        part = Part(issued, served, no_show, expired, within, uncalled, pref,
                    waits=view[at:at + nw], services=view[at + nw:at + nw + ns],
                    pref_waits=view[at + nw + ns:at + nw + ns + np_],
                    wait_sum=ws, service_sum=ss, pref_sum=ps)
        at += nw + ns + np_
        found.append((row, part))
    return found


def decode(start: date, end: date, header_text: str, blob: bytes) -> Block:
    header = json.loads(header_text)
    if header.get("v") != VERSION:  # another layout: not usable, rebuilt by `refresh`
        return Block(start, end, {d: {} for d in DIMENSIONS}, {}, version=header.get("v", 0))
    if _LITTLE:
        view = memoryview(blob).cast("d")
    else:  # pragma: no cover - big-endian hosts
        swapped = array("d")
        swapped.frombytes(blob)
        swapped.byteswap()
        view = memoryview(swapped)
    groups: Groups = {d: {} for d in DIMENSIONS}
    for row, part in _parts(header["groups"], view):
        groups[row[0]][row[1]] = part
    days = {date.fromisoformat(day): fig for day, fig in header["days"]}
    weekday = header["weekday"]
    if weekday is not None:  # one weekday: its groups are the day's own
        groups["weekday"] = {str(weekday): groups["all"]["all"]}
        groups["heat"] = {f"{weekday - 1}:{hour}": part
                          for hour, part in groups["hour"].items()}
    rated = {(s, c, u): dist for s, c, u, dist in header["rated"]}
    served = {(s, c, u): count for s, c, u, count in header["served"]}
    return Block(start, end, groups, days, rated, served, header["tz"], header["sla"],
                 header["tickets"], header["v"])


# --- which days are aggregated, and building them ---------------------------------------------


def _rated(session: Session, date_from: date, date_to: date,
           office_ids: list[str] | None) -> dict[date, dict[RatedKey, list[int]]]:
    found: dict[date, dict[RatedKey, list[int]]] = {}
    query = (select(Rating.business_date, Service.code, Rating.counter_number, Rating.user_id,
                    Rating.score, func.count())
             .join(Service, Service.id == Rating.service_id)
             .where(Rating.business_date >= date_from, Rating.business_date <= date_to,
                    *of_offices(Rating.office_id, office_ids))
             .group_by(Rating.business_date, Service.code, Rating.counter_number,
                       Rating.user_id, Rating.score))
    for day, service, counter, user_id, score, count in session.execute(query):
        dist = found.setdefault(day, {}).setdefault((service, counter, user_id), [0] * 5)
        dist[score - 1] += count
    return found


def raw_blocks(session: Session, date_from: date, date_to: date, tz: ZoneInfo,
               office_ids: list[str] | None) -> list[Block]:
    """The days of [date_from, date_to] read from their tickets, one block per day."""
    by_day: dict[date, list[TicketFacts]] = {}
    for fact in ticket_facts(session, date_from, date_to, office_ids, ordered=False):
        by_day.setdefault(fact.business_date, []).append(fact)
    rated = _rated(session, date_from, date_to, office_ids)
    days = sorted(set(by_day) | set(rated))
    return [day_block(day, by_day.get(day, []), tz, rated.get(day, {})) for day in days]


def current_sla(session: Session) -> dict[str, int]:
    return {code: sla for code, sla in session.execute(select(Service.code,
                                                              Service.sla_minutes))}


def newest_day(session: Session, office_id: str) -> date | None:
    return session.scalar(select(func.max(DailyTicketStats.start)).where(
        DailyTicketStats.office_id == office_id, DailyTicketStats.period == DAY))


def _usable(block: Block, tz: ZoneInfo, sla: dict[str, int]) -> bool:
    return block.version == VERSION and block.tz == str(tz) and all(sla.get(code) == minutes
                                       for code, minutes in block.sla.items())


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) intervals."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def blocks(session: Session, office_id: str, tz: ZoneInfo, date_from: date, date_to: date
           ) -> list[Block]:
    """The period as blocks: closed months and days from `daily_ticket_stats`, the rest (today,
    days not aggregated yet or aggregated under another SLA or time zone) from the tickets."""
    newest = newest_day(session, office_id)
    found: list[Block] = []
    raw: set[date] = set()
    if newest is not None and date_from <= newest:
        sla = current_sla(session)
        used: set[date] = set()

        def rows(period: str, first: date, last: date) -> Any:
            return session.execute(
                select(DailyTicketStats.start, DailyTicketStats.end, DailyTicketStats.header,
                       DailyTicketStats.samples, DailyTicketStats.frozen)
                .where(DailyTicketStats.office_id == office_id,
                       DailyTicketStats.period == period,
                       DailyTicketStats.start >= first, DailyTicketStats.end <= last)
                .order_by(DailyTicketStats.start))

        def take(start: date, end: date, header: str, blob: bytes, frozen: bool) -> None:
            block = decode(start, end, header, blob)
            if not frozen and not _usable(block, tz, sla):
                raw.update(_days(start, end))
                return
            found.append(block)
            used.update(_days(start, end))

        for row in rows(MONTH, date_from, date_to):
            take(*row)
        # The days no month row covers (the period's ends, the month not closed yet).
        for first, last in _runs(d for d in _days(date_from, min(newest, date_to))
                                 if d not in used):
            for row in rows(DAY, first, last):
                take(*row)
        raw -= used  # up to the newest aggregated day, a day without a row had no tickets
        if newest < date_to:
            raw.update(_days(max(date_from, newest + timedelta(days=1)), date_to))
    else:
        raw.update(_days(date_from, date_to))
    if len(raw) == (date_to - date_from).days + 1:
        return raw_blocks(session, date_from, date_to, tz, None)
    for first, last in _runs(raw):
        found.extend(raw_blocks(session, first, last, tz, None))
    return found


def closed_days(session: Session, office_id: str, today: date) -> Iterator[date]:
    """The days after the newest aggregated one that can be aggregated now, in order: before
    today and with nothing still open (a day not yet rolled over waits)."""
    newest = newest_day(session, office_id)
    query = (select(Ticket.business_date).distinct()
             .where(Ticket.office_id == office_id, Ticket.business_date < today)
             .order_by(Ticket.business_date))
    if newest is not None:
        query = query.where(Ticket.business_date > newest)
    for day in session.scalars(query).all():
        still_open = session.scalar(select(Ticket.id).where(
            Ticket.business_date == day, Ticket.status.in_(list(ACTIVE_STATUSES))).limit(1))
        if still_open is not None:
            return
        yield day


def _store(session: Session, office_id: str, period: str, block: Block, now: datetime
           ) -> None:
    header, blob = encode(block)
    session.merge(DailyTicketStats(
        office_id=office_id, period=period, start=block.start, end=block.end, version=VERSION,
        tickets=block.tickets, header=header, samples=blob, frozen=False, built_at=now))


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _month_before(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def refresh(session: Session, office_id: str, tz: ZoneInfo, today: date, now: datetime,
            limit: int | None = None) -> int:
    """Aggregate up to `limit` closed days not aggregated yet, in date order, then the months
    they close; the caller commits. Returns how many days were aggregated.

    A month's row is written once a day after its end is aggregated (so every day of it with
    tickets is), and written again if a later batch adds to it."""
    built = 0
    months: set[date] = set()
    session.execute(delete(DailyTicketStats).where(
        DailyTicketStats.office_id == office_id, DailyTicketStats.version != VERSION,
        DailyTicketStats.frozen.is_(False)))
    for day in list(closed_days(session, office_id, today)):
        if limit is not None and built >= limit:
            break
        block = raw_blocks(session, day, day, tz, [office_id])[0]
        _store(session, office_id, DAY, block, now)
        first = day.replace(day=1)
        months.update((first, _month_before(first)))
        built += 1
    session.flush()
    newest = newest_day(session, office_id)
    for first in sorted(months):
        last = _month_end(first)
        if newest is None or newest < last or last >= today:
            continue
        rows = session.execute(
            select(DailyTicketStats.start, DailyTicketStats.end, DailyTicketStats.header,
                   DailyTicketStats.samples)
            .where(DailyTicketStats.office_id == office_id, DailyTicketStats.period == DAY,
                   DailyTicketStats.start >= first, DailyTicketStats.start <= last)
            .order_by(DailyTicketStats.start)).all()
        if not rows:
            continue
        merged = merge_blocks([decode(*row) for row in rows])
        merged.start, merged.end = first, last
        _store(session, office_id, MONTH, merged, now)
    return built


def pending(session: Session, office_id: str, today: date) -> bool:
    """Whether a closed day waits to be aggregated (cheap: the business-date index)."""
    if session.scalar(select(DailyTicketStats.start).where(
            DailyTicketStats.office_id == office_id, DailyTicketStats.version != VERSION,
            DailyTicketStats.frozen.is_(False)).limit(1)) is not None:
        return True
    newest = newest_day(session, office_id)
    query = select(Ticket.id).where(Ticket.office_id == office_id,
                                    Ticket.business_date < today)
    if newest is not None:
        query = query.where(Ticket.business_date > newest)
    return session.scalar(query.limit(1)) is not None


def invalidate_from(session: Session, office_id: str, day: date) -> None:
    """A closed day's tickets changed: its rows (and every later one, so that the newest
    aggregated day still vouches for the days before it) are rebuilt when next needed."""
    session.execute(delete(DailyTicketStats).where(
        DailyTicketStats.office_id == office_id, DailyTicketStats.end >= day,
        DailyTicketStats.frozen.is_(False)))
