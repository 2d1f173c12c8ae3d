"""The administrator's window: services, counters, users, devices, the printer and the
office's settings.

`AdminWindow(client)` works with any HubClient (in-process in `cac app --windows admin`,
HTTP in `cac admin --hub URL --token T`). The device must be an admin device and every page
needs an administrator logged in (user + PIN; an initial PIN is changed first). Every hub
call runs on the window's worker thread (HubCaller); results come back on the GUI thread.
The hub's refusals are shown in Spanish on the tab where they happened, and the form keeps
what was typed; the hub away shows the amber line and the window retries.
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass
from datetime import tzinfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.client.base import HubClient
from kiosk.errors import HubUnavailable
from kiosk.services.admin_views import OfficeSettings
from kiosk.services.expediente_views import ClerkSession
from kiosk.services.views import HealthView
from ui.admin import texts
from ui.admin.access_tab import AccessTab
from ui.admin.calendar_tab import CalendarTab
from ui.admin.counters_tab import CountersTab
from ui.admin.devices_tab import DevicesTab
from ui.admin.login import AdminLoginPage, admin_lock_page
from ui.admin.notices_tab import NoticesTab
from ui.admin.services_tab import ServicesTab
from ui.admin.settings_tabs import OfficeTab, PrinterTab, SettingsTab
from ui.admin.signing_tab import SigningTab
from ui.admin.style import ADMIN_STYLE
from ui.admin.users_tab import UsersTab
from ui.admin.widgets import AdminTab
from ui.counter.login import ChangeSecretPage
from ui.counter.widgets import Notice, button, label
from ui.hub_calls import HubCaller
from ui.lan_warning import warned_pages
from ui.staff_window import StaffWindow, run_window

log = logging.getLogger(__name__)

TITLE = "CAC — Administración"
TABS = ("services", "counters", "users", "devices", "printer", "office", "calendar",
        "signing", "access", "notices")
# The hub's answers meaning "this user is no longer logged in here" (not a wrong PIN).


@dataclass(frozen=True)
class AdminOptions:
    retry_ms: int = 3_000  # after the hub could not be reached
    sync_refresh_ms: int = 30_000  # the sync line of the top bar
    idle_lock_s: int | None = None  # None: the session's (the office's setting)


class WorkPage(QWidget):
    """The top bar (office, sync line, who, lock, sign out), the banner and the tabs."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("page")
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        top = QWidget()
        top.setObjectName("topBar")
        top.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.bar = QHBoxLayout(top)
        self.bar.setContentsMargins(14, 6, 10, 6)
        self.office = label("Administración", "topTitle", wrap=False)
        self.who = label("", wrap=False)
        self.lock = button("Bloquear", "Ctrl+L", "topButton")
        self.sign_out = QPushButton("Cerrar sesión")
        self.sign_out.setObjectName("topButton")
        self.bar.addWidget(self.office)
        self.bar.addStretch(1)
        self.bar.addWidget(self.who)
        self.bar.addSpacing(12)
        self.bar.addWidget(self.lock)
        self.bar.addWidget(self.sign_out)
        for widget in (self.lock, self.sign_out):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        root.addWidget(top)
        self.banner = Notice()
        root.addWidget(self.banner)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(10, 8, 10, 8)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        body_layout.addWidget(self.tabs)
        root.addWidget(body, 1)


