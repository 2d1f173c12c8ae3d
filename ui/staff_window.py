"""The shell of the windows a person logs into (counter, supervisor, admin): their hub calls
(worker thread, the amber line while the hub is away and the retry, a session the hub ended),
the way out (asked, then the hub's session ended and the screen cleared), the idle lock, the
shutdown, and `run_window()` for their `cac counter|supervisor|admin` commands.

A window subclasses `StaffWindow`, builds its pages (`login`, `banner`, `stack`, …) and says
what it does on a retry (`_retry_work`) and when the screen is cleared (`_clear_work`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from kiosk.client.base import HubClient
from kiosk.errors import CacError, HubUnavailable, Unauthorized
from kiosk.services.expediente_views import ClerkSession
from ui.counter.idle import IdleLock
from ui.counter.login import ChangeSecretPage, LoginPage
from ui.counter.widgets import Notice
from ui.hub_calls import HubCaller
from ui.local_time import local_timezone
from ui.messages import message_boxes
from ui.sync_status import SyncStatusLabel

# What the hub answers when the person's session is over: back to the login.
SESSION_ENDED = frozenset({"invalid_session", "session_ended", "clerk_required"})
WINDOWED_SIZE = (1366, 768)  # a counter PC's screen


class StaffWindow(QMainWindow):
    sign_out_question = "¿Cerrar la sesión?"
    offline_text = ""  # the window's «the hub cannot be reached»
    offline_says_why = False  # the error's own message instead of offline_text
    offline_note = ""  # added on the banner (not on the login)
    offline_on_login = True  # the login page says it too, and the window retries

    # What the window builds.
    stack: QStackedWidget
    login: LoginPage
    change_secret: ChangeSecretPage  # a new PIN, when the hub asks for one
    banner: Notice  # the line under the top bar: the hub away, refusals nobody else shows

    def __init__(self, client: HubClient, *, tz: tzinfo | None, caller: HubCaller | None,
                 retry_ms: int | None = None, sync_refresh_ms: int | None = None) -> None:
        super().__init__()
        self._client = client
        self.tz = tz or local_timezone()
        self._caller = caller or HubCaller(self)
        self.session: ClerkSession | None = None
        self.last_error: CacError | None = None
        self.offline = False
        self._timers: list[QTimer] = []
        # The link with central, for the top bar (own caller: never delays the person's work).
        self.sync_line = SyncStatusLabel(client.sync_status) if sync_refresh_ms is None else \
            SyncStatusLabel(client.sync_status, interval_ms=sync_refresh_ms)
        self.retry_timer = self._timer(retry_ms or 0, self._retry, single_shot=True)
        self.idle = IdleLock(self)  # armed by the windows that lock (personal data on screen)
        self.idle_lock_s: int | None = None  # None: the session's (the office's setting)

    def _timer(self, interval_ms: int, timeout: Callable[[], None],
               single_shot: bool = False) -> QTimer:
        """A timer of the window: stopped at shutdown."""
        timer = QTimer(self)
        timer.setSingleShot(single_shot)
        timer.setInterval(interval_ms)
        timer.timeout.connect(timeout)
        self._timers.append(timer)
        return timer

    # --- hub calls ------------------------------------------------------------------------

    def _call(self, work: Callable[[], Any], on_result: Callable[[Any], None],
              on_error: Callable[[CacError], None] | None = None,
              always: Callable[[], None] | None = None) -> None:
        """`work` on the worker thread, `on_result` with its answer on this one. The hub away
        is the window's (the banner, a retry) and so is a session that ended (back to the
        login); `on_error` hears the rest. `always` runs first either way."""
        def done(result: Any) -> None:
            if always is not None:
                always()
            self._set_offline(False)
            on_result(result)

        def failed(error: CacError) -> None:
            self.last_error = error
            if always is not None:
                always()
            self._failed(error, on_error)

        self._caller.call(work, done, failed)

    def save_secret(self, current: str, new: str) -> None:
        """The clerk's new PIN (the change page's answer); the work follows once saved."""
        client = self._client

        def saved(user: Any) -> None:
            assert self.session is not None
            self.session = self.session.model_copy(update={"user": user})
            self._secret_saved()

        self._call(lambda: client.change_secret(current, new), saved,
                   lambda error: self.change_secret.refused(self._secret_refusal(error)))

    def _secret_saved(self) -> None:
        """After a new PIN: the window's work page."""
        raise NotImplementedError

    def _secret_refusal(self, error: CacError) -> str:
        return error.message

    def _failed(self, error: CacError, on_error: Callable[[CacError], None] | None) -> None:
        if isinstance(error, HubUnavailable):
            self._set_offline(True, error.message)
        elif self._session_over(error):
            self._session_ended(error.message)
            return
        if on_error is not None:
            on_error(error)
        elif not isinstance(error, HubUnavailable):
            self.show_error(error.message)

    def _session_over(self, error: CacError) -> bool:
        return isinstance(error, Unauthorized) and error.code in SESSION_ENDED \
            and self.session is not None

    def show_error(self, message: str) -> None:
        """A refusal of the hub (already in Spanish) no form asked for."""
        self.banner.show_message(message, "error")

    def _set_offline(self, offline: bool, message: str = "") -> None:
        if not offline:
            if self.offline or self.offline_on_login:
                self.banner.clear_message("offline")
            if self.offline_on_login:
                self.login.notice.clear_message("offline")
            self.offline = False
            return
        self.offline = True
        text = message if self.offline_says_why and message else self.offline_text
        self.banner.show_message(text + self.offline_note, "offline")
        if self.offline_on_login:
            self.login.notice.show_message(text, "offline")
            self.retry_timer.start()

    def _retry(self) -> None:
        if self.stack.currentWidget() is self.login:
            self.load_login()
        elif self.session is not None:
            self._retry_work()

    def _retry_work(self) -> None:
        """The hub is back? Ask again what the page on screen shows."""

    # --- login, idle lock, logout ---------------------------------------------------------

    def load_login(self) -> None:
        raise NotImplementedError

    def _clear_work(self) -> None:
        """Back to the login: nothing of the last session stays on screen."""
        raise NotImplementedError

    def _arm_idle(self) -> None:
        seconds = self.idle_lock_s
        if seconds is None and self.session is not None:
            seconds = self.session.idle_lock_s
        self.idle.arm(seconds or 0)

    def _confirm_sign_out(self) -> None:
        if message_boxes().confirm(self, "Cerrar sesión", self.sign_out_question):
            self.sign_out()

    def sign_out(self) -> None:
        client = self._client

        def done(_result: object = None) -> None:
            self._clear_work()
            self.login.reset()
            self.load_login()

        self._call(client.logout, done, lambda _error: done())

    def _session_ended(self, message: str) -> None:
        self._clear_work()
        self.login.reset()
        self.login.show_error(message)
        self.load_login()

    # --- lifecycle ------------------------------------------------------------------------

    def shutdown(self) -> None:
        """The window ends (closed, its command stopped, SIGTERM, Ctrl+C): the timers and
        the work in flight stop first, then `_at_shutdown`."""
        for timer in self._timers:
            timer.stop()
        self.sync_line.stop()
        self.idle.disarm()
        self._caller.wait_idle()
        self.sync_line.wait_idle()
        self._at_shutdown()

    def _at_shutdown(self) -> None:
        """What the window still tells the hub as it ends (nothing by default)."""

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)


def run_window(build: Callable[[], StaffWindow], windowed: bool,
               after: Callable[[], None] | None = None) -> int:
    """`cac counter|supervisor|admin`: the window built once Qt runs, maximised (or at a
    counter PC's size with `--windowed`) until it closes; shut down, then `after`."""
    from ui.qt_app import application

    app = application()
    window = build()
    if windowed:
        window.resize(*WINDOWED_SIZE)
        window.show()
    else:
        window.showMaximized()
    code = int(app.exec())
    window.shutdown()
    if after is not None:
        after()
    QCoreApplication.processEvents()
    return code
