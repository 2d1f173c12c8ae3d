"""The expedientes of the counter, without the window: the lookups of the form (persons,
businesses, actas), filing, searching, opening, the transitions and the payments.

`ExpedienteControl` owns these hub calls and hands them to the window's runner (worker
thread); the window shows the answers. Tests drive it with a plain runner, no window.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.client.base import HubClient
from kiosk.errors import CacError
from kiosk.services.expediente_views import (
    ActaView,
    AppealInput,
    BusinessView,
    ExpedienteInput,
    ExpedienteSummary,
    ExpedienteView,
    NoticeWithdrawal,
    PaymentInput,
    PaymentView,
    PersonView,
    TransitionInput,
)
from kiosk.services.itse_views import ItseInput
from ui.counter.document_control import DocumentControl
from ui.hub_calls import Runner
from ui.kiosk.printer_port import PrintOutcome

Failed = Callable[[CacError], None]
Paid = tuple[PaymentView, ExpedienteView, PrintOutcome | None]

PERSONS_SHOWN = 10
BUSINESSES_SHOWN = 10
ACTAS_SHOWN = 20
EXPEDIENTES_SHOWN = 50


class ExpedienteControl:
    def __init__(self, client: HubClient, documents: DocumentControl, run: Runner) -> None:
        self._client = client
        self._documents = documents
        self._run = run
        self.last_payment: PaymentView | None = None

    def find_persons(self, query: str, found: Callable[[list[PersonView]], None],
                     failed: Failed) -> None:
        client = self._client
        self._run(lambda: client.find_persons(query, PERSONS_SHOWN), found, failed)

    def find_businesses(self, ruc: str, found: Callable[[list[BusinessView]], None],
                        failed: Failed) -> None:
        client = self._client
        self._run(lambda: client.find_businesses(ruc, BUSINESSES_SHOWN), found, failed)

    def search_actas(self, query: str, kind: str, found: Callable[[list[ActaView]], None],
                     failed: Failed) -> None:
        client = self._client
        self._run(lambda: client.search_actas(query, kind or None, ACTAS_SHOWN), found, failed)

    def file(self, request: ExpedienteInput, filed: Callable[[ExpedienteView], None],
             failed: Failed) -> None:
        client = self._client
        self._run(lambda: client.file_expediente(request), filed, failed)

    def search(self, query: str, found: Callable[[list[ExpedienteSummary]], None],
               failed: Failed) -> None:
        client = self._client
        self._run(lambda: client.search_expedientes(query, EXPEDIENTES_SHOWN), found, failed)

    def open(self, number: str, opened: Callable[[ExpedienteView], None]) -> None:
        client = self._client
        self._run(lambda: client.expediente(number), opened)

    def transition(self, number: str, change: TransitionInput,
                   changed: Callable[[ExpedienteView], None], failed: Failed) -> None:
        client = self._client
        self._run(lambda: client.transition(number, change), changed, failed)

    def file_appeal(self, number: str, appeal: AppealInput,
                    filed: Callable[[ExpedienteView], None], failed: Failed) -> None:
        client = self._client
        self._run(lambda: client.file_appeal(number, appeal), filed, failed)

    def record_itse(self, number: str, itse: ItseInput,
                    changed: Callable[[ExpedienteView], None], failed: Failed) -> None:
        """The ITSE's result and, when conforme, its certificate (number, date of issue)."""
        client = self._client
        self._run(lambda: client.record_itse(number, itse), changed, failed)

    def withdraw_notices(self, number: str,
                         done: Callable[[tuple[NoticeWithdrawal, ExpedienteView]], None],
                         failed: Failed) -> None:
        """The citizen's consent to notices withdrawn, and the expediente as it is now."""
        client = self._client

        def work() -> tuple[NoticeWithdrawal, ExpedienteView]:
            return client.withdraw_notice_consent(number), client.expediente(number)

        self._run(work, done, failed)

    def pay(self, number: str, payment: PaymentInput, paid: Callable[[Paid], None],
            failed: Failed) -> None:
        """The payment, the expediente as it is after it, and its receipt printed."""
        client, documents = self._client, self._documents

        def work() -> Paid:
            payment_made = client.pay(number, payment)
            expediente, outcome = documents.print_paid_receipt(
                payment_made, client.expediente(number))
            return payment_made, expediente, outcome

        def done(result: Paid) -> None:
            self.last_payment = result[0]
            paid(result)

        self._run(work, done, failed)