class AdminWindow(StaffWindow):
    sign_out_question = "¿Cerrar la sesión de administración?"
    offline_text = texts.OFFLINE
    offline_says_why = True  # the client's own words (which hub, what failed)
    offline_note = " Lo escrito en los formularios se conserva."

    def __init__(self, client: HubClient, options: AdminOptions | None = None, *,
                 tz: tzinfo | None = None, caller: HubCaller | None = None) -> None:
        options = options or AdminOptions()
        super().__init__(client, tz=tz, caller=caller, retry_ms=options.retry_ms,
                         sync_refresh_ms=options.sync_refresh_ms)
        self.options = options
        self.setObjectName("adminWindow")
        self.setWindowTitle(TITLE)
        self.setStyleSheet(ADMIN_STYLE)
        self.idle_lock_s = options.idle_lock_s
        self.office_name = ""

        self.stack, self.lan_warning = warned_pages(self)
        self.login = AdminLoginPage()
        self.lock = admin_lock_page()
        self.change_secret = ChangeSecretPage()
        self.work = WorkPage()
        for page in (self.login, self.lock, self.change_secret, self.work):
            self.stack.addWidget(page)
        self.tabs = self.work.tabs
        self.banner = self.work.banner
        run = self._call
        self.services = ServicesTab(client, run)
        self.counters = CountersTab(client, run)
        self.users = UsersTab(client, run, self.tz)
        self.devices = DevicesTab(client, run, self.tz)
        self.printer = PrinterTab(client, run, self.tz)
        self.office = OfficeTab(client, run)
        self.calendar = CalendarTab(client, run)
        self.signing = SigningTab(client, run)
        self.access = AccessTab(client, run, self.tz)
        self.notices = NoticesTab(client, run)
        self.pages: dict[str, AdminTab] = {
            "services": self.services, "counters": self.counters, "users": self.users,
            "devices": self.devices, "printer": self.printer, "office": self.office,
            "calendar": self.calendar, "signing": self.signing, "access": self.access,
            "notices": self.notices}
        # Ten tabs and their shortcuts across 1366 px: a smaller font and padding than
        # elsewhere, so all fit with no scroll arrows.
        self.tabs.tabBar().setStyleSheet("QTabBar::tab { padding: 6px 5px; font-size: 13px; }")
        for index, name in enumerate(TABS):
            tab = self.pages[name]
            key = f"Ctrl+{(index + 1) % 10}"  # the tenth is Ctrl+0, as on the keyboard's row
            self.tabs.addTab(tab, f"{tab.title} ({key})")
            self.tabs.setTabToolTip(index, f"{tab.title} — tecla {key}")
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda at=index: self.tabs.setCurrentIndex(at))
        QShortcut(QKeySequence("F5"), self).activated.connect(self.reload_current)
        self.work.bar.insertWidget(1, self.sync_line)
        self.idle.idle.connect(self.lock_screen)

        self.login.credentials.connect(self.sign_in)
        self.lock.unlock.connect(self.unlock)
        self.lock.logout.connect(self.sign_out)
        self.change_secret.submitted.connect(self.save_secret)
        self.change_secret.logout.connect(self.sign_out)
        self.work.lock.clicked.connect(lambda: self.lock_screen(idle=False))
        self.work.sign_out.clicked.connect(self._confirm_sign_out)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.printer.saved.connect(self._settings_saved)
        self.office.saved.connect(self._settings_saved)
        self.calendar.saved.connect(self._settings_saved)
        self.notices.saved.connect(self._settings_saved)
        self.signing.saved.connect(self._settings_saved)

        self.stack.setCurrentWidget(self.login)
        self.load_login()

    # --- tabs -----------------------------------------------------------------------------

    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(name))

    def _tab_changed(self, _index: int) -> None:
        """A tab asks the hub the first time it is shown; F5 asks again."""
        if self.session is None or self.stack.currentWidget() is not self.work:
            return
        page = self.pages[self.current_tab()]
        if page.loads == 0:
            page.load()

    def reload_current(self) -> None:
        if self.session is not None and self.stack.currentWidget() is self.work:
            self.pages[self.current_tab()].load()

    def _settings_saved(self, settings: OfficeSettings) -> None:
        """One settings tab saved: the other knows what the hub holds now."""
        for page in (self.printer, self.office, self.calendar, self.notices, self.signing):
            if page is not self.sender() and isinstance(page, SettingsTab):
                page.adopt(settings)
        if settings.office_name != self.office_name:
            self._show_office(settings.office_name)

    # --- the shell's hooks ----------------------------------------------------------------

    def _retry_work(self) -> None:
        if self.stack.currentWidget() is not self.work:
            return
        page = self.pages[self.current_tab()]
        if page.loads == 0:
            page.load()
        else:  # the hub is back? one light question says it, nothing is reloaded
            client = self._client
            self._call(client.health, lambda _health: None, lambda _error: None)

    # --- login, lock, logout --------------------------------------------------------------

    def load_login(self) -> None:
        client = self._client
        self._call(client.health, self._show_office,
                   lambda error: None if isinstance(error, HubUnavailable)
                   else self.login.show_error(error.message))

    def _show_office(self, health: HealthView | str) -> None:
        if isinstance(health, HealthView):
            self.lan_warning.show_for(health)
        name = health.name if isinstance(health, HealthView) else health
        self.office_name = name
        self.login.office.setText(name)
        self.work.office.setText(f"{name} · Administración")
        if not self.login.username.text():
            self.login.username.setFocus()

    def sign_in(self, username: str, secret: str) -> None:
        self.login.set_busy(True)
        client = self._client
        self._call(lambda: client.login(username, secret, None), self._signed_in,
                   lambda error: self.login.refused(error.message))

    def _signed_in(self, session: ClerkSession) -> None:
        if session.user.role != "admin":
            client = self._client
            self._call(client.logout, lambda _r: None, lambda _e: None)
            self.login.refused(f"{session.user.full_name} no es administrador: esta ventana "
                               "es solo para el administrador de la oficina.")
            return
        self.session = session
        self.login.reset()
        self.work.who.setText(session.user.full_name)
        if session.user.must_change:  # the hub refuses any work until it is changed
            self.change_secret.show_for(session.user.full_name)
            self.stack.setCurrentWidget(self.change_secret)
            return
        self._enter()

    def _enter(self) -> None:
        self.stack.setCurrentWidget(self.work)
        self._arm_idle()
        self.sync_line.start()
        page = self.pages[self.current_tab()]
        if page.loads == 0:
            page.load()

    def _secret_saved(self) -> None:
        self._enter()

    def lock_screen(self, idle: bool = True) -> None:
        if self.session is None or self.stack.currentWidget() is not self.work:
            return
        self.idle.disarm()
        self.sync_line.stop()
        self.users.secret.forget()  # a PIN or a code is never left on screen
        self.devices.code.forget()
        self.lock.show_for(f"{self.session.user.full_name} · Administración", idle)
        self.stack.setCurrentWidget(self.lock)

    def unlock(self, secret: str) -> None:
        session = self.session
        if session is None:
            return
        self.lock.set_busy(True)
        client = self._client

        def unlocked(fresh: ClerkSession) -> None:
            self.session = fresh
            self._enter()

        self._call(lambda: client.login(session.user.username, secret, None), unlocked,
                   lambda error: self.lock.refused(error.message))

    def _clear_work(self) -> None:
        """Back to the login: nothing of the last session stays on screen."""
        self.session = None
        self.idle.disarm()
        self.sync_line.stop()
        for page in self.pages.values():
            page.clear()
            page.loads = 0
        self.banner.clear_message()
        self.work.who.clear()
        self.stack.setCurrentWidget(self.login)

def run_admin(args: argparse.Namespace) -> int:
    from ui.connect import remote_client

    return run_window(lambda: AdminWindow(remote_client(args.hub, args.token,
                                                        getattr(args, "ca", None))),
                      args.windowed)
