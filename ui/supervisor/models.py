"""Qt item models of the supervisor window: thin adapters over the hub's plain view objects.

The table models are the counter's `RowsModel` (a list of frozen views and a list of columns)
with the colours a supervisor scans for: a queue past its target, a critical alert, overdue
expedientes and silencio positivo, a low satisfaction. The heat map is a grid model whose
cells carry their shade for the painting delegate (ui/supervisor/charts.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtGui import QColor, QFont

from kiosk.services.supervisor_views import (
    ExpedienteGroup,
    GroupMetrics,
    HeatMap,
    HistogramBin,
    LegalOutcomeRow,
    LiveAlert,
    LiveCounter,
    LiveService,
    ReviewRow,
    SatisfactionGroup,
)
from kiosk.shared_views import SyncAttentionItem
from ui.counter.models import Column, Index, RowsModel
from ui.supervisor import texts

RED_BG = QColor("#fbe3e3")
RED_FG = QColor("#a32020")
AMBER_BG = QColor("#fff1d6")
AMBER_FG = QColor("#7a4b00")
GREEN_BG = QColor("#dcefe0")
GREEN_FG = QColor("#1f6b34")
BLUE_BG = QColor("#dce6f2")
GREY_FG = QColor("#5b6470")

# Heat map shades, from an empty hour to the busiest one.
HEAT_LOW = QColor("#f3f6fa")
HEAT_HIGH = QColor("#b3261e")
# The role the painting delegate reads: the cell's share of the busiest cell, 0..1.
HEAT_ROLE = int(Qt.ItemDataRole.UserRole) + 1


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


# --- live ------------------------------------------------------------------------------------


class LiveServicesModel(RowsModel[LiveService]):
    """Each service's queue against its target: past it, the row turns red."""

    WAIT_COLUMN = 3

    def __init__(self) -> None:
        super().__init__([
            Column("Servicio", lambda s: f"{s.prefix} · {s.name}"),
            Column("Esperan", lambda s: str(s.waiting), numeric=True),
            Column("Pref.", lambda s: str(s.preferential_waiting), numeric=True),
            Column("Espera máx.", lambda s: texts.wait_text(s.longest_wait_s)
                   + (f" ({s.longest_ticket})" if s.longest_ticket else ""), numeric=True),
            Column("Objetivo", lambda s: f"{s.sla_minutes} min", numeric=True),
            Column("Abiertas", lambda s: str(s.counters_open), numeric=True),
        ])

    def extra(self, row: LiveService, column: int, role: int) -> Any:
        if not row.over_sla:
            if role == Qt.ItemDataRole.ForegroundRole and column == 5 \
                    and row.counters_open == 0 and row.waiting:
                return RED_FG  # people wait and no open counter serves them
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return RED_BG
        if role == Qt.ItemDataRole.ForegroundRole:
            return RED_FG
        if role == Qt.ItemDataRole.FontRole and column in (0, self.WAIT_COLUMN):
            return _bold()
        return None


ACTIVITY_COLOURS = {"serving": (GREEN_BG, GREEN_FG), "called": (BLUE_BG, QColor("#12355b")),
                    "idle": (AMBER_BG, AMBER_FG), "paused": (AMBER_BG, AMBER_FG),
                    "closed": (QColor("#eceef1"), GREY_FG)}


class LiveCountersModel(RowsModel[LiveCounter]):
    """What each counter is doing and who is at it."""

    def __init__(self, tz: tzinfo | None = None) -> None:
        super().__init__([
            Column("Ventanilla", lambda c: c.name),
            Column("Ahora", lambda c: c.activity_text),
            Column("Desde", lambda c: texts.clock_text(c.since, tz) if c.since else "",
                   numeric=True),
            Column("Usuario", lambda c: c.clerk or "—"),
        ])

    def extra(self, row: LiveCounter, column: int, role: int) -> Any:
        if column != 1:
            return None
        background, foreground = ACTIVITY_COLOURS.get(row.activity, (None, None))
        if role == Qt.ItemDataRole.BackgroundRole:
            return background
        if role == Qt.ItemDataRole.ForegroundRole:
            return foreground
        if role == Qt.ItemDataRole.FontRole:
            return _bold()
        return None


