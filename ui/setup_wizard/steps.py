"""What «Configurar esta PC» does, without Qt, above the core's part (kiosk/office_setup.py):
joining an office with a pairing code, this PC's printer and its test page, the link test, the
window this PC opens. Each input is checked (a Spanish `CacError` when wrong); the wizard's
pages are thin over these, and tests call them too.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk import office_setup
from kiosk.client.base import HubClient
from kiosk.clock import Clock
from kiosk.config import DataDir, OfficeConfig
from kiosk.errors import HubUnavailable, InvalidInput
from kiosk.office_setup import (
    AdminForm,
    OfficeForm,
    ThisPC,
    check_admin,
    check_hub_port,
    check_office,
    hub_serving,
    load_this_pc,
    save_this_pc,
    start_with_pc,
)
from kiosk.rules import pairing_codes
from kiosk.service_install import HUB
from kiosk.services.admin_views import AdminDeviceView, PairedDevice
from kiosk.services.views import DeviceView, HealthView
from kiosk.settings import SETTINGS
from ui.pairing import Pair, device_credentials, load_paired, save_paired

# What the pages use of the core, from here.
__all__ = ["AdminForm", "OfficeForm", "ThisPC", "check_admin", "check_hub_port",
           "check_office", "load_this_pc", "save_this_pc", "start_with_pc"]


@dataclass(frozen=True)
class Purpose:
    """A use a joining PC can have: the window it opens and the credential that window uses."""

    role: str  # the window command (ui/cli.py WINDOW_COMMANDS)
    credential: str  # the device role the pairing code must be for
    label: str  # Spanish
    prints: bool  # it has a receipt printer (kiosk, counter)
    counter: str  # "": no counter; "optional"; "required"


PURPOSES = (
    Purpose("kiosk", "kiosk", "Quiosco de turnos (pantalla táctil de la entrada)", True, ""),
    Purpose("display", "display", "Pantalla de llamados (TV de la sala de espera)", False, ""),
    Purpose("counter", "counter", "Ventanilla de atención", True, "optional"),
    Purpose("rating", "counter", "Pantalla «Califique la atención» junto a una ventanilla",
            False, "required"),
    Purpose("supervisor", "supervisor", "Supervisión", False, ""),
    Purpose("admin", "admin", "Administración", False, ""),
)
PURPOSE = {p.role: p for p in PURPOSES}
CREDENTIAL_TEXT = {"kiosk": "quiosco", "display": "pantalla", "counter": "ventanilla",
                   "supervisor": "supervisión", "admin": "administración"}


# --- the forms ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrinterForm:
    backend: str
    target: str
    width_mm: int = 80


@dataclass(frozen=True)
class JoinForm:
    hub_url: str
    code: str
    role: str
    counter: str = ""  # as typed


def printer_settings(form: PrinterForm, base: OfficeConfig | None = None) -> OfficeConfig:
    """The config with this printer, checked as the admin's printer tab checks it."""
    from printing.backends import backend_from_config

    config = replace(base or OfficeConfig(office_code="CAC", office_name="CAC"),
                     printer_backend=SETTINGS["printer_backend"].check(form.backend),
                     printer_target=SETTINGS["printer_target"].check(form.target.strip()),
                     printer_width_mm=SETTINGS["printer_width_mm"].check(form.width_mm))
    backend_from_config(config, Path("."))  # a wrong address is said now, not at the test
    return config


def check_join(form: JoinForm) -> JoinForm:
    url = form.hub_url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")) or len(url) < 10 or " " in url:
        raise InvalidInput("invalid_hub_url",
                           f"La dirección del hub «{form.hub_url.strip()}» no es válida: "
                           "escríbala como la muestra la ventana de administración, p. ej. "
                           "https://192.168.1.10:8470")
    code = pairing_codes.normalize(form.code)
    whole = pairing_codes.CODE_LENGTH + pairing_codes.CHECK_LENGTH
    # Only a plain-http hub (no certificate to check) takes the code without its last group.
    if len(code) != whole and not (url.startswith("http://")
                                   and len(code) == pairing_codes.CODE_LENGTH):
        raise InvalidInput("invalid_pairing_code",
                           "El código de emparejamiento tiene 12 letras y números en tres "
                           "grupos (p. ej. ABCD-EFGH-JKLM): cópielo de la ventana de "
                           "administración, pestaña Dispositivos.")
    purpose = PURPOSE.get(form.role)
    if purpose is None:
        raise InvalidInput("invalid_role", "Elija para qué se usará esta PC.")
    counter = form.counter.strip()
    if counter and (not counter.isdigit() or not 1 <= int(counter) <= 999):
        raise InvalidInput("invalid_counter",
                           "El número de ventanilla es un número de 1 a 999.")
    if purpose.counter == "required" and not counter:
        raise InvalidInput("counter_required", "Indique junto a qué ventanilla está esta "
                                               "pantalla (su número).")
    return JoinForm(url, pairing_codes.grouped(code), purpose.role,
                    counter if purpose.counter else "")


# --- what this PC is for -----------------------------------------------------------------------


