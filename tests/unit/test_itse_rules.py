"""The ITSE's terms, counted by hand: the ITSE posterior's due date in working days over the
office calendar (8 and 9 Dec 2026 are national holidays), and the certificate's two years of
validity over a leap day (Código Civil art. 183.3)."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.itse import (
    CERTIFICATE_VALIDITY_YEARS,
    ITSE_POSTERIOR_WORKING_DAYS,
    CertificateState,
    certificate_state,
    certificate_valid_until,
    itse_due,
    itse_overdue,
)


def test_the_figures_say_where_they_come_from() -> None:
    assert (ITSE_POSTERIOR_WORKING_DAYS.value, ITSE_POSTERIOR_WORKING_DAYS.confirmed) == (9, False)
    assert (CERTIFICATE_VALIDITY_YEARS.value, CERTIFICATE_VALIDITY_YEARS.confirmed) == (2, True)
    assert "Ley 30619" in CERTIFICATE_VALIDITY_YEARS.source


# Approved Thu 3 Dec 2026; working days after it: Fri 4 (1), Mon 7 (2), [Tue 8, Wed 9
# holidays], Thu 10 (3), Fri 11 (4), Mon 14 (5), Tue 15 (6), Wed 16 (7), Thu 17 (8), Fri 18 (9).
# Approved Sat 5 Dec: counts as approved Mon 7, so Thu 10 (1), Fri 11 (2), Mon 14 (3) ...
# Mon 21 (8), Tue 22 (9).
# With Fri 11 Dec a non-working day of the office: Mon 21 Dec.
@pytest.mark.parametrize(("approved", "extra", "due"), [
    (date(2026, 12, 3), (), date(2026, 12, 18)),
    (date(2026, 12, 5), (), date(2026, 12, 22)),
    (date(2026, 12, 3), (date(2026, 12, 11),), date(2026, 12, 21)),
    # Thu 26 Mar 2026: Fri 27 (1), Mon 30 (2), Tue 31 (3), Wed 1 Apr (4), [Holy Thursday 2,
    # Good Friday 3], Mon 6 (5), Tue 7 (6), Wed 8 (7), Thu 9 (8), Fri 10 (9).
    (date(2026, 3, 26), (), date(2026, 4, 10)),
])
def test_the_itse_posterior_is_due_nine_working_days_after_the_licence(
        approved: date, extra: tuple[date, ...], due: date) -> None:
    calendar = WorkingCalendar(extra)
    assert itse_due(calendar, approved) == due
    assert not itse_overdue(calendar, approved, due)
    assert itse_overdue(calendar, approved, date.fromordinal(due.toordinal() + 1))


@pytest.mark.parametrize(("issued", "valid_until"), [
    (date(2024, 2, 29), date(2026, 2, 28)),  # 2026 has no 29 Feb: the month's last day
    (date(2026, 2, 28), date(2028, 2, 28)),  # not the 29th of the leap year
    (date(2028, 2, 29), date(2030, 2, 28)),
    (date(2026, 3, 1), date(2028, 3, 1)),  # across 29 Feb 2028: still the same date
    (date(2026, 12, 21), date(2028, 12, 21)),
])
def test_a_certificate_is_valid_two_years_from_its_issue(issued: date, valid_until: date
                                                         ) -> None:
    assert certificate_valid_until(issued) == valid_until


@pytest.mark.parametrize(("today", "state"), [
    (date(2026, 1, 28), CertificateState.VIGENTE),  # 31 days before the end
    (date(2026, 1, 29), CertificateState.POR_VENCER),  # 30 days before
    (date(2026, 2, 28), CertificateState.POR_VENCER),  # its last valid day
    (date(2026, 3, 1), CertificateState.VENCIDO),
])
def test_a_certificate_issued_on_a_leap_day_expires_after_28_feb(today: date,
                                                                 state: CertificateState) -> None:
    assert certificate_state(certificate_valid_until(date(2024, 2, 29)), today) is state
