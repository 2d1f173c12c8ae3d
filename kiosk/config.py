"""The office data directory and its typed, versioned configuration (config.toml).

Settings are declared once, with their types and defaults; files written by older versions are
migrated forward on load, so a hub that updates keeps the office's choices.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
import tomli_w

from kiosk.errors import ConfigError, InvalidInput
from kiosk.private_files import make_private, private_dir, write_private

log = logging.getLogger(__name__)

CONFIG_VERSION = 7
SECRETS_FILE = "secrets.toml"
# Kept in secrets.toml, never in config.toml nor the database (so never in a backup).
SECRET_SETTINGS = ("central_credential",)
# What the hub learns (kept in its store, kiosk/services/office_settings.py), not a setting of
# config.toml.
LEARNT_SETTINGS = ("central_public_url",)

PRINTER_BACKENDS = ("dummy", "file", "usb", "serial", "network", "win32", "cups")
PAPER_WIDTHS_MM = (58, 80)
# What config.toml held before version 7 when nobody set the public address: a made-up site
# whose QR codes led nowhere. Migrated to "" (no public address: the code is printed instead).
_OLD_DEFAULT_PUBLIC_URL = "https://tramites.municipalidad.gob.pe"
PUBLIC_URL_MAX = 150  # with "/t/<code>", within a printed QR's 200 bytes (printing.blocks)


@dataclass(frozen=True)
class OfficeConfig:
    office_code: str
    office_name: str
    municipality: str = "Municipalidad"
    timezone: str = "America/Lima"
    hub_host: str = "127.0.0.1"
    hub_port: int = 8470
    # How long a no-show ticket can be put back in the queue.
    missed_reinstate_minutes: int = 15
    # Service time assumed for wait estimates until the day has its own samples.
    default_service_minutes: float = 6.0
    # The calling policy's anti-starvation cap (kiosk/rules/calling.py): while regular tickets
    # wait, at most 1 preferential call in 3 at a counter. Off: preferential always first.
    cap_preferential_calls: bool = False
    # Automatic backups kept in rotation in <data-dir>/backups, one every
    # `backup_interval_hours` while the hub runs (0: only before migrations and by hand), also
    # copied to `backup_copy_dir` when set (a USB stick, a second disk).
    backups_kept: int = 10
    backup_interval_hours: float = 24.0
    backup_copy_dir: str = ""
    # This PC's receipt printer (kiosk, counter): see printing.backends for each target's form.
    printer_backend: str = "file"
    printer_target: str = "impresiones"
    printer_width_mm: int = 80
    printer_codepage: str = "CP858"
    printer_timeout_s: float = 5.0
    # A counter window locks itself after this long without input (the clerk types the PIN).
    idle_lock_minutes: int = 5
    # Failed logins in a row that lock a clerk's account, and for how long.
    login_attempts: int = 5
    login_lockout_minutes: int = 15
    # Failed logins (any user name) refused for a while once this many happened in
    # `login_failure_window_minutes`: from one device, and in the whole office. The office's
    # bound is above a device's, so one noisy device alone never stops the others' logins.
    login_failures_per_device: int = 10
    login_failures_office: int = 30
    login_failure_window_minutes: int = 5
    # The LAN API over TLS with a certificate and key the administrator installs (PEM files);
    # empty: off loopback the hub serves HTTPS with the office's own CA (kiosk/tls.py).
    # `central_ca_file` is the CA bundle the sync client checks central's certificate with
    # (empty: the system's CAs).
    tls_cert_file: str = ""
    tls_key_file: str = ""
    central_ca_file: str = ""
    # Largest scanned document accepted for an expediente.
    attachment_max_mb: int = 10
    # The public address of central's tracking page (its root, where a citizen types a
    # code): the QR codes of cargos, receipts and certified copies point at
    # <address>/t/<tracking code>. `public_url` is the one the admin set (config.toml or the
    # admin window) and wins; `central_public_url` is the one central announced in the sync
    # hello (`cac central --public-url`), kept by the hub. Neither: documents print the code
    # and say to ask at the office, no QR.
    public_url: str = ""
    central_public_url: str = ""
    # The municipality's central server and this hub's credential there (`cac central office
    # add` prints it); empty: the office works alone. The hub syncs every `sync_interval_s`
    # while the link is up, and the supervisor is alerted after `sync_alert_minutes` without.
    # The credential is read from secrets.toml (DataDir.central_credential), never saved here.
    central_url: str = ""
    central_credential: str = field(default="", repr=False)
    sync_interval_s: float = 60.0
    sync_alert_minutes: int = 240
    # The supervisor is alerted when an open counter has been free this long while people
    # wait for its services; a citizen may rate a finished ticket for this long.
    idle_counter_alert_minutes: int = 3
    rating_window_minutes: int = 30
    # Ticket data older than this many days is removed (Ley 29733); 0: kept forever.
    ticket_retention_days: int = 0

    @property
    def public_address(self) -> str:
        """The public address in use ("" when there is none)."""
        return self.public_url or self.central_public_url

    def tracking_url(self, tracking_code: str) -> str:
        return tracking_link(self.public_address, tracking_code)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def tracking_link(public_address: str, tracking_code: str) -> str:
    """The public page of one expediente, or "" without a public address (or a code)."""
    if not public_address or not tracking_code:
        return ""
    return f"{public_address.rstrip('/')}/t/{tracking_code}"


def clean_public_url(text: str) -> str:
    """The public address as stored ("" clears it): http(s)://host[:port][/path], with no
    trailing slash, nor a trailing /t (the lookup page is <address>/t/<code>). Spanish
    InvalidInput otherwise."""
    url = str(text).strip()
    if not url:
        return ""
    problem = ("La dirección pública debe ser la de la página de consulta de la central, "
               "por ejemplo https://tramites.<municipalidad>.gob.pe")
    if len(url) > PUBLIC_URL_MAX or re.search(r"[\s\x00-\x1f\x7f]", url):
        raise InvalidInput("invalid_public_url", f"{problem} (sin espacios, hasta "
                                                 f"{PUBLIC_URL_MAX} caracteres).")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises ValueError
    except ValueError:
        raise InvalidInput("invalid_public_url", f"{problem}.") from None
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        raise InvalidInput("invalid_public_url",
                           f"{problem}: debe empezar con https:// (o http://).")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidInput("invalid_public_url",
                           f"{problem}, sin «?», «#» ni usuario y contraseña.")
    path = parts.path.rstrip("/")
    if path.lower().endswith("/t"):
        path = path[:-2].rstrip("/")
    return f"{parts.scheme.lower()}://{parts.netloc}{path}"


def _v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    # v1 called the reinstate window "missed_minutes".
    raw = dict(raw)
    if "missed_minutes" in raw:
        raw["missed_reinstate_minutes"] = raw.pop("missed_minutes")
    return raw


def _v2_to_v3(raw: dict[str, Any]) -> dict[str, Any]:
    # v3 added the printer settings; their defaults apply.
    return dict(raw)


def _v3_to_v4(raw: dict[str, Any]) -> dict[str, Any]:
    # v4 added clerk sessions (idle lock, lock-out) and the attachment size limit.
    return dict(raw)


def _v4_to_v5(raw: dict[str, Any]) -> dict[str, Any]:
    # v5 added the central server (empty: not connected), the sync timings, the backup
    # schedule and TLS.
    return dict(raw)


def _v5_to_v6(raw: dict[str, Any]) -> dict[str, Any]:
    # v6 added the supervisor's idle-counter alert and the ratings' time window.
    return dict(raw)


def _v6_to_v7(raw: dict[str, Any]) -> dict[str, Any]:
    # v7: no public address by default (the old default led nowhere); central may announce one.
    raw = dict(raw)
    if str(raw.get("public_url", "")).rstrip("/") == _OLD_DEFAULT_PUBLIC_URL:
        raw.pop("public_url")
    return raw


_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
}


def validate_office_code(code: str) -> str:
    code = code.strip().upper()
    if not (2 <= len(code) <= 6 and code.isascii() and code.isalpha()):
        raise ConfigError(
            "invalid_office_code",
            "El código de oficina debe tener de 2 a 6 letras (por ejemplo CAJ).",
        )
    return code


def _coerce(raw: dict[str, Any]) -> OfficeConfig:
    known = {f.name: f for f in fields(OfficeConfig)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            continue  # unknown keys from a newer version are kept out, not fatal
        expected = known[key].type
        ok = {
            "str": isinstance(value, str),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, int | float) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
        }.get(str(expected), True)
        if not ok:
            raise ConfigError(
                "invalid_config",
                f"La configuración tiene un valor no válido para «{key}»: {value!r}.",
            )
        values[key] = float(value) if expected == "float" else value
    if "office_code" not in values or "office_name" not in values:
        raise ConfigError(
            "invalid_config", "La configuración no indica el código y el nombre de la oficina."
        )
    values["office_code"] = validate_office_code(values["office_code"])
    config = OfficeConfig(**values)
    try:
        config.tz  # noqa: B018 - validates the zone name
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            "invalid_config", f"La zona horaria «{config.timezone}» no existe."
        ) from exc
    if not 1 <= config.hub_port <= 65535:
        raise ConfigError("invalid_config", "El puerto del hub debe estar entre 1 y 65535.")
    if config.printer_backend not in PRINTER_BACKENDS:
        raise ConfigError(
            "invalid_config",
            f"Tipo de impresora desconocido «{config.printer_backend}». Use uno de: "
            + ", ".join(PRINTER_BACKENDS) + ".",
        )
    if config.printer_width_mm not in PAPER_WIDTHS_MM:
        raise ConfigError(
            "invalid_config", "El ancho de papel de la impresora debe ser 58 u 80 mm."
        )
    if not 0 < config.printer_timeout_s <= 120:
        raise ConfigError(
            "invalid_config", "El tiempo de espera de la impresora debe estar entre 0 y 120 s."
        )
    try:
        config = replace(config, public_url=clean_public_url(config.public_url),
                         central_public_url=clean_public_url(config.central_public_url))
    except InvalidInput as exc:
        raise ConfigError("invalid_config", f"«public_url»: {exc.message}") from None
    if config.central_url and not config.central_url.startswith(("https://", "http://")):
        raise ConfigError("invalid_config",
                          "«central_url» debe ser una dirección web (https://…) o quedar vacía.")
    if bool(config.tls_cert_file) != bool(config.tls_key_file):
        raise ConfigError("invalid_config",
                          "Para TLS indique a la vez «tls_cert_file» y «tls_key_file».")
    for name in ("tls_cert_file", "tls_key_file", "central_ca_file"):
        value = getattr(config, name)
        if value and not Path(value).is_file():
            raise ConfigError("invalid_config", f"«{name}»: no existe el archivo {value}.")
    if not 0 <= config.backup_interval_hours <= 24 * 31:
        raise ConfigError("invalid_config",
                          "«backup_interval_hours» debe estar entre 0 (sin copias programadas) "
                          "y 744 horas.")
    if not 5 <= config.sync_interval_s <= 3600:
        raise ConfigError("invalid_config",
                          "«sync_interval_s» debe estar entre 5 y 3600 segundos.")
    if not 0 <= config.ticket_retention_days <= 7320:
        raise ConfigError("invalid_config",
                          "«ticket_retention_days» debe ser 0 (conservar los turnos siempre) o "
                          "un número de días hasta 7320 (20 años).")
    for name, low, high in (("idle_lock_minutes", 1, 240), ("login_attempts", 1, 20),
                            ("sync_alert_minutes", 5, 10080),
                            ("idle_counter_alert_minutes", 1, 240),
                            ("rating_window_minutes", 1, 1440),
                            ("login_lockout_minutes", 1, 1440), ("attachment_max_mb", 1, 100),
                            ("login_failures_per_device", 3, 100),
                            ("login_failures_office", 4, 1000),
                            ("login_failure_window_minutes", 1, 60)):
        value = getattr(config, name)
        if not low <= value <= high:
            raise ConfigError("invalid_config",
                              f"«{name}» debe estar entre {low} y {high}, no {value}.")
    if config.login_failures_office <= config.login_failures_per_device:
        raise ConfigError("invalid_config",
                          "«login_failures_office» debe ser mayor que "
                          "«login_failures_per_device»: si no, un solo equipo con intentos "
                          "fallidos impediría ingresar en toda la oficina.")
    return config


class DataDir:
    """One office's folder: database, config, backups, logs."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def default(cls) -> DataDir:
        return cls(Path(platformdirs.user_data_dir("cac-kiosk", "CAC")))

    @classmethod
    def from_option(cls, value: str | None) -> DataDir:
        """The folder a `--data-dir` option names, or the user's default one."""
        return cls(Path(value)) if value else cls.default()

    @property
    def database(self) -> Path:
        return self.root / "cac.sqlite3"

    @property
    def config_file(self) -> Path:
        return self.root / "config.toml"

    @property
    def last_good_config_file(self) -> Path:
        """A copy of the last config.toml a hub started with, for when the file gets damaged."""
        return self.root / "config.last-good.toml"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def secrets_file(self) -> Path:
        """The hub's secrets (central's credential): this user's alone, never in a backup."""
        return self.root / SECRETS_FILE

    @property
    def tls(self) -> Path:
        """The office CA and the hub's certificate (kiosk/tls.py); keys readable by its user."""
        return self.root / "tls"

    def exists(self) -> bool:
        return self.config_file.exists()

    def create(self) -> None:
        for path in (self.root, self.backups, self.logs):
            private_dir(path, self.root)

    def make_private(self) -> list[Path]:
        """The folder and everything in it this user's alone (an office made by an older
        version, files others added); what had to be tightened is logged, so once."""
        changed = make_private(self.root)
        if changed:
            log.warning("la carpeta de la oficina %s era legible por otros usuarios: se "
                        "restringieron %d archivos y carpetas (%s)", self.root, len(changed),
                        ", ".join(str(p.relative_to(self.root)) for p in changed[:5])
                        + (", …" if len(changed) > 5 else ""))
        return changed

    # --- secrets.toml ---

    def secrets(self) -> dict[str, str]:
        try:
            raw = tomllib.loads(self.secrets_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            # The office keeps working; the admin window asks for the credential again.
            log.warning("no se pudo leer %s (%s): se trata como vacío", self.secrets_file, exc)
            return {}
        return {key: value for key, value in raw.items()
                if key in SECRET_SETTINGS and isinstance(value, str) and value}

    def central_credential(self) -> str:
        return self.secrets().get("central_credential", "")

    def save_central_credential(self, credential: str) -> None:
        """Store (or with "" forget) the hub's credential at central, in secrets.toml."""
        values = {**self.secrets(), "central_credential": credential.strip()}
        values = {key: value for key, value in values.items() if value}
        private_dir(self.root)
        write_private(self.secrets_file, (
            "# Secretos de esta oficina: solo los lee el usuario del hub y no van en las "
            "copias de seguridad.\n" + tomli_w.dumps(values)).encode("utf-8"))

    def take_legacy_credential(self) -> str | None:
        """Before issue 14 the credential sat in config.toml (and so in config.last-good.toml):
        remove it from both; returns what config.toml (else the last good copy) held."""
        found: list[str] = []
        for path in (self.config_file, self.last_good_config_file):
            try:
                raw = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue  # missing or damaged: `load_config` says so
            if "central_credential" not in raw:
                continue
            value = raw.pop("central_credential")
            if isinstance(value, str) and value.strip():
                found.append(value.strip())
            write_private(path, tomli_w.dumps(raw).encode("utf-8"))
        return found[0] if found else None

    def load_serving_config(self) -> tuple[OfficeConfig, str | None]:
        """The config a hub serves with: config.toml, or, when that file is damaged, the last
        one a hub started with, so the office keeps queueing. The warning says which (Spanish).

        Maintenance commands use `load_config` and refuse a damaged file instead."""
        try:
            config = self.load_config()
        except ConfigError as exc:
            if exc.code not in ("corrupt_config", "invalid_config") or \
                    not self.last_good_config_file.is_file():
                raise
            try:
                config = self._load_from(self.last_good_config_file)
            except ConfigError:
                raise exc from None
            saved = datetime.fromtimestamp(self.last_good_config_file.stat().st_mtime)
            return config, (f"{exc.message} Mientras tanto la oficina funciona con la última "
                            f"configuración válida ({saved:%d/%m/%Y %H:%M}).")
        text = self.config_file.read_bytes()
        last = self.last_good_config_file
        if not last.is_file() or last.read_bytes() != text:
            write_private(last, text)
        return config, None

    def load_config(self) -> OfficeConfig:
        if not self.config_file.exists():
            raise ConfigError(
                "no_office",
                f"No hay una oficina en {self.root}. Créela con «cac init --data-dir {self.root}».",
            )
        return self._load_from(self.config_file)

    def _load_from(self, path: Path) -> OfficeConfig:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(
                "corrupt_config",
                f"El archivo de configuración {path} está dañado ({exc}). "
                "Corríjalo o restáurelo desde una copia de seguridad.",
            ) from exc
        version = raw.pop("config_version", 1)
        if not isinstance(version, int) or version > CONFIG_VERSION:
            raise ConfigError(
                "config_too_new",
                "La configuración fue escrita por una versión más nueva de CAC Kiosk. "
                "Actualice el programa.",
            )
        # An office not opened by a hub since issue 14 may still hold it here, in clear.
        legacy = raw.pop("central_credential", "")
        while version < CONFIG_VERSION:
            raw = _MIGRATIONS[version](raw)
            version += 1
        credential = self.central_credential() or (legacy if isinstance(legacy, str) else "")
        return replace(_coerce(raw), central_credential=credential)

    def save_config(self, config: OfficeConfig) -> None:
        """config.toml, without the secrets (see `save_central_credential`)."""
        self.create()
        data = {"config_version": CONFIG_VERSION, **asdict(config)}
        for name in (*SECRET_SETTINGS, *LEARNT_SETTINGS):
            data.pop(name)
        # Atomic: a power cut leaves the old or the new file.
        write_private(self.config_file, tomli_w.dumps(data).encode("utf-8"))
