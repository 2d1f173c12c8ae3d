"""Every office setting, declared once: its type and default (the `OfficeConfig` field), and
its facts (`Facts`): range or choices, Spanish label, who may change it, whether the hub must
restart, whether it is a secret. The rest is derived from here: config.toml's checks
(kiosk/config.py), the admin's change and view models (kiosk/services/admin_views.py), their
checks and Spanish errors (kiosk/services/office_settings.py) and the admin window's fields
(ui/admin/settings_tabs.py), as MusicBrainz Picard's `options.py` does.

Adding a setting is one field below (a new group of the admin window, one `Group` member);
`tests/ui/test_settings_declared.py` checks that everything made from the declarations shows
it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from kiosk.errors import InvalidInput

T = TypeVar("T")

PRINTER_BACKENDS = ("dummy", "file", "usb", "serial", "network", "win32", "cups")
PAPER_WIDTHS_MM = (80, 58)  # the usual first
CODEPAGES = ("CP858", "CP850", "CP1252")  # printing.encoding.CODEPAGES (the core can't import it)
PUBLIC_URL_MAX = 150  # with "/t/<code>", within a printed QR's 200 bytes (printing.blocks)


class Editor(Enum):
    """Who may change a setting."""

    FILE = "config.toml"  # the office's technician, in config.toml only
    ADMIN = "admin"  # also the admin window (operation `admin.write`), stored in the office store
    CENTRAL = "central"  # learnt from central's sync hello, kept in the office store


class Group(Enum):
    """Where the admin window shows a setting (the group's title)."""

    PRINTER = "Impresora de turnos de la oficina"
    OFFICE = "Oficina"
    CENTRAL = "Servidor central"
    BACKUPS = "Copias de seguridad"
    SAFETY = "Datos personales y seguridad"
    CALLING = "Llamado de turnos"
    CALENDAR = "Calendario de la oficina"
    NOTICES = "Avisos a los ciudadanos (correo y SMS)"
    SIGNING = "Firma digital"
    CITAS = "Citas"


@dataclass(frozen=True)
class Facts:
    """What a setting is beyond its type and default."""

    label: str = ""  # Spanish, with its article: «Indique el bloqueo por inactividad…»
    editor: Editor = Editor.FILE
    restart: bool = False  # taken by something running at start: effective after a restart
    secret: bool = False  # secrets.toml only: never in config.toml, the store, events, views
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] = ()
    unit: str = ""  # after a number in messages: " minutos"
    allowed: str = ""  # what is accepted, when the derived «un número entre 1 y 5» is not apt
    max_length: int | None = None  # of the text the admin's change model accepts
    is_name: bool = False  # a person's text: kiosk.rules.text.Name (invisible formatting out)
    clean: Callable[[Any], Any] | None = None  # normalises, or a Spanish InvalidInput
    # The admin window: the group, the form's label (& marks the shortcut; a yes/no's own
    # text), the hint in an empty field, the spin box's suffix, the text shown at its
    # minimum, and a line under the group's form.
    group: Group | None = None
    form_label: str = ""
    placeholder: str = ""
    suffix: str = ""
    at_minimum: str = ""
    hint: str = ""
    # In the admin view from the start (required there); a setting added later has a default
    # in the view, so a window can read an older hub's answer.
    view_required: bool = False


def setting(default: T, facts: Facts = Facts()) -> T:
    """An `OfficeConfig` field with its facts (typed as its value, for the dataclass)."""
    # A dataclasses.Field: the dataclass takes it as the field's declaration.
    return field(default=default, metadata={"facts": facts}, repr=not facts.secret)


def required(facts: Facts) -> Any:
    """A setting every config.toml states (no default)."""
    return field(metadata={"facts": facts})


def _text_name(value: Any, label: str) -> str:
    text = " ".join(str(value).split())
    if not 1 <= len(text) <= 120:
        raise InvalidInput("invalid_setting", f"Escriba {label} (de 1 a 120 caracteres).")
    return text


def _office_name(value: Any) -> str:
    return _text_name(value, "el nombre de la oficina")


