"""Qt item models of the counter: thin adapters over the hub's plain view objects.

Each model holds a list of frozen views and a list of columns (a header and a function that
turns one view into the text of a cell). Nothing here talks to the hub.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from kiosk.services.expediente_views import (
    ActaView,
    AttachmentView,
    CashClosingLine,
    ExpedienteEventView,
    ExpedienteSummary,
    PaymentView,
    RequirementCheck,
)
from kiosk.services.views import RequirementView, ServiceQueue
from ui.counter import texts

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    text: Callable[[T], str]
    numeric: bool = False


class RowsModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of views."""

    def __init__(self, columns: Sequence[Column[T]], rows: Sequence[T] = ()) -> None:
        super().__init__()
        self._columns = list(columns)
        self._rows: list[T] = list(rows)

    @property
    def rows(self) -> list[T]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) \
                or not 0 <= index.column() < len(self._columns):
            return None
        column = self._columns[index.column()]
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if column.numeric else LEFT)
        return self.extra(row, index.column(), role)

    def extra(self, row: T, column: int, role: int) -> Any:
        """Other roles (font, colour) for subclasses."""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None


class WaitingModel(RowsModel[ServiceQueue]):
    """How many wait per service: numbers only, never a person's name. The counter's own
    services come first, in bold."""

    def __init__(self) -> None:
        super().__init__([
            Column("Servicio", lambda q: f"{q.prefix} · {q.name}"),
            Column("Esperan", lambda q: str(q.waiting), numeric=True),
            Column("Pref.", lambda q: str(q.preferential_waiting), numeric=True),
            Column("Máx.", lambda q: texts.waited_text(q.longest_wait_s), numeric=True),
        ])
        self._own: list[str] = []

    def set_queue(self, services: Sequence[ServiceQueue], own: Sequence[str]) -> None:
        self._own = list(own)
        rank = {code: i for i, code in enumerate(self._own)}
        ordered = sorted(services, key=lambda q: (rank.get(q.service, len(rank)), q.prefix))
        self.set_rows(ordered)

    def waiting_for(self, own_only: bool = True) -> int:
        return sum(q.waiting for q in self._rows if not own_only or q.service in self._own)

    def extra(self, row: ServiceQueue, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and row.service in self._own:
            font = QFont()
            font.setBold(True)
            return font
        return None


def expediente_results_model() -> RowsModel[ExpedienteSummary]:
    return RowsModel([
        Column("Número", lambda e: e.number),
        Column("Trámite", lambda e: e.procedure_name),
        Column("Solicitante", lambda e: e.applicant_name),
        Column("Documento", lambda e: e.applicant_doc or "—"),
        Column("Estado", lambda e: e.status_text),
        Column("Vence", lambda e: texts.day_text(e.due_date)),
    ])


def events_model(tz: tzinfo | None = None) -> RowsModel[ExpedienteEventView]:
    return RowsModel([
        Column("Fecha", lambda e: texts.time_text(e.at, tz)),
        Column("Evento", lambda e: e.kind_text),
        Column("Quién", lambda e: e.who or "—"),
        Column("Dónde", lambda e: e.where or "—"),
        Column("Área", lambda e: e.area or "—"),
        Column("Nota", lambda e: e.note or ""),
    ])


def payments_model(tz: tzinfo | None = None) -> RowsModel[PaymentView]:
    return RowsModel([
        Column("Recibo", lambda p: p.receipt_number),
        Column("Fecha", lambda p: texts.time_text(p.paid_at, tz)),
        Column("Importe", lambda p: texts.soles(p.amount), numeric=True),
        Column("Forma de pago", lambda p: texts.RECEIPT_METHODS.get(p.method, p.method)),
        Column("Voucher", lambda p: p.voucher_number or "—"),
        Column("Cajero", lambda p: p.clerk or "—"),
    ])


def attachments_model(tz: tzinfo | None = None) -> RowsModel[AttachmentView]:
    return RowsModel([
        Column("Archivo", lambda a: a.file_name),
        Column("Tipo", lambda a: texts.ATTACHMENT_TYPES.get(a.media_type, a.media_type)),
        Column("Tamaño", lambda a: texts.size_text(a.size), numeric=True),
        Column("Fecha", lambda a: texts.time_text(a.added_at, tz)),
        Column("Quién", lambda a: a.who or "—"),
    ])


def cash_lines_model(tz: tzinfo | None = None) -> RowsModel[CashClosingLine]:
    return RowsModel([
        Column("Recibo", lambda line: line.receipt_number),
        Column("Hora", lambda line: texts.clock_text(line.paid_at, tz)),
        Column("Expediente", lambda line: line.expediente_number),
        Column("Forma de pago",
               lambda line: texts.RECEIPT_METHODS.get(line.method, line.method)),
        Column("Voucher", lambda line: line.voucher_number or "—"),
        Column("Importe", lambda line: texts.soles(line.amount), numeric=True),
    ])


def acta_results_model() -> RowsModel[ActaView]:
    """What tells two actas apart, in a panel half the form wide: the titular's whole name
    needs the room. The place, book and folio of the one chosen are said under the table
    (ui/counter/expediente_form.py: ActaPicker)."""
    return RowsModel([
        Column("Acta", lambda a: a.acta_number),
        Column("Titular", lambda a: a.titular_name),
        Column("Fecha", lambda a: texts.day_text(a.event_date)),
    ])


class RequirementsModel(QAbstractListModel):
    """A procedure's requirements as a checklist: the clerk ticks what the citizen brought.

    Built from the procedure (all unticked) or from an expediente (ticked as presented; then
    `editable=False`)."""

    def __init__(self, editable: bool = True) -> None:
        super().__init__()
        self._editable = editable
        self._items: list[tuple[int, str, bool]] = []  # (number, text, mandatory)
        self._checked: set[int] = set()

    def set_requirements(self, requirements: Sequence[RequirementView | RequirementCheck]
                         ) -> None:
        self.beginResetModel()
        self._items = [(r.number, r.text, r.mandatory) for r in requirements]
        self._checked = {r.number for r in requirements
                         if isinstance(r, RequirementCheck) and r.presented}
        self.endResetModel()

    def checked(self) -> list[int]:
        return sorted(self._checked)

    def missing_mandatory(self) -> list[int]:
        return [number for number, _text, mandatory in self._items
                if mandatory and number not in self._checked]

    def set_all(self, checked: bool) -> None:
        self._checked = {number for number, _t, _m in self._items} if checked else set()
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1),
                                  [Qt.ItemDataRole.CheckStateRole])

    def rowCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        number, text, mandatory = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{number}. {text}" + ("" if mandatory else " (si corresponde)")
        if role == Qt.ItemDataRole.ToolTipRole:
            return text
        if role == Qt.ItemDataRole.CheckStateRole:
            return (Qt.CheckState.Checked if number in self._checked
                    else Qt.CheckState.Unchecked)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren
        if self._editable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not self._editable or role != Qt.ItemDataRole.CheckStateRole or not index.isValid() \
                or not 0 <= index.row() < len(self._items):
            return False
        number = self._items[index.row()][0]
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        if state == Qt.CheckState.Checked:
            self._checked.add(number)
        else:
            self._checked.discard(number)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True
