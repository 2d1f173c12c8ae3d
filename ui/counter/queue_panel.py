"""The queue panel: call next, the current ticket and its actions, pause, waiting counts.

The panel only shows and asks; the window makes the hub calls (`requested(action, value)`).
A button is enabled only when its action is legal for the counter and its ticket, and its
shortcut (shown on it) works only then.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.views import ServiceQueue, ServiceView
from ui.counter import texts
from ui.counter.models import WaitingModel
from ui.counter.state import CounterState
from ui.counter.widgets import Notice, button, card, label, table

CALL_TEXT = "Llamar siguiente\nF2 · Espacio"
OPEN_TEXT = "Abrir ventanilla\nF2"
NO_TICKET = "Sin turno"


class ActionPrompt(QWidget):
    """An inline question under the ticket (transfer to…, outcome, pause reason): no modal
    dialog, the keyboard stays in the panel. Enter accepts, Esc cancels."""

    accepted = Signal(str, str)  # action, value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame = card("prompt")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(12, 10, 12, 10)
        self.title = label("", "h2")
        self.choice = QComboBox()
        self.choice.setMaxVisibleItems(12)
        layout.addWidget(self.title)
        layout.addWidget(self.choice)
        row = QHBoxLayout()
        self.cancel = button("Cancelar", "Esc")
        self.ok = button("Aceptar (Enter)", None, "primary")
        row.addWidget(self.cancel)
        row.addWidget(self.ok)
        layout.addLayout(row)
        self.action = ""
        self.ok.clicked.connect(self._accept)
        self.cancel.clicked.connect(self.close_prompt)
        self.hide()

    def ask(self, action: str, title: str, options: Sequence[tuple[str, str]],
            editable: bool = False) -> None:
        self.action = action
        self.title.setText(title)
        self.choice.clear()
        self.choice.setEditable(editable)
        for text, value in options:
            self.choice.addItem(text, value)
        if editable:
            self.choice.setCurrentIndex(-1)
            self.choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            line = self.choice.lineEdit()
            if line is not None:
                line.setPlaceholderText("Escriba o elija el motivo")
        self.show()
        self.choice.setFocus()

    def value(self) -> str:
        if self.choice.isEditable():
            return self.choice.currentText().strip()
        data = self.choice.currentData()
        return str(data) if data is not None else ""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._accept()
            return
        super().keyPressEvent(event)

    def _accept(self) -> None:
        if not self.isVisible():
            return
        value = self.value()
        if not value:
            self.title.setText(self.title.text().split("\n")[0] + "\nElija o escriba una opción.")
            return
        action = self.action
        self.close_prompt()
        self.accepted.emit(action, value)

    def close_prompt(self) -> None:
        self.action = ""
        self.hide()


class QueuePanel(QWidget):
    requested = Signal(str, str)  # action (state.QUEUE_ACTIONS), value (service/outcome/reason)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz: tzinfo | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        head = QHBoxLayout()
        self.counter_name = label("", "h2", wrap=False)
        self.counter_state = label("", "counterState", wrap=False)
        head.addWidget(self.counter_name, 1)
        head.addWidget(self.counter_state)
        layout.addLayout(head)

        self.call = QPushButton(CALL_TEXT)
        self.call.setObjectName("callNext")
        self.call.setShortcut("F2")
        self.call.setToolTip("Llamar al siguiente turno — teclas F2 o Espacio")
        layout.addWidget(self.call)

        ticket_card = card()
        ticket_layout = QVBoxLayout(ticket_card)
        ticket_layout.setContentsMargins(12, 6, 12, 10)
        ticket_layout.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(12)
        self.number = label("", "ticketNumber", wrap=False)
        self.number.setMinimumWidth(215)
        row.addWidget(self.number)
        about = QVBoxLayout()
        about.setSpacing(2)
        about.addWidget(label("Turno actual", "hint", wrap=False))
        self.ticket_state = label("", "ticketState")
        self.ticket_info = label("", "hint")
        about.addWidget(self.ticket_state)
        about.addWidget(self.ticket_info)
        about.addStretch(1)
        row.addLayout(about, 1)
        ticket_layout.addLayout(row)
        self.handled = label("", "hint")
        self.handled.hide()
        ticket_layout.addWidget(self.handled)
        grid = QGridLayout()
        grid.setSpacing(6)
        self.recall = button("Rellamar", "F3", "queueAction")
        self.start = button("Iniciar atención", "F4", "queueAction")
        self.no_show = button("No se presentó", "F6", "queueAction")
        self.transfer = button("Transferir…", "F7", "queueAction")
        self.finish = button("Finalizar…", "F9", "queueAction")
        grid.addWidget(self.recall, 0, 0)
        grid.addWidget(self.start, 0, 1)
        grid.addWidget(self.no_show, 1, 0)
        grid.addWidget(self.transfer, 1, 1)
        grid.addWidget(self.finish, 2, 0, 1, 2)
        ticket_layout.addLayout(grid)
        layout.addWidget(ticket_card)

        self.prompt = ActionPrompt()
        layout.addWidget(self.prompt)

        row = QHBoxLayout()
        self.pause = button("Pausa…", "F10", "queueAction")
        self.close_counter = button("Cerrar ventanilla", "F12", "queueAction")
        row.addWidget(self.pause)
        row.addWidget(self.close_counter)
        layout.addLayout(row)

        self.notice = Notice()
        layout.addWidget(self.notice)

        layout.addWidget(label("En espera (solo números)", "h2"))
        self.waiting_model = WaitingModel()
        self.waiting = table()
        self.waiting.setModel(self.waiting_model)
        self.waiting.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to do there by keyboard
        self.waiting.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.waiting.horizontalHeader().setStretchLastSection(False)
        self.waiting.verticalHeader().setDefaultSectionSize(26)
        self.waiting.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # The list takes what is left: with a prompt, a notice and the ticket's expedientes
        # all showing it shrinks (it scrolls) instead of making the window taller than 768.
        self.waiting.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        layout.addWidget(self.waiting, 1)
        self.waiting_total = label("", "hint")
        layout.addWidget(self.waiting_total)

        self.state = CounterState()
        self._services: list[ServiceView] = []
        self._pause_is_resume = False
        self.call.clicked.connect(self._primary)
        self.recall.clicked.connect(lambda: self.requested.emit("recall", ""))
        self.start.clicked.connect(lambda: self.requested.emit("start", ""))
        self.no_show.clicked.connect(lambda: self.requested.emit("no_show", ""))
        self.transfer.clicked.connect(self.ask_transfer)
        self.finish.clicked.connect(self.ask_finish)
        self.pause.clicked.connect(self._pause_or_resume)
        self.close_counter.clicked.connect(lambda: self.requested.emit("close", ""))
        self.prompt.accepted.connect(self.requested)
        self.show_state(CounterState())

    def _ask(self, action: str, title: str, options: Sequence[tuple[str, str]],
             editable: bool = False) -> None:
        """A new question: the last action's feedback makes room for it."""
        self.notice.clear_message()
        self.prompt.ask(action, title, options, editable)

    # --- what the clerk asks --------------------------------------------------------------

    def _primary(self) -> None:
        legal = self.state.legal()
        if "open" in legal:
            self.requested.emit("open", "")
        elif "call" in legal:
            self.requested.emit("call", "")

    def _pause_or_resume(self) -> None:
        if "resume" in self.state.legal():
            self.requested.emit("resume", "")
        else:
            self._ask("pause", "Motivo de la pausa",
                      [(reason, reason) for reason in texts.PAUSE_REASONS], editable=True)

    def ask_transfer(self) -> None:
        ticket = self.state.held_ticket
        if ticket is None:
            return
        options = [(f"{s.prefix} · {s.name}", s.code) for s in self._services
                   if s.active and s.code != ticket.service]
        self._ask("transfer", f"Transferir el turno {ticket.number} a:", options)

    def ask_finish(self) -> None:
        ticket = self.state.held_ticket
        if ticket is None:
            return
        self._ask("finish", f"Resultado de la atención del turno {ticket.number}:",
                  [(text, code) for code, text in texts.OUTCOME_LABELS.items()])

    # --- what the hub says ----------------------------------------------------------------

    def set_services(self, services: Sequence[ServiceView]) -> None:
        self._services = list(services)

    def service_name(self, code: str) -> str:
        return next((s.name for s in self._services if s.code == code), code)

    def show_state(self, state: CounterState) -> None:
        self.state = state
        legal = state.legal()
        counter = state.counter
        self.counter_name.setText(counter.name if counter else "")
        self.counter_state.setText(texts.COUNTER_STATES.get(counter.state, counter.state)
                                   if counter else "")
        self.counter_state.setProperty("state", counter.state if counter else "")
        self.counter_state.style().unpolish(self.counter_state)
        self.counter_state.style().polish(self.counter_state)
        if counter is not None and counter.state == "paused" and counter.pause_reason:
            self.counter_state.setText(f"En pausa: {counter.pause_reason}")

        self.call.setText(OPEN_TEXT if "open" in legal else CALL_TEXT)
        self.call.setShortcut("F2")  # a new text resets a button's shortcut to its mnemonic
        self.call.setEnabled(bool(legal & {"open", "call"}))
        self.recall.setEnabled("recall" in legal)
        self.start.setEnabled("start" in legal)
        self.no_show.setEnabled("no_show" in legal)
        self.transfer.setEnabled("transfer" in legal)
        self.finish.setEnabled("finish" in legal)
        resume = "resume" in legal
        self.pause.setText("Reanudar (F10)" if resume else "Pausa… (F10)")
        self.pause.setShortcut("F10")
        self.pause.setEnabled(bool(legal & {"pause", "resume"}))
        self.close_counter.setEnabled("close" in legal)
        if self.prompt.action and self.prompt.action not in legal:
            self.prompt.close_prompt()

        ticket = state.held_ticket
        self._show_number(ticket.number if ticket is not None else None)
        if ticket is None:
            self.ticket_state.setText("")
            self.ticket_info.setText("Llame al siguiente con F2 o Espacio." if counter and
                                     counter.state == "open" else "")
            return
        if ticket.status == "called":
            since = texts.clock_text(ticket.called_at, self.tz)
            extra = f" · rellamado {ticket.recalls}×" if ticket.recalls else ""
            self.ticket_state.setText(f"Llamado {since}{extra}")
        else:
            started = texts.clock_text(ticket.started_at, self.tz)
            self.ticket_state.setText(f"En atención desde {started}")
        info = [self.service_name(ticket.service)]
        if ticket.preferential:
            info.append(texts.preferential_text(ticket.preferential))
        info.append(f"Emitido {texts.clock_text(ticket.issued_at, self.tz)}")
        self.ticket_info.setText(" · ".join(info))

    def _show_number(self, number: str | None) -> None:
        """The ticket's number, large; with none, a quiet «Sin turno» (a lone dash at that
        size read as a thick bar)."""
        empty = number is None
        self.number.setText(number if number is not None else NO_TICKET)
        if self.number.property("empty") != empty:
            self.number.setProperty("empty", empty)
            self.number.style().unpolish(self.number)
            self.number.style().polish(self.number)

    def show_handled(self, numbers: Sequence[str]) -> None:
        """The expedientes filed, paid or moved during this ticket (linked when it ends)."""
        self.handled.setText("Expedientes de este turno: " + ", ".join(numbers))
        self.handled.setVisible(bool(numbers))

    def show_queue(self, services: Sequence[ServiceQueue]) -> None:
        own = self.state.counter.services if self.state.counter else []
        self.waiting_model.set_queue(services, own)
        mine = self.waiting_model.waiting_for(own_only=True)
        self.waiting_total.setText(
            "Nadie espera en sus servicios." if mine == 0 else
            f"{mine} {'persona espera' if mine == 1 else 'personas esperan'} en sus servicios.")
