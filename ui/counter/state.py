"""What the queue panel may do now, from the counter's state and its ticket (no Qt).

The hub checks every action anyway; the window only greys out what the hub would refuse, from
the same rule table (kiosk.rules.queue.TICKET_ACTIONS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.rules.queue import TICKET_ACTIONS, TicketStatus
from kiosk.services.views import CounterView, ProcedureView, TicketView

# Queue actions of the panel, in the order of their buttons.
QUEUE_ACTIONS = ("call", "recall", "start", "no_show", "transfer", "finish", "pause", "resume",
                 "open", "close")

# Ticket statuses that keep a ticket at the counter.
HELD = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})


@dataclass(frozen=True)
class CounterState:
    """The counter as the clerk sees it: its state and the ticket it holds (if any)."""

    counter: CounterView | None = None
    ticket: TicketView | None = None

    @property
    def held_ticket(self) -> TicketView | None:
        ticket = self.ticket
        if ticket is None or ticket.status not in HELD:
            return None
        return ticket

    def legal(self) -> frozenset[str]:
        counter = self.counter
        if counter is None:
            return frozenset()
        if counter.state == "closed":
            return frozenset({"open"})
        if counter.state == "paused":
            return frozenset({"resume", "close"})
        ticket = self.held_ticket
        if ticket is None:
            return frozenset({"call", "pause", "close"})
        status = TicketStatus(ticket.status)
        return frozenset(action for action in ("recall", "start", "no_show", "transfer",
                                               "finish")
                         if status in TICKET_ACTIONS[action])


_VARIANT_IN_NAME = re.compile(r"(riesgo (?:muy alto|bajo|medio|alto)|modalidad [A-D])", re.I)


def procedure_variant(procedure: ProcedureView) -> str | None:
    """The risk level (`bajo`…`muy_alto`) or the modalidad (`A`…`D`) a procedure is for.

    Taken from the procedure's `variant` when the hub sends it, else from its name
    ("Licencia de funcionamiento — riesgo alto")."""
    variant = getattr(procedure, "variant", None)
    if isinstance(variant, str) and variant:
        return variant
    found = _VARIANT_IN_NAME.search(procedure.name)
    if found is None:
        return None
    words = found.group(1).lower().split(" ", 1)[1]
    if procedure.category == "licencia_edificacion" or found.group(1).lower().startswith("mod"):
        return words.upper()
    return words.replace(" ", "_")


def acta_kind(procedure: ProcedureView) -> str | None:
    """nacimiento | matrimonio | defuncion for a partida procedure, from its name."""
    name = procedure.name.lower()
    for kind, word in (("nacimiento", "nacimiento"), ("matrimonio", "matrimonio"),
                       ("defuncion", "defunci")):
        if word in name:
            return kind
    return None