class AlertsModel(RowsModel[LiveAlert]):
    """The hub's alerts, critical first (as it sends them), red or amber."""

    def __init__(self) -> None:
        super().__init__([
            Column("Gravedad", lambda a: texts.SEVERITIES.get(a.severity, a.severity)),
            Column("Tipo", lambda a: texts.ALERT_KINDS.get(a.kind, a.kind)),
            Column("Alerta", lambda a: a.message),
        ])

    def extra(self, row: LiveAlert, column: int, role: int) -> Any:
        critical = row.severity == "critical"
        if role == Qt.ItemDataRole.BackgroundRole:
            return RED_BG if critical else AMBER_BG
        if role == Qt.ItemDataRole.ForegroundRole:
            return RED_FG if critical else AMBER_FG
        if role == Qt.ItemDataRole.FontRole and column == 0:
            return _bold()
        return None


# --- history ---------------------------------------------------------------------------------

# The figures of a group the window shows: these columns of the report's CSV table
# (kiosk.services.report.METRIC_COLUMNS), under headings short enough for 1366 px.
METRIC_SHOWN = ("Emitidos", "Atendidos", "No se presentaron", "Espera mediana (min)",
                "Espera p90 (min)", "Atención mediana (min)", "% dentro del objetivo")


def metrics_model(heading: str) -> RowsModel[GroupMetrics]:
    return RowsModel([
        Column(heading, lambda g: g.label),
        Column("Emitidos", lambda g: texts.number(g.issued), numeric=True),
        Column("Atendidos", lambda g: texts.number(g.served), numeric=True),
        Column("Ausentes", lambda g: texts.number(g.no_show), numeric=True),
        Column("Espera\nmediana\n(min)", lambda g: texts.mins(g.wait_p50_s), numeric=True),
        Column("Espera\np90\n(min)", lambda g: texts.mins(g.wait_p90_s), numeric=True),
        Column("Atención\nmediana\n(min)", lambda g: texts.mins(g.service_p50_s),
               numeric=True),
        Column("% en el\nobjetivo", lambda g: texts.number(g.sla_pct), numeric=True),
    ])


class HistogramModel(RowsModel[HistogramBin]):
    """The waiting-time bins with each one's share of the tickets called."""

    def __init__(self) -> None:
        self._total = 0
        super().__init__([
            Column("Espera", lambda b: b.label),
            Column("Turnos", lambda b: texts.number(b.count), numeric=True),
            Column("%", lambda b: texts.number(self.share(b)), numeric=True),
        ])

    def share(self, row: HistogramBin) -> float | None:
        return round(100 * row.count / self._total, 1) if self._total else None

    def set_rows(self, rows: Sequence[HistogramBin]) -> None:
        self._total = sum(b.count for b in rows)
        super().set_rows(rows)


class HeatMapModel(QAbstractTableModel):
    """Tickets issued by weekday (rows) and hour (columns); the delegate shades each cell by
    its share of the busiest one."""

    def __init__(self) -> None:
        super().__init__()
        self._map = HeatMap(weekdays=[], hours=[], issued=[], wait_p50_s=[])
        self._peak = 0

    @property
    def heatmap(self) -> HeatMap:
        return self._map

    def set_heatmap(self, heatmap: HeatMap) -> None:
        self.beginResetModel()
        self._map = heatmap
        self._peak = max((n for row in heatmap.issued for n in row), default=0)
        self.endResetModel()

    def rowCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._map.weekdays)

    def columnCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._map.hours)

    def count(self, row: int, column: int) -> int:
        return self._map.issued[row][column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount() \
                or not 0 <= index.column() < self.columnCount():
            return None
        row, column = index.row(), index.column()
        count = self.count(row, column)
        share = count / self._peak if self._peak else 0.0
        if role == Qt.ItemDataRole.DisplayRole:
            return str(count) if count else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            wait = self._map.wait_p50_s[row][column] if self._map.wait_p50_s else None
            hour = self._map.hours[column]
            return (f"{self._map.weekdays[row]}, {hour}:00–{hour}:59: {count} turnos"
                    + (f" · espera mediana {texts.mins(wait)} min" if wait is not None else ""))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return heat_colour(share)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("white") if share > 0.55 else QColor("#1b1f24")
        if role == HEAT_ROLE:
            return share
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._map.hours):
            return f"{self._map.hours[section]} h"
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._map.weekdays):
            return self._map.weekdays[section]
        return None


