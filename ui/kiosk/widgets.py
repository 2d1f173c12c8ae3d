"""Touch widgets of the kiosk: very large buttons with a pictogram and one short word."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Property, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionToolButton,
    QStylePainter,
    QToolButton,
    QWidget,
)

from ui.assets import icon_path

# Nothing a person must recognise from a metre away is drawn smaller (issue 15: at 1024x768
# the pictograms had shrunk to ~40 px and the words were cut: "Caja" read "Caia").
MIN_ICON_PX = 64
MIN_FONT_PX = 18
INSET = 12  # the style sheet's border (at most 4 px) and a margin inside it
GAP = 6  # between pictogram and word


def pictogram(name: str, fallback: str = "turno") -> QIcon:
    path = icon_path(name) or icon_path(fallback)
    return QIcon(str(path)) if path else QIcon()


@dataclass(frozen=True)
class Arrangement:
    """Where a big button draws its pictogram and its word (widget coordinates)."""

    icon: QRect
    text: QRect  # the word's line box: its font's full height (ascent + descent)
    baseline: QPoint  # where the word is drawn from
    font: QFont
    beside: bool


def _font(base: QFont, px: int) -> QFont:
    font = QFont(base)
    font.setPixelSize(px)
    return font


def _text_box(base: QFont, px: int, text: str) -> tuple[int, int, int]:
    """Width and height of the word's box, and how far its ink starts left of the pen."""
    metrics = QFontMetrics(_font(base, px))
    # A "Y" or "J" can start a pixel left of the pen; a bold last letter end past its advance.
    ink = metrics.tightBoundingRect(text)
    overhang = max(0, -ink.left())
    return (overhang + max(metrics.horizontalAdvance(text), ink.right() + 1), metrics.height(),
            overhang)


