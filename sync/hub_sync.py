"""The hub's sync with central: a round pushes the outbox and pulls the feed; a worker repeats
rounds in the background, backing off with jitter while the link is down.

A round can be cut anywhere: a pushed batch central applied but whose answer was lost is sent
again and answered "duplicate"; a pulled page is stored together with its cursor, so it is
applied once. Nothing waits on the link: the office keeps working, the outbox keeps growing.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kiosk.errors import CacError, UpgradeRequired
from kiosk.hub import OfficeHub
from kiosk.rules.expedientes import Action
from kiosk.services import calendar_days, citas, expedientes
from kiosk.services.admin_views import MISSING_CREDENTIAL
from kiosk.services.expediente_views import TransitionInput
from kiosk.services.sync_status import ATTENTION_SHOWN, REFUSED_STATE, read_state
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.signing.statement import OfficeKey
from kiosk.storage.migrate import head_revision
from kiosk.storage.replication import BY_TABLE, RESTORED_STATE, Policy
from kiosk.storage.tables import Base, SyncState
from sync import outbox, recovery
from sync.client import CentralClient, CentralUnavailable
from sync.wire import PULL_PAGE, decode_row, pack_text

log = logging.getLogger(__name__)

BACKOFFICE_EVENT = "expediente_event"
# A booking central made on a place the office delegated to it (sync/central/citas.py), and
# its citizen's cancellation or move there (decision record 48).
CENTRAL_CITA = "cita_booked"
CENTRAL_CITA_REQUESTS = {"cita_cancelled": citas.CENTRAL_CANCEL,
                         "cita_moved": citas.CENTRAL_MOVE}
MAX_BATCHES_PER_ROUND = 1000  # a round always ends, even while the office keeps writing
MAX_PAGES_PER_ROUND = 1000
# Central's refusals of the credential itself: they last until someone fixes the settings, so
# every window shows them (kiosk/services/sync_status.py), not only the last attempt's error.
CREDENTIAL_REFUSALS = ("wrong_office", "other_installation", "invalid_credentials")


@dataclass
class RoundReport:
    ok: bool = False
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    error: str | None = None
    code: str | None = None
    skew_s: float | None = None
    messages: list[str] = field(default_factory=list)


def save_state(session: Session, key: str, value: dict[str, Any], now: datetime) -> None:
    stmt = sqlite_insert(SyncState).values(key=key, value=value, updated_at=now)
    session.execute(stmt.on_conflict_do_update(index_elements=["key"],
                                               set_={"value": value, "updated_at": now}))


class FeedApplier:
    """Applies central's feed to a hub (pulled over HTTP or carried in a USB reply)."""

    def __init__(self, hub: OfficeHub) -> None:
        self.hub = hub

    def cursor(self) -> int:
        with self.hub.store.read_session() as session:
            value = read_state(session).get("pull_cursor", {}).get("seq", 0)
        return int(value) if isinstance(value, int) else 0

    def apply(self, items: list[dict[str, Any]]) -> int:
        """Apply a page of central's feed; returns the new cursor. Catalogue rows go in one
        transaction each run, a back-office event in its own; each stores its cursor."""
        cursor = self.cursor()
        run: list[dict[str, Any]] = []
        for item in items:
            seq = item.get("c")
            if not isinstance(seq, int) or seq <= cursor:
                continue  # seen before (a page asked for twice)
            if item.get("o") == BACKOFFICE_EVENT:
                cursor = self._apply_rows(run, cursor)
                run = []
                cursor = self._apply_backoffice(item)
            elif item.get("o") == CENTRAL_CITA or item.get("o") in CENTRAL_CITA_REQUESTS:
                cursor = self._apply_rows(run, cursor)
                run = []
                cursor = self._apply_central_cita(item)
            else:
                run.append(item)
        return self._apply_rows(run, cursor)

    def _apply_rows(self, run: list[dict[str, Any]], cursor: int) -> int:
        if not run:
            return cursor
        problems: list[dict[str, Any]] = []
        with self.hub.unit_of_work() as uow:
            office = self.hub.office
            days_change = any(item.get("t") == "non_working_days" for item in run)
            before = calendar_days.office_calendar(uow.session, office) if days_change else None
            with outbox.applying(uow.session):
                for item in run:
                    reason = apply_row(uow.session, self.hub.office.office_id, item)
                    if reason:
                        problems.append(_problem(item, reason, uow.now))
                    elif item.get("t") == "non_working_days":
                        _record_day(uow, item)
            if before is not None:  # the office's own deadlines move, and that goes to central
                expedientes.redate_for_new_calendar(
                    uow, before, calendar_days.office_calendar(uow.session, office))
            cursor = int(run[-1]["c"])
            self._store_cursor(uow.session, cursor, problems, uow.now)
            uow.commit()
        return cursor

    def _apply_backoffice(self, item: dict[str, Any]) -> int:
        cursor = int(item["c"])
        payload = item.get("p") if isinstance(item.get("p"), dict) else {}
        assert isinstance(payload, dict)
        try:
            with self.hub.unit_of_work() as uow:
                change = TransitionInput(action=Action(str(payload.get("action"))),
                                         note=payload.get("note"), area=payload.get("area"),
                                         inspection_result=payload.get("inspection_result"))
                by = str(payload.get("by") or "Central")
                actor = expedientes.Actor(device_id=None, device_name="Servidor central",
                                          full_name=by)
                expedientes.transition(uow, str(payload.get("number", "")), change, actor,
                                       calendar_days.office_calendar(uow.session, self.hub.office))
                self._store_cursor(uow.session, cursor, [], uow.now)
                uow.commit()
            return cursor
        except (CacError, ValueError) as exc:
            reason = exc.message if isinstance(exc, CacError) else str(exc)
            log.warning("no se pudo aplicar un cambio de la central (%s): %s",
                        payload.get("number"), reason)
        with self.hub.unit_of_work() as uow:
            item_problem = _problem(item, reason, uow.now,
                                    reference=str(payload.get("number", "")))
            self._store_cursor(uow.session, cursor, [item_problem], uow.now)
            uow.commit()
        return cursor

    def _apply_central_cita(self, item: dict[str, Any]) -> int:
        """Central's booking, or its citizen's cancellation or move, stored with the cursor
        in one transaction (a page pulled twice finds its code and stores nothing more; a
        request is applied once, whole or refused)."""
        cursor = int(item["c"])
        payload = item.get("p") if isinstance(item.get("p"), dict) else {}
        assert isinstance(payload, dict)
        asked = CENTRAL_CITA_REQUESTS.get(str(item.get("o")))
        try:
            with self.hub.unit_of_work() as uow:
                if asked is None:
                    citas.accept_central(uow, payload)
                else:
                    citas.apply_central_request(uow, asked, payload)
                self._store_cursor(uow.session, cursor, [], uow.now)
                uow.commit()
            return cursor
        except (CacError, KeyError, TypeError, ValueError) as exc:
            reason = exc.message if isinstance(exc, CacError) else f"dato no válido: {exc}"
            log.warning("no se pudo aplicar una cita de la central (%s): %s",
                        payload.get("code"), reason)
        with self.hub.unit_of_work() as uow:
            problem = _problem(item, reason, uow.now, reference=str(payload.get("code", "")))
            self._store_cursor(uow.session, cursor, [problem], uow.now)
            uow.commit()
        return cursor

    def _store_cursor(self, session: Session, cursor: int, problems: list[dict[str, Any]],
                      now: datetime) -> None:
        save_state(session, "pull_cursor", {"seq": cursor}, now)
        note_attention(session, problems, now)


