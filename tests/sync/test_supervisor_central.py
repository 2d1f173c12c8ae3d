"""Central's side of the supervisor's statistics: its schema (migration 0002: ratings and the
ticket's clerk) matches its tables, ratings travel like the other office facts, and central's
period report over the replicas equals each hub's own, office by office and in total."""

from __future__ import annotations

import random
import weakref
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from kiosk.clock import VirtualClock
from kiosk.errors import Conflict
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services import calendar_days, daily_stats, expediente_stats, history, ratings, stats
from kiosk.services.expediente_views import PaymentInput
from sync.central import series_codec
from sync.central.schema import REPLICAS, metadata, stats_blocks, stats_dirty
from sync.central.server import CentralIdentity, CentralServer
from sync.central.stats_blocks import REGION, SERIES, VERSION, block_from_memory, store
from tests.conftest import LIMA, START, RunningHub, advance
from tests.integration.test_expedientes import act, edificacion, person
from tests.sync.conftest import clerk_of, connect_sync

DAY = date(2026, 11, 20)


def test_central_tables_are_what_its_migrations_make(central: CentralServer) -> None:
    with central.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    assert {"user_id"} <= set(REPLICAS["tickets"].c.keys())
    assert {"ticket_id", "score", "business_date"} <= set(REPLICAS["ratings"].c.keys())


def _rated_day(office: OfficeHub, clock: VirtualClock, clerk_counter: int, served: int,
               scores: list[int]) -> None:
    """`served` partidas tickets served by the demo clerk Ana at `clerk_counter`, 2 minutes
    each; the first ones rated with `scores`."""
    clock.set(START)
    clerk = clerk_of(office, counter=clerk_counter)
    kiosk = office.authenticate(office.add_device(SYSTEM, "Quiosco", "kiosk")[1])
    tickets = [office.issue_ticket(kiosk, "partidas") for _ in range(served)]
    office.open_counter(clerk, clerk_counter)
    for ticket in tickets:
        advance(clock, minutes=1)
        office.call_next(clerk, clerk_counter)
        office.start(clerk, ticket.id)
        advance(clock, minutes=2)
        office.finish(clerk, ticket.id)
    for ticket, score in zip(tickets, scores, strict=False):
        office.rate_ticket(SYSTEM, ticket.id, score)


def test_central_reports_what_each_office_reports(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock
) -> None:
    offices: dict[str, OfficeHub] = {"CAJ": make_office("CAJ", "CAC Cajamarca"),
                                     "CEL": make_office("CEL", "CAC Celendín")}
    _rated_day(offices["CAJ"], clock, 1, 3, [5, 4])
    _rated_day(offices["CEL"], clock, 2, 2, [2])
    for code, office in offices.items():
        _, token = central.add_office(code, office.config.office_name)
        result = connect_sync(office, central_http.url, token).run_round()
        assert result.ok and result.rejected == 0, result.error
    ratings = REPLICAS["ratings"]
    with central.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ratings)) == 3
    staff = central.authenticate(central.add_staff("Gerencia de Atención al Ciudadano"))
    figures = central.period_report(staff, None, DAY, DAY)
    for code, office in offices.items():
        own = office.period_report(SYSTEM, DAY, DAY).model_dump(mode="json")
        theirs = figures["offices"][code]
        for part in ("tickets", "expedientes", "satisfaction"):
            assert theirs[part] == own[part], (code, part)
        assert [g["label"] for g in theirs["tickets"]["by_clerk"]] == ["Ana Torres Chávez"]
    total = figures["total"]
    assert total["tickets"]["overall"]["issued"] == 5
    # Scores 5, 4 (CAJ) and 2 (CEL): mean 11 / 3; 5 served, 3 rated.
    overall = total["satisfaction"]["overall"]
    assert (overall["ratings"], overall["mean"], overall["served"], overall["response_pct"]) \
        == (3, 3.67, 5, 60.0)
    assert [(g["key"], g["ratings"]) for g in total["satisfaction"]["by_counter"]] == [
        ("1", 2), ("2", 1)]
    # Over HTTP, for back-office staff; a hub sees only its own office.
    staff_token = central.add_staff("Analista")
    answer = requests.get(f"{central_http.url}/api/v1/stats/report", timeout=30,
                          params={"from": DAY.isoformat(), "to": DAY.isoformat(),
                                  "office": "CEL"},
                          headers={"Authorization": f"Bearer {staff_token}"})
    assert answer.status_code == 200, answer.text
    assert list(answer.json()["offices"]) == ["CEL"]
    assert answer.json()["offices"]["CEL"]["satisfaction"]["overall"]["ratings"] == 1
    empty = central.period_report(staff, "CAJ", DAY + timedelta(days=1), DAY + timedelta(days=1))
    assert empty["offices"]["CAJ"]["tickets"]["overall"]["issued"] == 0


# --- over months and a year: central's pre-aggregated figures ---------------------------------

# Each office's expedientes still to decide, oldest first.
_FILED: weakref.WeakKeyDictionary[OfficeHub, list[str]] = weakref.WeakKeyDictionary()
WORKED = (date(2025, 11, 28), date(2025, 12, 1), date(2025, 12, 2), date(2025, 12, 31),
          date(2026, 1, 5))
