"""The `cac` command (also `python -m kiosk`)."""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date, datetime, time, timedelta
from importlib.metadata import entry_points
from pathlib import Path
from types import FrameType
from typing import Any

from kiosk import __version__
from kiosk.clock import Clock, SystemClock, VirtualClock
from kiosk.config import DataDir
from kiosk.errors import CacError, ConfigError, InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.logs import configure_logging
from kiosk.private_files import private_umask, write_private
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.permissions import ROLE_NAMES, Role
from kiosk.services.users import DEMO_USERS
from kiosk.services.views import Metrics, StatsReport

COMMANDS_GROUP = "cac_kiosk.commands"
LAUNCHERS_GROUP = "cac_kiosk.launchers"

# Role, name and the counter a counter PC (or a rating screen) is bound to.
DEMO_DEVICES: list[tuple[str, str, int | None]] = [
    ("kiosk", "Quiosco de la entrada", None),
    ("display", "Pantalla de la sala", None),
    *[("counter", f"Ventanilla {n}", n) for n in range(1, 6)],
    ("counter", "Calificación de la ventanilla 1", 1),
    ("supervisor", "Supervisión", None),
    ("admin", "Administración", None),
]


def date_arg(value: str) -> date:
    """An argparse type: a date as AAAA-MM-DD, with a Spanish message otherwise."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"fecha no válida «{value}» (use AAAA-MM-DD)") from None


def moment_arg(value: str) -> datetime:
    """An argparse type: a date and time as AAAA-MM-DDTHH:MM (the office's time unless it
    says its offset)."""
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"fecha y hora no válidas «{value}» (use AAAA-MM-DDTHH:MM)") from None


def _hhmm(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"hora no válida «{value}» (use HH:MM)") from None


def _data_dir(args: argparse.Namespace) -> DataDir:
    return DataDir.from_option(args.data_dir)


def print_json(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


@contextmanager
def office_hub(data_dir: DataDir, clock: Clock | None = None) -> Iterator[OfficeHub]:
    """The office's hub for one command, closed however the command ends."""
    hub = OfficeHub(data_dir, clock)
    try:
        if hub.config_warning:  # a damaged config.toml: said on every command until fixed
            print(f"Atención: {hub.config_warning}", file=sys.stderr, flush=True)
        yield hub
    finally:
        hub.close()


# --- commands ------------------------------------------------------------------------------


def new_office(data_dir: DataDir, code: str, name: str, *, demo: bool = False,
               clock: Clock | None = None) -> OfficeHub:
    """A new office (`cac init`, «Configurar esta PC»): its hub, open, with the office CA and
    the hub's certificate for this PC's names and addresses."""
    from kiosk.lan import HubNames
    from kiosk.tls import HubCertificate

    hub = OfficeHub.initialise(data_dir, code, name, demo=demo, clock=clock)
    try:
        HubCertificate(data_dir.tls, hub.office_ca, HubNames.discover).ensure(hub.clock.now())
    except BaseException:
        hub.close()
        raise
    return hub


