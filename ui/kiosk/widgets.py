"""Touch widgets of the kiosk: very large buttons with a pictogram and one short word."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QToolButton, QWidget

from ui.assets import icon_path


def pictogram(name: str, fallback: str = "turno") -> QIcon:
    path = icon_path(name) or icon_path(fallback)
    return QIcon(str(path)) if path else QIcon()


class BigButton(QToolButton):
    """A button a person can hit with a thumb from a metre away: icon above, one word below."""

    def __init__(self, icon: str, object_name: str, parent: QWidget | None = None,
                 icon_px: int = 96, icon_share: float = 0.5, beside: bool = False) -> None:
        super().__init__(parent)
        self._icon_share = icon_share
        self.setObjectName(object_name)
        self.setIcon(pictogram(icon))
        self.setIconSize(QSize(icon_px, icon_px))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon if beside
                                else Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 96)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touch screen: no focus rectangles

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The pictogram grows with the button: on a portrait kiosk it is what people read.
        side = int(min(self.width() * 0.7, self.height() * self._icon_share))
        self.setIconSize(QSize(side, side))
        super().resizeEvent(event)


class ButtonGrid(QWidget):
    """Lays out big buttons in as many columns as the screen's shape suggests."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QGridLayout(self)
        self._layout.setSpacing(18)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._buttons: list[QToolButton] = []

    def set_buttons(self, buttons: Sequence[QToolButton]) -> None:
        for old in self._buttons:
            self._layout.removeWidget(old)
            old.deleteLater()
        self._buttons = list(buttons)
        self._relayout()

    def buttons(self) -> list[QToolButton]:
        return list(self._buttons)

    def resizeEvent(self, event: object) -> None:
        self._relayout()

    def _columns(self) -> int:
        count = max(1, len(self._buttons))
        portrait = self.height() > self.width() * 1.1
        return min(count, 2 if portrait else 3)

    def _relayout(self) -> None:
        columns = self._columns()
        for index, button in enumerate(self._buttons):
            self._layout.addWidget(button, index // columns, index % columns)


def connect_click(button: QToolButton, action: Callable[[], None]) -> None:
    button.clicked.connect(lambda _checked=False: action())