class HubSync:
    """One hub's rounds with one central (the URL and credential may come from flags)."""

    def __init__(self, hub: OfficeHub, client: CentralClient) -> None:
        self.hub = hub
        self.client = client
        client.speak_for(hub.office.office_code)
        self.schema = head_revision()
        self.feed = FeedApplier(hub)

    # --- a round -----------------------------------------------------------------------------

    def run_round(self) -> RoundReport:
        report = RoundReport()
        started = self.hub.clock.now()
        try:
            self._hello(report)
            self._push(report)
            self._pull(report)
            self._exchange_keys()
            report.ok = True
        except UpgradeRequired as exc:
            report.error, report.code = exc.message, exc.code
            self._remember("update_required", {"message": exc.message})
        except CacError as exc:
            report.error, report.code = exc.message, exc.code
            if exc.code in CREDENTIAL_REFUSALS:
                self._remember(REFUSED_STATE, {"message": exc.message, "code": exc.code})
        finally:
            outbox.release_inflight(self.hub.store)
        self._record_attempt(report, started)
        return report

    def _hello(self, report: RoundReport) -> None:
        before = self.hub.clock.now()
        answer = self.client.hello(self.hub.office.office_id)
        after = self.hub.clock.now()
        try:
            central_time = datetime.fromisoformat(str(answer["server_time"]))
            floor = int(answer.get("last_seq", 0))
        except (KeyError, TypeError, ValueError):
            raise CentralUnavailable("central_bad_answer",
                                     "La respuesta de la central llegó dañada.") from None
        report.skew_s = round((central_time - (before + (after - before) / 2)).total_seconds(), 1)
        with self.hub.store.read_session() as session:
            own = outbox.last_seq(session)
            restored = read_state(session).get(RESTORED_STATE, {}).get("seq")
        if isinstance(restored, int) or floor > own:
            # Restored from an older backup: get back what the office pushed since.
            base = restored if isinstance(restored, int) else own
            recovered = recovery.recover(self.hub, self.client, base)
            if recovered.rows or recovered.kept_local or recovered.problems:
                report.messages.append(recovered.summary())
            if recovered.problems:
                with self.hub.store.write_session() as session:
                    note_attention(session, [{**p, "at": after.isoformat()}
                                             for p in recovered.problems], after)
                    session.commit()
        with self.hub.store.write_session() as session:
            if outbox.raise_seq_floor(session, floor, restored=isinstance(restored, int)):
                log.warning("la central ya vio cambios hasta %s: el buzón sigue desde ahí "
                            "(¿copia de seguridad restaurada?)", floor)
            session.execute(delete(SyncState).where(SyncState.key == RESTORED_STATE))
            save_state(session, "clock_skew", {"seconds": report.skew_s}, after)
            save_state(session, "central", {"office": answer.get("office"),
                                            "name": answer.get("name")}, after)
            session.execute(delete(SyncState).where(
                SyncState.key.in_(("update_required", REFUSED_STATE))))
            session.commit()
        if "public_url" in answer:  # a central older than issue 15 says nothing: kept as is
            self.hub.learn_central_public_url(answer["public_url"])

    def _push(self, report: RoundReport) -> None:
        """Batches go one at a time, each answered before the next is sent; while central works
        on one, the hub settles the answer before it and takes and packs the next (one commit
        per batch), so neither side waits for the other's work."""
        head = json.dumps({"office": self.hub.office.office_code,
                           "hub_office_id": self.hub.office.office_id})
        store = self.hub.store
        batch = outbox.take_batch(store)
        if not batch:
            return
        body = _pack_batch(head, batch)
        answered: tuple[list[Any], list[outbox.OutboxEntry]] | None = None  # not settled yet
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push") as sender:
            for _ in range(MAX_BATCHES_PER_ROUND):
                flight = sender.submit(self.client.push, body)
                sent = batch
                if answered is None:
                    batch = outbox.take_batch(store)
                else:
                    done, refused, batch = outbox.settle_and_take(store, *answered)
                    _count(report, done, refused)
                body = _pack_batch(head, batch) if batch else b""
                answered = (_results(flight.result()), sent)
                if not batch:
                    break
        assert answered is not None
        done, refused = outbox.settle(store, *answered)
        _count(report, done, refused)

    def _pull(self, report: RoundReport) -> None:
        cursor = self.feed.cursor()
        for _ in range(MAX_PAGES_PER_ROUND):
            answer = self.client.pull(cursor, PULL_PAGE)
            items, following = answer.get("changes"), answer.get("next")
            if not isinstance(items, list) or not isinstance(following, int):
                raise CentralUnavailable("central_bad_answer",
                                         "La respuesta de la central llegó dañada.")
            if items:
                cursor = self.feed.apply(items)
                report.pulled += len(items)
            if not answer.get("more") or not items:
                return

    def _exchange_keys(self) -> None:
        """The office's keys for QR statements published, every office's kept here, so a
        document verifies at this office with no link (decision 46). A key made, rotated or
        revoked goes out on the next round."""
        keys = self.hub.office_keys
        try:
            answer = self.client.exchange_keys([k.to_json() for k in keys.own()])
        except CacError as exc:  # a central older than decision 46: the round is not lost
            log.warning("no se pudieron intercambiar las claves de verificación: %s",
                        exc.message)
            return
        try:
            known = [OfficeKey.from_json(item) for item in answer["keys"]]
        except (KeyError, TypeError, ValueError):
            raise CentralUnavailable("central_bad_answer",
                                     "La respuesta de la central llegó dañada.") from None
        keys.merge([k for k in known if k.office_id != self.hub.office.office_id])

    # --- memory ----------------------------------------------------------------------------

    def _remember(self, key: str, value: dict[str, Any]) -> None:
        with self.hub.store.write_session() as session:
            save_state(session, key, value, self.hub.clock.now())
            session.commit()

    def _record_attempt(self, report: RoundReport, started: datetime) -> None:
        now = self.hub.clock.now()
        with self.hub.store.write_session() as session:
            save_state(session, "last_attempt", {"at": now.isoformat(), "ok": report.ok,
                                                 "error": report.error, "code": report.code,
                                                 "url": self.client.base_url}, now)
            if report.ok:
                save_state(session, "last_success", {"at": started.isoformat(),
                                                     "pushed": report.pushed,
                                                     "pulled": report.pulled}, now)
            session.commit()


