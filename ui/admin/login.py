"""The administrator's login: the counter's login page (user + masked PIN) without a counter
to choose; the lock and change-PIN pages are the counter's own (ui/counter/login.py)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QWidget

from ui.counter.login import LockPage, LoginPage


class AdminLoginPage(LoginPage):
    """`credentials(username, secret)`; the counter row is hidden."""

    credentials = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title.setText("Administración — ingreso")
        box = self.counter.parentWidget()
        layout = box.layout() if box is not None else None
        for i in range(layout.count() if layout is not None else 0):
            item = layout.itemAt(i) if layout is not None else None
            form = item.layout() if item is not None else None
            if isinstance(form, QFormLayout):
                form.setRowVisible(self.counter, False)
        self.counter.setEnabled(False)

    def submit(self) -> None:
        if self._busy:
            return
        username = self.username.text().strip()
        secret = self.secret.text()
        if not username:
            self.show_error("Escriba su usuario.")
            self.username.setFocus()
            return
        if not secret:
            self.show_error("Escriba su PIN o contraseña.")
            self.secret.setFocus()
            return
        self.notice.clear_message()
        self.credentials.emit(username, secret)


def admin_lock_page() -> LockPage:
    page = LockPage()
    page.title.setText("Administración bloqueada")
    return page
