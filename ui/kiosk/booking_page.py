""""Reservar cita": a citizen books a cita for another day at the kiosk, one touch a step —
the service, the day, the time, the DNI, the name — and reads the booking code back, large.

The page only shows what the hub answers (kiosk/rules/citas.py decides the places); the
window makes the calls. Today is not offered: today's citizens take a ticket.

The same day and hour picker moves a booking («Cambiar la hora de mi cita», from «Tengo
cita» once the hub has checked its code and DNI): the day and the hour of its own service,
then a confirmation, then the code, the new day and hour — never the person's name.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from functools import partial

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.cita_views import CitaDayView, CitaPlanView, CitaView, SlotView
from ui.kiosk.widgets import page_button, page_label

translate = QCoreApplication.translate

LETTERS = "ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
DIGITS = "1234567890"
NAME_MAX = 60


class Step(Enum):
    SERVICE = "service"
    DAY = "day"
    TIME = "time"
    DNI = "dni"
    NAME = "name"
    CONFIRM = "confirm"  # moving a booking: the new hour, before the hub is asked
    DONE = "done"


def weekday_word(day: date) -> str:
    words = (translate("Kiosk", "lunes"), translate("Kiosk", "martes"),
             translate("Kiosk", "miércoles"), translate("Kiosk", "jueves"),
             translate("Kiosk", "viernes"), translate("Kiosk", "sábado"),
             translate("Kiosk", "domingo"))
    return f"{words[day.weekday()]} {day:%d/%m}"


class BookingPage(QWidget):
    """Choices as large buttons; the DNI and the name typed on large keys."""

    service_chosen = Signal(str)
    booking_requested = Signal()
    change_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = Step.SERVICE
        self.plans: list[CitaPlanView] = []
        self.days: list[CitaDayView] = []
        self.service: CitaPlanView | None = None
        self.day: CitaDayView | None = None
        self.slot: SlotView | None = None
        self.document = ""
        self.name = ""
        self.booked: CitaView | None = None
        self.moving: CitaView | None = None  # the booking whose hour changes (its code proven)
        self.problem: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 24, 36, 24)
        layout.setSpacing(14)
        self.title = page_label("title")
        layout.addWidget(self.title)
        self.typed = page_label("typed")
        layout.addWidget(self.typed)
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        layout.addLayout(self.grid, 1)
        self.answer = page_label("statusResult")
        layout.addWidget(self.answer)
        row = QHBoxLayout()
        self.back = page_button("back")
        self.erase = page_button("back")
        self.next = page_button("primary")
        for button in (self.back, self.erase, self.next):
            row.addWidget(button)
        layout.addLayout(row)
        self.erase.clicked.connect(self.backspace)
        self.next.clicked.connect(self.advance)
        self._buttons: list[QPushButton] = []

    # --- what the hub answered -------------------------------------------------------------

    def start(self, plans: list[CitaPlanView]) -> None:
        self.plans = [p for p in plans if p.takes_citas]
        self.service = self.day = self.slot = self.booked = self.moving = None
        self.document = self.name = ""
        self.problem = None
        self._go(Step.SERVICE)

    def show_days(self, days: list[CitaDayView]) -> None:
        self.days = [d for d in days if any(s.free for s in d.slots)]
        self._go(Step.DAY)

    def start_change(self, cita: CitaView, document: str, days: list[CitaDayView]) -> None:
        """Move `cita` (its code and `document` proven): the free days of its service."""
        self.start([])
        self.moving, self.document = cita, document
        self.show_days(days)

    def show_hours_again(self, days: list[CitaDayView], message: str) -> None:
        """The hour was taken meanwhile: the hours as they are now, and the hub's reason."""
        chosen = self.day.day if self.day is not None else None
        self.days = [d for d in days if any(s.free for s in d.slots)]
        self.day = next((d for d in self.days if d.day == chosen), None)
        self.slot = None
        self._go(Step.TIME if self.day is not None else Step.DAY)
        self.show_problem(message)

    def show_booked(self, cita: CitaView) -> None:
        self.booked = cita
        self._go(Step.DONE)

    def show_problem(self, message: str) -> None:
        self.problem = message
        self.retranslate()

    # --- the citizen's touches ---------------------------------------------------------------

    def _go(self, step: Step) -> None:
        self.step = step
        self.problem = None
        self._fill()
        self.retranslate()

    def _choose_service(self, plan: CitaPlanView) -> None:
        self.service = plan
        self.service_chosen.emit(plan.service)  # the window asks for the days

    def _choose_day(self, day: CitaDayView) -> None:
        self.day = day
        self._go(Step.TIME)

    def _choose_slot(self, slot: SlotView) -> None:
        self.slot = slot
        self._go(Step.DNI if self.moving is None else Step.CONFIRM)

    def press(self, key: str) -> None:
        if self.step is Step.DNI and len(self.document) < 8:
            self.document += key
        elif self.step is Step.NAME and len(self.name) < NAME_MAX:
            self.name += key
        self.problem = None
        self.retranslate()

    def backspace(self) -> None:
        if self.step is Step.DNI:
            self.document = self.document[:-1]
        elif self.step is Step.NAME:
            self.name = self.name[:-1]
        self.retranslate()

    def advance(self) -> None:
        if self.step is Step.DNI and len(self.document) == 8:
            self._go(Step.NAME)
        elif self.step is Step.NAME and len(self.name.strip()) >= 3:
            self.booking_requested.emit()
        elif self.step is Step.CONFIRM:
            self.change_requested.emit()

    def go_back(self) -> bool:
        """One step back; False at the first step (the window goes home, or back to the
        booking's code and DNI when moving one)."""
        order = ([Step.SERVICE, Step.DAY, Step.TIME, Step.DNI, Step.NAME] if self.moving is None
                 else [Step.DAY, Step.TIME, Step.CONFIRM])
        if self.step not in order or self.step is order[0]:
            return False
        self._go(order[order.index(self.step) - 1])
        return True

    # --- the page ------------------------------------------------------------------------

    def _fill(self) -> None:
        """The step's buttons or keys."""
        for button in self._buttons:
            self.grid.removeWidget(button)
            button.hide()  # at once: deleteLater waits for the event loop
            button.deleteLater()
        self._buttons = []
        choices: list[tuple[str, object]] = []
        columns = 3
        if self.step is Step.SERVICE:
            choices = [(p.service_name, partial(self._choose_service, p)) for p in self.plans]
            columns = 2
        elif self.step is Step.DAY:
            choices = [(weekday_word(d.day), partial(self._choose_day, d)) for d in self.days]
            # Two: three Quechua day names («quyllurchaw 25/11») overflow a 1024-px screen.
            columns = 2
        elif self.step is Step.TIME and self.day is not None:
            choices = [(s.time, partial(self._choose_slot, s)) for s in self.day.slots
                       if s.free]
            columns = 4
        elif self.step is Step.DNI:
            choices = [(k, partial(self.press, k)) for k in DIGITS]
            columns = 5
        elif self.step is Step.NAME:
            choices = [(k, partial(self.press, k)) for k in LETTERS]
            choices.append(("␣", partial(self.press, " ")))
            columns = 7
        for index, (text, action) in enumerate(choices):
            button = page_button("key" if self.step in (Step.DNI, Step.NAME) else "year")
            button.setText(text)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setMaximumHeight(130)
            button.clicked.connect(action)
            self.grid.addWidget(button, index // columns, index % columns)
            button.show()  # now, not when the event loop gets to it
            self._buttons.append(button)

    def retranslate(self) -> None:
        moving = self.moving
        titles = {
            Step.SERVICE: translate("Kiosk", "Reservar cita: elija el trámite"),
            Step.DAY: translate("Kiosk", "Elija el día"),
            Step.TIME: translate("Kiosk", "Elija la hora"),
            Step.DNI: translate("Kiosk", "Escriba su DNI"),
            Step.NAME: translate("Kiosk", "Escriba su nombre"),
            Step.CONFIRM: translate("Kiosk", "¿Cambiar su cita a esta hora?"),
            Step.DONE: translate("Kiosk", "Cita reservada: anote su código") if moving is None
            else translate("Kiosk", "Hora cambiada: anote su código"),
        }
        self.title.setText(titles[self.step])
        typed = {Step.DNI: self.document, Step.NAME: self.name}.get(self.step, "")
        service_name = (self.service.service_name if self.service is not None
                        else moving.service_name if moving is not None else "")
        if self.step is Step.DONE and self.booked is not None:
            typed = self.booked.code
        elif self.step in (Step.DAY, Step.TIME) and service_name:
            typed = service_name + (
                f" · {weekday_word(self.day.day)}" if self.step is Step.TIME and self.day
                else "")
        elif self.step is Step.CONFIRM and self.day is not None and self.slot is not None:
            typed = f"{weekday_word(self.day.day)} · {self.slot.time}"
        self.typed.setText(typed or "—")
        done = self.step is Step.DONE
        message = self.problem
        if done and self.booked is not None and moving is None:
            message = translate("Kiosk", "%1, %2 a las %3. Con este código o su DNI registre "
                                         "su llegada en el quiosco ese día.").replace(
                "%1", self.booked.service_name).replace(
                "%2", weekday_word(self.booked.day)).replace("%3", self.booked.time)
        elif done and self.booked is not None:
            message = translate("Kiosk", "Su cita %1 es ahora el %2 a las %3. Con este código "
                                         "o su DNI registre su llegada ese día.").replace(
                "%1", self.booked.code).replace(
                "%2", weekday_word(self.booked.day)).replace("%3", self.booked.time)
        elif (self.step is Step.CONFIRM and not message and moving is not None
              and self.day is not None and self.slot is not None):
            message = translate("Kiosk", "Su cita %1 del %2 a las %3 pasa al %4 a las "
                                         "%5.").replace("%1", moving.code).replace(
                "%2", weekday_word(moving.day)).replace("%3", moving.time).replace(
                "%4", weekday_word(self.day.day)).replace("%5", self.slot.time)
        elif self.step is Step.DAY and not self.days:
            message = translate("Kiosk", "No quedan horas libres en los próximos días.")
        self.answer.setVisible(bool(message))
        self.answer.setText(message or "")
        self.back.setText(translate("Kiosk", "Listo") if done else translate("Kiosk", "Volver"))
        self.erase.setText(translate("Kiosk", "Borrar"))
        self.erase.setVisible(self.step in (Step.DNI, Step.NAME))
        self.next.setText(translate("Kiosk", "Reservar") if self.step is Step.NAME
                          else translate("Kiosk", "Cambiar la hora") if self.step is Step.CONFIRM
                          else translate("Kiosk", "Siguiente"))
        self.next.setVisible(self.step in (Step.DNI, Step.NAME, Step.CONFIRM))
        self.next.setEnabled((self.step is Step.DNI and len(self.document) == 8)
                             or (self.step is Step.NAME and len(self.name.strip()) >= 3)
                             or self.step is Step.CONFIRM)