class BigButton(QToolButton):
    """A button a person can hit with a thumb from a metre away: pictogram and one word.

    It lays out and paints its own pictogram and word: the word whole on one line, as large as
    `font_px` allows and never under MIN_FONT_PX, the pictogram never under MIN_ICON_PX. Under
    the pictogram by default; beside it (`beside`, or when the button is too low for both) if
    that gives the word a larger size. Buttons of one row or grid (`share_arrangement`) use one
    size and one arrangement, so a long word does not make its button look different. The
    style sheet still draws the button itself.
    """

    def __init__(self, icon: str, object_name: str, parent: QWidget | None = None, *,
                 font_px: int, icon_share: float = 0.5, beside: bool = False) -> None:
        super().__init__(parent)
        self._font_px = font_px
        self._icon_share = icon_share
        self._beside = beside
        self._pressed_color = QColor()
        self._peers: list[BigButton] = [self]
        self._cached: tuple[object, Arrangement] | None = None
        self.setObjectName(object_name)
        self.setIcon(pictogram(icon))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touch screen: no focus rectangles

    @staticmethod
    def share_arrangement(buttons: Sequence[BigButton]) -> None:
        peers = list(buttons)
        for button in peers:
            button._peers = peers

    # The word's colour while pressed (style sheet: qproperty-pressedColor).
    def _get_pressed_color(self) -> QColor:
        return self._pressed_color

    def _set_pressed_color(self, color: QColor) -> None:
        self._pressed_color = QColor(color)

    pressedColor = Property(QColor, _get_pressed_color, _set_pressed_color)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.updateGeometry()
        for peer in self._peers:
            peer.update()

    # --- geometry ---------------------------------------------------------------------------

    def _inner(self) -> QRect:
        return self.rect().adjusted(INSET, INSET, -INSET, -INSET)

    def _fits(self, px: int, beside: bool) -> bool:
        inner = self._inner()
        text_w, text_h, _ = _text_box(self.font(), px, self.text())
        if beside:
            return (MIN_ICON_PX + GAP + text_w <= inner.width()
                    and max(MIN_ICON_PX, text_h) <= inner.height())
        return (max(MIN_ICON_PX, text_w) <= inner.width()
                and MIN_ICON_PX + GAP + text_h <= inner.height())

    def _largest_font(self, beside: bool) -> int | None:
        return next((px for px in range(self._font_px, MIN_FONT_PX - 1, -1)
                     if self._fits(px, beside)), None)

    def _choice(self) -> tuple[int, bool]:
        """The word's size and whether it goes beside the pictogram, for all the peers."""
        choices = []
        for beside in (self._beside, not self._beside):
            sizes = [peer._largest_font(beside) for peer in self._peers]
            if all(size is not None for size in sizes):
                choices.append((min(size for size in sizes if size is not None), beside))
        # The larger word wins; on a tie, the button's own arrangement (listed first).
        return max(choices, key=lambda c: c[0]) if choices else (MIN_FONT_PX, self._beside)

    def arrangement(self) -> Arrangement:
        key = (self.font().family(), self.font().weight(),
               tuple((peer.size().toTuple(), peer.text()) for peer in self._peers))
        if self._cached is not None and self._cached[0] == key:
            return self._cached[1]
        px, beside = self._choice()
        font = _font(self.font(), px)
        metrics = QFontMetrics(font)
        text_w, text_h, overhang = _text_box(self.font(), px, self.text())
        inner = self._inner()
        width, height = inner.width(), inner.height()
        if beside:
            icon = min(height, width - text_w - GAP,
                       max(MIN_ICON_PX, int(height * self._icon_share)))
            left = inner.left() + (width - icon - GAP - text_w) // 2
            icon_rect = QRect(left, inner.top() + (height - icon) // 2, icon, icon)
            text_rect = QRect(icon_rect.right() + 1 + GAP, inner.top() + (height - text_h) // 2,
                              text_w, text_h)
        else:
            icon = min(height - text_h - GAP, width,
                       max(MIN_ICON_PX, int(height * self._icon_share)))
            top = inner.top() + (height - icon - GAP - text_h) // 2
            icon_rect = QRect(inner.left() + (width - icon) // 2, top, icon, icon)
            text_rect = QRect(inner.left() + (width - text_w) // 2,
                              icon_rect.bottom() + 1 + GAP, text_w, text_h)
        arrangement = Arrangement(
            icon=icon_rect, text=text_rect,
            baseline=QPoint(text_rect.left() + overhang, text_rect.top() + metrics.ascent()),
            font=font, beside=beside)
        self._cached = (key, arrangement)
        return arrangement

    def minimumSizeHint(self) -> QSize:
        text_w, text_h, _ = _text_box(self.font(), MIN_FONT_PX, self.text())
        if self._beside:
            return QSize(2 * INSET + MIN_ICON_PX + GAP + text_w,
                         2 * INSET + max(MIN_ICON_PX, text_h))
        return QSize(2 * INSET + max(MIN_ICON_PX, text_w),
                     2 * INSET + MIN_ICON_PX + GAP + text_h)

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for peer in self._peers:
            if peer is not self:
                peer.update()  # a peer's size can change the shared word size

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        arrangement = self.arrangement()
        painter = QStylePainter(self)
        option = QStyleOptionToolButton()
        self.initStyleOption(option)
        option.text = ""
        option.icon = QIcon()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ToolButton, option)
        mode = QIcon.Mode.Normal if self.isEnabled() else QIcon.Mode.Disabled
        self.icon().paint(painter, arrangement.icon, Qt.AlignmentFlag.AlignCenter, mode)
        color = self.palette().color(QPalette.ColorRole.ButtonText)
        if self.isDown() and self._pressed_color.isValid():
            color = self._pressed_color
        painter.setPen(color)
        painter.setFont(arrangement.font)
        painter.drawText(arrangement.baseline, self.text())


class ButtonGrid(QWidget):
    """Lays out big buttons in as many columns as the screen's shape suggests."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QGridLayout(self)
        self._layout.setSpacing(12)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._buttons: list[QToolButton] = []

    def set_buttons(self, buttons: Sequence[QToolButton]) -> None:
        for old in self._buttons:
            self._layout.removeWidget(old)
            old.deleteLater()
        self._buttons = list(buttons)
        BigButton.share_arrangement([b for b in self._buttons if isinstance(b, BigButton)])
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


class WrappingList(QListWidget):
    """A list whose items take as many lines as their text needs at the list's own width.

    Qt measures wrapped items without the style sheet's item padding: at 1024x768 a procedure
    name that needs three lines got two, and its last word was cut.
    """

    ITEM_PADDING = 16  # QListWidget#procedures::item in the style sheet
    ITEM_BORDER = 1

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_items()

    def fit_items(self) -> None:
        width = self.viewport().width() - 2 * self.ITEM_PADDING
        metrics = QFontMetrics(self.font())
        for row in range(self.count()):
            item = self.item(row)
            text = metrics.boundingRect(QRect(0, 0, max(width, 1), 100_000),
                                        Qt.TextFlag.TextWordWrap, item.text())
            item.setSizeHint(QSize(width, text.height() + 2 * self.ITEM_PADDING
                                   + self.ITEM_BORDER))


def connect_click(button: QToolButton, action: Callable[[], None]) -> None:
    button.clicked.connect(lambda _checked=False: action())


def page_label(object_name: str, text: str = "", *, wrap: bool = True,
               centred: bool = True) -> QLabel:
    """A kiosk page's text: styled by its object name, wrapped, centred."""
    label = QLabel(text)
    label.setObjectName(object_name)
    label.setWordWrap(wrap)
    if centred:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def page_button(object_name: str, text: str = "") -> QPushButton:
    """A kiosk page's button: it never takes the focus, so a field being typed keeps it."""
    button = QPushButton(text)
    button.setObjectName(object_name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button