def _municipality(value: Any) -> str:
    return _text_name(value, "la municipalidad")


def _central_url(value: Any) -> str:
    url = str(value).strip().rstrip("/")
    if url and not url.startswith(("https://", "http://")):
        raise InvalidInput("invalid_setting",
                           "La dirección del servidor central debe empezar con https:// "
                           "(o quedar vacía si la oficina trabaja sola).")
    return url


def _matching(pattern: str, message: str, *, empty: bool = True) -> Callable[[Any], str]:
    """A text setting checked against `pattern` (or left empty, where `empty`): one shape for
    the many settings that are a code, a time or an address."""
    compiled = re.compile(pattern)

    def clean(value: Any) -> str:
        text = str(value).strip()
        if (text or not empty) and not compiled.fullmatch(text):
            raise InvalidInput("invalid_setting", message)
        return text

    return clean


_HH_MM = r"([01]\d|2[0-3]):[0-5]\d"  # kiosk.rules.calendar and kiosk.rules.citas read it
_ubigeo = _matching(r"\d{6}", "El ubigeo es el código del INEI de 6 dígitos del distrito de "
                    "la oficina (p. ej. Cajamarca: 060101), o queda vacío.")
_filing_cutoff = _matching(_HH_MM, "Indique la hora de cierre como HH:MM de 24 horas (p. ej. "
                           "17:00), o déjela vacía.")
_clock_time = _matching(_HH_MM, "Indique la hora como HH:MM de 24 horas (p. ej. 08:30).",
                        empty=False)
_smtp_host = _matching(r"[A-Za-z0-9.\-:\[\]]{1,253}", "Indique el servidor de correo por su "
                       "nombre o dirección (p. ej. smtp.municipalidad.gob.pe), o déjelo vacío.")
_notice_sender = _matching(r"[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", "Indique el "
                           "remitente de los avisos como un correo (p. ej. "
                           "avisos@municipalidad.gob.pe), o déjelo vacío.")


_LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def _sms_gateway_url(value: Any) -> str:
    # The key travels in a header: https, or http only to this PC (a gateway beside the hub).
    url = str(value).strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        host = ""
    if not host or parts.scheme not in ("https", "http") or (
            parts.scheme == "http" and host not in _LOOPBACK_HOSTS):
        raise InvalidInput("invalid_setting",
                           "La dirección de la pasarela de SMS debe empezar con https:// (la "
                           "clave no viaja sin cifrar), o quedar vacía si no se envían SMS.")
    return url


def _timestamp_url(value: Any) -> str:
    url = str(value).strip()
    if url and (not url.startswith(("https://", "http://")) or re.search(r"\s", url)):
        raise InvalidInput("invalid_setting",
                           "La dirección del servidor de sellos de tiempo debe empezar con "
                           "https:// o http:// (p. ej. la que indica su proveedor de "
                           "certificados), o quedar vacía.")
    return url


def _usernames(value: Any) -> str:
    names = [name for name in re.split(r"[\s,;]+", str(value).strip().lower()) if name]
    if any(not re.fullmatch(r"[a-z0-9._-]{1,40}", name) for name in names):
        raise InvalidInput("invalid_setting",
                           "Escriba los usuarios que firman separados por comas (p. ej. "
                           "registrador, jperez), o deje el campo vacío.")
    return ", ".join(dict.fromkeys(names))


def _stripped(value: Any) -> str:
    return str(value).strip()


def _backup_copy_dir(value: Any) -> str:
    folder = str(value).strip()
    if folder and not Path(folder).is_absolute():
        raise InvalidInput("invalid_setting",
                           "La carpeta de la segunda copia debe ser una ruta completa "
                           "(p. ej. E:\\copias o /media/usb/copias), o quedar vacía.")
    return folder


def _printer_target(value: Any) -> str:
    target = str(value).strip()
    if not target:
        raise InvalidInput("invalid_setting",
                           "Indique dónde está la impresora (puerto, dirección o nombre).")
    return target


def _positive(value: Any) -> Any:
    if not value > 0:
        raise InvalidInput("invalid_setting", "Indique un número mayor que 0.")
    return value


