"""The admin window's fields of the office settings, made from their declarations
(kiosk/settings.py): a group's form lists every setting declared in it, in declaration order,
with a widget of its kind (a choice, a number in its range, a yes/no, a line of text, a
write-only secret); values are read and shown by setting name. A new setting needs nothing
here."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.admin_views import OfficeSettings
from kiosk.settings import EDITABLE, SETTINGS, Group, Setting, secret_view_name
from ui.admin import texts
from ui.admin.widgets import choose, form_layout, line
from ui.admin.widgets import group as titled_group
from ui.counter.widgets import label

STORED_SECRET = "•••••• guardada: escriba otra para cambiarla"

# How a choice reads, when its value alone would not say it (in this order).
CHOICE_TEXTS: dict[str, dict[Any, str]] = {
    "printer_backend": {value: text for value, (text, _example) in
                        texts.PRINTER_BACKENDS.items()},
}


def names_in(*groups: Group) -> tuple[str, ...]:
    """The admin's settings shown in these groups, in declaration order."""
    return tuple(name for name in EDITABLE if SETTINGS[name].facts.group in groups)


def _widget(declared: Setting) -> QWidget:
    facts = declared.facts
    if facts.choices:
        widget = QComboBox()
        shown = CHOICE_TEXTS.get(declared.name, {})
        for value in (*[v for v in shown if v in facts.choices],
                      *[v for v in facts.choices if v not in shown]):
            widget.addItem(shown.get(value, f"{value}{facts.suffix}"), value)
        return widget
    if declared.kind is bool:
        return QCheckBox(facts.form_label)
    if declared.kind in (int, float):
        spin: QSpinBox | QDoubleSpinBox
        if declared.kind is int:
            spin = QSpinBox()
            spin.setRange(int(facts.low or 0), int(facts.high if facts.high is not None
                                                   else 2**31 - 1))
        else:
            spin = QDoubleSpinBox()
            spin.setDecimals(1)
            spin.setRange(facts.low or 0.0, facts.high if facts.high is not None else 1e9)
        spin.setSuffix(facts.suffix)
        spin.setSpecialValueText(facts.at_minimum)
        return spin
    text = line(facts.placeholder, facts.max_length or 300)
    if facts.secret:
        text.setEchoMode(QLineEdit.EchoMode.Password)
    return text


class SettingFields:
    """The widgets of some settings by name, and their values as the change model wants."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.widgets = {name: _widget(SETTINGS[name]) for name in names}
        self.clearing: set[str] = set()  # secrets to forget at the next save

    def groups(self) -> list[Group]:
        """The groups of these settings, in declaration order."""
        found: dict[Group, None] = {}
        for name in self.names:
            group = SETTINGS[name].facts.group
            if group is not None:
                found[group] = None
        return list(found)

    def group_box(self, group: Group, rows: dict[str, QWidget | QLayout] | None = None
                  ) -> tuple[QGroupBox, QVBoxLayout]:
        """The group's box: a form of its settings, then their hints. `rows` puts a
        setting's widget in a row of the tab's own."""
        box, column = titled_group(group.value)
        form = form_layout()
        hints = []
        for name in self.names:
            facts = SETTINGS[name].facts
            if facts.group is not group:
                continue
            widget = self.widgets[name]
            row = (rows or {}).get(name)
            if isinstance(widget, QCheckBox) and row is None:
                form.addRow(widget)  # a yes/no says itself what it is
            else:
                caption = QLabel(facts.form_label)
                caption.setBuddy(widget)
                if isinstance(row, QLayout):
                    form.addRow(caption, row)
                else:
                    form.addRow(caption, row or widget)
            if facts.hint:
                hints.append(facts.hint)
        column.addLayout(form)
        for hint in hints:
            column.addWidget(label(hint, "hint"))
        return box, column

    def line(self, name: str) -> QLineEdit:
        widget = self.widgets[name]
        assert isinstance(widget, QLineEdit)
        return widget

    def spin(self, name: str) -> QSpinBox:
        widget = self.widgets[name]
        assert isinstance(widget, QSpinBox)
        return widget

    def decimal(self, name: str) -> QDoubleSpinBox:
        widget = self.widgets[name]
        assert isinstance(widget, QDoubleSpinBox)
        return widget

    def combo(self, name: str) -> QComboBox:
        widget = self.widgets[name]
        assert isinstance(widget, QComboBox)
        return widget

    def fill(self, settings: OfficeSettings) -> None:
        """The hub's values; a secret's field is emptied (it is never read back)."""
        self.clearing.clear()
        for name, widget in self.widgets.items():
            facts = SETTINGS[name].facts
            if facts.secret:  # says whether one is stored, never what
                assert isinstance(widget, QLineEdit)
                widget.clear()
                stored = bool(getattr(settings, secret_view_name(name), False))
                widget.setPlaceholderText(STORED_SECRET if stored else facts.placeholder)
                continue
            value = getattr(settings, name)
            if isinstance(widget, QComboBox):
                if widget.findData(value) < 0:  # a value set elsewhere (config.toml)
                    widget.addItem(f"{value}{SETTINGS[name].facts.suffix}", value)
                choose(widget, value)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QSpinBox | QDoubleSpinBox):
                widget.setValue(value)
            elif isinstance(widget, QLineEdit):
                widget.setText(value)

    def values(self) -> dict[str, Any]:
        """By setting name. A secret only when typed, or "" when it is to be forgotten
        (write-only: never compared, always sent)."""
        values: dict[str, Any] = {}
        for name, widget in self.widgets.items():
            facts = SETTINGS[name].facts
            if isinstance(widget, QComboBox):
                values[name] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                values[name] = widget.isChecked()
            elif isinstance(widget, QDoubleSpinBox):
                values[name] = round(widget.value(), 1)
            elif isinstance(widget, QSpinBox):
                values[name] = widget.value()
            elif isinstance(widget, QLineEdit):
                text = (" ".join(widget.text().split()) if facts.is_name
                        else widget.text().strip())
                if not facts.secret or text or name in self.clearing:
                    values[name] = text
        return values
