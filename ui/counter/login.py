"""The clerk's login (user, PIN or password, counter) and the idle lock screen."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.views import CounterView
from ui.counter import texts
from ui.counter.widgets import Notice, card, label


def _centered(inner: QWidget, width: int = 520) -> QVBoxLayout:
    inner.setFixedWidth(width)
    outer = QVBoxLayout()
    outer.addStretch(1)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(inner)
    row.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
    return outer


def _secret_field(placeholder: str = "PIN o contraseña") -> QLineEdit:
    """A PIN or password box: masked, as long as a password may be."""
    field = QLineEdit()
    field.setObjectName("pin")
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(128)
    field.setPlaceholderText(placeholder)
    return field


def _button_row(layout: QVBoxLayout, *buttons: QPushButton) -> None:
    row = QHBoxLayout()
    for button in buttons:
        button.setMinimumHeight(44)
        row.addWidget(button)
    layout.addLayout(row)


class LoginPage(QWidget):
    """User + masked PIN/password + counter. `submitted(username, secret, counter)`."""

    submitted = Signal(str, str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        box = card()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(14)
        self.office = label("", "hint")
        self.title = label("Ventanilla — ingreso del personal", "h1")
        layout.addWidget(self.office)
        layout.addWidget(self.title)
        form = QFormLayout()
        form.setSpacing(12)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.username = QLineEdit()
        self.username.setObjectName("loginUser")  # as tall as the PIN field under it
        self.username.setPlaceholderText("usuario")
        self.username.setMaxLength(40)
        self.secret = _secret_field()
        self.counter = QComboBox()
        self.counter.setObjectName("loginCounter")
        form.addRow("&Usuario", self.username)
        form.addRow("&PIN o contraseña", self.secret)
        form.addRow("&Ventanilla", self.counter)
        layout.addLayout(form)
        self.notice = Notice()
        layout.addWidget(self.notice)
        self.enter = QPushButton("Ingresar (Enter)")
        self.enter.setObjectName("primary")
        self.enter.setMinimumHeight(44)
        layout.addWidget(self.enter)
        self.setLayout(_centered(box))
        self.setTabOrder(self.username, self.secret)
        self.setTabOrder(self.secret, self.counter)
        self.setTabOrder(self.counter, self.enter)

        self.enter.clicked.connect(self.submit)
        self.username.returnPressed.connect(self.secret.setFocus)
        self.secret.returnPressed.connect(self.submit)
        self._busy = False

    def set_counters(self, counters: list[CounterView], preferred: int | None = None,
                     locked: bool = False) -> None:
        """`preferred`: the counter offered (this PC's); `locked`: the only one allowed."""
        self.counter.setEnabled(not locked)
        current = self.counter.currentData()
        self.counter.clear()
        for counter in counters:
            state = texts.COUNTER_STATES.get(counter.state, counter.state).lower()
            self.counter.addItem(f"{counter.name} ({state})", counter.number)
        wanted = preferred if preferred is not None else current
        if wanted is None:
            free = next((c.number for c in counters if c.state == "closed"), None)
            wanted = free
        index = self.counter.findData(wanted) if wanted is not None else -1
        self.counter.setCurrentIndex(index if index >= 0 else 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter from any field (the counter list too) signs in."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            return
        super().keyPressEvent(event)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.enter.setEnabled(not busy)
        self.enter.setText("Ingresando…" if busy else "Ingresar (Enter)")

    def submit(self) -> None:
        if self._busy:
            return
        username = self.username.text().strip()
        secret = self.secret.text()
        number = self.counter.currentData()
        if not username:
            self.show_error("Escriba su usuario.")
            self.username.setFocus()
            return
        if not secret:
            self.show_error("Escriba su PIN o contraseña.")
            self.secret.setFocus()
            return
        if not isinstance(number, int):
            self.show_error("Elija la ventanilla donde atiende.")
            self.counter.setFocus()
            return
        self.notice.clear_message()
        self.submitted.emit(username, secret, number)

    def show_error(self, message: str) -> None:
        self.notice.show_message(message, "error")

    def refused(self, message: str) -> None:
        """Wrong credentials or a locked account: say so, keep the user, retype the secret."""
        self.set_busy(False)
        self.show_error(message)
        self.secret.clear()
        self.secret.setFocus()

    def reset(self) -> None:
        self.set_busy(False)
        self.secret.clear()
        self.notice.clear_message()
        (self.secret if self.username.text() else self.username).setFocus()


class LockPage(QWidget):
    """Shown after the idle time: nothing of the citizen's data, only the PIN to come back."""

    unlock = Signal(str)
    logout = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        box = card()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(14)
        self.title = label("Ventanilla bloqueada", "h1")
        self.who = label("", "h2")
        self.hint = label("", "hint")
        layout.addWidget(self.title)
        layout.addWidget(self.who)
        layout.addWidget(self.hint)
        self.secret = _secret_field()
        layout.addWidget(self.secret)
        self.notice = Notice()
        layout.addWidget(self.notice)
        self.sign_out = QPushButton("Cerrar sesión")
        self.enter = QPushButton("Desbloquear (Enter)")
        self.enter.setObjectName("primary")
        _button_row(layout, self.sign_out, self.enter)
        self.setLayout(_centered(box))
        self.setTabOrder(self.secret, self.enter)
        self.setTabOrder(self.enter, self.sign_out)
        self.enter.clicked.connect(self._submit)
        self.secret.returnPressed.connect(self._submit)
        self.sign_out.clicked.connect(self.logout)
        self._busy = False

    def show_for(self, who: str, idle: bool = True) -> None:
        self.who.setText(who)
        self.hint.setText(("Pasó un tiempo sin actividad. " if idle else "") +
                          "Escriba su PIN o contraseña para continuar donde se quedó.")
        self.secret.clear()
        self.notice.clear_message()
        self.set_busy(False)
        self.secret.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.enter.setEnabled(not busy)

    def _submit(self) -> None:
        if self._busy:
            return
        if not self.secret.text():
            self.notice.show_message("Escriba su PIN o contraseña.", "error")
            return
        self.unlock.emit(self.secret.text())

    def refused(self, message: str) -> None:
        self.set_busy(False)
        self.notice.show_message(message, "error")
        self.secret.clear()
        self.secret.setFocus()


class ChangeSecretPage(QWidget):
    """After logging in with an initial PIN: the clerk chooses their own before working."""

    submitted = Signal(str, str)  # current, new
    logout = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        box = card()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(12)
        self.title = label("Cambie su PIN inicial", "h1")
        self.who = label("", "h2")
        self.hint = label("El PIN que le dieron es provisional. Elija uno propio de 6 a 12 "
                          "dígitos (sin repetir ni seguir números) o una contraseña de 8 "
                          "caracteres o más.", "hint")
        for text_label in (self.title, self.who, self.hint):
            layout.addWidget(text_label)
        self.current = _secret_field("PIN actual (el provisional)")
        self.new = _secret_field("PIN nuevo")
        self.again = _secret_field("Repita el PIN nuevo")
        for field in (self.current, self.new, self.again):
            layout.addWidget(field)
        self.notice = Notice()
        layout.addWidget(self.notice)
        self.sign_out = QPushButton("Cerrar sesión")
        self.save = QPushButton("Guardar PIN (Enter)")
        self.save.setObjectName("primary")
        _button_row(layout, self.sign_out, self.save)
        self.setLayout(_centered(box))
        self.setTabOrder(self.current, self.new)
        self.setTabOrder(self.new, self.again)
        self.setTabOrder(self.again, self.save)
        self.save.clicked.connect(self._submit)
        self.again.returnPressed.connect(self._submit)
        self.sign_out.clicked.connect(self.logout)

    def show_for(self, who: str) -> None:
        self.who.setText(who)
        for field in (self.current, self.new, self.again):
            field.clear()
        self.notice.clear_message()
        self.save.setEnabled(True)
        self.current.setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit(self) -> None:
        if not (self.current.text() and self.new.text()):
            self.notice.show_message("Escriba el PIN actual y el nuevo.", "error")
            return
        if self.new.text() != self.again.text():
            self.notice.show_message("Los dos PIN nuevos no coinciden: escríbalos otra vez.",
                                     "error")
            self.new.clear()
            self.again.clear()
            self.new.setFocus()
            return
        self.save.setEnabled(False)
        self.submitted.emit(self.current.text(), self.new.text())

    def refused(self, message: str) -> None:
        self.save.setEnabled(True)
        self.notice.show_message(message, "error")
        self.new.clear()
        self.again.clear()
