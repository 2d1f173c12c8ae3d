"""«Reclamos» at the kiosk: the Libro de Reclamaciones' simple form and the anonymous
suggestions box, typed on a touch keyboard with large keys (kiosk/rules/reclamos.py).

Three steps on one page: what the reclamo is about (and what is not a reclamo: quejas,
denuncias, appeals and expediente follow-up go elsewhere, said before anything is typed), the
hoja itself, and the number with the day the answer is due. A citizen who prefers help takes
an Orientación ticket: a clerk files it at the counter. The texts are in Spanish whatever the
kiosk's language: the hoja is a legal document in Spanish (docs/decisions.md, record 38).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from html import escape, unescape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.rules.reclamos import (
    CATEGORY_SHORT,
    CATEGORY_TEXT,
    NOT_RECLAMOS,
    SUGGESTION_TEXT,
    Category,
)
from kiosk.services.reclamo_views import (
    ReclamoDraft,
    ReclamoInput,
    ReclamoView,
    SuggestionInput,
)
from printing.documents.common import long_date
from ui.kiosk.printer_port import PrintOutcome
from ui.kiosk.widgets import page_button, page_label

KEY_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKLÑ", "ZXCVBNM@.-")
DOC_TYPES = {"DNI": "DNI", "CE": "Carné de extranjería", "PAS": "Pasaporte"}


def _label(object_name: str, text: str = "") -> QLabel:
    return page_label(object_name, text, centred=False)  # the form's texts start at the left


def elsewhere_text() -> str:
    """What is not a reclamo and where it goes, one line each (rich text)."""
    return "<b>No son reclamos:</b><br>" + "<br>".join(
        f"<b>{escape(e.what.split(' (')[0])}</b>: {escape(e.where)}" for e in NOT_RECLAMOS)


def plain(rich: str) -> str:
    """Rich text as the voice reads it: no tags, line breaks as pauses."""
    text = re.sub(r"<br\s*/?>", ". ", rich)
    return unescape(re.sub(r"<[^>]+>", "", text)).strip()


class TouchKeyboard(QWidget):
    """Large keys that type into the field last touched (`target`); Mayús for one capital."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target: QLineEdit | QPlainTextEdit | None = None
        self.shift = True  # a field starts with a capital
        grid = QGridLayout(self)
        grid.setSpacing(6)
        grid.setContentsMargins(0, 0, 0, 0)
        self.keys: dict[str, QPushButton] = {}
        for row, letters in enumerate(KEY_ROWS):
            for column, letter in enumerate(letters):
                key = page_button("typeKey", letter)
                key.clicked.connect(partial(self.press, letter))
                self.keys[letter] = key
                grid.addWidget(key, row, column)
        self.caps = page_button("typeKey", "Mayús")
        self.caps.setCheckable(True)
        self.caps.clicked.connect(self._toggle)
        self.space = page_button("typeKey", "Espacio")
        self.space.clicked.connect(partial(self.press, " "))
        self.erase = page_button("typeKey", "Borrar")
        self.erase.clicked.connect(self.backspace)
        row = len(KEY_ROWS)
        grid.addWidget(self.caps, row, 0, 1, 2)
        grid.addWidget(self.space, row, 2, 1, 6)
        grid.addWidget(self.erase, row, 8, 1, 2)
        self._show_case()

    def _toggle(self) -> None:
        self.shift = self.caps.isChecked()
        self._show_case()

    def _show_case(self) -> None:
        self.caps.setChecked(self.shift)
        for letter, key in self.keys.items():
            key.setText(letter if self.shift or not letter.isalpha() else letter.lower())

    def press(self, key: str) -> None:
        target = self.target
        if target is None:
            return
        text = key if self.shift or not key.isalpha() else key.lower()
        target.insertPlainText(text) if isinstance(target, QPlainTextEdit) else target.insert(
            text)
        self.shift = key == " " and isinstance(target, QLineEdit) and target.property("name")
        self._show_case()

    def backspace(self) -> None:
        target = self.target
        if isinstance(target, QPlainTextEdit):
            target.textCursor().deletePreviousChar()
        elif target is not None:
            target.backspace()

    def attach(self, field: QLineEdit | QPlainTextEdit) -> None:
        self.target = field
        empty = (field.toPlainText() if isinstance(field, QPlainTextEdit)
                 else field.text()) == ""
        self.shift = empty
        self._show_case()


class _Focus(QObject):
    """Points the keyboard at the field the citizen touches."""

    def __init__(self, keyboard: TouchKeyboard) -> None:
        super().__init__(keyboard)
        self.keyboard = keyboard

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched,
                                                               (QLineEdit, QPlainTextEdit)):
            self.keyboard.attach(watched)
        return False


