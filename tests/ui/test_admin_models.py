"""Every item model of the admin window through pytest-qt's model tester, filled with what
the real hub reports, and the colours and order an administrator relies on."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QColor
from pytestqt.modeltest import ModelTester

from kiosk.client.inprocess import InProcessHubClient
from kiosk.errors import CacError
from kiosk.hub import OfficeHub
from kiosk.ids import new_id
from kiosk.services.admin_views import PairingInput
from kiosk.services.views import PrintJobReport
from tests.ui.admin_support import admin_session, cells
from ui.admin import models


def _fill(hub: OfficeHub, tokens: dict[str, str]) -> dict[str, QAbstractItemModel]:
    admin = admin_session(hub)
    services = admin.admin_services()
    counters = admin.admin_counters()
    built: dict[str, QAbstractItemModel] = {}
    services_model = models.ServicesModel()
    services_model.set_rows(services)
    counters_model = models.CountersModel()
    counters_model.set_services(services)
    counters_model.set_rows(counters)
    served = models.ServedModel()
    served.set_services(services)
    served.set_codes(counters[0].services)
    users = models.UsersModel()
    users.set_users(admin.admin_users(), hub.clock.now())
    admin.create_pairing(PairingInput(name="Quiosco nuevo", role="kiosk"))
    devices = models.DevicesModel()
    devices.set_rows(admin.admin_devices())
    pairings = models.PairingsModel()
    pairings.set_rows(admin.pairings())
    kiosk = hub.authenticate(tokens["kiosk"])
    printed = hub.issue_ticket(kiosk, "caja")
    hub.report_print(kiosk, PrintJobReport(id=new_id(), kind="ticket", reference=printed.id,
                                           state="failed", error_code="paper_out",
                                           error_message="La impresora no tiene papel"))
    jobs = models.PrintJobsModel(hub.config.tz)
    jobs.set_rows(admin.print_jobs())
    assert cells(jobs)[0][1:] == ["kiosk de prueba", "Turno", "Falló: La impresora no tiene "
                                                              "papel"]
    assert _colour(jobs, 0, 3, Qt.ItemDataRole.BackgroundRole) == models.RED_BG
    built.update(services=services_model, counters=counters_model, served=served,
                 users=users, devices=devices, pairings=pairings, jobs=jobs)
    return built


def test_every_model_passes_the_model_tester(qtmodeltester: ModelTester, hub: OfficeHub,
                                             tokens: dict[str, str]) -> None:
    for name, model in _fill(hub, tokens).items():
        assert model.rowCount() > 0, name  # the tester checked real rows
        qtmodeltester.check(model)
    for empty in (models.ServicesModel(), models.ServedModel(), models.UsersModel(),
                  models.DevicesModel(), models.PairingsModel(), models.PrintJobsModel()):
        qtmodeltester.check(empty)


def test_moving_a_served_service_keeps_the_model_consistent(qtmodeltester: ModelTester,
                                                            hub: OfficeHub,
                                                            tokens: dict[str, str]) -> None:
    admin = admin_session(hub)
    services = admin.admin_services()
    served = models.ServedModel()
    served.set_services(services)
    codes = [s.code for s in services]
    served.set_codes(codes)
    qtmodeltester.check(served, force_py=True)  # watches the move signals from here on
    assert served.move(0, 1) == 1
    assert served.codes() == [codes[1], codes[0], *codes[2:]]
    last = len(codes) - 1
    assert served.move(last, -1) == last - 1
    assert served.codes()[-2:] == [codes[-1], codes[-2]]
    assert served.move(0, -1) == 0  # the first cannot go higher
    assert served.remove(0) and served.codes()[0] == codes[0]
    assert served.add(codes[1]) == len(codes) - 1  # back, last in preference
    assert served.add(codes[1]) == len(codes) - 1  # never twice
    first = served.index(0).data(Qt.ItemDataRole.DisplayRole)
    service = next(s for s in services if s.code == codes[0])
    assert first == f"{service.prefix} · {service.name}"
    assert served.headerData(0, Qt.Orientation.Vertical) == "1.º"


def _colour(model: QAbstractItemModel, row: int, column: int, role: Qt.ItemDataRole
            ) -> QColor | None:
    value = model.index(row, column).data(role)
    return value if isinstance(value, QColor) else None


def test_locked_users_are_red_and_revoked_devices_grey(hub: OfficeHub,
                                                       tokens: dict[str, str]) -> None:
    counter = InProcessHubClient(hub, tokens["counter"])
    for _attempt in range(hub.config.login_attempts):  # luis mistypes his PIN
        with contextlib.suppress(CacError):
            counter.login("luis", "0000", 1)
    admin = admin_session(hub)
    users = models.UsersModel(hub.config.tz)
    listed = admin.admin_users()
    users.set_users(listed, hub.clock.now())
    row = users.find("luis")
    luis = listed[row]
    assert luis.locked_until is not None
    shown = cells(users)[row]
    assert shown[3] == (f"Bloqueado hasta las "
                        f"{luis.locked_until.astimezone(hub.config.tz):%H:%M}")
    assert shown[4] == str(luis.failed_logins)
    assert _colour(users, row, 3, Qt.ItemDataRole.BackgroundRole) == models.RED_BG
    other = users.find("ana")
    assert cells(users)[other][3] == "Activo"
    assert _colour(users, other, 3, Qt.ItemDataRole.BackgroundRole) is None

    device = next(d for d in admin.admin_devices() if d.role == "display")
    revoked = admin.revoke_device(device.id)
    devices = models.DevicesModel(hub.config.tz)
    devices.set_rows(admin.admin_devices())
    row = devices.find(device.id)
    assert revoked.revoked_at is not None
    assert cells(devices)[row][4].startswith("Revocado el ")
    assert _colour(devices, row, 0, Qt.ItemDataRole.ForegroundRole) == models.GREY_FG
