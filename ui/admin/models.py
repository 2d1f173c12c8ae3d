"""Qt item models of the admin window: thin adapters over the hub's plain view objects.

The tables are the counter's `RowsModel` (a list of frozen views and its columns), with the
colours an administrator scans for (inactive, locked, revoked). `ServedModel` is the ordered
list of the services one counter serves: the order is the counter's preference (rank 0 first)
and moves up and down. Nothing here talks to the hub.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from kiosk.services.admin_views import AdminDeviceView, AdminUserView, PairingCode
from kiosk.services.views import CounterView, PrintJobView, ServiceView
from kiosk.shared_views import AccessEntry
from ui.admin import texts
from ui.counter.models import Column, Index, RowsModel
from ui.counter.texts import COUNTER_STATES

GREY_FG = QColor("#6b7480")
RED_BG = QColor("#fbe3e3")
RED_FG = QColor("#a32020")
AMBER_BG = QColor("#fff1d6")
AMBER_FG = QColor("#7a4b00")


class ServicesModel(RowsModel[ServiceView]):
    """Every service, the inactive ones greyed."""

    def __init__(self) -> None:
        super().__init__([
            Column("Letra", lambda s: s.prefix),
            Column("Código", lambda s: s.code),
            Column("Nombre", lambda s: s.name),
            Column("Objetivo", lambda s: f"{s.sla_minutes} min", numeric=True),
            Column("Estado", lambda s: "Activo" if s.active else "Inactivo"),
        ])

    def extra(self, row: ServiceView, column: int, role: int) -> Any:
        if not row.active and role == Qt.ItemDataRole.ForegroundRole:
            return GREY_FG
        return None

    def find(self, code: str) -> int:
        return next((i for i, s in enumerate(self._rows) if s.code == code), -1)


def service_names(services: Sequence[ServiceView]) -> dict[str, ServiceView]:
    return {s.code: s for s in services}


PREFERENTIAL_SHORT = {"tambien": "Primero", "solo": "Solo ellos", "nunca": "No"}


class CountersModel(RowsModel[CounterView]):
    """Each counter and the prefixes of its services, in their order of preference."""

    def __init__(self) -> None:
        super().__init__([
            Column("N.º", lambda c: str(c.number), numeric=True),
            Column("Nombre", lambda c: c.name),
            Column("Atiende (en orden)", self._served),
            Column("Preferenciales", lambda c: PREFERENTIAL_SHORT.get(c.preferential,
                                                                       c.preferential)),
            Column("Estado", lambda c: COUNTER_STATES.get(c.state, c.state)),
        ])
        self._services: dict[str, ServiceView] = {}

    def set_services(self, services: Sequence[ServiceView]) -> None:
        self.beginResetModel()
        self._services = service_names(services)
        self.endResetModel()

    def _served(self, counter: CounterView) -> str:
        names = [self._services[c].name if c in self._services else c
                 for c in counter.services]
        return " → ".join(names) if names else "(ningún servicio)"

    def find(self, number: int) -> int:
        return next((i for i, c in enumerate(self._rows) if c.number == number), -1)


class ServedModel(QAbstractListModel):
    """The services one counter serves, first the one it calls first. Editable by moving
    rows (`move`), adding and removing; `codes()` is what goes to the hub."""

    def __init__(self) -> None:
        super().__init__()
        self._codes: list[str] = []
        self._services: dict[str, ServiceView] = {}

    def set_services(self, services: Sequence[ServiceView]) -> None:
        self.beginResetModel()
        self._services = service_names(services)
        self.endResetModel()

    def set_codes(self, codes: Sequence[str]) -> None:
        self.beginResetModel()
        self._codes = list(dict.fromkeys(codes))
        self.endResetModel()

    def codes(self) -> list[str]:
        return list(self._codes)

    def text(self, code: str) -> str:
        service = self._services.get(code)
        if service is None:
            return code
        return f"{service.prefix} · {service.name}" + ("" if service.active else " (inactivo)")

    def add(self, code: str) -> int:
        """Append a service (last in preference); returns its row (the old one if present)."""
        if code in self._codes:
            return self._codes.index(code)
        row = len(self._codes)
        self.beginInsertRows(QModelIndex(), row, row)
        self._codes.append(code)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> bool:
        if not 0 <= row < len(self._codes):
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._codes[row]
        self.endRemoveRows()
        return True

    def move(self, row: int, delta: int) -> int:
        """Move one row up (-1) or down (+1); returns where it is now."""
        target = row + delta
        if not (0 <= row < len(self._codes) and 0 <= target < len(self._codes)) or delta == 0:
            return row
        # Qt's destination is the row *before which* it lands, in the old numbering.
        destination = target + 1 if delta > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        code = self._codes.pop(row)
        self._codes.insert(target, code)
        self.endMoveRows()
        return target

    def rowCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._codes)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._codes):
            return f"{section + 1}.º"
        if orientation == Qt.Orientation.Horizontal and section == 0:
            return "Servicio (el primero se llama primero)"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._codes):
            return None
        code = self._codes[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(code)  # the rank is the row's header (it moves with the row)
        if role == Qt.ItemDataRole.UserRole:
            return code
        if role == Qt.ItemDataRole.ForegroundRole:
            service = self._services.get(code)
            return GREY_FG if service is not None and not service.active else None
        return None


def user_state(user: AdminUserView, now: datetime | None, tz: tzinfo | None) -> str:
    """«Activo», «Inactivo», «Bloqueado hasta 10:15», «Debe cambiar su PIN»."""
    if not user.active:
        return "Inactivo"
    if user.locked_until is not None and (now is None or user.locked_until > now):
        return f"Bloqueado hasta las {texts.clock(user.locked_until, tz)}"
    if user.must_change:
        return "Activo · debe cambiar su PIN"
    return "Activo"


class UsersModel(RowsModel[AdminUserView]):
    """The office's users: locked ones in red, inactive ones grey. `now` is the hub's time
    (a lock-out ends by the hub's clock, not this PC's)."""

    def __init__(self, tz: tzinfo | None = None) -> None:
        super().__init__([
            Column("Usuario", lambda u: u.username),
            Column("Nombre", lambda u: u.full_name),
            Column("Rol", lambda u: texts.USER_ROLES.get(u.role, u.role)),
            Column("Estado", lambda u: user_state(u, self.now, self._tz)),
            Column("Intentos fallidos", lambda u: str(u.failed_logins), numeric=True),
        ])
        self.now: datetime | None = None
        self._tz = tz

    def set_users(self, users: Sequence[AdminUserView], now: datetime | None) -> None:
        self.now = now
        self.set_rows(users)

    def locked(self, user: AdminUserView) -> bool:
        return user.locked_until is not None and (self.now is None
                                                  or user.locked_until > self.now)

    def extra(self, row: AdminUserView, column: int, role: int) -> Any:
        if not row.active:
            return GREY_FG if role == Qt.ItemDataRole.ForegroundRole else None
        if self.locked(row) and column == 3:
            if role == Qt.ItemDataRole.BackgroundRole:
                return RED_BG
            if role == Qt.ItemDataRole.ForegroundRole:
                return RED_FG
        if row.must_change and column == 3:
            if role == Qt.ItemDataRole.BackgroundRole:
                return AMBER_BG
            if role == Qt.ItemDataRole.ForegroundRole:
                return AMBER_FG
        return None

    def find(self, username: str) -> int:
        return next((i for i, u in enumerate(self._rows) if u.username == username), -1)


class DevicesModel(RowsModel[AdminDeviceView]):
    """The paired devices: revoked ones grey, saying since when."""

    def __init__(self, tz: tzinfo | None = None) -> None:
        super().__init__([
            Column("Equipo", lambda d: d.name),
            Column("Rol", lambda d: texts.DEVICE_ROLES.get(d.role, d.role)),
            Column("Ventanilla", lambda d: str(d.counter) if d.counter is not None else "—",
                   numeric=True),
            Column("Emparejado", lambda d: texts.when(d.created_at, tz)),
            Column("Estado", lambda d: "Activo" if d.revoked_at is None
                   else f"Revocado el {texts.when(d.revoked_at, tz)}"),
        ])

    def extra(self, row: AdminDeviceView, column: int, role: int) -> Any:
        if row.revoked_at is not None and role == Qt.ItemDataRole.ForegroundRole:
            return GREY_FG
        return None

    def find(self, device_id: str) -> int:
        return next((i for i, d in enumerate(self._rows) if d.id == device_id), -1)


PRINT_KINDS = {"ticket": "Turno", "receipt": "Recibo", "requirements": "Requisitos",
               "cargo": "Cargo", "test": "Prueba", "closing": "Cierre de caja"}


class PrintJobsModel(RowsModel[PrintJobView]):
    """The office's last print jobs (newest first, as the hub sends them); failures in red."""

    def __init__(self, tz: tzinfo | None = None) -> None:
        super().__init__([
            Column("Hora", lambda j: texts.when(j.reported_at, tz)),
            Column("Equipo", lambda j: j.device),
            Column("Qué", lambda j: PRINT_KINDS.get(j.kind, j.kind)
                   + (" (reimpresión)" if j.reprint else "")),
            Column("Resultado", lambda j: "Impreso" if j.state == "printed"
                   else f"Falló: {j.error_message or j.error_code or 'error'}"),
        ])

    def extra(self, row: PrintJobView, column: int, role: int) -> Any:
        if row.state != "failed" or column != 3:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return RED_BG
        if role == Qt.ItemDataRole.ForegroundRole:
            return RED_FG
        return None


