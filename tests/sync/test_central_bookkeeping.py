"""Central forgets the mutation ids it applied once no hub can still need them
(sync/central/bookkeeping.py): settled by the hub and older than the retry horizon. An entry
that comes again after that is applied again, and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from kiosk.clock import VirtualClock
from kiosk.hub import OfficeHub
from sync.central.bookkeeping import RETRY_HORIZON
from sync.central.maintenance import CentralMaintenance
from sync.central.public_rate import PublicRate
from sync.central.schema import (
    REPLICAS,
    applied,
    office_links,
    rate_limits,
    stats_blocks,
    stats_dirty,
)
from sync.central.server import CentralServer
from sync.outbox import pending_entries
from tests.conftest import RunningHub, advance
from tests.sync.conftest import connect_sync, push_as_hub
from tests.sync.test_push_pull import _serve_some


def _ids(central: CentralServer) -> set[str]:
    with central.engine.connect() as connection:
        return set(connection.scalars(select(applied.c.mutation_id)))


def _tickets(central: CentralServer) -> list[tuple[object, ...]]:
    tickets = REPLICAS["tickets"]
    with central.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(tickets).order_by(tickets.c.id))]


def test_ids_are_forgotten_once_settled_and_past_the_retry_horizon(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: VirtualClock) -> None:
    office: OfficeHub = make_office()  # type: ignore[operator]
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 3)
    first = pending_entries(office.store)
    assert connect_sync(office, central_http.url, token).run_round().ok
    assert _ids(central) == {e.mutation_id for e in first}
    assert central.prune_bookkeeping() == 0  # within the horizon: kept
    advance(clock, days=RETRY_HORIZON.days + 1)
    # Each batch of the round settled the ones before it; the last is not settled yet.
    with central.engine.connect() as connection:
        settled = connection.scalar(select(office_links.c.acked_seq))
    unsettled = {e.mutation_id for e in first if e.seq > settled}
    assert unsettled and len(unsettled) < len(first)
    assert central.prune_bookkeeping() == len(first) - len(unsettled)
    assert _ids(central) == unsettled
    _serve_some(office, clock, 1)
    later = pending_entries(office.store)
    assert connect_sync(office, central_http.url, token).run_round().ok
    # The later batch starts above the first round's seqs: all settled now, and old.
    assert central.prune_bookkeeping() == len(unsettled)
    assert _ids(central) == {e.mutation_id for e in later}
    # The first entries sent again (a bundle imported twice, an old outbox restored): applied
    # again, refused none, and every ticket stays as it was.
    before = _tickets(central)
    again = [e for e in first if e.table in ("tickets", "events")][-400:]
    answer = push_as_hub(central, token, office, [e.to_wire() for e in again])
    assert {r["r"] for r in answer["results"]} == {"applied"}
    assert _tickets(central) == before
    with central.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(applied)) == len(again) + len(
            later)


def test_the_maintenance_job_builds_the_figures_and_forgets_idle_clients(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: VirtualClock) -> None:
    """What `cac central` does every --maintenance-s, one round of it."""
    office: OfficeHub = make_office()  # type: ignore[operator]
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 2)
    assert connect_sync(office, central_http.url, token).run_round().ok
    PublicRate(central.citizens, 30, central.clock).allow("198.51.100.7")
    advance(clock, days=1)
    job = CentralMaintenance(central, every_s=3600)
    job.run_once()
    with central.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(stats_blocks)) > 0
        assert connection.scalar(select(func.count()).select_from(stats_dirty)) == 0
        assert connection.scalar(select(func.count()).select_from(rate_limits)) == 0
