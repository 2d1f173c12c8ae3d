"""Fixed hub views (expedientes, payments, a cierre de caja) for the document tests.

They come from printing.samples with a fixed office and a fixed moment, so bytes are
reproducible; tests change one field at a time with `model_copy(update=...)`.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pypdf

from kiosk.config import OfficeConfig
from kiosk.services.expediente_views import (
    ActaView,
    CashClosing,
    CashClosingLine,
    ExpedienteView,
    PaymentView,
)
from printing import samples

CONFIG = OfficeConfig(office_code="CAJ", office_name="CAC Cajamarca – Sede Central",
                      municipality="Municipalidad Provincial de Cajamarca",
                      public_url="https://tramites.cajamarca.gob.pe")
OFFICE = CONFIG.office_name
MUNICIPALITY = CONFIG.municipality
# 08:15 in Lima, given in UTC as the hub stores it: documents must print office time.
FILED = datetime(2026, 11, 20, 13, 15, tzinfo=UTC)
ISSUED = datetime(2026, 11, 20, 15, 40, tzinfo=UTC)  # 10:40 in Lima

LICENCIA: ExpedienteView = samples.sample_licencia_expediente(CONFIG, FILED)
PARTIDA: ExpedienteView = samples.sample_partida_expediente(CONFIG, FILED)
LICENCIA_URL = CONFIG.tracking_url(LICENCIA.tracking_code)
PARTIDA_URL = CONFIG.tracking_url(PARTIDA.tracking_code)
CASH_PAYMENT: PaymentView = PARTIDA.payments[0]
BANK_PAYMENT: PaymentView = LICENCIA.payments[0]
CLOSING: CashClosing = samples.sample_closing(CONFIG, FILED)

MARRIAGE = ActaView(
    id="acta-m", kind="matrimonio", kind_text="Matrimonio", acta_number="000981", book="7",
    folio="45", event_date=date(2010, 6, 12), registered_on=date(2010, 6, 12),
    place="Municipalidad Provincial de Cajamarca",
    titular_name="José Luis Huamán Cabrera", titular_given="José Luis",
    titular_paternal="Huamán", titular_maternal="Cabrera",
    spouse_name="Ana Sofía Ñique Rojas")
DEATH = ActaView(
    id="acta-d", kind="defuncion", kind_text="Defunción", acta_number="003310", book="21",
    folio="110", event_date=date(2019, 9, 3), registered_on=date(2019, 9, 4),
    place="Hospital Regional Docente de Cajamarca",
    titular_name="Teodoro Ñaupari Ávila", titular_given="Teodoro",
    titular_paternal="Ñaupari", titular_maternal="Ávila")


def with_acta(acta: ActaView, copies: int = 1) -> ExpedienteView:
    details: dict[str, Any] = {**PARTIDA.details, "copies": copies}
    return PARTIDA.model_copy(update={"acta": acta, "details": details})


def big_closing(count: int) -> CashClosing:
    lines = [CashClosingLine(
        receipt_number=f"CAJ-R-2026-{n:06d}", expediente_number=f"CAJ-2026-{n:06d}",
        amount=Decimal("10.45"), method="efectivo", voucher_number=None,
        paid_at=datetime(2026, 11, 20, 13, 0, tzinfo=UTC))
        for n in range(1, count + 1)]
    total = Decimal("10.45") * count
    return CLOSING.model_copy(update={"lines": lines, "count": count, "total": total,
                                      "by_method": {"efectivo": total}})


def pdf_reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    """All pages' text, whitespace collapsed (table cells come out separated by spaces)."""
    reader = pdf_reader(data)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
