"""Usuarios: the office's staff, a new user (its initial PIN shown once), a new PIN, the end
of a lock-out, deactivation and roles. The hub refuses to leave the office without an
active administrator."""

from __future__ import annotations

from datetime import datetime, tzinfo

from pydantic import ValidationError
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.client.base import HubClient
from kiosk.errors import CacError
from kiosk.services.admin_views import AdminUserView, UserChange, UserCreated, UserInput
from ui.admin import texts
from ui.admin.models import UsersModel
from ui.admin.widgets import (
    AdminTab,
    Runner,
    ShownOnce,
    buttons,
    choose,
    combo,
    form_layout,
    group,
    line,
    primary,
)
from ui.counter.widgets import label, stretch, table
from ui.messages import message_boxes

FORM_WIDTH = 440


class UsersTab(AdminTab):
    title = "Usuarios"

    def __init__(self, client: HubClient, run: Runner, tz: tzinfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        self.users: list[AdminUserView] = []
        root = QHBoxLayout(self)
        root.setContentsMargins(4, 8, 4, 4)
        root.setSpacing(12)
        left = QVBoxLayout()
        self.model = UsersModel(tz)
        self.table = table()
        self.table.setModel(self.model)
        stretch(self.table, 1)
        left.addWidget(self.table, 1)
        self.selected = label("Elija un usuario de la lista.", "hint")
        left.addWidget(self.selected)
        self.reset = QPushButton("Nuevo PIN inicial")
        self.unlock = QPushButton("Desbloquear")
        self.toggle = QPushButton("Desactivar")
        self.role = QComboBox()
        for value, text in texts.USER_ROLES.items():
            self.role.addItem(text, value)
        self.change_role = QPushButton("Cambiar rol")
        actions = buttons(self.reset, self.unlock, self.toggle)
        actions.addWidget(self.role)
        actions.addWidget(self.change_role)
        left.addLayout(actions)
        root.addLayout(left, 1)

        side = QVBoxLayout()
        box, column = group("Nuevo usuario")
        box.setFixedWidth(FORM_WIDTH)
        form = form_layout()
        self.username = line("p. ej. mrojas", 40)
        self.full_name = line("Nombres y apellidos", 120)
        self.new_role = combo(texts.USER_ROLES)
        form.addRow("&Usuario", self.username)
        form.addRow("Nombre &completo", self.full_name)
        form.addRow("&Rol", self.new_role)
        column.addLayout(form)
        column.addWidget(label("El hub genera un PIN inicial de 6 dígitos; el usuario lo "
                               "cambia en su primer ingreso.", "hint"))
        self.add = primary("Agregar usuario")
        column.addLayout(buttons(self.add))
        column.addWidget(self.notice)
        side.addWidget(box)
        self.secret = ShownOnce()
        self.secret.setFixedWidth(FORM_WIDTH)
        side.addWidget(self.secret)
        side.addStretch(1)
        root.addLayout(side)

        self.table.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._selection_changed())
        self.add.clicked.connect(self.submit)
        self.full_name.returnPressed.connect(self.submit)
        self.reset.clicked.connect(self.reset_secret)
        self.unlock.clicked.connect(self.unlock_user)
        self.toggle.clicked.connect(self.toggle_active)
        self.change_role.clicked.connect(self.save_role)
        self._selection_changed()

    # --- the list -----------------------------------------------------------------------

    def load(self, select: str | None = None) -> None:
        client = self.client

        def work() -> tuple[datetime, list[AdminUserView]]:
            return client.health().time, client.admin_users()

        self.run(work, lambda result: self.show_users(result[0], result[1], select))

    def show_users(self, now: datetime, users: list[AdminUserView],
                   select: str | None = None) -> None:
        self.loads += 1
        current = self.current()
        wanted = select or (current.username if current else None)
        self.users = users
        self.model.set_users(users, now)
        row = self.model.find(wanted) if wanted else -1
        if row >= 0:
            self.table.selectRow(row)
        self._selection_changed()

    def current(self) -> AdminUserView | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _selection_changed(self) -> None:
        user = self.current()
        for widget in (self.reset, self.unlock, self.toggle, self.role, self.change_role):
            widget.setEnabled(user is not None)
        if user is None:
            self.selected.setText("Elija un usuario de la lista.")
            return
        self.selected.setText(f"{user.full_name} ({user.username})")
        self.unlock.setEnabled(self.model.locked(user) or user.failed_logins > 0)
        self.toggle.setText("Desactivar" if user.active else "Activar")
        choose(self.role, user.role)

    # --- adding -----------------------------------------------------------------------

    def submit(self) -> None:
        client = self.client
        try:
            user = UserInput(username=self.username.text().strip().lower(),
                             full_name=" ".join(self.full_name.text().split()),
                             role=str(self.new_role.currentData()))
        except ValidationError as exc:
            self.notice.show_message(texts.spanish(exc), "error")
            return
        self.add.setEnabled(False)

        def added(created: UserCreated) -> None:
            self.add.setEnabled(True)
            self.username.clear()
            self.full_name.clear()
            self.done(f"Usuario «{created.user.username}» agregado.")
            self.show_pin(created, "PIN inicial")
            self.load(select=created.user.username)

        def refused(error: CacError) -> None:
            self.add.setEnabled(True)
            self.refused(error)

        self.run(lambda: client.add_admin_user(user), added, refused)

    def show_pin(self, created: UserCreated, what: str) -> None:
        user = created.user
        self.secret.show_secret(
            f"{what} de {user.full_name} ({user.username}):", created.initial_secret,
            "Anótelo y entrégueselo en persona: no se volverá a mostrar. Al ingresar por "
            "primera vez deberá cambiarlo por uno propio.")

    # --- actions on the selected user -------------------------------------------------

    def reset_secret(self) -> None:
        user, client = self.current(), self.client
        if user is None or not message_boxes().confirm(
                self, "Nuevo PIN inicial",
                f"¿Dar un PIN inicial nuevo a {user.full_name}? El actual deja de servir y "
                "se cierran sus sesiones abiertas."):
            return
        username = user.username

        def reset(created: UserCreated) -> None:
            self.done(f"{created.user.full_name} tiene un PIN inicial nuevo.")
            self.show_pin(created, "Nuevo PIN inicial")
            self.load(select=username)

        self.run(lambda: client.reset_user_secret(username), reset)

    def unlock_user(self) -> None:
        user, client = self.current(), self.client
        if user is None:
            return
        username = user.username
        self.run(lambda: client.unlock_user(username), lambda saved: self._changed(
            saved, f"{saved.full_name} puede volver a ingresar."))

    def toggle_active(self) -> None:
        user, client = self.current(), self.client
        if user is None:
            return
        if user.active and not message_boxes().confirm(
                self, "Desactivar usuario",
                f"¿Desactivar a {user.full_name}? No podrá ingresar y se cierran sus "
                "sesiones abiertas. Su historial se conserva."):
            return
        change, username = UserChange(active=not user.active), user.username
        self.run(lambda: client.change_user(username, change), lambda saved: self._changed(
            saved, f"{saved.full_name}: " + ("activado." if saved.active
                                             else "desactivado.")))

    def save_role(self) -> None:
        user, client = self.current(), self.client
        role = str(self.role.currentData())
        if user is None:
            return
        if role == user.role:
            self.notice.show_message(f"{user.full_name} ya tiene ese rol.", "info")
            return
        change, username = UserChange(role=role), user.username
        self.run(lambda: client.change_user(username, change), lambda saved: self._changed(
            saved, f"{saved.full_name} ahora es "
                   f"{texts.USER_ROLES.get(saved.role, saved.role).lower()}."))

    def _changed(self, user: AdminUserView, message: str) -> None:
        self.done(message)
        self.load(select=user.username)

    def clear(self) -> None:
        super().clear()
        self.secret.forget()
        self.users = []
        self.model.set_users([], None)
        self._selection_changed()
