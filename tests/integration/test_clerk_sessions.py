"""Clerk accounts and sessions: scrypt-hashed PINs, lock-out, one clerk per counter, sessions
bound to their device, the same behaviour in-process and over HTTP."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from kiosk.cli import main
from kiosk.client import HubClient
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services import users
from kiosk.services.admin_views import UserChange
from kiosk.services.expediente_views import LoginInput
from kiosk.services.users import check_secret, hash_secret, verify_secret
from kiosk.storage.tables import Event, User
from tests.conftest import CLERK, SECOND_CLERK, start_server, stop_server


def _login(hub: OfficeHub, token: str, username: str, secret: str, counter: int | None = 3
           ) -> str:
    device = hub.authenticate(token)
    return hub.login(device, LoginInput(username=username, secret=secret, counter=counter)).token


def test_secrets_are_scrypt_hashes_that_verify_only_the_right_pin() -> None:
    stored = hash_secret("4826")
    assert stored.startswith("scrypt$") and "4826" not in stored
    assert verify_secret("4826", stored)
    assert not verify_secret("4827", stored)
    assert not verify_secret("4826", "bcrypt$whatever")
    assert hash_secret("4826") != stored  # salted


@pytest.mark.parametrize(("secret", "fragment"), [
    ("12", "de 6 a 12 dígitos"),
    ("4826", "de 6 a 12 dígitos"),  # new PINs: 6 digits at least (issue 14)
    ("48261", "de 6 a 12 dígitos"),
    ("1234567890123", "de 6 a 12 dígitos"),
    ("111111", "fácil de adivinar"),
    ("345678", "fácil de adivinar"),
    ("clave", "al menos 8 caracteres"),
])
def test_weak_secrets_are_refused_in_spanish(secret: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_secret(secret)
    assert fragment in caught.value.message


def test_new_pins_have_six_digits_and_older_short_ones_still_log_in(
        hub: OfficeHub, tokens: dict[str, str]) -> None:
    for short in ("4826", "48261"):
        with pytest.raises(InvalidInput, match="de 6 a 12 dígitos"):
            hub.add_user(SYSTEM, "mario.rojas", "Mario Rojas Vílchez", "counter", short)
    for secret in ("482619", "482619305712", "clave-larga"):
        assert check_secret(secret) == secret
    assert _login(hub, tokens["counter"], *CLERK)  # the demo's 4-digit PIN, set before


def test_a_new_user_without_a_pin_gets_a_generated_one_to_change(hub: OfficeHub) -> None:
    user, pin = hub.add_user(SYSTEM, "Maria.Paz", "María Paz Ccori", "counter")
    assert user.username == "maria.paz" and user.must_change
    assert pin.isdigit() and len(pin) == 6
    with hub.store.read_session() as session:
        stored = session.scalar(select(User).where(User.username == "maria.paz"))
        assert stored is not None and verify_secret(pin, stored.secret_hash)
        assert session.scalar(select(Event.kind).where(Event.stream_id == user.id)) == \
            "user_added"
    with pytest.raises(Conflict):
        hub.add_user(SYSTEM, "maria.paz", "Otra Persona", "counter", "482619")
    with pytest.raises(InvalidInput, match="rol"):
        hub.add_user(SYSTEM, "kiosko", "Un Quiosco", "kiosk", "482619")


def test_login_gives_a_session_that_names_the_clerk(hub: OfficeHub, tokens: dict[str, str]
                                                    ) -> None:
    token = _login(hub, tokens["counter"], *CLERK)
    me = hub.authenticate(tokens["counter"], token)
    assert me.clerk is not None
    assert (me.clerk.username, me.clerk.full_name, me.clerk.counter) == (
        "ana", "Ana Torres Chávez", 3)
    assert hub.authenticate(tokens["counter"]).clerk is None  # the device alone


def test_wrong_pins_lock_the_account_for_a_while(
        hub: OfficeHub, tokens: dict[str, str], clock: VirtualClock) -> None:
    attempts = hub.config.login_attempts
    answers = []
    for _ in range(attempts):
        with pytest.raises(Unauthorized) as caught:
            _login(hub, tokens["counter"], CLERK[0], "0000")
        answers.append((caught.value.code, caught.value.message))
    # No countdown: «Le quedan N intentos» told that the name exists.
    assert len(set(answers)) == 1 and answers[0][0] == "invalid_login"
    # Locked: even the right PIN is refused, with the same answer (no name, no countdown).
    with pytest.raises(Unauthorized) as caught:
        _login(hub, tokens["counter"], *CLERK)
    assert (caught.value.code, caught.value.message) == answers[0]
    with hub.store.read_session() as session:
        user = session.scalar(select(User).where(User.username == CLERK[0]))
        assert user is not None and user.locked_until == clock.now() + timedelta(
            minutes=hub.config.login_lockout_minutes)
    clock.advance(timedelta(minutes=hub.config.login_lockout_minutes, seconds=1))
    assert _login(hub, tokens["counter"], *CLERK)
    with hub.store.read_session() as session:
        kinds = session.scalars(select(Event.kind).where(Event.stream == "user")).all()
    assert kinds.count("login_failed") == attempts and kinds.count("login") == 1


def test_unknown_wrong_inactive_and_locked_look_the_same(
        hub: OfficeHub, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Same code, same message, same work (one scrypt each): nothing tells which names exist.
    The message still says what to do, and never shows a clerk's name."""
    for _ in range(hub.config.login_attempts):  # luis's account gets locked
        with pytest.raises(Unauthorized):
            _login(hub, tokens["counter"], SECOND_CLERK[0], "0000")
    hub.add_user(SYSTEM, "ex.empleado", "Ex Empleado Ríos", "counter", "482619")
    hub.change_user(SYSTEM, "ex.empleado", UserChange(active=False))
    checks: list[str] = []
    real_verify = users.verify_secret

    def counted(secret: str, stored: str) -> bool:
        checks.append(stored)
        return real_verify(secret, stored)

    monkeypatch.setattr(users, "verify_secret", counted)
    answers, work = {}, {}
    for case, (username, secret) in {"unknown": ("nadie", "2468"),
                                     "wrong": (CLERK[0], "9999"),
                                     "inactive": ("ex.empleado", "482619"),
                                     "locked, right PIN": SECOND_CLERK}.items():
        checks.clear()
        with pytest.raises(Unauthorized) as caught:
            _login(hub, tokens["supervisor"], username, secret, counter=None)
        answers[case] = (caught.value.code, caught.value.message)
        work[case] = len(checks)
    assert len(set(answers.values())) == 1, answers
    code, message = answers["unknown"]
    assert code == "invalid_login"
    assert "Usuario o PIN incorrecto" in message and "administrador" in message
    assert "Luis" not in message and "Quispe" not in message and "quedan" not in message
    assert work == dict.fromkeys(answers, 1)