def cmd_init(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    hub = new_office(data_dir, args.office, args.name, demo=args.demo)
    try:
        ca = hub.office_ca
    finally:
        hub.close()
    data_dir.make_private()  # also what was made after the hub opened (keys, certificates)
    print(f"Oficina {hub.office.office_code} creada en {data_dir.root}")
    print(f"Certificado de la oficina (SHA-256): {ca.fingerprint}")
    return 0


def cmd_device_add(args: argparse.Namespace) -> int:
    with office_hub(_data_dir(args)) as hub:
        ca = hub.office_ca  # what the new PC verifies the hub with (`--ca`)
        if args.ca_out:  # before the device: a token is never made and then lost
            Path(args.ca_out).write_text(ca.pem, "ascii")
        device, token = hub.add_device(SYSTEM, args.name, args.role, args.counter)
    if args.json:
        print_json({"id": device.id, "name": device.name, "role": device.role,
                     "token": token, "ca_certificate": ca.pem,
                     "ca_fingerprint": ca.fingerprint})
        return 0
    print(f"Dispositivo «{device.name}» ({device.role}) registrado.")
    print(f"Credencial (guárdela, no se vuelve a mostrar): {token}")
    print(f"Certificado del hub (SHA-256): {ca.fingerprint}")
    if args.ca_out:
        print(f"Certificado guardado en {args.ca_out}: llévelo al equipo nuevo y ábralo con "
              f"--ca {Path(args.ca_out).name}.")
    else:
        print("Guárdelo en el equipo nuevo como hub-ca.pem y ábralo con --ca hub-ca.pem "
              "(o use --ca-out ARCHIVO):")
        print(ca.pem, end="")
    return 0


def cmd_device_pair(args: argparse.Namespace) -> int:
    """A one-time code for a new PC (`--pair CODE` on it), as the admin window makes."""
    from kiosk.services.admin_views import PairingInput

    with office_hub(_data_dir(args)) as hub:
        made = hub.create_pairing(SYSTEM, PairingInput(name=args.name, role=args.role,
                                                       counter=args.counter))
        expires = made.expires_at.astimezone(hub.office.tz).strftime("%H:%M")
    if args.json:
        print_json(made.model_dump(mode="json"))
    else:
        print(f"Código para «{made.name}» ({made.role}): {made.code}")
        print(f"Vale una sola vez, hasta las {expires}. Sus 4 últimos caracteres comprueban "
              f"el certificado del hub (SHA-256 {made.ca_fingerprint}).")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    secret = None
    if args.pin_stdin:
        secret = sys.stdin.readline().strip()
    with office_hub(_data_dir(args)) as hub:
        user, secret = hub.add_user(SYSTEM, args.username, args.name, args.role, secret)
    if args.json:
        print_json({**user.model_dump(mode="json"), "pin": None if args.pin_stdin else secret})
    else:
        print(f"Usuario «{user.username}» ({user.full_name}, {user.role}) registrado.")
        if not args.pin_stdin:
            print(f"PIN inicial (entréguelo en persona; debe cambiarse): {secret}")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    with office_hub(_data_dir(args)) as hub:
        found = hub.users(SYSTEM)
    if args.json:
        print_json([u.model_dump(mode="json") for u in found])
    else:
        for user in found:
            print(f"{user.username:<20} {user.role:<11} {user.full_name}")
    return 0


def cmd_catalogue_import(args: argparse.Namespace) -> int:
    with office_hub(_data_dir(args)) as hub:
        result = hub.import_catalogue(SYSTEM, Path(args.file))
    if args.json:
        print(result.model_dump_json(indent=2))
    elif not result.changed:
        print(f"Catálogo {Path(args.file).name}: sin cambios "
              f"({result.procedures_unchanged} trámites ya estaban al día).")
    else:
        print(f"Catálogo {Path(args.file).name} importado: "
              f"{result.procedures_added} trámites nuevos, "
              f"{result.versions_added} versiones nuevas, "
              f"{result.procedures_updated} trámites actualizados, "
              f"{result.procedures_unchanged} sin cambios; "
              f"{result.uit_set} valores de UIT y "
              f"{result.non_working_days_set} días no laborables registrados.")
    return 0


def _moved_text(moved: list[str]) -> str:
    return (f" Plazos recalculados: {', '.join(moved)}." if moved
            else " Ningún plazo en curso cambió.")


def cmd_calendar_list(args: argparse.Namespace) -> int:
    with office_hub(_data_dir(args)) as hub:
        days = hub.non_working_days(SYSTEM, args.year)
    if args.json:
        print_json([d.model_dump(mode="json") for d in days])
        return 0
    if not days:
        print("No hay días no laborables adicionales registrados.")
    for d in days:
        where = f"{d.scope_text} {d.place}".strip()
        counts = "cuenta en esta oficina" if d.counts else "no cuenta aquí"
        print(f"{d.day:%d/%m/%Y}  {d.name}  ({where}; {counts})")
    return 0


def cmd_calendar_add(args: argparse.Namespace) -> int:
    from kiosk.services.calendar_views import OfficeDayInput

    with office_hub(_data_dir(args)) as hub:
        changed = hub.add_office_day(SYSTEM, OfficeDayInput(day=args.date, name=args.name))
    print(f"Día no laborable de la oficina {args.date:%d/%m/%Y} ({args.name}) registrado."
          + _moved_text(changed.moved))
    return 0


def cmd_calendar_correct(args: argparse.Namespace) -> int:
    from kiosk.services.calendar_views import OfficeDayChange

    change = OfficeDayChange.model_validate(
        {k: v for k, v in (("day", args.new_date), ("name", args.name)) if v is not None})
    with office_hub(_data_dir(args)) as hub:
        changed = hub.correct_office_day(SYSTEM, args.date, change)
    assert changed.entry is not None
    print(f"Día no laborable corregido: {changed.entry.day:%d/%m/%Y} ({changed.entry.name})."
          + _moved_text(changed.moved))
    return 0


def cmd_calendar_remove(args: argparse.Namespace) -> int:
    with office_hub(_data_dir(args)) as hub:
        changed = hub.remove_office_day(SYSTEM, args.date)
    print(f"Día no laborable de la oficina {args.date:%d/%m/%Y} retirado."
          + _moved_text(changed.moved))
    return 0


# --- citizens, civil registry and search ---


def cmd_actas_import(args: argparse.Namespace) -> int:
    with office_hub(_data_dir(args)) as hub:
        result = hub.import_actas(SYSTEM, Path(args.file))
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(f"Actas de {result.file_name}: {result.added} nuevas, {result.unchanged} ya "
              f"estaban registradas ({result.rows} filas leídas).")
    return 0


INSECURE_HTTP = ("Atención: el hub atiende sin cifrar (--insecure-http): credenciales, "
                 "sesiones y PIN viajan en claro por la red de la oficina.")


def say_lan(hub: OfficeHub, url: str) -> None:
    """What the hub's start says about its address and how it is protected (Spanish)."""
    if url.startswith("https://") and not hub.config.tls_cert_file:
        print(f"Certificado de la oficina (SHA-256): {hub.office_ca.fingerprint}", flush=True)
    if hub.lan_insecure:
        print(INSECURE_HTTP, flush=True)


def run_server(server: Any) -> None:
    """Run a uvicorn server until Ctrl+C or SIGTERM. uvicorn stops gracefully on either and
    then raises the signal again for whoever called it: here that is how a server is meant
    to end, so it returns and the caller's clean-up (services, the store) runs."""
    with suppress(KeyboardInterrupt):  # also Terminated (SIGTERM)
        server.run()


def serve(hub: OfficeHub, host: str, port: int, insecure_http: bool = False) -> None:
    from kiosk.api.app import hub_server
    from kiosk.heap import settle_heap
    from kiosk.plugins import start_hub_services, stop_hub_services
    from kiosk.storage.lock import HubLock

    with HubLock(hub.data_dir.root).acquire("no se puede iniciar otro"):
        services = start_hub_services(hub)  # sync with central, scheduled backups
        try:
            server = hub_server(hub, host=host, port=port, insecure_http=insecure_http)
            print(f"Hub de {hub.config.office_name} escuchando en {server.lan_url}  "
                  "(Ctrl+C para detener)", flush=True)
            say_lan(hub, server.lan_url)
            settle_heap()
            run_server(server)
        finally:
            stop_hub_services(services)


def cmd_hub(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    configure_logging(data_dir.logs, args.verbose)
    with office_hub(data_dir) as hub:
        serve(hub, args.host or hub.config.hub_host, args.port or hub.config.hub_port,
              args.insecure_http)
    return 0


def _run_simulation(data_dir: DataDir, day: date, tickets: int, counters: int | None,
                    seed: int, until: time | None, citas: int = 0) -> dict[str, Any]:
    from kiosk.simulate import OPENING, simulate_day

    tz = data_dir.load_config().tz
    clock = VirtualClock(datetime.combine(day, OPENING, tzinfo=tz) - timedelta(minutes=1))
    with office_hub(data_dir, clock) as hub:
        summary = simulate_day(hub, clock, day, tickets, counters, seed, until, citas)
    return summary.__dict__


def cmd_simulate(args: argparse.Namespace) -> int:
    result = _run_simulation(_data_dir(args), args.date, args.tickets, args.counters, args.seed,
                             args.until, args.citas)
    if args.json:
        print_json(result)
    else:
        print(f"Día simulado {result['date']}: {result['issued']} turnos emitidos, "
              f"{result['finished']} atendidos, {result['no_shows']} no presentados, "
              f"{result['transfers']} derivaciones, {result['expired']} vencidos al cierre.")
        if result["citas_booked"]:
            print(f"Citas: {result['citas_booked']} reservadas, {result['citas_on_time']} "
                  f"llegaron a tiempo, {result['citas_late']} tarde (cola normal), "
                  f"{result['citas_no_show']} no asistieron.")
    return 0


def _minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f} min"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def _metrics_line(label: str, m: Metrics) -> str:
    return (f"{label:<14} {m.issued:>7} {m.served:>8} {m.no_show:>6} {m.expired:>7} "
            f"{_minutes(m.wait_p50_s):>10} {_minutes(m.wait_p90_s):>10} "
            f"{_minutes(m.service_p50_s):>10} {_pct(m.sla_pct):>8}")


def print_stats(report: StatsReport) -> None:
    print(f"Estadísticas de {report.office} del {report.date_from} al {report.date_to} "
          f"(hora local {report.timezone})")
    print(f"{'':<14} {'emitidos':>7} {'atendidos':>8} {'no vino':>6} {'vencidos':>7} "
          f"{'espera p50':>10} {'espera p90':>10} {'atención':>10} {'en meta':>8}")
    print(_metrics_line("Total", report))
    for title, groups, fmt in (
        ("Por servicio", report.by_service, "{}"),
        ("Por ventanilla", report.by_counter, "Ventanilla {}"),
        ("Por hora", report.by_hour, "{}:00"),
    ):
        if groups:
            print(f"\n{title}")
            for key, metrics in groups.items():
                print(_metrics_line(fmt.format(key), metrics))
    print(f"\nEspera p50 de turnos preferenciales: {_minutes(report.pref_wait_p50_s)}")


def cmd_stats(args: argparse.Namespace) -> int:
    with office_hub(_data_dir(args)) as hub:
        report = hub.stats(SYSTEM, args.date_from, args.date_to)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print_stats(report)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with office_hub(_data_dir(args)) as hub:
        csv = hub.export_tickets(SYSTEM, args.date_from, args.date_to)
    if args.output:
        Path(args.output).write_text(csv, encoding="utf-8")
    else:
        sys.stdout.write(csv)
    return 0


def cmd_reclamos_export(args: argparse.Namespace) -> int:
    """The year's reclamos of the Libro de Reclamaciones in the hoja's columns (CSV)."""
    with office_hub(_data_dir(args)) as hub:
        csv = hub.export_reclamos(SYSTEM, args.year)
    if args.output:
        Path(args.output).write_text(csv, encoding="utf-8")
        from kiosk.services.reclamos import exported_count

        print(f"{exported_count(csv)} reclamos guardados en {args.output}")
    else:
        sys.stdout.write(csv)
    return 0


def cmd_close_day(args: argparse.Namespace) -> int:
    with office_hub(_data_dir(args)) as hub:
        closed = hub.close_day(SYSTEM)
    print(f"Día {closed.business_date} cerrado: {closed.expired} turnos vencidos, "
          f"{closed.counters_closed} ventanillas cerradas.")
    return 0


# A busy CAC's whole day, and its arrivals over a day of which those until now have come.
DEMO_DAY_TICKETS = 600
DEMO_TODAY_TICKETS = 260
DEMO_LATEST = time(17, 0)  # today's simulation stops here at the latest, the queue still open
WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


def demo_days(now: datetime, calendar: WorkingCalendar) -> list[tuple[date, int, time | None]]:
    """What `cac demo` simulates at `now` (office time): the last working day before today,
    whole and closed (the supervisor's history), and today's morning up to now when today is
    a working day and the office has opened (the day's queue so far, left open). Days,
    ticket counts and the time to stop at (None: the whole day, closed)."""
    from kiosk.simulate import OPENING

    today = now.date()
    before = today - timedelta(days=1)
    while not calendar.is_working_day(before):
        before -= timedelta(days=1)
    days: list[tuple[date, int, time | None]] = [(before, DEMO_DAY_TICKETS, None)]
    if calendar.is_working_day(today) and now.time() > OPENING:
        until = min(now.time().replace(second=0, microsecond=0), DEMO_LATEST)
        days.append((today, DEMO_TODAY_TICKETS, until))
    return days


def _day_text(day: date, today: date, until: time | None) -> str:
    if day == today:
        return f"la mañana de hoy hasta las {until:%H:%M}" if until else "el día de hoy"
    return f"el {WEEKDAYS[day.weekday()]} {day:%d/%m/%Y} completo"


def _demo_morning(data_dir: DataDir, now: datetime) -> None:
    """The office's recent past as the demo shows it (see demo_days), on the office's own
    working calendar; `now` is the demo's clock (`--at`, else the wall clock)."""
    with office_hub(data_dir) as hub:
        calendar = hub.working_calendar()
    days = demo_days(now, calendar)
    print("Simulando " + " y ".join(_day_text(day, now.date(), until) for day, _, until in days)
          + " …", flush=True)
    for day, tickets, until in days:
        _run_simulation(data_dir, day, tickets, None, 7, until)


def cac_command() -> str:
    """How a person runs `cac` again from this terminal: `cac` when that is this very program
    on the PATH (an activated venv, an installation), else its path as typed from here
    (`.venv/bin/cac` in a checkout, where `make demo` runs it)."""
    program = Path(sys.argv[0])
    if program.stem != "cac":  # python -m kiosk, or main() called from Python
        return f"{_as_typed(Path(sys.executable))} -m kiosk"
    found = shutil.which("cac")
    if found is not None and Path(found).resolve() == program.resolve():
        return "cac"
    return _as_typed(program)


def _as_typed(path: Path) -> str:
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path.absolute())


