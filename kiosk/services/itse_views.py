"""What the counter sends to record an ITSE and what the supervisor's ITSE section gets."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from kiosk.services.expediente_views import Input, InspectionResult, RiskLevel
from kiosk.services.views import View


class ItseInput(Input):
    """The inspection's result and, when conforme, the certificate the órgano ejecutante
    issued (its number and date of issue)."""

    result: InspectionResult
    certificate_number: str | None = Field(default=None, max_length=30)
    certificate_date: date | None = None
    note: str | None = Field(default=None, max_length=500)


class ItsePending(View):
    """A licence of risk bajo or medio whose ITSE posterior is not recorded as conforme."""

    number: str
    applicant: str
    risk: RiskLevel
    approved_on: date
    due_date: date  # ITSE_POSTERIOR_WORKING_DAYS working days from the approval
    overdue: bool
    last_result: InspectionResult | None  # a no_conforme inspection already recorded


class ItseCertificateView(View):
    number: str  # the expediente's
    applicant: str
    certificate_number: str
    certificate_date: date
    valid_until: date
    state: str  # vigente | por_vencer | vencido (kiosk/rules/itse.py CertificateState)
    state_text: str


class ItseOverview(View):
    today: date
    due_working_days: int  # the figure used, and whether the law confirms it
    due_days_confirmed: bool
    validity_years: int
    warning_days: int
    pending: list[ItsePending]  # overdue first, then by due date
    certificates: list[ItseCertificateView]  # expired and expiring first, by validity
