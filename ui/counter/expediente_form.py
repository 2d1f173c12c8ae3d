"""«Nuevo expediente»: procedure, applicant, business, requirements, category details.

The form never talks to the hub: it asks through signals (look up a DNI, a RUC, an acta; file)
and the window answers with `show_persons`, `show_businesses`, `show_actas`. What the clerk
typed stays until the expediente is filed, whatever error the hub answers meanwhile.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal

from pydantic import ValidationError
from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import InvalidInput
from kiosk.rules.comision_tecnica import REVIEW_TERMS
from kiosk.rules.exemptions import applicable
from kiosk.rules.expedientes import relation_allowed
from kiosk.services.expediente_views import (
    ActaView,
    BusinessInput,
    BusinessView,
    Details,
    EdificacionDetails,
    ExpedienteInput,
    FuncionamientoDetails,
    NoticeContactInput,
    PartidaDetails,
    PersonInput,
    PersonView,
)
from kiosk.services.views import ProcedureView
from ui.counter import texts
from ui.counter.models import RequirementsModel, acta_results_model
from ui.counter.state import acta_kind, procedure_variant
from ui.counter.widgets import Notice, button, label, stretch, table

FIELD_NAMES = {
    "doc_number": "el número de documento",
    "given_names": "los nombres",
    "paternal_surname": "el apellido paterno",
    "maternal_surname": "el apellido materno",
    "phone": "el teléfono",
    "address": "la dirección",
    "ruc": "el RUC",
    "name": "la razón social",
    "establishment_address": "la dirección del establecimiento",
    "activity": "el giro o actividad",
    "area_m2": "el área",
    "work_address": "la dirección de la obra",
    "description": "la descripción de la obra",
    "professional_name": "el nombre del profesional",
    "professional_registration": "el número de colegiatura (CAP/CIP)",
    "search_note": "los datos para la búsqueda",
    "delivery_address": "la dirección de entrega",
    "note": "la observación",
    "mobile": "el celular para avisos",
    "email": "el correo para avisos",
}


def _line(placeholder: str = "", max_length: int = 200) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(max_length)
    return edit


def _text(edit: QLineEdit) -> str | None:
    value = edit.text().strip()
    return value or None


def _combo(options: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for value, text in options.items():
        combo.addItem(text, value)
    return combo


def _spanish(error: ValidationError) -> str:
    """One readable sentence for pydantic's first complaint."""
    first = error.errors()[0]
    context = first.get("ctx") or {}
    field = next((str(part) for part in (*reversed(first.get("loc", ())), context.get("field"))
                  if str(part) in FIELD_NAMES), "")
    what = FIELD_NAMES.get(field, "un dato del formulario")
    if first.get("type") == "invalid_text":  # kiosk/rules/text.py says what it holds
        return f"Revise {what}: contiene {context.get('problem')}."
    return f"Revise {what}: falta o no es válido."


