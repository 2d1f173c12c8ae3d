""""Tengo cita": a citizen with a booking types their DNI (or the booking code) and gets the
ticket that is called at the cita's time (kiosk/rules/citas.py). Late, the same ticket joins
the regular queue, and the page says so; the hub decides, the kiosk only shows its answer.

Digits by default (the DNI); «ABC» swaps the keys for the letters of booking codes.

«Cancelar mi cita» and «Cambiar la hora de mi cita»: with the booking code typed, the page asks
for the booking's DNI (the code and the DNI together cancel or change, decision records 40 and
47). A cancellation is said here; a change goes on to the free hours of the cita's service on
the «Reservar» page (ui/kiosk/booking_page.py). No name nor contact is shown (a public machine).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.rules.citas import CODE_ALPHABET, normalise_code
from kiosk.services.cita_views import CitaView
from ui.kiosk.booking_page import weekday_word
from ui.kiosk.widgets import page_button, page_label

translate = QCoreApplication.translate

DIGITS = "1234567890"
LETTERS = "".join(ch for ch in CODE_ALPHABET if ch.isalpha())
MAX_TYPED = 9  # a DNI with its check digit; a code has fewer characters


class CitaPage(QWidget):
    """The typed DNI or code in large type, a keypad, and the hub's answer when it refuses."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.typed_text = ""
        self.letters = False
        self.problem: str | None = None
        self.cancel_code: str | None = None  # the booking being cancelled: its DNI is asked
        self.change_code: str | None = None  # the booking whose hour changes: its DNI is asked
        self.done: str | None = None  # what the hub did (a cancellation), said until cleared
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 24, 36, 24)
        layout.setSpacing(14)
        self.title = page_label("title")
        layout.addWidget(self.title)
        self.typed = page_label("typed")
        layout.addWidget(self.typed)
        self.hint = page_label("ticketInfo")
        layout.addWidget(self.hint)
        self.book = page_button("year")  # to the booking of another day (ui/kiosk/booking_page.py)
        layout.addWidget(self.book)
        self.cancel = page_button("year")  # with the code typed: cancel that cita (its DNI asked)
        layout.addWidget(self.cancel)
        self.change = page_button("year")  # with the code typed: other hours (its DNI asked)
        layout.addWidget(self.change)
        self.keypad = QGridLayout()
        self.keypad.setSpacing(12)
        self.keys: dict[str, QPushButton] = {}
        for key in DIGITS + LETTERS:
            button = page_button("key")
            # Keys grow with the panel (a thumb from a metre away), up to a sensible size.
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setMaximumHeight(150)
            button.setText(key)
            button.clicked.connect(partial(self.press, key))
            self.keys[key] = button
        layout.addLayout(self.keypad, 1)
        self.answer = page_label("statusResult")
        self.answer.hide()
        layout.addWidget(self.answer)
        row = QHBoxLayout()
        self.back = page_button("back")
        self.switch = page_button("back")
        self.erase = page_button("back")
        self.check_in = page_button("primary")
        self.confirm_cancel = page_button("primary")
        self.confirm_change = page_button("primary")  # the window opens the booking's hours
        for button in (self.back, self.switch, self.erase, self.check_in, self.confirm_cancel,
                       self.confirm_change):
            row.addWidget(button)
        layout.addLayout(row)
        self.cancel.clicked.connect(self.start_cancel)
        self.change.clicked.connect(self.start_change)
        self.switch.clicked.connect(self.toggle_letters)
        self.erase.clicked.connect(self.backspace)
        self._lay_keys()

    def _lay_keys(self) -> None:
        """Digits in a 3-wide pad; letters in rows of seven."""
        for button in self.keys.values():
            self.keypad.removeWidget(button)
            button.hide()
        shown = LETTERS if self.letters else DIGITS
        columns = 7 if self.letters else 5
        for index, key in enumerate(shown):
            self.keypad.addWidget(self.keys[key], index // columns, index % columns)
            self.keys[key].show()

    def clear(self) -> None:
        self.typed_text, self.problem = "", None
        self.cancel_code = self.change_code = self.done = None
        if self.letters:
            self.toggle_letters()
        self.retranslate()

    def toggle_letters(self) -> None:
        self.letters = not self.letters
        self._lay_keys()
        self.retranslate()

    def press(self, key: str) -> None:
        if len(self.typed_text) < MAX_TYPED:
            self.typed_text += key
        self.problem = self.done = None
        self.retranslate()

    def backspace(self) -> None:
        self.typed_text = self.typed_text[:-1]
        self.problem = None
        self.retranslate()

    @property
    def query(self) -> str | None:
        """What to send: a booking code, or 8 or 9 digits of a DNI."""
        text = self.typed_text
        if normalise_code(text) is not None:
            return normalise_code(text)
        if text.isdigit() and len(text) in (8, 9):
            return text
        return None

    @property
    def document(self) -> str | None:
        """The DNI typed to confirm a cancellation or a change."""
        text = self.typed_text
        return text if text.isdigit() and len(text) in (8, 9) else None

    def start_cancel(self) -> None:
        """The typed code is the cita to cancel; now its DNI is typed on the digits."""
        code = normalise_code(self.typed_text)
        if code is None:
            return
        self.clear()
        self.cancel_code = code
        self.retranslate()

    def start_change(self) -> None:
        """The typed code is the cita to move; now its DNI is typed on the digits."""
        code = normalise_code(self.typed_text)
        if code is None:
            return
        self.clear()
        self.change_code = code
        self.retranslate()

    def show_cancelled(self, cita: CitaView) -> None:
        self.clear()
        self.done = translate("Kiosk", "Su cita %1 del %2 a las %3 quedó cancelada. Su lugar "
                                       "queda libre para otra persona.").replace(
            "%1", cita.code).replace("%2", weekday_word(cita.day)).replace("%3", cita.time)
        self.retranslate()

    def show_problem(self, message: str | None) -> None:
        self.problem = message
        self.retranslate()

    def retranslate(self) -> None:
        cancelling, changing = self.cancel_code is not None, self.change_code is not None
        proving = cancelling or changing  # the booking's DNI is typed
        if cancelling:
            title = translate("Kiosk", "Cancelar la cita %1: escriba el DNI con el que la "
                                       "reservó").replace("%1", str(self.cancel_code))
        elif changing:
            title = translate("Kiosk", "Cambiar la hora de la cita %1: escriba el DNI con el "
                                       "que la reservó").replace("%1", str(self.change_code))
        else:
            title = translate("Kiosk", "Tengo cita: escriba su DNI o el código de su cita")
        self.title.setText(title)
        self.typed.setText(self.typed_text or "—")
        self.hint.setText(translate(
            "Kiosk", "Recibirá un turno que se llama a la hora de su cita. Si llega tarde, su "
                     "turno sigue la cola normal."))
        self.back.setText(translate("Kiosk", "Volver"))
        self.book.setText(translate("Kiosk", "¿No tiene cita? Reserve una para otro día"))
        self.switch.setText("123" if self.letters else "ABC")  # the same in every language
        self.erase.setText(translate("Kiosk", "Borrar"))
        self.cancel.setText(translate("Kiosk", "Cancelar mi cita (escriba antes su código)"))
        self.change.setText(translate("Kiosk", "Cambiar la hora de mi cita (escriba antes su "
                                               "código)"))
        self.check_in.setText(translate("Kiosk", "Registrar llegada"))
        self.check_in.setEnabled(self.query is not None)
        self.confirm_cancel.setText(translate("Kiosk", "Cancelar la cita"))
        self.confirm_cancel.setEnabled(self.document is not None)
        self.confirm_change.setText(translate("Kiosk", "Ver horas libres"))
        self.confirm_change.setEnabled(self.document is not None)
        self.check_in.setVisible(not proving)
        self.confirm_cancel.setVisible(cancelling)
        self.confirm_change.setVisible(changing)
        coded = normalise_code(self.typed_text) is not None
        for button in (self.book, self.cancel, self.change):
            button.setVisible(not proving)
        self.cancel.setEnabled(coded)
        self.change.setEnabled(coded)
        self.switch.setVisible(not proving)  # a DNI is digits only
        self.hint.setVisible(not proving)  # about arriving, not about the booking
        said = self.problem or self.done
        self.answer.setVisible(said is not None)
        self.answer.setText(said or "")


