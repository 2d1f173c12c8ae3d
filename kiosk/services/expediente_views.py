"""What the counter sends and gets for clerks, citizens, actas, expedientes, payments.

Inputs are checked twice: pydantic checks shapes and lengths (so the API answers 422 on a
malformed body), the services check the meaning (DNI check digits, fee, transitions) and
answer in Spanish. Outputs are frozen views, the same in-process and over HTTP.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import ConfigDict, Field

from kiosk.rules.text import Name, Note, TextInput
from kiosk.services.views import View

DocType = Literal["DNI", "CE", "CPP", "PAS"]  # kiosk/rules/identity.py DocType
Relation = Literal["titular", "padre_madre", "conyuge", "hijo", "hermano", "apoderado", "otro"]
Delivery = Literal["ventanilla", "domicilio"]
RiskLevel = Literal["bajo", "medio", "alto", "muy_alto"]
Modalidad = Literal["A", "B", "C", "D"]
ActaKind = Literal["nacimiento", "matrimonio", "defuncion"]
PaymentMethod = Literal["efectivo", "banco_nacion"]
Action = Literal["observe", "correct", "derive", "inspect", "approve", "deny", "deliver",
                 "cancel", "link_acta", "review"]
InspectionResult = Literal["conforme", "no_conforme"]
# The Comisión Técnica's dictamen, and who reviews an edificación C/D (kiosk/rules/
# comision_tecnica.py).
DictamenResult = Literal["conforme", "conforme_con_observaciones", "no_conforme"]
EvaluacionKind = Literal["comision_tecnica", "revisores_urbanos"]
# cargo de recepción, recibo, copia certificada, constancia de silencio administrativo positivo
DocumentKind = Literal["cargo", "receipt", "copia", "constancia_silencio"]
DocumentMedium = Literal["termica", "pdf"]  # the counter's thermal printer, or an A4 PDF


class Input(TextInput):
    """Text fields are one line without control characters unless typed `Note`; `Name`s lose
    invisible formatting (kiosk/rules/text.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- clerks ------------------------------------------------------------------------------------


class UserView(View):
    id: str
    username: str
    full_name: str
    role: str  # counter | supervisor | admin
    must_change: bool = False


class LoginInput(Input):
    username: str = Field(min_length=1, max_length=40)
    secret: str = Field(min_length=1, max_length=128)  # PIN or password
    counter: int | None = Field(default=None, ge=1, le=999)


class ClerkSession(View):
    """A clerk logged in on this device. `token` goes in the `X-Clerk-Session` header."""

    token: str
    user: UserView
    counter: int | None
    idle_lock_s: int  # the window locks itself after this long without input


class LoginCounter(View):
    """The counter a PC's login offers (kiosk/hub/sessions.py: login_counter)."""

    counter: int | None
    bound: bool  # the admin bound the PC to it: the only one its clerks log in at


# --- citizens ----------------------------------------------------------------------------------


class PersonInput(Input):
    doc_type: DocType = "DNI"
    doc_number: str = Field(min_length=1, max_length=20)
    given_names: Name = Field(min_length=1, max_length=80)
    paternal_surname: Name = Field(min_length=1, max_length=60)
    maternal_surname: Name | None = Field(default=None, max_length=60)
    phone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=120)
    address: str | None = Field(default=None, max_length=200)


class PersonView(View):
    id: str
    doc_type: str
    doc_number: str
    given_names: str
    paternal_surname: str
    maternal_surname: str | None
    full_name: str  # "Juan Carlos Quispe Mamani"
    phone: str | None = None
    email: str | None = None
    address: str | None = None


class BusinessInput(Input):
    ruc: str = Field(min_length=1, max_length=20)
    name: Name = Field(min_length=1, max_length=200)
    address: str | None = Field(default=None, max_length=200)


class BusinessView(View):
    id: str
    ruc: str
    name: str
    address: str | None = None


# --- civil registry ----------------------------------------------------------------------------


class ActaInput(Input):
    kind: ActaKind
    acta_number: str = Field(min_length=1, max_length=20)
    book: str = Field(min_length=1, max_length=20)
    folio: str = Field(min_length=1, max_length=20)
    event_date: date
    registered_on: date
    place: str = Field(min_length=1, max_length=120)
    titular_given: Name = Field(min_length=1, max_length=80)
    titular_paternal: Name = Field(min_length=1, max_length=60)
    titular_maternal: Name | None = Field(default=None, max_length=60)
    spouse_given: Name | None = Field(default=None, max_length=80)
    spouse_paternal: Name | None = Field(default=None, max_length=60)
    spouse_maternal: Name | None = Field(default=None, max_length=60)
    father_name: Name | None = Field(default=None, max_length=200)
    mother_name: Name | None = Field(default=None, max_length=200)


