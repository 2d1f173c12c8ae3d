"""`cac audit verify`, `cac backup`, `cac restore`: the office's safety commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.config import DataDir
from kiosk.errors import InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.storage.backup import backup_database, copy_to, inspect_backup, restore_database
from kiosk.storage.lock import HubLock


def cmd_audit_verify(args: argparse.Namespace) -> int:
    hub = OfficeHub(DataDir.from_option(args.data_dir))
    try:
        report = hub.verify_audit(SYSTEM)
    finally:
        hub.close()
    if args.json:
        print(json.dumps({"ok": report.ok, "checked": report.checked,
                          "first_seq": report.first_seq, "last_seq": report.last_seq,
                          "problems": [p.__dict__ for p in report.problems],
                          "truncated": report.truncated}, ensure_ascii=False, indent=2))
    elif report.ok:
        print(f"Cadena de auditoría íntegra: {report.checked} eventos verificados"
              + (f" (n.º {report.first_seq} a {report.last_seq})." if report.checked else "."))
    else:
        print(f"¡La cadena de auditoría fue alterada! {len(report.problems)} problema(s) en "
              f"{report.checked} eventos:", file=sys.stderr)
        for problem in report.problems:
            print(f"  - {problem.message}", file=sys.stderr)
        if report.truncated:
            print("  (se muestran los primeros)", file=sys.stderr)
    return 0 if report.ok else 1


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


def cmd_restore(args: argparse.Namespace) -> int:
    data_dir = DataDir.from_option(args.data_dir)
    config = data_dir.load_config()
    backup = Path(args.file)
    info = inspect_backup(backup)  # refuse a bad file before asking anything
    print(f"Copia de {info.office_code} ({info.office_name}): {info.tickets} turnos, "
          f"{info.expedientes} expedientes, {info.events} eventos; último evento "
          f"{info.last_event_at or '—'}.")
    if not args.yes:
        answer = input("Se reemplazará la base actual (se guarda antes una copia). "
                       "¿Continuar? [s/N] ")
        if answer.strip().lower() not in ("s", "si", "sí"):
            print("Cancelado.")
            return 1
    with HubLock(data_dir.root).acquire("deténgalo antes de restaurar una copia"):
        _, previous = restore_database(backup, data_dir.database, data_dir.backups,
                                       config.office_code, config.backups_kept)
    if previous is not None:
        print(f"La base reemplazada quedó en {previous}.")
    OfficeHub(data_dir).close()  # brings an older copy up to the current schema
    print("Restaurada. Inicie el hub; la sincronización con la central sigue sola.")
    return 0


def register(command: Callable[[str, str], argparse.ArgumentParser], sub: object) -> None:
    audit = sub.add_parser("audit", help="cadena de auditoría")  # type: ignore[attr-defined]
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    p = audit_sub.add_parser("verify", help="detectar eventos modificados, borrados o movidos")
    p.add_argument("--data-dir")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_audit_verify)

    p = command("backup", "copia de seguridad en línea (también con el hub en marcha)")
    p.add_argument("--to", metavar="CARPETA", help="copiar también a esta carpeta (USB)")
    p.set_defaults(func=cmd_backup)

    p = command("restore", "restaurar una copia de seguridad (con el hub detenido)")
    p.add_argument("file", metavar="ARCHIVO")
    p.add_argument("--yes", action="store_true", help="no preguntar")
    p.set_defaults(func=cmd_restore)
