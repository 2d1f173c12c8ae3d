"""The tests before the end: the link (a joined PC reaches its hub with its credential; the
hub PC has its port free for the others) and the printer (a test page). A failure is said
plainly and can be tried again; the link must work to finish, the printer may come later."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from kiosk.errors import CacError
from ui.setup_wizard.context import SetupContext
from ui.setup_wizard.page import SetupPage, disk_message
from ui.setup_wizard.pages import START
from ui.setup_wizard.steps import PURPOSE, check_hub_port, check_link, link_message, try_printer

OK, FAILED = "✔ ", "✖ "


def _result(label: QLabel, ok: bool, text: str) -> None:
    label.setText((OK if ok else FAILED) + text)
    label.setProperty("ok", ok)
    label.style().unpolish(label)  # the style sheet's [ok="false"] colour follows
    label.style().polish(label)


class CheckPage(SetupPage):
    def __init__(self, context: SetupContext) -> None:
        super().__init__(context, "Pruebas",
                         "La conexión de esta PC y su impresora, antes de empezar.")
        self.link = QLabel()
        self.link.setObjectName("linkResult")
        self.link.setWordWrap(True)
        self.printed = QLabel()
        self.printed.setObjectName("printerResult")
        self.printed.setWordWrap(True)
        buttons = QHBoxLayout()
        self.link_button = QPushButton("Probar la &conexión")
        self.print_button = QPushButton("Imprimir una página de &prueba")
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        for widget in (self.link, self.printed):
            self.body.addWidget(widget)
        self.body.addLayout(buttons)
        self.link_button.clicked.connect(self.test_link)
        self.print_button.clicked.connect(self.test_printer)
        self.link_ok = False
        self.finish_layout()

    def _prints(self) -> bool:
        this_pc = self.context.this_pc
        return self.context.creating or (this_pc is not None and PURPOSE[this_pc.role].prints)

    def initializePage(self) -> None:
        self.print_button.setVisible(self._prints())
        self.printed.setText("" if self._prints() else "Esta PC no imprime.")
        self.test_link()

    def test_link(self) -> None:
        context = self.context
        try:
            if context.creating:
                said = check_hub_port(context.data_dir)
            else:
                joined = context.joined
                assert joined is not None
                hub = joined.this_pc.hub
                context.health = check_link(hub, joined.token, joined.ca_file,
                                            context.connect(hub, joined.token, joined.ca_file))
                said = link_message(context.health)
        except CacError as exc:
            self.link_ok = False
            _result(self.link, False, exc.message)
        else:
            self.link_ok = True
            _result(self.link, True, said)
        self.completeChanged.emit()

    def test_printer(self) -> None:
        context = self.context
        if context.creating:
            office = context.office
            assert office is not None
            name, municipality = office.name, office.municipality
        else:
            health = context.health
            name = health.name if health else ""
            municipality = health.municipality if health else ""
        try:
            said = try_printer(context.data_dir, name, municipality)
        except (CacError, OSError) as exc:
            _result(self.printed, False,
                    exc.message if isinstance(exc, CacError) else disk_message(exc))
        else:
            _result(self.printed, True, said)

    def isComplete(self) -> bool:
        return self.link_ok

    def nextId(self) -> int:
        return START
