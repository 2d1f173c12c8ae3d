"""The background worker of a running hub, and its backoff."""

from __future__ import annotations

import random
import threading
from dataclasses import replace

from sqlalchemy import select

from kiosk.hub import SYSTEM, OfficeHub
from kiosk.plugins import start_hub_services, stop_hub_services
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer
from sync.client import CentralClient
from sync.hub_sync import Backoff, HubSync, RoundReport, SyncWorker
from tests.conftest import RunningHub


def test_backoff_grows_with_full_jitter_and_resets() -> None:
    backoff = Backoff(base_s=2, cap_s=60, rng=random.Random(5))
    delays = [backoff.next_delay() for _ in range(12)]
    ceilings = [min(60, 2 * 2 ** n) for n in range(1, 13)]
    assert all(1.0 <= d <= max(1.0, c) for d, c in zip(delays, ceilings, strict=True))
    assert max(delays[6:]) > max(delays[:2])  # later waits may be far longer
    assert len(set(delays)) == len(delays)  # jitter: two offices never retry in step
    backoff.reset()
    assert backoff.failures == 0 and backoff.next_delay() <= 4


def test_a_hub_without_central_starts_no_worker(make_office) -> None:
    office = make_office()
    services = start_hub_services(office)
    try:
        assert not any(isinstance(s, SyncWorker) for s in services)
    finally:
        stop_hub_services(services)


def test_the_worker_of_a_configured_hub_syncs_in_the_background(
        central: CentralServer, central_http: RunningHub, make_office) -> None:
    office: OfficeHub = make_office()
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    office.config = replace(office.config, central_url=central_http.url,
                            central_credential=token, sync_interval_s=3600)
    services = start_hub_services(office)  # found through the package's entry point
    try:
        [worker] = [s for s in services if isinstance(s, SyncWorker)]
        rounds: list[RoundReport] = []
        done = threading.Event()
        worker._on_round = lambda report: (rounds.append(report), done.set())
        issued = office.issue_ticket(SYSTEM, "partidas")
        done.clear()
        worker.wake()  # an office change need not wait for the hour
        assert done.wait(timeout=30) and rounds[-1].ok
        tickets = REPLICAS["tickets"]
        with central.engine.connect() as connection:
            assert connection.scalar(select(tickets.c.number).where(
                tickets.c.id == issued.id)) == issued.number
        assert office.sync_status(SYSTEM).pending == 0
    finally:
        stop_hub_services(services)


def test_the_worker_keeps_trying_while_central_is_down(make_office) -> None:
    office: OfficeHub = make_office()
    reports: list[RoundReport] = []
    two_failures = threading.Event()

    def on_round(report: RoundReport) -> None:
        reports.append(report)
        if len(reports) >= 2:
            two_failures.set()

    client = CentralClient("http://127.0.0.1:9", "x", timeout_s=1)
    worker = SyncWorker(HubSync(office, client), interval_s=3600,
                        backoff=Backoff(base_s=0.01, cap_s=0.02, floor_s=0.01),
                        on_round=on_round)
    worker.start()
    try:
        assert two_failures.wait(timeout=30)
    finally:
        worker.stop()
    assert all(not r.ok and r.code == "central_unreachable" for r in reports)
    status = office.sync_status(SYSTEM)
    assert status.last_error and "No hay conexión" in status.last_error
    assert status.pending > 0  # nothing was lost meanwhile
