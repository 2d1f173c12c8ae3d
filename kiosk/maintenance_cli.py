"""`cac audit verify`, `cac backup`, `cac restore`, `cac retention`: the office's safety
commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.cli import date_arg, office_hub, print_json
from kiosk.config import DataDir
from kiosk.errors import InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services import restore
from kiosk.storage.backup import backup_database, copy_to, inspect_backup
from kiosk.storage.lock import HubLock
from kiosk.storage.replication import RESTORED_STATE, outbox_last_seq
from kiosk.storage.tables import SyncState


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with office_hub(DataDir.from_option(args.data_dir)) as hub:
        report = hub.verify_audit(SYSTEM)
    rows = report.rows or []
    if args.json:
        print(json.dumps({"ok": report.ok, "checked": report.checked,
                          "first_seq": report.first_seq, "last_seq": report.last_seq,
                          "problems": [p.__dict__ for p in report.problems],
                          "truncated": report.truncated,
                          "rows": {"checked": report.rows_checked,
                                   "problems": [p.__dict__ for p in rows],
                                   "truncated": report.rows_truncated}},
                         ensure_ascii=False, indent=2))
        return 0 if report.ok else 1
    events = (f"{report.checked} eventos verificados"
              + (f" (n.º {report.first_seq} a {report.last_seq})" if report.checked else ""))
    counted = report.rows_checked
    tables = (f"{counted.get('tickets', 0)} turnos, {counted.get('expedientes', 0)} "
              f"expedientes y {counted.get('payments', 0)} pagos")
    if report.ok:
        print(f"Cadena de auditoría íntegra: {events}. Los {tables} coinciden con sus eventos.")
        return 0
    if report.problems:
        print(f"¡La cadena de auditoría fue alterada! {len(report.problems)} problema(s) en "
              f"{report.checked} eventos:", file=sys.stderr)
        for problem in report.problems:
            print(f"  - {problem.message}", file=sys.stderr)
        if report.truncated:
            print("  (se muestran los primeros)", file=sys.stderr)
    else:
        print(f"La cadena de eventos está íntegra ({events}), pero los datos no coinciden "
              "con ella.", file=sys.stderr)
    if rows:
        print(f"¡Datos modificados fuera del sistema! {len(rows)} diferencia(s) entre los "
              f"{tables} y sus eventos:", file=sys.stderr)
        for row in rows:
            print(f"  - {row.message}", file=sys.stderr)
        if report.rows_truncated:
            print("  (se muestran las primeras)", file=sys.stderr)
        print("Lo que dicen los eventos es lo que se registró al atender. Revise quién tuvo "
              "acceso a la base de datos y las copias de seguridad anteriores al cambio.",
              file=sys.stderr)
    return 1


def cmd_audit_access(args: argparse.Namespace) -> int:
    """Who opened whose personal data (Ley 29733), newest first."""
    with office_hub(DataDir.from_option(args.data_dir)) as hub:
        entries = hub.audit_access(SYSTEM, person=args.person, user=args.user,
                                   date_from=args.desde, date_to=args.hasta, limit=args.limit)
        tz = hub.office.tz
    if args.json:
        print_json([e.model_dump(mode="json") for e in entries])
        return 0
    if not entries:
        print("No hay accesos a datos personales registrados con esos criterios.")
        return 0
    for entry in entries:
        when = entry.at.astimezone(tz).strftime("%d/%m/%Y %H:%M:%S")
        what = entry.what_text + (f" «{entry.query}»" if entry.query else "")
        whose = ", ".join(f"{p.doc_type} {p.doc_number}" if p.doc_number else f"persona {p.id}"
                          for p in entry.persons)
        records = ", ".join(entry.records)
        print(f"{when}  {entry.who} ({entry.device}): {what}; {entry.count} resultado(s)"
              + (f"; personas: {whose}" if whose else "")
              + (f"; registros: {records}" if records else ""))
    print(f"{len(entries)} acceso(s)" + (f" (los {args.limit} más recientes)"
                                         if len(entries) >= args.limit else "") + ".")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """An online copy now: safe while the hub serves."""
    data_dir = DataDir.from_option(args.data_dir)
    config = data_dir.load_config()
    if not data_dir.database.exists():
        raise InvalidInput("no_database", f"No hay base de datos en {data_dir.root}.")
    made = backup_database(data_dir.database, data_dir.backups, "manual", config.backups_kept)
    info = inspect_backup(made)
    print(f"Copia de seguridad: {made} ({info.tickets} turnos, {info.expedientes} "
          f"expedientes, {info.events} eventos).")
    if args.to:
        copied = copy_to(made, Path(args.to), "manual", config.backups_kept)
        print(f"Copiada también a {copied}.")
    return 0


def _mark_restored(hub: OfficeHub) -> None:
    """Remember how far the restored copy's outbox went: the next sync gets back from central
    what the office pushed after it, and moves what is written from now on above it."""
    now = hub.clock.now()
    with hub.store.write_session() as session:
        seq = outbox_last_seq(session)
        session.merge(SyncState(key=RESTORED_STATE, value={"seq": seq, "at": now.isoformat()},
                                updated_at=now))
        session.commit()


def cmd_restore(args: argparse.Namespace) -> int:
    data_dir = DataDir.from_option(args.data_dir)
    config = data_dir.load_config()
    backup = Path(args.file)
    # Refuse a bad file, another office's, or what was not confirmed, before asking anything.
    check = restore.check_backup(backup, data_dir.database, config.office_code, config.tz)
    info = check.info
    print(f"Copia de {info.office_code} ({info.office_name}): {info.tickets} turnos, "
          f"{info.expedientes} expedientes, {info.events} eventos; último evento "
          f"{info.last_event_at or '—'}. Cadena de auditoría de la copia: "
          + ("íntegra." if check.chain.chain_ok else "ROTA."))
    confirmed = {"other_installation": args.other_installation,
                 "broken_audit": args.broken_audit}
    restore.require_consent(check, **confirmed)
    if check.other_installation:
        print(f"Atención: {check.other_installation_text()}")
    if not check.chain.chain_ok:
        print(f"Atención: {check.broken_audit_text()}")
    if not args.yes:
        answer = input("Se reemplazará la base actual (se guarda antes una copia). "
                       "¿Continuar? [s/N] ")
        if answer.strip().lower() not in ("s", "si", "sí"):
            print("Cancelado.")
            return 1
    with HubLock(data_dir.root).acquire("deténgalo antes de restaurar una copia"):
        _, previous = restore.restore_backup(
            backup, data_dir.database, data_dir.backups, config.office_code, config.tz,
            config.backups_kept, checked=check, **confirmed)
    if previous is not None:
        print(f"La base reemplazada quedó en {previous}.")
    with office_hub(data_dir) as hub:  # brings an older copy up to the current schema
        _mark_restored(hub)
    if config.central_url:
        print("Restaurada. El trabajo de la oficina posterior a esta copia que ya se envió a la "
              "central vuelve en la primera sincronización: hágala antes de atender, con "
              f"«cac sync --once --data-dir {data_dir.root}», o inicie el hub con enlace.")
    else:
        print("Restaurada. Inicie el hub.")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    """Apply `ticket_retention_days` now (the hub also does it once a day)."""
    with office_hub(DataDir.from_option(args.data_dir)) as hub:
        days = hub.config.ticket_retention_days
        purged = hub.purge_ticket_data(SYSTEM)
    if args.json:
        print(json.dumps({"retention_days": days,
                          "through": purged.through and purged.through.isoformat(),
                          "tickets": purged.tickets, "ratings": purged.ratings,
                          "expediente_links": purged.expediente_links}))
    elif days == 0:
        print("Los datos de turnos se conservan siempre (ticket_retention_days = 0): no se "
              "eliminó nada.")
    else:
        print(f"Plazo de conservación de los turnos: {days} días. {purged.message()}")
    return 0


def register(command: Callable[[str, str], argparse.ArgumentParser], sub: object) -> None:
    audit = sub.add_parser("audit", help="cadena de auditoría")  # type: ignore[attr-defined]
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    p = audit_sub.add_parser("verify", help="detectar eventos modificados, borrados o movidos, "
                             "y turnos, expedientes o pagos que no coinciden con sus eventos")
    p.add_argument("--data-dir")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_audit_verify)
    p = audit_sub.add_parser("access", help="quién consultó datos personales (Ley 29733)")
    p.add_argument("--data-dir")
    p.add_argument("--person", metavar="DNI", help="accesos a los datos de esta persona")
    p.add_argument("--user", metavar="USUARIO", help="accesos de este usuario")
    p.add_argument("--desde", type=date_arg, metavar="AAAA-MM-DD")
    p.add_argument("--hasta", type=date_arg, metavar="AAAA-MM-DD")
    p.add_argument("--limit", type=int, default=200, help="cuántos, los más recientes (200)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_audit_access)

    p = command("retention", "eliminar ya los datos de turnos más antiguos que "
                "ticket_retention_days (Ley 29733)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_retention)

    p = command("backup", "copia de seguridad en línea (también con el hub en marcha)")
    p.add_argument("--to", metavar="CARPETA", help="copiar también a esta carpeta (USB)")
    p.set_defaults(func=cmd_backup)

    p = command("restore", "restaurar una copia de seguridad (con el hub detenido)")
    p.add_argument("file", metavar="ARCHIVO")
    p.add_argument("--yes", action="store_true", help="no preguntar")
    p.add_argument(restore.OTHER_INSTALLATION_OPTION, action="store_true",
                   help="restaurar aunque la copia sea de otra instalación de la oficina: este "
                        "PC pasa a ser esa instalación, también para la central")
    p.add_argument(restore.BROKEN_AUDIT_OPTION, action="store_true",
                   help="restaurar aunque la cadena de auditoría de la copia esté rota")
    p.set_defaults(func=cmd_restore)
