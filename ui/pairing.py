"""`--pair CÓDIGO`: a new PC redeems the one-time code the administrator generated (admin
window, tab Dispositivos) and keeps the device token in this PC's data folder, so the next
start needs only `--hub`.

The tokens live in `<data-dir>/paired-devices.json` (readable only by this user), one per
role (a PC may be a kiosk and a TV at once): `{"kiosk": {"hub": URL, "token": T, "device":
name, "ca": FILE}}`. `--token` given on the command line always wins and is not stored.

With an https hub the PC learns the office CA while pairing (kiosk/client/pairing.py: the code's
last group vouches for it), keeps it as `<data-dir>/hub-ca-<fingerprint>.pem` and verifies the
hub with it on every later start (`ca`); `--ca` given on the command line wins.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Credentials:
    token: str
    ca_file: str | None  # what the hub's certificate is verified with (None: system CAs)


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


def _write(path: Path, text: str) -> None:
    private_dir(path.parent)
    write_private(path, text.encode("utf-8"))


def store_hub_ca(data_dir: DataDir, pem: str) -> Path:
    """Keep a learned office CA next to the tokens, named by its fingerprint."""
    from kiosk.tls import pem_fingerprint

    path = data_dir.root / f"hub-ca-{pem_fingerprint(pem).replace(':', '')[:16].lower()}.pem"
    try:
        _write(path, pem)
    except OSError as exc:
        raise InvalidInput("pairing_not_saved",
                           f"No se pudo guardar el certificado del hub en «{path}» "
                           f"({exc.strerror or exc}).") from None
    return path


def save_paired(data_dir: DataDir, role: str, hub_url: str, paired: PairedDevice,
                ca_file: str | None = None) -> Path:
    """Keep the token for `role` (atomically, for this user only), with the CA file the hub
    was verified with."""
    entries: dict[str, Any] = load_paired(data_dir)
    entries[role] = {"hub": hub_url, "token": paired.token, "device": paired.device.name}
    if ca_file:
        entries[role]["ca"] = ca_file
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
    """The token a window command starts with (see `device_credentials`)."""
    return device_credentials(args, role, pair, say).token


def device_credentials(args: argparse.Namespace, role: str, pair: Pair | None = None,
                       say: Callable[[str], None] = print) -> Credentials:
    """What a window command starts with: `--token`, or the token `--pair` redeems now (then
    stored), or the one stored by an earlier pairing for this role; and the CA the hub is
    verified with: `--ca`, or the one learned when pairing."""
    token = (getattr(args, "token", None) or "").strip()
    code = (getattr(args, "pair", None) or "").strip()
    ca_file = (getattr(args, "ca", None) or "").strip() or None
    if token and code:
        raise InvalidInput("token_and_pair", "Use --token o --pair, no los dos a la vez.")
    data_dir = DataDir.from_option(getattr(args, "data_dir", None))
    hub_url = str(args.hub).strip().rstrip("/")
    stored = load_paired(data_dir).get(role) or {}
    if token:
        return Credentials(token, ca_file or stored.get("ca"))
    if code:
        if not hub_url.startswith(("http://", "https://")):
            return Credentials("", ca_file)  # remote_client says what is wrong with the address
        if pair is None:
            from kiosk.client.http import pair_device

            pair = pair_device
        if hub_url.startswith("https://") and ca_file is None:
            from kiosk.client.pairing import hub_ca_for_code

            ca_file = str(store_hub_ca(data_dir, hub_ca_for_code(hub_url, code)))
        elif ca_file is not None:
            ca_file = str(Path(ca_file).resolve())
        paired = pair(hub_url, code, ca_file or True)
        actual = paired.device.role
        path = save_paired(data_dir, actual, hub_url, paired, ca_file)
        if actual != role:
            raise InvalidInput(
                "pairing_other_role",
                f"El código era para un equipo de {ROLE_NAMES.get(actual, actual)}, no de "
                f"{ROLE_NAMES.get(role, role)}. La credencial quedó guardada para ese uso: "
                f"abra {ROLE_COMMANDS.get(actual, 'cac')} --hub {hub_url}")
        say(f"Equipo «{paired.device.name}» emparejado. Su credencial quedó guardada en "
            f"{path}; la próxima vez basta con: {ROLE_COMMANDS.get(role, 'cac')} --hub "
            f"{hub_url}")
        return Credentials(paired.token, ca_file)
    if stored.get("token"):
        if stored.get("hub") and stored["hub"] != hub_url:
            log.info("token paired with %s used for %s", stored["hub"], hub_url)
        return Credentials(stored["token"], ca_file or stored.get("ca"))
    raise InvalidInput(
        "missing_token",
        "Falta la credencial del dispositivo. Pida al administrador un código de "
        "emparejamiento (ventana de administración, pestaña Dispositivos) y abra con "
        "--pair CÓDIGO, o use --token.")