LATER = datetime(2026, 2, 10, 9, 0, tzinfo=LIMA)  # every worked month is over
PERIODS = [
    (date(2025, 12, 1), date(2025, 12, 1)),  # a day's block
    (date(2025, 12, 1), date(2025, 12, 31)),  # a month's
    (date(2025, 1, 1), date(2025, 12, 31)),  # a year's
    (date(2025, 11, 15), date(2026, 1, 10)),  # a month and days around it, merged
    (date(2025, 11, 1), date(2026, 2, 10)),  # months and today
]


def _worked_day(office: OfficeHub, clock: VirtualClock, day: date, counter: int,
                rng: random.Random) -> None:
    """Tickets issued and served at uneven times (to the microsecond), some preferential,
    some not coming, the rest expired at the close; some rated; an expediente filed and paid,
    one of an earlier day approved, denied or cancelled."""
    clock.set(datetime.combine(day, time(8, 0), tzinfo=LIMA))
    clerk = clerk_of(office, counter=counter)
    kiosk = office.authenticate(office.add_device(SYSTEM, "Quiosco", "kiosk")[1])
    waiting = _FILED.setdefault(office, [])
    if waiting:
        decision = rng.choice(("approve", "approve", "deny", "cancel"))
        try:
            act(office, clerk, waiting.pop(0), decision,
                **({} if decision == "approve" else {"note": "Según el expediente"}))
        except Conflict as exc:  # its silencio positivo operated: approved by law (art. 199.1)
            if exc.code != "approved_by_law":
                raise
    # An evaluación previa procedure: a clerk decides it (a partida is approved by law, art. 33).
    filed = office.file_expediente(clerk, edificacion().model_copy(update={
        "person": person(doc_number=f"4{rng.randrange(10_000_000):07d}")}))
    office.pay(clerk, filed.number, PaymentInput(amount=filed.fee))
    waiting.append(filed.number)
    for _ in range(rng.randrange(6, 11)):
        advance(clock, seconds=rng.uniform(1, 200))
        office.issue_ticket(kiosk, rng.choice(("partidas", "caja")),
                            rng.choice((None, None, None, "adulto_mayor")))
    office.open_counter(clerk, counter)
    for _ in range(rng.randrange(4, 8)):
        advance(clock, seconds=rng.uniform(1, 900))
        called = office.call_next(clerk, counter)
        if called is None:
            break
        advance(clock, seconds=rng.uniform(5, 60))
        if rng.random() < 0.15:
            office.no_show(clerk, called.id)
            continue
        office.start(clerk, called.id)
        advance(clock, seconds=rng.uniform(30, 600))
        office.finish(clerk, called.id)
        if rng.random() < 0.5:
            office.rate_ticket(SYSTEM, called.id, rng.randrange(1, 6))
    office.close_day(SYSTEM)


def _push_all(office: OfficeHub, url: str, token: str) -> None:
    sync = connect_sync(office, url, token)
    for _ in range(20):  # until nothing is pending
        result = sync.run_round()
        assert result.ok and result.rejected == 0, result.error
        if result.pushed == 0:
            return


def _per_ticket(central: CentralServer, date_from: date, date_to: date,
                ids: list[str]) -> dict[str, Any]:
    """All offices' figures from every ticket, as central computed them before it kept any
    pre-aggregated block (the hubs' functions over its rows)."""
    with Session(central.engine) as session:
        names = history.Names.load(session, ids)
        return {
            "stats": stats.stats_report(session, "TODAS", LIMA, date_from, date_to,
                                        ids).model_dump(mode="json"),
            "tickets": history.ticket_history(session, "TODAS", LIMA, date_from, date_to, ids,
                                              names=names).model_dump(mode="json"),
            "satisfaction": ratings.satisfaction_stats(session, "TODAS", date_from, date_to,
                                                       ids, names).model_dump(mode="json"),
            "expedientes": expediente_stats.expediente_stats(
                session, "TODAS", LIMA, date_from, date_to, central.clock.now().astimezone(
                    LIMA).date(), calendar_days.office_calendar(session), ids
            ).model_dump(mode="json")}


def _check(central: CentralServer, staff: CentralIdentity, offices: dict[str, OfficeHub],
           central_ids: list[str]) -> None:
    for date_from, date_to in PERIODS:
        report = central.period_report(staff, None, date_from, date_to)
        figures = central.stats(staff, None, date_from, date_to)
        for code, office in offices.items():
            own = office.period_report(SYSTEM, date_from, date_to).model_dump(mode="json")
            for part in ("tickets", "expedientes", "satisfaction"):
                assert report["offices"][code][part] == own[part], (code, part, date_from)
            assert figures["offices"][code] == office.stats(
                SYSTEM, date_from, date_to).model_dump(mode="json"), (code, date_from)
        expected = _per_ticket(central, date_from, date_to, central_ids)
        assert report["total"]["tickets"] == expected["tickets"], date_from
        assert report["total"]["satisfaction"] == expected["satisfaction"], date_from
        assert report["total"]["expedientes"] == expected["expedientes"], date_from
        assert figures["total"] == expected["stats"], date_from
        assert report["total"]["tickets"]["overall"]["issued"] == sum(
            one["tickets"]["overall"]["issued"] for one in report["offices"].values())


