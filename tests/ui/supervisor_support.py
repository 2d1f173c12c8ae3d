"""Helpers for the supervisor window's tests: a morning worked through the real hub, the
window on a quiet timer, and the cells a model shows.

The window talks to the `hub` fixture's demo office through the in-process client (or HTTP on
loopback); every expectation is read from the hub's own API for the same data, or counted by
hand in the scenario's docstring.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QAbstractItemModel, Qt
from pytestqt.qtbot import QtBot

from kiosk.client.base import HubClient
from kiosk.clock import VirtualClock
from kiosk.demo_week import demo_filing
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.ids import new_id
from kiosk.services.devices import DeviceIdentity
from kiosk.services.views import PrintJobReport
from tests.conftest import START, clerk_at
from ui.supervisor.central import CentralSource
from ui.supervisor.window import SupervisorOptions, SupervisorWindow

DAY = START.date()  # Friday 20 Nov 2026
MONDAY = DAY - timedelta(days=4)
# Nothing fires on its own during a test: tests emit the timers' `timeout` themselves.
QUIET = SupervisorOptions(refresh_ms=3_600_000, sync_refresh_ms=3_600_000)


@dataclass
class Morning:
    served: list[str]  # ticket numbers finished
    waiting: list[str]
    serving: str  # at ventanilla 1


def work_morning(hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str]) -> Morning:
    """Friday 20 Nov 2026 (targets: partidas 15 min, licencias 20, caja 10):

    08:00 PA-001 (partidas, gestante), A-001, A-002 (partidas), C-001 (caja), L-001
          (licencias) issued at the kiosk; Ana opens ventanilla 1, Luis ventanilla 4.
    08:01 Ana calls PA-001 (preferential first) and starts; Luis calls C-001 and starts.
    08:04 Luis finishes C-001 (his counter's screen rates it 2); 08:05 Ana finishes PA-001
          (rated 5).
    08:06 Ana calls A-001 and starts it.
    08:20 the kiosk reports its printer out of paper.
    08:21 A-002 and L-001 have waited 21 min: past partidas' 15 and licencias' 20.
    """
    kiosk = hub.authenticate(tokens["kiosk"])

    def screen(counter: int) -> DeviceIdentity:  # the rating screen facing a counter
        return hub.authenticate(hub.add_device(SYSTEM, f"Calificación {counter}", "counter",
                                               counter)[1])

    ana = clerk_at(hub, "ana", "2468", 1)
    luis = clerk_at(hub, "luis", "1357", 4)
    clock.set(START)
    for service, preferential in (("partidas", "gestante"), ("partidas", None),
                                  ("partidas", None), ("caja", None), ("licencias", None)):
        hub.issue_ticket(kiosk, service, preferential)
    hub.open_counter(ana, 1)
    hub.open_counter(luis, 4)
    clock.set(START + timedelta(minutes=1))
    first = hub.call_next(ana, 1)
    cashier = hub.call_next(luis, 4)
    assert first is not None and cashier is not None
    assert (first.number, cashier.number) == ("PA-001", "C-001")
    hub.start(ana, first.id)
    hub.start(luis, cashier.id)
    clock.set(START + timedelta(minutes=4))
    hub.finish(luis, cashier.id)
    hub.rate_ticket(screen(4), cashier.id, 2)
    clock.set(START + timedelta(minutes=5))
    hub.finish(ana, first.id)
    hub.rate_ticket(screen(1), first.id, 5)
    clock.set(START + timedelta(minutes=6))
    second = hub.call_next(ana, 1)
    assert second is not None and second.number == "A-001"
    hub.start(ana, second.id)
    clock.set(START + timedelta(minutes=20))
    hub.report_print(kiosk, PrintJobReport(id=new_id(), kind="requirements", reference="RC-01",
                                           state="failed", error_code="paper_out",
                                           error_message="La impresora no tiene papel"))
    clock.set(START + timedelta(minutes=21))
    return Morning(served=["C-001", "PA-001"], waiting=["A-002", "L-001"], serving="A-001")


def file_expedientes(hub: OfficeHub, clock: VirtualClock, day: date) -> None:
    """On `day` at 09:00: two partidas (one approved at 10:00), a licencia de funcionamiento
    (riesgo bajo: silencio positivo) and an edificación, filed at ventanilla 3."""
    clerk = clerk_at(hub, "ana", "2468", 3)
    rng = random.Random(3)
    actas = [a.id for a in hub.search_actas(clerk, "Quispe", "nacimiento", 5)]
    clock.set(START.replace(day=day.day, hour=9))
    filed = [hub.file_expediente(clerk, demo_filing(rng, kind, actas))
             for kind in ("RC-01", "RC-01", "LF-01", "LE-B")]
    clock.set(START.replace(day=day.day, hour=10))
    from kiosk.services.expediente_views import PaymentInput

    # Paid, so approved: aprobación automática (TUO Ley 27444 art. 33).
    hub.pay(clerk, filed[0].number, PaymentInput(amount=filed[0].balance))


def monday_clock() -> VirtualClock:
    """Monday 16 Nov 2026, 07:00: a module overrides the `clock` fixture with it to work a
    week before the Friday morning."""
    return VirtualClock(datetime.combine(MONDAY, time(7, 0), tzinfo=START.tzinfo))


SUPERVISOR = ("rosa", "8642")  # the demo office's supervisor (kiosk/services/users.py)


def make_supervisor(qtbot: QtBot, client: HubClient, *, central: CentralSource | None = None,
                    wait: bool = True, user: tuple[str, str] | None = SUPERVISOR
                    ) -> SupervisorWindow:
    """The window, logged in as `user` through its login page (None: left at the login)."""
    window = SupervisorWindow(client, QUIET, tz=START.tzinfo, central=central)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)  # shortcuts need an active window
    if user is None:
        return window
    log_in(qtbot, window, user)
    if wait:
        qtbot.waitUntil(lambda: window.live is not None and window.report is not None,
                        timeout=20_000)
    return window


def cells(model: QAbstractItemModel) -> list[list[str]]:
    return [[str(model.index(row, column).data(Qt.ItemDataRole.DisplayRole))
             for column in range(model.columnCount())] for row in range(model.rowCount())]


def headers(model: QAbstractItemModel) -> list[str]:
    return [str(model.headerData(c, Qt.Orientation.Horizontal)).replace("\n", " ")
            for c in range(model.columnCount())]


def parse_csv(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def same_number(shown: str, exported: str) -> bool:
    """A cell on screen («1,234», «7.5», «4.25», «—») against the CSV's («1234», «7.5», «»)."""
    if shown == "—":
        return exported == ""
    return exported != "" and abs(float(shown.replace(",", "")) - float(exported)) < 1e-9


def hub_client(hub: OfficeHub, token: str) -> HubClient:
    from kiosk.client.inprocess import InProcessHubClient

    return InProcessHubClient(hub, token)


def log_in(qtbot: QtBot, window: SupervisorWindow, user: tuple[str, str] = SUPERVISOR) -> None:
    """Type the user and PIN and press Enter, as a supervisor does."""
    qtbot.waitUntil(lambda: bool(window.login.office.text()), timeout=10_000)
    qtbot.keyClicks(window.login.username, user[0])
    qtbot.keyClicks(window.login.secret, user[1])
    qtbot.keyClick(window.login.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session is not None or bool(window.login.notice.text()),
                    timeout=10_000)