class ActaPicker(QWidget):
    """Search the civil registry and pick one acta: a query, the results, what was chosen.

    Used when filing a partida and when linking the acta the archive found later. It only
    asks (`search_requested`); the window answers with `show_actas`."""

    search_requested = Signal(str, str)  # query, kind ("" = any)

    NONE_CHOSEN = "Ningún acta elegida."

    def __init__(self, results_height: int = 100) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.query = _line("Nombres y apellidos del titular o número de acta", 120)
        self.search = button("Buscar acta", None)
        row.addWidget(self.query, 1)
        row.addWidget(self.search)
        layout.addLayout(row)
        self.model = acta_results_model()
        self.results = table()
        self.results.setObjectName("actaResults")
        self.results.setModel(self.model)
        stretch(self.results, 1)  # the titular's name takes the width the others leave
        self.results.setFixedHeight(results_height)
        layout.addWidget(self.results)
        self.chosen = label(self.NONE_CHOSEN, "hint")
        layout.addWidget(self.chosen)
        self.kind = ""
        self._acta: ActaView | None = None
        self.search.clicked.connect(self._search)
        self.query.returnPressed.connect(self._search)
        self.results.selectionModel().selectionChanged.connect(self._selected)

    def _search(self) -> None:
        query = self.query.text().strip()
        if query:
            self.search_requested.emit(query, self.kind)

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.results.selectionModel().selectedRows()
        self._acta = self.model.row_at(rows[0].row()) if rows else None
        acta = self._acta
        self.chosen.setText(self.NONE_CHOSEN if acta is None else
                            f"Acta elegida: {acta.kind_text} N.° {acta.acta_number} — "
                            f"{acta.titular_name}, {texts.day_text(acta.event_date)}, "
                            f"{acta.place} (libro {acta.book}, folio {acta.folio})"
                            + (" · menor de edad" if acta.minor else ""))

    def show_actas(self, actas: Sequence[ActaView], not_found: str) -> bool:
        """The results, the first one chosen; `not_found` is said when there are none."""
        self.model.set_rows(actas)
        if actas:
            self.results.selectRow(0)
            self.results.setFocus()
            return True
        self._acta = None
        self.chosen.setText(not_found)
        return False

    @property
    def acta(self) -> ActaView | None:
        return self._acta

    def clear(self) -> None:
        self.query.clear()
        self.model.set_rows([])
        self._acta = None
        self.chosen.setText(self.NONE_CHOSEN)


class PartidaSection(QWidget):
    acta_search = Signal(str, str)  # query, kind ("" = any)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.picker = ActaPicker()
        layout.addWidget(self.picker)
        self.query, self.search = self.picker.query, self.picker.search
        self.results, self.model, self.chosen = (self.picker.results, self.picker.model,
                                                 self.picker.chosen)
        form = QFormLayout()
        form.setVerticalSpacing(6)
        self.search_note = _line("Si no aparece: datos para que el archivo la busque", 300)
        self.relation = _combo(texts.RELATIONS)
        self.copies = QSpinBox()
        self.copies.setRange(1, 10)
        self.delivery = _combo(texts.DELIVERIES)
        self.delivery_address = _line("Dirección de entrega a domicilio", 200)
        self.delivery_address.setEnabled(False)
        form.addRow("Sin acta", self.search_note)
        form.addRow("Parentesco", self.relation)
        copies = QHBoxLayout()
        copies.addWidget(self.copies)
        copies.addWidget(label("Entrega", wrap=False))
        copies.addWidget(self.delivery, 1)
        form.addRow("Copias", copies)
        form.addRow("Dirección", self.delivery_address)
        layout.addLayout(form)
        self.picker.search_requested.connect(self.acta_search)
        self.delivery.currentIndexChanged.connect(self._delivery_changed)

    @property
    def kind(self) -> str:
        return self.picker.kind

    @kind.setter
    def kind(self, value: str) -> None:
        self.picker.kind = value
        self._offer_relations(value)

    def _offer_relations(self, kind: str) -> None:
        """Only the relations that may ask for this kind of acta (not the titular of a death
        record). Without an obvious requester the clerk chooses: no default is guessed."""
        current = self.relation.currentData()
        self.relation.clear()
        for value, text in texts.RELATIONS.items():
            if relation_allowed(kind, value):
                self.relation.addItem(text, value)
        index = self.relation.findData(current)
        self.relation.setCurrentIndex(index if index >= 0 else
                                      0 if relation_allowed(kind, "titular") else -1)

    def _delivery_changed(self) -> None:
        self.delivery_address.setEnabled(self.delivery.currentData() == "domicilio")

    def show_actas(self, actas: Sequence[ActaView]) -> None:
        if not self.picker.show_actas(
                actas, "No se encontró el acta: escriba los datos para buscarla."):
            self.search_note.setFocus()

    @property
    def acta(self) -> ActaView | None:
        return self.picker.acta

    def details(self) -> PartidaDetails:
        acta = self.picker.acta
        note = _text(self.search_note)
        if acta is None and note is None:
            raise InvalidInput("acta_missing", "Elija el acta o escriba los datos para que el "
                                               "archivo la busque.")
        relation = self.relation.currentData()
        if relation is None:
            self.relation.setFocus()
            raise InvalidInput("relation_missing", "Elija el parentesco de quien solicita la "
                                                   "copia con el titular del acta.")
        delivery = str(self.delivery.currentData())
        address = _text(self.delivery_address)
        if delivery == "domicilio" and address is None:
            raise InvalidInput("address_missing", "Escriba la dirección de entrega a domicilio.")
        return PartidaDetails(
            acta_id=acta.id if acta else None, search_note=note,
            relation=relation, copies=self.copies.value(),
            delivery=delivery,
            delivery_address=address if delivery == "domicilio" else None)

    def clear(self) -> None:
        for edit in (self.search_note, self.delivery_address):
            edit.clear()
        self.picker.clear()
        self.relation.setCurrentIndex(-1 if self.relation.findData("titular") < 0 else 0)
        self.copies.setValue(1)
        self.delivery.setCurrentIndex(0)