def _pack_batch(head: str, batch: list[outbox.OutboxEntry]) -> bytes:
    return pack_text(head[:-1] + ',"entries":[' + ",".join(e.wire_json() for e in batch) + "]}")


def _results(answer: dict[str, Any]) -> list[Any]:
    results = answer.get("results")
    if not isinstance(results, list):
        raise CentralUnavailable("central_bad_answer", "La respuesta de la central llegó dañada.")
    return results


def _count(report: RoundReport, done: int, refused: int) -> None:
    report.pushed += done
    report.rejected += refused
    if done + refused == 0:
        raise CentralUnavailable("central_bad_answer",
                                 "La central no respondió por ningún cambio del lote.")


def note_attention(session: Session, problems: list[dict[str, Any]], now: datetime) -> None:
    """Add what central sent but the office could not apply to the managers' attention list."""
    if problems:
        old = read_state(session).get("pull_attention", {}).get("items", [])
        save_state(session, "pull_attention",
                   {"items": [*old, *problems][-ATTENTION_SHOWN:]}, now)


def _problem(item: Mapping[str, Any], reason: str, now: datetime, reference: str = ""
             ) -> dict[str, Any]:
    return {"table": str(item.get("t", "")), "reference": reference or str(item.get("c", "")),
            "reason": reason[:500], "at": now.isoformat()}


