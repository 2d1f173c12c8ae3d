"""scrypt never runs inside the store's write transaction (issue 14): a flood of logins used to
queue every ticket behind it (32 parallel logins took ticket issue from 13 ms to ~2 s). Each
test holds a verification open on purpose and checks what happens meanwhile; no timing."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.errors import CacError, Conflict, Unauthorized
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services import users
from kiosk.services.admin_views import UserInput
from kiosk.services.expediente_views import LoginInput
from kiosk.storage.tables import Event, User
from tests.conftest import CLERK

WAIT_S = 10  # bounded waits: each ends at once when the code is right


def _login(hub: OfficeHub, token: str, username: str, secret: str) -> object:
    return hub.login(hub.authenticate(token), LoginInput(username=username, secret=secret))


def _writer_is_free(hub: OfficeHub, wait_s: float = 5) -> bool:
    """Whether another thread can take the store's writer now (it waits its turn if not)."""
    taken = threading.Event()

    def take() -> None:
        with hub.store.write_connection():
            taken.set()

    threading.Thread(target=take, daemon=True).start()
    return taken.wait(wait_s)


def test_a_ticket_is_issued_while_a_login_verifies_its_pin(
        hub: OfficeHub, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    verifying, release = threading.Event(), threading.Event()
    real_verify = users.verify_secret

    def held(secret: str, stored: str) -> bool:
        verifying.set()
        assert release.wait(WAIT_S)
        return real_verify(secret, stored)

    monkeypatch.setattr(users, "verify_secret", held)
    outcome: list[object] = []
    login = threading.Thread(target=lambda: outcome.append(
        _login(hub, tokens["counter"], *CLERK)))
    login.start()
    try:
        assert verifying.wait(WAIT_S)
        issued: list[str] = []
        kiosk = hub.authenticate(tokens["kiosk"])
        issue = threading.Thread(target=lambda: issued.append(
            hub.issue_ticket(kiosk, "partidas").number))
        issue.start()
        issue.join(WAIT_S)
        issued_during_login = not issue.is_alive()
    finally:
        release.set()
        login.join(WAIT_S)
    issue.join(WAIT_S)
    assert issued_during_login, "the ticket waited for the login's scrypt"
    assert len(issued) == 1 and len(outcome) == 1


@pytest.mark.parametrize("operation", ["login", "wrong login", "unknown user", "change PIN",
                                       "add user", "admin adds a user", "admin resets a PIN"])
def test_no_write_is_held_while_scrypt_runs(
        operation: str, hub: OfficeHub, tokens: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    counter = hub.authenticate(tokens["counter"])
    admin_device = hub.authenticate(tokens["admin"])
    admin = hub.authenticate(tokens["admin"], hub.login(
        admin_device, LoginInput(username="admin", secret="97531")).token)
    clerk = hub.authenticate(tokens["counter"], hub.login(
        counter, LoginInput(username=CLERK[0], secret=CLERK[1])).token)
    work: dict[str, Callable[[], Any]] = {
        "login": lambda: _login(hub, tokens["counter"], *CLERK),
        "wrong login": lambda: _login(hub, tokens["counter"], CLERK[0], "0000"),
        "unknown user": lambda: _login(hub, tokens["counter"], "nadie", "0000"),
        "change PIN": lambda: hub.change_secret(clerk, CLERK[1], "482619"),
        "add user": lambda: hub.add_user(SYSTEM, "mario.rojas", "Mario Rojas", "counter"),
        "admin adds a user": lambda: hub.add_admin_user(admin, UserInput(
            username="mario.rojas", full_name="Mario Rojas", role="counter")),
        "admin resets a PIN": lambda: hub.reset_user_secret(admin, CLERK[0]),
    }
    free: list[bool] = []
    real_scrypt = hashlib.scrypt

    def probed(*args: Any, **kwargs: Any) -> bytes:
        free.append(_writer_is_free(hub))
        return real_scrypt(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", probed)
    try:
        work[operation]()
    except Unauthorized:
        assert operation in ("wrong login", "unknown user")
    assert free and all(free), f"{operation}: scrypt ran with the writer taken"


def test_parallel_wrong_pins_are_verified_together_and_all_counted(
        hub: OfficeHub, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight wrong PINs at once for one account: all eight verify at the same time (none waits
    for another's scrypt), and the account still counts them exactly, locking at the limit."""
    parallel = 8
    together = threading.Barrier(parallel, timeout=WAIT_S)
    real_verify = users.verify_secret

    def gathered(secret: str, stored: str) -> bool:
        together.wait()
        return real_verify(secret, stored)

    monkeypatch.setattr(users, "verify_secret", gathered)
    answers: list[CacError | BaseException] = []

    def attempt() -> None:
        try:
            _login(hub, tokens["counter"], CLERK[0], "0000")
        except BaseException as exc:  # collected and checked below
            answers.append(exc)

    threads = [threading.Thread(target=attempt) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S * 2)
    assert [getattr(a, "code", repr(a)) for a in answers] == ["invalid_login"] * parallel
    with hub.store.read_session() as session:
        failed = session.scalar(select(func.count()).select_from(Event).where(
            Event.kind == "login_failed")) or 0
        user = session.scalar(select(User).where(User.username == CLERK[0]))
        assert user is not None and user.locked_until is not None and user.failed_attempts == 0
    assert failed == hub.config.login_attempts  # the rest found the account locked


def test_a_pin_changed_while_it_is_checked_does_not_log_in(
        hub: OfficeHub, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The right (old) PIN is being verified when the admin resets it: no session opens."""
    real_verify = users.verify_secret
    reset_during_check: list[bool] = []

    def reset_meanwhile(secret: str, stored: str) -> bool:
        if not reset_during_check:
            reset = threading.Thread(target=lambda: hub.reset_user_secret(SYSTEM, CLERK[0]))
            reset.start()
            reset.join(WAIT_S)
            reset_during_check.append(not reset.is_alive())
        return real_verify(secret, stored)

    monkeypatch.setattr(users, "verify_secret", reset_meanwhile)
    with pytest.raises(Unauthorized) as caught:
        _login(hub, tokens["counter"], *CLERK)
    assert reset_during_check == [True]
    assert caught.value.code == "invalid_login"
    with hub.store.read_session() as session:
        kinds = session.scalars(select(Event.kind).where(Event.stream == "user")).all()
        user = session.scalar(select(User).where(User.username == CLERK[0]))
        assert user is not None and user.failed_attempts == 0  # a stale check: not a failure
    assert "login" not in kinds and "secret_reset" in kinds


def test_a_pin_change_checked_against_a_replaced_pin_is_refused(
        hub: OfficeHub, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    counter = hub.authenticate(tokens["counter"])
    clerk = hub.authenticate(tokens["counter"], hub.login(
        counter, LoginInput(username=CLERK[0], secret=CLERK[1])).token)
    real_verify = users.verify_secret

    def changed_meanwhile(secret: str, stored: str) -> bool:
        with hub.unit_of_work() as uow:  # the admin window resets it at that moment
            user = uow.session.scalar(select(User).where(User.username == CLERK[0]))
            assert user is not None
            user.secret_hash = users.hash_secret("735194")
            uow.commit()
        return real_verify(secret, stored)

    monkeypatch.setattr(users, "verify_secret", changed_meanwhile)
    with pytest.raises(Conflict) as caught:
        hub.change_secret(clerk, CLERK[1], "482619")
    assert caught.value.code == "secret_changed"
    with hub.store.read_session() as session:
        user = session.scalar(select(User).where(User.username == CLERK[0]))
        assert user is not None and users.verify_secret("735194", user.secret_hash)
