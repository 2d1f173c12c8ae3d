"""The admin window's Spanish texts and the small formatting helpers its pages share."""

from __future__ import annotations

from datetime import datetime, tzinfo

from pydantic import ValidationError

from kiosk.rules import pairing_codes
from kiosk.settings import EDITABLE, SETTINGS

OFFLINE = ("No se puede conectar con el hub de la oficina. Se reintentará en unos segundos; "
           "lo que escribió en los formularios se conserva.")
NOT_ADMIN = ("Este equipo no tiene una credencial de administración. Empareje este equipo "
             "como «Administración» desde otra ventana de administración (pestaña "
             "Dispositivos) y ábralo con --pair CÓDIGO.")
SAVED = "Cambios guardados."

# A user's role in the office (kiosk/rules/permissions.py Role, the staff ones).
USER_ROLES = {"counter": "Ventanilla", "supervisor": "Supervisor", "admin": "Administrador"}
# A device's role: what the PC is for.
DEVICE_ROLES = {"kiosk": "Quiosco", "display": "Pantalla de sala", "counter": "Ventanilla",
                "supervisor": "Supervisión", "admin": "Administración"}

# printing/backends.py: each backend with the form of its target.
PRINTER_BACKENDS = {
    "file": ("Carpeta (pruebas)", "impresiones"),
    "network": ("Impresora de red", "192.168.1.50:9100"),
    "usb": ("USB", "0x04b8:0x0202"),
    "serial": ("Puerto serie", "/dev/ttyUSB0:9600 o COM3:9600"),
    "win32": ("Impresora de Windows", "EPSON TM-T20II"),
    "cups": ("Cola CUPS (Linux)", "TM-T20II"),
    "dummy": ("Simulada (demostración)", "(no se usa)"),
}

# The office settings by field, as the window names them (for «se aplica al reiniciar» and a
# form's complaint): their declared labels (kiosk/settings.py).
SETTING_NAMES = {name: SETTINGS[name].facts.label for name in EDITABLE}


def when(moment: datetime | None, tz: tzinfo | None, empty: str = "—") -> str:
    if moment is None:
        return empty
    return f"{moment.astimezone(tz):%d/%m/%Y %H:%M}"


def clock(moment: datetime, tz: tzinfo | None) -> str:
    return f"{moment.astimezone(tz):%H:%M}"


def grouped_code(code: str) -> str:
    """A pairing code as it is read aloud and typed: «ABCD-EFGH-JKLM»."""
    return pairing_codes.grouped(code)


def spaced_fingerprint(fingerprint: str) -> str:
    """«3F:A2:91:BC:…» as groups of four that wrap on screen: «3FA2 91BC …»."""
    plain = fingerprint.replace(":", "").upper()
    return " ".join(plain[i:i + 4] for i in range(0, len(plain), 4))


# Two lines on the Dispositivos tab: how the office network is protected (README, «LAN»).
TLS_NOTE = ("Conexión cifrada: el hub atiende la red con HTTPS y un certificado propio de la "
            "oficina.\nCada equipo nuevo lo recibe al emparejarse y lo comprueba con los 4 "
            "últimos caracteres del código.")


def restart_text(fields: list[str]) -> str:
    """«Se aplica al reiniciar el hub: …» for the settings that need it; "" when none."""
    if not fields:
        return ""
    names = ", ".join(SETTING_NAMES.get(name, name) for name in fields)
    return f"Se aplica al reiniciar el hub: {names}."


FIELD_NAMES = {
    "code": "el código", "name": "el nombre", "prefix": "la letra", "sla_minutes": "el objetivo",
    "number": "el número", "services": "los servicios", "username": "el usuario",
    "full_name": "el nombre completo", "role": "el rol",
    **SETTING_NAMES,
}


def spanish(error: ValidationError) -> str:
    """One readable sentence for pydantic's first complaint about a form."""
    first = error.errors()[0]
    context = first.get("ctx") or {}
    field = next((str(part) for part in (*reversed(first.get("loc", ())), context.get("field"))
                  if str(part) in FIELD_NAMES), "")
    what = FIELD_NAMES.get(field, "un dato del formulario")
    if first.get("type") == "invalid_text":  # kiosk/rules/text.py says what it holds
        return f"Revise {what}: contiene {context.get('problem')}."
    return f"Revise {what}: falta o no es válido."

# A counter device bound to its counter (the devices tab).
NO_BINDING = "Cualquiera"  # the clerk chooses at login
BINDING_HINT = ("Un equipo de ventanilla asignado solo admite ingresar en esa ventanilla; una "
                "pantalla de calificación asignada califica solo las atenciones de esa ventanilla.")
