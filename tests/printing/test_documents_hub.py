"""The documents printed from the views a real office hub hands out (not hand-built ones):
file a partida, pay it in cash, then print the cargo, the receipt, the copia certificada and the
cierre de caja, and read them back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import zxingcpp

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import (
    ActaInput,
    ExpedienteInput,
    PartidaDetails,
    PaymentInput,
    PersonInput,
)
from printing.documents import cargo_layout, cierre_layout, payment_receipt_layout
from printing.escpos_render import render_bytes
from printing.pdf import cargo_pdf, partida_pdf, pdf_page_image
from printing.preview import preview_image
from tests.printing.doc_data import pdf_text
from tests.printing.escpos_decoder import decode

URL = "https://tramites.cajamarca.gob.pe/t/"


def test_documents_of_a_filed_and_paid_partida(hub: OfficeHub, clerk: DeviceIdentity,
                                               clock: VirtualClock) -> None:
    acta = hub.add_acta(SYSTEM, ActaInput(  # the registry index is kept by a supervisor
        kind="nacimiento", acta_number="1001", book="12", folio="34",
        event_date=date(1990, 5, 14), registered_on=date(1990, 5, 24), place="Cajamarca",
        titular_given="Juan Carlos", titular_paternal="Quispe", titular_maternal="Mamani",
        father_name="Pedro Quispe Rojas", mother_name="Rosa Mamani Cruz"))
    filed = hub.file_expediente(clerk, ExpedienteInput(
        procedure="RC-01", requirements_presented=[1, 2], pages=1,
        person=PersonInput(doc_number="10117410", given_names="Juan Carlos",
                           paternal_surname="Quispe", maternal_surname="Mamani"),
        details=PartidaDetails(acta_id=acta.id, copies=2)))
    payment = hub.pay(clerk, filed.number, PaymentInput(amount=filed.fee,
                                                        cash_received=Decimal("50.00")))
    expediente = hub.expediente(clerk, filed.number)
    url = URL + expediente.tracking_code
    local = clock.now().astimezone(hub.config.tz)

    cargo = decode(render_bytes(cargo_layout(expediente, "CAC Cajamarca", url), 80))
    text = " ".join(cargo.text.split())
    assert expediente.number in text and "CARGO DE RECEPCIÓN" in text
    assert f"Recibido: {local:%d/%m/%Y %H:%M}" in text
    assert "Documento: DNI 10117410" in text and "N.° de folios: 1" in text
    assert f"Recibo N.° {payment.receipt_number}" in text
    assert f"vence el {expediente.due_date:%d/%m/%Y}" in text
    assert "Acta: Nacimiento N.° 1001" in text
    assert cargo.qr_payloads == [url] and cargo.ends_with_cut

    receipt = payment_receipt_layout(payment, "CAC Cajamarca", url, expediente=expediente)
    receipt_text = " ".join(decode(render_bytes(receipt, 58)).text.split())
    assert payment.receipt_number in receipt_text and "Forma de pago: Efectivo" in receipt_text
    assert f"Vuelto S/ {Decimal('50.00') - expediente.fee:.2f}" in receipt_text
    assert [c.text for c in zxingcpp.read_barcodes(preview_image(receipt, 58))] == [url]

    a4 = pdf_text(cargo_pdf(expediente, "CAC Cajamarca", url))
    assert expediente.number in a4 and "Juan Carlos Quispe Mamani" in a4

    copies = partida_pdf(expediente, "CAC Cajamarca", url, clock.now())
    copy_text = pdf_text(copies)
    assert "COPIA CERTIFICADA DE ACTA DE NACIMIENTO" in copy_text
    assert "Copia 2 de 2" in copy_text and "N.° de acta 1001" in copy_text
    assert [c.text for c in zxingcpp.read_barcodes(pdf_page_image(copies, 0, 150))] == [url]

    closing = hub.cash_closing(clerk)
    cierre = " ".join(decode(render_bytes(cierre_layout(closing, "CAC Cajamarca"), 80))
                      .text.split())
    assert payment.receipt_number in cierre and "Cantidad de recibos 1" in cierre
    assert f"Efectivo S/ {expediente.fee:.2f}" in cierre
