"""What «Configurar esta PC» does, without Qt: each input checked (a Spanish `CacError` when
wrong), the office created or joined, the printer and the link tested, the PC's purpose kept
and made to start with the PC. The wizard's pages are thin over these; tests call them too.

What this PC is for is kept in `<data-dir>/this-pc.json` ({"role", "hub", "counter"}): its
presence is what «already set up» means (a kiosk PC's config.toml holds only its printer, so
`DataDir.exists()` cannot say it).
"""

from __future__ import annotations

import json
import shutil
import socket
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from kiosk.client.base import HubClient
from kiosk.clock import Clock
from kiosk.config import DataDir, OfficeConfig, validate_office_code
from kiosk.errors import CacError, HubUnavailable, InvalidInput
from kiosk.private_files import write_private
from kiosk.rules import pairing_codes
from kiosk.service_install import (
    HUB,
    Places,
    Platform,
    Request,
    Runner,
    install,
    plan,
    run_command,
    this_program,
)
from kiosk.services.admin_views import PairedDevice
from kiosk.services.users import USERNAME, check_secret
from kiosk.services.views import HealthView
from kiosk.settings import SETTINGS
from kiosk.storage.lock import HubLock
from ui.pairing import Pair, device_credentials, load_paired, save_paired

THIS_PC_FILE = "this-pc.json"
LAN_HOST = "0.0.0.0"  # the hub PC serves the office network (HTTPS with the office CA)
ADMIN_HERE = "Administración (este equipo)"


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
class OfficeForm:
    code: str
    name: str
    municipality: str


@dataclass(frozen=True)
class AdminForm:
    username: str
    full_name: str
    secret: str
    repeat: str


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


def check_office(form: OfficeForm) -> OfficeForm:
    try:
        code = validate_office_code(form.code)
    except CacError as exc:
        raise InvalidInput(exc.code, exc.message) from None
    return OfficeForm(code, SETTINGS["office_name"].check(form.name.strip()),
                      SETTINGS["municipality"].check(form.municipality.strip()))


def check_admin(form: AdminForm) -> AdminForm:
    username = form.username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise InvalidInput("invalid_username",
                           "El usuario debe tener de 2 a 40 letras minúsculas, números, «.», "
                           "«-» o «_», sin espacios (p. ej. «ana.torres»).")
    full_name = " ".join(form.full_name.split())
    if not 3 <= len(full_name) <= 120:
        raise InvalidInput("invalid_name", "Escriba el nombre completo del administrador (de 3 "
                                           "a 120 caracteres).")
    check_secret(form.secret)
    if form.secret != form.repeat:
        raise InvalidInput("secret_mismatch", "El PIN o la contraseña no coincide con su "
                                              "repetición. Escríbalos de nuevo.")
    return AdminForm(username, full_name, form.secret, form.repeat)


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


@dataclass(frozen=True)
class ThisPC:
    role: str  # "hub" (the office is here) or a window of PURPOSES
    hub: str = ""  # the hub's address (a joined PC)
    counter: int | None = None

    def request(self, data_dir: DataDir, program: tuple[str, ...] = ()) -> Request:
        """What starts it (service_install's request: the same line `cac start` runs)."""
        return Request(self.role, Platform.current(), program, data_dir.root.resolve(),
                       self.hub or None, self.counter)


def load_this_pc(data_dir: DataDir) -> ThisPC | None:
    path = data_dir.root / THIS_PC_FILE
    try:
        raw = json.loads(path.read_text("utf-8"))
        counter = raw.get("counter")
        found = ThisPC(str(raw["role"]), str(raw.get("hub") or ""),
                       int(counter) if counter is not None else None)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return found if found.role == HUB or found.role in PURPOSE else None


def save_this_pc(data_dir: DataDir, this_pc: ThisPC) -> None:
    data_dir.create()
    write_private(data_dir.root / THIS_PC_FILE,
                  json.dumps(asdict(this_pc), ensure_ascii=False, indent=2).encode("utf-8"))


def window_argv(this_pc: ThisPC, data_dir: DataDir) -> list[str]:
    """The `cac …` words (without the program) that open this PC's window now. The hub PC
    runs the office in the window's own process (`cac app`), or, when its hub already runs
    as a service, opens the admin window as a client of it on loopback."""
    root = str(data_dir.root.resolve())
    if this_pc.role != HUB:
        words = this_pc.request(data_dir).command()
        return [w for w in words if w != "--restart"] + ["--windowed"] * (
            this_pc.role in ("supervisor", "admin"))
    try:
        HubLock(data_dir.root).acquire("").release()
    except CacError:
        port = data_dir.load_config().hub_port
        return ["admin", "--hub", f"https://127.0.0.1:{port}", "--data-dir", root,
                "--windowed"]
    return ["app", "--windows", "admin", "--windowed", "--data-dir", root]


