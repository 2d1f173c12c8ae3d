"""The admin window's calls through both clients (in-process and HTTP): the same views, the
same Spanish errors, and every rule of docs/admin.md enforced by the hub."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select, update

from kiosk.client import HubClient
from kiosk.client.http import HttpHubClient, pair_device
from kiosk.clock import VirtualClock
from kiosk.config import OfficeConfig
from kiosk.errors import (
    CacError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthorized,
)
from kiosk.hub import OfficeHub
from kiosk.ids import new_id
from kiosk.rules import pairing_codes
from kiosk.services.admin_views import (
    CounterSetup,
    OfficeSettingsChange,
    PairedDevice,
    PairingInput,
    ServiceChange,
    ServiceInput,
    UserChange,
    UserInput,
)
from kiosk.services.views import PrintJobReport
from kiosk.storage.tables import Event, Service
from printing.hub_test_page import print_test_page
from tests.conftest import Connect

ADMIN = ("admin", "97531")  # the demo office's administrator (kiosk/services/users.py)


def admin(connect: Connect) -> HubClient:
    client = connect("admin", person=False)
    client.login(*ADMIN)
    return client


def redeem(hub: OfficeHub, client: HubClient, code: str) -> PairedDevice:
    """What a new PC does with its code: over the LAN when the test runs over HTTP."""
    if isinstance(client, HttpHubClient):
        return pair_device(client.hub_url, code)
    return hub.pair(code)


def png(width: int = 64, height: int = 32) -> bytes:
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    for x in range(width // 4, width * 3 // 4):
        for y in range(height // 4, height * 3 // 4):
            image.putpixel((x, y), (0, 0, 0, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def refused(error: type[CacError], code: str, action: Callable[[], object]) -> str:
    with pytest.raises(error) as caught:
        action()
    assert caught.value.code == code
    assert caught.value.message
    return caught.value.message


def test_admin_calls_need_an_admin_user_logged_in(connect: Connect) -> None:
    device = connect("admin", person=False)
    refused(Unauthorized, "clerk_required", device.admin_users)
    refused(Unauthorized, "clerk_required",
            lambda: device.add_service(ServiceInput(code="tesoreria", name="Tesorería",
                                                    prefix="T", sla_minutes=10)))
    supervisor = connect("supervisor", person=False)
    supervisor.login("rosa", "8642")
    refused(Forbidden, "forbidden", supervisor.admin_users)
    refused(Forbidden, "forbidden", supervisor.office_settings)


def test_services_added_changed_reordered(connect: Connect) -> None:
    client = admin(connect)
    added = client.add_service(ServiceInput(code="Tesoreria", name=" Tesorería  municipal ",
                                            prefix="t", sla_minutes=10))
    assert (added.code, added.name, added.prefix, added.active) == (
        "tesoreria", "Tesorería municipal", "T", True)
    assert client.admin_services()[-1] == added
    refused(Conflict, "service_exists", lambda: client.add_service(
        ServiceInput(code="tesoreria", name="Otra", prefix="X", sla_minutes=5)))
    message = refused(Conflict, "prefix_taken", lambda: client.add_service(
        ServiceInput(code="rentas", name="Rentas", prefix="T", sla_minutes=5)))
    assert "Tesorería municipal" in message
    refused(InvalidInput, "invalid_prefix", lambda: client.add_service(
        ServiceInput(code="rentas", name="Rentas", prefix="P", sla_minutes=5)))
    moved = client.change_service("tesoreria", ServiceChange(position=0, sla_minutes=20))
    assert moved.sla_minutes == 20
    codes = [s.code for s in client.admin_services()]
    assert codes[0] == "tesoreria" and len(codes) == len(set(codes))
    off = client.change_service("tesoreria", ServiceChange(active=False))
    assert off.active is False
    assert "tesoreria" in [s.code for s in client.admin_services() if not s.active]
    refused(NotFound, "unknown_service",
            lambda: client.change_service("pasaportes", ServiceChange(active=False)))


@pytest.mark.parametrize(("letter", "digit"), [("O", "0"), ("o", "0"), ("I", "1"),
                                             ("Q", "0")])
def test_a_letter_that_reads_as_a_digit_is_refused_as_a_series_letter(
        connect: Connect, letter: str, digit: str) -> None:
    client = admin(connect)
    before = client.admin_services()
    message = refused(InvalidInput, "invalid_prefix", lambda: client.add_service(
        ServiceInput(code="rentas", name="Rentas", prefix=letter, sla_minutes=10)))
    # Says why, in the admin's words: «O-006» on a ticket reads as «0-006».
    assert f"número {digit}" in message and f"«{letter.upper()}-006»" in message
    assert client.admin_services() == before
    refused(InvalidInput, "invalid_prefix", lambda: client.add_service(
        ServiceInput(code="rentas", name="Rentas", prefix="Ñ", sla_minutes=10)))


def test_a_service_stored_with_such_a_letter_keeps_working(connect: Connect,
                                                           hub: OfficeHub) -> None:
    with hub.unit_of_work() as uow:  # an office that chose the O before the rule
        uow.session.execute(update(Service).where(Service.code == "orientacion")
                            .values(prefix="O"))
        uow.commit()
    client = admin(connect)
    assert connect("kiosk").issue_ticket("orientacion").number == "O-001"
    changed = client.change_service("orientacion", ServiceChange(name="Orientación al vecino",
                                                                 sla_minutes=12, position=0))
    assert (changed.prefix, changed.name, changed.sla_minutes) == (
        "O", "Orientación al vecino", 12)
    assert connect("kiosk").issue_ticket("orientacion", "gestante").number == "PO-001"
    # The office keeps its O; no other service gets a new look-alike.
    refused(InvalidInput, "invalid_prefix", lambda: client.add_service(
        ServiceInput(code="informes", name="Informes", prefix="I", sla_minutes=10)))


def test_a_service_with_people_waiting_cannot_be_deactivated(connect: Connect) -> None:
    connect("kiosk").issue_ticket("caja")
    client = admin(connect)
    message = refused(Conflict, "service_has_waiting",
                      lambda: client.change_service("caja", ServiceChange(active=False)))
    assert "1 turno en espera" in message
    assert next(s for s in client.admin_services() if s.code == "caja").active


def test_counters_keep_the_order_of_their_services(connect: Connect) -> None:
    client = admin(connect)
    made = client.add_counter(CounterSetup(number=9, name="Ventanilla 9",
                                           services=["caja", "partidas"]))
    assert (made.number, made.services, made.state) == (9, ["caja", "partidas"], "closed")
    changed = client.change_counter(9, CounterSetup(number=9, name="Caja rápida",
                                                    services=["licencias", "caja"]))
    assert (changed.name, changed.services) == ("Caja rápida", ["licencias", "caja"])
    assert next(c for c in client.admin_counters() if c.number == 9) == changed
    refused(Conflict, "counter_exists", lambda: client.add_counter(
        CounterSetup(number=9, name="Otra", services=[])))
    refused(InvalidInput, "unknown_service", lambda: client.change_counter(
        9, CounterSetup(number=9, name="Caja", services=["pasaportes"])))
    refused(InvalidInput, "duplicate_service", lambda: client.change_counter(
        9, CounterSetup(number=9, name="Caja", services=["caja", "caja"])))
    refused(NotFound, "unknown_counter", lambda: client.change_counter(
        77, CounterSetup(number=77, name="X", services=[])))


def test_a_new_user_gets_an_initial_pin_to_change(connect: Connect) -> None:
    client = admin(connect)
    created = client.add_admin_user(UserInput(username="Marta.Diaz", full_name="Marta Díaz Vega",
                                              role="counter"))
    assert (created.user.username, created.user.role, created.user.must_change,
            created.user.active) == ("marta.diaz", "counter", True, True)
    assert len(created.initial_secret) == 6 and created.initial_secret.isdigit()
    assert created.user in client.admin_users()
    counter = connect("counter")
    session = counter.login("marta.diaz", created.initial_secret, counter=3)
    assert session.user.must_change
    refused(Conflict, "user_exists", lambda: client.add_admin_user(
        UserInput(username="marta.diaz", full_name="Marta Díaz", role="counter")))
    refused(InvalidInput, "invalid_role", lambda: client.add_admin_user(
        UserInput(username="kiosco", full_name="Un Quiosco", role="kiosk")))


def test_the_last_admin_can_be_neither_demoted_nor_deactivated(connect: Connect) -> None:
    client = admin(connect)
    message = refused(Conflict, "last_admin",
                      lambda: client.change_user("admin", UserChange(role="supervisor")))
    assert "último administrador" in message
    refused(Conflict, "last_admin", lambda: client.change_user("admin", UserChange(active=False)))
    assert next(u for u in client.admin_users() if u.username == "admin").role == "admin"
    # With a second admin, the first may step down (and their own session ends).
    client.add_admin_user(UserInput(username="jefe", full_name="Jefe de Oficina", role="admin"))
    demoted = client.change_user("admin", UserChange(role="supervisor"))
    assert demoted.role == "supervisor"
    refused(Unauthorized, "session_ended", client.admin_users)


def test_deactivating_a_user_ends_their_sessions(connect: Connect) -> None:
    counter = connect("counter", person=False)
    counter.login("ana", "2468", counter=3)
    counter.open_counter(3)
    client = admin(connect)
    off = client.change_user("ana", UserChange(active=False))
    assert off.active is False
    refused(Unauthorized, "session_ended", lambda: counter.open_counter(3))
    again = connect("counter", person=False)
    refused(Unauthorized, "invalid_login", lambda: again.login("ana", "2468", counter=3))


def test_a_reset_pin_replaces_the_old_one_and_must_be_changed(connect: Connect) -> None:
    counter = connect("counter", person=False)
    counter.login("ana", "2468", counter=3)
    client = admin(connect)
    reset = client.reset_user_secret("ana")
    assert reset.user.must_change and reset.initial_secret != "2468"
    refused(Unauthorized, "session_ended", counter.counters)
    fresh = connect("counter", person=False)
    refused(Unauthorized, "invalid_login", lambda: fresh.login("ana", "2468", counter=3))
    assert fresh.login("ana", reset.initial_secret, counter=3).user.must_change


def test_unlock_clears_a_lock_out(connect: Connect) -> None:
    counter = connect("counter", person=False)
    for _ in range(5):  # the office's login_attempts (config default)
        with pytest.raises(Unauthorized):
            counter.login("luis", "0000", counter=2)
    # Locked: the right PIN gets the same answer as a wrong one (nothing tells the name exists).
    refused(Unauthorized, "invalid_login", lambda: counter.login("luis", "1357", counter=2))
    client = admin(connect)
    locked = next(u for u in client.admin_users() if u.username == "luis")
    assert locked.locked_until is not None
    unlocked = client.unlock_user("luis")
    assert (unlocked.locked_until, unlocked.failed_logins) == (None, 0)
    assert counter.login("luis", "1357", counter=2).user.username == "luis"
    refused(NotFound, "unknown_user", lambda: client.unlock_user("nadie"))


def test_pairing_a_new_device_once(connect: Connect, hub: OfficeHub) -> None:
    client = admin(connect)
    made = client.create_pairing(PairingInput(name="Quiosco de la entrada", role="kiosk"))
    assert len(made.code) == 14 and made.code[4] == made.code[9] == "-"
    # The last group binds the code to the office CA (kiosk/rules/pairing_codes.py).
    assert made.ca_fingerprint == hub.office_ca.fingerprint
    assert made.code[10:] == pairing_codes.check(made.code[:9], made.ca_fingerprint)
    assert not set(made.code.replace("-", "")) & set("01OI")
    assert made.expires_at == hub.clock.now() + timedelta(minutes=15)
    assert [(p.id, p.code, p.name) for p in client.pairings()] == [
        (made.id, "", "Quiosco de la entrada")]
    paired = redeem(hub, client, made.code.lower().replace("-", " "))
    assert (paired.device.name, paired.device.role, paired.device.revoked_at) == (
        "Quiosco de la entrada", "kiosk", None)
    assert paired.device in client.admin_devices()
    assert client.pairings() == []
    assert hub.authenticate(paired.token).role == "kiosk"
    refused(Unauthorized, "pairing_code_used", lambda: redeem(hub, client, made.code))


def test_an_expired_or_cancelled_code_is_refused(connect: Connect, hub: OfficeHub,
                                                 clock: VirtualClock) -> None:
    client = admin(connect)
    late = client.create_pairing(PairingInput(name="Pantalla", role="display"))
    clock.advance(timedelta(minutes=15, seconds=1))
    assert client.pairings() == []
    refused(Unauthorized, "pairing_code_expired", lambda: redeem(hub, client, late.code))
    cancelled = client.create_pairing(PairingInput(name="Pantalla", role="display"))
    client.cancel_pairing(cancelled.id)
    assert client.pairings() == []
    refused(Unauthorized, "invalid_pairing_code", lambda: redeem(hub, client, cancelled.code))
    refused(NotFound, "unknown_pairing", lambda: client.cancel_pairing(new_id()))
    refused(InvalidInput, "invalid_role",
            lambda: client.create_pairing(PairingInput(name="X", role="impresora")))


def test_wrong_codes_lock_pairing_like_logins(connect: Connect, hub: OfficeHub,
                                              clock: VirtualClock) -> None:
    client = admin(connect)
    good = client.create_pairing(PairingInput(name="Ventanilla 5", role="counter"))
    for _ in range(4):
        refused(Unauthorized, "invalid_pairing_code", lambda: redeem(hub, client, "ABCD-EFGH"))
    refused(RateLimited, "pairing_locked", lambda: redeem(hub, client, "ABCD-EFGH"))
    # Locked: even the right code waits (the counting survived each refusal)...
    refused(RateLimited, "pairing_locked", lambda: redeem(hub, client, good.code))
    clock.advance(timedelta(minutes=10))
    with pytest.raises(RateLimited) as caught:  # 429 with Retry-After over HTTP
        redeem(hub, client, good.code)
    assert caught.value.retry_after == 5 * 60
    assert "hasta las 08:15" in caught.value.message
    # ...until an admin, who is at the office, makes a new code.
    fresh = client.create_pairing(PairingInput(name="Ventanilla 6", role="counter"))
    assert redeem(hub, client, good.code).device.name == "Ventanilla 5"
    assert redeem(hub, client, fresh.code).device.name == "Ventanilla 6"


def test_a_pairing_lock_out_ends_by_itself(connect: Connect, hub: OfficeHub,
                                           clock: VirtualClock) -> None:
    client = admin(connect)
    for _ in range(4):
        refused(Unauthorized, "invalid_pairing_code", lambda: redeem(hub, client, "ABCD-EFGH"))
    refused(RateLimited, "pairing_locked", lambda: redeem(hub, client, "ABCD-EFGH"))  # the 5th
    refused(RateLimited, "pairing_locked", lambda: redeem(hub, client, "ABCD-EFGH"))
    clock.advance(timedelta(minutes=15, seconds=1))
    refused(Unauthorized, "invalid_pairing_code", lambda: redeem(hub, client, "ABCD-EFGH"))


def test_a_revoked_device_is_refused(connect: Connect, hub: OfficeHub,
                                     tokens: dict[str, str]) -> None:
    client = admin(connect)
    display = connect("display")
    assert display.calls(0).calls == []
    target = next(d for d in client.admin_devices() if d.role == "display")
    revoked = client.revoke_device(target.id)
    assert revoked.revoked_at == hub.clock.now()
    refused(Unauthorized, "invalid_credentials", lambda: display.calls(0))
    mine = next(d for d in client.admin_devices() if d.role == "admin")
    refused(Conflict, "own_device", lambda: client.revoke_device(mine.id))
    refused(NotFound, "unknown_device", lambda: client.revoke_device("no-such-device"))


def test_office_settings_apply_live_or_say_restart(connect: Connect) -> None:
    client = admin(connect)
    before = client.office_settings()
    assert (before.idle_lock_minutes, before.has_logo, before.central_credential_set,
            before.restart_needed, before.ticket_retention_days) == (5, False, False, [], 0)
    after = client.change_office_settings(OfficeSettingsChange(
        idle_lock_minutes=2, login_attempts=2, backup_interval_hours=6,
        central_url="https://central.example.pe/", central_credential="s3creto-central",
        ticket_retention_days=365, office_name="CAC Cajamarca Norte",
        municipality="Municipalidad Provincial de Cajamarca",
        public_url="https://tramites.example.pe/"))
    assert (after.idle_lock_minutes, after.login_attempts, after.backup_interval_hours,
            after.central_url, after.central_credential_set, after.ticket_retention_days,
            after.office_name) == (2, 2, 6.0, "https://central.example.pe", True, 365,
                                   "CAC Cajamarca Norte")
    assert sorted(after.restart_needed) == ["backup_interval_hours", "central_credential",
                                            "central_url"]
    assert "s3creto-central" not in after.model_dump_json()
    assert client.office_settings() == after
    # What every PC prints with (public: no person needed), at once.
    health = connect("kiosk").health()
    assert (health.name, health.municipality, health.public_url) == (
        "CAC Cajamarca Norte", "Municipalidad Provincial de Cajamarca",
        "https://tramites.example.pe")
    assert after.public_url == "https://tramites.example.pe" and not after.central_public_url
    # Live: the next login gets the new idle lock, two wrong PINs now lock an account.
    counter = connect("counter")
    assert counter.login("ana", "2468", counter=3).idle_lock_s == 120
    refused(Unauthorized, "invalid_login", lambda: counter.login("luis", "0000", counter=2))
    refused(Unauthorized, "invalid_login", lambda: counter.login("luis", "0000", counter=2))
    assert next(u for u in client.admin_users() if u.username == "luis").locked_until
    for bad, field in ((OfficeSettingsChange(idle_lock_minutes=0), "bloqueo"),
                       (OfficeSettingsChange(central_url="ftp://x"), "https://"),
                       (OfficeSettingsChange(public_url="tramites.x.pe"), "https://"),
                       (OfficeSettingsChange(public_url="https://x.pe/?t=1"), "«?»"),
                       (OfficeSettingsChange(printer_width_mm=70), "58 u 80"),
                       (OfficeSettingsChange(ticket_retention_days=-1), "días")):
        message = refused(InvalidInput, "invalid_setting",
                          partial(client.change_office_settings, bad))
        assert field in message
    assert client.office_settings() == after


def test_the_logo_is_checked_and_stored(connect: Connect, hub: OfficeHub) -> None:
    client = admin(connect)
    cases = [
        (b"", "PNG"),
        (b"GIF89a" + b"\0" * 100, "PNG"),
        (png()[:60], "dañado"),
        (png(1500, 40), "1024"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (600 * 1024), "512 KB"),
    ]
    for content, words in cases:
        message = refused(InvalidInput, "invalid_logo", partial(client.set_logo, content))
        assert words in message, message
    assert client.office_settings().has_logo is False
    assert connect("kiosk").office_logo() is None
    logo = png()
    assert client.set_logo(logo).has_logo
    assert (hub.data_dir.root / "logo.png").read_bytes() == logo
    assert connect("kiosk").office_logo() == logo


def test_the_printer_test_page_is_a_print_job(connect: Connect, hub: OfficeHub) -> None:
    client = admin(connect)
    assert hub.test_page_printer is None  # found through the entry point cac_kiosk.test_page
    client.set_logo(png())
    result = client.test_print()
    assert result.ok and result.job is not None, result.message
    assert (result.job.kind, result.job.state, result.job.device) == (
        "test", "printed", "admin de prueba")
    assert result.job in connect("supervisor").print_jobs()
    printed = list((hub.data_dir.root / hub.config.printer_target).glob("*"))
    assert printed, "the file printer wrote nothing"

    def broken(config: OfficeConfig, data_dir: Path, logo: bytes | None) -> PrintJobReport:
        return PrintJobReport(id="00000000-0000-7000-8000-0000000000ff", kind="test",
                              reference="prueba", state="failed", error_code="offline",
                              error_message="La impresora no responde.")

    hub.test_page_printer = broken
    failed = client.test_print()
    hub.test_page_printer = print_test_page
    assert (failed.ok, failed.job and failed.job.state) == (False, "failed")
    assert "La impresora no responde." in failed.message
    assert client.test_print().ok


def test_every_admin_change_is_one_audited_event_without_secrets(connect: Connect,
                                                                 hub: OfficeHub) -> None:
    client = admin(connect)

    def events() -> list[tuple[str, dict[str, Any]]]:
        with hub.store.read_session() as session:
            return [(e.kind, e.data) for e in session.scalars(select(Event).order_by(Event.seq))]

    start = len(events())
    created = client.add_admin_user(UserInput(username="pepe", full_name="Pepe Ruiz",
                                              role="counter"))
    reset = client.reset_user_secret("pepe")
    pairing = client.create_pairing(PairingInput(name="Quiosco 3", role="kiosk"))
    paired = redeem(hub, client, pairing.code)
    client.change_office_settings(OfficeSettingsChange(central_credential="clave-central-1"))
    new = events()[start:]
    assert [kind for kind, _ in new] == ["user_added", "secret_reset", "pairing_created",
                                     "device_paired", "settings_changed"]
    admin_id = next(u.id for u in client.admin_users() if u.username == "admin")
    assert [data.get("who_id") for _, data in new] == [admin_id] * 5
    dumped = " ".join(str(data) for _, data in new)
    for secret in (created.initial_secret, reset.initial_secret, pairing.code,
                   pairing.code.replace("-", ""), paired.token, "clave-central-1"):
        assert secret not in dumped


def test_a_new_admin_must_change_the_initial_pin_first(connect: Connect) -> None:
    created = admin(connect).add_admin_user(UserInput(username="nueva.jefa",
                                                      full_name="Nueva Jefa", role="admin"))
    newcomer = connect("admin", person=False)
    newcomer.login("nueva.jefa", created.initial_secret)
    refused(Conflict, "secret_change_required", newcomer.admin_users)
    newcomer.change_secret(created.initial_secret, "482916")
    assert "nueva.jefa" in [u.username for u in newcomer.admin_users()]
