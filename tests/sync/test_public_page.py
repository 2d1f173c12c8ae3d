"""The citizen's tracking page `/t/<code>`: plain HTTP, and a real headless browser."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import psycopg
import pytest
import requests
from sqlalchemy import bindparam, literal, select

from kiosk.clock import VirtualClock
from kiosk.errors import ConfigError
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.expedientes import format_tracking_code
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.expediente_views import PaymentInput
from sync.central.app import central_server, trusted_proxies
from sync.central.db import AloneStatements
from sync.central.page_preview import chromium, run_chromium
from sync.central.server import CentralServer
from tests.conftest import RunningHub, start_uvicorn, stop_server
from tests.integration.test_expedientes import add_acta, partida
from tests.sync.conftest import clerk_of, connect_sync
from tests.system import require_system

APPLICANT = ("Quispe", "Mamani", "10117410")  # tests.integration.test_expedientes.person()


def _synced_expediente(central: CentralServer, url: str, office: OfficeHub) -> tuple[str, str]:
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    clerk = clerk_of(office)
    filed = office.file_expediente(clerk, partida(add_acta(office)))
    office.pay(clerk, filed.number, PaymentInput(amount=filed.fee))  # approved: art. 33
    assert connect_sync(office, url, token).run_round().ok
    return filed.number, filed.tracking_code


def test_the_page_shows_status_and_dates_and_nothing_personal(
        central: CentralServer, central_http: RunningHub, make_office) -> None:
    number, code = _synced_expediente(central, central_http.url, make_office())
    for typed in (code, format_tracking_code(code), code.lower()):
        page = requests.get(f"{central_http.url}/t/{typed}", timeout=10)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert 'data-status="aprobado"' in page.text and "Aprobado" in page.text
        assert number in page.text and "Copia certificada de partida de nacimiento" in page.text
        assert "20/11/2026" in page.text  # filed today (the test clock's day)
        for personal in APPLICANT:
            assert personal not in page.text
        assert page.headers["cache-control"] == "no-store"


def test_an_unknown_code_gets_a_polite_page_and_guessing_is_rate_limited(
        central: CentralServer, central_http: RunningHub) -> None:
    unknown = requests.get(f"{central_http.url}/t/ZZZZZ-ZZZZZ-ZZZ", timeout=10)
    assert unknown.status_code == 404
    assert "Aún no sincronizado o inexistente" in unknown.text
    assert "<script" not in requests.get(f"{central_http.url}/t/<script>x", timeout=10).text
    statuses = [requests.get(f"{central_http.url}/t/AAAAA-AAAAA-AA{n % 10}", timeout=10)
                .status_code for n in range(40)]
    assert 429 in statuses and statuses.index(429) >= 25
    limited = requests.get(f"{central_http.url}/t/anything", timeout=10)
    assert limited.status_code == 429 and "Demasiadas consultas" in limited.text


def test_the_page_answers_after_the_database_dropped_its_connections(
        central: CentralServer, central_http: RunningHub, make_office) -> None:
    """The page's lookups use no ping before each statement: a connection PostgreSQL dropped
    (a restart, an administrator) fails once inside, and the lookup runs again on a new one."""
    if central.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's connections")
    number, code = _synced_expediente(central, central_http.url, make_office())
    assert requests.get(f"{central_http.url}/t/{code}", timeout=10).status_code == 200
    with central.engine.connect() as connection:
        dropped = connection.exec_driver_sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()").scalar()
    assert dropped
    page = requests.get(f"{central_http.url}/t/{code}", timeout=10)
    assert page.status_code == 200 and number in page.text


def test_on_windows_the_lookups_go_through_worker_threads(
        central: CentralServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """psycopg cannot wait on Windows' ProactorEventLoop, uvicorn's loop there: the same
    statements run in a worker thread, and no asynchronous connection is ever opened."""
    monkeypatch.setattr(sys, "platform", "win32")
    opened: list[object] = []

    async def refuse(*args: object, **kwargs: object) -> None:
        opened.append(args)
        raise AssertionError("an asynchronous connection on Windows")

    monkeypatch.setattr(psycopg.AsyncConnection, "connect", refuse)
    statements = AloneStatements(central.engine)
    try:
        rows = asyncio.run(statements.rows_async(select(literal(7).label("seven")), {}))
    finally:
        statements.dispose()
    assert [row.seven for row in rows] == [7] and opened == []


def test_a_statement_that_needs_sqlalchemy_to_bind_is_refused_by_rows_async(
        central: CentralServer) -> None:
    """A list expanded into IN (...) is SQLAlchemy's work at each call: refused where the
    statement is first prepared, not sent wrong."""
    if central.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's statements go through SQLAlchemy")
    expanding = select(literal(1).label("one")).where(literal(1).in_(bindparam("some",
                                                                             expanding=True)))
    with pytest.raises(ValueError, match="some"):
        asyncio.run(central.alone.rows_async(expanding, {"some": [1, 2]}))


@pytest.mark.system
def test_a_real_browser_renders_the_page_on_a_phone_screen(
        central: CentralServer, central_http: RunningHub, make_office, tmp_path: Path) -> None:
    require_system(chromium() is not None, "Chromium", "apt-get install chromium")
    number, code = _synced_expediente(central, central_http.url, make_office())
    profile = tmp_path / "chromium"
    dom = run_chromium(f"{central_http.url}/t/{code}", profile, "--dump-dom", check=False)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-status="aprobado"' in dom.stdout and number in dom.stdout
    shot = tmp_path / "tracking.png"
    rendered = run_chromium(f"{central_http.url}/t/{code}", profile,
                            f"--screenshot={shot}", "--window-size=390,844",
                            "--hide-scrollbars", check=False)
    assert rendered.returncode == 0 and shot.stat().st_size > 5_000
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (390, 844)
        # The page is drawn: the header band at the top is the brand colour, not blank white.
        assert image.convert("RGB").getpixel((10, 10)) == (0x14, 0x36, 0x5F)


def _lookups(url: str, forwarded: list[str]) -> list[int]:
    return [requests.get(f"{url}/t/AAAAA-AAAAA-AA{n % 10}", timeout=10,
                         headers={"X-Forwarded-For": address}).status_code
            for n, address in enumerate(forwarded)]


def test_forwarded_addresses_count_only_from_a_configured_proxy(
        central: CentralServer, central_http: RunningHub) -> None:
    # No proxy configured (the default): a loopback client naming a new address in each
    # request is still one client.
    rotating = [f"203.0.113.{n}" for n in range(40)]
    assert 429 in _lookups(central_http.url, rotating)
    behind = start_uvicorn(central_server(central, lifespan="off", timeout_graceful_shutdown=2,
                                          trusted_proxies=trusted_proxies(["127.0.0.1"], None)))
    try:
        # Behind the configured proxy each citizen is counted on their own address.
        assert 429 not in _lookups(behind.url, rotating)
        statuses = _lookups(behind.url, ["198.51.100.7"] * 40)
        assert 429 in statuses and statuses.index(429) >= 25
    finally:
        stop_server(behind)


def test_trusted_proxies_come_from_options_or_the_environment() -> None:
    assert trusted_proxies([], None) == []
    assert trusted_proxies(["10.0.0.5", "10.1.0.0/16"], None) == ["10.0.0.5", "10.1.0.0/16"]
    assert trusted_proxies([], " 10.0.0.5, 192.168.1.1 ") == ["10.0.0.5", "192.168.1.1"]
    for wrong in (["proxy.muni"], ["*"], ["10.0.0.300"]):
        with pytest.raises(ConfigError) as refused:
            trusted_proxies(wrong, None)
        assert "proxy" in refused.value.message and wrong[0] in refused.value.message


def test_the_limit_is_a_setting_counted_once_for_every_central_process(
        central: CentralServer, database_url: str, clock) -> None:
    """Two central processes over one database (here two servers, each with its own
    CentralServer): a citizen gets `--public-rate` lookups a minute between them, not that
    many from each."""
    other = CentralServer(database_url, clock)
    servers = [start_uvicorn(central_server(server, lifespan="off", timeout_graceful_shutdown=2,
                                            public_rate=5)) for server in (central, other)]
    try:
        statuses = [requests.get(f"{servers[n % 2].url}/t/AAAAA-AAAAA-AAA", timeout=10)
                    .status_code for n in range(8)]
        assert statuses == [404] * 5 + [429] * 3
        # The minute after, the window has moved on: the citizen may look again.
        clock.advance(timedelta(minutes=2))
        assert requests.get(f"{servers[1].url}/t/AAAAA-AAAAA-AAA", timeout=10).status_code == 404
    finally:
        for running in servers:
            stop_server(running)
        other.close()


# --- where a citizen types a code (issue 15) ---------------------------------------------------


@dataclass
class _Form:
    method: str | None
    action: str | None
    fields: list[str | None] = field(default_factory=list)


class _Forms(HTMLParser):
    """The page's forms as a browser without JavaScript sees them: method, action, fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "form":
            self.forms.append(_Form(values.get("method"), values.get("action")))
        if tag == "input" and self.forms:
            self.forms[-1].fields.append(values.get("name"))