def demo_next_steps(tokens_file: Path, port: int, windows: bool) -> str:
    """What a newcomer does once `cac demo` runs (Spanish): which windows are open, the
    commands for the others, the demo users, how to stop."""
    url = f"http://127.0.0.1:{port}"
    try:
        devices = json.loads(tokens_file.read_text("utf-8"))
    except (OSError, ValueError):
        devices = {}
    users = {role: f"{username} / {pin}" for username, _, role, pin in reversed(DEMO_USERS)}
    clerks = [f"{username} / {pin}" for username, _, role, pin in DEMO_USERS
              if role == "counter"]
    cac = cac_command()

    def command(device: str, window: str, who: str, extra: str = "") -> list[str]:
        token = devices.get(device, {}).get("token") if isinstance(devices, dict) else None
        if not token:
            return []
        return [f"       {who}:",
                f"         {cac} {window} --hub {url} --token={token}{extra} --windowed"]

    lines = []
    if windows:
        lines += [f"Listo: el quiosco, la pantalla de la sala y una ventanilla están abiertos; "
                  f"el hub atiende en {url}.",
                  "Qué hacer ahora:",
                  "  1. En el quiosco, toque un servicio: sale un turno.",
                  f"  2. En la ventanilla, ingrese con {users['counter']} y llame al siguiente "
                  "turno (F2): la pantalla de la sala lo anuncia.",
                  "  3. Más ventanas, cada una desde otra terminal en esta carpeta:"]
        lines += command("Supervisión", "supervisor", f"Supervisión ({users['supervisor']})")
        lines += command("Administración", "admin", f"Administración ({users['admin']})")
        lines += command("Ventanilla 2", "counter", f"Otra ventanilla ({clerks[-1]})",
                         " --counter 2")
    else:
        lines += [f"Listo: el hub atiende en {url} (sin ventanas).",
                  "Qué hacer ahora: abra las ventanas, cada una desde otra terminal en esta "
                  "carpeta:"]
        lines += command("Quiosco de la entrada", "kiosk", "Quiosco")
        lines += command("Pantalla de la sala", "display", "Pantalla de la sala")
        lines += command("Ventanilla 1", "counter", f"Ventanilla 1 ({users['counter']})",
                         " --counter 1")
        lines += command("Supervisión", "supervisor", f"Supervisión ({users['supervisor']})")
        lines += command("Administración", "admin", f"Administración ({users['admin']})")
    lines += ["Usuarios de demostración (usuario / PIN): " + ", ".join(
                  f"{username} / {pin} ({ROLE_NAMES[Role(role)]})"
                  for username, _, role, pin in DEMO_USERS) + ".",
              f"Credenciales de los dispositivos: {_as_typed(tokens_file)} · API: {url}/docs",
              "Para detener todo: Ctrl+C."]
    return "\n".join(lines)


