"""What the hub's API and its clients agree on: the headers, the literals, the request bodies.

Both sides import it (kiosk/api/ and kiosk/client/), so it imports no web framework: the
windows import the clients.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from kiosk.rules.text import Note, TextInput

PREFIX = "/api/v1"
# A clerk's session rides next to the device credential (see kiosk/services/users.py).
CLERK_HEADER = "X-Clerk-Session"
# Both ways on every request and answer: the program's version and the API level it speaks;
# the hub adds the lowest level it serves (kiosk/rules/versions.py).
VERSION_HEADER = "X-Cac-Version"
API_LEVEL_HEADER = "X-Cac-Api"
MIN_API_LEVEL_HEADER = "X-Cac-Api-Min"
# An attachment's file name, percent-encoded, both ways; and its id in the answer.
FILE_NAME_HEADER = "X-File-Name"
ATTACHMENT_ID_HEADER = "X-Attachment-Id"

# The keys of kiosk.rules.queue PREFERENTIAL_CATEGORIES and OUTCOMES (a test holds them equal).
Preferential = Literal["gestante", "adulto_mayor", "discapacidad", "nino"]
Outcome = Literal["atendido", "observado", "derivado", "desistio"]


class Body(TextInput):
    """Text fields are one line without control characters unless typed `Note`."""

    model_config = ConfigDict(extra="forbid")


class IssueTicketBody(Body):
    service: str = Field(min_length=1, max_length=20)
    preferential: Preferential | None = None


class FinishBody(Body):
    outcome: Outcome = "atendido"


class TransferBody(Body):
    service: str = Field(min_length=1, max_length=20)


class CallTicketBody(Body):
    ticket_id: str = Field(min_length=1, max_length=36)
    reason: str | None = Field(default=None, max_length=200)


class SecretChangeBody(Body):
    current: str = Field(min_length=1, max_length=128)
    new: str = Field(min_length=1, max_length=128)


class UnlockBody(Body):
    """An administrator's PIN typed on a locked-down screen."""

    secret: str = Field(min_length=1, max_length=128)


class WindowRestartReport(Body):
    """A public window's watchdog started it again (ui/watchdog.py): how it ended."""

    exit_code: int = Field(ge=-255, le=255)  # negative: the signal that killed it (POSIX)


class ReasonBody(Body):
    reason: str = Field(max_length=200)


class RatingBody(Body):
    """The score's range is the hub's to check (the same Spanish error in-process)."""

    ticket: str = Field(min_length=1, max_length=36)
    score: int


class PrintJobBody(Body):
    """A print job's outcome. Kind, id and text lengths are checked by the hub itself, so the
    in-process and HTTP clients get the same errors."""

    id: str
    kind: str
    reference: str | None = None
    state: Literal["printed", "failed"]
    error_code: str | None = None
    error_message: Note | None = None
    reprint: bool = False
