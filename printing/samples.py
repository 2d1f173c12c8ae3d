"""Realistic sample documents for an office: `cac print sample` and printer test pages.

Thermal samples are layouts (ESC/POS bytes and PNG previews); A4 samples are PDF bytes. The
expediente samples are hub views (ExpedienteView, PaymentView, CashClosing) built here with
the office's data, so they print exactly as a real expediente would.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from kiosk.config import OfficeConfig
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.expedientes import format_tracking_code
from kiosk.rules.reclamos import ANSWER_WORKING_DAYS
from kiosk.services.expediente_views import (
    ActaView,
    BusinessView,
    CashClosing,
    CashClosingLine,
    ExpedienteEventView,
    ExpedienteView,
    PaymentView,
    PersonView,
    RequirementCheck,
)
from kiosk.services.reclamo_views import ReclamoView
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

THERMAL_SAMPLES = ("ticket", "receipt", "requirements", "cargo", "cierre", "reclamo")
A4_SAMPLES = ("cargo-a4", "partida-a4", "cierre-a4")
SAMPLES = THERMAL_SAMPLES + A4_SAMPLES
# Tracking codes of the sample expedientes; their QR codes lead to the office's public address
# (OfficeConfig.tracking_url), or, without one, the code is printed with where to ask.
LICENCIA_TRACKING = "7K3QD9XM2AVB8"
PARTIDA_TRACKING = "Q8W3E5R7T9Y1K"
SAMPLE_CLERK = "Rosa Chávez Ibáñez"
SAMPLE_REGISTRAR = "Abog. Carmen Rosa Vásquez Llanos"


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
        qr_payload=config.tracking_url(LICENCIA_TRACKING),
        tracking_code=format_tracking_code(LICENCIA_TRACKING),
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


# --- expediente views ----------------------------------------------------------------------


def _person(pid: str, doc: str, given: str, paternal: str, maternal: str) -> PersonView:
    return PersonView(id=pid, doc_type="DNI", doc_number=doc, given_names=given,
                      paternal_surname=paternal, maternal_surname=maternal,
                      full_name=f"{given} {paternal} {maternal}")


def _requirements(items: list[tuple[str, bool, bool]]) -> list[RequirementCheck]:
    return [RequirementCheck(number=n, text=text, mandatory=mandatory, presented=presented)
            for n, (text, mandatory, presented) in enumerate(items, start=1)]


def _received(at: datetime, note: str | None = None) -> ExpedienteEventView:
    return ExpedienteEventView(kind="received", kind_text="Recibido", at=at, who=SAMPLE_CLERK,
                               where="Ventanilla 3", note=note)


def _payment(config: OfficeConfig, number: str, procedure: str, payer: str, amount: str,
             at: datetime, seq: int, *, voucher: str | None = None,
             cash: str | None = None) -> PaymentView:
    received = Decimal(cash) if cash else None
    return PaymentView(
        id=f"pay-{seq}", receipt_number=f"{config.office_code}-R-{at.year}-{seq:06d}",
        expediente_number=number, procedure_name=procedure, payer=payer,
        amount=Decimal(amount), method="banco_nacion" if voucher else "efectivo",
        voucher_number=voucher, cash_received=received,
        change=received - Decimal(amount) if received is not None else None,
        paid_at=at, clerk=SAMPLE_CLERK, counter=3)


def sample_licencia_expediente(config: OfficeConfig, now: datetime) -> ExpedienteView:
    """A licencia de funcionamiento (riesgo medio) filed by a company's representative."""
    code, year = config.office_code, now.year
    number = f"{code}-{year}-000123"
    procedure = "Licencia de funcionamiento – establecimiento de riesgo medio"
    person = _person("per-1", "45678912", "Juan Carlos", "Quispe", "Mamani")
    business = BusinessView(id="bus-1", ruc="20512333797", name="Bodega Los Andes E.I.R.L.",
                            address="Jr. Amalia Puga 635, Cajamarca")
    fee = Decimal("263.20")
    paid = _payment(config, number, procedure, business.name, "263.20",
                    now + timedelta(minutes=6), 45, voucher="0458712-3")
    calendar = WorkingCalendar(tz=config.tz)
    return ExpedienteView(
        id="exp-1", number=number, tracking_code=LICENCIA_TRACKING, procedure_code="LF-02",
        procedure_name=procedure, procedure_version=1, category="licencia_funcionamiento",
        variant="medio", status="recibido", status_text="Recibido",
        area="Subgerencia de Licencias y Comercialización", person=person, business=business,
        applicant_name=business.name, filed_at=now, deadline_working_days=10,
        calificacion="silencio_positivo",
        calificacion_text="Evaluación previa — silencio positivo",
        due_date=calendar.add_working_days(now, 10), observation_due=None,
        stopped_working_days=0, silencio_positivo=False, overdue=False, fee=fee,
        fee_basis=f"4.7855 % de la UIT {year} (S/ 5,500.00)", paid=paid.amount,
        balance=fee - paid.amount, pages=23,
        requirements=_requirements([
            ("Solicitud de licencia de funcionamiento con carácter de declaración jurada, con "
             "el número de RUC y el DNI o carné de extranjería del representante legal.",
             True, True),
            ("Vigencia de poder del representante legal (persona jurídica).", True, True),
            ("Declaración jurada de cumplimiento de las condiciones de seguridad en la "
             "edificación.", True, True),
            ("Autorización sectorial, cuando la actividad la requiera.", False, False),
            ("Pago del derecho de trámite.", True, True),
        ]),
        details={"kind": "licencia_funcionamiento",
                 "establishment_address": "Jr. Amalia Puga 635, Cajamarca",
                 "activity": "Bodega y venta de abarrotes", "area_m2": "48.50",
                 "risk": "medio"},
        acta=None, itse_done=False, events=[_received(now)], payments=[paid], attachments=[],
        allowed_actions=["observe", "derive", "cancel"],
    )


