"""A locked-down kiosk, TV or rating screen closes only with an administrator's PIN, checked on
the hub (issue 19): typed on the screen's keypad (no user name), a clerk's PIN is not enough,
wrong PINs are recorded and throttled like logins, and each unlock names the administrator."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.errors import Forbidden, RateLimited, Unauthorized
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import UserChange
from kiosk.storage.tables import Event, User
from tests.conftest import ADMIN, CLERK, Connect


def _events(hub: OfficeHub, kind: str) -> list[tuple[str, dict[str, object]]]:
    """(whose stream, data) of each event of that kind, in order."""
    with hub.store.read_session() as session:
        return [(e.stream_id, dict(e.data)) for e in session.scalars(
            select(Event).where(Event.kind == kind).order_by(Event.seq))]


def _user_id(hub: OfficeHub, username: str) -> str:
    with hub.store.read_session() as session:
        found = session.scalar(select(User.id).where(User.username == username))
    assert found is not None
    return found


def test_only_an_administrators_pin_closes_the_kiosk(hub: OfficeHub, connect: Connect) -> None:
    kiosk = connect("kiosk")
    with pytest.raises(Unauthorized) as refused:
        kiosk.unlock_window(CLERK[1])  # a clerk's PIN is just a wrong PIN here
    assert refused.value.message.startswith("PIN incorrecto")
    assert [data["device"] for _, data in _events(hub, "window_unlock_failed")] == [
        "kiosk de prueba"]
    assert _events(hub, "window_unlock_failed")[0][0] != _user_id(hub, CLERK[0])

    admin = kiosk.unlock_window(ADMIN[1])
    assert admin.username == ADMIN[0]
    assert _events(hub, "window_unlocked") == [(_user_id(hub, ADMIN[0]),
                                                {"device": "kiosk de prueba"})]


@pytest.mark.parametrize("role", ["display", "rating"])
def test_the_tv_and_the_rating_screen_close_the_same_way(role: str, connect: Connect) -> None:
    screen = connect(role, person=False)
    assert screen.unlock_window(ADMIN[1]).username == ADMIN[0]


def test_a_staff_pc_has_its_own_logins_instead(connect: Connect) -> None:
    supervisor = connect("supervisor", person=False)
    with pytest.raises(Forbidden):
        supervisor.unlock_window(ADMIN[1])


def test_an_inactive_administrator_no_longer_opens_it(hub: OfficeHub, connect: Connect) -> None:
    kiosk = connect("kiosk")
    hub.add_user(SYSTEM, "jefe", "Jefa de Sistemas", "admin", "864209")
    assert kiosk.unlock_window("864209").username == "jefe"  # any administrator
    hub.change_user(SYSTEM, "jefe", UserChange(active=False))
    with pytest.raises(Unauthorized):
        kiosk.unlock_window("864209")


def test_guessing_is_throttled_like_a_login(hub: OfficeHub, connect: Connect) -> None:
    kiosk = connect("kiosk")
    allowed = hub.config.login_failures_per_device
    wrong = 0
    with pytest.raises(RateLimited) as stopped:
        for _ in range(allowed + 1):
            with pytest.raises(Unauthorized):
                kiosk.unlock_window("00000")
            wrong += 1
    assert (wrong, stopped.value.code) == (allowed, "device_throttled")
    with pytest.raises(RateLimited):  # the right PIN waits too now
        kiosk.unlock_window(ADMIN[1])
    assert len(_events(hub, "window_unlock_failed")) == allowed
    assert _events(hub, "window_unlocked") == []
