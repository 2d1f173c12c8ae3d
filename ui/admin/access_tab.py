"""Accesos: who saw a citizen's personal data, when, from which PC (Ley 29733). The answer to
«¿quién vio mis datos?» for a citizen's request, and the check a supervisor makes."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.client.base import HubClient
from kiosk.shared_views import AccessEntry
from ui.admin.models import AccessModel
from ui.admin.widgets import AdminTab, Runner, line, primary
from ui.counter.widgets import label, stretch, table

LIMIT = 500


def parse_day(field: QLineEdit, name: str) -> date | None:
    """dd/mm/aaaa, or nothing (no bound). A ValueError says in Spanish what is wrong."""
    text = field.text().strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(f"La fecha «{name}» debe escribirse como dd/mm/aaaa, por ejemplo "
                         "20/11/2026.") from None


class AccessTab(AdminTab):
    title = "Accesos"

    def __init__(self, client: HubClient, run: Runner, tz: tzinfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        root = QVBoxLayout(self)
        root.setContentsMargins(4, 8, 4, 4)
        root.setSpacing(8)
        root.addWidget(label("Accesos a datos personales", "h2"))
        root.addWidget(label(
            "Cada vez que una ventanilla muestra datos de una persona (un expediente, una "
            "búsqueda, un adjunto) queda registrado aquí. Busque por el DNI del ciudadano o por "
            "el usuario; sin fechas se ven los más recientes.", "hint"))
        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.person = line("DNI o documento", 20)
        self.user = line("Usuario (p. ej. ana)", 40)
        self.date_from = line("dd/mm/aaaa", 10)
        self.date_to = line("dd/mm/aaaa", 10)
        self.search = primary("Buscar")
        for caption, widget in (("&Persona", self.person), ("&Usuario", self.user),
                                ("&Desde", self.date_from), ("&Hasta", self.date_to)):
            text = label(caption)
            text.setBuddy(widget)
            filters.addWidget(text)
            filters.addWidget(widget)
        filters.addWidget(self.search)
        filters.addStretch(1)
        root.addLayout(filters)
        root.addWidget(self.notice)
        self.model = AccessModel(tz)
        self.table = table()
        self.table.setModel(self.model)
        stretch(self.table, 4)
        root.addWidget(self.table, 1)
        self.count = label("", "hint")
        root.addWidget(self.count)

        self.search.clicked.connect(self.load)
        self.person.returnPressed.connect(self.load)
        for field in (self.user, self.date_from, self.date_to):
            field.returnPressed.connect(self.load)

    def load(self) -> None:
        client = self.client
        person = self.person.text().strip() or None
        user = self.user.text().strip() or None
        try:
            date_from = parse_day(self.date_from, "desde")
            date_to = parse_day(self.date_to, "hasta")
        except ValueError as exc:
            self.notice.show_message(str(exc), "error")
            return

        def work() -> list[AccessEntry]:
            return client.audit_access(person=person, user=user, date_from=date_from,
                                       date_to=date_to, limit=LIMIT)

        self.run(work, self.show_entries)

    def show_entries(self, entries: list[AccessEntry]) -> None:
        self.loads += 1
        self.notice.clear_message()
        self.model.set_rows(entries)
        if not entries:
            self.count.setText("Ningún acceso con esos datos en esas fechas.")
        elif len(entries) >= LIMIT:
            self.count.setText(f"Se muestran los {LIMIT} más recientes: acote la búsqueda.")
        else:
            self.count.setText("1 acceso." if len(entries) == 1 else f"{len(entries)} accesos.")

    def clear(self) -> None:
        super().clear()
        for field in (self.person, self.user, self.date_from, self.date_to):
            field.clear()
        self.model.set_rows([])
        self.count.setText("")
