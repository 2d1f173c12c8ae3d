"""Fixed documents (fixed dates, so bytes are reproducible) for the printing tests."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.config import DataDir
from kiosk.hub import OfficeHub
from printing.layout import (
    ReceiptLine,
    ReceiptPrint,
    Requirement,
    RequirementsPrint,
    TicketPrint,
)

LIMA = ZoneInfo("America/Lima")
WHEN = datetime(2026, 11, 20, 8, 15, tzinfo=LIMA)
TICKET_QR = "https://cac.cajamarca.gob.pe/t/7KQ2M9XA4BZ3"
RECEIPT_QR = "https://cac.cajamarca.gob.pe/t/Q8W3E5R7T9Y1"

TICKET = TicketPrint(
    municipality="Municipalidad Provincial de Cajamarca",
    office_name="CAC Cajamarca – Sede Central",
    service_name="Registro Civil – Partidas",
    number="A-023",
    issued_at=WHEN,
    people_ahead=3,
    wait_minutes=(10, 20),
    preferential="adulto_mayor",
    qr_payload=TICKET_QR,
)

RECEIPT = ReceiptPrint(
    municipality="Municipalidad Provincial de Cajamarca",
    office_name="CAC Cajamarca",
    receipt_number="CAJ-R-2026-000045",
    issued_at=WHEN,
    expediente_number="CAJ-2026-000123",
    procedure_name="Copia certificada de partida de nacimiento",
    payer_name="Señora María Ñahui Quispe",
    payer_document="DNI 41234567",
    lines=(
        ReceiptLine("Copia certificada de partida de nacimiento", Decimal("10.50")),
        ReceiptLine("Búsqueda en el archivo", Decimal("2")),
    ),
    payment_method="Efectivo",
    clerk="Rosa Chávez Ibáñez",
    qr_payload=RECEIPT_QR,
)

REQUIREMENTS = RequirementsPrint(
    municipality="Municipalidad Provincial de Cajamarca",
    office_name="CAC Cajamarca",
    procedure_name="Licencia de funcionamiento – establecimiento de riesgo bajo",
    fee=Decimal("104.50"),
    deadline_working_days=4,
    requirements=(
        Requirement("Solicitud con carácter de declaración jurada, con el número de RUC y el "
                    "DNI o carné de extranjería del solicitante."),
        Requirement("Vigencia de poder del representante legal.", conditional=True),
        Requirement("Pago del derecho de trámite."),
    ),
    printed_at=WHEN,
    procedure_code="LF-01",
    fee_note="1.90 % de la UIT 2026",
    qr_payload="https://cac.cajamarca.gob.pe/tupa/LF-01",
)


@pytest.fixture(params=[58, 80], ids=["58mm", "80mm"])
def width_mm(request: pytest.FixtureRequest) -> int:
    return int(request.param)


@pytest.fixture
def office(tmp_path: Path) -> DataDir:
    """A real office data directory (demo data), as `cac print sample` finds it."""
    data_dir = DataDir(tmp_path / "caj")
    OfficeHub.initialise(data_dir, "CAJ", "CAC Cajamarca", demo=True).close()
    return data_dir