def _demo_now(data_dir: DataDir, at: datetime | None) -> datetime:
    tz = data_dir.load_config().tz
    if at is None:
        return SystemClock().now().astimezone(tz)
    return at.replace(tzinfo=tz) if at.tzinfo is None else at.astimezone(tz)


def cmd_demo(args: argparse.Namespace) -> int:
    root = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="cac-demo-"))
    data_dir = DataDir(root)
    tokens_file = root / "demo-credenciales.json"
    if not data_dir.exists():
        print(f"Creando la oficina de demostración en {root} …", flush=True)
        hub = OfficeHub.initialise(data_dir, "CAJ", "CAC Cajamarca (demostración)", demo=True)
        tokens = {}
        for role, name, counter in DEMO_DEVICES:
            _, token = hub.add_device(SYSTEM, name, role, counter)
            tokens[name] = {"role": role, "token": token,
                            **({"counter": counter} if counter else {})}
        hub.close()
        # Demo credentials are written in clear on purpose, so a trainer can try every role;
        # like everything in the office folder, only this user reads them.
        write_private(tokens_file, json.dumps(tokens, ensure_ascii=False, indent=2).encode())
        _demo_morning(data_dir, _demo_now(data_dir, args.at))
    if args.no_serve:
        print(f"Oficina de demostración lista en {root}. Credenciales de demostración: "
              f"{tokens_file}")
        return 0
    launcher = _launcher("app")
    if launcher is not None and not args.hub_only:
        print("Abriendo las ventanas …", flush=True)
        try:
            return int(launcher(data_dir, args.port, lambda: print(
                demo_next_steps(tokens_file, args.port, windows=True), flush=True)))
        except ConfigError as exc:
            if exc.code != "no_screen":
                raise
            print(f"{exc.message} Se inicia solo el hub.", flush=True)
    configure_logging(data_dir.logs)
    print(demo_next_steps(tokens_file, args.port, windows=False), flush=True)
    with office_hub(data_dir) as hub:
        serve(hub, "127.0.0.1", args.port)
    return 0