class PairingsModel(RowsModel[PairingCode]):
    """Codes made and not used yet (the hub never shows a code again)."""

    def __init__(self, tz: tzinfo | None = None) -> None:
        super().__init__([
            Column("Equipo", lambda p: p.name),
            Column("Rol", lambda p: texts.DEVICE_ROLES.get(p.role, p.role)),
            Column("Vence", lambda p: texts.when(p.expires_at, tz)),
        ])


def _persons(entry: AccessEntry) -> str:
    shown = [f"{p.doc_type or ''} {p.doc_number}".strip() if p.doc_number else "(ya no está)"
             for p in entry.persons]
    return ", ".join(shown) if shown else "—"


class AccessModel(RowsModel[AccessEntry]):
    """Who saw personal data (Ley 29733): newest first, as the hub sends them."""

    def __init__(self, tz: tzinfo | None = None) -> None:
        super().__init__([
            Column("Fecha y hora", lambda a: texts.when(a.at, tz)),
            Column("Usuario", lambda a: a.who),
            Column("Equipo", lambda a: a.device),
            Column("Qué vio", lambda a: a.what_text),
            Column("Búsqueda", lambda a: a.query or "—"),
            Column("Personas", _persons),
            Column("Registros", _records),
        ])

    def extra(self, row: AccessEntry, column: int, role: int) -> Any:
        if column == 6 and role == Qt.ItemDataRole.ToolTipRole and row.records:
            return "\n".join(row.records)  # every id, for a written answer to the citizen
        return None


def _is_internal_id(record: str) -> bool:
    return len(record) == 36 and record.count("-") == 4


def _records(entry: AccessEntry) -> str:
    """Expediente numbers as they are; internal ids (actas, attachments) only counted."""
    readable = [r for r in entry.records if not _is_internal_id(r)]
    hidden = len(entry.records) - len(readable)
    if hidden:
        readable.append(f"{hidden} {'registro' if hidden == 1 else 'registros'} del índice")
    return ", ".join(readable) if readable else "—"