class ActaView(View):
    id: str
    kind: str
    kind_text: str  # "Nacimiento"
    acta_number: str
    book: str
    folio: str
    event_date: date
    registered_on: date
    place: str
    titular_name: str  # "Juan Carlos Quispe Mamani"
    titular_given: str
    titular_paternal: str
    titular_maternal: str | None
    spouse_name: str | None = None
    father_name: str | None = None
    mother_name: str | None = None
    # A birth record whose titular is under 18 today: copies go to the parents only.
    minor: bool = False


# --- expedientes -------------------------------------------------------------------------------


class PartidaDetails(Input):
    kind: Literal["partida"] = "partida"
    acta_id: str | None = Field(default=None, max_length=36)  # None: the office searches
    search_note: Note | None = Field(default=None, max_length=300)  # what to search for
    relation: Relation = "titular"
    copies: int = Field(default=1, ge=1, le=10)
    delivery: Delivery = "ventanilla"
    delivery_address: str | None = Field(default=None, max_length=200)


class FuncionamientoDetails(Input):
    kind: Literal["licencia_funcionamiento"] = "licencia_funcionamiento"
    establishment_address: str = Field(min_length=1, max_length=200)
    activity: str = Field(min_length=1, max_length=200)
    area_m2: Decimal = Field(gt=0, le=1_000_000)
    risk: RiskLevel


class EdificacionDetails(Input):
    kind: Literal["licencia_edificacion"] = "licencia_edificacion"
    modalidad: Modalidad
    work_address: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=300)
    professional_name: Name = Field(min_length=1, max_length=120)
    professional_registration: str = Field(min_length=1, max_length=20)  # CAP / CIP number
    # Modalidades C and D: who reviews the project (None: the Comisión Técnica); with
    # Revisores Urbanos, the number of their Informe Técnico Favorable filed with it.
    evaluacion: EvaluacionKind | None = None
    informe_revisores: str | None = Field(default=None, max_length=40)


Details = PartidaDetails | FuncionamientoDetails | EdificacionDetails


class NoticeContactInput(Input):
    """A citizen's contact for notices about their expediente, and their consent (Ley 29733):
    a Peruvian mobile and/or an e-mail; without `consent` nothing is kept."""

    mobile: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=120)
    consent: bool = False


class NoticeConsentView(View):
    """The citizen's consent to notices in force (staff only): which channels, when, by whom;
    never the address."""

    channels: list[str]  # sms | email
    given_at: datetime
    given_by: str


class NoticeWithdrawal(View):
    """A consent withdrawn: the notices that had not left are cancelled."""

    reference: str
    cancelled: int


class ExpedienteInput(Input):
    procedure: str = Field(min_length=1, max_length=20)  # TUPA code, e.g. "LF-03"
    person: PersonInput | None = None  # the applicant, or the business's representative
    person_id: str | None = Field(default=None, max_length=36)  # reuse a known person
    business: BusinessInput | None = None  # applicant when it is a company (RUC)
    requirements_presented: list[int] = Field(default_factory=list, max_length=40)  # 1-based
    pages: int = Field(default=0, ge=0, le=10_000)
    ticket_id: str | None = Field(default=None, max_length=36)
    note: Note | None = Field(default=None, max_length=500)
    details: Details | None = Field(default=None, discriminator="kind")
    # An exemption the law grants for this procedure (kiosk/rules/exemptions.py code).
    exemption: str | None = Field(default=None, max_length=40)
    # Notices to the citizen (observed, approved, ready, denied): their contact and consent.
    contact: NoticeContactInput | None = None


class TransitionInput(Input):
    action: Action
    note: Note | None = Field(default=None, max_length=500)
    area: str | None = Field(default=None, max_length=120)  # derive: the area it goes to
    inspection_result: InspectionResult | None = None  # inspect
    dictamen: DictamenResult | None = None  # review: the Comisión Técnica's dictamen
    ticket_id: str | None = Field(default=None, max_length=36)
    # correct: the requirements (1-based) the citizen brings now, added to those on file.
    requirements_presented: list[int] = Field(default_factory=list, max_length=40)
    # link_acta: the acta the archive found for a partida filed without one.
    acta_id: str | None = Field(default=None, max_length=36)