def _codepage(value: Any) -> str:
    return str(value).strip().upper()


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


def _public_url(value: Any) -> str:
    try:
        return clean_public_url(str(value))
    except InvalidInput as exc:
        raise InvalidInput("invalid_setting", exc.message) from None


def tracking_link(public_address: str, tracking_code: str) -> str:
    """The public page of one expediente, or "" without a public address (or a code)."""
    if not public_address or not tracking_code:
        return ""
    return f"{public_address.rstrip('/')}/t/{tracking_code}"


_ADMIN = Editor.ADMIN


@dataclass(frozen=True)
class OfficeConfig:
    """The office's settings: config.toml, with the admin's (office store) and central's on
    top when the hub serves (kiosk/services/office_settings.py). The admin's come first, in
    the order the admin's models list them."""

    office_code: str = required(Facts("el código de la oficina"))
    office_name: str = required(Facts(
        "el nombre de la oficina", _ADMIN, is_name=True, max_length=120, clean=_office_name,
        group=Group.OFFICE, form_label="&Nombre", placeholder="p. ej. CAC Cajamarca",
        view_required=True))
    municipality: str = setting("Municipalidad", Facts(
        "la municipalidad", _ADMIN, is_name=True, max_length=120, clean=_municipality,
        group=Group.OFFICE, form_label="&Municipalidad",
        placeholder="p. ej. Municipalidad Provincial de Cajamarca", view_required=True))
    # Where the office is (INEI ubigeo of its district): which regional non-working days
    # count here (kiosk/rules/calendar.py, DayScope). Empty: only the whole country's.
    ubigeo: str = setting("", Facts(
        "el ubigeo de la oficina", _ADMIN, max_length=6, clean=_ubigeo,
        group=Group.CALENDAR, form_label="&Ubigeo (INEI)",
        placeholder="6 dígitos, p. ej. 060101 (Cajamarca)",
        hint="Con el ubigeo cuentan en los plazos los feriados de su departamento, provincia "
             "o distrito; los de otras regiones, no."))
    # The office's closing time for filings: a filing later than it counts as made on the
    # next working day (TUO Ley 27444 art. 149, horas hábiles; unconfirmed, docs/decisions.md).
    # Empty: each filing counts on its own date, as before.
    filing_cutoff: str = setting("", Facts(
        "la hora de cierre de la mesa de partes", _ADMIN, max_length=5, clean=_filing_cutoff,
        group=Group.CALENDAR, form_label="C&ierre de mesa de partes",
        placeholder="HH:MM, p. ej. 17:00 (vacío: sin cierre)",
        hint="Un trámite presentado después del cierre se cuenta desde el día hábil "
             "siguiente."))
    # The municipality's central server and this hub's credential there (`cac central office
    # add` prints it); empty: the office works alone. The credential is read from
    # secrets.toml (DataDir.central_credential), never saved in config.toml.
    central_url: str = setting("", Facts(
        "la dirección de la central", _ADMIN, restart=True, max_length=300, clean=_central_url,
        group=Group.CENTRAL, form_label="&Dirección",
        placeholder="https://central.municipalidad.gob.pe (vacío: sin central)",
        view_required=True))
    central_credential: str = setting("", Facts(
        "la credencial de la central", _ADMIN, restart=True, secret=True, max_length=300,
        clean=_stripped, group=Group.CENTRAL, form_label="&Credencial", view_required=True))
    # The public address of central's tracking page (its root, where a citizen types a
    # code): the QR codes of cargos, receipts and certified copies point at
    # <address>/t/<tracking code>. `public_url` is the one the admin set and wins;
    # `central_public_url` the one central announced in the sync hello (`cac central
    # --public-url`). Neither: documents print the code and say to ask at the office, no QR.
    public_url: str = setting("", Facts(
        "la página pública", _ADMIN, max_length=300, clean=_public_url, group=Group.CENTRAL,
        form_label="Págin&a pública",
        placeholder="la página de consulta de la central (https://…)"))
    # Automatic backups kept in rotation in <data-dir>/backups, one every
    # `backup_interval_hours` while the hub runs (0: only before migrations and by hand), also
    # copied to `backup_copy_dir` when set (a USB stick, a second disk).
    backup_interval_hours: float = setting(24.0, Facts(
        "la frecuencia de las copias de seguridad", _ADMIN, restart=True, low=0, high=744,
        allowed="0 (sin copias programadas) o un número de horas hasta 744",
        group=Group.BACKUPS, form_label="&Cada", suffix=" h",
        hint="0 h: solo antes de cada actualización y a mano (cac backup).",
        view_required=True))
    backups_kept: int = setting(10, Facts(
        "las copias que se guardan", _ADMIN, low=1, high=100, unit=" copias",
        group=Group.BACKUPS, form_label="&Guardar", suffix=" copias", view_required=True))
    backup_copy_dir: str = setting("", Facts(
        "la carpeta de la segunda copia", _ADMIN, restart=True, max_length=500,
        clean=_backup_copy_dir, group=Group.BACKUPS, form_label="Segunda co&pia en",
        placeholder="p. ej. E:\\copias-cac (una memoria USB)", view_required=True))
    # A counter window locks itself after this long without input (the clerk types the PIN).
    idle_lock_minutes: int = setting(5, Facts(
        "el bloqueo por inactividad", _ADMIN, low=1, high=240, unit=" minutos",
        group=Group.SAFETY, form_label="&Bloquear pantallas tras", suffix=" min",
        view_required=True))
    # Failed logins in a row that lock a clerk's account, and for how long.
    login_attempts: int = setting(5, Facts(
        "los intentos de ingreso", _ADMIN, low=1, high=20, unit=" intentos",
        group=Group.SAFETY, form_label="Bloquear la cuenta tras", suffix=" intentos",
        view_required=True))
    login_lockout_minutes: int = setting(15, Facts(
        "el tiempo de bloqueo de la cuenta", _ADMIN, low=1, high=1440, unit=" minutos",
        group=Group.SAFETY, form_label="… &durante", suffix=" min", view_required=True))
    # Ticket data older than this many days is removed (Ley 29733); 0: kept forever.
    ticket_retention_days: int = setting(0, Facts(
        "los días que se guardan los turnos", _ADMIN, low=0, high=7320,
        allowed="0 (conservar los turnos siempre) o un número de días hasta 7320 (20 años)",
        group=Group.SAFETY, form_label="Guardar los &turnos", suffix=" días",
        at_minimum="siempre", view_required=True))
    # This PC's receipt printer (kiosk, counter): see printing.backends for each target's form.
    printer_backend: str = setting("file", Facts(
        "la conexión de la impresora", _ADMIN, restart=True, choices=PRINTER_BACKENDS,
        max_length=20, group=Group.PRINTER, form_label="&Conexión", view_required=True))
    printer_target: str = setting("impresiones", Facts(
        "la dirección de la impresora", _ADMIN, restart=True, max_length=300,
        clean=_printer_target, group=Group.PRINTER, form_label="&Dirección",
        view_required=True))
    printer_width_mm: int = setting(80, Facts(
        "el ancho del papel", _ADMIN, restart=True, choices=PAPER_WIDTHS_MM,
        allowed="58 u 80 mm", group=Group.PRINTER, form_label="&Ancho del papel",
        suffix=" mm", view_required=True))
    printer_codepage: str = setting("CP858", Facts(
        "la página de códigos", _ADMIN, restart=True, choices=CODEPAGES, max_length=20,
        clean=_codepage, group=Group.PRINTER, form_label="&Página de códigos",
        view_required=True))
    # The calling policy's anti-starvation cap (kiosk/rules/calling.py, ARCHITECTURE §5).
    cap_preferential_calls: bool = setting(False, Facts(
        "el límite de llamados preferenciales", _ADMIN, group=Group.CALLING,
        form_label="&Limitar los preferenciales a 1 de cada 3 llamados mientras esperan "
                   "turnos normales",
        hint="Sin límite, un turno preferencial siempre pasa primero (Ley 28683): mientras "
             "lleguen preferenciales, un turno normal puede esperar horas. Para que avancen "
             "sin límite, atienda a los preferenciales en una ventanilla propia (pestaña "
             "Ventanillas: «Solo preferenciales»; las demás, «Sin preferenciales»)."))
    # Notices to citizens (kiosk/rules/notices.py, docs/decisions.md 39): e-mail by SMTP and
    # SMS through an HTTP gateway. Empty server or gateway: that channel waits (the notices
    # stay in the outbox). The password and the key are secrets (secrets.toml only).
    notice_smtp_host: str = setting("", Facts(
        "el servidor de correo", _ADMIN, max_length=253, clean=_smtp_host,
        group=Group.NOTICES, form_label="Servidor de c&orreo (SMTP)",
        placeholder="p. ej. smtp.municipalidad.gob.pe (vacío: sin avisos por correo)"))
    notice_smtp_port: int = setting(587, Facts(
        "el puerto del servidor de correo", _ADMIN, low=1, high=65535, group=Group.NOTICES,
        form_label="P&uerto"))
    notice_smtp_security: str = setting("starttls", Facts(
        "el cifrado del correo", _ADMIN, choices=("starttls", "ssl", "ninguno"), max_length=10,
        group=Group.NOTICES, form_label="Ci&frado",
        hint="«ninguno» solo con un servidor de correo en esta misma PC: la contraseña no "
             "viaja sin cifrar."))
    notice_smtp_user: str = setting("", Facts(
        "el usuario del correo", _ADMIN, max_length=120, clean=_stripped, group=Group.NOTICES,
        form_label="Us&uario del correo", placeholder="vacío: el servidor no pide usuario"))
    notice_smtp_password: str = setting("", Facts(
        "la contraseña del correo", _ADMIN, secret=True, max_length=300, clean=_stripped,
        group=Group.NOTICES, form_label="Contraseña del corr&eo"))
    notice_sender: str = setting("", Facts(
        "el remitente de los avisos", _ADMIN, max_length=120, clean=_notice_sender,
        group=Group.NOTICES, form_label="&Remitente",
        placeholder="p. ej. avisos@municipalidad.gob.pe"))
    notice_sms_url: str = setting("", Facts(
        "la pasarela de SMS", _ADMIN, max_length=300, clean=_sms_gateway_url,
        group=Group.NOTICES, form_label="Pasarela de &SMS",
        placeholder="https://… del proveedor (vacío: sin avisos por SMS)"))
    notice_sms_key: str = setting("", Facts(
        "la clave de la pasarela de SMS", _ADMIN, secret=True, max_length=300,
        clean=_stripped, group=Group.NOTICES, form_label="C&lave de la pasarela",
        hint="La contraseña y la clave se guardan solo en esta PC (secrets.toml), nunca en "
             "la base de datos ni en las copias de seguridad."))
    # The digital signature (kiosk/signing, issue 18): who signs with the municipality's
    # certificate (users of this office, by user name: the registrar), the place the signature
    # states, and the RFC 3161 timestamp server asked while the link is up (none: no
    # timestamp; the signature is valid all the same).
    signing_users: str = setting("", Facts(
        "los usuarios que firman", _ADMIN, max_length=300, clean=_usernames,
        group=Group.SIGNING, form_label="&Usuarios que firman",
        placeholder="usuarios separados por comas, p. ej. registrador",
        hint="Solo ellos firman con el certificado de la municipalidad, cada uno con la "
             "contraseña del certificado al empezar su sesión."))
    signing_place: str = setting("", Facts(
        "el lugar de la firma", _ADMIN, max_length=120, clean=_stripped,
        group=Group.SIGNING, form_label="&Lugar de la firma",
        placeholder="p. ej. Cajamarca, Perú (vacío: el nombre de la oficina)"))
    timestamp_url: str = setting("", Facts(
        "el servidor de sellos de tiempo", _ADMIN, max_length=300, clean=_timestamp_url,
        group=Group.SIGNING, form_label="&Sellos de tiempo (TSA)",
        placeholder="https://… (RFC 3161; vacío: sin sello de tiempo)",
        hint="Sin enlace, los documentos se firman igual, sin sello de tiempo."))
    # The office's hours, cut into each service's cita slots (kiosk/rules/citas.py), and the
    # window around a slot's start: a citizen checked in by its end is called from its start
    # minus the window, after the preferential ones; later, they join the regular queue.
    office_opens: str = setting("08:30", Facts(
        "la hora de apertura", _ADMIN, max_length=5, clean=_clock_time, group=Group.CITAS,
        form_label="A&pertura", placeholder="HH:MM, p. ej. 08:30"))
    office_closes: str = setting("16:30", Facts(
        "la hora de cierre de la atención", _ADMIN, max_length=5, clean=_clock_time,
        group=Group.CITAS, form_label="&Fin de la atención",
        placeholder="HH:MM, p. ej. 16:30"))
    cita_window_minutes: int = setting(10, Facts(
        "la tolerancia de las citas", _ADMIN, low=0, high=60, unit=" minutos",
        group=Group.CITAS, form_label="&Tolerancia de las citas", suffix=" min",
        hint="Quien llega con cita hasta esos minutos después de su hora es llamado antes "
             "que la cola normal (después de los preferenciales); más tarde, hace la cola."))
    # The kiosk is a public machine with no one logged in: a prank must not take every place
    # of the office's citas from it (decision 47).
    cita_kiosk_bookings_per_hour: int = setting(10, Facts(
        "las citas por hora desde un kiosco", _ADMIN, low=1, high=120, unit=" citas",
        suffix=" citas",
        group=Group.CITAS, form_label="Citas por &hora desde cada kiosco",
        hint="Un kiosco no reserva más citas que estas en una hora: así nadie puede ocupar "
             "todos los cupos desde la pantalla pública. En ventanilla no hay límite."))
    central_public_url: str = setting("", Facts(
        "la página pública que anunció la central", Editor.CENTRAL, clean=_public_url))

    # --- config.toml only ---
    timezone: str = setting("America/Lima", Facts("la zona horaria"))
    hub_host: str = setting("127.0.0.1", Facts("la dirección del hub"))
    hub_port: int = setting(8470, Facts("el puerto del hub", low=1, high=65535))
    # How long a no-show ticket can be put back in the queue.
    missed_reinstate_minutes: int = setting(15, Facts("los minutos para reincorporar un turno"))
    # Service time assumed for wait estimates until the day has its own samples.
    default_service_minutes: float = setting(6.0, Facts("el tiempo de atención supuesto"))
    printer_timeout_s: float = setting(5.0, Facts(
        "el tiempo de espera de la impresora", high=120, clean=_positive,
        allowed="un número mayor que 0 y hasta 120 s"))
    # Failed logins (any user name) refused for a while once this many happened in
    # `login_failure_window_minutes`: from one device, and in the whole office. The office's
    # bound is above a device's, so one noisy device alone never stops the others' logins.
    login_failures_per_device: int = setting(10, Facts(
        "los ingresos fallidos por equipo", low=3, high=100))
    login_failures_office: int = setting(30, Facts(
        "los ingresos fallidos en la oficina", low=4, high=1000))
    login_failure_window_minutes: int = setting(5, Facts(
        "la ventana de ingresos fallidos", low=1, high=60, unit=" minutos"))
    # The LAN API over TLS with a certificate and key the administrator installs (PEM files);
    # empty: off loopback the hub serves HTTPS with the office's own CA (kiosk/tls.py).
    # `central_ca_file` is the CA bundle the sync client checks central's certificate with
    # (empty: the system's CAs).
    tls_cert_file: str = setting("", Facts("el certificado TLS"))
    tls_key_file: str = setting("", Facts("la clave TLS"))
    central_ca_file: str = setting("", Facts("los certificados de la central"))
    # Largest scanned document accepted for an expediente.
    attachment_max_mb: int = setting(10, Facts(
        "el tamaño máximo de un documento", low=1, high=100, unit=" MB"))
    # The hub syncs every `sync_interval_s` while the link is up, and the supervisor is
    # alerted after `sync_alert_minutes` without.
    sync_interval_s: float = setting(60.0, Facts(
        "el intervalo de sincronización", low=5, high=3600, unit=" segundos"))
    sync_alert_minutes: int = setting(240, Facts(
        "la alerta sin sincronizar", low=5, high=10080, unit=" minutos"))
    # The supervisor is alerted when an open counter has been free this long while people
    # wait for its services; a citizen may rate a finished ticket for this long.
    idle_counter_alert_minutes: int = setting(3, Facts(
        "la alerta de ventanilla libre", low=1, high=240, unit=" minutos"))
    rating_window_minutes: int = setting(30, Facts(
        "el plazo para calificar", low=1, high=1440, unit=" minutos"))

    @property
    def public_address(self) -> str:
        """The public address in use ("" when there is none)."""
        return self.public_url or self.central_public_url

    def tracking_url(self, tracking_code: str) -> str:
        return tracking_link(self.public_address, tracking_code)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Setting:
    """One declared setting: its name, type, default and facts."""

    name: str
    kind: type  # bool, int, float or str
    default: Any
    facts: Facts

    def allowed(self) -> str:
        """What is accepted, in Spanish, after «Indique …:» or «… debe ser»."""
        facts = self.facts
        if facts.allowed:
            return facts.allowed
        if facts.choices:
            *first, last = (str(choice) for choice in facts.choices)
            return f"{', '.join(first)} o {last}{facts.unit}" if first else last
        return f"un número entre {_number(facts.low)} y {_number(facts.high)}{facts.unit}"

    def accepts(self, value: Any) -> bool:
        """Of the setting's type (an int for a float; never a bool for a number)."""
        if self.kind is bool or isinstance(value, bool):
            return self.kind is bool and isinstance(value, bool)
        if self.kind is float:
            return isinstance(value, int | float)
        return isinstance(value, self.kind)

    def fits(self, value: Any) -> bool:
        """Within the range and among the choices (a cleaned value of the right type)."""
        facts = self.facts
        if facts.choices and value not in facts.choices:
            return False
        return not ((facts.low is not None and value < facts.low)
                    or (facts.high is not None and value > facts.high))

    def cleaned(self, value: Any) -> Any:
        """The value as stored (one type, trimmed), or a Spanish InvalidInput."""
        if self.facts.clean is not None:
            value = self.facts.clean(value)
        return self.typed(value)

    def typed(self, value: Any) -> Any:
        """An accepted value as its type (a float setting given an int)."""
        return float(value) if self.kind is float else value

    def check(self, value: Any) -> Any:
        """The admin's value as stored, or InvalidInput("invalid_setting") in Spanish."""
        value = self.cleaned(value)
        if not self.fits(value):
            raise InvalidInput("invalid_setting",
                               f"Indique {self.facts.label}: {self.allowed()}.")
        return value


def _number(value: float | None) -> str:
    return f"{value:g}" if value is not None else "…"


_KINDS = {"str": str, "int": int, "float": float, "bool": bool}
SETTINGS: dict[str, Setting] = {
    f.name: Setting(f.name, _KINDS[str(f.type)], f.default, f.metadata["facts"])
    for f in fields(OfficeConfig) if "facts" in f.metadata
}
# The admin window's settings, in declaration order.
EDITABLE = tuple(name for name, s in SETTINGS.items() if s.facts.editor is Editor.ADMIN)
# Taken by something running when the hub started: effective after a restart.
RESTART_NEEDED = tuple(name for name, s in SETTINGS.items() if s.facts.restart)
# Kept in secrets.toml, never in config.toml nor the database (so never in a backup).
SECRET_SETTINGS = tuple(name for name, s in SETTINGS.items() if s.facts.secret)
# What the hub learns (kept in its store), not a setting of config.toml.
LEARNT_SETTINGS = tuple(name for name, s in SETTINGS.items()
                        if s.facts.editor is Editor.CENTRAL)


def secret_view_name(name: str) -> str:
    """A secret's field in the admin's view: whether one is stored, never the value."""
    return f"{name}_set"
