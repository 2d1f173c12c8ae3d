"""Citizens' 1-5 ratings: who may give them, which are refused, and the satisfaction figures
against a hand-counted morning."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.errors import CacError, Conflict, Forbidden, InvalidInput, NotFound
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.supervisor_views import SatisfactionStats
from kiosk.storage.tables import Event, Rating, SyncOutbox
from tests.conftest import START, clerk_at

DAY = date(2026, 11, 20)


def at(clock: VirtualClock, minutes: int) -> None:
    clock.set(START + timedelta(minutes=minutes))


def serve(hub: OfficeHub, device: DeviceIdentity, counter: int, number: str) -> str:
    called = hub.call_next(device, counter)
    assert called is not None and called.number == number
    hub.start(device, called.id)
    return called.id


@pytest.fixture
def rated(hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str]
          ) -> tuple[OfficeHub, dict[str, str], dict[str, DeviceIdentity]]:
    """Friday 20 Nov 2026, 08:00: PA-001, A-001 (partidas), C-001 (caja), R-001 (orientación).

    Ana (ventanilla 1) serves PA-001 08:00-08:04, A-001 08:04-08:10, R-001 08:10-08:12.
    Luis (ventanilla 4) serves C-001 08:00-08:05.
    Ratings: 08:06 the rating screen facing ventanilla 4 rates C-001 (by its number) 2, the one
    facing ventanilla 1 rates PA-001 5; 08:11 Ana's own counter PC rates A-001 4. R-001 is
    never rated.
    """
    kiosk = hub.authenticate(tokens["kiosk"])
    screens = {n: hub.authenticate(hub.add_device(SYSTEM, f"Calificación {n}", "counter", n)[1])
               for n in (1, 4)}
    ana = clerk_at(hub, "ana", "2468", 1)
    luis = clerk_at(hub, "luis", "1357", 4)
    pregnant = hub.issue_ticket(kiosk, "partidas", "gestante")
    hub.issue_ticket(kiosk, "partidas")
    hub.issue_ticket(kiosk, "caja")
    hub.issue_ticket(kiosk, "orientacion")
    hub.open_counter(ana, 1)
    hub.open_counter(luis, 4)
    ids = {"PA-001": serve(hub, ana, 1, "PA-001"), "C-001": serve(hub, luis, 4, "C-001")}
    at(clock, 4)
    hub.finish(ana, pregnant.id)
    ids["A-001"] = serve(hub, ana, 1, "A-001")
    at(clock, 5)
    hub.finish(luis, ids["C-001"])
    at(clock, 6)
    assert hub.rate_ticket(screens[4], "c-001", 2).number == "C-001"
    hub.rate_ticket(screens[1], ids["PA-001"], 5)
    at(clock, 10)
    hub.finish(ana, ids["A-001"])
    ids["R-001"] = serve(hub, ana, 1, "R-001")
    at(clock, 11)
    hub.rate_ticket(ana, ids["A-001"], 4)
    at(clock, 12)
    hub.finish(ana, ids["R-001"])
    return hub, ids, {"kiosk": kiosk, "ana": ana, "luis": luis, "screen1": screens[1],
                      "screen4": screens[4]}


def test_a_rating_keeps_the_ticket_service_counter_and_clerk(
        rated: tuple[OfficeHub, dict[str, str], dict[str, DeviceIdentity]]) -> None:
    hub, ids, devices = rated
    with hub.store.read_session() as session:
        rating = session.scalars(select(Rating).where(Rating.ticket_id == ids["A-001"])).one()
        assert (rating.score, rating.counter_number, rating.business_date,
                rating.device_id) == (4, 1, DAY, devices["ana"].id)
        assert rating.user_id == (devices["ana"].clerk.user_id if devices["ana"].clerk
                                  else None)
        event = session.scalars(select(Event).where(Event.kind == "rated",
                                                    Event.stream_id == ids["A-001"])).one()
        assert (event.data["score"], event.data["number"]) == (4, "A-001")
        # Central receives the ratings like the office's other facts.
        queued = session.scalars(select(SyncOutbox.row_key).where(
            SyncOutbox.tbl == "ratings")).all()
        assert set(queued) == {r.id for r in session.scalars(select(Rating))}
        assert len(queued) == 3


def test_satisfaction_figures(
        rated: tuple[OfficeHub, dict[str, str], dict[str, DeviceIdentity]]) -> None:
    hub = rated[0]
    stats: SatisfactionStats = hub.satisfaction_stats(SYSTEM, DAY, DAY)
    total = stats.overall
    # Scores 2, 5, 4: mean 11 / 3 = 3.67; satisfied (4-5) 2 of 3; 4 tickets served, 3 rated.
    assert (total.ratings, total.mean, total.distribution, total.satisfied_pct, total.served,
            total.response_pct) == (3, 3.67, [0, 1, 0, 1, 1], 66.7, 4, 75.0)
    assert [(g.key, g.label, g.ratings, g.mean, g.distribution, g.satisfied_pct, g.served,
             g.response_pct) for g in stats.by_service] == [
        ("partidas", "Registro Civil (partidas)", 2, 4.5, [0, 0, 0, 1, 1], 100.0, 2, 100.0),
        ("caja", "Caja", 1, 2.0, [0, 1, 0, 0, 0], 0.0, 1, 100.0),
        ("orientacion", "Orientación", 0, None, [0, 0, 0, 0, 0], None, 1, 0.0),
    ]
    # Ventanilla 1 served PA-001, A-001 and R-001 (two rated: 5 and 4); ventanilla 4 C-001 (2).
    assert [(g.key, g.ratings, g.mean, g.served, g.response_pct) for g in stats.by_counter] == [
        ("1", 2, 4.5, 3, 66.7), ("4", 1, 2.0, 1, 100.0)]
    assert [(g.key, g.label, g.ratings, g.mean) for g in stats.by_clerk] == [
        ("ana", "Ana Torres Chávez", 2, 4.5), ("luis", "Luis Quispe Mamani", 1, 2.0)]
    nothing = hub.satisfaction_stats(SYSTEM, DAY + timedelta(days=1), DAY + timedelta(days=1))
    assert (nothing.overall.ratings, nothing.overall.mean, nothing.by_service) == (0, None, [])


def test_refused_ratings(rated: tuple[OfficeHub, dict[str, str], dict[str, DeviceIdentity]],
                         clock: VirtualClock, tokens: dict[str, str]) -> None:
    hub, ids, devices = rated
    kiosk, luis = devices["kiosk"], devices["luis"]
    one, four = devices["screen1"], devices["screen4"]
    loose = hub.authenticate(hub.add_device(SYSTEM, "Calificación sin asignar", "counter")[1])
    at(clock, 13)
    waiting = hub.issue_ticket(kiosk, "mesa")
    cases: list[tuple[type[CacError], str, object]] = [
        (InvalidInput, "invalid_score", lambda: hub.rate_ticket(one, ids["R-001"], 0)),
        (InvalidInput, "invalid_score", lambda: hub.rate_ticket(one, ids["R-001"], 6)),
        (InvalidInput, "invalid_score", lambda: hub.rate_ticket(one, ids["R-001"], True)),
        (InvalidInput, "invalid_ticket", lambda: hub.rate_ticket(one, "  ", 3)),
        (NotFound, "unknown_ticket", lambda: hub.rate_ticket(one, "Z-999", 3)),
        (Conflict, "ticket_not_finished", lambda: hub.rate_ticket(one, waiting.id, 3)),
        (Conflict, "already_rated", lambda: hub.rate_ticket(four, ids["C-001"], 1)),
        # Only the citizen who just left the counter rates: not PA-001, served before A-001.
        (Conflict, "rating_not_latest", lambda: hub.rate_ticket(one, ids["PA-001"], 1)),
        # Ventanilla 4's screen, or Luis at ventanilla 4, cannot rate what ventanilla 1 served.
        (Conflict, "rating_other_counter", lambda: hub.rate_ticket(four, ids["R-001"], 3)),
        (Conflict, "rating_other_counter", lambda: hub.rate_ticket(luis, ids["R-001"], 3)),
        # A device alone rates only as the screen of the counter the admin bound it to.
        (Forbidden, "device_not_bound", lambda: hub.rate_ticket(loose, ids["R-001"], 3)),
        (Forbidden, "forbidden", lambda: hub.rate_ticket(kiosk, ids["R-001"], 3)),
        (Forbidden, "forbidden", lambda: hub.rate_ticket(
            hub.authenticate(tokens["display"]), ids["R-001"], 3)),
        (Forbidden, "forbidden", lambda: hub.rate_ticket(
            hub.authenticate(tokens["supervisor"]), ids["R-001"], 3)),
    ]
    for error, code, action in cases:
        with pytest.raises(error) as caught:
            action()  # type: ignore[operator]
        assert caught.value.code == code, code
        assert caught.value.message
    # R-001 was finished at 08:12: at 08:42 it can still be rated, at 08:43 no longer.
    at(clock, 43)
    with pytest.raises(Conflict) as caught:
        hub.rate_ticket(one, ids["R-001"], 3)
    assert caught.value.code == "rating_window_passed"
    assert "30 minutos" in caught.value.message
    with hub.store.read_session() as session:
        assert len(session.scalars(select(Rating)).all()) == 3  # nothing refused was kept
    at(clock, 42)
    assert hub.rate_ticket(one, ids["R-001"], 3).score == 3


def test_yesterdays_number_is_not_todays_ticket(
        rated: tuple[OfficeHub, dict[str, str], dict[str, DeviceIdentity]],
        clock: VirtualClock) -> None:
    hub, _, devices = rated
    clock.set(START + timedelta(days=1))
    with pytest.raises(NotFound):
        hub.rate_ticket(devices["screen4"], "C-001", 5)