def _choices(texts: dict[str, str], columns: int, on_choice: Callable[[str], None],
             object_name: str = "choice") -> tuple[QGridLayout, dict[str, QPushButton]]:
    grid = QGridLayout()
    grid.setSpacing(10)
    buttons: dict[str, QPushButton] = {}
    for index, (code, text) in enumerate(texts.items()):
        button = page_button(object_name, text)
        button.clicked.connect(partial(on_choice, code))
        buttons[code] = button
        grid.addWidget(button, index // columns, index % columns)
    return grid, buttons


class ReclamoPage(QWidget):
    """Choose, fill in, file: the window connects `file_requested` to the hub and calls
    `show_filed` or `show_problem` with the answer."""

    file_requested = Signal(object)  # ReclamoInput
    suggestion_requested = Signal(object)  # SuggestionInput
    help_requested = Signal()

    def __init__(self, parent: QWidget | None = None,
                 speak: Callable[[str], None] | None = None) -> None:
        """`speak` reads a text aloud (the PC's Spanish voice); None: this PC has none, and
        the «Escuchar» button is not offered."""
        super().__init__(parent)
        self._speak = speak
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(8)
        self.title = _label("title", "Libro de Reclamaciones")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The voice is the citizen's choice: the step read aloud when asked, never unasked.
        # Beside the title: the row of buttons below is full on a 1024-pixel screen.
        self.listen = page_button("typeKey", "Escuchar")
        self.listen.setVisible(speak is not None)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.listen)
        layout.addLayout(top)
        # A refusal takes the title's place: the form keeps its room on a 768-pixel screen.
        self.problem = _label("formProblem")
        self.problem.hide()
        layout.addWidget(self.problem)
        self.steps = QStackedWidget()
        layout.addWidget(self.steps, 1)
        self.keyboard = TouchKeyboard()
        self._focus = _Focus(self.keyboard)
        layout.addWidget(self.keyboard)
        buttons = QHBoxLayout()
        self.back = page_button("back", "Volver")
        # On the first step: the anonymous box, or a clerk's help at the counter instead.
        self.suggest = page_button("back", "Sugerencia anónima")
        self.helped = page_button("back", "Ayuda de un asesor")
        self.send = page_button("primary", "Enviar reclamo")
        for widget in (self.back, self.suggest, self.helped, self.send):
            buttons.addWidget(widget)
        layout.addLayout(buttons)
        self.category: str | None = None
        self.suggestion_category: str | None = None
        self.doc_type = "DNI"
        self.filed: ReclamoView | None = None
        self._build_choose()
        self._build_form()
        self._build_suggestion()
        self._build_done()
        self.back.clicked.connect(self._back)
        self.send.clicked.connect(self._send)
        self.suggest.clicked.connect(self.open_suggestion)
        self.helped.clicked.connect(self.help_requested.emit)
        self.listen.clicked.connect(self.read_aloud)
        self.home_requested: Callable[[], None] = lambda: None
        self.clear()

    # --- the steps --------------------------------------------------------------------------

    def _build_choose(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.elsewhere = _label("elsewhere", elsewhere_text())
        self.elsewhere.setTextFormat(Qt.TextFormat.RichText)
        self.elsewhere.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        column.addWidget(self.elsewhere)
        column.addWidget(_label("law", "¿Sobre qué es su reclamo?"))
        grid, self.category_buttons = _choices(
            {str(k): v for k, v in CATEGORY_SHORT.items()}, 2, self.choose)
        column.addLayout(grid)
        column.addStretch(1)
        self.choose_page = page
        self.steps.addWidget(page)

    def _field(self, grid: QGridLayout, row: int, label: str, name: bool = False
               ) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName("formField")
        field.setProperty("name", name)
        field.installEventFilter(self._focus)
        grid.addWidget(_label("fieldLabel", label), row, 0)
        grid.addWidget(field, row, 1)
        return field

    def _build_form(self) -> None:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.chosen = _label("law")
        grid.addWidget(self.chosen, 0, 0, 1, 2)
        self.doc_number = self._field(grid, 1, "Documento *")
        kinds = QHBoxLayout()
        self.doc_buttons: dict[str, QPushButton] = {}
        for code, text in DOC_TYPES.items():
            kind = page_button("typeKey", text)
            kind.setCheckable(True)
            kind.clicked.connect(partial(self.choose_doc_type, code))
            self.doc_buttons[code] = kind
            kinds.addWidget(kind)
        grid.removeWidget(self.doc_number)
        kinds.addWidget(self.doc_number, 1)
        grid.addLayout(kinds, 1, 1)
        self.full_name = self._field(grid, 2, "Nombres y apellidos *", name=True)
        self.email = self._field(grid, 3, "Correo electrónico")
        self.phone = self._field(grid, 4, "Teléfono")
        self.address = self._field(grid, 5, "Domicilio", name=True)
        self.description = QPlainTextEdit()
        self.description.setObjectName("formField")
        self.description.installEventFilter(self._focus)
        self.description.setMinimumHeight(60)
        grid.addWidget(_label("fieldLabel", "¿Qué ocurrió? *"), 6, 0)
        grid.addWidget(self.description, 6, 1)
        grid.setRowStretch(6, 1)
        grid.setColumnStretch(1, 1)
        self.form_page = page
        self.steps.addWidget(page)

    def _build_suggestion(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(_label("law", "Buzón de sugerencias: no escriba su nombre. "
                                       "¿Sobre qué es?"))
        grid, self.suggestion_buttons = _choices(
            {str(k): v for k, v in SUGGESTION_TEXT.items()}, 3, self.choose_suggestion, "typeKey")
        column.addLayout(grid)
        self.suggestion_text = QPlainTextEdit()
        self.suggestion_text.setObjectName("formField")
        self.suggestion_text.installEventFilter(self._focus)
        self.suggestion_text.setMinimumHeight(60)
        column.addWidget(self.suggestion_text, 1)
        self.suggestion_page = page
        self.steps.addWidget(page)

    def _build_done(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        self.done_heading = _label("heading")
        self.done_number = _label("reclamoNumber")
        self.done_due = _label("ticketInfo")
        self.done_printed = _label("printStatus")
        for widget in (self.done_heading, self.done_number, self.done_due, self.done_printed):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(widget)
        column.addStretch(1)
        self.done_page = page
        self.steps.addWidget(page)

    # --- moving between them ----------------------------------------------------------------

    def clear(self) -> None:
        """Nothing the previous citizen typed stays on the screen."""
        for field in (self.doc_number, self.full_name, self.email, self.phone, self.address):
            field.clear()
        self.description.clear()
        self.suggestion_text.clear()
        self.category = self.suggestion_category = None
        self.filed = None
        self.choose_doc_type("DNI")
        self._show(self.choose_page)

    def _show(self, page: QWidget) -> None:
        typing = page in (self.form_page, self.suggestion_page)
        # «Ayuda de un asesor» on the form too: what was typed goes with the ticket.
        shown = {self.keyboard: typing, self.send: typing,
                 self.suggest: page is self.choose_page,
                 self.helped: page in (self.choose_page, self.form_page)}
        # What leaves goes first, the step next, what comes last: for a moment both would ask
        # for room and grow the window past the screen. Only the step on screen asks for room.
        for widget, visible in shown.items():
            if not visible:
                widget.hide()
        for step in (self.choose_page, self.form_page, self.suggestion_page, self.done_page):
            policy = (QSizePolicy.Policy.Preferred if step is page
                      else QSizePolicy.Policy.Ignored)
            step.setSizePolicy(policy, policy)
        self.steps.setCurrentWidget(page)
        for widget, visible in shown.items():
            if visible:
                widget.show()
        self.send.setText("Enviar sugerencia" if page is self.suggestion_page
                          else "Enviar reclamo")
        self.back.setText("Listo" if page is self.done_page else "Volver")
        self.title.setText("Buzón de sugerencias" if page is self.suggestion_page
                           else "Libro de Reclamaciones")
        self.problem.hide()
        self.title.show()
        if page is self.form_page:
            self.doc_number.setFocus()
            self.keyboard.attach(self.doc_number)
        elif page is self.suggestion_page:
            self.suggestion_text.setFocus()
            self.keyboard.attach(self.suggestion_text)

    def spoken_text(self) -> str:
        """What the step on screen says, as plain sentences for the voice."""
        page = self.steps.currentWidget()
        if page is self.choose_page:
            parts = [self.title.text(), plain(elsewhere_text()), "¿Sobre qué es su reclamo?",
                     *(f"{text}." for text in CATEGORY_SHORT.values()),
                     "Para dejar una sugerencia sin su nombre, toque Sugerencia anónima. "
                     "Para que un asesor lo ayude, toque Ayuda de un asesor."]
        elif page is self.form_page:
            parts = [self.chosen.text(), "Escriba su documento, sus nombres y apellidos, un "
                     "correo o su domicilio para la respuesta, y qué ocurrió. Luego toque "
                     "Enviar reclamo."]
        elif page is self.suggestion_page:
            parts = ["Buzón de sugerencias: no escriba su nombre. Elija el tema, escriba su "
                     "sugerencia y toque Enviar sugerencia."]
        else:
            parts = [self.done_heading.text(), self.done_number.text(), self.done_due.text(),
                     self.done_printed.text()]
        return " ".join(plain(part) for part in parts if part)

    def read_aloud(self) -> None:
        if self._speak is not None:
            self._speak(self.spoken_text())

    def choose(self, category: str) -> None:
        self.category = category
        self.chosen.setText(f"Reclamo sobre: {CATEGORY_TEXT[Category(category)]}. * obligatorio;"
                            " indique un correo o un domicilio: allí le llegará la respuesta.")
        self._show(self.form_page)

    def choose_doc_type(self, code: str) -> None:
        self.doc_type = code
        for kind, button in self.doc_buttons.items():
            button.setChecked(kind == code)
            button.setProperty("chosen", kind == code)
            button.style().unpolish(button)
            button.style().polish(button)

    def open_suggestion(self) -> None:
        self.choose_suggestion(self.suggestion_category or "otros")
        self._show(self.suggestion_page)

    def choose_suggestion(self, category: str) -> None:
        self.suggestion_category = category
        for code, button in self.suggestion_buttons.items():
            button.setCheckable(True)
            button.setChecked(code == category)

    def _back(self) -> None:
        page = self.steps.currentWidget()
        if page in (self.form_page, self.suggestion_page):
            self._show(self.choose_page)
        else:
            self.clear()
            self.home_requested()

    def _send(self) -> None:
        if self.steps.currentWidget() is self.suggestion_page:
            self._send_suggestion()
            return
        description = self.description.toPlainText().strip()
        if (self.category is None or not self.doc_number.text().strip()
                or not self.full_name.text().strip() or not description):
            self.show_problem("Complete su documento, su nombre y qué ocurrió.")
            return
        try:
            hoja = ReclamoInput(
                category=self.category, doc_type=self.doc_type,
                doc_number=self.doc_number.text().strip(),
                full_name=self.full_name.text().strip(), email=self.email.text().strip() or None,
                phone=self.phone.text().strip() or None,
                address=self.address.text().strip() or None, description=description)
        except ValueError:  # pydantic: a field too long or with a stray character
            self.show_problem("Revise lo escrito: un dato es demasiado largo o tiene "
                              "caracteres no permitidos.")
            return
        self.send.setEnabled(False)
        self.file_requested.emit(hoja)

    def draft(self) -> ReclamoDraft | None:
        """What the citizen typed so far, for the clerk who finishes it; None: nothing."""
        if self.steps.currentWidget() is not self.form_page:
            return None

        def text(field: QLineEdit) -> str | None:
            return field.text().strip()[:field.maxLength()] or None

        try:
            typed = ReclamoDraft(
                category=self.category, doc_type=self.doc_type,
                doc_number=(self.doc_number.text().strip() or None),
                full_name=text(self.full_name), email=text(self.email), phone=text(self.phone),
                address=text(self.address),
                description=self.description.toPlainText().strip()[:2000] or None)
        except ValueError:  # a stray character or a field too long: the clerk asks again
            return None
        filled = typed.model_dump(exclude_defaults=True, exclude={"category"})
        return typed if filled else None

    def _send_suggestion(self) -> None:
        text = self.suggestion_text.toPlainText().strip()
        if not text:
            self.show_problem("Escriba su sugerencia.")
            return
        self.send.setEnabled(False)
        self.suggestion_requested.emit(SuggestionInput(
            category=self.suggestion_category or "otros", text=text))

    # --- the hub's answers ------------------------------------------------------------------

    def show_problem(self, message: str) -> None:
        self.send.setEnabled(True)
        self.problem.setText(message)
        self.title.hide()
        self.problem.show()

    def show_filed(self, reclamo: ReclamoView, outcome: PrintOutcome | None) -> None:
        self.send.setEnabled(True)
        self.filed = reclamo
        self.done_heading.setText("Su reclamo quedó registrado con el número")
        self.done_number.setText(reclamo.number)
        self.done_due.setText("La entidad debe responderle a más tardar el "
                              f"{long_date(reclamo.due_date)}.")
        self._printed(outcome, "Retire su hoja de reclamación.")
        self._show(self.done_page)

    def show_suggested(self) -> None:
        self.send.setEnabled(True)
        self.done_heading.setText("Gracias por su sugerencia")
        self.done_number.setText("")
        self.done_due.setText("La leeremos para mejorar la atención.")
        self.done_printed.setText("")
        self._show(self.done_page)

    def _printed(self, outcome: PrintOutcome | None, ok_text: str) -> None:
        failed = outcome is not None and not outcome.ok
        self.done_printed.setText("No se pudo imprimir la hoja: anote su número." if failed
                                  else ok_text)
        self.done_printed.setProperty("failed", failed)
        self.done_printed.style().unpolish(self.done_printed)
        self.done_printed.style().polish(self.done_printed)
