"""`cac sync ...` (the hub's side) and `cac central ...` (the central server), registered through
the `cac_kiosk.commands` entry point. Heavy modules are imported when a command runs."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.cli import date_arg, run_server

DATABASE_ENV = "CAC_CENTRAL_DATABASE_URL"
READ_DATABASE_ENV = "CAC_CENTRAL_READ_DATABASE_URL"
TRUSTED_PROXIES_ENV = "CAC_CENTRAL_TRUSTED_PROXIES"
PUBLIC_URL_ENV = "CAC_CENTRAL_PUBLIC_URL"


def _print_json(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


# --- the hub's side ----------------------------------------------------------------------------


def _open_hub(args: argparse.Namespace) -> Any:
    from kiosk.config import DataDir
    from kiosk.hub import OfficeHub

    return OfficeHub(DataDir.from_option(args.data_dir))


SETUP_HINT = "Use «cac sync setup --central URL --credential C» o --credential."


def _missing_credential(hub: Any) -> str | None:
    """What to say when a central is set but its credential is not stored (after a restore,
    on a new PC: backups never carry it)."""
    from kiosk.services.admin_views import MISSING_CREDENTIAL

    if hub.config.central_url and not hub.config.central_credential:
        return f"{MISSING_CREDENTIAL} {SETUP_HINT}"
    return None


def _credential(args: argparse.Namespace, hub: Any) -> str:
    from kiosk.errors import ConfigError

    credential = getattr(args, "credential", None) or hub.config.central_credential
    if not credential:
        raise ConfigError("no_central", _missing_credential(hub) or
                          f"Esta oficina no tiene credencial de la central. {SETUP_HINT}")
    return str(credential)


def cmd_sync(args: argparse.Namespace) -> int:
    """`cac sync --status` or `cac sync --once`."""
    from kiosk.errors import ConfigError
    from kiosk.hub import SYSTEM
    from sync.hub_sync import HubSync, client_for

    hub = _open_hub(args)
    try:
        if args.once:
            client = client_for(hub, args.central, args.credential)
            if client is None:
                missing = None if args.credential else _missing_credential(hub)
                raise ConfigError("no_central", missing or
                                  "Esta oficina no tiene servidor central configurado: use "
                                  "«cac sync setup» o --central y --credential.")
            try:
                report = HubSync(hub, client).run_round()
            finally:
                client.close()
            if args.json:
                _print_json(report.__dict__)
            elif report.ok:
                print(f"Sincronizado: {report.pushed} cambios enviados, {report.pulled} "
                      f"recibidos" + (f", {report.rejected} rechazados" if report.rejected
                                      else "") + ".")
                for message in report.messages:
                    print(f"  {message}")
            else:
                print(f"La sincronización falló: {report.error}", file=sys.stderr)
            return 0 if report.ok else 1
        status = hub.sync_status(SYSTEM)
        missing = _missing_credential(hub)
        if args.json:
            print(status.model_dump_json(indent=2))
        else:
            if missing:
                print(f"Atención: {missing}")
            print(status.summary)
            for warning in status.warnings:
                print(f"  ! {warning}")
            if status.last_error:
                print(f"  Último error: {status.last_error}")
        return 0
    finally:
        hub.close()


def cmd_sync_setup(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from kiosk.config import DataDir
    from sync.client import CentralClient

    data_dir = DataDir.from_option(args.data_dir)
    config = data_dir.load_config()
    client = CentralClient(args.central, args.credential, timeout_s=10)
    try:
        client.health()
        print(f"La central responde en {args.central}.")
    except Exception as exc:  # saved anyway: the link may be down today
        print(f"Aviso: la central no responde ahora ({getattr(exc, 'message', exc)}); se "
              "guarda la configuración y se reintentará.", file=sys.stderr)
    finally:
        client.close()
    # The credential goes to the private secrets.toml, never config.toml (nor any backup).
    data_dir.save_central_credential(args.credential)
    data_dir.save_config(replace(config, central_url=args.central.rstrip("/")))
    print(f"Oficina {config.office_code} conectada a {args.central}.")
    return 0


def cmd_sync_export(args: argparse.Namespace) -> int:
    from sync.bundle import export_office_bundle

    hub = _open_hub(args)
    try:
        result = export_office_bundle(hub, Path(args.to), _credential(args, hub))
    finally:
        hub.close()
    print(f"Paquete {args.to}: {result['entries']} cambios, {result['bytes']} bytes. Llévelo "
          "a la central («cac central import») y traiga su respuesta.")
    return 0


def cmd_sync_import(args: argparse.Namespace) -> int:
    from sync.bundle import import_central_reply

    hub = _open_hub(args)
    try:
        result = import_central_reply(hub, Path(args.file), _credential(args, hub))
    finally:
        hub.close()
    print(f"Respuesta de la central: {result['acknowledged']} cambios confirmados, "
          f"{result['rejected']} rechazados, {result['changes']} novedades aplicadas.")
    return 0


def cmd_sync_attention(args: argparse.Namespace) -> int:
    from kiosk.hub import SYSTEM
    from sync import outbox

    hub = _open_hub(args)
    try:
        if args.retry:
            count = outbox.retry_rejected(hub.store)
            print(f"{count} cambios rechazados vuelven a la cola de envío.")
            return 0
        items = hub.sync_attention(SYSTEM)
    finally:
        hub.close()
    if args.json:
        _print_json([i.model_dump() for i in items])
        return 0
    if not items:
        print("Nada pendiente de atención.")
    for item in items:
        origin = "rechazado por la central" if item.kind == "push" else "de la central"
        print(f"- [{origin}] {item.table} {item.reference}: {item.reason}")
    return 0


# --- the central server ------------------------------------------------------------------------


def _central(args: argparse.Namespace) -> Any:
    from kiosk.errors import ConfigError
    from sync.central.server import CentralServer

    url = args.database_url or os.environ.get(DATABASE_ENV)
    if not url:
        raise ConfigError("no_database", "Indique --database-url (postgresql://… o "
                                         f"sqlite:///archivo) o la variable {DATABASE_ENV}.")
    read_url = getattr(args, "read_database_url", None) or os.environ.get(READ_DATABASE_ENV)
    public_url = getattr(args, "public_url", None) or os.environ.get(PUBLIC_URL_ENV, "")
    return CentralServer(url, read_database_url=read_url or None, public_url=public_url)


def cmd_central_serve(args: argparse.Namespace) -> int:
    from kiosk.heap import settle_heap
    from kiosk.logs import configure_logging
    from sync.central.app import central_server, trusted_proxies

    if args.log_dir:
        configure_logging(Path(args.log_dir), args.verbose)
    proxies = trusted_proxies(args.trusted_proxy, os.environ.get(TRUSTED_PROXIES_ENV))
    from sync.central.maintenance import CentralMaintenance

    with _central(args) as server:
        print(f"Servidor central escuchando en http://{args.host}:{args.port}  (Ctrl+C para "
              "detener)", flush=True)
        if server.public_url:
            print(f"Página pública de consulta: {server.public_url}  (los QR de los cargos "
                  "llevan a esta dirección)", flush=True)
        else:
            print("Sin --public-url: las oficinas imprimen el código de seguimiento sin QR "
                  "(salvo que su administrador indique la dirección pública).", flush=True)
        if proxies:
            print(f"Dirección del ciudadano tomada de X-Forwarded-For solo si la conexión "
                  f"viene de: {', '.join(proxies)}", flush=True)
        serving = central_server(server, trusted_proxies=proxies, host=args.host,
                                 port=args.port, municipality=args.municipality,
                                 public_rate=args.public_rate, push_workers=args.push_workers)
        maintenance = (CentralMaintenance(server, args.maintenance_s).start()
                       if args.maintenance_s > 0 else None)
        settle_heap()
        try:
            run_server(serving)  # until Ctrl+C or SIGTERM; then the database is closed
        finally:
            if maintenance is not None:
                maintenance.stop()
    return 0


def cmd_central_maintain(args: argparse.Namespace) -> int:
    """What `cac central` does in the background, now and to the end (after a bulk import,
    or from cron when the servers run with --maintenance-s 0)."""
    with _central(args) as server:
        built = server.refresh_statistics()
        pruned = server.prune_bookkeeping()
    print(f"Estadísticas: {built.days} días de oficina y {built.blocks} bloques construidos. "
          f"Registro de envíos: {pruned} identificadores olvidados.")
    return 0


def cmd_central_office_add(args: argparse.Namespace) -> int:
    with _central(args) as server:
        office, token = server.add_office(args.office, args.name)
    if args.json:
        _print_json({"office": office.code, "name": office.name, "token": token})
    else:
        print(f"Oficina {office.code} ({office.name}) registrada. Credencial del hub (se "
              f"muestra una sola vez):\n{token}")
    return 0


def cmd_central_office_token(args: argparse.Namespace) -> int:
    with _central(args) as server:
        token = server.issue_hub_token(args.office, revoke_others=args.revoke_others)
    if args.json:
        _print_json({"office": args.office.upper(), "token": token})
    else:
        print(f"Nueva credencial del hub de {args.office.upper()}:\n{token}")
    return 0


def cmd_central_office_list(args: argparse.Namespace) -> int:
    with _central(args) as server:
        rows = server.offices()
    if args.json:
        _print_json([{"office": o.code, "name": o.name} for o in rows])
        return 0
    for o in rows:
        print(f"{o.code:<7} {o.name}")
    return 0


def cmd_central_staff_add(args: argparse.Namespace) -> int:
    with _central(args) as server:
        token = server.add_staff(args.name, args.role)
    if args.json:
        _print_json({"name": args.name, "role": args.role, "token": token})
    else:
        print(f"Credencial de {args.name} ({args.role}):\n{token}")
    return 0


def cmd_central_catalogue_import(args: argparse.Namespace) -> int:
    with _central(args) as server:
        result = server.import_catalogue(args.office, Path(args.file))
    print(f"Catálogo de {args.office.upper()}: {result.model_dump_json()}")
    return 0


def cmd_central_user_add(args: argparse.Namespace) -> int:
    from kiosk.errors import InvalidInput

    if args.pin_stdin:
        raise InvalidInput("pin_at_office", "La central ya no fija PIN: los PIN no salen de la "
                           "oficina. Cree el usuario sin --pin-stdin; el administrador de la "
                           "oficina le da el PIN inicial allí.")
    with _central(args) as server:
        server.add_user(args.office, args.username, args.name, args.role)
    office = args.office.upper()
    if args.json:
        _print_json({"username": args.username, "office": office, "pin": None})
    else:
        print(f"Usuario {args.username} de {office} creado. Llega a la oficina sin PIN (los "
              "PIN no salen de la oficina): tras la próxima sincronización, el administrador "
              f"de {office} le da uno en la ventana de administración, pestaña Usuarios, "
              "botón «Nuevo PIN inicial». Hasta entonces no puede ingresar.")
    return 0


def cmd_central_service_add(args: argparse.Namespace) -> int:
    with _central(args) as server:
        server.add_service(args.office, args.code, args.name, args.prefix, args.sla)
    print(f"Servicio {args.code} ({args.prefix}) agregado a {args.office.upper()}.")
    return 0


def cmd_central_uit(args: argparse.Namespace) -> int:
    with _central(args) as server:
        server.set_uit(args.year, args.amount, args.source)
    print(f"UIT {args.year}: S/ {args.amount} (se envía a todas las oficinas).")
    return 0


def _day_where(scope: str, place: str) -> str:
    if scope == "oficina":
        return f"a la oficina {place.upper()}"
    if place:
        return f"a todas las oficinas (cuenta solo en {scope} {place})"
    return "a todas las oficinas"


def cmd_central_holiday(args: argparse.Namespace) -> int:
    with _central(args) as server:
        done = server.add_non_working_day(args.date, args.name, args.scope, args.place or "",
                                          args.by)
    verb = {"added": "enviado", "corrected": "corregido y enviado",
            "unchanged": "ya estaba registrado así; no se envió"}[done]
    print(f"Día no laborable {args.date:%d/%m/%Y} ({args.name}) {verb} "
          f"{_day_where(args.scope, args.place or '')}.")
    return 0


def cmd_central_holiday_remove(args: argparse.Namespace) -> int:
    with _central(args) as server:
        server.remove_non_working_day(args.date, args.scope, args.place or "", args.by)
    print(f"Día no laborable {args.date:%d/%m/%Y} retirado: las oficinas lo quitan y "
          "recalculan sus plazos en la próxima sincronización.")
    return 0


def cmd_central_holidays(args: argparse.Namespace) -> int:
    with _central(args) as server:
        days = server.non_working_days(args.year)
        log = server.calendar_log() if args.log else []
    for day in days:
        where = f"{day['scope']} {day['place'] or ''}".strip()
        print(f"{day['date']:%d/%m/%Y}  {day['name']}  ({where})")
    if not days:
        print("La central no distribuye días no laborables adicionales.")
    actions = {"added": "agregó", "corrected": "corrigió", "removed": "retiró"}
    for entry in log:
        print(f"{entry['at']:%d/%m/%Y %H:%M} {entry['by']} {actions[entry['action']]} el "
              f"{entry['date']:%d/%m/%Y} ({entry['scope']} {entry['place']}".rstrip()
              + f"): {entry['name']}")
    return 0


def cmd_central_event(args: argparse.Namespace) -> int:
    from sync.central.server import ADMIN, CentralIdentity

    with _central(args) as server:
        result = server.backoffice_event(
            CentralIdentity(role=ADMIN, name=args.by), args.office, args.number, args.action,
            args.note, args.area, args.result)
    if args.json:
        _print_json(result)
    else:
        print(f"{result['number']}: «{result['status_text']}» enviado a la oficina (lo verá "
              "en su próxima sincronización).")
    return 0


def cmd_central_stats(args: argparse.Namespace) -> int:
    from kiosk.cli import print_stats
    from kiosk.services.views import StatsReport
    from sync.central.server import ADMIN, CentralIdentity

    with _central(args) as server:
        figures = server.stats(CentralIdentity(role=ADMIN, name="cac central stats"),
                               args.office, args.date_from, args.date_to)
    if args.json:
        _print_json(figures)
        return 0
    for code, report in figures["offices"].items():
        print(f"== {code} ==")
        print_stats(StatsReport.model_validate(report))
    if not args.office:
        print("== Todas las oficinas ==")
        print_stats(StatsReport.model_validate(figures["total"]))
    return 0


def cmd_central_import(args: argparse.Namespace) -> int:
    with _central(args) as server:
        result = server.import_bundle(Path(args.file), Path(args.reply) if args.reply else None)
    print(f"Paquete {args.file}: {result['applied']} cambios aplicados, {result['duplicate']} "
          f"ya estaban, {result['rejected']} rechazados.")
    if args.reply:
        print(f"Respuesta para la oficina en {args.reply} ({result['changes']} novedades).")
    return 0


# --- parsers -------------------------------------------------------------------------------------


def _per_minute(text: str) -> int:
    value = int(text) if text.strip().isdigit() else 0
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError("indique un número de consultas por minuto (1 a 100000)")
    return value


def _workers(text: str) -> int:
    value = int(text) if text.strip().isdigit() else 0
    if not 1 <= value <= 32:
        raise argparse.ArgumentTypeError("indique de 1 a 32 lotes a la vez")
    return value


def _db(parser: argparse.ArgumentParser, *, inherited: bool = True) -> None:
    parser.add_argument("--database-url", default=argparse.SUPPRESS if inherited else None,
                        help=f"postgresql://… o sqlite:///archivo (o ${DATABASE_ENV})")


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="salida JSON")


def _register_sync(sub: Any) -> None:
    p = sub.add_parser("sync", help="sincronización con el servidor central")
    p.add_argument("--data-dir")
    p.add_argument("--status", action="store_true", help="estado (por defecto)")
    p.add_argument("--once", action="store_true", help="una ronda ahora; falla si no se pudo")
    p.add_argument("--central", help="dirección de la central (reemplaza la guardada)")
    p.add_argument("--credential", help="credencial del hub (reemplaza la guardada)")
    _json(p)
    p.set_defaults(func=cmd_sync)
    actions = p.add_subparsers(dest="sync_action")
    s = actions.add_parser("setup", help="conectar esta oficina a una central")
    s.add_argument("--data-dir", default=argparse.SUPPRESS)
    s.add_argument("--central", required=True)
    s.add_argument("--credential", required=True)
    s.set_defaults(func=cmd_sync_setup)
    e = actions.add_parser("export", help="paquete para llevar en USB a la central")
    e.add_argument("--data-dir", default=argparse.SUPPRESS)
    e.add_argument("--to", required=True, metavar="ARCHIVO")
    e.add_argument("--credential", default=argparse.SUPPRESS)
    e.set_defaults(func=cmd_sync_export)
    i = actions.add_parser("import", help="aplicar la respuesta de la central (USB)")
    i.add_argument("--data-dir", default=argparse.SUPPRESS)
    i.add_argument("file", metavar="ARCHIVO")
    i.add_argument("--credential", default=argparse.SUPPRESS)
    i.set_defaults(func=cmd_sync_import)
    a = actions.add_parser("attention", help="lo que la central rechazó o no se pudo aplicar")
    a.add_argument("--data-dir", default=argparse.SUPPRESS)
    a.add_argument("--retry", action="store_true", help="volver a enviar lo rechazado")
    a.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    a.set_defaults(func=cmd_sync_attention)


def _register_central(sub: Any) -> None:
    p = sub.add_parser("central", help="servidor central de la municipalidad")
    _db(p, inherited=False)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8480)
    p.add_argument("--municipality", default="Municipalidad",
                   help="nombre en la página pública de trámites")
    p.add_argument("--public-url", metavar="URL",
                   help="dirección pública de esta central (su página de consulta, p. ej. "
                        "https://tramites.<municipalidad>.gob.pe): los QR de los cargos llevan "
                        f"a URL/t/<código>; se anuncia a los hubs (o ${PUBLIC_URL_ENV})")
    p.add_argument("--trusted-proxy", action="append", default=[], metavar="IP",
                   help="proxy (IP o red) cuyo X-Forwarded-For se cree; repetible (o "
                        f"${TRUSTED_PROXIES_ENV}, separadas por comas); por defecto ninguno")
    p.add_argument("--read-database-url", metavar="URL",
                   help="réplica de la base (PostgreSQL en espera activa) de la que leen las "
                        f"estadísticas e informes (o ${READ_DATABASE_ENV})")
    p.add_argument("--public-rate", type=_per_minute, default=30, metavar="N",
                   help="consultas por minuto de cada ciudadano en la página pública, contadas "
                        "entre todos los procesos de la central (30)")
    p.add_argument("--push-workers", type=_workers, default=2, metavar="N",
                   help="lotes de las oficinas que este proceso aplica a la vez (2; más "
                        "rinden más lotes por segundo, y atienden más lento lo demás)")
    p.add_argument("--maintenance-s", type=float, default=60.0, metavar="S",
                   help="cada cuántos segundos se ponen al día las estadísticas y se poda el "
                        "registro de envíos (0: nunca; «cac central maintain» lo hace aparte)")
    p.add_argument("--log-dir")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_central_serve)
    actions = p.add_subparsers(dest="central_action")

    office = actions.add_parser("office", help="oficinas y credenciales de sus hubs")
    office_actions = office.add_subparsers(dest="office_action", required=True)
    add = office_actions.add_parser("add")
    _db(add)
    add.add_argument("--office", required=True)
    add.add_argument("--name", required=True)
    _json(add)
    add.set_defaults(func=cmd_central_office_add)
    token = office_actions.add_parser("token", help="nueva credencial para el hub")
    _db(token)
    token.add_argument("--office", required=True)
    token.add_argument("--revoke-others", action="store_true")
    _json(token)
    token.set_defaults(func=cmd_central_office_token)
    listing = office_actions.add_parser("list")
    _db(listing)
    _json(listing)
    listing.set_defaults(func=cmd_central_office_list)

    staff = actions.add_parser("staff", help="credenciales del personal central")
    staff_actions = staff.add_subparsers(dest="staff_action", required=True)
    staff_add = staff_actions.add_parser("add")
    _db(staff_add)
    staff_add.add_argument("--name", required=True)
    staff_add.add_argument("--role", choices=("staff", "admin"), default="staff")
    _json(staff_add)
    staff_add.set_defaults(func=cmd_central_staff_add)

    cat = actions.add_parser("catalogue", help="TUPA de una oficina")
    cat_actions = cat.add_subparsers(dest="catalogue_action", required=True)
    imp = cat_actions.add_parser("import")
    _db(imp)
    imp.add_argument("--office", required=True)
    imp.add_argument("file", metavar="ARCHIVO.toml")
    imp.set_defaults(func=cmd_central_catalogue_import)

    user = actions.add_parser("user", help="usuarios de una oficina")
    user_actions = user.add_subparsers(dest="user_action", required=True)
    uadd = user_actions.add_parser("add")
    _db(uadd)
    uadd.add_argument("--office", required=True)
    uadd.add_argument("--username", required=True)
    uadd.add_argument("--name", required=True)
    uadd.add_argument("--role", choices=("counter", "supervisor", "admin"), default="counter")
    uadd.add_argument("--pin-stdin", action="store_true", help=argparse.SUPPRESS)
    _json(uadd)
    uadd.set_defaults(func=cmd_central_user_add)

    service = actions.add_parser("service", help="servicios de una oficina")
    service_actions = service.add_subparsers(dest="service_action", required=True)
    sadd = service_actions.add_parser("add")
    _db(sadd)
    sadd.add_argument("--office", required=True)
    sadd.add_argument("--code", required=True)
    sadd.add_argument("--name", required=True)
    sadd.add_argument("--prefix", required=True)
    sadd.add_argument("--sla", type=int, default=15, help="espera objetivo en minutos")
    sadd.set_defaults(func=cmd_central_service_add)

    uit = actions.add_parser("uit", help="UIT de un año (para todas las oficinas)")
    _db(uit)
    uit.add_argument("--year", type=int, required=True)
    uit.add_argument("--amount", required=True)
    uit.add_argument("--source")
    uit.set_defaults(func=cmd_central_uit)

    scopes = "nacional, sector_publico, departamento, provincia, distrito u oficina"
    holiday = actions.add_parser(
        "holiday", help="día no laborable con su alcance (el mismo día y lugar: corrige su "
                        "nombre)")
    _db(holiday)
    holiday.add_argument("--date", type=date_arg, required=True)
    holiday.add_argument("--name", required=True)
    holiday.add_argument("--scope", default="sector_publico", help=scopes)
    holiday.add_argument("--place", help="ubigeo del INEI (2, 4 o 6 dígitos) o código de "
                                         "la oficina")
    holiday.add_argument("--by", default="Servidor central", help="quién lo registra")
    holiday.set_defaults(func=cmd_central_holiday)
    removal = actions.add_parser("holiday-remove",
                                 help="retirar un día no laborable enviado por error")
    _db(removal)
    removal.add_argument("--date", type=date_arg, required=True)
    removal.add_argument("--scope", default="sector_publico", help=scopes)
    removal.add_argument("--place")
    removal.add_argument("--by", default="Servidor central", help="quién lo retira")
    removal.set_defaults(func=cmd_central_holiday_remove)
    listing = actions.add_parser("holidays", help="días no laborables que distribuye la central")
    _db(listing)
    listing.add_argument("--year", type=int)
    listing.add_argument("--log", action="store_true", help="con el registro de cambios")
    listing.set_defaults(func=cmd_central_holidays)

    event = actions.add_parser("event", help="decisión de un área sobre un expediente")
    _db(event)
    event.add_argument("--office", required=True)
    event.add_argument("--number", required=True)
    event.add_argument("--action", required=True,
                       choices=("derive", "observe", "inspect", "approve", "deny"))
    event.add_argument("--note")
    event.add_argument("--area")
    event.add_argument("--result", choices=("conforme", "no_conforme"))
    event.add_argument("--by", default="Servidor central")
    _json(event)
    event.set_defaults(func=cmd_central_event)

    stats = actions.add_parser("stats", help="estadísticas de espera por oficina y en total")
    _db(stats)
    stats.add_argument("--office")
    stats.add_argument("--from", dest="date_from", type=date_arg, required=True)
    stats.add_argument("--to", dest="date_to", type=date_arg, required=True)
    _json(stats)
    stats.set_defaults(func=cmd_central_stats)

    bundle = actions.add_parser("import", help="aplicar el paquete USB de una oficina")
    _db(bundle)
    bundle.add_argument("file", metavar="ARCHIVO")
    bundle.add_argument("--reply", metavar="ARCHIVO", help="escribir la respuesta para la oficina")
    bundle.set_defaults(func=cmd_central_import)

    maintain = actions.add_parser("maintain", help="poner al día las estadísticas y podar el "
                                                   "registro de envíos, ahora")
    _db(maintain)
    maintain.set_defaults(func=cmd_central_maintain)


def register(sub: Any) -> None:
    _register_sync(sub)
    _register_central(sub)
