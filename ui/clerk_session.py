"""The way out of the windows a clerk logs into (counter, supervisor, admin): asked, then the hub's
session ended and the screen cleared; a session the hub ended elsewhere says why."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import QWidget

from ui.messages import message_boxes

if TYPE_CHECKING:
    from kiosk.client.base import HubClient
    from kiosk.errors import CacError
    from ui.counter.login import LoginPage


# What the hub answers when the person's session is over: back to the login.
SESSION_ENDED = frozenset({"invalid_session", "session_ended", "clerk_required"})


class ClerkSignOut:
    sign_out_question = "¿Cerrar la sesión?"

    if TYPE_CHECKING:  # what the window provides
        login: LoginPage
        _client: HubClient

        def _clear_work(self) -> None: ...
        def load_login(self) -> None: ...
        def _call(self, work: Callable[[], Any], on_result: Callable[[Any], None],
                  on_error: Callable[[CacError], None] | None = None) -> None: ...

    def _confirm_sign_out(self) -> None:
        if message_boxes().confirm(cast(QWidget, self), "Cerrar sesión",
                                   self.sign_out_question):
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