class FuncionamientoSection(QWidget):
    def __init__(self) -> None:
        super().__init__()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.risk = label("", "h2")
        self.address = _line("Av., jirón o calle, número, barrio", 200)
        self.activity = _line("Giro: bodega, restaurante, ferretería…", 200)
        self.area = QDoubleSpinBox()
        self.area.setRange(0, 1_000_000)
        self.area.setDecimals(2)
        self.area.setSuffix(" m²")
        self.area.setGroupSeparatorShown(True)
        form.addRow("Nivel de riesgo", self.risk)
        form.addRow("Establecimiento", self.address)
        form.addRow("Actividad", self.activity)
        form.addRow("Área", self.area)
        self.variant: str | None = None

    def set_variant(self, variant: str | None) -> None:
        self.variant = variant
        self.risk.setText(texts.RISKS.get(variant or "", "—"))

    def details(self) -> FuncionamientoDetails:
        if self.variant not in texts.RISKS:
            raise InvalidInput("risk_missing", "El trámite elegido no indica el nivel de riesgo.")
        address, activity = _text(self.address), _text(self.activity)
        if address is None:
            raise InvalidInput("missing", "Escriba la dirección del establecimiento.")
        if activity is None:
            raise InvalidInput("missing", "Escriba el giro o actividad del establecimiento.")
        area = Decimal(str(round(self.area.value(), 2)))
        if area <= 0:
            raise InvalidInput("missing", "Escriba el área del establecimiento en m².")
        return FuncionamientoDetails(establishment_address=address, activity=activity,
                                     area_m2=area, risk=self.variant)

    def clear(self) -> None:
        self.address.clear()
        self.activity.clear()
        self.area.setValue(0)


