"""The tickets of a period for the supervisor: the /stats figures and more, by every grouping.

Built on `kiosk.services.stats` (the same facts and the same `figures`), so a number here is
the number GET /stats gives for the same tickets. Hours and weekdays are the office's local
time of issue (America/Lima by default); days are the tickets' business dates.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.rules.queue import PREFERENTIAL_CATEGORIES, percentile
from kiosk.services.daily_stats import Block, Part, RatedKey, figures_of
from kiosk.services.stats import (
    Sample,
    TicketFacts,
    figures,
    of_offices,
    sample,
    ticket_facts,
)
from kiosk.services.supervisor_views import (
    GroupMetrics,
    HeatMap,
    HistogramBin,
    HistoryMetrics,
    TicketHistory,
)
from kiosk.services.views import Metrics, StatsReport
from kiosk.storage.tables import Counter, Service, User

WEEKDAYS = ("Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo")
WEEKDAYS_SHORT = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre")
# Fixed bins (minutes) so that two periods' histograms can be compared side by side.
WAIT_BINS_MIN = (0, 5, 10, 15, 20, 30, 45, 60, 90, 120)
REGULAR = "regular"
NO_CLERK_LABEL = "Usuario desconocido"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass(frozen=True)
class Names:
    """Spanish labels for the keys of the groups (the office's services, counters, clerks)."""

    services: dict[str, str]  # code -> name
    service_order: dict[str, int]  # code -> position in the office's list
    counters: dict[int, str]  # number -> name
    clerks: dict[str, tuple[str, str]]  # user id -> (username, full name)

    @classmethod
    def load(cls, session: Session, office_ids: Iterable[str] | None = None) -> Names:
        ids = None if office_ids is None else list(office_ids)
        services: dict[str, str] = {}
        order: dict[str, int] = {}
        for code, name, position in session.execute(
                select(Service.code, Service.name, Service.position)
                .where(*of_offices(Service.office_id, ids))
                .order_by(Service.position, Service.code)):
            services.setdefault(code, name)
            order.setdefault(code, position)
        counters: dict[int, str] = {}
        for number, name in session.execute(
                select(Counter.number, Counter.name).where(*of_offices(Counter.office_id, ids))
                .order_by(Counter.number)):
            counters.setdefault(number, name)
        clerks = {user_id: (username, full_name) for user_id, username, full_name in
                  session.execute(select(User.id, User.username, User.full_name)
                                  .where(*of_offices(User.office_id, ids)))}
        return cls(services, order, counters, clerks)

    def service(self, code: str) -> str:
        return self.services.get(code, code)

    def counter(self, number: int) -> str:
        return self.counters.get(number, f"Ventanilla {number}")

    def clerk(self, user_id: str) -> tuple[str, str]:
        return self.clerks.get(user_id, (user_id, NO_CLERK_LABEL))


def history_metrics(samples: Sequence[Sample]) -> HistoryMetrics:
    return HistoryMetrics(**figures(samples))


def _groups(samples: Sequence[Sample], keys: Sequence[str | None]
            ) -> dict[str, list[Sample]]:
    grouped: dict[str, list[Sample]] = {}
    for s, key in zip(samples, keys, strict=True):
        if key is not None:
            grouped.setdefault(key, []).append(s)
    return grouped


def _rows(grouped: dict[str, list[Sample]], order: Callable[[str], Any],
          label: Callable[[str], str]) -> list[GroupMetrics]:
    return [GroupMetrics(key=key, label=label(key), **figures(grouped[key]))
            for key in sorted(grouped, key=order)]


def wait_histogram(waits: Iterable[float]) -> list[HistogramBin]:
    """Called tickets by waiting time, in the fixed bins of WAIT_BINS_MIN (lower bound
    inclusive: a wait of exactly 5 min is in «5–10 min»)."""
    bounds = [m * 60 for m in WAIT_BINS_MIN]
    counts = [0] * len(bounds)
    for wait in waits:
        counts[max(bisect_right(bounds, wait) - 1, 0)] += 1
    bins = []
    for i, low in enumerate(WAIT_BINS_MIN):
        high = WAIT_BINS_MIN[i + 1] if i + 1 < len(WAIT_BINS_MIN) else None
        label = f"{low}–{high} min" if high is not None else f"{low} min o más"
        bins.append(HistogramBin(label=label, from_s=low * 60,
                                 to_s=None if high is None else high * 60, count=counts[i]))
    return bins


def _heatmap(hours: Sequence[int], weekdays: Sequence[int], samples: Sequence[Sample]
             ) -> HeatMap:
    if not hours:
        return HeatMap(weekdays=list(WEEKDAYS), hours=[], issued=[[] for _ in WEEKDAYS],
                       wait_p50_s=[[] for _ in WEEKDAYS])
    first, last = min(hours), max(hours)
    span = last - first + 1
    issued = [[0] * span for _ in WEEKDAYS]
    waits: list[list[list[float]]] = [[[] for _ in range(span)] for _ in WEEKDAYS]
    for hour, weekday, s in zip(hours, weekdays, samples, strict=True):
        issued[weekday][hour - first] += 1
        if s.wait_s is not None:
            waits[weekday][hour - first].append(s.wait_s)
    return HeatMap(
        weekdays=list(WEEKDAYS), hours=[f"{h:02d}" for h in range(first, last + 1)],
        issued=issued,
        wait_p50_s=[[_round(percentile(cell, 0.5)) for cell in row] for row in waits])


def day_label(day: date) -> str:
    return f"{WEEKDAYS_SHORT[day.weekday()]} {day:%d/%m/%Y}"


def month_label(key: str) -> str:
    """«2026-11» -> «noviembre de 2026»."""
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} de {year}"


