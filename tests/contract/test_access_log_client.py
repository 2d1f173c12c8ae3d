"""The personal-data access log (Ley 29733) through both clients: the same entries, the same
refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.client import HubClient
from kiosk.errors import Forbidden, InvalidInput
from kiosk.hub import SYSTEM


def test_the_access_log_through_both_clients(connect, hub) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import CLERK
    from tests.integration.test_expedientes import partida, person

    counter: HubClient = connect("counter", person=False)
    counter.login(*CLERK, counter=3)
    filed = counter.file_expediente(partida())
    assert filed.person is not None
    counter.expediente(filed.number)
    counter.find_persons(person().doc_number)
    admin: HubClient = connect("admin")
    entries = admin.audit_access(person=person().doc_number)
    assert [(e.what, e.who, e.query) for e in entries] == [
        ("persons", "ana", person().doc_number), ("expediente", "ana", None)]
    assert [(p.id, p.doc_type, p.doc_number) for p in entries[1].persons] == [
        (filed.person.id, "DNI", person().doc_number)]
    assert entries[1].records == [filed.number]
    assert entries == hub.audit_access(SYSTEM, person=person().doc_number)
    today = hub.office.business_date(hub.clock.now())
    assert admin.audit_access(user="ana", date_from=today, date_to=today, limit=1) == entries[:1]
    assert admin.audit_access(user="luis") == []
    cases = [
        (Forbidden, "forbidden", lambda: counter.audit_access()),
        (Forbidden, "forbidden", lambda: connect("supervisor").audit_access()),
        (Forbidden, "forbidden", lambda: connect("kiosk").audit_access()),
        (InvalidInput, "invalid_limit", lambda: admin.audit_access(limit=0)),
        (InvalidInput, "invalid_period", lambda: admin.audit_access(
            date_from=today, date_to=today - timedelta(days=1))),
    ]
    for error, code, action in cases:
        with pytest.raises(error) as caught:
            action()
        assert caught.value.code == code
        assert caught.value.message
