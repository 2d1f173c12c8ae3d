"""What the administration window sends and gets (issue 7, docs/admin.md).

Inputs are checked twice like the counter's: pydantic checks shapes (the API answers 422 on a
malformed body), the services check the meaning and answer in Spanish. Outputs are frozen
views, the same in-process and over HTTP. No view ever carries a stored secret: the only
secrets in here are the ones shown once (`UserCreated.initial_secret`, `PairingCode.code`,
`PairedDevice.token`) and the write-only secrets of `OfficeSettingsChange` (central's
credential, the notices' password and key).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict, Field, create_model

from kiosk.rules.calling import PreferentialMode
from kiosk.rules.text import Name
from kiosk.services.expediente_views import Input
from kiosk.services.views import PrintJobView, View
from kiosk.settings import (
    EDITABLE,
    LEARNT_SETTINGS,
    SECRET_SETTINGS,
    SETTINGS,
    Group,
    secret_view_name,
)

# --- services and counters ---------------------------------------------------------------------


class ServiceInput(Input):
    """A new service of the queue (its tickets are numbered `<prefix>-001`...)."""

    code: str = Field(min_length=1, max_length=20)
    name: Name = Field(min_length=1, max_length=120)
    prefix: str = Field(min_length=1, max_length=2)
    sla_minutes: int = Field(ge=1, le=480)


class ServiceChange(Input):
    """Only the fields given change. `position`: 0 is the first on the kiosk."""

    name: Name | None = Field(default=None, min_length=1, max_length=120)
    sla_minutes: int | None = Field(default=None, ge=1, le=480)
    active: bool | None = None
    position: int | None = Field(default=None, ge=0, le=999)


class CounterSetup(Input):
    """A counter and the services it serves, in order of preference (rank 0 first)."""

    number: int = Field(ge=1, le=999)
    name: Name = Field(min_length=1, max_length=60)
    services: list[str] = Field(default_factory=list, max_length=50)
    # Which tickets it takes by preference: tambien | solo | nunca.
    preferential: PreferentialMode = PreferentialMode.ALSO


# --- users -------------------------------------------------------------------------------------


class AdminUserView(View):
    id: str
    username: str
    full_name: str
    role: str  # counter | supervisor | admin
    active: bool
    must_change: bool
    locked_until: datetime | None
    failed_logins: int


class UserInput(Input):
    username: str = Field(min_length=1, max_length=40)
    full_name: Name = Field(min_length=1, max_length=120)
    role: str = Field(min_length=1, max_length=12)  # counter | supervisor | admin


class UserChange(Input):
    full_name: Name | None = Field(default=None, min_length=1, max_length=120)
    role: str | None = Field(default=None, min_length=1, max_length=12)
    active: bool | None = None


class UserCreated(View):
    """A new user, or a reset PIN: `initial_secret` is shown once and must be changed."""

    user: AdminUserView
    initial_secret: str


# --- devices and pairing -----------------------------------------------------------------------


class AdminDeviceView(View):
    id: str
    name: str
    role: str
    created_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None = None
    counter: int | None = None  # the counter the admin bound it to (counter devices)


class PairingInput(Input):
    name: Name = Field(min_length=1, max_length=80)
    role: str = Field(min_length=1, max_length=12)  # kiosk | display | counter | ...
    # A counter device may be bound to its counter (a counter PC, a rating screen).
    counter: int | None = Field(default=None, ge=1, le=999)


class PairingCode(View):
    """A one-time code to pair a device: `code` is «ABCD-EFGH-JKLM» when created, "" when
    listed; its last group checks the hub's certificate, whose fingerprint (SHA-256, of the
    office CA) comes with a new code so the admin can also compare it by eye."""

    id: str
    code: str
    name: str
    role: str
    expires_at: datetime
    counter: int | None = None
    ca_fingerprint: str = ""


class DeviceBinding(Input):
    """The counter a counter device is bound to (None: any counter its clerk chooses)."""

    counter: int | None = Field(ge=1, le=999)


class PairInput(Input):
    """What an unpaired device sends to `POST /pair` (the grouping dash is optional)."""

    code: str = Field(min_length=1, max_length=20)


class PairedDevice(View):
    """The new device and its token (shown once: the device stores it in its settings)."""

    device: AdminDeviceView
    token: str


# --- office settings ---------------------------------------------------------------------------

# Said by the admin window and `cac sync` when a central is set but no credential is stored.
MISSING_CREDENTIAL = ("Falta la credencial de la central: escríbala de nuevo. Por seguridad no "
                      "viaja en las copias de seguridad, así que falta después de restaurar una "
                      "copia o en una PC nueva; sin ella la oficina no sincroniza.")


def _view_fields() -> dict[str, Any]:
    """The admin's settings as the hub holds them (a secret: only whether one is stored),
    the logo's presence, what waits for a restart and what central announced."""
    found: dict[str, Any] = {}
    office = [name for name in EDITABLE if SETTINGS[name].facts.group is Group.OFFICE]
    for name in EDITABLE:
        declared = SETTINGS[name]
        if declared.facts.secret:
            # The secret itself is never read back; one added later is False from an older hub.
            found[secret_view_name(name)] = (bool, ... if declared.facts.view_required
                                             else False)
        else:
            found[name] = (declared.kind, ... if declared.facts.view_required
                           else declared.default)
        if name == office[-1]:
            found["has_logo"] = (bool, ...)  # the logo goes with the office's data
    # Settings changed here that only take effect when the hub restarts.
    found["restart_needed"] = (list[str], Field(default_factory=list))
    for name in LEARNT_SETTINGS:
        found[name] = (SETTINGS[name].kind, SETTINGS[name].default)
    return found


def _change_fields() -> dict[str, Any]:
    """Each admin's setting, optional; texts bounded (`Name`: a person's text)."""
    found: dict[str, Any] = {}
    for name in EDITABLE:
        facts = SETTINGS[name].facts
        kind: Any = Name if facts.is_name else SETTINGS[name].kind
        found[name] = (kind | None, Field(default=None, min_length=1 if facts.is_name else None,
                                          max_length=facts.max_length))
    return found


# Both models are made from the declarations (kiosk/settings.py); mypy sees their common part.
if TYPE_CHECKING:
    class OfficeSettings(View):
        model_config = ConfigDict(frozen=True, extra="allow")

        def __getattr__(self, name: str) -> Any: ...

    class OfficeSettingsChange(Input):
        model_config = ConfigDict(frozen=True, extra="allow")

        def __getattr__(self, name: str) -> Any: ...
else:
    OfficeSettings = create_model("OfficeSettings", __base__=View, __module__=__name__,
                                  **_view_fields())
    OfficeSettingsChange = create_model(
        "OfficeSettingsChange", __base__=Input, __module__=__name__,
        __doc__=f"""Only the fields given change. `{'`, `'.join(SECRET_SETTINGS)}` """
                f"""{'are' if len(SECRET_SETTINGS) > 1 else 'is'} write-only ("" clears it).""",
        **_change_fields())


class PrinterTestResult(View):
    ok: bool
    message: str  # Spanish, for the window
    job: PrintJobView | None
