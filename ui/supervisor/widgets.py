"""Small widgets of the supervisor window: the figure cards and table helpers."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.counter.widgets import button, label, table


class Figure(QFrame):
    """One figure in large type over its caption: «Esperan ahora / 23». `level` colours it:
    "alert" (red), "warn" (amber), "good" (green) or plain."""

    def __init__(self, caption: str, tip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figure")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        self.value = QLabel("—")
        self.value.setObjectName("figureValue")
        self.caption = QLabel(caption)
        self.caption.setObjectName("figureCaption")
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        if tip:
            self.setToolTip(tip)
        self.level = ""

    def set(self, text: str, level: str = "") -> None:
        self.value.setText(text)
        if level != self.level:
            self.level = level
            for widget in (self, self.value):
                widget.setProperty("level", level)
                widget.style().unpolish(widget)
                widget.style().polish(widget)


class FigureStrip(QWidget):
    """A row of figure cards, each as wide as the others."""

    def __init__(self, figures: list[Figure], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for figure in figures:
            layout.addWidget(figure, 1)


def panel(widget: QWidget, object_name: str, spacing: int) -> tuple[QVBoxLayout, QLabel,
                                                                   QPushButton]:
    """A panel the window refreshes on request: its layout, its title line (the summary) and
    the «Actualizar (F5)» button beside it (the window connects it)."""
    widget.setObjectName(object_name)
    root = QVBoxLayout(widget)
    root.setContentsMargins(8, 10, 8, 8)
    root.setSpacing(spacing)
    head = QHBoxLayout()
    summary = label("", "h2")
    reload = button("Actualizar (F5)", None)
    head.addWidget(summary, 1)
    head.addWidget(reload)
    root.addLayout(head)
    return root, summary, reload


def data_table(object_name: str = "") -> QTableView:
    """A read-only table (the counter's), with room for two-line headings."""
    view = table()
    if object_name:
        view.setObjectName(object_name)
    view.verticalHeader().setDefaultSectionSize(26)
    return view


def fit_rows(view: QTableView) -> None:
    """As tall as the header and the rows: no empty space, no scrolling."""
    model = view.model()
    rows = model.rowCount() if model is not None else 0
    header = view.horizontalHeader().sizeHint().height()
    height = header + 2 * view.frameWidth() + sum(view.rowHeight(r) for r in range(rows))
    view.setFixedHeight(max(height, header + 30))
