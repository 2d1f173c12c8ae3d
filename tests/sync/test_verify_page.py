"""Central's page for the QR statement (decision 46): a copy signed at one office verifies on
`/v/<statement>` once its hub published its keys; an altered or forged statement is refused
in plain Spanish; a revoked key reads «Firma revocada»; another office pulls the keys and
verifies the copy with no link; a signed cargo's page shows what the paper must say, from the
fields its office recorded (SQLite and a real PostgreSQL, real HTTP on loopback)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.hub import OfficeHub
from kiosk.ids import new_id
from kiosk.signing import statement as statements
from kiosk.signing.verify import verify_pdf
from sync.central import event_archive
from sync.central.bookkeeping import RETRY_HORIZON
from sync.central.maintenance import CentralMaintenance
from sync.central.page_preview import chromium, run_chromium
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer
from sync.hub_sync import HubSync
from tests.conftest import RunningHub, advance
from tests.signing.authority import Authority, make_authority
from tests.signing.qr_walk import SignedCopy, old_form_cargo, set_up, signed_cargo, signed_copy
from tests.sync.conftest import clerk_of, connect_sync
from tests.system import require_system


@pytest.fixture(scope="module")
def authority() -> Authority:
    from tests.conftest import START

    return make_authority(START)


def _published(central: CentralServer, central_http: RunningHub,
               make_office: Callable[..., OfficeHub], authority: Authority
               ) -> tuple[OfficeHub, HubSync, SignedCopy]:
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    office = make_office()
    set_up(office, authority, public_url=central_http.url)
    copy = signed_copy(office, clerk_of(office))
    sync = connect_sync(office, central_http.url, token)
    assert sync.run_round().ok
    assert copy.statement.url.startswith(central_http.url + "/v/")
    return office, sync, copy


def test_central_page_verifies_a_signed_copy_and_refuses_an_altered_one(
        central: CentralServer, central_http: RunningHub, make_office: Callable[..., OfficeHub],
        authority: Authority, clock: VirtualClock) -> None:
    office, sync, copy = _published(central, central_http, make_office, authority)
    url = copy.statement.url
    page = requests.get(url, timeout=10)
    assert page.status_code == 200, page.text
    assert "Documento auténtico" in page.text and "CAC Cajamarca" in page.text
    view = office.expediente(clerk_of(office, counter=4), copy.number)
    assert view.acta is not None
    assert copy.number in page.text and "Copia certificada" in page.text
    assert view.acta.acta_number in page.text and copy.document_id in page.text
    assert f"{clock.now():%d/%m/%Y}" in page.text
    assert page.headers["cache-control"] == "no-store"

    token = copy.statement.statement
    altered = token[:30] + ("A" if token[30] != "A" else "B") + token[31:]
    refused = requests.get(url.replace(token, altered), timeout=10)
    assert refused.status_code == 422 and "alterado o falsificado" in refused.text
    assert "Documento auténtico" not in refused.text
    forged = statements.sign(Ed25519PrivateKey.generate(), document_id=new_id(), kind="copia",
                             number=copy.number, acta_number=view.acta.acta_number,
                             issued_on=clock.now().date(), digest="00" * 16)
    refused = requests.get(url.replace(token, forged), timeout=10)
    assert refused.status_code == 422 and "No reconocemos la clave" in refused.text
    garbage = requests.get(url.replace(token, "<script>x"), timeout=10)
    assert garbage.status_code == 422 and "<script>" not in garbage.text

    # The office revokes its key today: once it syncs, the page says «Firma revocada».
    office.office_keys.revoke(statements.parse(token)[0].key_id, clock.now())
    assert sync.run_round().ok
    revoked = requests.get(url, timeout=10)
    assert revoked.status_code == 422 and "Firma revocada" in revoked.text
    assert "Documento auténtico" not in revoked.text


def test_central_page_shows_what_a_signed_cargo_says_and_refuses_an_altered_record(
        central: CentralServer, central_http: RunningHub, make_office: Callable[..., OfficeHub],
        authority: Authority, clock: VirtualClock) -> None:
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    office = make_office()
    set_up(office, authority, public_url=central_http.url)
    cargo = signed_cargo(office, clerk_of(office))
    old = old_form_cargo(office, cargo.number, clock)  # as issued before the wider digest
    assert connect_sync(office, central_http.url, token).run_round().ok
    page = requests.get(cargo.statement.url, timeout=10)
    assert page.status_code == 200, page.text
    assert "Documento auténtico" in page.text and "Cargo de recepción" in page.text
    assert cargo.view.procedure_name in page.text and "J*** C*** Q*** M***" in page.text
    assert f"{cargo.view.filed_at.astimezone(office.config.tz):%d/%m/%Y %H:%M}" in page.text
    for requirement in cargo.view.requirements:
        assert (requirement.text in page.text) == requirement.presented
    assert "Juan Carlos" not in page.text  # a public page: nobody's name in full
    assert requests.get(central_http.url + "/v/" + old, timeout=10).status_code == 200
    # a cargo signed after the round: authentic, its data not here yet, said so
    later = signed_cargo(office, clerk_of(office))
    unsynced = requests.get(later.statement.url, timeout=10)
    assert unsynced.status_code == 200 and "aún no llegaron" in unsynced.text
    assert later.view.procedure_name not in unsynced.text

    # the replicated record of what the cargo says, changed: its digest no longer matches
    events = REPLICAS["events"]
    with central.engine.begin() as connection:
        found = connection.execute(select(events.c.id, events.c.data).where(
            events.c.kind == "document_signed")).one()
        fields = [[name, "LE-C" if name == "procedure_code" else value]
                  for name, value in found.data["fields"]]
        connection.execute(events.update().where(events.c.id == found.id).values(
            data={**found.data, "fields": fields}))
    refused = requests.get(cargo.statement.url, timeout=10)
    assert refused.status_code == 422 and "no coinciden" in refused.text
    assert cargo.view.procedure_name not in refused.text


def test_a_cargo_signed_weeks_ago_still_shows_what_it_says_once_its_day_is_archived(
        central: CentralServer, central_http: RunningHub, make_office: Callable[..., OfficeHub],
        authority: Authority, clock: VirtualClock) -> None:
    """Central folds an office's older events into its archive; the signed documents stay
    rows, which the page reads."""
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    office = make_office()
    set_up(office, authority, public_url=central_http.url)
    cargo = signed_cargo(office, clerk_of(office))
    assert connect_sync(office, central_http.url, token).run_round().ok
    advance(clock, days=RETRY_HORIZON.days + 2)
    CentralMaintenance(central, every_s=3600).run_once()
    with central.engine.connect() as connection:
        assert event_archive.count(connection) > 0  # the cargo's day was folded
    page = requests.get(cargo.statement.url, timeout=10)
    assert page.status_code == 200, page.text
    assert "Documento auténtico" in page.text and "aún no llegaron" not in page.text
    assert cargo.view.procedure_name in page.text and "J*** C*** Q*** M***" in page.text


def test_keys_travel_through_central_so_another_office_verifies_offline(
        central: CentralServer, central_http: RunningHub, make_office: Callable[..., OfficeHub],
        authority: Authority) -> None:
    _, _, copy = _published(central, central_http, make_office, authority)
    other_token = central.add_office("PUN", "CAC Puno")[1]
    other = make_office("PUN", "CAC Puno")
    assert not verify_pdf(copy.signed, other.office_keys.known()).valid  # not known yet
    assert connect_sync(other, central_http.url, other_token).run_round().ok
    found = verify_pdf(copy.signed, other.office_keys.known())  # a local file: no link
    assert found.valid and found.statement.statement is not None
    assert found.statement.statement.number == copy.number
    # a hub speaks for its own office only
    foreign = requests.put(f"{central_http.url}/api/v1/sync/office-keys", timeout=10,
                           headers={"Authorization": f"Bearer {other_token}"},
                           json={"keys": [k.to_json() for k in (found.statement.key and
                                          [found.statement.key]) or []]})
    assert foreign.status_code == 403, foreign.text


@pytest.mark.system
def test_the_verification_page_in_a_real_browser(
        central: CentralServer, central_http: RunningHub, make_office: Callable[..., OfficeHub],
        authority: Authority, tmp_path: Path) -> None:
    require_system(chromium() is not None, "Chromium", "apt-get install chromium")
    office, sync, copy = _published(central, central_http, make_office, authority)
    cargo = signed_cargo(office, clerk_of(office))
    assert sync.run_round().ok
    from PIL import Image

    for name, url in (("verificacion", copy.statement.url),
                      ("verificacion-cargo", cargo.statement.url)):
        shot = tmp_path / f"{name}.png"
        rendered = run_chromium(url, tmp_path / "chromium", f"--screenshot={shot}",
                                "--window-size=390,844", "--hide-scrollbars", check=False)
        assert rendered.returncode == 0 and shot.stat().st_size > 5_000
        with Image.open(shot) as image:  # drawn: the brand's header band, not blank white
            assert image.convert("RGB").getpixel((10, 10)) == (0x14, 0x36, 0x5F)