def test_central_figures_over_months_are_the_offices_own(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Equal to each office's own figures and to the total of every ticket, for a day, a
    month, a year and periods that are none of them: read from the tickets before central
    summed them up, from its blocks after, and again when a late push changes a summed day."""
    monkeypatch.setattr(series_codec, "SMALL", 2)  # merges read sketches, not whole series
    rng = random.Random(21)
    offices = {"CAJ": make_office("CAJ", "CAC Cajamarca"),
               "CEL": make_office("CEL", "CAC Celendín")}
    tokens = {code: central.add_office(code, office.config.office_name)[1]
              for code, office in offices.items()}
    for day in WORKED[:-1]:
        for n, office in enumerate(offices.values()):
            _worked_day(office, clock, day, counter=1 + n, rng=rng)
    _push_all(offices["CAJ"], central_http.url, tokens["CAJ"])
    _worked_day(offices["CAJ"], clock, WORKED[-1], counter=1, rng=rng)
    _push_all(offices["CAJ"], central_http.url, tokens["CAJ"])
    _push_all(offices["CEL"], central_http.url, tokens["CEL"])
    _worked_day(offices["CEL"], clock, WORKED[-1], counter=2, rng=rng)  # pushed late
    clock.set(LATER)
    staff = central.authenticate(central.add_staff("Gerencia de Atención al Ciudadano"))
    ids = [o.id for o in central.offices()]
    _check(central, staff, {"CAJ": offices["CAJ"]}, ids)  # from the tickets: nothing summed
    built = central.refresh_statistics()
    assert built.days == 2 * len(WORKED) - 1 and built.blocks > 0
    with central.engine.connect() as connection:
        periods = set(connection.execute(select(stats_blocks.c.scope == REGION,
                                                stats_blocks.c.period)).all())
    assert periods == {(scope, period) for scope in (True, False)
                       for period in ("day", "month", "year")}
    _check(central, staff, {"CAJ": offices["CAJ"]}, ids)
    _push_all(offices["CEL"], central_http.url, tokens["CEL"])  # January changes
    _check(central, staff, offices, ids)
    assert central.refresh_statistics().days == 1
    _check(central, staff, offices, ids)


def _layout_2(series: list[list[float]]) -> bytes:
    """A row's times as blocks of layout 2 kept them: whole microseconds in the fewest bytes
    that hold the largest, the width first (no sketch: the test's series are short)."""
    micros = [round(v * 1_000_000) for one in series for v in one]
    width = max(1, (max(micros, default=0).bit_length() + 7) // 8)
    return bytes([width]) + b"".join(m.to_bytes(width, "little") for m in micros)


def test_blocks_of_the_previous_layout_are_built_again_and_read_right(
        central: CentralServer, central_http: RunningHub,
        make_office: Callable[..., OfficeHub], clock: VirtualClock) -> None:
    """A central upgraded with office-days summed up in layout 2 (their times in 4-5 bytes
    each, which today's reader would misread): the next refresh builds every one again in
    today's layout, and the months and years from them; the figures are the offices' own."""
    rng = random.Random(30)
    offices = {"CAJ": make_office("CAJ", "CAC Cajamarca"),
               "CEL": make_office("CEL", "CAC Celendín")}
    for code, office in offices.items():
        token = central.add_office(code, office.config.office_name)[1]
        for day in WORKED[1:4]:
            _worked_day(office, clock, day, counter=1 + len(code) % 2, rng=rng)
        _push_all(office, central_http.url, token)
    clock.set(LATER)
    ids = [o.id for o in central.offices()]
    old = 0
    with central.engine.begin() as connection:  # what the previous version had built
        connection.execute(delete(stats_dirty))
        session = Session(bind=connection)
        for office_id in ids:
            for day in WORKED[1:4]:
                for block in daily_stats.raw_blocks(session, day, day, LIMA, [office_id]):
                    header, _ = block_from_memory(block, office_id, "day")
                    store(connection, header, [
                        (g.dim, g.key, _layout_2([getattr(block.groups[g.dim][g.key], s)
                                                  for s in SERIES]), b"")
                        for g in header.groups], LATER)
                    old += 1
        connection.execute(update(stats_blocks).values(version=2))
    assert old == 2 * 3
    staff = central.authenticate(central.add_staff("Gerencia de Atención al Ciudadano"))
    built = central.refresh_statistics()
    assert built.days == old and built.blocks > 0
    with central.engine.connect() as connection:
        versions = connection.execute(select(stats_blocks.c.period, stats_blocks.c.version)
                                      ).all()
    assert {period for period, _ in versions} == {"day", "month", "year"}
    assert {version for _, version in versions} == {VERSION} != {2}
    _check(central, staff, offices, ids)  # from the blocks built again