def _record_day(uow: UnitOfWork, item: Mapping[str, Any]) -> None:
    """The office's audited event of a non-working day central sent or withdrew (central's
    own log says who there did it)."""
    payload = item.get("p")
    assert isinstance(payload, dict)
    kind = "non_working_day_withdrawn" if item.get("o") == "delete" else "non_working_day_set"
    data = {k: payload.get(k) for k in ("date", "name", "scope", "place") if k in payload}
    uow.record("calendar", str(payload.get("id", "")), kind,
               {**data, "by": "Servidor central"}, None)


def apply_row(session: Session, office_id: str, item: Mapping[str, Any]) -> str | None:
    """Write one catalogue or national row from central; a Spanish reason when it cannot."""
    name, op, payload = item.get("t"), item.get("o"), item.get("p")
    spec = BY_TABLE.get(name) if isinstance(name, str) else None
    if spec is None or spec.policy not in (Policy.CATALOGUE, Policy.NATIONAL):
        return f"La central envió datos de «{name}», que la oficina no recibe."
    if op not in ("upsert", "delete") or not isinstance(payload, dict):
        return f"Cambio de «{name}» con una forma desconocida."
    table: Table = Base.metadata.tables[spec.table]
    try:
        row = decode_row(table, payload)
    except ValueError as exc:
        return f"Dato no válido en «{name}»: {exc}."
    if "office_id" in table.columns:
        row["office_id"] = office_id
    for name in spec.private_columns:  # never from central; a new row starts without (no PIN)
        row[name] = _unset(table.c[name])
    keys = [c.name for c in table.primary_key.columns]
    try:
        with session.begin_nested():
            if spec.key:  # the same day under another id: the natural key decides
                for key in spec.key:  # a column an older central did not send (a day's place)
                    row.setdefault(key, _unset(table.c[key]))
                session.execute(delete(table).where(*(table.c[k] == row.get(k) for k in spec.key)))
            if op == "delete":
                session.execute(delete(table).where(*(table.c[k] == row.get(k) for k in keys)))
                return None
            stmt = sqlite_insert(table).values(**row)
            shared = {c: stmt.excluded[c] for c in row
                      if c not in keys and c not in spec.local_columns}
            session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=shared)
                            if shared else stmt.on_conflict_do_nothing(index_elements=keys))
    except Exception as exc:  # an IntegrityError from a clashing local row, say
        detail = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
        return f"No se pudo guardar un dato de «{name}» enviado por la central: {detail}."
    return None