def _form(page: requests.Response) -> tuple[str, str]:
    """(the URL the form sends to, the name of its one field), from the HTML alone."""
    parser = _Forms()
    parser.feed(page.text)
    assert parser.scripts == 0 and len(parser.forms) == 1
    [form] = parser.forms
    [name] = form.fields
    assert form.method == "get" and form.action is not None and name
    return urljoin(page.url, form.action), name


def test_the_root_page_takes_a_typed_code_to_its_status(
        central: CentralServer, central_http: RunningHub,
        make_office: Callable[..., OfficeHub]) -> None:
    number, code = _synced_expediente(central, central_http.url, make_office())
    for path in ("/", "/t", "/t/"):
        page = requests.get(central_http.url + path, timeout=10)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert 'lang="es"' in page.text and "Consulte el estado de su trámite" in page.text
        assert 'name="viewport"' in page.text  # a phone's width
        action, field = _form(page)
        # As printed on the cargo, typed in lower case with spaces: the browser sends the form.
        typed = format_tracking_code(code).lower().replace("-", " ")
        answer = requests.get(action, params={field: typed}, timeout=10)
        assert [r.status_code for r in answer.history] == [303]
        assert answer.url == f"{central_http.url}/t/{code}"
        assert answer.status_code == 200 and 'data-status="aprobado"' in answer.text
        assert number in answer.text
        again, _ = _form(requests.get(answer.url + "X", timeout=10))  # not found: try again
        assert again == f"{central_http.url}/t/"


