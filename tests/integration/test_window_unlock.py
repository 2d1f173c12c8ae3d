"""A locked-down kiosk, TV or rating screen closes only with an administrator's PIN, checked on
the hub (issue 19): a clerk's PIN is not enough, a wrong PIN counts towards the lock-out like
a login, and each unlock is recorded with who and on which screen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.errors import Forbidden, Unauthorized
from kiosk.hub import OfficeHub
from kiosk.storage.tables import Event, User
from tests.conftest import ADMIN, CLERK, Connect


def _events(hub: OfficeHub, kind: str) -> list[tuple[str, dict[str, object]]]:
    """(whose stream, data) of each event of that kind, in order."""
    with hub.store.read_session() as session:
        return [(e.stream_id, dict(e.data)) for e in session.scalars(
            select(Event).where(Event.kind == kind).order_by(Event.seq))]


def test_only_an_administrator_closes_the_kiosk(hub: OfficeHub, connect: Connect) -> None:
    kiosk = connect("kiosk")
    with pytest.raises(Forbidden) as refused:
        kiosk.unlock_window(*CLERK)
    assert refused.value.message == "Solo un administrador puede cerrar esta pantalla."
    assert _events(hub, "window_unlocked") == []

    admin = kiosk.unlock_window(*ADMIN)
    assert admin.username == ADMIN[0]
    recorded = _events(hub, "window_unlocked")
    assert [data["device"] for _, data in recorded] == ["kiosk de prueba"]
    with hub.store.read_session() as session:
        admin_id = session.scalar(select(User.id).where(User.username == ADMIN[0]))
    assert recorded[0][0] == admin_id


@pytest.mark.parametrize("role", ["display", "rating"])
def test_the_tv_and_the_rating_screen_close_the_same_way(role: str, connect: Connect) -> None:
    screen = connect(role, person=False)
    assert screen.unlock_window(*ADMIN).username == ADMIN[0]


def test_a_staff_pc_does_not_need_it(connect: Connect) -> None:
    supervisor = connect("supervisor", person=False)
    with pytest.raises(Forbidden):
        supervisor.unlock_window(*ADMIN)


def test_wrong_pins_count_towards_the_lock_out(hub: OfficeHub, connect: Connect) -> None:
    kiosk = connect("kiosk")
    attempts = hub.config.login_attempts
    for _ in range(attempts):
        with pytest.raises(Unauthorized):
            kiosk.unlock_window(ADMIN[0], "00000")
    with pytest.raises(Unauthorized):  # locked now: the right PIN is refused too
        kiosk.unlock_window(*ADMIN)
    failed = _events(hub, "login_failed")
    assert len(failed) == attempts and failed[-1][1]["locked"] is True
    assert _events(hub, "window_unlocked") == []
