"""The counter's work page: the top bar (office, clerk, lock, sign out), the offline line,
the queue panel on the left and, on the right, the nav buttons over the pages of the work
(new expediente, search, the expediente, its transition and payment forms, the cierre)."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.counter.citas_panel import CitasPanel
from ui.counter.expediente_form import ExpedienteForm
from ui.counter.expediente_view import ExpedientePanel
from ui.counter.forms import AppealForm, PaymentForm, TransitionForm
from ui.counter.lists import CashPanel, SearchPanel
from ui.counter.queue_panel import QueuePanel
from ui.counter.reclamo_form import ReclamoForm
from ui.counter.widgets import Notice, button, label

QUEUE_WIDTH = 440


class WorkArea(QWidget):
    """Nav buttons over the pages of the right side (form, search, expediente, …)."""

    def __init__(self, tz: tzinfo | None) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        nav = QHBoxLayout()
        self.new = button("Nuevo expediente", "Ctrl+N", "nav")
        self.search = button("Buscar expediente", "Ctrl+F", "nav")
        self.cash = button("Cierre de caja", "Ctrl+J", "nav")
        self.citas = button("Citas", "Ctrl+T", "nav")
        self.group = QButtonGroup(self)
        for widget in (self.new, self.search, self.cash, self.citas):
            widget.setCheckable(True)
            self.group.addButton(widget)
            nav.addWidget(widget)
        nav.addStretch(1)
        layout.addLayout(nav)
        self.stack = QStackedWidget()
        self.welcome = label(
            "<h2>Atajos de teclado</h2>"
            "<p><b>F2</b> o <b>Espacio</b>: llamar siguiente · <b>F3</b> rellamar · "
            "<b>F4</b> iniciar atención · <b>F6</b> no se presentó · <b>F7</b> transferir · "
            "<b>F9</b> finalizar · <b>F10</b> pausa / reanudar · <b>F12</b> cerrar ventanilla"
            "</p><p><b>Ctrl+N</b> nuevo expediente · <b>Ctrl+F</b> buscar expediente · "
            "<b>Ctrl+J</b> cierre de caja · <b>Ctrl+K</b> reclamo · <b>Ctrl+T</b> citas · "
            "<b>Ctrl+L</b> bloquear</p>"
            "<p>En los formularios: <b>Tab</b> pasa al siguiente campo, <b>Enter</b> busca o "
            "confirma, <b>Esc</b> vuelve.</p>", "hint")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.welcome.setMargin(16)
        self.form = ExpedienteForm()
        self.search_panel = SearchPanel()
        self.expediente = ExpedientePanel(tz)
        self.transition = TransitionForm()
        self.payment = PaymentForm()
        self.appeal = AppealForm()
        self.cash_panel = CashPanel(tz)
        self.reclamo_form = ReclamoForm()
        self.citas_panel = CitasPanel(tz)
        for page in (self.welcome, self.form, self.search_panel, self.expediente,
                     self.transition, self.payment, self.appeal, self.cash_panel,
                     self.reclamo_form, self.citas_panel):
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)

    def show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        nav = {self.form: self.new, self.search_panel: self.search, self.cash_panel: self.cash,
               self.citas_panel: self.citas}
        checked = nav.get(page)
        self.group.setExclusive(checked is not None)
        for widget in (self.new, self.search, self.cash, self.citas):
            widget.setChecked(widget is checked)
        self.group.setExclusive(True)


class WorkPage(QWidget):
    def __init__(self, tz: tzinfo | None) -> None:
        super().__init__()
        self.setObjectName("page")
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        self.top = QWidget()
        self.top.setObjectName("topBar")
        self.top.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.bar = bar = QHBoxLayout(self.top)
        bar.setContentsMargins(14, 6, 10, 6)
        self.office = label("", "topTitle", wrap=False)
        self.clerk = label("", wrap=False)
        # A citizen's reclamo (Libro de Reclamaciones): up here, the nav row is full at 1366.
        self.reclamo = button("Reclamo", "Ctrl+K", "topButton")
        self.lock = button("Bloquear", "Ctrl+L", "topButton")
        self.sign_out = QPushButton("Cerrar sesión")
        self.sign_out.setObjectName("topButton")
        bar.addWidget(self.office)
        bar.addStretch(1)
        bar.addWidget(self.clerk)
        bar.addSpacing(12)
        bar.addWidget(self.reclamo)
        bar.addWidget(self.lock)
        bar.addWidget(self.sign_out)
        root.addWidget(self.top)
        self.offline = Notice()
        root.addWidget(self.offline)
        body = QHBoxLayout()
        body.setContentsMargins(10, 8, 10, 10)
        body.setSpacing(12)
        self.queue = QueuePanel()
        self.queue.tz = tz
        self.queue.setFixedWidth(QUEUE_WIDTH)
        self.area = WorkArea(tz)
        body.addWidget(self.queue)
        body.addWidget(self.area, 1)
        root.addLayout(body, 1)
        for widget in (self.reclamo, self.lock, self.sign_out):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
