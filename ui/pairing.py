"""`--pair CÓDIGO`: a new PC redeems the one-time code the administrator generated (admin
window, tab Dispositivos) and keeps the device token in this PC's data folder, so the next
start needs only `--hub`.

The tokens live in `<data-dir>/paired-devices.json` (readable only by this user), one per
role (a PC may be a kiosk and a TV at once): `{"kiosk": {"hub": URL, "token": T, "device":
name}}`. `--token` given on the command line always wins and is not stored.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.config import DataDir
from kiosk.errors import InvalidInput
from kiosk.private_files import private_dir, write_private
from kiosk.services.admin_views import PairedDevice

log = logging.getLogger(__name__)

PAIRED_FILE = "paired-devices.json"
ROLE_COMMANDS = {"kiosk": "cac kiosk", "display": "cac display", "counter": "cac counter",
                 "supervisor": "cac supervisor", "admin": "cac admin"}
ROLE_NAMES = {"kiosk": "quiosco", "display": "pantalla", "counter": "ventanilla",
              "supervisor": "supervisión", "admin": "administración"}

Pair = Callable[[str, str, bool | str], PairedDevice]


def paired_file(data_dir: DataDir) -> Path:
    return data_dir.root / PAIRED_FILE


def load_paired(data_dir: DataDir) -> dict[str, dict[str, str]]:
    path = paired_file(data_dir)
    if not path.exists():
        return {}
    try:
        loaded = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        log.warning("%s is damaged: ignored", path)
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {str(role): {str(k): str(v) for k, v in entry.items()}
            for role, entry in loaded.items() if isinstance(entry, dict)}


def save_paired(data_dir: DataDir, role: str, hub_url: str, paired: PairedDevice) -> Path:
    """Keep the token for `role` (atomically, for this user only)."""
    entries: dict[str, Any] = load_paired(data_dir)
    entries[role] = {"hub": hub_url, "token": paired.token, "device": paired.device.name}
    path = paired_file(data_dir)
    try:
        private_dir(data_dir.root)
        write_private(path, json.dumps(entries, indent=2, ensure_ascii=False).encode("utf-8"))
    except OSError as exc:
        raise InvalidInput(
            "pairing_not_saved",
            f"El equipo quedó emparejado, pero no se pudo guardar su credencial en «{path}» "
            f"({exc.strerror or exc}). Anótela y úsela con --token: {paired.token}") from None
    return path


def device_token(args: argparse.Namespace, role: str, pair: Pair | None = None,
                 say: Callable[[str], None] = print) -> str:
    """The token a window command starts with: `--token`, or the one `--pair` redeems now
    (then stored), or the one stored by an earlier pairing for this role."""
    token = (getattr(args, "token", None) or "").strip()
    code = (getattr(args, "pair", None) or "").strip()
    if token and code:
        raise InvalidInput("token_and_pair", "Use --token o --pair, no los dos a la vez.")
    if token:
        return token
    data_dir = DataDir.from_option(getattr(args, "data_dir", None))
    hub_url = str(args.hub).strip().rstrip("/")
    if code:
        if not hub_url.startswith(("http://", "https://")):
            return ""  # remote_client says what is wrong with the address
        if pair is None:
            from kiosk.client.http import pair_device

            pair = pair_device
        paired = pair(hub_url, code, getattr(args, "ca", None) or True)
        actual = paired.device.role
        path = save_paired(data_dir, actual, hub_url, paired)
        if actual != role:
            raise InvalidInput(
                "pairing_other_role",
                f"El código era para un equipo de {ROLE_NAMES.get(actual, actual)}, no de "
                f"{ROLE_NAMES.get(role, role)}. La credencial quedó guardada para ese uso: "
                f"abra {ROLE_COMMANDS.get(actual, 'cac')} --hub {hub_url}")
        say(f"Equipo «{paired.device.name}» emparejado. Su credencial quedó guardada en "
            f"{path}; la próxima vez basta con: {ROLE_COMMANDS.get(role, 'cac')} --hub "
            f"{hub_url}")
        return paired.token
    stored = load_paired(data_dir).get(role)
    if stored and stored.get("token"):
        if stored.get("hub") and stored["hub"] != hub_url:
            log.info("token paired with %s used for %s", stored["hub"], hub_url)
        return stored["token"]
    raise InvalidInput(
        "missing_token",
        "Falta la credencial del dispositivo. Pida al administrador un código de "
        "emparejamiento (ventana de administración, pestaña Dispositivos) y abra con "
        "--pair CÓDIGO, o use --token.")
