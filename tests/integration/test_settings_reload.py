"""An admin's change of the office settings reaches what the services read (issue 16): the
hub's office context is rebuilt on each reload, not only `hub.config`."""

from __future__ import annotations

from dataclasses import dataclass, fields

from kiosk.hub import OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.unit_of_work import OfficeContext
from tests.conftest import Connect


@dataclass(frozen=True)
class ContextWithLimits(OfficeContext):
    """An office context that also carries admin's settings, as the context does once a
    service reads one from it (a field named like the setting)."""

    login_attempts: int = 0
    ticket_retention_days: int = 0


def test_an_admin_change_reaches_the_office_context(connect: Connect, hub: OfficeHub) -> None:
    hub.office = ContextWithLimits(
        **{f.name: getattr(hub.office, f.name) for f in fields(hub.office)},
        login_attempts=hub.config.login_attempts,
        ticket_retention_days=hub.config.ticket_retention_days)
    office_id, tz = hub.office.office_id, hub.office.tz
    admin = connect("admin")  # the demo's administrator logged in, as the admin window
    settings = admin.change_office_settings(OfficeSettingsChange(
        login_attempts=3, ticket_retention_days=400))
    assert (settings.login_attempts, settings.ticket_retention_days) == (3, 400)
    with hub.unit_of_work() as uow:  # what the next operation's services get
        office = uow.office
    assert isinstance(office, ContextWithLimits)
    assert (office.login_attempts, office.ticket_retention_days) == (3, 400)
    assert (office.office_id, office.tz) == (office_id, tz)  # the same office
    assert office.missed_reinstate_minutes == hub.config.missed_reinstate_minutes


def test_the_context_is_made_from_the_settings(hub: OfficeHub) -> None:
    made = ContextWithLimits.of(hub.office.office_id, hub.office.office_code, hub.config)
    assert (made.login_attempts, made.default_service_minutes, made.tz) == (
        hub.config.login_attempts, hub.config.default_service_minutes, hub.config.tz)
    assert hub.office == OfficeContext.of(hub.office.office_id, hub.config.office_code,
                                          hub.config)
