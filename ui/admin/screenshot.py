"""Render the admin window to PNG files (for `make screenshots` and for review).

The window runs in-process against a throwaway demo office, logged in as the demo
administrator; each tab is reached the way an administrator would reach it, with something
done on it: a counter chosen, a new user's initial PIN on screen, a pairing code, a test
page printed (simulated printer), the office's logo uploaded.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen

from kiosk.demo_office import DemoOffice
from kiosk.errors import CacError
from kiosk.ids import new_id
from kiosk.services.admin_views import ServiceChange
from kiosk.services.calendar_views import OfficeDayInput
from kiosk.services.views import PrintJobReport
from kiosk.signing.demo import P12_PASSWORD, make_authority
from ui.admin.widgets import choose
from ui.admin.window import AdminOptions, AdminWindow
from ui.capture import shooter
from ui.files import set_file_dialogs
from ui.qt_app import application, process_events_until

SIZE = (1366, 768)
SCREENS = ("ingreso", "servicios", "ventanillas", "usuarios", "dispositivos", "impresora",
           "oficina", "calendario", "firma", "accesos", "avisos")
ADMIN = ("admin", "97531")  # the demo office's administrator (kiosk/services/users.py)
QUIET = AdminOptions(retry_ms=3_600_000, sync_refresh_ms=3_600_000, idle_lock_s=0)


def screen_file(directory: Path, name: str) -> Path:
    return directory / f"administracion-{name}.png"


def sample_logo_png(width: int = 320, height: int = 120) -> bytes:
    """A municipality's emblem as a small black-and-white PNG: a shield and the name."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    h = height
    shield = QPainterPath()
    shield.moveTo(8, 6)
    shield.lineTo(h - 8, 6)
    shield.lineTo(h - 8, h * 0.55)
    shield.quadTo(h - 8, h - 8, h / 2, h - 4)
    shield.quadTo(8, h - 8, 8, h * 0.55)
    shield.closeSubpath()
    painter.setPen(QPen(QColor("black"), 4))
    painter.setBrush(QColor("#222222"))
    painter.drawPath(shield)
    painter.setPen(QColor("white"))
    font = QFont("DejaVu Sans")
    font.setBold(True)
    font.setPixelSize(max(10, h // 4))
    painter.setFont(font)
    painter.drawText(QRectF(8, 6, h - 16, h - 20), Qt.AlignmentFlag.AlignCenter, "MPC")
    painter.setPen(QColor("black"))
    font.setPixelSize(max(8, h // 7))
    painter.setFont(font)
    painter.drawText(QRectF(h + 6, 0, width - h - 10, h),
                     Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                     "Municipalidad\nProvincial de\nCajamarca")
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # PySide takes str here
    buffer.close()
    return bytes(data.data())


def _prepare(office: DemoOffice) -> str:
    """A few devices (one revoked), a service taken out of the kiosk and a clerk locked out
    after mistyping the PIN: the tables show what an administrator looks for."""
    token = office.device("Administración", "admin")
    tokens = {name: office.device(name, role, counter) for name, role, counter in (
        ("Quiosco de la entrada", "kiosk", None), ("TV de la sala", "display", None),
        ("Ventanilla 1", "counter", 1), ("Calificación de la ventanilla 1", "counter", 1),
        ("Ventanilla 2", "counter", None))}
    admin = office.client(token)
    admin.login(*ADMIN)
    admin.change_service("mesa", ServiceChange(active=False))
    old = next(d for d in admin.admin_devices() if d.name == "Ventanilla 2")
    admin.revoke_device(old.id)
    year = datetime.now(office.tz).year  # the office's own days, in the calendar's list
    for day, name in ((date(year, 12, 31), "Aniversario de la creación del distrito"),
                      (date(year + 1, 1, 2), "Día no laborable por la feria patronal")):
        admin.add_office_day(OfficeDayInput(day=day, name=name))
    admin.logout()
    kiosk = office.client(tokens["Quiosco de la entrada"])
    for service in ("partidas", "licencias", "caja"):
        ticket = kiosk.issue_ticket(service)
        kiosk.report_print(PrintJobReport(id=new_id(), kind="ticket", reference=ticket.id,
                                          state="printed"))
    kiosk.report_print(PrintJobReport(id=new_id(), kind="ticket", reference=ticket.id,
                                      state="failed", error_code="paper_out",
                                      error_message="La impresora no tiene papel"))
    counter = office.client(tokens["Ventanilla 1"])
    counter.login("ana", "2468", 1)  # ana looks a citizen up: the access log has rows
    counter.find_persons("Quispe")
    counter.search_actas("Quispe Mamani")
    counter.logout()
    for _attempt in range(office.config.login_attempts):
        with contextlib.suppress(CacError):
            counter.login("luis", "0000", 1)
    return token


def _wait(done: Callable[[], bool], what: str) -> None:
    if not process_events_until(done, 30_000):
        raise RuntimeError(f"admin screenshot: gave up waiting for {what}")


def save_admin_screenshots(directory: Path) -> list[Path]:
    application()
    directory.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        demo = DemoOffice.create(Path(tmp) / "oficina")
        token = _prepare(demo)
        window = AdminWindow(demo.client(token), QUIET, tz=demo.tz)
        try:
            window.resize(*SIZE)
            window.show()

            shot = shooter(window, partial(screen_file, directory), saved)

            _wait(lambda: bool(window.office_name), "the office's name")
            window.login.username.setText(ADMIN[0])
            shot("ingreso")
            window.login.secret.setText(ADMIN[1])
            window.login.submit()
            _wait(lambda: window.services.loads > 0, "the services")
            window.services.table.selectRow(1)
            shot("servicios")

            window.show_tab("counters")
            _wait(lambda: window.counters.loads > 0, "the counters")
            window.counters.table.selectRow(2)
            window.counters.served_view.setCurrentIndex(window.counters.served.index(0))
            shot("ventanillas")

            window.show_tab("users")
            users = window.users
            _wait(lambda: users.loads > 0, "the users")
            users.username.setText("mrojas")
            users.full_name.setText("María Rojas Salazar")
            users.submit()
            _wait(lambda: bool(users.secret.value.text()) and users.loads > 1, "the new user")
            shot("usuarios")

            window.show_tab("devices")
            devices = window.devices
            _wait(lambda: devices.loads > 0, "the devices")
            devices.name.setText("Quiosco del segundo piso")
            devices.submit()
            _wait(lambda: devices.last_code is not None and devices.loads > 1, "the code")
            shot("dispositivos")

            window.show_tab("printer")
            printer = window.printer
            _wait(lambda: printer.loads > 0, "the printer settings")
            choose(printer.backend, "dummy")  # the demo office has no printer attached
            printer.submit()
            _wait(lambda: printer.loads > 1, "the simulated printer")
            printer.print_test()
            _wait(lambda: printer.last_test is not None or printer.notice.kind == "error",
                  "the test page")
            shot("impresora")

            window.show_tab("office")
            office = window.office
            _wait(lambda: office.loads > 0, "the office settings")
            logo = Path(tmp) / "logo.png"
            logo.write_bytes(sample_logo_png())
            previous = set_file_dialogs(_Answer(logo))
            try:
                office.upload_logo()
                _wait(lambda: office.logo.image is not None
                      or office.logo_notice.kind == "error", "the logo")
            finally:
                set_file_dialogs(previous)
            office.municipality.setText("Municipalidad Provincial de Cajamarca")
            office.idle_lock.setValue(10)
            office.retention.setValue(730)
            office.central_url.setText("https://central.cajamarca.gob.pe")
            office.credential.setText("cred-caj-2026")
            office.public_url.setText("https://tramites.cajamarca.gob.pe")
            office.submit()
            _wait(lambda: office.notice.kind == "info" or office.notice.kind == "error",
                  "the saved settings")
            shot("oficina")

            window.show_tab("calendar")
            calendar = window.calendar
            _wait(lambda: calendar.loads > 0, "the calendar")
            calendar.ubigeo.setText("060101")
            calendar.cutoff.setText("17:00")
            calendar.submit()
            _wait(lambda: calendar.notice.kind in ("info", "error"), "the saved calendar")
            _wait(lambda: calendar.days_model.rowCount() > 0, "the days")
            shot("calendario")

            window.show_tab("signing")
            signing = window.signing
            _wait(lambda: signing.loads > 0, "the signing certificate")
            p12 = Path(tmp) / "firma-municipalidad.p12"
            p12.write_bytes(make_authority(datetime.now(demo.tz)).p12)
            previous = set_file_dialogs(_Answer(p12))
            try:
                signing.choose_file()
            finally:
                set_file_dialogs(previous)
            signing.password.setText(P12_PASSWORD)
            signing.import_certificate()
            _wait(lambda: signing.certificate_notice.kind in ("info", "error"),
                  "the imported certificate")
            signing.users.setText("ana")
            signing.place.setText("Cajamarca, Perú")
            signing.submit()
            _wait(lambda: signing.notice.kind in ("info", "error"), "the signing settings")
            shot("firma")

            window.show_tab("access")
            _wait(lambda: window.access.loads > 0, "the access log")
            shot("accesos")

            window.show_tab("notices")
            notices = window.notices
            _wait(lambda: notices.loads > 0, "the notice settings")
            for name, text in (("notice_smtp_host", "smtp.cajamarca.gob.pe"),
                               ("notice_sender", "avisos@cajamarca.gob.pe"),
                               ("notice_smtp_user", "avisos"),
                               ("notice_smtp_password", "contraseña-de-ejemplo"),
                               ("notice_sms_url", "https://sms.proveedor.pe/v1/send"),
                               ("notice_sms_key", "clave-de-ejemplo")):
                notices.fields.line(name).setText(text)
            notices.submit()
            _wait(lambda: notices.notice.kind in ("info", "error"), "the saved notices")
            shot("avisos")
        finally:
            window.shutdown()
            window.close()
            demo.close()
    return saved


class _Answer:
    """The file dialog, answered with one path (as the tests' stand-in does)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def open_file(self, parent: object, title: str, filters: str) -> Path | None:
        return self.path

    def save_file(self, parent: object, title: str, suggested: str, filters: str
                  ) -> Path | None:
        return None
