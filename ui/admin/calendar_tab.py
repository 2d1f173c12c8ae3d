"""Calendario: where the office is (its ubigeo) and its filing cut-off, and the extra
non-working days it holds, each with whether it counts in this office's deadlines (issue 20).

The settings are declared in kiosk/settings.py (group «Calendario de la oficina»); the days
come from central (changed there) or are the office's own (`cac calendar`, the API's
/admin/calendar)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.client.base import HubClient
from kiosk.services.admin_views import OfficeSettings
from kiosk.services.calendar_views import NonWorkingDayView
from kiosk.settings import Group
from ui.admin.setting_fields import names_in
from ui.admin.settings_tabs import SettingsTab
from ui.admin.widgets import Runner, buttons, primary
from ui.counter.models import Column, RowsModel
from ui.counter.widgets import label, stretch, table


class DaysModel(RowsModel[NonWorkingDayView]):
    def __init__(self) -> None:
        super().__init__([
            Column("Fecha", lambda d: f"{d.day:%d/%m/%Y}"),
            Column("Nombre", lambda d: d.name),
            Column("Alcance", lambda d: f"{d.scope_text} {d.place}".strip()),
            Column("¿Cuenta aquí?", lambda d: "Sí" if d.counts else "No (otro lugar)"),
        ])


class CalendarTab(SettingsTab):
    title = "Feriados"
    # The calendar and the office's hours (the citas' slots and tolerance).
    FIELDS = names_in(Group.CALENDAR, Group.CITAS)

    def __init__(self, client: HubClient, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        root = QHBoxLayout(self)
        root.setContentsMargins(4, 8, 4, 4)
        box, _ = self.fields.group_box(Group.CALENDAR)
        box.setFixedWidth(560)
        self.ubigeo = self.fields.line("ubigeo")
        self.cutoff = self.fields.line("filing_cutoff")
        hours, _ = self.fields.group_box(Group.CITAS)
        hours.setFixedWidth(560)
        self.save = primary("Guardar")
        left = QVBoxLayout()
        left.addWidget(box)
        left.addWidget(hours)
        left.addLayout(buttons(self.save))
        left.addWidget(self.notice)
        left.addWidget(self.restart)
        left.addStretch(1)
        root.addLayout(left)
        days = QVBoxLayout()
        days.addWidget(label("Días no laborables además de los feriados nacionales", "h2"))
        self.days_model = DaysModel()
        self.days = table()
        self.days.setModel(self.days_model)
        stretch(self.days, 1)
        days.addWidget(self.days, 1)
        days.addWidget(label("Los envía la central con su alcance; solo cuentan en los plazos "
                             "los de este lugar. Los días propios de la oficina se registran "
                             "con «cac calendar».", "hint"))
        root.addLayout(days, 1)
        self.save.clicked.connect(self.submit)
        for field in (self.ubigeo, self.cutoff):
            field.returnPressed.connect(self.submit)

    def load(self) -> None:
        """The settings and every extra day the office holds."""
        client = self.client

        def work() -> tuple[OfficeSettings, list[NonWorkingDayView]]:
            return client.office_settings(), client.non_working_days()

        def loaded(result: tuple[OfficeSettings, list[NonWorkingDayView]]) -> None:
            settings, found = result
            self.days_model.set_rows(found)
            self.show_settings(settings)

        self.run(work, loaded)

    def show_settings(self, settings: OfficeSettings) -> None:
        super().show_settings(settings)
        if self.loads > 1:  # saved: which days count may have changed with the ubigeo
            self.run(self.client.non_working_days, self.days_model.set_rows)
