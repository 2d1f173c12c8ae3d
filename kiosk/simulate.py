"""A whole office day through the real queue engine, on a virtual clock.

Arrivals follow a morning peak; citizens sometimes do not come when called (some come back and
are reinstated), some are preferential, some are sent on to another service. With `citas`,
that many citizens booked a slot before the day (kiosk/rules/citas.py): most check in on time,
some late (the regular queue), some never come (no-shows). Every step is an ordinary hub
operation, so the day leaves the same events and projections a real one would.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from kiosk.clock import VirtualClock
from kiosk.errors import Conflict, InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.cita_views import CheckInInput, CitaInput, CitaPlanInput

OPENING = time(8, 0)
LAST_ARRIVAL = time(16, 30)
DOORS_CLOSE = time(18, 0)  # counters finish whoever is inside; the rest expire

# Share of the day's visitors per service, and the median minutes a counter spends on them.
SERVICE_MIX = {"partidas": 0.34, "caja": 0.2, "licencias": 0.14, "orientacion": 0.17,
               "mesa": 0.15}
MEDIAN_SERVICE_MIN = {"partidas": 3.5, "licencias": 6.0, "caja": 2.0, "orientacion": 2.0,
                      "mesa": 3.5}
PREFERENTIAL_SHARE = 0.12
PREFERENTIAL_MIX = {"adulto_mayor": 0.55, "gestante": 0.2, "nino": 0.15, "discapacidad": 0.1}
NO_SHOW_SHARE = 0.06
COME_BACK_SHARE = 0.3
TRANSFER_SHARE = 0.05
OUTCOME_MIX = {"atendido": 0.88, "observado": 0.08, "derivado": 0.03, "desistio": 0.01}
# Citas: the service the simulator books when none takes citas yet, its plan, and what the
# citizens with a cita do.
CITA_SERVICE = "licencias"
CITA_PLAN = CitaPlanInput(slot_minutes=30, walkin_percent=50)
CITA_FATES = {"on_time": 0.7, "late": 0.15, "no_show": 0.15}


@dataclass
class SimulationSummary:
    date: date
    issued: int = 0
    called: int = 0
    finished: int = 0
    no_shows: int = 0
    reinstated: int = 0
    transfers: int = 0
    expired: int = 0
    counters: list[int] = field(default_factory=list)
    # Citas (bookings made before the day): checked in on time, late, never came.
    citas_booked: int = 0
    citas_on_time: int = 0
    citas_late: int = 0
    citas_no_show: int = 0


def _choice(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _arrival_times(rng: random.Random, day: date, tz: Any, count: int, until: datetime
                   ) -> list[datetime]:
    start = datetime.combine(day, OPENING, tzinfo=tz)
    span = (datetime.combine(day, LAST_ARRIVAL, tzinfo=tz) - start).total_seconds()
    times = []
    for _ in range(count):
        # 40 % come in the morning peak around 10:00, the rest spread over the day.
        peak = rng.random() < 0.4
        offset = rng.gauss(2 * 3600, 90 * 60) if peak else rng.uniform(0, span)
        offset = min(max(offset, 0), span)
        times.append(start + timedelta(seconds=round(offset)))
    return sorted(t for t in times if t <= until)


def simulate_day(hub: OfficeHub, clock: VirtualClock, day: date, tickets: int,
                 counters: int | None = None, seed: int = 7, until: time | None = None,
                 citas: int = 0) -> SimulationSummary:
    if tickets < 0 or tickets > 20_000:
        raise InvalidInput("invalid_tickets", "El número de turnos debe estar entre 0 y 20000.")
    if citas < 0:
        raise InvalidInput("invalid_citas", "El número de citas no puede ser negativo.")
    tz = hub.office.tz
    rng = random.Random(seed)
    stop = datetime.combine(day, until or DOORS_CLOSE, tzinfo=tz)
    services = {s.code for s in hub.services(SYSTEM) if s.active}
    mix = {code: w for code, w in SERVICE_MIX.items() if code in services} or {
        code: 1.0 for code in services}
    all_counters = [c.number for c in hub.counters(SYSTEM)]
    if counters is not None and not 1 <= counters <= len(all_counters):
        raise InvalidInput("invalid_counters",
                           f"La oficina tiene {len(all_counters)} ventanillas: use de 1 a "
                           f"{len(all_counters)}.")
    open_numbers = all_counters[: counters or len(all_counters)]
    summary = SimulationSummary(date=day, counters=open_numbers)

    order = itertools.count()
    agenda: list[tuple[datetime, int, Callable[[], None]]] = []

    def at(when: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(agenda, (when, next(order), action))

    idle: set[int] = set()

    def serve_next(number: int) -> None:
        called = hub.call_next(SYSTEM, number)
        if called is None:
            idle.add(number)
            return
        summary.called += 1
        now = clock.now()
        if rng.random() < NO_SHOW_SHARE:
            at(now + timedelta(seconds=120), lambda: missed(number, called.id))
            return
        walk = timedelta(seconds=rng.randint(15, 75))
        at(now + walk, lambda: begin(number, called.id, called.service))

    def missed(number: int, ticket_id: str) -> None:
        hub.no_show(SYSTEM, ticket_id)
        summary.no_shows += 1
        if rng.random() < COME_BACK_SHARE:
            at(clock.now() + timedelta(minutes=rng.randint(2, 10)),
               lambda: come_back(ticket_id))
        serve_next(number)

    def come_back(ticket_id: str) -> None:
        hub.reinstate(SYSTEM, ticket_id)
        summary.reinstated += 1
        wake_idle()

    def begin(number: int, ticket_id: str, service: str) -> None:
        hub.start(SYSTEM, ticket_id)
        median = MEDIAN_SERVICE_MIN.get(service, 5.0)
        seconds = max(30, round(rng.lognormvariate(0, 0.45) * median * 60))
        at(clock.now() + timedelta(seconds=seconds), lambda: end(number, ticket_id, service))

    def end(number: int, ticket_id: str, service: str) -> None:
        others = sorted(services - {service})
        if others and rng.random() < TRANSFER_SHARE:
            target = "caja" if "caja" in others else rng.choice(others)
            hub.transfer(SYSTEM, ticket_id, target)
            summary.transfers += 1
            wake_idle()
        else:
            hub.finish(SYSTEM, ticket_id, _choice(rng, OUTCOME_MIX))
            summary.finished += 1
        serve_next(number)

    def arrive(service: str, preferential: str | None) -> None:
        hub.issue_ticket(SYSTEM, service, preferential)
        summary.issued += 1
        wake_idle()

    def wake_idle() -> None:
        for number in sorted(idle):
            idle.discard(number)
            serve_next(number)

    def open_counter(number: int) -> None:
        hub.open_counter(SYSTEM, number)
        idle.add(number)
        wake_idle()

    def check_in(document: str) -> None:
        arrival = hub.check_in_cita(SYSTEM, CheckInInput(query=document))
        summary.issued += 1
        if arrival.on_time:
            summary.citas_on_time += 1
        else:
            summary.citas_late += 1
        wake_idle()

    window = timedelta(minutes=hub.office.cita_window_minutes)
    for document, start, fate in _book_citas(hub, rng, day, citas):
        summary.citas_booked += 1
        at(start - window, wake_idle)  # its ticket may be called from then
        if fate == "on_time":
            moment = start - timedelta(seconds=rng.randint(0, 1200)) + rng.random() * window
        elif fate == "late":
            moment = start + window + timedelta(seconds=rng.randint(60, 1800))
        else:
            continue  # never comes
        at(moment, partial(check_in, document))

    opening = datetime.combine(day, OPENING, tzinfo=tz)
    for number in open_numbers:
        at(opening, partial(open_counter, number))
    for moment in _arrival_times(rng, day, tz, tickets, stop):
        preferential = (_choice(rng, PREFERENTIAL_MIX) if rng.random() < PREFERENTIAL_SHARE
                        else None)
        service = _choice(rng, mix)
        at(moment, partial(arrive, service, preferential))

    while agenda and agenda[0][0] <= stop:
        when, _, action = heapq.heappop(agenda)
        clock.set(when)
        action()
    if until is None:
        clock.set(stop)
        summary.citas_no_show = len(hub.record_cita_no_shows(SYSTEM))
        summary.expired = hub.close_day(SYSTEM).expired
    return summary


def _book_citas(hub: OfficeHub, rng: random.Random, day: date, count: int
                ) -> list[tuple[str, datetime, str]]:
    """`count` bookings of `day` made now (before the day), each with what its citizen will
    do: (DNI, slot start, fate). The simulator sets up the plan of CITA_SERVICE when no
    service takes citas; a day without enough free places is refused."""
    if count == 0:
        return []
    plans = [p for p in hub.cita_services(SYSTEM) if p.takes_citas]
    if not plans:
        plans = [hub.set_cita_plan(SYSTEM, CITA_SERVICE, CITA_PLAN)]
    booked: list[tuple[str, datetime, str]] = []
    for index in range(count):
        plan = plans[index % len(plans)]
        free = [s for s in hub.cita_slots(SYSTEM, plan.service, day).slots if s.free]
        if not free:
            raise Conflict("citas_full", f"No quedan horas de cita para {count} citas el "
                                         f"{day:%d/%m/%Y}: pida menos.")
        slot = rng.choice(free)
        document = f"{70_000_000 + index:08d}"
        hub.book_cita(SYSTEM, CitaInput(service=plan.service, start=slot.start,
                                        document=document, name=f"Ciudadano con cita {index + 1}"))
        booked.append((document, slot.start, _choice(rng, CITA_FATES)))
    return booked
