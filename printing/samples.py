"""Realistic sample documents for an office: `cac print sample` and printer test pages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from kiosk.config import OfficeConfig
from printing.blocks import Layout
from printing.layout import (
    ReceiptLine,
    ReceiptPrint,
    Requirement,
    RequirementsPrint,
    TicketPrint,
    receipt_layout,
    requirements_layout,
    ticket_layout,
)

SAMPLES = ("ticket", "receipt", "requirements")


def sample_ticket(config: OfficeConfig, now: datetime) -> TicketPrint:
    return TicketPrint(
        municipality=config.municipality,
        office_name=config.office_name,
        service_name="Registro Civil – Partidas y actas",
        number="A-023",
        issued_at=now,
        people_ahead=4,
        wait_minutes=(10, 20),
        preferential="adulto_mayor",
        qr_payload=f"{config.office_code}-{now:%Y%m%d}-A-023",
        timezone=config.timezone,
    )


def sample_receipt(config: OfficeConfig, now: datetime) -> ReceiptPrint:
    code, year = config.office_code, now.year
    return ReceiptPrint(
        municipality=config.municipality,
        office_name=config.office_name,
        receipt_number=f"{code}-R-{year}-000045",
        issued_at=now,
        expediente_number=f"{code}-{year}-000123",
        procedure_name="Copia certificada de partida de nacimiento",
        payer_name="María Ñahui Quispe",
        payer_document="DNI 41234567",
        lines=(
            ReceiptLine("Copia certificada de partida de nacimiento", Decimal("10.50")),
            ReceiptLine("Búsqueda en el archivo", Decimal("2.00")),
        ),
        payment_method="Efectivo",
        clerk="Rosa Chávez Ibáñez",
        qr_payload=f"{code}-{year}-000123",
        timezone=config.timezone,
    )


def sample_requirements(config: OfficeConfig, now: datetime) -> RequirementsPrint:
    return RequirementsPrint(
        municipality=config.municipality,
        office_name=config.office_name,
        procedure_code="LF-01",
        procedure_name="Licencia de funcionamiento – establecimiento de riesgo bajo",
        fee=Decimal("104.50"),
        fee_note=f"1.90 % de la UIT {now.year}",
        deadline_working_days=4,
        qualification="Evaluación previa con silencio positivo",
        requirements=(
            Requirement("Solicitud de licencia de funcionamiento con carácter de declaración "
                        "jurada, con el número de RUC y el DNI o carné de extranjería."),
            Requirement("Vigencia de poder del representante legal.", conditional=True),
            Requirement("Declaración jurada de cumplimiento de las condiciones de seguridad "
                        "en la edificación."),
            Requirement("Pago del derecho de trámite."),
        ),
        printed_at=now,
        timezone=config.timezone,
    )


def sample_layout(kind: str, config: OfficeConfig, now: datetime) -> Layout:
    if kind == "ticket":
        return ticket_layout(sample_ticket(config, now))
    if kind == "receipt":
        return receipt_layout(sample_receipt(config, now))
    if kind == "requirements":
        return requirements_layout(sample_requirements(config, now))
    raise ValueError(f"unknown sample {kind!r}")