def ticket_history(session: Session, office: str, tz: ZoneInfo, date_from: date,
                   date_to: date, office_ids: Iterable[str] | None = None,
                   facts: Sequence[TicketFacts] | None = None,
                   names: Names | None = None) -> TicketHistory:
    """Every figure of the tickets issued in [date_from, date_to] (business dates)."""
    ids = None if office_ids is None else list(office_ids)
    if facts is None:
        facts = list(ticket_facts(session, date_from, date_to, ids, ordered=False))
    names = names or Names.load(session, ids)
    samples = [sample(f) for f in facts]
    local = [f.issued_at.astimezone(tz) for f in facts]
    hours = [moment.hour for moment in local]
    weekdays = [moment.weekday() for moment in local]
    clerks = {f.user_id: names.clerk(f.user_id) for f in facts if f.user_id is not None}

    def service_order(code: str) -> tuple[int, str]:
        return (names.service_order.get(code, len(names.service_order)), code)

    by_username = {username: full_name for username, full_name in clerks.values()}

    def clerk_label(username: str) -> str:
        return by_username.get(username, NO_CLERK_LABEL)

    pref_order = {code: i for i, code in enumerate([*PREFERENTIAL_CATEGORIES, REGULAR])}
    pref_label = {**PREFERENTIAL_CATEGORIES, REGULAR: "Regular (sin preferencia)"}
    return TicketHistory(
        office=office, date_from=date_from, date_to=date_to, timezone=str(tz),
        overall=history_metrics(samples),
        by_service=_rows(_groups(samples, [f.service for f in facts]), service_order,
                         names.service),
        by_counter=_rows(_groups(samples, [None if f.counter is None else str(f.counter)
                                           for f in facts]),
                         int, lambda key: names.counter(int(key))),
        # Keyed by username: what a supervisor knows the clerk by.
        by_clerk=_rows(_groups(samples, [None if f.user_id is None else clerks[f.user_id][0]
                                         for f in facts]),
                       lambda key: (clerk_label(key), key), clerk_label),
        by_hour=_rows(_groups(samples, [f"{h:02d}" for h in hours]), lambda key: key,
                      lambda key: f"{key}:00–{key}:59"),
        by_weekday=_rows(_groups(samples, [str(d + 1) for d in weekdays]), lambda key: key,
                         lambda key: WEEKDAYS[int(key) - 1]),
        by_day=_rows(_groups(samples, [f.business_date.isoformat() for f in facts]),
                     lambda key: key, lambda key: day_label(date.fromisoformat(key))),
        by_month=_rows(_groups(samples, [f"{f.business_date:%Y-%m}" for f in facts]),
                       lambda key: key, month_label),
        by_preference=_rows(_groups(samples, [f.preferential or REGULAR for f in facts]),
                            lambda key: (pref_order.get(key, len(pref_order)), key),
                            lambda key: pref_label.get(key, key)),
        heatmap=_heatmap(hours, weekdays, samples),
        wait_histogram=wait_histogram(s.wait_s for s in samples if s.wait_s is not None),
    )



# --- the same, from pre-aggregated days (kiosk/services/daily_stats.py) -----------------------


