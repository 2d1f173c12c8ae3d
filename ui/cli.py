"""`cac kiosk|display|...`: registered through the `cac_kiosk.commands` entry point.

Only argparse here: Qt is imported when a window command runs, so `cac hub` stays light and
works on a machine without the `ui` extra.
"""

from __future__ import annotations

import argparse
import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.errors import ConfigError


def _require_qt() -> None:
    try:
        import PySide6  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            "no_qt",
            "Esta instalación no tiene la interfaz gráfica. Instale CAC Kiosk con el extra «ui» "
            "(pip install 'cac-kiosk[ui]').",
        ) from exc


def _window_program(args: argparse.Namespace) -> None:
    """Qt, a screen it can use, its messages into this PC's log, Ctrl+C and SIGTERM as a
    clean stop: before the window's own start (which finds the QApplication made here)."""
    _require_qt()
    from kiosk.config import DataDir
    from ui.qt_app import window_program

    window_program(DataDir.from_option(args.data_dir).logs)


def _window_options(p: argparse.ArgumentParser, data_dir: bool = True) -> None:
    p.add_argument("--hub", required=True,
                   help="dirección del hub, p. ej. https://192.168.1.10:8470")
    p.add_argument("--token", help="credencial del dispositivo (sin ella: la guardada al "
                                   "emparejar este equipo con --pair)")
    p.add_argument("--pair", metavar="CÓDIGO",
                   help="código de emparejamiento que dio el administrador (pestaña "
                        "Dispositivos); la credencial queda guardada en este equipo")
    if data_dir:
        p.add_argument("--data-dir", help="carpeta de este equipo (credencial emparejada)")
    p.add_argument("--ca", metavar="ARCHIVO.pem",
                   help="certificado del hub (cac device add --ca-out); al emparejar con "
                        "--pair se aprende y se guarda solo")
    p.add_argument("--windowed", action="store_true", help="en ventana, no a pantalla completa")


def _device_token(args: argparse.Namespace, role: str) -> None:
    """`--token`, or the token `--pair` redeems now, or the one stored by an earlier pairing;
    `--ca`, or the hub's CA learned when pairing: every window verifies the hub with it."""
    from ui.pairing import device_credentials

    credentials = device_credentials(args, role)
    args.token, args.ca = credentials.token, credentials.ca_file


@dataclass(frozen=True)
class WindowCommand:
    """One `cac <window>` command: its help, the device role whose credential it uses, and
    where its window starts (imported only when it runs, so the CLI needs no Qt)."""

    name: str
    help: str
    role: str
    runner: str  # "module:function"
    options: Callable[[argparse.ArgumentParser], None] = lambda p: None
    printer_dir: bool = False  # its --data-dir also keeps this PC's printer settings
    public: bool = False  # faces the citizens: locked down, and kept alive by --restart


def _counter_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--counter", type=int, help="ventanilla propuesta al ingresar")


def _display_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mute", action="store_true", help="sin sonido ni voz")


def _supervisor_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--central", metavar="URL",
                   help="servidor central, para ver las cifras de todas las oficinas")
    p.add_argument("--central-token", metavar="CREDENCIAL",
                   help="credencial de personal de la central (cac central staff add)")
    p.add_argument("--central-ca", metavar="ARCHIVO.pem", help="certificado de la central")


def _rating_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--counter", type=int, required=True, help="número de la ventanilla")


WINDOW_COMMANDS = (
    WindowCommand("kiosk", "quiosco táctil para sacar turnos", "kiosk",
                  "ui.kiosk.window:run_kiosk", printer_dir=True, public=True),
    WindowCommand("display", "pantalla de llamados de la sala de espera", "display",
                  "ui.display.window:run_display", _display_options, public=True),
    WindowCommand("counter", "ventanilla: turnos, expedientes, cobros y cierre de caja",
                  "counter", "ui.counter.window:run_counter", _counter_option,
                  printer_dir=True),
    WindowCommand("supervisor", "supervisión: en vivo, historial, expedientes, satisfacción, "
                  "sincronización e informes", "supervisor",
                  "ui.supervisor.window:run_supervisor", _supervisor_options),
    WindowCommand("admin", "administración: servicios, ventanillas, usuarios, dispositivos, "
                  "impresora y datos de la oficina", "admin", "ui.admin.window:run_admin"),
    # The rating screen faces the citizen beside a counter: it uses a counter's credential.
    WindowCommand("rating", "pantalla «Califique la atención» frente al ciudadano, junto a "
                  "una ventanilla", "counter", "ui.rating.window:run_rating",
                  _rating_options, public=True),
)