def sample_acta() -> ActaView:
    return ActaView(
        id="acta-1", kind="nacimiento", kind_text="Nacimiento", acta_number="000457",
        book="12", folio="228", event_date=date(1984, 3, 15), registered_on=date(1984, 4, 2),
        place="Distrito de Cajamarca, provincia de Cajamarca, departamento de Cajamarca",
        titular_name="María Elena Ñahui Quispe", titular_given="María Elena",
        titular_paternal="Ñahui", titular_maternal="Quispe",
        father_name="Juan Ñahui Chávez", mother_name="Rosa Quispe Huamán")


def sample_partida_expediente(config: OfficeConfig, now: datetime) -> ExpedienteView:
    """Two certified copies of a birth record asked for by the titular, paid in cash."""
    code, year = config.office_code, now.year
    number = f"{code}-{year}-000124"
    procedure = "Copia certificada de partida de nacimiento"
    person = _person("per-2", "41234567", "María Elena", "Ñahui", "Quispe")
    paid = _payment(config, number, procedure, person.full_name, "20.90",
                    now + timedelta(minutes=4), 46, cash="50.00")
    calendar = WorkingCalendar(tz=config.tz)
    return ExpedienteView(
        id="exp-2", number=number, tracking_code=PARTIDA_TRACKING, procedure_code="RC-01",
        procedure_name=procedure, procedure_version=1, category="partida", variant=None,
        status="aprobado", status_text="Aprobado", area="Registro Civil", person=person,
        business=None, applicant_name=person.full_name, filed_at=now,
        deadline_working_days=1, calificacion="aprobacion_automatica",
        calificacion_text="Aprobación automática",
        due_date=calendar.add_working_days(now, 1), observation_due=None,
        stopped_working_days=0, silencio_positivo=False, overdue=False, fee=Decimal("20.90"),
        fee_basis=f"0.19 % de la UIT {year} por copia (2 copias)", paid=paid.amount,
        balance=Decimal("0.00"), pages=2,
        requirements=_requirements([
            ("Solicitud indicando los datos del acta (nombres, fecha y lugar).", True, True),
            ("Exhibir el DNI del solicitante.", True, True),
            ("Documento que acredite el parentesco, si no es el titular.", False, False),
        ]),
        details={"kind": "partida", "acta_id": "acta-1", "relation": "titular", "copies": 2,
                 "delivery": "ventanilla"},
        acta=sample_acta(), itse_done=False, events=[_received(now)], payments=[paid],
        attachments=[], allowed_actions=["deliver"],
    )


def sample_payment(config: OfficeConfig, now: datetime) -> PaymentView:
    return sample_partida_expediente(config, now).payments[0]


