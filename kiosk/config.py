"""The office data directory and its typed, versioned configuration (config.toml).

Settings are declared once, in kiosk/settings.py (what this module re-exports: `OfficeConfig`
and its tables); here config.toml is read, checked against those declarations and written.
Files written by older versions are migrated forward on load, so a hub that updates keeps the
office's choices.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

import platformdirs
import tomli_w

from kiosk.errors import ConfigError, InvalidInput
from kiosk.private_files import make_private, private_dir, write_private
from kiosk.settings import (
    LEARNT_SETTINGS,
    PAPER_WIDTHS_MM,
    PRINTER_BACKENDS,
    PUBLIC_URL_MAX,
    SECRET_SETTINGS,
    SETTINGS,
    OfficeConfig,
    clean_public_url,
    tracking_link,
)

__all__ = ["CONFIG_VERSION", "LEARNT_SETTINGS", "PAPER_WIDTHS_MM", "PRINTER_BACKENDS",
           "PUBLIC_URL_MAX", "SECRET_SETTINGS", "DataDir", "OfficeConfig",
           "clean_public_url", "tracking_link", "validate_office_code"]

log = logging.getLogger(__name__)

CONFIG_VERSION = 7
SECRETS_FILE = "secrets.toml"
# What config.toml held before version 7 when nobody set the public address: a made-up site
# whose QR codes led nowhere. Migrated to "" (no public address: the code is printed instead).
_OLD_DEFAULT_PUBLIC_URL = "https://tramites.municipalidad.gob.pe"


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
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in SETTINGS:
            continue  # unknown keys from a newer version are kept out, not fatal
        if not SETTINGS[key].accepts(value):
            raise ConfigError(
                "invalid_config",
                f"La configuración tiene un valor no válido para «{key}»: {value!r}.",
            )
        values[key] = value
    if "office_code" not in values or "office_name" not in values:
        raise ConfigError(
            "invalid_config", "La configuración no indica el código y el nombre de la oficina."
        )
    values["office_code"] = validate_office_code(values["office_code"])
    for key, value in values.items():  # each setting's declared checks (kiosk/settings.py)
        declared = SETTINGS[key]
        try:
            values[key] = declared.cleaned(value)
        except InvalidInput as exc:
            raise ConfigError("invalid_config", f"«{key}»: {exc.message}") from None
        if not declared.fits(values[key]):
            raise ConfigError("invalid_config", f"«{key}» debe ser {declared.allowed()}, "
                                                f"no {values[key]!r}.")
    config = OfficeConfig(**values)
    try:
        config.tz  # noqa: B018 - validates the zone name
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            "invalid_config", f"La zona horaria «{config.timezone}» no existe."
        ) from exc
    if bool(config.tls_cert_file) != bool(config.tls_key_file):
        raise ConfigError("invalid_config",
                          "Para TLS indique a la vez «tls_cert_file» y «tls_key_file».")
    for name in ("tls_cert_file", "tls_key_file", "central_ca_file"):
        value = getattr(config, name)
        if value and not Path(value).is_file():
            raise ConfigError("invalid_config", f"«{name}»: no existe el archivo {value}.")
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

    @property
    def signing(self) -> Path:
        """The municipality's signing certificate (kiosk/signing): outside the database, so
        in no backup; this user's alone."""
        return self.root / "signing"

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

    def secret_settings(self) -> dict[str, Any]:
        """Every secret setting as secrets.toml holds it ("" for one it lacks), for
        `replace(config, **…)`."""
        found: dict[str, Any] = {name: "" for name in SECRET_SETTINGS}
        return found | self.secrets()

    def central_credential(self) -> str:
        return self.secrets().get("central_credential", "")

    def save_central_credential(self, credential: str) -> None:
        """Store (or with "" forget) the hub's credential at central, in secrets.toml."""
        self.save_secret("central_credential", credential)

    def save_secret(self, name: str, value: str) -> None:
        """Store (or with "" forget) one of the SECRET_SETTINGS, in secrets.toml."""
        values = {**self.secrets(), name: value.strip()}
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
        for name in SECRET_SETTINGS:  # read from secrets.toml only
            raw.pop(name, None)
        while version < CONFIG_VERSION:
            raw = _MIGRATIONS[version](raw)
            version += 1
        secrets = self.secret_settings()
        if not secrets["central_credential"] and isinstance(legacy, str):
            secrets["central_credential"] = legacy
        return replace(_coerce(raw), **secrets)

    def save_config(self, config: OfficeConfig) -> None:
        """config.toml, without the secrets (see `save_central_credential`)."""
        self.create()
        data = {"config_version": CONFIG_VERSION, **asdict(config)}
        for name in (*SECRET_SETTINGS, *LEARNT_SETTINGS):
            data.pop(name)
        # Atomic: a power cut leaves the old or the new file.
        write_private(self.config_file, tomli_w.dumps(data).encode("utf-8"))