class NullityInput(Input):
    """Nulidad de oficio of an approved expediente: why, and the resolution that declares it."""

    reason: Note = Field(max_length=500)
    resolution: str | None = Field(default=None, max_length=60)  # e.g. «RGM 045-2026-MPC»


AppealKindName = Literal["reconsideracion", "apelacion"]  # kiosk/rules/procedures.py AppealKind
AppealOutcomeName = Literal["fundado", "infundado", "improcedente"]  # kiosk/rules/appeals.py


class AppealInput(Input):
    """A recurso the citizen files at the counter against the decision on an expediente."""

    kind: AppealKindName
    # When the citizen was notified of the decision (the filing term counts from it); None:
    # on the day of the decision.
    notified_on: date | None = None
    note: Note | None = Field(default=None, max_length=500)  # what the citizen asks, in short
    ticket_id: str | None = Field(default=None, max_length=36)


class AppealDecisionInput(Input):
    """The decision on an appeal, as its authority resolved it: a supervisor records it."""

    outcome: AppealOutcomeName
    reason: Note = Field(max_length=500)
    resolution: str | None = Field(default=None, max_length=60)  # e.g. «RG 012-2027-GDU»


class PaymentInput(Input):
    amount: Decimal = Field(gt=0, le=1_000_000, decimal_places=2)
    method: PaymentMethod = "efectivo"
    voucher_number: str | None = Field(default=None, max_length=30)  # Banco de la Nación
    cash_received: Decimal | None = Field(default=None, gt=0, le=1_000_000, decimal_places=2)
    ticket_id: str | None = Field(default=None, max_length=36)


class DocumentInput(Input):
    """A document the counter issued for an expediente (after it printed or was saved)."""

    document: DocumentKind
    medium: DocumentMedium = "termica"
    receipt_number: str | None = Field(default=None, max_length=30)  # receipt: which one
    reprint: bool = False  # what the paper says: REIMPRESIÓN (DUPLICADO for a copia)


class RequirementCheck(View):
    number: int
    text: str
    mandatory: bool
    presented: bool


class ExpedienteEventView(View):
    kind: str  # received, observed, corrected, derived, inspected, approved, denied, paid, ...
    kind_text: str  # Spanish
    at: datetime
    who: str | None  # the clerk's full name
    where: str | None  # the counter or device
    area: str | None = None
    note: str | None = None


class PaymentView(View):
    id: str
    receipt_number: str
    expediente_number: str
    procedure_name: str
    payer: str
    amount: Decimal
    method: str
    voucher_number: str | None
    cash_received: Decimal | None
    change: Decimal | None
    paid_at: datetime
    clerk: str | None
    counter: int | None
    # The expediente's exemption: its name, legal basis and the amount it waived.
    exemption: str | None = None
    exemption_basis: str | None = None
    exempted: Decimal | None = None


class AttachmentView(View):
    id: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime
    who: str | None = None  # the clerk who attached it (None: the hub itself)


class AttachmentFile(View):
    """A stored attachment's content, as the hub keeps it."""

    attachment_id: str
    file_name: str
    media_type: str
    content: bytes


class DocumentIssueView(View):
    """One issue of a document of the expediente, from its `document_issued` event."""

    document: str  # cargo | receipt | copia
    medium: str  # termica | pdf
    receipt_number: str | None = None
    issue_number: int  # in its medium: 1 the original; 2, 3…: reprints (duplicados)
    reprint: bool
    at: datetime
    who: str | None
    where: str | None


class FiledAppealView(View):
    """A recurso filed against the expediente's decision: its own due date and outcome."""

    id: str
    kind: str  # reconsideracion | apelacion
    kind_text: str
    against: str  # the decision appealed, as people name it
    authority: str  # who decides it
    article: str
    notified_on: date
    filed_at: datetime
    due_date: date  # last day to decide it
    overdue: bool  # in process past its due date
    note: str | None = None
    outcome: str | None = None  # fundado | infundado | improcedente; None: in process
    outcome_text: str | None = None
    reason: str | None = None
    resolution: str | None = None
    decided_at: datetime | None = None


