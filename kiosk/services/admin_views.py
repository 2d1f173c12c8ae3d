"""What the administration window sends and gets (issue 7, docs/admin.md).

Inputs are checked twice like the counter's: pydantic checks shapes (the API answers 422 on a
malformed body), the services check the meaning and answer in Spanish. Outputs are frozen
views, the same in-process and over HTTP. No view ever carries a stored secret: the only
secrets in here are the ones shown once (`UserCreated.initial_secret`, `PairingCode.code`,
`PairedDevice.token`) and the write-only `OfficeSettingsChange.central_credential`.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from kiosk.rules.text import Name
from kiosk.services.expediente_views import Input
from kiosk.services.views import PrintJobView, View

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


class OfficeSettings(View):
    office_name: str
    municipality: str
    has_logo: bool
    central_url: str
    central_credential_set: bool  # the credential itself is never read back
    backup_interval_hours: float
    backups_kept: int
    backup_copy_dir: str
    idle_lock_minutes: int
    login_attempts: int
    login_lockout_minutes: int
    ticket_retention_days: int  # 0: kept forever
    printer_backend: str
    printer_target: str
    printer_width_mm: int
    printer_codepage: str
    # Settings changed here that only take effect when the hub restarts.
    restart_needed: list[str] = Field(default_factory=list)
    # The public address of central's tracking page: the one set here (wins), and the one
    # central announced (read-only); the documents' QR codes use the first that is not "".
    public_url: str = ""
    central_public_url: str = ""
    cap_preferential_calls: bool = False  # at most 1 preferential call in 3 (rules/calling.py)


class OfficeSettingsChange(Input):
    """Only the fields given change. `central_credential` is write-only ("" clears it)."""

    office_name: Name | None = Field(default=None, min_length=1, max_length=120)
    municipality: Name | None = Field(default=None, min_length=1, max_length=120)
    central_url: str | None = Field(default=None, max_length=300)
    central_credential: str | None = Field(default=None, max_length=300)
    public_url: str | None = Field(default=None, max_length=300)  # "": central's, or none
    backup_interval_hours: float | None = None
    backups_kept: int | None = None
    backup_copy_dir: str | None = Field(default=None, max_length=500)
    idle_lock_minutes: int | None = None
    login_attempts: int | None = None
    login_lockout_minutes: int | None = None
    ticket_retention_days: int | None = None
    printer_backend: str | None = Field(default=None, max_length=20)
    printer_target: str | None = Field(default=None, max_length=300)
    printer_width_mm: int | None = None
    printer_codepage: str | None = Field(default=None, max_length=20)
    cap_preferential_calls: bool | None = None


class PrinterTestResult(View):
    ok: bool
    message: str  # Spanish, for the window
    job: PrintJobView | None
