"""The admin's settings models are now made from the declarations (kiosk/settings.py): their
JSON schemas, and so the OpenAPI of GET/PATCH /admin/office, are the ones the hand-written
models had (copied below as they were before issue 16)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from kiosk.rules.text import Name
from kiosk.services.admin_views import OfficeSettings, OfficeSettingsChange
from kiosk.services.expediente_views import Input
from kiosk.services.views import View


class OldOfficeSettings(View):
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
    cap_preferential_calls: bool = False  # added by issue 16's calling policy
    ubigeo: str = ""  # added by issue 20's office calendar
    filing_cutoff: str = ""
    # added by issue 17's notices to citizens (a secret: only whether one is stored)
    notice_smtp_host: str = ""
    notice_smtp_port: int = 587
    notice_smtp_security: str = "starttls"
    notice_smtp_user: str = ""
    notice_smtp_password_set: bool = False
    notice_sender: str = ""
    notice_sms_url: str = ""
    notice_sms_key_set: bool = False
    signing_users: str = ""  # added by issue 18's digital signature
    signing_place: str = ""
    timestamp_url: str = ""
    office_opens: str = "08:30"  # added by issue 17's citas
    office_closes: str = "16:30"
    cita_window_minutes: int = 10
    cita_kiosk_bookings_per_hour: int = 10  # added by the kiosk's booking limit


class OldOfficeSettingsChange(Input):
    """Only the fields given change. `central_credential`, `notice_smtp_password`, `notice_sms_key` are write-only ("" clears it)."""  # noqa: E501

    office_name: Name | None = Field(default=None, min_length=1, max_length=120)
    municipality: Name | None = Field(default=None, min_length=1, max_length=120)
    ubigeo: str | None = Field(default=None, max_length=6)  # added by issue 20's calendar
    filing_cutoff: str | None = Field(default=None, max_length=5)
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
    cap_preferential_calls: bool | None = None  # added by issue 16's calling policy
    # added by issue 17's notices to citizens (the password and the key are write-only)
    notice_smtp_host: str | None = Field(default=None, max_length=253)
    notice_smtp_port: int | None = None
    notice_smtp_security: str | None = Field(default=None, max_length=10)
    notice_smtp_user: str | None = Field(default=None, max_length=120)
    notice_smtp_password: str | None = Field(default=None, max_length=300)
    notice_sender: str | None = Field(default=None, max_length=120)
    notice_sms_url: str | None = Field(default=None, max_length=300)
    notice_sms_key: str | None = Field(default=None, max_length=300)
    signing_users: str | None = Field(default=None, max_length=300)  # issue 18's signature
    signing_place: str | None = Field(default=None, max_length=120)
    timestamp_url: str | None = Field(default=None, max_length=300)
    office_opens: str | None = Field(default=None, max_length=5)  # added by issue 17's citas
    office_closes: str | None = Field(default=None, max_length=5)
    cita_window_minutes: int | None = None
    cita_kiosk_bookings_per_hour: int | None = None


def schema(model: type[View] | type[Input]) -> dict[str, Any]:
    found = model.model_json_schema()
    found["title"] = found["title"].removeprefix("Old")
    return found


def test_the_view_has_the_schema_it_had() -> None:
    new, old = schema(OfficeSettings), schema(OldOfficeSettings)
    assert new == old
    assert list(new["required"]) == list(old["required"])
    # What a window reads and sends is the same, field by field, in the same order for what
    # is required (properties are a JSON object: their order carries nothing).
    assert set(OfficeSettings.model_fields) == set(OldOfficeSettings.model_fields)


def test_the_change_has_the_schema_it_had() -> None:
    new, old = schema(OfficeSettingsChange), schema(OldOfficeSettingsChange)
    assert new == old
    assert list(OfficeSettingsChange.model_fields) == list(OldOfficeSettingsChange.model_fields)
    assert OfficeSettingsChange.model_config == OldOfficeSettingsChange.model_config
    # The same checks of text (a Name loses invisible formatting, a line refuses controls).
    change = OfficeSettingsChange(office_name="CAC\u200b Cajamarca")
    assert change.office_name == OldOfficeSettingsChange(office_name="CAC\u200b Cajamarca"
                                                         ).office_name
