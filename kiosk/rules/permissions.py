"""Who may do what: one table, checked by the hub on every request, whatever a window shows.

A caller is a *device* (a token: which PC and which role) and, once someone logs in on it, a
*person* (a clerk's session on that device). A device alone may do only what a public machine
may: issue tickets and report its own prints (kiosk), read calls and report whether it can
speak them (display), rate the ticket just finished at its own counter (a rating screen).
Anything with personal data, money, a counter, the day, the catalogue or the settings needs a
person logged in on a device of the right role, and a clerk acts only on the counter they
opened (ARCHITECTURE §9).

Each operation of the API names the permission it needs here in the operation table
(kiosk/client/base.py `may=`); the route checks it before reading the request, and the hub
again in its own method.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.errors import Forbidden, InvalidInput, Unauthorized


class Role(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"
    COUNTER = "counter"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Binding(StrEnum):
    """What an operation is bound to, beyond the caller's role."""

    NONE = "none"
    # The counter the clerk opened at login (and the one the admin bound the device to): a
    # counter number in the request, or the counter that holds the ticket acted on.
    COUNTER = "counter"
    # The kiosk reports only the jobs of what it printed itself (its own tickets).
    OWN_PRINTS = "own_prints"
    # A counter device acting alone (a rating screen) sees only what the counter the admin
    # bound it to holds; a person logged in is not bound by it.
    SCREEN = "screen"


@dataclass(frozen=True)
class Rule:
    """`alone`: device roles that may do it with nobody logged in. `person`: device roles on
    which a logged-in person may do it (the person's own role is at least the device's: see
    kiosk/services/users.py RANK). `bound`: what the caller must be bound to."""

    alone: frozenset[Role] = frozenset()
    person: frozenset[Role] = frozenset()
    bound: Binding = Binding.NONE
    why: str = ""  # the refusal's end: «… para {why}.»

    def roles(self) -> frozenset[Role]:
        return self.alone | self.person


ALL = frozenset(Role)
STAFF = frozenset({Role.COUNTER, Role.SUPERVISOR, Role.ADMIN})
MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})
COUNTER = frozenset({Role.COUNTER})
KIOSK = frozenset({Role.KIOSK})

# Public facts any screen shows: numbers, the TUPA, the link's state, never a person.
_PUBLIC = Rule(alone=ALL)
_PERSONAL = Rule(person=STAFF, why="ver o registrar datos de ciudadanos")
_MANAGED = Rule(person=MANAGERS, why="ver estadísticas y reportes")
_ADMINISTERED = Rule(person=ADMIN, why="administrar la oficina")

