"""The core of «Configurar esta PC» (issue 19; the wizard is ui/setup_wizard): the office made
on this PC, whole or not at all, with its first administrator; and what this PC is for.

What this PC is for is kept in `<data-dir>/this-pc.json` ({"role", "hub", "counter"}): its
presence is what «set up already» means (a kiosk PC's config.toml holds only its printer, so
`DataDir.exists()` cannot say it).
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from kiosk.clock import Clock
from kiosk.config import DataDir, validate_office_code
from kiosk.errors import CacError, InvalidInput
from kiosk.lan import hub_url
from kiosk.private_files import write_private
from kiosk.service_install import (
    HUB,
    ROLES,
    Places,
    Platform,
    Request,
    Runner,
    install,
    plan,
    run_command,
    this_program,
)
from kiosk.services.users import PIN_DIGITS, USERNAME, check_secret
from kiosk.services.views import DeviceView
from kiosk.settings import SETTINGS
from kiosk.storage.lock import HubLock

__all__ = ["PIN_DIGITS", "AdminForm", "OfficeForm", "ThisPC", "create_office"]

THIS_PC_FILE = "this-pc.json"
LAN_HOST = "0.0.0.0"  # the hub PC serves the office network (HTTPS with the office CA)
ADMIN_HERE = "Administración (este equipo)"


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


def check_office(form: OfficeForm) -> OfficeForm:
    try:
        code = validate_office_code(form.code)
    except CacError as exc:
        raise InvalidInput(exc.code, exc.message) from None
    return OfficeForm(code, SETTINGS["office_name"].check(form.name.strip()),
                      SETTINGS["municipality"].check(form.municipality.strip()))


def check_admin(form: AdminForm) -> AdminForm:
    """As kiosk/services/users.py checks a new clerk, and the secret typed twice alike."""
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


# --- what this PC is for -----------------------------------------------------------------------


@dataclass(frozen=True)
class ThisPC:
    role: str  # "hub" (the office is here) or the window it opens (service_install.ROLES)
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
    return found if found.role in ROLES else None


def save_this_pc(data_dir: DataDir, this_pc: ThisPC) -> None:
    data_dir.create()
    write_private(data_dir.root / THIS_PC_FILE,
                  json.dumps(asdict(this_pc), ensure_ascii=False, indent=2).encode("utf-8"))


def hub_serving(data_dir: DataDir) -> bool:
    """Whether a hub of this office runs on this PC now (`cac hub` as a service, say)."""
    try:
        HubLock(data_dir.root).acquire("").release()
    except CacError:
        return True
    return False


def start_with_pc(this_pc: ThisPC, data_dir: DataDir, places: Places, enable: bool,
                  runner: Runner = run_command) -> list[str]:
    """`cac service install --role …` for this PC's purpose; what was done, in Spanish."""
    return install(plan(this_pc.request(data_dir, this_program()), places), enable, runner)


# --- creating the office -----------------------------------------------------------------------

# Keeps this PC's own admin credential (ui.pairing): its device, token, the hub's loopback
# address and the office CA it is verified with.
KeepCredential = Callable[[DeviceView, str, str, Path], None]


def create_office(data_dir: DataDir, office: OfficeForm, admin: AdminForm,
                  printer: Mapping[str, Any], keep: KeepCredential,
                  clock: Clock | None = None, port: int | None = None) -> ThisPC:
    """The office on this PC, whole or not at all: checked first, and what a failure left (a
    full disk, a power cut) is removed so the wizard can try again. `printer`: this PC's
    printer settings, checked by the caller (the printing layer knows the targets)."""
    from kiosk.cli import new_office
    from kiosk.hub import SYSTEM
    from kiosk.services.admin_views import OfficeSettingsChange

    office, admin = check_office(office), check_admin(admin)
    if data_dir.database.exists() or load_this_pc(data_dir):
        raise InvalidInput("office_exists", f"Ya hay una oficina o una PC configurada en "
                                            f"{data_dir.root}.")
    before = set(data_dir.root.iterdir()) if data_dir.root.is_dir() else set()
    try:
        hub = new_office(data_dir, office.code, office.name, clock=clock)
        try:
            hub.add_user(SYSTEM, admin.username, admin.full_name, "admin", admin.secret)
            hub.change_office_settings(SYSTEM, OfficeSettingsChange(
                municipality=office.municipality))
            # This PC's admin window, for when the hub runs as a service (`hub_serving`).
            device, token = hub.add_device(SYSTEM, ADMIN_HERE, "admin")
        finally:
            hub.close()
        config = data_dir.load_config()
        # This PC's printer is the hub's own (the admin's printer tab, its test page).
        config = replace(config, **printer, hub_host=LAN_HOST, hub_port=port or config.hub_port)
        data_dir.save_config(config)
        keep(device, token, f"https://127.0.0.1:{config.hub_port}", data_dir.tls / "ca.pem")
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
    """The hub PC's link: the port other PCs will reach it at is free on this PC; the
    address they join with."""
    config = data_dir.load_config()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((config.hub_host, config.hub_port))
        except OSError as exc:
            raise InvalidInput("port_busy",
                               f"El puerto {config.hub_port} de esta PC está ocupado por otro "
                               f"programa ({exc.strerror or exc}): ciérrelo, o si es otro hub "
                               "de CAC Kiosk, no abra dos en la misma PC.") from None
    address = hub_url("https", config.hub_host, config.hub_port)
    return (f"El hub atenderá a las demás PC de la oficina en {address} (con el certificado "
            "de la oficina): es la dirección que se escribe al unir cada PC.")