def window_argv(this_pc: ThisPC, data_dir: DataDir, hub_service: bool = False) -> list[str]:
    """The `cac …` words (without the program) that open this PC's window now. The hub PC
    runs the office in the window's own process (`cac app`), or, when its hub already runs
    as a service (or was just started as one: `hub_service`), opens the admin window as a
    client of it on loopback."""
    root = str(data_dir.root.resolve())
    if this_pc.role != HUB:
        return this_pc.request(data_dir).command()  # as it starts with the PC
    if hub_service or hub_serving(data_dir):
        port = data_dir.load_config().hub_port
        return ["admin", "--hub", f"https://127.0.0.1:{port}", "--data-dir", root,
                "--windowed"]
    return ["app", "--windows", "admin", "--windowed", "--data-dir", root]


# --- creating the office -----------------------------------------------------------------------


def create_office(data_dir: DataDir, office: OfficeForm, admin: AdminForm,
                  printer: PrinterForm, clock: Clock | None = None,
                  port: int | None = None) -> ThisPC:
    """The office on this PC (kiosk.office_setup.create_office, whole or not at all), with the
    printer checked here first and this PC's own admin credential kept as a pairing keeps it."""
    checked = printer_settings(printer)
    settings = {name: getattr(checked, name)
                for name in ("printer_backend", "printer_target", "printer_width_mm")}

    def keep(device: DeviceView, token: str, url: str, ca_file: Path) -> None:
        view = AdminDeviceView(id=device.id, name=device.name, role=device.role,
                               created_at=device.created_at, revoked_at=None)
        save_paired(data_dir, device.role, url, PairedDevice(device=view, token=token),
                    str(ca_file))

    return office_setup.create_office(data_dir, office, admin, settings, keep, clock, port)


# --- joining an office -------------------------------------------------------------------------


@dataclass(frozen=True)
class Joined:
    this_pc: ThisPC
    device_name: str
    token: str
    ca_file: str | None


def join_office(data_dir: DataDir, form: JoinForm, pair: Pair | None = None) -> Joined:
    """Redeem the pairing code (the office CA learnt and checked with it on an https hub) and
    keep the credential; a code for another use is refused, its credential kept for that use.
    A credential this PC already holds for the hub is used again (a code works once)."""
    form = check_join(form)
    purpose = PURPOSE[form.role]
    stored = load_paired(data_dir).get(purpose.credential) or {}
    code = "" if stored.get("hub") == form.hub_url and stored.get("token") else form.code
    # What `device_credentials` reads of a window command's options.
    args = argparse.Namespace(hub=form.hub_url, pair=code, data_dir=str(data_dir.root),
                              token="", ca="")
    try:
        credentials = device_credentials(args, purpose.credential, pair, say=lambda _: None)
    except InvalidInput as exc:
        if exc.code != "pairing_other_role":
            raise
        paired = load_paired(data_dir)
        other = next((role for role, entry in paired.items()
                      if role != purpose.credential and entry.get("hub") == form.hub_url), "")
        raise InvalidInput("pairing_other_role",
                           f"Ese código era para un equipo de {CREDENTIAL_TEXT.get(other, other)}"
                           f", no de {CREDENTIAL_TEXT[purpose.credential]}. Elija ese uso para "
                           "esta PC (la credencial ya quedó guardada) o pida otro código.") \
            from None
    name = (load_paired(data_dir).get(purpose.credential) or {}).get("device", "")
    this_pc = ThisPC(purpose.role, form.hub_url, int(form.counter) if form.counter else None)
    save_this_pc(data_dir, this_pc)
    return Joined(this_pc, name, credentials.token, credentials.ca_file)


def check_link(hub_url: str, token: str, ca_file: str | None,
               client: HubClient | None = None) -> HealthView:
    """The joined PC reaches the hub, and the hub takes its credential: what the hub says of
    the office."""
    from ui.connect import remote_client

    client = client or remote_client(hub_url, token, ca_file)
    try:
        health = client.health()
        client.services()  # refused to a credential the hub does not know
    except HubUnavailable as exc:
        if exc.code != "hub_unavailable":
            raise
        raise HubUnavailable(exc.code, f"No se puede conectar con el hub en {hub_url}. Revise "
                                       "que esa PC esté encendida con el programa abierto, y "
                                       "la red; luego pulse «Probar la conexión».") from None
    finally:
        close = getattr(client, "close", None)
        if callable(close):
            close()
    return health


def link_message(health: HealthView) -> str:
    return (f"Conectado con el hub de «{health.name}» ({health.office}), versión "
            f"{health.version}.")


# --- the printer -------------------------------------------------------------------------------


def save_pc_printer(data_dir: DataDir, printer: PrinterForm) -> OfficeConfig:
    """A joined PC's printer, in its own config.toml (what the kiosk and counter read)."""
    base = data_dir.load_config() if data_dir.exists() else None
    config = printer_settings(printer, base)
    data_dir.save_config(config)
    return config


def try_printer(data_dir: DataDir, office_name: str = "", municipality: str = "") -> str:
    """Print the test page on the printer this PC's config names; a Spanish error otherwise.
    The office's name on it: the hub's (a joined PC says it from the link test)."""
    from printing.errors import PrinterError
    from printing.hub_test_page import print_test_page

    config = data_dir.load_config()
    if office_name:
        config = replace(config, office_name=office_name, municipality=municipality)
    report = print_test_page(config, data_dir.root, None)
    if report.state != "printed":
        raise PrinterError(report.error_code or "failed",
                           report.error_message or "La impresora no imprimió la página.")
    return "Página de prueba enviada a la impresora: revise que se lea bien (tildes y «ñ»)."
