"""`cac service install|remove`: start the hub or a window with the PC (issue 19).

Linux: the hub is a systemd unit (a system unit when installed by root, so it starts before
anyone logs in; a user unit otherwise), a window is an XDG autostart entry of the desktop
session. Windows: the hub is a scheduled task at system start-up that Task Scheduler restarts
when it stops, a window a `.cmd` in the user's Startup folder. What is written is planned first
(`plan`), so the files can be checked, previewed (`--dry-run`) or written under another root
(`--root`, like a packager's DESTDIR) without touching the PC's service manager.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from kiosk.errors import InvalidInput

HUB = "hub"
# The window commands a PC can start with (ui/cli.py WINDOW_COMMANDS); the hub is the core's.
WINDOW_ROLES = ("kiosk", "display", "counter", "supervisor", "admin", "rating")
ROLES = (HUB, *WINDOW_ROLES)
RESTARTED_ROLES = ("kiosk", "display", "rating")  # the public windows, locked down
ROLE_TEXT = {HUB: "el hub de la oficina", "kiosk": "el quiosco", "display": "la pantalla de "
             "llamados", "counter": "la ventanilla", "supervisor": "la supervisión",
             "admin": "la administración", "rating": "la pantalla de calificación"}

TASK_NS = "http://schemas.microsoft.com/windows/2004/02/mit/task"
SYSTEM_ACCOUNT = "S-1-5-18"  # Windows' LocalSystem: the hub runs before anyone logs in


class Platform(StrEnum):
    LINUX = "linux"
    WINDOWS = "windows"

    @classmethod
    def current(cls) -> Platform:
        return cls.WINDOWS if sys.platform.startswith("win") else cls.LINUX


@dataclass(frozen=True)
class StartFile:
    """A file that makes something start with the PC, and the service manager's commands
    that take it in and let it go (none for an autostart entry: the session reads it)."""

    path: Path
    content: bytes
    enable: tuple[tuple[str, ...], ...] = ()
    disable: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Places:
    """Where the start files go on this PC (`root` prefixes them all, as DESTDIR does)."""

    system_units: Path
    user_units: Path
    autostart: Path
    windows_startup: Path
    windows_tasks: Path

    @classmethod
    def of_this_pc(cls, data_dir: Path, root: Path | None = None) -> Places:
        home = Path.home()
        config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
        appdata = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
        places = cls(
            system_units=Path("/etc/systemd/system"),
            user_units=config / "systemd" / "user",
            autostart=config / "autostart",
            windows_startup=appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs"
            / "Startup",
            windows_tasks=data_dir / "service",
        )
        if root is None:
            return places
        return cls(*(root / p.relative_to(p.anchor) for p in (
            places.system_units, places.user_units, places.autostart, places.windows_startup,
            places.windows_tasks)))


@dataclass(frozen=True)
class Request:
    role: str
    platform: Platform
    program: tuple[str, ...]  # how this installation's `cac` is started
    data_dir: Path
    hub_url: str | None = None
    counter: int | None = None
    system: bool = False  # Linux hub: a system unit (root) rather than the user's
    run_as: str | None = None  # the system unit's user: the owner of the data folder

    def command(self) -> list[str]:
        """The `cac …` line that runs: always with the absolute data folder, so a service
        that starts as another user or in another folder finds the same office."""
        line = [*self.program, self.role, "--data-dir", str(self.data_dir)]
        if self.role != HUB:
            if not self.hub_url:
                raise InvalidInput("hub_required", "Indique la dirección del hub con --hub "
                                   "(p. ej. https://192.168.1.10:8470): la ventana la necesita "
                                   "para conectarse al arrancar.")
            line += ["--hub", self.hub_url]
        if self.role in RESTARTED_ROLES:
            line.append("--restart")  # a window that dies is opened again (ui/watchdog.py)
        if self.role in ("counter", "rating"):
            if self.counter is None and self.role == "rating":
                raise InvalidInput("counter_required", "La pantalla de calificación va junto "
                                   "a una ventanilla: indique cuál con --counter.")
            if self.counter is not None:
                line += ["--counter", str(self.counter)]
        return line


def this_program() -> tuple[str, ...]:
    """The frozen program itself, the installed `cac` script, or this Python with `-m kiosk`."""
    if getattr(sys, "frozen", False):
        return (sys.executable,)
    beside = Path(sys.executable).with_name("cac.exe" if os.name == "nt" else "cac")
    if beside.is_file():  # the virtual environment's own script, even when not on PATH
        return (str(beside),)
    found = shutil.which("cac")
    if found:
        return (str(Path(found).resolve()),)
    return (sys.executable, "-m", "kiosk")


def unit_name(role: str) -> str:
    return f"cac-{role}"


# --- the files ---------------------------------------------------------------------------------


def _systemd_quote(word: str) -> str:
    """A word of ExecStart= (systemd.service(5) «Command lines»): quoted when it has spaces,
    quotes, backslashes or specifiers."""
    word = word.replace("%", "%%")
    if word and not any(c in word for c in ' \t"\'\\;$'):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _desktop_quote(word: str) -> str:
    """A word of a .desktop Exec= key (Desktop Entry Specification, «The Exec key»)."""
    word = word.replace("%", "%%")
    if word and not any(c in word for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return word
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in word)
    # The file's own string escapes double the backslashes again.
    return '"' + escaped.replace("\\", "\\\\") + '"'


def systemd_unit(request: Request) -> str:
    line = " ".join(_systemd_quote(w) for w in request.command())
    user = f"User={request.run_as}\n" if request.system and request.run_as else ""
    wanted = "multi-user.target" if request.system else "default.target"
    return (
        "[Unit]\n"
        "Description=CAC Kiosk: hub de la oficina\n"
        "Wants=network-online.target\n"
        "After=network-online.target\n\n"
        "[Service]\n"
        "Type=simple\n"
        f"{user}"
        f"ExecStart={line}\n"
        "Restart=on-failure\n"
        "RestartSec=5\n"
        # SIGTERM is the hub's clean stop (it closes the database and its backups).
        "KillSignal=SIGTERM\n"
        "TimeoutStopSec=30\n\n"
        "[Install]\n"
        f"WantedBy={wanted}\n"
    )


def desktop_entry(request: Request) -> str:
    line = " ".join(_desktop_quote(w) for w in request.command())
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name=CAC Kiosk: {ROLE_TEXT[request.role]}\n"
        f"Comment=Abre {ROLE_TEXT[request.role]} al iniciar la sesión\n"
        f"Exec={line}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def windows_startup_cmd(request: Request) -> str:
    line = subprocess.list2cmdline(request.command())
    # `start ""` leaves no console window waiting behind the program.
    return f'@echo off\r\nrem CAC Kiosk: {ROLE_TEXT[request.role]}\r\nstart "" {line}\r\n'


def windows_task(request: Request) -> bytes:
    """Task Scheduler's XML (schtasks /Create /XML): at system start, as LocalSystem,
    started again a minute after it stops, never stopped for running long."""
    ElementTree.register_namespace("", TASK_NS)

    def sub(parent: ElementTree.Element, tag: str, text: str | None = None
            ) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, f"{{{TASK_NS}}}{tag}")
        element.text = text
        return element

    task = ElementTree.Element(f"{{{TASK_NS}}}Task", {"version": "1.2"})
    sub(sub(task, "RegistrationInfo"), "Description", "CAC Kiosk: hub de la oficina")
    sub(sub(sub(task, "Triggers"), "BootTrigger"), "Enabled", "true")
    principal = sub(sub(task, "Principals"), "Principal", None)
    principal.set("id", "Author")
    sub(principal, "UserId", SYSTEM_ACCOUNT)
    sub(principal, "RunLevel", "HighestAvailable")
    settings = sub(task, "Settings")
    sub(settings, "DisallowStartIfOnBatteries", "false")
    sub(settings, "StopIfGoingOnBatteries", "false")
    sub(settings, "ExecutionTimeLimit", "PT0S")
    restart = sub(settings, "RestartOnFailure")
    sub(restart, "Interval", "PT1M")
    sub(restart, "Count", "999")
    actions = sub(task, "Actions")
    actions.set("Context", "Author")
    run = sub(actions, "Exec")
    command = request.command()
    sub(run, "Command", command[0])
    sub(run, "Arguments", subprocess.list2cmdline(command[1:]))
    text = ElementTree.tostring(task, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-16"?>\r\n' + text).encode("utf-16")


TASK_NAME = "CAC Kiosk hub"


def plan(request: Request, places: Places) -> list[StartFile]:
    """The files that start `request.role` with the PC, and the commands that enable them."""
    if request.role not in ROLES:
        raise InvalidInput("unknown_role", f"No hay un programa «{request.role}». Use uno de: "
                                           f"{', '.join(ROLES)}.")
    request.command()  # a missing --hub or --counter is said before anything is written
    name = unit_name(request.role)
    if request.platform == Platform.LINUX:
        if request.role == HUB:
            scope: tuple[str, ...] = ("systemctl",) if request.system else ("systemctl",
                                                                           "--user")
            folder = places.system_units if request.system else places.user_units
            return [StartFile(
                folder / f"{name}.service", systemd_unit(request).encode(),
                enable=((*scope, "daemon-reload"), (*scope, "enable", "--now",
                                                    f"{name}.service")),
                disable=((*scope, "disable", "--now", f"{name}.service"),
                         (*scope, "daemon-reload")))]
        return [StartFile(places.autostart / f"{name}.desktop", desktop_entry(request).encode())]
    if request.role == HUB:
        xml = places.windows_tasks / f"{name}.xml"
        return [StartFile(xml, windows_task(request),
                          enable=(("schtasks", "/Create", "/TN", TASK_NAME, "/XML", str(xml),
                                   "/F"),),
                          disable=(("schtasks", "/Delete", "/TN", TASK_NAME, "/F"),))]
    return [StartFile(places.windows_startup / f"{name}.cmd",
                      windows_startup_cmd(request).encode("utf-8"))]


Runner = Callable[[Sequence[str]], None]


def run_command(command: Sequence[str]) -> None:
    try:
        subprocess.run(list(command), check=True, capture_output=True, timeout=60)
    except FileNotFoundError as exc:
        raise InvalidInput("no_service_manager",
                           f"No se encontró «{command[0]}» en este equipo: el archivo quedó "
                           "escrito, pero hay que activarlo a mano.") from exc
    except subprocess.CalledProcessError as exc:
        said = (exc.stderr or b"").decode(errors="replace").strip()[:300]
        raise InvalidInput("service_manager_failed",
                           f"«{' '.join(command)}» no funcionó: {said or exc.returncode}. El "
                           "archivo quedó escrito; revise el mensaje y vuelva a intentarlo.") \
            from exc


def install(files: Sequence[StartFile], enable: bool, runner: Runner = run_command) -> list[str]:
    """Write the files (whole or not at all: each is written aside and renamed), then let the
    service manager take them in. Returns what was done, in Spanish."""
    done = []
    for item in files:
        item.path.parent.mkdir(parents=True, exist_ok=True)
        aside = item.path.with_name(item.path.name + ".nuevo")
        aside.write_bytes(item.content)
        os.replace(aside, item.path)
        done.append(f"Escrito {item.path}")
    if enable:
        for item in files:
            for command in item.enable:
                runner(command)
                done.append("Ejecutado: " + " ".join(command))
    return done


def remove(files: Sequence[StartFile], enable: bool, runner: Runner = run_command) -> list[str]:
    """Undo `install`: the service manager lets go first, then the files go."""
    present = [item for item in files if item.path.exists()]
    done = []
    if enable:
        for item in present:
            for command in item.disable:
                runner(command)
                done.append("Ejecutado: " + " ".join(command))
    for item in present:
        item.path.unlink()
        done.append(f"Borrado {item.path}")
    return done


# --- the command -------------------------------------------------------------------------------


def _owner(path: Path) -> str | None:
    """Who owns the data folder, so a root-installed hub does not write as root."""
    try:
        import pwd

        name = pwd.getpwuid(path.stat().st_uid).pw_name
    except (ImportError, KeyError, OSError):
        return None
    return None if name == "root" else name


def request_of(args: argparse.Namespace) -> tuple[Request, Places, bool]:
    from kiosk.config import DataDir

    platform = Platform(args.platform) if args.platform else Platform.current()
    data_dir = DataDir.from_option(args.data_dir).root.resolve()
    root = Path(args.root).resolve() if args.root else None
    is_root = platform == Platform.LINUX and hasattr(os, "geteuid") and os.geteuid() == 0
    system = args.role == HUB and (args.system if args.system is not None else is_root)
    request = Request(args.role, platform, this_program(), data_dir, args.hub, args.counter,
                      system=system, run_as=_owner(data_dir) if system else None)
    # Under another root, or on another system's files, the PC's service manager is not told.
    enable = not (args.no_enable or root is not None or platform != Platform.current())
    return request, Places.of_this_pc(data_dir, root), enable


def cmd_service_install(args: argparse.Namespace) -> int:
    request, places, enable = request_of(args)
    files = plan(request, places)
    if args.dry_run:
        for item in files:
            print(f"# {item.path}")
            text = item.content.decode("utf-16" if item.path.suffix == ".xml" else "utf-8")
            print(text.replace("\r\n", "\n"))
        return 0
    for line in install(files, enable):
        print(line)
    print(f"Listo: {ROLE_TEXT[request.role]} arrancará con el equipo."
          + ("" if enable else " Falta activarlo en el gestor de servicios (se escribió sin "
                               "activarlo)."))
    if request.platform == Platform.LINUX and request.role == HUB and not request.system:
        print("Para que el hub arranque sin que nadie inicie sesión: "
              "sudo loginctl enable-linger " + os.environ.get("USER", "USUARIO"))
    return 0


def cmd_service_remove(args: argparse.Namespace) -> int:
    request, places, enable = request_of(args)
    # The files depend only on the role and where they go: any --hub will do to find them.
    files = plan(Request(request.role, request.platform, request.program, request.data_dir,
                         request.hub_url or "-", request.counter if request.counter is not None
                         else 0, system=request.system), places)
    done = remove(files, enable)
    if not done:
        print(f"Este equipo no tenía {ROLE_TEXT[request.role]} en el arranque: nada que quitar.")
        return 0
    for line in done:
        print(line)
    print(f"Listo: {ROLE_TEXT[request.role]} ya no arranca con el equipo.")
    return 0


def register(sub: Any) -> None:
    service = sub.add_parser("service", help="arrancar el hub o una ventana con el equipo")
    service_sub = service.add_subparsers(dest="service_command", required=True)
    for name, help_text, func in (
            ("install", "hacer que el hub o una ventana arranque con el equipo",
             cmd_service_install),
            ("remove", "quitar el arranque automático", cmd_service_remove)):
        p = service_sub.add_parser(name, help=help_text)
        p.add_argument("--role", required=True, choices=ROLES,
                       help="qué arranca: el hub o una ventana")
        p.add_argument("--data-dir", help="carpeta de datos de este equipo")
        p.add_argument("--hub", help="dirección del hub (para una ventana)")
        p.add_argument("--counter", type=int, help="ventanilla (counter, rating)")
        p.add_argument("--platform", choices=[p.value for p in Platform],
                       help="sistema del equipo (por defecto, este)")
        p.add_argument("--system", action=argparse.BooleanOptionalAction, default=None,
                       help="Linux: el hub como servicio del sistema (por defecto, si lo "
                            "instala root)")
        p.add_argument("--root", metavar="CARPETA",
                       help="escribir los archivos bajo esta carpeta, sin activarlos")
        p.add_argument("--no-enable", action="store_true",
                       help="solo escribir los archivos, sin avisar al gestor de servicios")
        if name == "install":
            p.add_argument("--dry-run", action="store_true",
                           help="mostrar lo que se escribiría, sin escribir nada")
        p.set_defaults(func=func)