def start_with_pc(this_pc: ThisPC, data_dir: DataDir, places: Places, enable: bool,
                  runner: Runner = run_command) -> list[str]:
    """`cac service install --role …` for this PC's purpose; what was done, in Spanish."""
    return install(plan(this_pc.request(data_dir, this_program()), places), enable, runner)


# --- creating the office -----------------------------------------------------------------------


def create_office(data_dir: DataDir, office: OfficeForm, admin: AdminForm,
                  printer: PrinterForm, clock: Clock | None = None,
                  port: int | None = None) -> ThisPC:
    """The office on this PC, whole or not at all: checked first, and a folder half made (a
    full disk, a power cut) is removed so the wizard can try again."""
    from kiosk.cli import new_office
    from kiosk.hub import SYSTEM
    from kiosk.services.admin_views import OfficeSettingsChange

    office, admin = check_office(office), check_admin(admin)
    printer_settings(printer)
    if data_dir.exists() and (data_dir.database.exists() or load_this_pc(data_dir)):
        raise InvalidInput("office_exists", f"Ya hay una oficina o una PC configurada en "
                                            f"{data_dir.root}.")
    before = set(data_dir.root.iterdir()) if data_dir.root.is_dir() else set()
    try:
        hub = new_office(data_dir, office.code, office.name, clock=clock)
        try:
            hub.add_user(SYSTEM, admin.username, admin.full_name, "admin", admin.secret)
            hub.change_office_settings(SYSTEM, OfficeSettingsChange(
                municipality=office.municipality))
            # This PC's admin window, for when the hub runs as a service (window_argv).
            device, token = hub.add_device(SYSTEM, ADMIN_HERE, "admin")
            ca_file = data_dir.tls / "ca.pem"
        finally:
            hub.close()
        config = data_dir.load_config()
        # This PC's printer is the hub's own (the admin's printer tab, its test page).
        config = replace(printer_settings(printer, config), hub_host=LAN_HOST,
                         hub_port=port or config.hub_port)
        data_dir.save_config(config)
        from kiosk.services.admin_views import AdminDeviceView

        save_paired(data_dir, "admin", f"https://127.0.0.1:{config.hub_port}", PairedDevice(
            device=AdminDeviceView(id=device.id, name=device.name, role=device.role,
                                   created_at=device.created_at, revoked_at=None),
            token=token), str(ca_file))
        this_pc = ThisPC(HUB)
        save_this_pc(data_dir, this_pc)
        data_dir.make_private()
    except BaseException as exc:
        for made in set(data_dir.root.iterdir()) - before if data_dir.root.is_dir() else ():
            if made.is_dir():
                shutil.rmtree(made, ignore_errors=True)
            else:
                made.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InvalidInput("office_not_created",
                               f"No se pudo crear la oficina en {data_dir.root} "
                               f"({exc.strerror or exc}). No quedó nada a medias: resuelva el "
                               "problema y vuelva a pulsar «Crear la oficina».") from exc
        raise
    return this_pc


def check_hub_port(data_dir: DataDir) -> str:
    """The hub PC's link: the port other PCs will reach it at is free on this PC."""
    config = data_dir.load_config()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((config.hub_host, config.hub_port))
        except OSError as exc:
            raise InvalidInput("port_busy",
                               f"El puerto {config.hub_port} de esta PC está ocupado por otro "
                               f"programa ({exc.strerror or exc}): ciérrelo, o si es otro hub "
                               "de CAC Kiosk, no abra dos en la misma PC.") from None
    return (f"El hub atenderá a las demás PC de la oficina en el puerto {config.hub_port} "
            "(HTTPS con el certificado de la oficina).")


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
    args = _Args(hub=form.hub_url, pair=code, data_dir=str(data_dir.root))
    try:
        credentials = device_credentials(args, purpose.credential, pair,  # type: ignore[arg-type]
                                         say=lambda _text: None)
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


@dataclass
class _Args:
    """What `device_credentials` reads of a window command's options."""

    hub: str
    pair: str
    data_dir: str
    token: str = ""
    ca: str = ""


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


def test_printer(data_dir: DataDir, office_name: str = "", municipality: str = "") -> str:
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