def _unset(column: Any) -> Any:
    """A column's value before the office sets it: its default, else empty (a clerk's PIN
    hash "" matches no PIN: nobody logs in until the office's admin gives one)."""
    default = column.default
    if default is not None and default.is_scalar:
        return default.arg
    return None if column.nullable else ""


# --- the background worker -------------------------------------------------------------------


class Backoff:
    """Exponential backoff with full jitter (AWS architecture blog, 2015): offices whose link
    comes back at the same moment do not all call central in the same second."""

    def __init__(self, base_s: float = 2.0, cap_s: float = 300.0, floor_s: float = 1.0,
                 rng: random.Random | None = None) -> None:
        self.base_s, self.cap_s, self.floor_s = base_s, cap_s, floor_s
        self.failures = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        self.failures += 1
        return max(self.floor_s, self._rng.uniform(0, min(self.cap_s,
                                                  self.base_s * 2 ** min(self.failures, 20))))

    def reset(self) -> None:
        self.failures = 0


class SyncWorker:
    """Rounds every `interval_s` in a thread; after a failure, waits by the backoff."""

    def __init__(self, sync: HubSync, interval_s: float, backoff: Backoff | None = None,
                 on_round: Callable[[RoundReport], None] | None = None) -> None:
        self.sync = sync
        self.interval_s = interval_s
        self.backoff = backoff or Backoff()
        self._on_round = on_round
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sync-central", daemon=True)

    def start(self) -> SyncWorker:
        outbox.release_inflight(self.sync.hub.store)  # a round cut by a crash
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        self.sync.client.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                report = self.sync.run_round()
            except Exception:  # never let the thread die: the office must keep syncing
                log.exception("error inesperado en la sincronización")
                report = RoundReport(error="error inesperado")
            if self._on_round is not None:
                self._on_round(report)
            if report.ok:
                self.backoff.reset()
                delay = self.interval_s
            else:
                delay = self.backoff.next_delay()
                log.info("sincronización fallida (%s); nuevo intento en %.0f s", report.error,
                         delay)
            self._wake.wait(delay)
            self._wake.clear()


def client_for(hub: OfficeHub, url: str | None = None, credential: str | None = None
               ) -> CentralClient | None:
    """The central client of the hub's settings (or of flags that override them)."""
    url = url or hub.config.central_url
    credential = credential or hub.config.central_credential
    if not url or not credential:
        return None
    return CentralClient(url, credential, schema=head_revision(),
                         verify=hub.config.central_ca_file or True)


def start_worker(hub: OfficeHub) -> SyncWorker | None:
    """Entry point `cac_kiosk.hub_services`: the worker of a hub that has a central (its
    credential read from the data folder's secrets.toml, see DataDir.central_credential)."""
    client = client_for(hub)
    if client is None:
        if hub.config.central_url:
            log.warning("%s", MISSING_CREDENTIAL)
        return None
    return SyncWorker(HubSync(hub, client), hub.config.sync_interval_s).start()


__all__ = ["Backoff", "FeedApplier", "HubSync", "RoundReport", "SyncWorker", "apply_row",
           "start_worker"]