def test_a_wrong_code_is_asked_again_in_spanish_and_the_form_is_rate_limited(
        central: CentralServer, central_http: RunningHub) -> None:
    action, field = _form(requests.get(central_http.url, timeout=10))
    for typed, says in (("CAJ-2026-000123", "el número de expediente no sirve"),
                        ("   ", "Escriba el código de seguimiento."),
                        ("<b>x</b>", "13 letras y números")):
        answer = requests.get(action, params={field: typed}, timeout=10, allow_redirects=False)
        assert answer.status_code == 400 and says in answer.text
        assert "<b>x</b>" not in answer.text  # what was typed comes back escaped
    statuses = [requests.get(central_http.url + "/", timeout=10).status_code
                for _ in range(40)]
    assert 429 in statuses
    lookup = requests.get(f"{central_http.url}/t/AAAAA-AAAAA-AAA", timeout=10)
    assert lookup.status_code == 429  # one limit for the form and the lookups


def test_central_announces_its_public_address_and_the_admins_wins(
        database_url: str, clock: VirtualClock, make_office: Callable[..., OfficeHub]
) -> None:
    with pytest.raises(ConfigError) as refused:
        CentralServer(database_url, clock, public_url="tramites.cajamarca.gob.pe")
    assert "https://" in refused.value.message
    central = CentralServer(database_url, clock, public_url="https://tramites.cajamarca.gob.pe/")
    running = start_uvicorn(central_server(central, lifespan="off", timeout_graceful_shutdown=2))
    try:
        office = make_office()
        token = central.add_office("CAJ", "CAC Cajamarca")[1]
        assert office.health().public_url == ""
        assert connect_sync(office, running.url, token).run_round().ok
        assert office.health().public_url == "https://tramites.cajamarca.gob.pe"
        assert office.config.tracking_url("ABC") == "https://tramites.cajamarca.gob.pe/t/ABC"
        office.change_office_settings(SYSTEM, OfficeSettingsChange(
            public_url="https://consulta.cajamarca.gob.pe"))
        assert connect_sync(office, running.url, token).run_round().ok
        assert office.health().public_url == "https://consulta.cajamarca.gob.pe"
        settings = office.office_settings(SYSTEM)
        assert settings.central_public_url == "https://tramites.cajamarca.gob.pe"
        office.change_office_settings(SYSTEM, OfficeSettingsChange(public_url=""))
        assert office.health().public_url == "https://tramites.cajamarca.gob.pe"
    finally:
        stop_server(running)
        central.close()