OPERATIONS: dict[str, Rule] = {
    "services.read": _PUBLIC,
    "procedures.read": _PUBLIC,  # the TUPA is public information
    "queue.read": _PUBLIC,  # ticket numbers and counters only
    "calls.read": _PUBLIC,
    "expedientes.public": _PUBLIC,  # status and dates, never whose it is
    "sync.status": _PUBLIC,  # counts, no names
    # A display reports its own voice (kiosk/services/display_health.py): nothing else.
    "displays.health": Rule(alone=frozenset({Role.DISPLAY})),
    # A public window's watchdog says it started the window again (issue 19): its own PC.
    "windows.restarted": Rule(alone=frozenset({Role.KIOSK, Role.DISPLAY, Role.COUNTER})),
    # The login page lists the counters (states, no names) and logs clerks in.
    "counters.read": Rule(alone=STAFF),
    "sessions.login": Rule(alone=STAFF),
    "sessions.secret": Rule(person=STAFF, why="cambiar su PIN"),
    # A locked-down screen facing the public (kiosk, TV, a counter's rating screen) closes
    # only when an administrator types their PIN on it (issue 19).
    "windows.unlock": Rule(alone=frozenset({Role.KIOSK, Role.DISPLAY, Role.COUNTER})),
    # The kiosk issues alone; a staff PC issues a ticket for someone only with a person on it.
    "tickets.issue": Rule(alone=KIOSK, person=STAFF, why="sacar un turno desde este equipo"),
    "prints.report": Rule(alone=KIOSK, person=frozenset({Role.COUNTER, Role.ADMIN}),
                          bound=Binding.OWN_PRINTS, why="informar lo que imprime"),
    # A rating screen (a counter device the admin bound to a counter) rates the ticket just
    # finished at that counter, once; a counter PC with a clerk, at the clerk's counter.
    "ratings.submit": Rule(alone=COUNTER, person=COUNTER, bound=Binding.COUNTER,
                           why="calificar una atención"),
    # The counter: the clerk logged in on this PC, on the counter they opened.
    # A rating screen asks whether the ticket its counter held was finished.
    "tickets.read": Rule(alone=COUNTER, person=STAFF, bound=Binding.SCREEN,
                         why="ver un turno"),
    "tickets.serve": Rule(person=COUNTER, bound=Binding.COUNTER, why="atender turnos"),
    "tickets.reinstate": Rule(person=COUNTER, why="reincorporar un turno"),
    "counters.operate": Rule(person=COUNTER, bound=Binding.COUNTER,
                             why="abrir, pausar o cerrar una ventanilla"),
    # Citas (kiosk/rules/citas.py): the free slots are counts (public); the kiosk books for
    # another day, cancels or changes with the booking's DNI, and checks a citizen in; a
    # clerk books for someone on the phone. A day's bookings carry names: a person.
    "citas.read": _PUBLIC,
    "citas.book": Rule(alone=KIOSK, person=STAFF, why="reservar una cita"),
    "citas.checkin": Rule(alone=KIOSK, person=STAFF, why="registrar la llegada de una cita"),
    "citas.manage": Rule(person=STAFF, why="ver las citas reservadas"),
    # Personal data (Ley 29733) and money.
    "persons.read": _PERSONAL,
    "actas.read": _PERSONAL,
    "expedientes.read": _PERSONAL,
    "expedientes.write": Rule(person=STAFF, why="registrar trámites"),
    "attachments.read": _PERSONAL,
    "payments.take": Rule(person=STAFF, why="cobrar"),
    "documents.record": Rule(person=STAFF, why="registrar trámites"),
    "cash.read": Rule(person=STAFF, why="ver un cierre de caja"),
    # The digital signature (issue 18): any staff member sees whether they may sign; only a
    # user the admin named in «Usuarios que firman» signs (the hub checks the name), with
    # the certificate's password given once in their session.
    "signing.read": Rule(person=STAFF, why="ver la firma digital"),
    "documents.sign": Rule(person=STAFF, why="firmar documentos"),
    "actas.manage": Rule(person=MANAGERS, why="registrar actas"),
    # Nulidad de oficio of an approval (TUO Ley 27444 art. 213): the office's authority.
    "expedientes.nullify": Rule(person=MANAGERS, why="declarar la nulidad de oficio"),
    # Recursos against a decision (TUO Ley 27444 arts. 218-220): the counter receives them,
    # the supervisor records how their authority resolved them.
    "appeals.file": Rule(person=STAFF, why="registrar un recurso"),
    "appeals.decide": Rule(person=MANAGERS, why="resolver un recurso"),
    # The ITSE of a licencia de funcionamiento: a clerk or supervisor records the inspection
    # and its certificate; the supervisor watches due dates and expiries (names: a person).
    "itse.record": Rule(person=STAFF, why="registrar la inspección ITSE"),
    "itse.read": Rule(person=MANAGERS, why="ver las ITSE y sus vencimientos"),
    # The Libro de Reclamaciones (kiosk/rules/reclamos.py): like a ticket, the kiosk alone
    # files the citizen's own hoja (and gets back only that one); a clerk files one at the
    # counter. Reading the book (names, documents) and answering need a supervisor. The
    # suggestions box is anonymous: the kiosk alone takes them.
    "reclamos.file": Rule(alone=KIOSK, person=STAFF, why="registrar un reclamo desde este equipo"),
    "reclamos.read": Rule(person=MANAGERS, why="ver el Libro de Reclamaciones"),
    "reclamos.answer": Rule(person=MANAGERS, why="responder reclamos"),
    "suggestions.submit": Rule(alone=KIOSK),
    # A citizen who asks a clerk to finish keeps what they typed with their ticket (the kiosk
    # alone); the clerk who calls that ticket reads it (issue 17).
    "reclamos.draft": Rule(alone=KIOSK),
    "reclamos.draft_read": Rule(person=STAFF, why="continuar un reclamo empezado en el quiosco"),
    # The supervisor's figures (with clerks' names), exports, the day and the link.
    "stats.read": _MANAGED,
    "tickets.export": _MANAGED,
    "reports.export": _MANAGED,
    "prints.read": _MANAGED,
    "alerts.read": _MANAGED,
    "sync.attention": _MANAGED,
    "day.close": Rule(person=MANAGERS, why="cerrar el día"),
    # The administrator: the audit, the catalogue, users, devices and settings.
    "audit.access": _ADMINISTERED,
    "audit.verify": _ADMINISTERED,
    "admin.read": _ADMINISTERED,
    "admin.write": _ADMINISTERED,
    "devices.manage": _ADMINISTERED,
    "catalogue.manage": _ADMINISTERED,
}

# A person works on a device of their rank or below (a supervisor may attend a counter); the
# roles a person may have.
RANK = {Role.COUNTER: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2}
USER_ROLES = tuple(RANK)

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


def authorize(operation: str, role: Role, *, person: bool) -> Rule:
    """Refuse a device of the wrong role (403 «forbidden») or a device with nobody logged in
    where a person is needed (401 «clerk_required»); the operation's rule otherwise, for its
    binding. `person`: someone is logged in on the device."""
    rule = OPERATIONS[operation]
    if role in rule.alone or (person and role in rule.person):
        return rule
    if role in rule.person:
        raise Unauthorized("clerk_required",
                           f"Inicie sesión con su usuario para {rule.why or 'hacer esto'}.")
    raise Forbidden("forbidden",
                    f"Un dispositivo de tipo {ROLE_NAMES[role]} no puede hacer esto.")


def check_counter(operation: str, counter: int | None, mine: int | None, *, person: bool
                  ) -> None:
    """A clerk acts only on the counter they opened, a rating screen only on the counter the
    admin bound it to (`mine`). `counter`: the one acted on (None: not known yet, a ticket's)."""
    bound = OPERATIONS[operation].bound
    if bound is not Binding.COUNTER and not (bound is Binding.SCREEN and not person):
        return
    if mine is None:
        if not person:
            raise Forbidden("device_not_bound",
                            "Este equipo no está asignado a ninguna ventanilla: pida al "
                            "administrador que lo asigne a la suya.")
        choose = f" eligiendo la ventanilla {counter}" if counter is not None else ""
        raise Forbidden("counter_required",
                        "Su sesión no tiene ventanilla: cierre sesión y vuelva a ingresar"
                        f"{choose}.")
    if counter is not None and counter != mine:
        raise Forbidden("other_counter",
                        f"Este equipo atiende la ventanilla {mine}: no puede actuar sobre la "
                        f"ventanilla {counter}.")
