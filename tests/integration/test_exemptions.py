"""Fee exemptions (Ley 29462: the first certified copy of a birth record, and the copy for the
DNI, are free): chosen at filing, checked against the procedure, printed on the receipt with
their legal basis, and counted apart in the cierre de caja and the statistics.

Hand-computed: RC-01 (copia certificada de partida de nacimiento) costs S/ 8.50 a copy.
"""

from __future__ import annotations

from decimal import Decimal

from kiosk.errors import Conflict, InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import PartidaDetails, PaymentInput
from printing.blocks import Layout
from printing.documents import cierre_layout, payment_receipt_layout
from printing.escpos_render import render_bytes
from tests.integration.test_expedientes import add_acta, partida, person
from tests.integration.test_expedientes_refusals import refused
from tests.printing.escpos_decoder import decode

LEY = "Ley 29462"


def printed_text(layout: Layout) -> str:
    return " ".join(decode(render_bytes(layout, 80)).text.split())


def copies(acta_id: str, n: int) -> PartidaDetails:
    return PartidaDetails(acta_id=acta_id, copies=n)


def test_the_first_copy_is_free_and_gets_a_receipt_with_its_basis(
        hub: OfficeHub, clerk: DeviceIdentity) -> None:
    acta = add_acta(hub)
    filed = hub.file_expediente(clerk, partida(acta, exemption="primera_copia_nacimiento"))
    assert (filed.fee, filed.exempted, filed.paid, filed.balance) == (
        Decimal("0.00"), Decimal("8.50"), Decimal("0.00"), Decimal("0.00"))
    assert filed.exemption == "primera_copia_nacimiento"
    assert filed.exemption_basis is not None and LEY in filed.exemption_basis
    # Nothing to pay, yet the citizen gets a receipt: S/ 0.00, «exonerado».
    [receipt] = filed.payments
    assert (receipt.amount, receipt.method, receipt.exempted) == (
        Decimal("0.00"), "exonerado", Decimal("8.50"))
    text = printed_text(payment_receipt_layout(receipt, "CAC Cajamarca", "",
                                               expediente=filed))
    assert "Derecho de trámite (RC-01) S/ 8.50" in text
    assert "Exoneración: Primera copia certificada del acta de nacimiento S/ -8.50" in text
    assert f"Base legal: {LEY}" in text
    assert "TOTAL S/ 0.00" in text
    assert "Forma de pago: Exonerado" in text
    # The same acta's first copy is free once.
    message = refused(hub, Conflict, "exemption_used", lambda: hub.file_expediente(
        clerk, partida(acta, exemption="primera_copia_nacimiento")))
    assert filed.number in message


def test_an_exemption_frees_one_copy_of_several(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    acta = add_acta(hub)
    filed = hub.file_expediente(clerk, partida(details=copies(acta, 3),
                                               exemption="copia_para_dni"))
    # 3 × 8.50 = 25.50; one copy free: 17.00 to pay.
    assert (filed.fee, filed.exempted, filed.balance) == (
        Decimal("17.00"), Decimal("8.50"), Decimal("17.00"))
    assert filed.payments == []
    paid = hub.pay(clerk, filed.number, PaymentInput(amount=Decimal("17.00"),
                                                     cash_received=Decimal("20.00")))
    assert (paid.amount, paid.exempted, paid.change) == (
        Decimal("17.00"), Decimal("8.50"), Decimal("3.00"))
    text = printed_text(payment_receipt_layout(paid, "CAC Cajamarca", ""))
    assert "Derecho de trámite S/ 25.50" in text
    assert "S/ -8.50" in text and "TOTAL S/ 17.00" in text and LEY in text


def test_an_exemption_must_apply_to_the_procedure(hub: OfficeHub, clerk: DeviceIdentity
                                                  ) -> None:
    marriage = add_acta(hub, kind="matrimonio", number="2001")
    message = refused(hub, InvalidInput, "exemption_not_applicable", lambda: hub.file_expediente(
        clerk, partida(marriage, procedure="RC-02", exemption="primera_copia_nacimiento")))
    assert "RC-02" in message and "no corresponde" in message
    message = refused(hub, InvalidInput, "unknown_exemption", lambda: hub.file_expediente(
        clerk, partida(add_acta(hub, number="1002"), exemption="pobreza")))
    assert "primera_copia_nacimiento" in message


def test_exemptions_are_counted_apart_in_the_cierre_and_the_statistics(
        hub: OfficeHub, clerk: DeviceIdentity) -> None:
    free = hub.file_expediente(clerk, partida(add_acta(hub),
                                              exemption="primera_copia_nacimiento"))
    part = hub.file_expediente(clerk, partida(details=copies(add_acta(hub, number="1003"), 2),
                                              exemption="copia_para_dni"))
    hub.pay(clerk, part.number, PaymentInput(amount=Decimal("8.50")))
    plain = hub.file_expediente(clerk, partida(add_acta(hub, number="1004"),
                                               person=person("40000001", "Rosa", "Cruz")))
    hub.pay(clerk, plain.number, PaymentInput(amount=Decimal("8.50"), method="banco_nacion",
                                              voucher_number="1234567"))
    closing = hub.cash_closing(clerk)
    # Money: two receipts, 8.50 cash + 8.50 bank = 17.00; the S/ 0.00 receipt is not money.
    assert (closing.count, closing.total) == (2, Decimal("17.00"))
    assert closing.by_method == {"efectivo": Decimal("8.50"), "banco_nacion": Decimal("8.50")}
    assert len(closing.lines) == 3
    assert [(e.code, e.count, e.amount) for e in closing.exemptions] == [
        ("primera_copia_nacimiento", 1, Decimal("8.50")), ("copia_para_dni", 1, Decimal("8.50"))]
    text = printed_text(cierre_layout(closing, "CAC Cajamarca"))
    assert "EXONERACIONES (no cobradas)" in text and LEY in text
    assert "TOTAL S/ 17.00" in text
    today = hub.office.business_date(hub.clock.now())
    stats = hub.expediente_stats(SYSTEM, today, today)
    assert [(e.code, e.count, e.amount) for e in stats.exemptions] == [
        ("primera_copia_nacimiento", 1, Decimal("8.50")), ("copia_para_dni", 1, Decimal("8.50"))]
    assert stats.overall.received == 3
    assert free.fee == Decimal("0.00")
    # The exemption and the S/ 0.00 receipt are the events' own: rebuilt rows agree.
    report = hub.verify_audit(SYSTEM)
    assert report.ok and report.rows == []