class EdificacionSection(QWidget):
    def __init__(self) -> None:
        super().__init__()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.modalidad = label("", "h2")
        self.address = _line("Dirección del predio", 200)
        self.description = _line("Obra: vivienda de 2 pisos, ampliación…", 300)
        self.professional = _line("Arquitecto(a) o ingeniero(a) responsable", 120)
        self.registration = _line("N.° CAP o CIP", 20)
        # Modalidades C and D: who reviews the project (kiosk/rules/comision_tecnica.py); kept
        # narrow, on the CAP/CIP row, so the form still fits a 768-pixel screen.
        self.evaluacion = QComboBox()
        self.evaluacion.setToolTip("Evaluación previa del proyecto")
        for code, text in texts.EVALUACIONES.items():
            self.evaluacion.addItem(text, code)
        self.informe = _line("N.° de informe favorable", 40)
        self.informe.setToolTip("Número del informe técnico favorable de los Revisores "
                                "Urbanos, presentado con la solicitud")
        for narrow in (self.evaluacion, self.informe):  # never widen the form
            narrow.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout()  # shares the CAP/CIP row: no taller form for C and D
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.registration, 2)
        row.addWidget(self.evaluacion, 3)
        row.addWidget(self.informe, 3)
        form.addRow("Modalidad", self.modalidad)
        form.addRow("Obra en", self.address)
        form.addRow("Descripción", self.description)
        form.addRow("Profesional", self.professional)
        form.addRow("CAP / CIP", row)
        self.evaluacion.currentIndexChanged.connect(self._evaluacion_changed)
        self.variant: str | None = None
        self.set_variant(None)

    def set_variant(self, variant: str | None) -> None:
        self.variant = variant
        self.modalidad.setText(f"Modalidad {variant}" if variant else "—")
        self.evaluacion.setVisible(variant in REVIEW_TERMS)
        self._evaluacion_changed()

    def _evaluacion_changed(self, _index: int = 0) -> None:
        self.informe.setVisible(self._revisores())

    def _revisores(self) -> bool:
        return (self.variant in REVIEW_TERMS
                and self.evaluacion.currentData() == "revisores_urbanos")

    def details(self) -> EdificacionDetails:
        if self.variant not in ("A", "B", "C", "D"):
            raise InvalidInput("modalidad_missing", "El trámite elegido no indica la modalidad.")
        values = {name: _text(edit) for name, edit in (
            ("work_address", self.address), ("description", self.description),
            ("professional_name", self.professional),
            ("professional_registration", self.registration))}
        for name, value in values.items():
            if value is None:
                raise InvalidInput("missing", f"Escriba {FIELD_NAMES[name]}.")
        informe = _text(self.informe) if self._revisores() else None
        if self._revisores() and informe is None:
            raise InvalidInput("missing", "Escriba el número del informe técnico favorable de "
                                          "los Revisores Urbanos.")
        return EdificacionDetails(
            modalidad=self.variant, **{k: v for k, v in values.items() if v is not None},
            evaluacion=self.evaluacion.currentData() if self.variant in REVIEW_TERMS else None,
            informe_revisores=informe)

    def clear(self) -> None:
        for edit in (self.address, self.description, self.professional, self.registration,
                     self.informe):
            edit.clear()
        self.evaluacion.setCurrentIndex(0)


