"""The «ITSE» tab against a real hub: a licence of risk bajo approved Thu 3 Dec 2026 whose ITSE
(due Fri 18 Dec: 9 working days over the 8-9 Dec holidays) was never recorded, and one of
risk medio whose certificate, issued Mon 21 Dec 2026, is valid through Thu 21 Dec 2028 and is
«por vencer» on Fri 1 Dec 2028 (20 days left). Dates counted by hand."""

from __future__ import annotations

from datetime import date, datetime

from pytestqt.qtbot import QtBot

from kiosk.clock import VirtualClock
from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import PaymentInput, TransitionInput
from kiosk.services.itse_views import ItseInput
from tests.conftest import LIMA, clerk_at
from tests.integration.test_expedientes_licencias import licencia
from tests.ui.supervisor_support import cells, headers, hub_client, log_in, make_supervisor
from ui.supervisor.window import TABS

SHOT = "/tmp/itse-supervisor.png"


def _approved(hub: OfficeHub, clerk: DeviceIdentity, code: str, risk: str) -> str:
    filed = hub.file_expediente(clerk, licencia(code, risk, [1, 3]))
    hub.pay(clerk, filed.number, PaymentInput(amount=filed.fee))
    hub.transition(clerk, filed.number, TransitionInput(action="approve"))
    return filed.number


def test_the_itse_tab_shows_late_inspections_and_expiring_certificates(
        qtbot: QtBot, hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str]) -> None:
    clock.set(datetime(2026, 12, 3, 10, 0, tzinfo=LIMA))
    clerk = clerk_at(hub, "ana", "2468", 3)
    late = _approved(hub, clerk, "LF-01", "bajo")
    certified = _approved(hub, clerk, "LF-02", "medio")
    clock.set(datetime(2026, 12, 21, 9, 0, tzinfo=LIMA))
    hub.record_itse(clerk_at(hub, "ana", "2468", 3), certified, ItseInput(
        result="conforme", certificate_number="ITSE-0457-2026",
        certificate_date=date(2026, 12, 21)))
    clock.set(datetime(2028, 12, 1, 9, 0, tzinfo=LIMA))

    window = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]))
    window.show_tab("itse")
    panel = window.itse_panel
    assert TABS.index("itse") == 5 and window.current_tab() == "itse"  # Ctrl+6
    qtbot.waitUntil(lambda: panel.overview is not None, timeout=10_000)
    assert headers(panel.pending_model) == ["Expediente", "Titular", "Riesgo",
                                            "Licencia aprobada", "ITSE hasta", "Situación"]
    assert cells(panel.pending_model) == [[late, "Bodega Doña Rosa E.I.R.L.", "Bajo",
                                           "03/12/2026", "18/12/2026", "Vencida"]]
    assert cells(panel.certificates_model) == [[certified, "Bodega Doña Rosa E.I.R.L.",
                                                "ITSE-0457-2026", "21/12/2026", "21/12/2028",
                                                "Por vencer"]]
    assert panel.summary.text() == ("ITSE vencidas sin registrar: 1 · certificados vencidos: 0 "
                                    "· por vencer: 1")
    assert "9 días hábiles desde la aprobación" in panel.rule.text()
    assert "por confirmar" in panel.rule.text()
    assert not panel.no_pending.isVisible() and not panel.no_certificates.isVisible()
    assert panel.pending.isVisible() and panel.certificates.isVisible()
    window.grab().save(SHOT)

    # Three weeks later (the supervisor logs in again) the certificate has expired: F5 asks
    # the hub again.
    clock.set(datetime(2028, 12, 22, 9, 0, tzinfo=LIMA))
    panel.overview = None
    window.refresh_current()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login, timeout=10_000)
    window.login.username.clear()
    window.login.secret.clear()
    log_in(qtbot, window)
    window.show_tab("itse")
    window.refresh_current()
    qtbot.waitUntil(lambda: panel.overview is not None, timeout=10_000)
    assert [row[5] for row in cells(panel.certificates_model)] == ["Vencido"]