# --- parser --------------------------------------------------------------------------------


# argparse's own texts (its gettext message ids), in Spanish; one it adds later stays English.
ARGPARSE_SPANISH = {
    "usage: ": "uso: ",
    "options": "opciones",
    "positional arguments": "argumentos",
    "show this help message and exit": "mostrar esta ayuda y salir",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "faltan argumentos obligatorios: %s",
    "one of the arguments %s is required": "falta uno de estos argumentos: %s",
    "unrecognized arguments: %s": "argumentos desconocidos: %s",
    "expected one argument": "falta su valor",
    "expected at most one argument": "admite un valor como máximo",
    "expected at least one argument": "necesita al menos un valor",
    "expected %s argument": "necesita %s valor",
    "expected %s arguments": "necesita %s valores",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "valor no válido %(value)r (elija entre %(choices)s)",
    "invalid %(type)s value: %(value)r": "valor no válido: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s":
        "opción ambigua: %(option)s puede ser %(matches)s",
    "not allowed with argument %s": "no se puede usar junto con %s",
    "ignored explicit argument %r": "no admite valor (%r)",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "orden desconocida %(parser_name)r (use una de: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "no se puede abrir «%(filename)s»: %(error)s",
    "unexpected option string: %s": "opción inesperada: %s",
}


