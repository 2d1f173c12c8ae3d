"""Who may do what. Checked by the hub on every request, whatever the window shows."""

from __future__ import annotations

from enum import StrEnum

from kiosk.errors import Forbidden, InvalidInput


class Role(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"
    COUNTER = "counter"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


_ALL = frozenset(Role)
_STAFF = frozenset({Role.COUNTER, Role.SUPERVISOR, Role.ADMIN})
_MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMIN})

PERMISSIONS: dict[str, frozenset[Role]] = {
    "services.read": _ALL,
    "queue.read": _ALL,
    "calls.read": _ALL,
    "tickets.issue": frozenset({Role.KIOSK, Role.COUNTER, Role.SUPERVISOR, Role.ADMIN}),
    "tickets.read": _STAFF,
    "tickets.serve": _STAFF,
    "counters.read": _STAFF,
    "counters.operate": _STAFF,
    "day.close": _MANAGERS,
    "stats.read": _MANAGERS,
    "tickets.export": _MANAGERS,
    "devices.manage": frozenset({Role.ADMIN}),
    # The TUPA is public information: whoever reads the services reads the procedures.
    "procedures.read": _ALL,
    "catalogue.manage": frozenset({Role.ADMIN}),
    # Devices with a printer of their own report each job; managers watch the failures.
    "prints.report": frozenset({Role.KIOSK, Role.COUNTER, Role.ADMIN}),
    "prints.read": _MANAGERS,
    "alerts.read": _MANAGERS,
    # Clerks log in on staff devices; what they may do is then checked per action below.
    "sessions.login": _STAFF,
    # Personal data (Ley 29733): only staff devices, and writes need a logged-in clerk.
    "persons.read": _STAFF,
    "actas.read": _STAFF,
    "actas.manage": _MANAGERS,
    "expedientes.read": _STAFF,
    "expedientes.write": _STAFF,
    "payments.take": _STAFF,
    # The counter tells the hub each cargo, receipt or copy it issued (reprints are marked).
    "documents.record": _STAFF,
    # Scanned documents hold personal data: staff only, never the kiosk or the display.
    "attachments.read": _STAFF,
    "cash.read": _STAFF,  # a clerk reads their own cierre de caja; managers anyone's
    # The kiosk (and the public) only learn an expediente's status, never whose it is.
    "expedientes.public": _ALL,
    # Every window shows when the office last synced with central (counts, no names).
    "sync.status": _ALL,
    "sync.attention": _MANAGERS,
    # The supervisor's dashboard, the period report and its tables (CSV) are managers' reads
    # ("stats.read"); the citizen rates on the kiosk or at the counter that served them.
    "reports.export": _MANAGERS,
    "ratings.submit": frozenset({Role.KIOSK, Role.COUNTER, Role.ADMIN}),
    "audit.verify": frozenset({Role.ADMIN}),
    # Who opened whose personal data (Ley 29733): the admin reads the access log.
    "audit.access": frozenset({Role.ADMIN}),
    # The admin window (issue 7): an admin device with an admin user logged in on it.
    "admin.read": frozenset({Role.ADMIN}),
    "admin.write": frozenset({Role.ADMIN}),
}

ROLE_NAMES = {
    Role.KIOSK: "quiosco",
    Role.DISPLAY: "pantalla",
    Role.COUNTER: "ventanilla",
    Role.SUPERVISOR: "supervisor",
    Role.ADMIN: "administrador",
}


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            "invalid_role", f"Rol desconocido «{value}». Use uno de: {', '.join(Role)}."
        ) from None


def authorize(role: Role, action: str) -> None:
    if role not in PERMISSIONS[action]:
        raise Forbidden(
            "forbidden", f"Un dispositivo de tipo {ROLE_NAMES[role]} no puede hacer esto."
        )
