"""The supervisor's window: the office live, the history of a period, expedientes,
satisfaction, the sync attention list, and the exports (CSV, XLSX, the mayor's PDF).

`SupervisorWindow(client)` works with any HubClient (in-process in `cac app --windows
supervisor`, HTTP in `cac supervisor --hub URL --token T`); with `central` it also shows
central's figures per office. Every hub call, report file and save runs on the window's
worker thread (HubCaller); results come back on the GUI thread.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.client.base import HubClient
from kiosk.errors import CacError, Forbidden, HubUnavailable, Unauthorized
from kiosk.services.expediente_views import AppealDecisionInput, ClerkSession, ExpedienteView
from kiosk.services.reclamo_views import ReclamoAnswer, SuggestionStats
from kiosk.services.supervisor_views import NoticeOverview, PeriodReport, SupervisorLive
from kiosk.services.views import HealthView
from kiosk.shared_views import SyncAttentionItem, SyncStatusView, report_table, table_csv
from ui.admin.login import AdminLoginPage
from ui.counter.login import ChangeSecretPage
from ui.counter.widgets import Notice, label
from ui.files import file_dialogs
from ui.hub_calls import HubCaller
from ui.lan_warning import warned_pages
from ui.staff_window import StaffWindow, run_window
from ui.supervisor import texts
from ui.supervisor.central import CentralFigures, CentralSource
from ui.supervisor.itse_panel import ItsePanel
from ui.supervisor.live import LivePanel
from ui.supervisor.notices_box import NoticesBox
from ui.supervisor.periods import (
    ExpedientesPanel,
    ExportBar,
    HistoryPanel,
    PeriodBar,
    SatisfactionPanel,
)
from ui.supervisor.reclamos_panel import ReclamosPanel
from ui.supervisor.style import SUPERVISOR_STYLE
from ui.supervisor.sync_panel import SyncPanel

log = logging.getLogger(__name__)

TITLE = "CAC — Supervisión"
TABS = ("live", "history", "expedientes", "satisfaction", "sync", "itse", "reclamos")
TAB_TITLES = {"live": "En vivo", "history": "Historial", "expedientes": "Expedientes",
              "satisfaction": "Satisfacción", "sync": "Sincronización", "itse": "ITSE",
              "reclamos": "Reclamos"}
PERIOD_TABS = ("history", "expedientes", "satisfaction")
FILTERS = {"csv": "Tabla CSV (*.csv)", "xlsx": "Libro de Excel (*.xlsx)",
           "pdf": "Documento PDF (*.pdf)"}


@dataclass(frozen=True)
class SupervisorOptions:
    refresh_ms: int = 5_000  # the live tab
    sync_refresh_ms: int = 30_000  # the sync line of the top bar


class _Saved(CacError):
    """A file could not be written (the reason in Spanish)."""


def _write(path: Path, content: bytes) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        raise _Saved("save_failed", f"No se pudo guardar «{path}»: {exc.strerror or exc}. "
                                    "Elija otra carpeta.") from None
    return len(content)


def _size(count: int) -> str:
    return f"{count / 1024:,.0f} KB" if count >= 1024 else f"{count} bytes"


class SupervisorWindow(StaffWindow):
    sign_out_question = "¿Cerrar la sesión de supervisión?"
    offline_text = texts.OFFLINE
    offline_on_login = False  # the login asks nothing but the office's name: no retry

    def __init__(self, client: HubClient, options: SupervisorOptions | None = None, *,
                 tz: tzinfo | None = None, central: CentralSource | None = None,
                 caller: HubCaller | None = None) -> None:
        options = options or SupervisorOptions()
        super().__init__(client, tz=tz, caller=caller, sync_refresh_ms=options.sync_refresh_ms)
        self.options = options
        self.setObjectName("supervisorWindow")
        self.setWindowTitle(TITLE)
        self.setStyleSheet(SUPERVISOR_STYLE)
        self._central = central

        self.live: SupervisorLive | None = None
        self.report: PeriodReport | None = None
        self.report_source = "hub"  # "hub" or "central:<office>" of the report on screen
        self.central_figures: CentralFigures | None = None
        self.refused = False  # this device may not read the dashboard: stop asking
        self._polling = False
        self._generation = 0  # a period load started before another one is dropped
        self._started_period = False
        self.saved: list[Path] = []  # the files of this session's exports

        # Statistics name clerks: a supervisor logs in before anything is asked of the hub.
        self.stack, self.lan_warning = warned_pages(self)
        self.login = AdminLoginPage()
        self.login.title.setText("Supervisión — ingreso")
        self.change_secret = ChangeSecretPage()
        self.work = QWidget()
        self.work.setObjectName("page")
        for widget in (self.login, self.change_secret, self.work):
            self.stack.addWidget(widget)
        root = QVBoxLayout(self.work)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        top = QWidget()
        top.setObjectName("topBar")
        top.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        bar = QHBoxLayout(top)
        bar.setContentsMargins(14, 6, 14, 6)
        self.office = label("Supervisión", "topTitle", wrap=False)
        self.updated = label("", "updated", wrap=False)
        self.who = label("", wrap=False)
        self.sign_out_button = QPushButton("Cerrar sesión")
        self.sign_out_button.setObjectName("topButton")
        self.sign_out_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar.addWidget(self.office)
        bar.addWidget(self.sync_line)
        bar.addStretch(1)
        bar.addWidget(self.updated)
        bar.addSpacing(12)
        bar.addWidget(self.who)
        bar.addWidget(self.sign_out_button)
        root.addWidget(top)
        self.banner = Notice()
        root.addWidget(self.banner)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(10, 8, 10, 8)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.live_panel = LivePanel(self.tz)
        self.history = HistoryPanel()
        self.expedientes = ExpedientesPanel()
        self.satisfaction = SatisfactionPanel()
        self.sync_panel = SyncPanel()
        self.itse_panel = ItsePanel()
        self.reclamos_panel = ReclamosPanel()
        self.period = PeriodBar()
        self.exports = ExportBar()
        self.period.set_central(central is not None)
        if central is not None:
            self.period.set_offices([])
        self._pages: dict[str, QWidget] = {}
        panels: dict[str, QWidget] = {"live": self.live_panel, "history": self.history,
                                      "expedientes": self.expedientes,
                                      "satisfaction": self.satisfaction,
                                      "sync": self.sync_panel, "itse": self.itse_panel,
                                      "reclamos": self.reclamos_panel}
        for number, name in enumerate(TABS, start=1):
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(4, 0, 4, 4)
            column.setSpacing(4)
            column.addWidget(panels[name], 1)
            self._pages[name] = holder
            self.tabs.addTab(holder, f"{TAB_TITLES[name]} (Ctrl+{number})")
            self.tabs.setTabToolTip(number - 1, f"{TAB_TITLES[name]} — tecla Ctrl+{number}")
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda index=number - 1: self.tabs.setCurrentIndex(index))
        # Notices to citizens leave the office too: their failures beside the link's.
        self.notices_box = NoticesBox(self.tz)
        sync_column = self._pages["sync"].layout()
        assert isinstance(sync_column, QVBoxLayout)
        sync_column.addWidget(self.notices_box, 1)
        body_layout.addWidget(self.tabs)
        root.addWidget(body, 1)
        QShortcut(QKeySequence("F5"), self).activated.connect(self.refresh_current)

        self.refresh_timer = self._timer(self.options.refresh_ms, self.refresh)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.period.changed.connect(self.load_period)
        self.period.office_changed.connect(lambda: self.load_period(fresh=False))
        self.exports.csv.clicked.connect(self.export_csv)
        self.exports.xlsx.clicked.connect(self.export_xlsx)
        self.exports.pdf.clicked.connect(self.export_pdf)
        self.sync_panel.reload.clicked.connect(self.refresh_sync)
        self.itse_panel.reload.clicked.connect(self.refresh_itse)
        self.expedientes.appeals.decide.connect(self.decide_appeal)
        self.reclamos_panel.reload.clicked.connect(self.refresh_reclamos)
        self.reclamos_panel.reload_requested.connect(self.refresh_reclamos)
        self.reclamos_panel.answer_requested.connect(self.answer_reclamo)
        self.reclamos_panel.export_requested.connect(self.export_reclamos)
        self._tab_changed(self.tabs.currentIndex())
        self.login.credentials.connect(self.sign_in)
        self.change_secret.submitted.connect(self.save_secret)
        self.change_secret.logout.connect(self.sign_out)
        self.sign_out_button.clicked.connect(self._confirm_sign_out)

        self.stack.setCurrentWidget(self.login)
        self.load_login()

    # --- tabs -----------------------------------------------------------------------------

    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(name))

    def _tab_changed(self, index: int) -> None:
        """The period bar and the exports belong to whichever period tab is on screen."""
        name = TABS[index]
        if name in PERIOD_TABS:
            column = self._pages[name].layout()
            assert isinstance(column, QVBoxLayout)
            column.insertWidget(0, self.period)
            column.addWidget(self.exports)
            self.period.show()
            self.exports.show()
        elif name == "sync":
            self.refresh_sync()
        elif name == "itse":
            self.refresh_itse()
        elif name == "reclamos":
            self.refresh_reclamos()

    def refresh_current(self) -> None:
        """F5: what the tab on screen shows, asked again."""
        name = self.current_tab()
        if name == "live":
            self.refresh()
        elif name == "sync":
            self.refresh_sync()
        elif name == "itse":
            self.refresh_itse()
        elif name == "reclamos":
            self.refresh_reclamos()
        else:
            self.load_period()

    def current_table(self) -> str:
        """The report table (kiosk.services.report.TABLE_NAMES) on screen."""
        name = self.current_tab()
        if name == "expedientes":
            return self.expedientes.tables.current_name()
        if name == "satisfaction":
            return self.satisfaction.tables.current_name()
        return self.history.tables.current_name()

    # --- hub calls ------------------------------------------------------------------------

    def _failed(self, error: CacError, on_error: Callable[[CacError], None] | None) -> None:
        """The hub away and a device that may not ask are the window's (the banner);
        `on_error` hears the hub's other refusals."""
        if isinstance(error, HubUnavailable):
            self._set_offline(True)
        elif self._session_over(error):
            self._session_ended(error.message)
        elif isinstance(error, Forbidden | Unauthorized) and error.code != "invalid_secret":
            self._refused(error)  # not a wrong current PIN on the change page: the person's
        elif on_error is not None:
            on_error(error)
        else:
            self.banner.show_message(error.message, "error")

    def _refused(self, error: CacError) -> None:
        """Not a supervisor's credential (or a revoked one): say so and stop asking."""
        self.refused = True
        self.refresh_timer.stop()
        self.banner.show_message(f"{error.message} {texts.ROLE_HINT}", "error")

    # --- login and logout -----------------------------------------------------------------

    def load_login(self) -> None:
        client = self._client

        def shown(health: HealthView) -> None:
            self.lan_warning.show_for(health)
            name = health.name
            self.login.office.setText(name)
            self.office.setText(f"{name} · Supervisión")
            if not self.login.username.text():
                self.login.username.setFocus()

        self._caller.call(client.health, shown,
                          lambda error: self.login.notice.show_message(
                              error.message, "offline" if isinstance(error, HubUnavailable)
                              else "error"))

    def sign_in(self, username: str, secret: str) -> None:
        self.login.set_busy(True)
        client = self._client
        self._caller.call(lambda: client.login(username, secret, None), self._signed_in,
                          lambda error: self.login.refused(error.message))

    def _signed_in(self, session: ClerkSession) -> None:
        self.session = session
        self.login.reset()
        self.who.setText(session.user.full_name)
        if session.user.must_change:  # the hub refuses any work until it is changed
            self.change_secret.show_for(session.user.full_name)
            self.stack.setCurrentWidget(self.change_secret)
            return
        self._enter()

    def _secret_saved(self) -> None:
        self._enter()

    def _enter(self) -> None:
        self.refused = False
        self.stack.setCurrentWidget(self.work)
        self.refresh()
        self.refresh_timer.start()
        self.sync_line.start()
        if self.current_tab() == "sync":
            self.refresh_sync()

    def _clear_work(self) -> None:
        """Back to the login. The tabs hold the office's figures, not the person's: they are
        hidden behind the login and asked again at the next one."""
        self.session = None
        self.refresh_timer.stop()
        self.sync_line.stop()
        self._generation += 1  # an answer still on its way is dropped
        self.live = self.report = None
        self.central_figures = None
        self._started_period = False
        self.banner.clear_message()
        self.exports.notice.clear_message()
        self.period.shown.setText("")
        self.updated.setText("")
        self.who.clear()
        self.stack.setCurrentWidget(self.login)

    # --- live -----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._polling or self.refused:
            return
        self._polling = True
        client = self._client
        name_needed = self.live is None

        def work() -> tuple[HealthView | None, SupervisorLive]:
            health = client.health() if name_needed else None
            return health, client.supervisor_live()

        def done(result: tuple[HealthView | None, SupervisorLive]) -> None:
            health, live = result
            if health is not None:
                self.office.setText(f"{health.name} · Supervisión")
                self.lan_warning.show_for(health)
            self.show_live(live)

        def polled() -> None:
            self._polling = False

        self._call(work, done, always=polled)

    def show_live(self, live: SupervisorLive) -> None:
        self.live = live
        self.live_panel.show_live(live)
        self.updated.setText(f"Actualizado {live.at.astimezone(self.tz):%H:%M:%S}")
        if self.period.today != live.business_date:
            self.period.set_today(live.business_date)
        if not self._started_period:
            self._started_period = True
            self.load_period()  # «today» by the hub's calendar, once it is known

    # --- periods --------------------------------------------------------------------------

    def load_period(self, fresh: bool = True) -> None:
        """The period and office of the bar. Central's answer holds every office: switching
        office within the same period (`fresh=False`) does not ask again."""
        if self.refused:
            return
        date_from, date_to = self.period.period()
        source = self.period.source()
        self._generation += 1
        generation = self._generation
        self.period.shown.setText("Consultando…")
        if source == "hub":
            client = self._client

            def answered() -> None:  # whatever came back, it is no longer «Consultando…»
                if generation == self._generation:
                    self.period.shown.setText("")

            self._call(lambda: client.period_report(date_from, date_to),
                       lambda report: self._period_loaded(generation, source, report),
                       lambda error: self._period_failed(generation, error), answered)
            return
        central, cached = self._central, self.central_figures
        assert central is not None
        if not fresh and cached is not None \
                and (cached.date_from, cached.date_to) == (date_from, date_to):
            self._show_central(generation, source, cached)
            return

        def fetch() -> CentralFigures:
            return central.reports(date_from, date_to)

        # Central's failures are its own (another server), never the hub's offline banner.
        self._caller.call(fetch, lambda figures: self._show_central(generation, source,
                                                                    figures),
                          lambda error: self._period_failed(generation, error, "Central: "))

    def _show_central(self, generation: int, source: str, figures: CentralFigures) -> None:
        self.central_figures = figures
        self.period.set_offices(figures.office_names())
        office = source.removeprefix("central:")
        if office and office not in figures.offices:
            self._period_failed(generation, CacError(
                "unknown_office", f"La central no tiene cifras de la oficina {office}."))
            return
        self._period_loaded(generation, source, figures.report(office))

    def _period_loaded(self, generation: int, source: str, report: PeriodReport) -> None:
        if generation != self._generation:
            return  # another period was asked for meanwhile
        self.report, self.report_source = report, source
        self.history.show_history(report.tickets)
        self.history.show_citas(report.citas)
        self.expedientes.show_stats(report.expedientes)
        self.satisfaction.show_stats(report.satisfaction)
        self._load_suggestions(generation, source, report)
        where = report.office_name or report.office
        if source != "hub":
            where += " (central)"
        self.period.shown.setText(
            f"{where} · {texts.period_text(report.date_from, report.date_to)} · calculado "
            f"{report.generated_at.astimezone(self.tz):%H:%M}")

    def _load_suggestions(self, generation: int, source: str, report: PeriodReport) -> None:
        """The suggestions box of the period, beside the ratings (the office's hub only)."""
        if source != "hub":
            self.satisfaction.show_suggestions(None)
            return
        client, shown = self._client, self.satisfaction

        def show(stats: SuggestionStats) -> None:
            if generation == self._generation:
                shown.show_suggestions(stats)

        self._call(lambda: client.suggestion_stats(report.date_from, report.date_to), show,
                   lambda _error: shown.show_suggestions(None))

    def _period_failed(self, generation: int, error: CacError, prefix: str = "") -> None:
        if generation == self._generation:
            self.period.shown.setText("")
            self.exports.notice.show_message(prefix + error.message, "error")

    # --- sync -----------------------------------------------------------------------------

    def refresh_sync(self) -> None:
        if self.refused:
            return
        client = self._client

        def work() -> tuple[SyncStatusView, list[SyncAttentionItem], NoticeOverview]:
            return client.sync_status(), client.sync_attention(), client.notice_overview()

        def done(result: tuple[SyncStatusView, list[SyncAttentionItem], NoticeOverview]
                 ) -> None:
            status, attention, notices = result
            self.sync_panel.show_sync(status, attention)
            self.sync_line.show_status(status)
            self.notices_box.show_overview(notices)

        self._call(work, done,
                   lambda error: self.sync_panel.notice.show_message(error.message, "error"))

    # --- ITSE (ui/supervisor/itse_panel.py) ---------------------------------------------

    def refresh_itse(self) -> None:
        if self.refused:
            return
        self._call(self._client.itse_overview, self.itse_panel.show_overview,
                   lambda error: self.itse_panel.notice.show_message(error.message, "error"))

    # --- recursos ------------------------------------------------------------------------

    def decide_appeal(self, number: str, appeal_id: str, decision: AppealDecisionInput
                      ) -> None:
        """Record how a recurso was resolved, then show the period again (it leaves the
        list of those in process)."""
        page, client = self.expedientes.appeals, self._client

        def done(view: ExpedienteView) -> None:
            appeal = next(a for a in view.appeals if a.id == appeal_id)
            page.decided(f"Recurso de {appeal.kind_text.lower()} del expediente {number}: "
                         f"{(appeal.outcome_text or '').lower()}. El expediente está "
                         f"«{view.status_text}».")
            self.load_period()

        self._call(lambda: client.decide_appeal(number, appeal_id, decision), done,
                   lambda error: page.refused(error.message),
                   always=lambda: page.submit.setEnabled(True))

    # --- the Libro de Reclamaciones (ui/supervisor/reclamos_panel.py) -------------------

    def refresh_reclamos(self) -> None:
        if self.refused:
            return
        panel = self.reclamos_panel
        every = panel.show_answered.isChecked()
        self._call(lambda: self._client.reclamo_book(open_only=not every), panel.show_book,
                   lambda error: panel.notice.show_message(error.message, "error"))

    def answer_reclamo(self, number: str, answer: ReclamoAnswer) -> None:
        panel = self.reclamos_panel
        self._call(lambda: self._client.answer_reclamo(number, answer), panel.answered,
                   lambda error: panel.failed(error.message))

    def export_reclamos(self, year: int) -> None:
        """The year's reclamos as the hub's CSV (the hoja's columns)."""
        notice = self.reclamos_panel.notice
        path = file_dialogs().save_file(self, "Guardar los reclamos en CSV",
                                        f"reclamos-{year}.csv", FILTERS["csv"])
        if path is None:
            return
        path = path if path.suffix.lower() == ".csv" else path.with_name(f"{path.name}.csv")
        client = self._client

        def done(size: int) -> None:
            self.saved.append(path)
            notice.show_message(f"Reclamos de {year} guardados en CSV ({_size(size)}): {path}",
                                "info")

        self._call(lambda: _write(path, client.export_reclamos(year).encode("utf-8")), done,
                   lambda error: notice.show_message(error.message, "error"))

    # --- exports --------------------------------------------------------------------------

    def _office_tag(self) -> str | None:
        if self.report_source == "hub" or self.report is None:
            return None
        return self.report_source.removeprefix("central:") or "TODAS"

    def _ask_path(self, kind: str, title: str, what: str) -> Path | None:
        report = self.report
        if report is None:
            self.exports.notice.show_message("Primero consulte un periodo.", "error")
            return None
        suggested = texts.export_name(what, report.date_from, report.date_to, kind,
                                      self._office_tag())
        path = file_dialogs().save_file(self, title, suggested, FILTERS[kind])
        if path is None:
            return None
        return path if path.suffix.lower() == f".{kind}" else path.with_name(
            f"{path.name}.{kind}")

    def _save(self, path: Path, produce: Callable[[], bytes],
              say: Callable[[Path, int], str]) -> None:
        notice = self.exports.notice
        notice.show_message(f"Guardando «{path.name}»…", "info")

        def done(size: int) -> None:
            self.saved.append(path)
            notice.show_message(say(path, size), "info")

        self._call(lambda: _write(path, produce()), done,
                   lambda error: notice.show_message(error.message, "error"))

    def export_csv(self) -> None:
        """The table on screen, as the hub's own CSV (`GET /reports/tables/{name}`)."""
        name = self.current_table()
        path = self._ask_path("csv", "Guardar la tabla en CSV", name)
        report = self.report
        if path is None or report is None:
            return
        table = report_table(report, name)
        client, source = self._client, self.report_source

        def produce() -> bytes:
            if source == "hub":
                text = client.export_report_table(name, report.date_from, report.date_to)
            else:
                text = table_csv(table)  # central's report: the same table, made here
            return text.encode("utf-8")

        self._save(path, produce, lambda saved, _size_: (
            f"«{table.title}» guardada en CSV ({len(table.rows)} filas): {saved}"))

    def export_xlsx(self) -> None:
        path = self._ask_path("xlsx", "Guardar todo el informe en Excel", "informe")
        report = self.report
        if path is None or report is None:
            return

        def produce() -> bytes:
            from printing.reports.xlsx import report_xlsx  # openpyxl: only when asked

            return report_xlsx(report)

        self._save(path, produce, lambda saved, size: (
            f"Libro de Excel con todas las tablas guardado ({_size(size)}): {saved}"))

    def export_pdf(self) -> None:
        path = self._ask_path("pdf", "Guardar el informe PDF para el alcalde", "informe")
        report = self.report
        if path is None or report is None:
            return

        def produce() -> bytes:
            from printing.pdf.report import report_pdf  # fpdf2: only when asked

            return report_pdf(report)

        self._save(path, produce, lambda saved, size: (
            f"Informe PDF para el alcalde guardado ({_size(size)}): {saved}"))

def run_supervisor(args: argparse.Namespace) -> int:
    from ui.connect import remote_client
    from ui.supervisor.central import central_reports

    central = None

    def build() -> SupervisorWindow:
        nonlocal central
        client = remote_client(args.hub, args.token, getattr(args, "ca", None))
        if getattr(args, "central", None):
            central = central_reports(args.central, args.central_token or "",
                                      getattr(args, "central_ca", None))
        return SupervisorWindow(client, central=central)

    return run_window(build, args.windowed, lambda: central.close() if central else None)
