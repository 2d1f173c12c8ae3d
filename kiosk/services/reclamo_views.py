"""What the kiosk and the counter send to file a reclamo or leave a suggestion, and what the
supervisor's Libro de Reclamaciones and satisfaction tab get (kiosk/rules/reclamos.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from kiosk.rules.text import Name, Note
from kiosk.services.expediente_views import DocType, Input
from kiosk.services.views import View

CategoryCode = Literal["trato_profesional", "informacion", "tiempo_atencion", "acceso",
                       "resultado", "confianza", "otros"]
DeliveryCode = Literal["correo_electronico", "domicilio", "en_oficina"]
SuggestionCode = Literal["atencion", "instalaciones", "tramites", "informacion", "otros"]


class ReclamoInput(Input):
    """The hoja de reclamación: who, how to reach them, what happened and what they ask."""

    category: CategoryCode
    doc_type: DocType = "DNI"
    doc_number: str = Field(min_length=1, max_length=20)
    full_name: Name = Field(min_length=1, max_length=200)
    address: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=120)
    description: Note = Field(min_length=1, max_length=2000)
    request: Note | None = Field(default=None, max_length=1000)
    # The Orientación ticket a kiosk draft came with: filing it ends the draft.
    from_ticket: str | None = Field(default=None, max_length=12)


class ReclamoDraft(Input):
    """What a citizen typed at the kiosk before asking a clerk to finish: any of the hoja's
    fields, none required (the clerk completes and checks it at the counter)."""

    category: CategoryCode | None = None
    doc_type: DocType = "DNI"
    doc_number: str | None = Field(default=None, max_length=20)
    full_name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=120)
    description: Note | None = Field(default=None, max_length=2000)
    request: Note | None = Field(default=None, max_length=1000)


class ReclamoDraftInput(Input):
    """A kiosk's draft, kept with the ticket the citizen took to see a clerk."""

    ticket_id: str = Field(min_length=1, max_length=36)
    draft: ReclamoDraft


class ReclamoAnswer(Input):
    answer: Note = Field(min_length=1, max_length=4000)
    delivery: DeliveryCode


class ReclamoView(View):
    number: str
    office: str  # the office's code
    office_name: str
    channel: str  # kiosco | ventanilla
    category: str
    category_text: str
    doc_type: str
    doc_number: str
    full_name: str
    address: str | None
    phone: str | None
    email: str | None
    description: str
    request: str | None
    filed_at: datetime
    answer_working_days: int  # the figure the due date was counted with
    due_date: date
    status: str  # abierto | respondido
    overdue: bool
    answer: str | None
    delivery: str | None
    delivery_text: str | None
    answered_at: datetime | None


class ReclamoBook(View):
    """The supervisor's list: open reclamos by due date (overdue first), then the answered."""

    today: date
    answer_working_days: int
    days_confirmed: bool  # whether the rules in force are confirmed to say that figure
    days_source: str
    reclamos: list[ReclamoView]


class SuggestionInput(Input):
    """Anonymous: a category and the text, nothing that says who."""

    category: SuggestionCode
    text: Note = Field(min_length=1, max_length=1000)


class SuggestionReceived(View):
    id: str
    category: str
    created_at: datetime


class SuggestionCount(View):
    category: str
    label: str
    count: int


class SuggestionText(View):
    business_date: date
    category: str
    label: str
    text: str


class SuggestionStats(View):
    date_from: date
    date_to: date
    total: int
    by_category: list[SuggestionCount]  # every category, in the rules' order
    latest: list[SuggestionText]  # newest first, at most LATEST_SHOWN
