"""A demo office with a realistic week for the supervisor's screenshots (and a look by hand):
expedientes filed over the previous weeks, four whole days and this morning worked through
the real queue engine (kiosk.simulate.simulate_day) by five logged-in clerks, a share of the
citizens rating their service at the kiosk, a paused counter and a printer out of paper.

Everything goes through the hub's ordinary operations on a virtual clock, so the dashboard,
the history and the exports read the same events a real week would leave.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.demo_office import DemoOffice
from kiosk.errors import CacError
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.ids import new_id
from kiosk.rules.calendar import WorkingCalendar
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import (
    BusinessInput,
    DocumentInput,
    EdificacionDetails,
    ExpedienteInput,
    FuncionamientoDetails,
    LoginInput,
    PartidaDetails,
    PaymentInput,
    PersonInput,
    TransitionInput,
)
from kiosk.services.views import PrintJobReport, TicketView
from kiosk.simulate import simulate_day

LIMA_OFFICE = ("CAJ", "CAC Cajamarca")
MUNICIPALITY = "Municipalidad Provincial de Cajamarca"
LIMA = ZoneInfo("America/Lima")
TODAY = date(2026, 11, 20)  # a Friday
NOW = time(10, 40)  # the supervisor looks mid-morning, past the peak's start
# Counter → the clerk at it: (username, full name, PIN); ana and luis are the demo office's.
CLERKS = {1: ("ana", "Ana Torres Chávez", "2468"), 2: ("luis", "Luis Quispe Mamani", "1357"),
          3: ("marco", "Marco Vílchez Chávez", "246810"),
          4: ("elena", "Elena Chuquimango Ruiz", "135790"),
          5: ("jorge", "Jorge Sáenz Ocas", "112358")}
# Each clerk's citizens score a little differently (weights of 1..5).
SCORE_WEIGHTS = {1: (2, 3, 10, 35, 50), 2: (4, 6, 15, 40, 35), 3: (3, 5, 12, 38, 42),
                 4: (8, 12, 20, 35, 25), 5: (2, 4, 14, 40, 40)}
RATED_SHARE = 0.3
PAST_DAYS_TICKETS = 400
TODAY_TICKETS = 470  # the whole day's arrivals; about a third come before NOW


@dataclass
class DemoWeek:
    hub: OfficeHub
    clock: VirtualClock
    today: date
    supervisor_token: str
    kiosk_token: str
    days: list[date] = field(default_factory=list)

    @property
    def office(self) -> DemoOffice:
        """The week's office as the windows reach it: its devices' clients."""
        return DemoOffice(self.hub)


class StaffedHub(OfficeHub):
    """The office hub with a clerk logged in at each counter: the simulation's calls at a
    counter go through that clerk's device (so each ticket names who served it), and some
    citizens rate their service on the screen facing the counter right after it."""

    staff: dict[int, DeviceIdentity]
    screens: dict[int, DeviceIdentity]  # the rating screen of each counter
    kiosk: DeviceIdentity | None
    rng: random.Random
    _at_counter: dict[str, int]

    def prepare(self, seed: int) -> None:
        self.staff, self.screens, self.kiosk = {}, {}, None
        self.rng, self._at_counter = random.Random(seed), {}

    def _clerk(self, device: DeviceIdentity, ticket_id: str) -> DeviceIdentity:
        counter = self._at_counter.get(ticket_id)
        return self.staff.get(counter, device) if counter is not None else device

    def call_next(self, device: DeviceIdentity, counter: int) -> TicketView | None:
        called = super().call_next(self.staff.get(counter, device), counter)
        if called is not None:
            self._at_counter[called.id] = counter
        return called

    def start(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        return super().start(self._clerk(device, ticket_id), ticket_id)

    def no_show(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        return super().no_show(self._clerk(device, ticket_id), ticket_id)

    def transfer(self, device: DeviceIdentity, ticket_id: str, service: str) -> TicketView:
        return super().transfer(self._clerk(device, ticket_id), ticket_id, service)

    def finish(self, device: DeviceIdentity, ticket_id: str, outcome: str = "atendido"
               ) -> TicketView:
        counter = self._at_counter.get(ticket_id)
        done = super().finish(self._clerk(device, ticket_id), ticket_id, outcome)
        screen = self.screens.get(counter) if counter is not None else None
        if screen is not None and counter is not None and self.rng.random() < RATED_SHARE:
            score = self.rng.choices((1, 2, 3, 4, 5), weights=SCORE_WEIGHTS[counter])[0]
            self.rate_ticket(screen, ticket_id, score)
        return done


def _at(clock: VirtualClock, day: date, hour: int, minute: int = 0) -> None:
    """The office's local time (the clock keeps UTC): a clerk logs in at 07:45 in Lima, and
    their 12-hour session lasts the working day (kiosk/services/users.py)."""
    clock.set(datetime.combine(day, time(hour, minute), tzinfo=LIMA))


def _log_in(hub: StaffedHub, tokens: dict[int, str]) -> None:
    for counter, (username, _name, pin) in CLERKS.items():
        device = hub.authenticate(tokens[counter])
        session = hub.login(device, LoginInput(username=username, secret=pin, counter=counter))
        hub.staff[counter] = hub.authenticate(tokens[counter], session.token)


def demo_person(rng: random.Random) -> PersonInput:
    given = rng.choice(("María Elena", "José Luis", "Rosa", "Juan Carlos", "Flor de María",
                        "Segundo", "Carmen Rosa", "Wilder"))
    paternal = rng.choice(("Quispe", "Chávez", "Huamán", "Cabrera", "Mendoza", "Ñahui"))
    maternal = rng.choice(("Mamani", "Rojas", "Vásquez", "Cruz", "Terán"))
    return PersonInput(doc_number=f"4{rng.randint(1_000_000, 9_999_999)}", given_names=given,
                       paternal_surname=paternal, maternal_surname=maternal)


def demo_filing(rng: random.Random, kind: str, actas: list[str]) -> ExpedienteInput:
    if kind == "RC-01":  # a parent asks for a birth certificate the index holds
        return ExpedienteInput(procedure="RC-01", person=demo_person(rng),
                               requirements_presented=[1, 2], pages=1,
                               details=PartidaDetails(acta_id=rng.choice(actas),
                                                      relation="padre_madre"))
    if kind == "LF-01":
        return ExpedienteInput(
            procedure="LF-01", person=demo_person(rng), requirements_presented=[1, 2, 3],
            business=BusinessInput(ruc=rng.choice(("20123456786", "20512333797")),
                                   name="Bodega Doña Rosa E.I.R.L."),
            details=FuncionamientoDetails(establishment_address="Jr. Dos de Mayo 123",
                                          activity="Bodega", area_m2=Decimal("40"),
                                          risk="bajo"))
    return ExpedienteInput(
        procedure="LE-B", person=demo_person(rng), requirements_presented=[1, 4, 5], pages=42,
        details=EdificacionDetails(modalidad="B", work_address="Av. Atahualpa 1020",
                                   description="Vivienda de dos pisos",
                                   professional_name="Arq. Lucía Cabrera Vega",
                                   professional_registration="CAP 12345"))


def _expedientes(hub: OfficeHub, clock: VirtualClock, days: list[date], rng: random.Random,
                 clerk: DeviceIdentity, pending: list[tuple[date, str]], hour: int = 9,
                 spread_min: int = 60) -> None:
    """A few filings a day from `hour` on; most partidas resolved the next morning, licences
    slower, some left past their deadline (overdue; the licences with silencio positivo).
    `pending`: (decided on, expediente number), kept from one call to the next."""
    actas = [a.id for a in hub.search_actas(clerk, "Quispe", "nacimiento", 20)]
    for day in days:
        _at(clock, day, hour - 1, 30)
        # The hub's daily round: silencio positivo recorded where it operated (art. 199.1);
        # the citizen comes for the constancia of about half of them.
        for number in hub.record_silences(clerk):
            if rng.random() < 0.5:
                hub.record_document(clerk, number, DocumentInput(document="constancia_silencio",
                                                                 medium="pdf"))
        for decide, number in [p for p in pending if p[0] <= day]:
            pending.remove((decide, number))
            try:
                expediente = hub.expediente(clerk, number)
                if expediente.balance > 0:
                    hub.pay(clerk, number, PaymentInput(amount=expediente.balance))
                approve = rng.random() < 0.9
                hub.transition(clerk, number, TransitionInput(
                    action="approve" if approve else "deny",
                    note=None if approve else "No acreditó el requisito 2"))
            except CacError:
                continue  # a rule of the TUPA said no: the demo leaves it pending
        for index in range(rng.randint(3, 5)):  # one every `spread_min` or so
            minute = hour * 60 + index * spread_min + rng.randint(0, spread_min - 5)
            _at(clock, day, minute // 60, minute % 60)
            kind = rng.choices(("RC-01", "LF-01", "LE-B"), weights=(6, 2, 1))[0]
            try:
                filed = hub.file_expediente(clerk, demo_filing(rng, kind, actas))
            except CacError:
                continue
            if kind == "RC-01" and rng.random() < 0.97:
                pending.append((day + timedelta(days=rng.choice((0, 1, 1, 3))), filed.number))
            elif kind == "LF-01" and rng.random() < 0.5:
                pending.append((day + timedelta(days=rng.randint(3, 12)), filed.number))


def build_demo_week(root: Path, seed: int = 11, scale: float = 1.0) -> DemoWeek:
    """The demo office in `root` (a new folder), its clock at TODAY, NOW. `scale` < 1 makes
    a quieter week (tests: the same shapes, fewer tickets)."""
    tz = LIMA
    clock = VirtualClock(datetime.combine(TODAY - timedelta(days=28), time(7, 30), tzinfo=tz))
    data_dir = DataDir(root)
    OfficeHub.initialise(data_dir, *LIMA_OFFICE, demo=True, clock=clock).close()
    data_dir.save_config(replace(data_dir.load_config(), municipality=MUNICIPALITY))
    hub = StaffedHub(data_dir, clock)
    hub.prepare(seed)
    rng = random.Random(seed)
    for username, name, pin in CLERKS.values():
        if username not in ("ana", "luis"):
            hub.add_user(SYSTEM, username, name, "counter", pin)
    tokens = {n: hub.add_device(SYSTEM, f"PC de la ventanilla {n}", "counter")[1]
              for n in CLERKS}
    kiosk_token = hub.add_device(SYSTEM, "Quiosco de la entrada", "kiosk")[1]
    supervisor_token = hub.add_device(SYSTEM, "Supervisión (capturas)", "supervisor")[1]
    hub.kiosk = hub.authenticate(kiosk_token)
    hub.screens = {n: hub.authenticate(hub.add_device(
        SYSTEM, f"Calificación de la ventanilla {n}", "counter", n)[1]) for n in CLERKS}

    calendar = WorkingCalendar()
    weeks = [TODAY - timedelta(days=d) for d in range(27, 4, -1)]
    filing_days = [d for d in weeks if calendar.is_working_day(d)]
    _log_in(hub, tokens)
    pending: list[tuple[date, str]] = []
    _expedientes(hub, clock, filing_days, rng, hub.staff[3], pending)

    monday = TODAY - timedelta(days=TODAY.weekday())
    days = [monday + timedelta(days=i) for i in range(TODAY.weekday())]
    for index, day in enumerate(days):
        _at(clock, day, 7, 45)
        _log_in(hub, tokens)
        simulate_day(hub, clock, day, round(scale * (PAST_DAYS_TICKETS + 40 * (index % 3 - 1))),
                     seed=seed + index)
        # The day's filings, entered after the queue closed (the clock only moves forward)
        # and before the clerk's 12-hour session ends.
        _expedientes(hub, clock, [day], rng, hub.staff[3], pending, hour=18, spread_min=10)
    _at(clock, TODAY, 7, 45)
    _log_in(hub, tokens)
    simulate_day(hub, clock, TODAY, round(scale * TODAY_TICKETS), counters=4, seed=seed + 99,
                 until=NOW)
    # Counter 5 opens late for the peak; the kiosk's printer ran out of paper.
    hub.open_counter(hub.staff[5], 5)
    hub.pause_counter(hub.staff[5], 5, "Consulta con el supervisor")
    hub.report_print(hub.kiosk, PrintJobReport(
        id=new_id(), kind="requirements", reference="RC-01", state="failed",
        error_code="paper_out",
        error_message="La impresora del quiosco no tiene papel"))
    return DemoWeek(hub=hub, clock=clock, today=TODAY, supervisor_token=supervisor_token,
                    kiosk_token=kiosk_token, days=[*days, TODAY])