class ExpedienteForm(QWidget):
    filing_requested = Signal()  # the window adds the ticket and calls build_input
    person_lookup = Signal(str)
    business_lookup = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        top = QHBoxLayout()
        top.addWidget(label("Trámite", "h2", wrap=False))
        self.procedure = QComboBox()
        self.procedure.setMaxVisibleItems(16)
        top.addWidget(self.procedure, 1)
        layout.addLayout(top)
        self.terms = label("", "hint")
        layout.addWidget(self.terms)

        columns = QHBoxLayout()
        columns.setSpacing(10)
        left = QVBoxLayout()
        left.setSpacing(4)
        right = QVBoxLayout()
        right.setSpacing(4)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        # --- applicant ----------------------------------------------------------------
        self.applicant = QGroupBox("Solicitante")
        form = QFormLayout(self.applicant)
        form.setVerticalSpacing(5)
        doc = QHBoxLayout()
        self.doc_type = _combo(texts.DOC_TYPES)
        # As wide as «DNI» and its arrow (the style's drop-down button), not a guessed width.
        self.doc_type.setMinimumContentsLength(4)
        self.doc_type.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.doc_type.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.doc_type.view().setMinimumWidth(220)  # the popup shows the full names
        self.doc_number = _line("N.° de documento", 20)
        self.find_person = button("Buscar", None)
        doc.addWidget(self.doc_type)
        doc.addWidget(self.doc_number, 1)
        doc.addWidget(self.find_person)
        form.addRow("Documento", doc)
        self.given_names = _line("", 80)
        self.paternal = _line("", 60)
        self.maternal = _line("", 60)
        self.phone = _line("Opcional", 20)
        self.address = _line("Opcional", 200)
        self.paternal.setPlaceholderText("paterno")
        self.maternal.setPlaceholderText("materno")
        form.addRow("Nombres", self.given_names)
        surnames = QHBoxLayout()
        surnames.addWidget(self.paternal)
        surnames.addWidget(self.maternal)
        form.addRow("Apellidos", surnames)
        form.addRow("Teléfono", self.phone)
        form.addRow("Dirección", self.address)
        # Notices about the expediente (Ley 29733: only with the citizen's consent).
        contact = QHBoxLayout()
        self.notice_mobile = _line("Celular (9 dígitos)", 20)
        self.notice_email = _line("Correo electrónico", 120)
        contact.addWidget(self.notice_mobile, 2)
        contact.addWidget(self.notice_email, 3)
        form.addRow("Avisos", contact)
        self.notice_consent = QCheckBox("Autoriza los avisos (Ley 29733)")
        self.notice_consent.setToolTip(
            "Se le avisa por SMS o correo cuando su expediente es observado, aprobado, está "
            "listo para recoger o es denegado. Puede retirar la autorización cuando quiera.")
        form.addRow("", self.notice_consent)
        self.person_hint = label("", "hint")
        form.addRow(self.person_hint)
        left.addWidget(self.applicant)

        # --- business -----------------------------------------------------------------
        self.business = QGroupBox("Empresa (si el solicitante tiene RUC)")
        form = QFormLayout(self.business)
        form.setVerticalSpacing(5)
        ruc = QHBoxLayout()
        self.ruc = _line("11 dígitos", 20)
        self.find_business = button("Buscar", None)
        ruc.addWidget(self.ruc, 1)
        ruc.addWidget(self.find_business)
        form.addRow("RUC", ruc)
        self.business_name = _line("Razón social", 200)
        self.business_address = _line("Domicilio fiscal (opcional)", 200)
        form.addRow("Razón social", self.business_name)
        form.addRow("Domicilio", self.business_address)


        # --- category details -----------------------------------------------------------
        self.details_box = QGroupBox("Datos del trámite")
        box = QVBoxLayout(self.details_box)
        self.sections = QStackedWidget()
        self.partida = PartidaSection()
        self.funcionamiento = FuncionamientoSection()
        self.edificacion = EdificacionSection()
        self.other = label("Este trámite no pide datos adicionales.", "hint")
        for section in (self.partida, self.funcionamiento, self.edificacion, self.other):
            self.sections.addWidget(section)
        box.addWidget(self.sections)
        right.addWidget(self.details_box, 1)
        right.addWidget(self.business)

        # --- requirements ---------------------------------------------------------------
        self.requirements_box = QGroupBox("Requisitos presentados (Espacio marca)")
        box = QVBoxLayout(self.requirements_box)
        self.requirements = RequirementsModel()
        self.requirements_view = QListView()
        self.requirements_view.setModel(self.requirements)
        self.requirements_view.setWordWrap(True)
        self.requirements_view.setUniformItemSizes(False)
        box.addWidget(self.requirements_view, 1)
        self.all_requirements = button("Marcar todos", None)
        row = QHBoxLayout()
        row.addWidget(self.all_requirements)
        row.addStretch(1)
        box.addLayout(row)
        left.addWidget(self.requirements_box, 1)

        extra = QGroupBox("Expediente")
        form = QFormLayout(extra)
        form.setVerticalSpacing(5)
        self.pages = QSpinBox()
        self.pages.setRange(0, 10_000)
        self.note = _line("Opcional", 500)
        # The exemptions the law grants for the chosen procedure (the hub checks it again).
        self.exemption = QComboBox()
        self.exemption.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.exemption.setMinimumContentsLength(12)
        self.exemption.view().setMinimumWidth(380)  # the popup shows the full names
        form.addRow("Folios", self.pages)
        form.addRow("Exoneración", self.exemption)
        form.addRow("Observación", self.note)
        right.addWidget(extra)

        layout.addLayout(columns, 1)

        bottom = QHBoxLayout()
        self.notice = Notice()
        bottom.addWidget(self.notice, 4)
        bottom.addStretch(1)
        self.clear_button = button("Limpiar", None)
        self.submit = QPushButton("Registrar expediente (Ctrl+Enter)")
        self.submit.setObjectName("primary")
        self.submit.setMinimumHeight(40)
        bottom.addWidget(self.clear_button)
        bottom.addWidget(self.submit)
        layout.addLayout(bottom)

        for key in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.request_filing)

        self._procedures: list[ProcedureView] = []
        self._person: PersonView | None = None
        self._business: BusinessView | None = None
        self._busy = False
        self.procedure.currentIndexChanged.connect(self._procedure_changed)
        self.find_person.clicked.connect(self._lookup_person)
        self.doc_number.returnPressed.connect(self._lookup_person)
        self.find_business.clicked.connect(self._lookup_business)
        self.ruc.returnPressed.connect(self._lookup_business)
        self.all_requirements.clicked.connect(lambda: self.requirements.set_all(True))
        self.clear_button.clicked.connect(self.reset)
        self.submit.clicked.connect(self.request_filing)
        self._tab_order()
        self._procedure_changed()  # nothing chosen yet: no details, no business

    def _tab_order(self) -> None:
        order: list[QWidget] = [
            self.procedure, self.doc_type, self.doc_number, self.find_person, self.given_names,
            self.paternal, self.maternal, self.phone, self.address, self.ruc,
            self.find_business, self.business_name, self.business_address,
            self.partida.query, self.partida.search, self.partida.results,
            self.partida.search_note, self.partida.relation, self.partida.copies,
            self.partida.delivery, self.partida.delivery_address,
            self.funcionamiento.address, self.funcionamiento.activity,
            self.funcionamiento.area,
            self.edificacion.address, self.edificacion.description,
            self.edificacion.professional, self.edificacion.registration,
            self.requirements_view, self.all_requirements, self.pages, self.exemption,
            self.note, self.notice_mobile, self.notice_email, self.notice_consent,
            self.clear_button, self.submit,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

    # --- procedures -------------------------------------------------------------------

    def set_procedures(self, procedures: Sequence[ProcedureView]) -> None:
        current = self.current_procedure()
        self._procedures = list(procedures)
        self.procedure.blockSignals(True)
        self.procedure.clear()
        for procedure in self._procedures:
            self.procedure.addItem(f"{procedure.code} · {procedure.name}", procedure.code)
        self.procedure.blockSignals(False)
        index = self.procedure.findData(current.code) if current else 0
        self.procedure.setCurrentIndex(max(index, 0))
        self._procedure_changed()

    def current_procedure(self) -> ProcedureView | None:
        code = self.procedure.currentData()
        return next((p for p in self._procedures if p.code == code), None)

    def choose_for_service(self, service: str | None) -> None:
        """Start with the first procedure the ticket's service attends."""
        if service is None:
            return
        found = next((p for p in self._procedures if p.service == service), None)
        if found is not None:
            self.procedure.setCurrentIndex(self.procedure.findData(found.code))

    def choose(self, code: str) -> None:
        index = self.procedure.findData(code)
        if index >= 0:
            self.procedure.setCurrentIndex(index)

    def _procedure_changed(self) -> None:
        procedure = self.current_procedure()
        if procedure is None:
            self.terms.setText("")
            self.requirements.set_requirements([])
            self.sections.setCurrentWidget(self.other)
            self.business.hide()
            self._fit_section()
            return
        if procedure.fee_soles is None:  # the year's UIT is not loaded: never a guess
            fee = f"{procedure.fee_basis} — no se puede registrar ni cobrar todavía"
        elif procedure.fee_soles == 0:
            fee = "Gratuito"
        else:
            fee = f"{texts.soles(procedure.fee_soles)} ({procedure.fee_basis})"
        deadline = texts.days_text(procedure.deadline_working_days)
        resolves = f" · Resuelve: {procedure.authority}" if procedure.authority else ""
        appeals = "".join(f"\n{appeal.text}" for appeal in procedure.appeals)
        self.terms.setText(f"Derecho: {fee} · Plazo: {deadline} · {procedure.calificacion_text}"
                           f" · Área: {procedure.area}{resolves}{appeals}")
        self.requirements.set_requirements(procedure.requirements)
        variant = procedure_variant(procedure)
        category = procedure.category
        self._offer_exemptions(category, variant or acta_kind(procedure))
        if category == "partida":
            self.partida.kind = acta_kind(procedure) or ""
            self.sections.setCurrentWidget(self.partida)
        elif category == "licencia_funcionamiento":
            self.funcionamiento.set_variant(variant)
            self.sections.setCurrentWidget(self.funcionamiento)
        elif category == "licencia_edificacion":
            self.edificacion.set_variant(variant)
            self.sections.setCurrentWidget(self.edificacion)
        else:
            self.sections.setCurrentWidget(self.other)
        self._fit_section()
        self.details_box.setTitle(f"Datos: {texts.CATEGORY_LABELS.get(category, category)}")
        self.business.setVisible(category != "partida")
        self.business.setTitle("Empresa (obligatorio: RUC)" if category ==
                               "licencia_funcionamiento" else
                               "Empresa (si el solicitante tiene RUC)")

    def _offer_exemptions(self, category: str, variant: str | None) -> None:
        self.exemption.clear()
        offered = applicable(category, variant)
        self.exemption.addItem("Ninguna (paga el derecho)" if offered else "No corresponde",
                               None)
        for exemption in offered:
            self.exemption.addItem(exemption.name, exemption.code)
            self.exemption.setItemData(self.exemption.count() - 1, exemption.basis,
                                       Qt.ItemDataRole.ToolTipRole)
        self.exemption.setEnabled(bool(offered))

    def _fit_section(self) -> None:
        """The details box takes the height of the shown section, not of the tallest one
        (a stacked widget otherwise asks for its largest page)."""
        current = self.sections.currentWidget()
        for index in range(self.sections.count()):
            page = self.sections.widget(index)
            if page is None:
                continue
            policy = QSizePolicy.Policy.Preferred if page is current else \
                QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.sections.updateGeometry()

    # --- look-ups ---------------------------------------------------------------------

    def _lookup_person(self) -> None:
        number = self.doc_number.text().strip()
        if number:
            self.person_hint.setText("Buscando…")
            self.person_lookup.emit(number)

    def show_persons(self, persons: Sequence[PersonView]) -> None:
        number = self.doc_number.text().strip()
        doc_type = str(self.doc_type.currentData())
        found = next((p for p in persons if p.doc_number == number and p.doc_type == doc_type),
                     None)
        self._person = found
        if found is None:
            self.person_hint.setText("No está registrado: escriba sus nombres y apellidos.")
            self.given_names.setFocus()
            return
        self.given_names.setText(found.given_names)
        self.paternal.setText(found.paternal_surname)
        self.maternal.setText(found.maternal_surname or "")
        self.phone.setText(found.phone or "")
        self.address.setText(found.address or "")
        self.person_hint.setText(f"Registrado: {found.full_name}.")
        self.phone.setFocus()

    def _lookup_business(self) -> None:
        ruc = self.ruc.text().strip()
        if ruc:
            self.business_lookup.emit(ruc)

    def show_businesses(self, businesses: Sequence[BusinessView]) -> None:
        ruc = self.ruc.text().strip()
        found = next((b for b in businesses if b.ruc == ruc), None)
        self._business = found
        if found is None:
            self.notice.show_message("RUC no registrado: escriba la razón social.", "info")
            self.business_name.setFocus()
            return
        self.business_name.setText(found.name)
        self.business_address.setText(found.address or "")
        self.notice.clear_message()

    def show_actas(self, actas: Sequence[ActaView]) -> None:
        self.partida.show_actas(actas)

    # --- filing -----------------------------------------------------------------------

    def _person_input(self) -> tuple[PersonInput | None, str | None]:
        number = _text(self.doc_number)
        given, paternal = _text(self.given_names), _text(self.paternal)
        if number is None:
            raise InvalidInput("person_missing", "Escriba el documento del solicitante.")
        if given is None or paternal is None:
            raise InvalidInput("person_missing",
                               "Escriba los nombres y el apellido paterno del solicitante.")
        person = PersonInput(
            doc_type=self.doc_type.currentData(), doc_number=number, given_names=given,
            paternal_surname=paternal, maternal_surname=_text(self.maternal),
            phone=_text(self.phone), address=_text(self.address))
        known = self._person
        if known is not None and (known.doc_type, known.doc_number, known.given_names,
                                  known.paternal_surname, known.maternal_surname,
                                  known.phone, known.address) == (
                person.doc_type, person.doc_number, person.given_names,
                person.paternal_surname, person.maternal_surname, person.phone,
                person.address):
            return None, known.id
        return person, None

    def _business_input(self, required: bool) -> BusinessInput | None:
        ruc, name = _text(self.ruc), _text(self.business_name)
        if ruc is None and name is None:
            if required:
                raise InvalidInput("business_missing",
                                   "Escriba el RUC y la razón social de la empresa.")
            return None
        if ruc is None or name is None:
            raise InvalidInput("business_missing",
                               "Escriba el RUC y la razón social de la empresa.")
        return BusinessInput(ruc=ruc, name=name, address=_text(self.business_address))

    def build_input(self, ticket_id: str | None) -> ExpedienteInput:
        """The request as typed; raises InvalidInput (Spanish) when something is missing."""
        procedure = self.current_procedure()
        if procedure is None:
            raise InvalidInput("procedure_missing", "Elija el trámite.")
        try:
            person, person_id = self._person_input()
            business = None if procedure.category == "partida" else \
                self._business_input(procedure.category == "licencia_funcionamiento")
            details: Details | None = None
            if procedure.category == "partida":
                details = self.partida.details()
            elif procedure.category == "licencia_funcionamiento":
                details = self.funcionamiento.details()
            elif procedure.category == "licencia_edificacion":
                details = self.edificacion.details()
            return ExpedienteInput(
                procedure=procedure.code, person=person, person_id=person_id,
                business=business, requirements_presented=self.requirements.checked(),
                pages=self.pages.value(), ticket_id=ticket_id, note=_text(self.note),
                details=details, exemption=self.exemption.currentData(),
                contact=self._contact())
        except ValidationError as exc:
            raise InvalidInput("invalid_form", _spanish(exc)) from None

    def _contact(self) -> NoticeContactInput | None:
        """The citizen's contact for notices; the hub refuses one without the consent."""
        mobile, email = _text(self.notice_mobile), _text(self.notice_email)
        if mobile is None and email is None:
            return None
        return NoticeContactInput(mobile=mobile, email=email,
                                  consent=self.notice_consent.isChecked())

    def request_filing(self) -> None:
        if self._busy or not self.isVisible():
            return
        self.filing_requested.emit()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.submit.setEnabled(not busy)
        self.submit.setText("Registrando…" if busy else "Registrar expediente (Ctrl+Enter)")

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.notice.show_message(message, "error")

    def reset(self) -> None:
        """Empty the form for the next citizen (the procedure stays)."""
        for edit in (self.doc_number, self.given_names, self.paternal, self.maternal,
                     self.phone, self.address, self.ruc, self.business_name,
                     self.business_address, self.note, self.notice_mobile,
                     self.notice_email):
            edit.clear()
        self.notice_consent.setChecked(False)
        self.doc_type.setCurrentIndex(0)
        self.pages.setValue(0)
        self.exemption.setCurrentIndex(0)
        self._person = None
        self._business = None
        self.person_hint.clear()
        self.partida.clear()
        self.funcionamiento.clear()
        self.edificacion.clear()
        self.requirements.set_all(False)
        self.notice.clear_message()
        self.set_busy(False)