def heat_colour(share: float) -> QColor:
    """From the empty hour's near-white to the busiest hour's red."""
    share = min(max(share, 0.0), 1.0)
    low, high = HEAT_LOW, HEAT_HIGH
    return QColor(round(low.red() + (high.red() - low.red()) * share),
                  round(low.green() + (high.green() - low.green()) * share),
                  round(low.blue() + (high.blue() - low.blue()) * share))


# --- expedientes and satisfaction -----------------------------------------------------------

TOTAL = "total"  # the key of a report's overall group, shown as the tables' last row


# The report's CSV columns (kiosk.services.report.EXPEDIENTE_COLUMNS) the table shows.
EXPEDIENTE_SHOWN = ("Recibidos", "Resueltos", "% resueltos en plazo",
                    "Días hábiles para resolver (media)", "Pendientes hoy", "Observados hoy",
                    "Vencidos hoy", "Con silencio positivo hoy")


class ExpedientesModel(RowsModel[ExpedienteGroup]):
    """Expedientes by procedure or area: overdue in red, silencio positivo in amber."""

    OVERDUE, SILENCIO = 7, 8

    def __init__(self, heading: str) -> None:
        super().__init__([
            Column(heading, lambda g: g.label),
            Column("Recibidos", lambda g: texts.number(g.received), numeric=True),
            Column("Resueltos", lambda g: texts.number(g.resolved), numeric=True),
            Column("% resueltos\nen plazo", lambda g: texts.number(g.on_time_pct),
                   numeric=True),
            Column("Días hábiles para\nresolver (media)",
                   lambda g: texts.number(g.mean_working_days), numeric=True),
            Column("Pendientes\nhoy", lambda g: texts.number(g.pending), numeric=True),
            Column("Observados\nhoy", lambda g: texts.number(g.observed), numeric=True),
            Column("Vencidos\nhoy", lambda g: texts.number(g.overdue), numeric=True),
            Column("Con silencio\npositivo hoy", lambda g: texts.number(g.silencio_positivo),
                   numeric=True),
        ])

    def extra(self, row: ExpedienteGroup, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and row.key == TOTAL:
            return _bold()
        flagged = {self.OVERDUE: (row.overdue, RED_BG, RED_FG),
                   self.SILENCIO: (row.silencio_positivo, AMBER_BG, AMBER_FG)}.get(column)
        if flagged is None or not flagged[0]:
            return None
        _count, background, foreground = flagged
        if role == Qt.ItemDataRole.BackgroundRole:
            return background
        if role == Qt.ItemDataRole.ForegroundRole:
            return foreground
        if role == Qt.ItemDataRole.FontRole:
            return _bold()
        return None


def constancia_text(row: LegalOutcomeRow) -> str:
    """Whether the citizen got the constancia of a silence (none for a nulidad)."""
    if row.outcome != "silence_operated":
        return texts.EMPTY
    return f"Emitida ({row.constancias})" if row.constancias else "No emitida"


class LawOutcomesModel(RowsModel[LegalOutcomeRow]):
    """Outcomes the law decided: silencio positivo in amber (a constancia not yet issued in
    bold), nulidades de oficio in red."""

    OUTCOME, CONSTANCIA = 2, 5

    def __init__(self) -> None:
        super().__init__([
            Column("Expediente", lambda r: r.number),
            Column("Trámite", lambda r: r.procedure),
            Column("Resultado", lambda r: r.outcome_text),
            Column("Fecha", lambda r: texts.day_text(r.on)),
            Column("Base legal", lambda r: r.article),
            Column("Constancia", constancia_text),
        ])

    def extra(self, row: LegalOutcomeRow, column: int, role: int) -> Any:
        silence = row.outcome == "silence_operated"
        if column == self.OUTCOME:
            if role == Qt.ItemDataRole.BackgroundRole:
                return AMBER_BG if silence else RED_BG
            if role == Qt.ItemDataRole.ForegroundRole:
                return AMBER_FG if silence else RED_FG
        if (column == self.CONSTANCIA and silence and not row.constancias
                and role == Qt.ItemDataRole.FontRole):
            return _bold()
        return None


class ReviewsModel(RowsModel[ReviewRow]):
    """Edificación C/D waiting for the Comisión Técnica's dictamen: the overdue in red."""

    DUE = 4

    def __init__(self) -> None:
        super().__init__([
            Column("Expediente", lambda r: r.number),
            Column("Trámite", lambda r: r.procedure),
            Column("Modalidad", lambda r: r.modalidad),
            Column("Presentado", lambda r: texts.day_text(r.filed_on)),
            Column("Dictamen hasta", lambda r: texts.day_text(r.review_due)
                   + (" · VENCIDO" if r.overdue else "")),
            Column("Último dictamen", lambda r: r.dictamen_text or texts.EMPTY),
        ])

    def extra(self, row: ReviewRow, column: int, role: int) -> Any:
        if column == self.DUE and row.overdue:
            if role == Qt.ItemDataRole.BackgroundRole:
                return RED_BG
            if role == Qt.ItemDataRole.ForegroundRole:
                return RED_FG
            if role == Qt.ItemDataRole.FontRole:
                return _bold()
        return None


def _score_count(score: int) -> Callable[[SatisfactionGroup], str]:
    return lambda g: texts.number(g.distribution[score - 1])


LOW_SCORE = 3.0  # a mean below «Regular» is a problem
GOOD_SCORE = 4.0


# All of the report's satisfaction columns (kiosk.services.report.SATISFACTION_COLUMNS).
SATISFACTION_SHOWN = ("Calificaciones", "Media (1–5)", "1", "2", "3", "4", "5",
                      "% satisfechos (4–5)", "Atendidos", "% que calificó")


class SatisfactionModel(RowsModel[SatisfactionGroup]):
    def __init__(self, heading: str) -> None:
        super().__init__([
            Column(heading, lambda g: g.label),
            Column("Calificaciones", lambda g: texts.number(g.ratings), numeric=True),
            Column("Media\n(1–5)", lambda g: "—" if g.mean is None else f"{g.mean:.2f}",
                   numeric=True),
            *(Column(str(score), _score_count(score), numeric=True) for score in range(1, 6)),
            Column("% satis-\nfechos (4–5)", lambda g: texts.number(g.satisfied_pct),
                   numeric=True),
            Column("Atendidos", lambda g: texts.number(g.served), numeric=True),
            Column("% que\ncalificó", lambda g: texts.number(g.response_pct), numeric=True),
        ])

    def extra(self, row: SatisfactionGroup, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and row.key == TOTAL:
            return _bold()
        if column != 2 or row.mean is None:
            return None
        low, good = row.mean < LOW_SCORE, row.mean >= GOOD_SCORE
        if role == Qt.ItemDataRole.BackgroundRole:
            return RED_BG if low else GREEN_BG if good else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return RED_FG if low else GREEN_FG if good else None
        if role == Qt.ItemDataRole.FontRole:
            return _bold()
        return None


def attention_model() -> RowsModel[SyncAttentionItem]:
    return RowsModel([
        Column("Qué pasó", lambda a: texts.ATTENTION_KINDS.get(a.kind, a.kind)),
        Column("Tabla", lambda a: a.table),
        Column("Referencia", lambda a: a.reference),
        Column("Motivo", lambda a: a.reason or "—"),
        Column("Cuándo", lambda a: _attention_time(a.at)),
    ])


def _attention_time(at: object) -> str:
    """The hub sends a timestamp's text (push) or whatever central said (pull)."""
    text = str(at or "")
    return text[:16].replace("T", " ") if text else "—"
