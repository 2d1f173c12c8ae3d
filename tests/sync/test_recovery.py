"""A disk dies; last night's backup is restored; central gives back the day's work the office
had already pushed, and no ticket, expediente or receipt number is issued twice."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.clock import VirtualClock
from kiosk.errors import Forbidden
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import PaymentInput
from kiosk.storage.backup import backup_database
from kiosk.storage.tables import DailyTicketStats, Event, Expediente, Payment, Ticket
from sync import recovery
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer
from sync.client import CentralClient
from tests.conftest import RunningHub, advance
from tests.integration.test_expedientes import add_acta, partida
from tests.sync.conftest import clerk_of, connect_sync


def _counts(office: OfficeHub) -> dict[str, int]:
    with office.store.read_session() as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Ticket, Expediente, Payment, Event)}


def _restore(office: OfficeHub, backup_file: Path, clock: VirtualClock) -> OfficeHub:
    """`cac restore --yes FILE`, as the technician would, then the hub started again."""
    data_dir = office.data_dir
    office.close()
    assert main(["restore", str(backup_file), "--data-dir", str(data_dir.root), "--yes"]) == 0
    return OfficeHub(data_dir, clock)


# Central sends rows in the order they were last pushed: the expediente approved on payment
# comes after its payment, on the same page or (one row a page) on a later one.
@pytest.mark.parametrize("page", [None, 1], ids=["pages", "one-row-pages"])
def test_a_restored_backup_gets_back_what_central_holds(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock,
        monkeypatch: pytest.MonkeyPatch, page: int | None
) -> None:
    if page is not None:
        monkeypatch.setattr(recovery, "PULL_PAGE", page)
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    clerk = clerk_of(office)
    morning = office.issue_ticket(SYSTEM, "partidas")
    first = office.file_expediente(clerk, partida(add_acta(office)))
    assert connect_sync(office, central_http.url, token).run_round().ok
    backup = backup_database(office.data_dir.database, office.data_dir.backups, "noche")

    # The day goes on and is pushed; then the disk dies.
    advance(clock, minutes=30)
    later = [office.issue_ticket(SYSTEM, "partidas") for _ in range(3)]
    office.open_counter(SYSTEM, 1)
    called = office.call_next(SYSTEM, 1)
    second = office.file_expediente(clerk, partida(add_acta(office, number="1002")))
    paid = office.pay(clerk, second.number, PaymentInput(amount=second.fee))
    assert connect_sync(office, central_http.url, token).run_round().ok
    before_crash = _counts(office)

    office = _restore(office, backup, clock)
    assert _counts(office)["tickets"] == before_crash["tickets"] - 3
    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok, report.error
    assert any(m.startswith("Recuperados de la central") for m in report.messages)

    # Everything is back, as it was; the audit chain is whole again.
    assert _counts(office) == before_crash
    assert [office.ticket(SYSTEM, t.id).number for t in later] == [t.number for t in later]
    assert called is not None and office.ticket(SYSTEM, called.id).status == "called"
    assert office.expediente(clerk, second.number).paid == Decimal(paid.amount)
    assert office.verify_audit(SYSTEM).ok
    # New numbers continue above every recovered one.
    clerk = clerk_of(office, counter=5)
    assert office.issue_ticket(SYSTEM, "partidas").number != later[-1].number
    numbers = {morning.number, *(t.number for t in later)}
    assert office.issue_ticket(SYSTEM, "partidas").number not in numbers
    third = office.file_expediente(clerk, partida(add_acta(office, number="1003")))
    assert third.number not in (first.number, second.number)
    receipt = office.pay(clerk, third.number, PaymentInput(amount=third.fee))
    assert receipt.receipt_number != paid.receipt_number

    # And central takes the new work without rejections or duplicates.
    assert connect_sync(office, central_http.url, token).run_round().rejected == 0
    tickets = REPLICAS["tickets"]
    with central.engine.connect() as connection:
        numbers_at_central = connection.scalars(select(tickets.c.number)).all()
    assert len(numbers_at_central) == len(set(numbers_at_central)) == _counts(office)["tickets"]


def test_a_row_changed_after_the_restore_keeps_the_office_version(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock
) -> None:
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    ticket = office.issue_ticket(SYSTEM, "partidas")
    assert connect_sync(office, central_http.url, token).run_round().ok
    backup = backup_database(office.data_dir.database, office.data_dir.backups, "noche")
    office.open_counter(SYSTEM, 1)
    advance(clock, minutes=2)
    office.call_next(SYSTEM, 1)  # pushed: central has it "called"
    assert connect_sync(office, central_http.url, token).run_round().ok

    office = _restore(office, backup, clock)
    office.open_counter(SYSTEM, 2)
    advance(clock, minutes=1)
    again = office.call_next(SYSTEM, 2)  # called again here, at counter 2, before any sync
    assert again is not None and again.id == ticket.id
    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok, report.error
    assert office.ticket(SYSTEM, ticket.id).counter == 2
    # The office's own chain goes on whole; the events central holds at the places the office
    # wrote again are not forced in: they are listed for the managers (and stay at central).
    assert office.verify_audit(SYSTEM).ok
    listed = [item for item in office.sync_attention(SYSTEM) if item.table == "events"]
    assert listed and all("No se pudo recuperar" in item.reason for item in listed)
    assert any("no se pudieron guardar" in m for m in report.messages)
    # What the office wrote after the restore went up above central's floor, so central
    # took it as newer: the ticket is at counter 2 there too.
    tickets = REPLICAS["tickets"]
    with central.engine.connect() as connection:
        assert connection.scalar(select(tickets.c.counter_number).where(
            tickets.c.id == ticket.id)) == 2


def test_only_an_office_hub_may_ask_for_its_rows(central: CentralServer,
                                                 central_http: RunningHub) -> None:
    staff = CentralClient(central_http.url, central.add_staff("Rosa Gálvez"))
    try:
        with pytest.raises(Forbidden):
            staff.recover(0)
    finally:
        staff.close()


def test_days_summed_up_before_the_recovery_are_summed_up_again(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock
) -> None:
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    day = office.office.business_date(clock.now())
    office.issue_ticket(SYSTEM, "partidas")
    assert connect_sync(office, central_http.url, token).run_round().ok
    backup = backup_database(office.data_dir.database, office.data_dir.backups, "noche")
    for _ in range(4):
        office.issue_ticket(SYSTEM, "caja")
    assert connect_sync(office, central_http.url, token).run_round().ok
    assert office.ticket_history(SYSTEM, day, day).overall.issued == 5

    office = _restore(office, backup, clock)
    advance(clock, hours=24)  # the next morning: the office opens and the supervisor looks,
    office.issue_ticket(SYSTEM, "partidas")  # all before the link is up
    assert office.ticket_history(SYSTEM, day, day).overall.issued == 1
    with office.store.read_session() as session:
        assert session.scalar(select(func.count()).select_from(DailyTicketStats)), "not summed"
    assert connect_sync(office, central_http.url, token).run_round().ok
    assert office.ticket_history(SYSTEM, day, day).overall.issued == 5
