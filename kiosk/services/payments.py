"""Payments of an expediente's fee, receipts, and the cierre de caja per clerk.

A payment settles what is still owed, exactly: less is refused (the expediente cannot be
approved until it is paid) and so is more (the counter gives change in cash, it does not keep
credit). Cash may be handed over in a larger note and gets change; a Banco de la Nación
payment is registered by its voucher number, once. A filing an exemption made free gets its
receipt at once, of S/ 0.00 («exonerado»), which prints the exemption and its legal basis.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules.calendar import check_day
from kiosk.rules.exemptions import EXEMPTIONS
from kiosk.rules.expedientes import (
    RECEIPT_SERIES,
    STATUS_TEXT,
    Status,
    receipt_number,
    receives_payments,
)
from kiosk.rules.money import ZERO, format_soles, soles
from kiosk.services.expediente_views import (
    CashClosing,
    CashClosingLine,
    ExemptionTotal,
    PaymentInput,
    PaymentView,
    cierre_reference,
)
from kiosk.services.expedientes import (
    Actor,
    applicant_name,
    approve_if_automatic,
    exemption_note,
    fee_balance,
    find_expediente,
    link_ticket,
    next_in_year,
    payment_view,
    record,
)
from kiosk.services.projections import payment_fields
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import (
    Business,
    Expediente,
    Payment,
    Person,
    PrintJob,
    Procedure,
    User,
)

METHODS = ("efectivo", "banco_nacion")  # money; «exonerado» receipts take none
EXEMPT = "exonerado"
METHOD_TEXT = {"efectivo": "efectivo", "banco_nacion": "Banco de la Nación"}
_VOUCHER = re.compile(r"\d{6,20}")


def _voucher(raw: str | None) -> str:
    number = re.sub(r"[\s\-]+", "", raw or "")
    if not number:
        raise InvalidInput("voucher_required",
                           "Para un pago en el Banco de la Nación indique el número de "
                           "operación del voucher.")
    if not _VOUCHER.fullmatch(number):
        raise InvalidInput("invalid_voucher",
                           f"El número de voucher «{' '.join(str(raw).split())[:30]}» no es "
                           "válido: son de 6 a 20 dígitos. Revíselo en el voucher.")
    return number


def pay(uow: UnitOfWork, reference: str, payment: PaymentInput, actor: Actor) -> PaymentView:
    expediente = find_expediente(uow.session, uow.office.office_id, reference)
    if not receives_payments(expediente.status):
        raise Conflict("expediente_closed",
                       f"El expediente {expediente.number} está "
                       f"«{STATUS_TEXT[Status(expediente.status)]}»: ya no "
                       "recibe pagos.")
    balance = fee_balance(expediente)
    if balance == 0:
        raise Conflict("nothing_to_pay",
                       f"El expediente {expediente.number} no tiene nada pendiente de pago "
                       f"(derecho de trámite {format_soles(expediente.fee)}, pagado "
                       f"{format_soles(expediente.paid)}).")
    amount = soles(payment.amount)
    if amount < balance:
        raise InvalidInput("payment_below_balance",
                           f"El pago de {format_soles(amount)} es menor que lo que falta pagar: "
                           f"{format_soles(balance)}.")
    if amount > balance:
        raise InvalidInput("payment_above_balance",
                           f"El pago de {format_soles(amount)} es mayor que lo que falta pagar: "
                           f"{format_soles(balance)}. Cobre exactamente ese monto.")
    voucher = None
    cash = None
    if payment.method == "efectivo":
        if payment.voucher_number:
            raise InvalidInput("invalid_voucher",
                               "El número de voucher solo corresponde a pagos en el Banco de la "
                               "Nación; para efectivo déjelo vacío.")
        if payment.cash_received is not None:
            cash = soles(payment.cash_received)
            if cash < amount:
                raise InvalidInput("cash_below_amount",
                                   f"El efectivo recibido ({format_soles(cash)}) es menor que el "
                                   f"monto a pagar ({format_soles(amount)}).")
    else:
        if payment.cash_received is not None:
            raise InvalidInput("invalid_cash",
                               "Un pago en el Banco de la Nación no lleva efectivo recibido.")
        voucher = _voucher(payment.voucher_number)
        used = uow.session.scalar(select(Payment.receipt_number).where(
            Payment.office_id == uow.office.office_id, Payment.method == "banco_nacion",
            Payment.voucher_number == voucher))
        if used is not None:
            raise Conflict("voucher_used",
                           f"El voucher {voucher} ya se registró en el recibo {used}. Un "
                           "voucher paga un solo trámite.")
    year, seq = next_in_year(uow, RECEIPT_SERIES)
    receipt = receipt_number(uow.office.office_code, year, seq)
    ticket = link_ticket(uow, expediente, payment.ticket_id)
    # The event adds the amount to the expediente; the payment row is the same event's.
    data = record(uow, expediente, "paid", actor, receipt_number=receipt,
                  amount=f"{amount:f}", method=payment.method, voucher_number=voucher,
                  cash_received=None if cash is None else f"{cash:f}", ticket=ticket,
                  area=expediente.area,
                  note=f"Recibo {receipt}: {format_soles(amount)} "
                       f"({METHOD_TEXT[payment.method]})")
    row = Payment(id=new_id(), office_id=uow.office.office_id,
                  **payment_fields(expediente.id, data, uow.now, uow.office.tz))
    uow.session.add(row)
    uow.session.flush()
    approve_if_automatic(uow, expediente)  # aprobación automática: approved once paid
    procedure = uow.session.get(Procedure, expediente.procedure_id)
    assert procedure is not None
    return payment_view(row, expediente, procedure.name, _payer(uow.session, expediente),
                        actor.full_name)


def exemption_receipt(uow: UnitOfWork, reference: str, actor: Actor) -> PaymentView | None:
    """The S/ 0.00 receipt of an expediente its exemption made free (None: it is not)."""
    expediente = find_expediente(uow.session, uow.office.office_id, reference)
    if expediente.exemption is None or fee_balance(expediente) != 0 or expediente.paid != 0:
        return None
    year, seq = next_in_year(uow, RECEIPT_SERIES)
    receipt = receipt_number(uow.office.office_code, year, seq)
    data = record(uow, expediente, "paid", actor, receipt_number=receipt, amount="0.00",
                  method=EXEMPT, voucher_number=None, cash_received=None, ticket=None,
                  area=expediente.area, note=f"Recibo {receipt}: {exemption_note(expediente)}")
    row = Payment(id=new_id(), office_id=uow.office.office_id,
                  **payment_fields(expediente.id, data, uow.now, uow.office.tz))
    uow.session.add(row)
    uow.session.flush()
    procedure = uow.session.get(Procedure, expediente.procedure_id)
    assert procedure is not None
    return payment_view(row, expediente, procedure.name, _payer(uow.session, expediente),
                        actor.full_name)


def exemption_totals(pairs: list[tuple[str | None, Decimal | None]]) -> list[ExemptionTotal]:
    """(exemption code, amount waived) of each exempt expediente, totalled per exemption in
    the order of kiosk/rules/exemptions.py."""
    totals: dict[str, tuple[int, Decimal]] = {}
    for code, amount in pairs:
        if code is not None:
            count, waived = totals.get(code, (0, ZERO))
            totals[code] = (count + 1, soles(waived + (amount or ZERO)))
    return [ExemptionTotal(code=e.code, name=e.name, basis=e.basis, count=totals[e.code][0],
                           amount=totals[e.code][1])
            for e in EXEMPTIONS.values() if e.code in totals]


def _payer(session: Session, expediente: Expediente) -> str:
    person = session.get(Person, expediente.person_id) if expediente.person_id else None
    business = session.get(Business, expediente.business_id) if expediente.business_id else None
    return applicant_name(person, business)


def cash_closing(session: Session, office_id: str, business_date: date, username: str,
                 now: datetime) -> CashClosing:
    """Cierre de caja: the payments one clerk took on one business day, with totals."""
    check_day(business_date)
    user = session.scalar(select(User).where(User.office_id == office_id,
                                             User.username == username.strip().lower()))
    if user is None:
        raise NotFound("unknown_user", f"No existe el usuario «{username.strip()[:40]}».")
    rows = session.execute(
        select(Payment, Expediente.number, Expediente.exemption, Expediente.exempted)
        .join(Expediente, Expediente.id == Payment.expediente_id)
        .where(Payment.office_id == office_id, Payment.business_date == business_date,
               Payment.user_id == user.id)
        .order_by(Payment.paid_at, Payment.receipt_number))
    # An exempt expediente has one receipt (its payment, or the S/ 0.00 one): it is counted
    # there, apart from the money.
    lines = [CashClosingLine(receipt_number=p.receipt_number, expediente_number=number,
                             amount=p.amount, method=p.method, voucher_number=p.voucher_number,
                             paid_at=p.paid_at, exemption=exemption, exempted=exempted)
             for p, number, exemption, exempted in rows]
    by_method = {method: ZERO for method in METHODS}
    for line in lines:
        if line.method in by_method:
            by_method[line.method] = soles(by_method[line.method] + line.amount)
    # Printed before (any counter): the next print says REIMPRESIÓN.
    printed = session.scalar(select(func.count()).select_from(PrintJob).where(
        PrintJob.office_id == office_id, PrintJob.kind == "cierre",
        PrintJob.reference == cierre_reference(business_date, user.username),
        PrintJob.state == "printed")) or 0
    return CashClosing(business_date=business_date, clerk=user.full_name,
                       username=user.username, lines=lines,
                       count=sum(line.method in METHODS for line in lines),
                       total=soles(sum((line.amount for line in lines), ZERO)),
                       by_method=by_method, generated_at=now, printed=printed,
                       exemptions=exemption_totals([(line.exemption, line.exempted)
                                                    for line in lines]))