@contextmanager
def _argparse_in_spanish() -> Iterator[None]:
    """argparse says its own texts through the module's `_` and `ngettext` (gettext): while
    one of our parsers builds, formats or parses, they answer from ARGPARSE_SPANISH."""
    module = vars(argparse)
    saved = module["_"], module["ngettext"]
    module["_"] = lambda message: ARGPARSE_SPANISH.get(message, message)
    module["ngettext"] = lambda singular, plural, n: ARGPARSE_SPANISH.get(
        singular if n == 1 else plural, singular if n == 1 else plural)
    try:
        yield
    finally:
        module["_"], module["ngettext"] = saved


class SpanishParser(argparse.ArgumentParser):
    """An ArgumentParser whose own words (usage, titles, -h, errors) are Spanish too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _argparse_in_spanish():
            super().__init__(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with _argparse_in_spanish():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with _argparse_in_spanish():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with _argparse_in_spanish():
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in_spanish():
            return super().format_help()

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(2, f"Error en los argumentos: {message}\n")


# Options whose value is a credential. Tokens made before 2026-12 begin with "-" one time in
# 64, which argparse takes for an option: `--token -abc` is joined into `--token=-abc`.
SECRET_OPTIONS = ("--token", "--credential", "--central-token")


def join_secret_values(argv: Sequence[str], options: set[str]) -> list[str]:
    """`--token -abc…` → `--token=-abc…`, unless what follows is one of the parser's own
    `options` (then the value is missing, and argparse says so)."""
    joined: list[str] = []
    index = 0
    while index < len(argv):
        item = argv[index]
        following = argv[index + 1] if index + 1 < len(argv) else None
        if (item in SECRET_OPTIONS and following is not None and following.startswith("-")
                and following != "--" and following.split("=")[0] not in options):
            joined.append(f"{item}={following}")
            index += 2
        else:
            joined.append(item)
            index += 1
    return joined


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    """Every option string of the parser and its subcommands."""
    found: set[str] = set()
    for action in parser._actions:
        found.update(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _option_strings(sub)
    return found


# What `cac` alone does when the window layer is installed: this PC's window, or on a PC with
# no office «Configurar esta PC» (ui/setup_wizard/launch.py).
START_COMMAND = "start"


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    return {name for action in parser._actions
            if isinstance(action, argparse._SubParsersAction) for name in action.choices}


def build_parser() -> argparse.ArgumentParser:
    parser = SpanishParser(prog="cac", description="CAC Kiosk: oficina de atención al ciudadano")
    parser.add_argument("--version", action="version", version=f"cac {__version__}",
                        help="mostrar la versión y salir")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=SpanishParser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--data-dir", help="carpeta de datos de la oficina")
        return p

    p = command("init", "crear la oficina")
    p.add_argument("--office", required=True, help="código de la oficina (p. ej. CAJ)")
    p.add_argument("--name", required=True, help="nombre de la oficina")
    p.add_argument("--demo", action="store_true", help="cargar el catálogo de demostración")
    p.set_defaults(func=cmd_init)

    device = sub.add_parser("device", help="dispositivos de la oficina")
    device_sub = device.add_subparsers(dest="device_command", required=True,
                                       parser_class=SpanishParser)
    p = device_sub.add_parser("add", help="registrar un dispositivo y obtener su credencial")
    p.add_argument("--data-dir")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--name", required=True)
    p.add_argument("--counter", type=int, help="ventanilla a la que queda asignado (counter)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--ca-out", metavar="ARCHIVO.pem",
                   help="guardar aquí el certificado del hub que el equipo nuevo usa con --ca")
    p.set_defaults(func=cmd_device_add)
    p = device_sub.add_parser("pair", help="código de un solo uso para emparejar un equipo nuevo")
    p.add_argument("--data-dir")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--name", required=True)
    p.add_argument("--counter", type=int, help="ventanilla a la que queda asignado (counter)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_device_pair)

    user = sub.add_parser("user", help="usuarios (personal de ventanilla y supervisión)")
    user_sub = user.add_subparsers(dest="user_command", required=True,
                                   parser_class=SpanishParser)
    p = user_sub.add_parser("add", help="registrar un usuario; muestra su PIN inicial")
    p.add_argument("--data-dir")
    p.add_argument("--username", required=True, help="usuario, p. ej. ana.torres")
    p.add_argument("--name", required=True, help="nombre completo")
    p.add_argument("--role", default="counter", choices=["counter", "supervisor", "admin"])
    p.add_argument("--pin-stdin", action="store_true",
                   help="leer el PIN o la contraseña de la entrada estándar")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_user_add)
    p = user_sub.add_parser("list", help="listar los usuarios")
    p.add_argument("--data-dir")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_user_list)

    catalogue = sub.add_parser("catalogue", help="catálogo TUPA de la oficina")
    catalogue_sub = catalogue.add_subparsers(dest="catalogue_command", required=True,
                                             parser_class=SpanishParser)
    p = catalogue_sub.add_parser(
        "import", help="importar trámites, UIT y días no laborables desde un archivo TOML")
    p.add_argument("--data-dir", help="carpeta de datos de la oficina")
    p.add_argument("file", metavar="ARCHIVO.toml")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_catalogue_import)

    calendar = sub.add_parser("calendar", help="días no laborables de la oficina")
    calendar_sub = calendar.add_subparsers(dest="calendar_command", required=True,
                                           parser_class=SpanishParser)
    p = calendar_sub.add_parser("list", help="días no laborables registrados y si cuentan aquí")
    p.add_argument("--data-dir", help="carpeta de datos de la oficina")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calendar_list)
    p = calendar_sub.add_parser("add", help="agregar un día no laborable solo de esta oficina")
    p.add_argument("--data-dir", help="carpeta de datos de la oficina")
    p.add_argument("--date", type=date_arg, required=True)
    p.add_argument("--name", required=True)
    p.set_defaults(func=cmd_calendar_add)
    p = calendar_sub.add_parser("correct", help="corregir la fecha o el nombre de un día propio")
    p.add_argument("--data-dir", help="carpeta de datos de la oficina")
    p.add_argument("--date", type=date_arg, required=True, help="la fecha registrada")
    p.add_argument("--new-date", type=date_arg, help="la fecha correcta")
    p.add_argument("--name", help="el nombre correcto")
    p.set_defaults(func=cmd_calendar_correct)
    p = calendar_sub.add_parser("remove", help="retirar un día propio agregado por error")
    p.add_argument("--data-dir", help="carpeta de datos de la oficina")
    p.add_argument("--date", type=date_arg, required=True)
    p.set_defaults(func=cmd_calendar_remove)

    # --- citizens, civil registry and search ---
    actas = sub.add_parser("actas", help="registro civil de la oficina (índice de actas)")
    actas_sub = actas.add_subparsers(dest="actas_command", required=True,
                                     parser_class=SpanishParser)
    p = actas_sub.add_parser(
        "import", help="importar actas de nacimiento, matrimonio y defunción desde un CSV")
    p.add_argument("--data-dir", help="carpeta de datos de la oficina")
    p.add_argument("file", metavar="ARCHIVO.csv")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_actas_import)

    reclamos = sub.add_parser("reclamos", help="Libro de Reclamaciones de la oficina")
    reclamos_sub = reclamos.add_subparsers(dest="reclamos_command", required=True,
                                           parser_class=SpanishParser)
    p = reclamos_sub.add_parser(
        "export", help="exportar los reclamos de un año a CSV (columnas de la hoja)")
    p.add_argument("--data-dir", help="carpeta de datos de la oficina")
    p.add_argument("--year", type=int, help="el año (por omisión, el actual)")
    p.add_argument("--output", metavar="ARCHIVO.csv")
    p.set_defaults(func=cmd_reclamos_export)

    p = command("hub", "iniciar el hub de la oficina")
    p.add_argument("--host", help="dirección donde escuchar (fuera de 127.0.0.1: HTTPS con el "
                                  "certificado de la oficina)")
    p.add_argument("--port", type=int)
    p.add_argument("--insecure-http", action="store_true",
                   help="servir la red local sin cifrar (desaconsejado: las ventanas de "
                        "administración y supervisión lo advierten)")
    p.add_argument("--verbose", action="store_true")
    p.set_defaults(func=cmd_hub)

    p = command("simulate", "simular un día de atención con el motor real")
    p.add_argument("--date", required=True, type=date_arg)
    p.add_argument("--tickets", required=True, type=int)
    p.add_argument("--counters", type=int)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--until", type=_hhmm, help="detener a esta hora sin cerrar el día")
    p.add_argument("--citas", type=int, default=0,
                   help="citas reservadas antes del día (algunas llegan tarde o no llegan)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_simulate)

    for name, help_text, func in (("stats", "estadísticas de un periodo", cmd_stats),
                                  ("export", "exportar turnos a CSV", cmd_export)):
        p = command(name, help_text)
        p.add_argument("--from", dest="date_from", required=True, type=date_arg)
        p.add_argument("--to", dest="date_to", required=True, type=date_arg)
        if name == "stats":
            p.add_argument("--json", action="store_true")
        else:
            p.add_argument("--output")
        p.set_defaults(func=func)

    p = command("close-day", "cerrar el día: vencer los turnos pendientes")
    p.set_defaults(func=cmd_close_day)

    from kiosk import maintenance_cli, service_install

    maintenance_cli.register(command, sub)
    service_install.register(sub)
    from kiosk.signing import cli as signing_cli

    signing_cli.register(command, sub)

    p = command("demo", "crear y abrir la oficina de demostración")
    p.add_argument("--port", type=int, default=8470)
    p.add_argument("--no-serve", action="store_true", help="preparar sin iniciar el hub")
    p.add_argument("--hub-only", action="store_true", help="solo el hub, sin ventanas")
    p.add_argument("--at", type=moment_arg, metavar="AAAA-MM-DDTHH:MM",
                   help="preparar la oficina nueva como si fuera este momento (hora de la "
                        "oficina; por defecto, ahora): se simula el último día hábil anterior "
                        "y, en un día hábil, la mañana hasta esa hora")
    p.set_defaults(func=cmd_demo)
    _register_plugin_commands(sub)
    return parser


def _launcher(name: str) -> Any:
    """The all-in-one start of the window layer, when it is installed (see `_register_...`)."""
    found = [e for e in entry_points(group=LAUNCHERS_GROUP) if e.name == name]
    if not found:
        return None
    try:
        return found[0].load()
    except ImportError:  # the ui extra is not installed: the hub alone still works
        return None


def _register_plugin_commands(sub: Any) -> None:
    """Commands of the upper layers (printing, windows) register themselves here.

    The core must not import them (ARCHITECTURE §3), so they are found through the package's
    entry points: each is a function `register(subparsers)` that adds its parsers and imports
    its heavy modules only when its command runs.
    """
    for entry in sorted(entry_points(group=COMMANDS_GROUP), key=lambda e: e.name):
        entry.load()(sub)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, as Ctrl+C raises KeyboardInterrupt: the program
    ends the same way, its clean-up (`finally`) included, instead of dying on the spot."""


def _terminated(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def _sigterm_as_exception() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Exit codes: 0 done; 2 refused (a Spanish message says why); 130 (Ctrl+C) or 143
    (SIGTERM) when a command was interrupted before it finished. A program that runs until
    stopped (`cac hub`, `app`, `demo`, `central`, the windows) ends with 0 on Ctrl+C or
    SIGTERM: that is its normal end, after its clean-up."""
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments and START_COMMAND in _commands(parser):
        arguments = [START_COMMAND]  # the program opened by itself (issue 19)
    args = parser.parse_args(join_secret_values(arguments, _option_strings(parser)))
    args.argv = arguments  # as typed: a watchdog starts the same command again (ui/watchdog.py)
    try:
        with _sigterm_as_exception(), private_umask():  # this user's alone (issue 14)
            return int(args.func(args))
    except CacError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        return 2
    except Terminated:
        print("Interrumpido (SIGTERM).", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("Interrumpido.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0  # output piped into `head` and the like
    except OSError as exc:
        print(f"Error del sistema de archivos: {exc.strerror or exc} "
              f"({getattr(exc, 'filename', '') or ''})", file=sys.stderr)
        return 2


__all__ = ["InvalidInput", "build_parser", "main"]