def test_who_may_log_in_where(hub: OfficeHub, tokens: dict[str, str]) -> None:
    for role in ("kiosk", "display"):
        with pytest.raises(Forbidden):
            _login(hub, tokens[role], *CLERK)
    with pytest.raises(Forbidden, match="supervisor"):
        _login(hub, tokens["supervisor"], *CLERK, counter=None)  # a clerk on a manager's PC
    assert _login(hub, tokens["supervisor"], "rosa", "8642", counter=None)
    with pytest.raises(NotFound, match="ventanilla 42"):
        _login(hub, tokens["counter"], *CLERK, counter=42)


def test_one_clerk_per_counter_and_one_session_per_clerk(
        hub: OfficeHub, tokens: dict[str, str]) -> None:
    first = _login(hub, tokens["counter"], *CLERK, counter=3)
    with pytest.raises(Conflict, match="Ana Torres Chávez"):
        _login(hub, tokens["counter"], *SECOND_CLERK, counter=3)
    again = _login(hub, tokens["counter"], *CLERK, counter=3)  # the same clerk comes back
    with pytest.raises(Unauthorized, match="terminó"):
        hub.authenticate(tokens["counter"], first)
    assert hub.authenticate(tokens["counter"], again).clerk is not None


def test_a_session_works_only_on_its_device_and_ends_at_logout_or_after_a_day(
        hub: OfficeHub, tokens: dict[str, str], clock: VirtualClock) -> None:
    session = _login(hub, tokens["counter"], *CLERK)
    with pytest.raises(Unauthorized, match="no es válida en este equipo"):
        hub.authenticate(tokens["supervisor"], session)
    device = hub.authenticate(tokens["counter"])
    hub.logout(device, session)
    hub.logout(device, session)  # twice is harmless
    with pytest.raises(Unauthorized):
        hub.authenticate(tokens["counter"], session)
    # The counter is free again for a colleague.
    later = _login(hub, tokens["counter"], *SECOND_CLERK, counter=3)
    clock.advance(timedelta(hours=12, seconds=1))
    with pytest.raises(Unauthorized, match="terminó"):
        hub.authenticate(tokens["counter"], later)