def _without(argv: list[str], option: str, takes_value: bool) -> list[str]:
    """The command line without `option` (and its value, `--pair X` or `--pair=X`)."""
    kept: list[str] = []
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == option:
            skip = takes_value
        elif not word.startswith(option + "="):
            kept.append(word)
    return kept


def _watch(args: argparse.Namespace, command: WindowCommand) -> int:
    """`--restart`: this process only watches; the window runs in a child started again
    when it dies. The credential is settled here first (a pairing code is redeemed once)."""
    from kiosk.service_install import this_program
    from ui.connect import remote_client
    from ui.watchdog import Watchdog

    _device_token(args, command.role)
    child = [*this_program(), *_without(_without(list(args.argv), "--restart", False),
                                        "--pair", True)]
    client = remote_client(args.hub, args.token, args.ca)
    return Watchdog(child, client.report_window_restart).watch()


def _run_window(args: argparse.Namespace) -> int:
    command: WindowCommand = args.window
    if getattr(args, "restart", False):
        return _watch(args, command)
    _window_program(args)
    module, function = command.runner.split(":")
    run = getattr(importlib.import_module(module), function)
    _device_token(args, command.role)
    return int(run(args))


def _cmd_app(args: argparse.Namespace) -> int:
    _require_qt()
    from ui.app import cmd_app

    return cmd_app(args)


def _cmd_screenshots(args: argparse.Namespace) -> int:
    """Every window of a throwaway sample office drawn offscreen to PNG files: shows that an
    installation has its Qt plugins, fonts, icons, translations and migrations."""
    _require_qt()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from ui.screenshots import save_all

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for path in save_all(out):
        print(path)
    return 0


def _cmd_start(args: argparse.Namespace) -> int:
    _require_qt()
    from ui.setup_wizard.launch import cmd_start

    return cmd_start(args)


def register(sub: Any) -> None:
    """Add the window commands to the `cac` parser."""
    for command in WINDOW_COMMANDS:
        p = sub.add_parser(command.name, help=command.help)
        _window_options(p, data_dir=not command.printer_dir)
        if command.printer_dir:
            p.add_argument("--data-dir", help="carpeta de este equipo (configuración de la "
                                              "impresora y credencial emparejada)")
        command.options(p)
        if command.public:
            p.add_argument("--restart", action="store_true",
                           help="volver a abrir la ventana si se cierra sola (y avisar a "
                                "la supervisión)")
        p.set_defaults(func=_run_window, window=command)

    p = sub.add_parser("start", help="abrir lo que esta PC es; la primera vez, «Configurar "
                                     "esta PC» (crear la oficina o unirse a una)")
    p.add_argument("--data-dir", help="carpeta de datos de esta PC")
    p.add_argument("--root", metavar="CARPETA",
                   help="escribir el arranque automático bajo esta carpeta, sin activarlo")
    p.set_defaults(func=_cmd_start)

    p = sub.add_parser("app", help="oficina en un solo equipo: hub y ventanas juntos")
    p.add_argument("--data-dir", help="carpeta de la oficina")
    p.add_argument("--windows", default="kiosk,display",
                   help="ventanas a abrir, separadas por comas (kiosk, display, counter, "
                        "supervisor, admin)")
    p.add_argument("--windowed", action="store_true", help="en ventana, no a pantalla completa")
    p.add_argument("--host", help="dirección donde servir el hub a la red local")
    p.add_argument("--port", type=int, help="puerto del hub en la red local")
    p.add_argument("--no-lan", action="store_true", help="no servir el hub a otros equipos")
    p.add_argument("--insecure-http", action="store_true",
                   help="servir la red local sin cifrar (desaconsejado: las ventanas de "
                        "administración y supervisión lo advierten)")
    p.set_defaults(func=_cmd_app)

    p = sub.add_parser("screenshots", help="dibujar cada ventana de una oficina de muestra en "
                                           "imágenes PNG (comprobar una instalación)")
    p.add_argument("--out", required=True, metavar="CARPETA", help="carpeta de las imágenes")
    p.set_defaults(func=_cmd_screenshots)