def sample_closing(config: OfficeConfig, now: datetime) -> CashClosing:
    """A clerk's day: cash and Banco de la Nación receipts."""
    day = now.astimezone(config.tz).date()
    code, year = config.office_code, day.year
    items = [  # (local time, expediente seq, amount, voucher)
        (time(8, 21), 118, "10.45", None), (time(8, 47), 119, "263.20", "0458712-3"),
        (time(9, 30), 120, "20.90", None), (time(10, 12), 121, "420.30", "0461190-8"),
        (time(11, 5), 122, "10.45", None), (time(12, 40), 123, "104.50", None),
    ]
    lines = [CashClosingLine(
        receipt_number=f"{code}-R-{year}-{40 + n:06d}",
        expediente_number=f"{code}-{year}-{seq:06d}", amount=Decimal(amount),
        method="banco_nacion" if voucher else "efectivo", voucher_number=voucher,
        paid_at=datetime.combine(day, at, config.tz))
        for n, (at, seq, amount, voucher) in enumerate(items, start=1)]
    by_method: dict[str, Decimal] = {}
    for line in lines:
        by_method[line.method] = by_method.get(line.method, Decimal("0")) + line.amount
    return CashClosing(business_date=day, clerk=SAMPLE_CLERK, username="rchavez", lines=lines,
                       count=len(lines), total=sum((x.amount for x in lines), Decimal("0")),
                       by_method=by_method,
                       generated_at=datetime.combine(day, time(17, 30), config.tz))


def sample_reclamo(config: OfficeConfig, now: datetime) -> ReclamoView:
    """A reclamo filed at the kiosk at `now`, due 30 working days later on the national
    calendar (kiosk/rules/reclamos.py)."""
    due = WorkingCalendar(tz=config.tz).add_working_days(now, ANSWER_WORKING_DAYS.value)
    return ReclamoView(
        number=f"{config.office_code}-LR-{now.year}-000014", office=config.office_code,
        office_name=config.office_name, channel="kiosco", category="tiempo_atencion",
        category_text="Tiempo de atención", doc_type="DNI", doc_number="41234567",
        full_name="María Elena Quispe Ñahui", address="Jr. Amalia Puga 512, Cajamarca",
        phone="976 543 210", email="maria.quispe@example.pe",
        description="Esperé dos horas con mi turno P-014 y dos ventanillas estaban cerradas "
                    "sin aviso.",
        request="Que se informe en la pantalla cuando una ventanilla cierra.",
        filed_at=now, answer_working_days=ANSWER_WORKING_DAYS.value, due_date=due,
        status="abierto", overdue=False, answer=None, delivery=None, delivery_text=None,
        answered_at=None)


# --- rendering ------------------------------------------------------------------------------


def sample_layout(kind: str, config: OfficeConfig, now: datetime) -> Layout:
    """A thermal sample (one of THERMAL_SAMPLES) as a layout."""
    from printing.documents import cargo_layout, cierre_layout, hoja_reclamo_layout

    if kind == "ticket":
        return ticket_layout(sample_ticket(config, now))
    if kind == "receipt":
        return receipt_layout(sample_receipt(config, now))
    if kind == "requirements":
        return requirements_layout(sample_requirements(config, now))
    if kind == "cargo":
        expediente = sample_licencia_expediente(config, now)
        return cargo_layout(expediente, config.office_name,
                            config.tracking_url(expediente.tracking_code),
                            municipality=config.municipality, width_mm=config.printer_width_mm,
                            timezone=config.timezone)
    if kind == "cierre":
        return cierre_layout(sample_closing(config, now), config.office_name,
                             municipality=config.municipality,
                             width_mm=config.printer_width_mm, timezone=config.timezone)
    if kind == "reclamo":
        return hoja_reclamo_layout(sample_reclamo(config, now), municipality=config.municipality,
                                   width_mm=config.printer_width_mm, timezone=config.timezone)
    raise ValueError(f"unknown sample {kind!r}")


def sample_pdf(kind: str, config: OfficeConfig, now: datetime) -> bytes:
    """An A4 sample (one of A4_SAMPLES) as PDF bytes. fpdf2 is imported only here."""
    from printing.pdf import cargo_pdf, cierre_pdf, partida_pdf

    if kind == "cargo-a4":
        expediente = sample_licencia_expediente(config, now)
        return cargo_pdf(expediente, config.office_name,
                         config.tracking_url(expediente.tracking_code),
                         municipality=config.municipality, timezone=config.timezone)
    if kind == "partida-a4":
        expediente = sample_partida_expediente(config, now)
        return partida_pdf(expediente, config.office_name,
                           config.tracking_url(expediente.tracking_code),
                           now + timedelta(hours=2),
                           municipality=config.municipality, registrar=SAMPLE_REGISTRAR,
                           timezone=config.timezone)
    if kind == "cierre-a4":
        return cierre_pdf(sample_closing(config, now), config.office_name,
                          municipality=config.municipality, timezone=config.timezone)
    raise ValueError(f"unknown sample {kind!r}")
