"""The counter's documents take the office from the hub (issue 15): the QR codes of the
thermal cargo, the receipt, the A4 cargo and the copia certificada lead to the public address
the admin set; without one they carry no QR and say to ask at the office with the code. The
counter PC's own data folder is empty: nothing comes from its config.toml."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import zxingcpp

from kiosk.client.http import HttpHubClient
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.expediente_views import ExpedienteView
from printing.backends import DummyBackend
from printing.documents.common import grouped
from printing.layout import OFFICE_LOOKUP
from printing.pdf import pdf_page_image
from tests.conftest import ADMIN, CLERK, RunningHub
from tests.printing.doc_data import pdf_text
from tests.printing.escpos_decoder import Decoded, decode
from tests.ui.test_counter_documents import adult_acta, file_for
from ui.counter.printer import HubCounterPrinter
from ui.kiosk.printer_adapter import printer_config

MUNICIPALITY = "Municipalidad Provincial de Cajamarca"
PUBLIC = "https://tramites.cajamarca.gob.pe"


@pytest.fixture
def admin(server: RunningHub, tokens: dict[str, str]) -> Iterator[HttpHubClient]:
    client = HttpHubClient(server.url, tokens["admin"], timeout=5)
    client.login(*ADMIN)
    client.change_office_settings(OfficeSettingsChange(municipality=MUNICIPALITY))
    yield client
    client.close()


@pytest.fixture
def printer(server: RunningHub, tokens: dict[str, str], tmp_path: Path
            ) -> Iterator[HubCounterPrinter]:
    """A LAN counter PC with an empty data folder (its printer: one that keeps the bytes), a
    clerk logged in on it (documents with a citizen's data are a person's work)."""
    folder = DataDir(tmp_path / "ventanilla-pc")
    client = HttpHubClient(server.url, tokens["counter"], timeout=5)
    client.login(*CLERK)
    config = replace(printer_config(folder), printer_backend="dummy")
    assert not folder.exists()
    yield HubCounterPrinter(client, config, folder.root, identity_max_age_s=0)
    client.close()


def _thermal(printer: HubCounterPrinter, expediente: ExpedienteView) -> list[Decoded]:
    assert printer.print_cargo(expediente).ok
    assert printer.print_receipt(expediente.payments[0], expediente).ok
    backend = printer.reporting.printer.backend
    assert isinstance(backend, DummyBackend)
    return [decode(data) for data in backend.sent[-2:]]


def _a4(printer: HubCounterPrinter, expediente: ExpedienteView) -> list[bytes]:
    return [printer.save_cargo_pdf(expediente).read_bytes(),
            printer.save_partida_pdf(expediente).read_bytes()]


def _qr(pdf: bytes) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(pdf_page_image(pdf, 0, 150))]


def test_every_qr_leads_to_the_public_address_the_admin_set(
        hub: OfficeHub, admin: HttpHubClient, printer: HubCounterPrinter) -> None:
    settings = admin.change_office_settings(OfficeSettingsChange(public_url=PUBLIC + "/t/"))
    assert settings.public_url == PUBLIC  # stored as the page's root
    expediente = file_for(hub, adult_acta(hub))
    page = f"{PUBLIC}/t/{expediente.tracking_code}"

    cargo, receipt = _thermal(printer, expediente)
    for printed in (cargo, receipt):
        assert printed.qr_payloads == [page]
        text = " ".join(printed.text.split())
        assert MUNICIPALITY in text and OFFICE_LOOKUP not in text
        assert page.removeprefix("https://") in printed.text.replace("\n", "")
    for pdf in _a4(printer, expediente):
        assert _qr(pdf) == [page]
        assert MUNICIPALITY in pdf_text(pdf)


def test_without_a_public_address_the_documents_carry_the_code_and_no_qr(
        hub: OfficeHub, admin: HttpHubClient, printer: HubCounterPrinter) -> None:
    assert admin.office_settings().public_url == ""
    expediente = file_for(hub, adult_acta(hub))
    code = grouped(expediente.tracking_code)

    for printed in _thermal(printer, expediente):
        assert printed.qr_payloads == []
        text = " ".join(printed.text.split())
        assert f"{OFFICE_LOOKUP}: {code}" in text and MUNICIPALITY in text
        assert "http" not in text and "/t/" not in text
    cargo, copy = _a4(printer, expediente)
    assert _qr(cargo) == [] and _qr(copy) == []
    cargo_text, copy_text = pdf_text(cargo), pdf_text(copy)
    assert OFFICE_LOOKUP in cargo_text and code in cargo_text
    assert "Código de verificación" in copy_text and code in copy_text
    assert "consulte en la oficina" in copy_text
    assert "http" not in cargo_text + copy_text

    # Set later, without restarting the counter: the next document has the QR.
    admin.change_office_settings(OfficeSettingsChange(public_url=PUBLIC))
    cargo_again, _ = _thermal(printer, hub.expediente(SYSTEM, expediente.number))
    assert cargo_again.qr_payloads == [f"{PUBLIC}/t/{expediente.tracking_code}"]