class ExpedienteView(View):
    id: str
    number: str
    tracking_code: str
    procedure_code: str
    procedure_name: str
    procedure_version: int
    category: str
    variant: str | None
    status: str  # recibido | observado | en_area | aprobado | denegado | entregado | anulado
    status_text: str
    area: str
    person: PersonView | None
    business: BusinessView | None
    applicant_name: str
    filed_at: datetime
    deadline_working_days: int
    calificacion: str
    calificacion_text: str
    due_date: date
    observation_due: date | None
    stopped_working_days: int
    silencio_positivo: bool  # the deadline passed without a decision under silencio positivo
    overdue: bool
    fee: Decimal  # to pay: after the exemption
    fee_basis: str
    paid: Decimal
    balance: Decimal
    pages: int
    requirements: list[RequirementCheck]
    details: dict[str, Any]
    acta: ActaView | None
    itse_done: bool
    events: list[ExpedienteEventView]
    payments: list[PaymentView]
    attachments: list[AttachmentView]
    allowed_actions: list[str]  # what the clerk may do next (buttons)
    documents: list[DocumentIssueView] = Field(default_factory=list)  # cargos, receipts, copies
    exemption: str | None = None  # its code (kiosk/rules/exemptions.py)
    exemption_name: str | None = None
    exemption_basis: str | None = None
    exempted: Decimal | None = None  # what it took off the fee
    # Outcomes the law decides: the day silencio positivo approved it (recorded or due now),
    # and the event that approved it by law (silence_operated, approved_automatically).
    silence_operated_on: date | None = None
    approved_by_law: str | None = None
    silence_article: str | None = None  # the article the constancia cites
    # Recursos filed against its decision, oldest first; the kinds it admits now, and the
    # last day to file them counted from the decision (a later notification gives more).
    appeals: list[FiledAppealView] = Field(default_factory=list)
    appeal_kinds: list[str] = Field(default_factory=list)
    appeal_filing_due: date | None = None
    # Edificación C/D: who reviews the project; with the Comisión Técnica, its latest
    # dictamen and the last day for it (counted on the office's calendar).
    evaluacion: EvaluacionKind | None = None
    dictamen: DictamenResult | None = None
    dictamen_text: str | None = None
    review_due: date | None = None
    review_overdue: bool = False
    notices: NoticeConsentView | None = None  # the citizen's consent to notices, if any

    def times_issued(self, document: str, receipt_number: str | None = None,
                     medium: str | None = None) -> int:
        """How often a document was issued already (any counter), in `medium` (None: in any):
        the next one in that medium is a reprint when this is not 0. The A4 cargo of a cargo
        printed on thermal paper is the same document on other paper, not a reprint.
        Receipts count per receipt number."""
        return sum(1 for d in self.documents if d.document == document
                   and (document != "receipt" or d.receipt_number == receipt_number)
                   and (medium is None or d.medium == medium))


class ExpedienteSummary(View):
    id: str
    number: str
    tracking_code: str
    procedure_name: str
    applicant_name: str
    applicant_doc: str | None
    status: str
    status_text: str
    filed_at: datetime
    due_date: date


class PublicStatus(View):
    """What the kiosk and the tracking QR may show: no names, no documents."""

    number: str
    procedure_name: str
    status: str
    status_text: str
    filed_on: date
    due_date: date
    observation_due: date | None
    silencio_positivo: bool


class CashClosingLine(View):
    receipt_number: str
    expediente_number: str
    amount: Decimal
    method: str
    voucher_number: str | None
    paid_at: datetime
    exemption: str | None = None  # the expediente's exemption (code), counted apart
    exempted: Decimal | None = None


class ExemptionTotal(View):
    """One exemption in a cierre de caja or the statistics: how many, and what they waived."""

    code: str
    name: str
    basis: str
    count: int
    amount: Decimal  # not collected: never part of a total of money


def cierre_reference(business_date: date, username: str) -> str:
    """The reference a cierre de caja's print job is reported with: `2026-11-20:ana`."""
    return f"{business_date.isoformat()}:{username}"


class CashClosing(View):
    """Cierre de caja: one clerk's payments on one business day."""

    business_date: date
    clerk: str
    username: str
    lines: list[CashClosingLine]
    count: int  # receipts with money (efectivo, Banco de la Nación)
    total: Decimal
    by_method: dict[str, Decimal]
    generated_at: datetime
    printed: int = 0  # times this day's cierre of this clerk was printed (print jobs)
    exemptions: list[ExemptionTotal] = Field(default_factory=list)  # counted apart

    @property
    def print_reference(self) -> str:
        return cierre_reference(self.business_date, self.username)