@dataclass
class PeriodFigures:
    """A period's tickets as the history and GET /stats show them: each group's `figures_of`
    (daily_stats.py) by grouping, each day's and month's, the waits by histogram bin and the
    ratings. Worked out by the hub from its blocks (`figures_of_blocks`) or by central from its
    own pre-aggregated ones (sync/central/figures.py); the answers are made from it alone."""

    # «all» (key «all»), service, counter, clerk (by username), hour, weekday, pref, heat
    # («weekday:hour», weekday 0 = Monday): each group's figures.
    groups: dict[str, dict[str, dict[str, Any]]]
    days: dict[date, dict[str, Any]]
    months: dict[str, dict[str, Any]]  # «2026-11»
    histogram: list[int]  # called tickets per WAIT_BINS_MIN bin
    rated: dict[RatedKey, list[int]]  # scores 1..5 by (service, counter, clerk's user id)
    served: dict[RatedKey, int]
    clerks: dict[str, str]  # username -> full name, of the clerks in `groups`

    def overall(self) -> dict[str, Any]:
        return self.groups.get("all", {}).get("all") or figures_of([])


def _collect(blocks: Sequence[Block], dimension: str,
             rename: Callable[[str], str] | None = None) -> dict[str, list[Part]]:
    found: dict[str, list[Part]] = {}
    for block in blocks:
        for key, parts in block.parts(dimension).items():
            found.setdefault(rename(key) if rename else key, []).extend(
                p for p in parts if p.issued)
    return found


def histogram_counts(parts: Sequence[Part]) -> list[int]:
    """Called tickets of several parts per WAIT_BINS_MIN bin (each part sorted: counted by
    bisection)."""
    bounds = [m * 60 for m in WAIT_BINS_MIN]
    below = [sum(bisect_left(p.waits, bound) for p in parts) for bound in bounds[1:]]
    edges = [0, *below, sum(len(p.waits) for p in parts)]
    return [edges[i + 1] - edges[i] for i in range(len(WAIT_BINS_MIN))]


def histogram_bins(counts: Sequence[int]) -> list[HistogramBin]:
    bins = []
    for i, low in enumerate(WAIT_BINS_MIN):
        high = WAIT_BINS_MIN[i + 1] if i + 1 < len(WAIT_BINS_MIN) else None
        label = f"{low}–{high} min" if high is not None else f"{low} min o más"
        bins.append(HistogramBin(label=label, from_s=low * 60,
                                 to_s=None if high is None else high * 60, count=counts[i]))
    return bins


def block_histogram(parts: Sequence[Part]) -> list[HistogramBin]:
    """`wait_histogram` of the waits of several parts."""
    return histogram_bins(histogram_counts(parts))


def _heatmap_of(cells: dict[str, dict[str, Any]]) -> HeatMap:
    if not cells:
        return HeatMap(weekdays=list(WEEKDAYS), hours=[], issued=[[] for _ in WEEKDAYS],
                       wait_p50_s=[[] for _ in WEEKDAYS])
    hours = [int(key.split(":")[1]) for key in cells]
    first, last = min(hours), max(hours)
    span = last - first + 1
    issued = [[0] * span for _ in WEEKDAYS]
    wait_p50: list[list[float | None]] = [[None] * span for _ in WEEKDAYS]
    for key, fig in cells.items():
        weekday, hour = (int(x) for x in key.split(":"))
        issued[weekday][hour - first] = fig["issued"]
        wait_p50[weekday][hour - first] = fig["wait_p50_s"]
    return HeatMap(weekdays=list(WEEKDAYS),
                   hours=[f"{h:02d}" for h in range(first, last + 1)],
                   issued=issued, wait_p50_s=wait_p50)


def block_totals(blocks: Sequence[Block]) -> list[Part]:
    """Each block's part of all its tickets."""
    return [p for b in blocks for p in b.parts("all").get("all", []) if p.issued]


DIMENSIONS = ("service", "counter", "hour", "weekday", "pref", "heat")


def figures_of_blocks(blocks: Sequence[Block], names: Names) -> PeriodFigures:
    """The period's figures from its blocks: each group's parts merged (exactly)."""
    clerks = {user_id: names.clerk(user_id) for b in blocks for user_id in b.groups["clerk"]}
    groups = {dimension: {key: figures_of(parts)
                          for key, parts in _collect(blocks, dimension).items()}
              for dimension in DIMENSIONS}
    groups["clerk"] = {key: figures_of(parts) for key, parts in
                       _collect(blocks, "clerk", lambda key: clerks[key][0]).items()}
    totals = block_totals(blocks)
    groups["all"] = {"all": figures_of(totals)}
    days: dict[date, dict[str, Any]] = {}
    months: dict[str, list[Part]] = {}
    rated: dict[RatedKey, list[int]] = {}
    served: dict[RatedKey, int] = {}
    for block in blocks:
        days.update(block.day_figures)
        parts = [p for p in block.parts("all").get("all", []) if p.issued]
        if parts:  # a day or a month: in one month
            months.setdefault(f"{block.start:%Y-%m}", []).extend(parts)
        for k, dist in block.rated.items():
            rated[k] = [a + b for a, b in zip(rated.get(k, [0] * 5), dist, strict=True)]
        for k, count in block.served.items():
            served[k] = served.get(k, 0) + count
    return PeriodFigures(
        groups=groups, days=days,
        months={key: figures_of(parts) for key, parts in months.items()},
        histogram=histogram_counts(totals), rated=rated, served=served,
        clerks={username: full_name for username, full_name in clerks.values()})