def test_both_clients_log_in_and_out_alike(connect: Callable[[str], HubClient],
                                           hub: OfficeHub) -> None:
    counter = connect("counter")
    with pytest.raises(Unauthorized) as caught:
        counter.login(CLERK[0], "9999", counter=3)
    assert caught.value.code == "invalid_login"
    session = counter.login(*CLERK, counter=3)
    assert session.user.full_name == "Ana Torres Chávez" and session.counter == 3
    assert session.idle_lock_s == hub.config.idle_lock_minutes * 60
    assert session.token not in str(session.user)
    counter.logout()
    counter.logout()
    # The counter is free again: a colleague logs in on the same device.
    assert connect("counter").login(*SECOND_CLERK, counter=3).user.username == "luis"
    with pytest.raises(Forbidden):
        connect("kiosk").login(*CLERK, counter=3)


def test_a_malformed_session_header_is_refused_over_http(hub: OfficeHub,
                                                         tokens: dict[str, str]) -> None:
    running = start_server(hub)
    try:
        response = requests.get(f"{running.url}/api/v1/counters", timeout=10, headers={
            "Authorization": f"Bearer {tokens['counter']}", "X-Clerk-Session": "no-es-una"})
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_session"
    finally:
        stop_server(running)


def test_cac_user_add_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    office = str(tmp_path / "caj")
    assert main(["init", "--data-dir", office, "--office", "CAJ", "--name", "CAC Caj"]) == 0
    capsys.readouterr()
    assert main(["user", "add", "--data-dir", office, "--username", "pedro",
                 "--name", "Pedro Ccori Apaza", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["role"] == "counter" and created["must_change"]
    monkeypatch.setattr("sys.stdin", io.StringIO("8273645\n"))
    assert main(["user", "add", "--data-dir", office, "--username", "sara",
                 "--name", "Sara Ramos", "--role", "supervisor", "--pin-stdin"]) == 0
    out = capsys.readouterr().out
    assert "8273645" not in out and "registrado" in out
    assert main(["user", "add", "--data-dir", office, "--username", "x y",
                 "--name", "Mal Nombre"]) == 2
    assert "usuario debe tener" in capsys.readouterr().err
    assert main(["user", "list", "--data-dir", office, "--json"]) == 0
    listed = {u["username"]: u["role"] for u in json.loads(capsys.readouterr().out)}
    assert listed == {"pedro": "counter", "sara": "supervisor"}
    hub = OfficeHub(DataDir(Path(office)))
    try:
        assert _login(hub, hub.add_device(SYSTEM, "V1", "counter")[1], "pedro",
                      created["pin"], counter=None)
        assert _login(hub, hub.add_device(SYSTEM, "S1", "supervisor")[1], "sara", "8273645",
                      counter=None)
    finally:
        hub.close()