def _rows_of(groups: dict[str, dict[str, Any]], order: Callable[[str], Any],
             label: Callable[[str], str]) -> list[GroupMetrics]:
    return [GroupMetrics(key=key, label=label(key), **groups[key])
            for key in sorted(groups, key=order)]


def ticket_history_of_figures(office: str, tz: ZoneInfo, date_from: date, date_to: date,
                              figures: PeriodFigures, names: Names) -> TicketHistory:
    """`ticket_history` from a period's figures: the same answer, without its tickets."""

    def service_order(code: str) -> tuple[int, str]:
        return (names.service_order.get(code, len(names.service_order)), code)

    def clerk_label(username: str) -> str:
        return figures.clerks.get(username, NO_CLERK_LABEL)

    pref_order = {code: i for i, code in enumerate([*PREFERENTIAL_CATEGORIES, REGULAR])}
    pref_label = {**PREFERENTIAL_CATEGORIES, REGULAR: "Regular (sin preferencia)"}
    groups = figures.groups

    def rows(dimension: str, order: Callable[[str], Any], label: Callable[[str], str]
             ) -> list[GroupMetrics]:
        return _rows_of(groups.get(dimension, {}), order, label)

    return TicketHistory(
        office=office, date_from=date_from, date_to=date_to, timezone=str(tz),
        overall=HistoryMetrics(**figures.overall()),
        by_service=rows("service", service_order, names.service),
        by_counter=rows("counter", int, lambda key: names.counter(int(key))),
        by_clerk=rows("clerk", lambda key: (clerk_label(key), key), clerk_label),
        by_hour=rows("hour", lambda key: key, lambda key: f"{key}:00–{key}:59"),
        by_weekday=rows("weekday", lambda key: key, lambda key: WEEKDAYS[int(key) - 1]),
        by_day=[GroupMetrics(key=day.isoformat(), label=day_label(day), **fig)
                for day, fig in sorted(figures.days.items()) if fig["issued"]],
        by_month=_rows_of(figures.months, lambda key: key, month_label),
        by_preference=rows("pref", lambda key: (pref_order.get(key, len(pref_order)), key),
                           lambda key: pref_label.get(key, key)),
        heatmap=_heatmap_of(groups.get("heat", {})),
        wait_histogram=histogram_bins(figures.histogram),
    )


def ticket_history_of_blocks(office: str, tz: ZoneInfo, date_from: date, date_to: date,
                             blocks: Sequence[Block], names: Names) -> TicketHistory:
    """`ticket_history` from blocks: the same figures, without reading every ticket."""
    return ticket_history_of_figures(office, tz, date_from, date_to,
                                     figures_of_blocks(blocks, names), names)


_METRIC_NAMES = tuple(Metrics.model_fields)


def _metrics(found: dict[str, Any]) -> Metrics:
    return Metrics(**{name: found[name] for name in _METRIC_NAMES})


def stats_report_of_figures(office: str, tz: ZoneInfo, date_from: date, date_to: date,
                            figures: PeriodFigures) -> StatsReport:
    """`stats.stats_report` (GET /stats) from a period's figures: the same figures."""

    def grouped(dimension: str) -> dict[str, Metrics]:
        groups = figures.groups.get(dimension, {})
        return {key: _metrics(groups[key]) for key in sorted(groups, key=lambda k: (len(k), k))}

    return StatsReport(
        **_metrics(figures.overall()).model_dump(), office=office, date_from=date_from,
        date_to=date_to, timezone=str(tz), by_service=grouped("service"),
        by_counter=grouped("counter"), by_hour=grouped("hour"))


def stats_report_of_blocks(office: str, tz: ZoneInfo, date_from: date, date_to: date,
                           blocks: Sequence[Block]) -> StatsReport:
    """`stats.stats_report` (GET /stats) from blocks: the same figures."""

    def grouped(dimension: str) -> dict[str, Metrics]:
        groups = _collect(blocks, dimension)
        return {key: _metrics(figures_of(groups[key]))
                for key in sorted(groups, key=lambda k: (len(k), k))}

    return StatsReport(
        **_metrics(figures_of(block_totals(blocks))).model_dump(), office=office,
        date_from=date_from, date_to=date_to, timezone=str(tz), by_service=grouped("service"),
        by_counter=grouped("counter"), by_hour=grouped("hour"))
