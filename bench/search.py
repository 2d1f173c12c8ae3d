"""Search benchmark: expedientes and citizens found by number, code, document or name, over a
large office (1 M persons, 2 M expedientes), next to the floor of an indexed lookup by key.

The data set is generated (seeded, kiosk/seed/names.py: realistic Peruvian names with Quispe,
Mamani, Huamán, «De la Cruz», ...; DNIs and RUCs with valid check digits) into a store created
by the project's own migrations (so the FTS5 name index, the indexes and the triggers are the
real ones), with plain `sqlite3` executemany while a second process makes the rows; no journal,
no outbox capture and no secondary index while loading, all put back before the office is
cached under --cache-dir, keyed by size, seed, generator version and schema revision, so reruns
skip the build (about 1.5 minutes at full size on 2 cores).

What is timed, in one run: each query shape through `OfficeHub.search_expedientes` (what the
counter's search box calls: authorisation, a read session, the search and the summaries), and
the name shapes through `OfficeHub.find_persons` too:

  number          «CAJ-2024-012345», «caj-2024-12345», «2024-12345»
  tracking        «7k3qd-9xm2a-vb8» (lower case, dashes)
  dni             a person's DNI: that person's expedientes
  ruc             a business's RUC: its expedientes
  full_name       «Juan Carlos Quispe Mamani» (given names first)
  both_surnames   «Quispe Mamani»
  surname_given   «Quispe Juan» (paternal surname and first given name)

FLOOR: `SELECT * FROM expedientes WHERE id = ?` on a raw sqlite3 connection with the hub's
pragmas, one sample just before every timed query (same cache, same neighbours). Target (issue
8): p95 <= 50 ms per shape. PASS/MISS is informative; the exit code is 0 unless it crashes.

Run from the repository root:  .venv/bin/python bench/search.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import queue
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from itertools import accumulate, islice
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

from datasets import add_cache_arguments, cache_dir_of, cached_office

from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.expedientes import TRACKING_ALPHABET, format_tracking_code
from kiosk.rules.names import fold, search_key
from kiosk.rules.queue import percentile
from kiosk.seed.names import GeneratedPerson, PeopleGenerator
from kiosk.storage.store import apply_pragmas

GENERATOR_VERSION = 3  # 3: the loaded rows no longer leave entries in the outbox
FULL_PERSONS = 1_000_000
QUICK_PERSONS = 20_000
EXPEDIENTES_PER_PERSON = 2
BUSINESS_EVERY = 20  # one business per 20 persons
DEFAULT_REPS = 200
QUICK_REPS = 20
SEED = 7
P95_TARGET_MS = 50.0
OFFICE = "CAJ"
FIRST_YEAR = 2020
MACHINE_NOTE = "2 cores shared: quote medians and ratios"

LOADED_TABLES = ("persons", "businesses", "expedientes")
SHAPES = ("number", "tracking", "dni", "ruc", "full_name", "both_surnames", "surname_given")
NAME_SHAPES = ("full_name", "both_surnames", "surname_given")
STATUSES = (("entregado", 55), ("aprobado", 10), ("en_area", 15), ("recibido", 10),
            ("observado", 4), ("denegado", 3), ("anulado", 3))


# --- the data set ----------------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    """How SQLAlchemy keeps a UTC datetime in SQLite (naive, microseconds); isoformat costs a
    third of strftime, which counts over 4 M stamps."""
    return moment.isoformat(" ", "microseconds")[:26]


def _id(table: int, index: int) -> str:
    """UUID-shaped, deterministic and increasing: the bulk load appends to every index."""
    return f"{table:08x}-0000-7000-8000-{index:012x}"


_PAIRS = [TRACKING_ALPHABET[v & 31] + TRACKING_ALPHABET[v >> 5] for v in range(1024)]


def _tracking(index: int) -> str:
    """13 Crockford characters from a bijection of the index: distinct, random-looking. The
    low 5 bits first, two characters per lookup."""
    v = (index * 0x1_9E37_79B9_7F4A_7C15 + 0xA5A5_5A5A_1234) % (1 << 65)
    return (_PAIRS[v & 1023] + _PAIRS[v >> 10 & 1023] + _PAIRS[v >> 20 & 1023]
            + _PAIRS[v >> 30 & 1023] + _PAIRS[v >> 40 & 1023] + _PAIRS[v >> 50 & 1023]
            + TRACKING_ALPHABET[v >> 60])


_fold = cache(fold)


def _search_name(paternal: str, maternal: str, given: str) -> str:
    """`search_key` from its three parts folded apart and cached: a million persons, a few
    hundred distinct names. The same key as long as no part folds to nothing."""
    parts = (_fold(paternal), _fold(maternal), _fold(given))
    return " ".join(parts) if all(parts) else search_key(paternal, maternal, given)


INSERTS = {
    "persons": "INSERT INTO persons (id, office_id, doc_type, doc_number, given_names, "
               "paternal_surname, maternal_surname, search_name, phone, email, address, "
               "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "businesses": "INSERT INTO businesses (id, office_id, ruc, name, search_name, address, "
                  "representative_id, created_at, updated_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "expedientes": "INSERT INTO expedientes (id, office_id, number, year, seq, tracking_code, "
                   "procedure_id, procedure_version_id, category, person_id, business_id, "
                   "status, area, filed_at, deadline_working_days, calificacion, due_date, "
                   "stopped_working_days, fee, fee_basis, paid, pages, requirements_presented, "
                   "details, itse_done, decided_at, delivered_at, updated_at) VALUES (?, ?, ?, "
                   "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
}
BATCH_ROWS = 5_000  # rows per message from the generating process
BATCHES_AHEAD = 32  # how far it may run ahead of the load (160,000 rows)


def _rows(persons: int, seed: int, office_id: str, procedures: list[tuple[Any, ...]]
          ) -> Iterator[Iterator[tuple[Any, ...]]]:
    """The rows of each of LOADED_TABLES, in that order. They share the seeded sources: each
    table's rows must be exhausted before the next table's are started."""
    rng = random.Random(seed)
    generator = PeopleGenerator(seed)
    now = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)
    owners: list[GeneratedPerson] = []

    def person_rows() -> Iterator[tuple[Any, ...]]:
        created = _stamp(now)
        today = now.date()
        for i in range(persons):
            p = generator.person(today, min_age=18)
            if i % BUSINESS_EVERY == 0:
                owners.append(p)
            phone = f"9{rng.randrange(10**8):08d}" if rng.random() < 0.5 else None
            yield (_id(1, i), office_id, "DNI", p.dni, p.given_names, p.paternal_surname,
                   p.maternal_surname,
                   _search_name(p.paternal_surname, p.maternal_surname, p.given_names),
                   phone, None, None, created, created)

    def business_rows() -> Iterator[tuple[Any, ...]]:
        created = _stamp(now)
        for k, owner in enumerate(owners):
            b = generator.business(owner if k % 2 == 0 else None)
            yield (_id(2, k), office_id, b.ruc, b.name, search_key(b.name, None, ""),
                   b.address, _id(1, k * BUSINESS_EVERY), created, created)

    def expediente_rows() -> Iterator[tuple[Any, ...]]:
        businesses = len(owners)
        expedientes = persons * EXPEDIENTES_PER_PERSON
        statuses = [s for s, _ in STATUSES]
        # Cumulative weights draw exactly as the weights would, without summing them per row.
        status_cum = list(accumulate(w for _, w in STATUSES))
        decided_statuses = frozenset(("entregado", "aprobado", "denegado"))
        seq_of_year: dict[int, int] = {}
        first = datetime(FIRST_YEAR, 1, 1, 13)  # naive UTC: cheaper arithmetic, same stamps
        span = (now - datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)).total_seconds()
        choice, random_, randrange, choices, randint = (
            rng.choice, rng.random, rng.randrange, rng.choices, rng.randint)
        for j in range(expedientes):
            filed = first + timedelta(seconds=span * j / expedientes)
            year = filed.year
            seq = seq_of_year[year] = seq_of_year.get(year, 0) + 1
            proc_id, category, area, version_id, days, calificacion, fee = choice(procedures)
            if random_() < 0.15 and businesses:
                k = randrange(businesses)
                person_id, business_id = _id(1, k * BUSINESS_EVERY), _id(2, k)
            else:
                person_id, business_id = _id(1, randrange(persons)), None
            status = choices(statuses, cum_weights=status_cum)[0]
            filed_at = _stamp(filed)
            decided = (_stamp(filed + timedelta(days=days)) if status in decided_statuses
                       else None)
            yield (_id(3, j), office_id, f"{OFFICE}-{year}-{seq:06d}", year, seq, _tracking(j),
                   proc_id, version_id, category, person_id, business_id, status, area,
                   filed_at, days, calificacion,
                   (filed.date() + timedelta(days=days * 7 // 5 + 1)).isoformat(), 0, fee,
                   "bench", fee if status != "recibido" else "0.00", randint(1, 30), "[]",
                   "{}", 0, decided, decided if status == "entregado" else None, filed_at)

    yield person_rows()
    yield business_rows()
    yield expediente_rows()


def _produce(batches: Queue[list[tuple[Any, ...]]], persons: int, seed: int, office_id: str,
             procedures: list[tuple[Any, ...]]) -> None:
    """The generating process: each table's rows in batches, then an empty batch. The queue's
    own thread pickles and sends them while the next batch is made."""
    for rows in _rows(persons, seed, office_id, procedures):
        while batch := list(islice(rows, BATCH_ROWS)):
            batches.put(batch)
        batches.put([])
    batches.close()
    batches.join_thread()


def _received(batches: Queue[list[tuple[Any, ...]]], producer: BaseProcess
              ) -> Iterator[tuple[Any, ...]]:
    """One table's rows from the generating process."""
    while True:
        try:
            batch = batches.get(timeout=5)
        except queue.Empty:
            if producer.is_alive():
                continue
            raise RuntimeError(f"the generating process ended ({producer.exitcode})") from None
        if not batch:
            return
        yield from batch


def build(target: Path, persons: int, seed: int, log: Callable[[str], None]) -> None:
    """A demo office at `target` with `persons` persons and twice as many expedientes."""
    started = mark = time.perf_counter()

    def phase(done: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        log(f"  {done} in {now - mark:.1f} s")
        mark = now

    hub = OfficeHub.initialise(DataDir(target), OFFICE, "CAC Cajamarca (búsqueda)", demo=True)
    hub.close()
    database = DataDir(target).database
    with closing(sqlite3.connect(database)) as catalogue:
        office_id = catalogue.execute("SELECT id FROM offices").fetchone()[0]
        procedures = catalogue.execute(
            "SELECT p.id, p.category, p.area, v.id, v.deadline_working_days, v.calificacion, "
            "v.fee_value FROM procedures p JOIN procedure_versions v ON v.procedure_id = p.id"
        ).fetchall()
    # Making the rows in Python costs about as much as SQLite's share of the load: a second
    # process makes them while this one inserts.
    context = multiprocessing.get_context()
    batches: Queue[list[tuple[Any, ...]]] = context.Queue(BATCHES_AHEAD)
    producer = context.Process(target=_produce, name="search-bench-rows", daemon=True,
                               args=(batches, persons, seed, office_id, procedures))
    producer.start()
    try:
        _load(database, lambda: _received(batches, producer), phase)
    finally:
        producer.join(timeout=5)
        if producer.is_alive():
            producer.kill()
            producer.join()
    if producer.exitcode != 0:
        raise RuntimeError(f"the generating process ended with {producer.exitcode}")
    log(f"  built in {time.perf_counter() - started:.0f} s")


def _load(database: Path, rows: Callable[[], Iterator[tuple[Any, ...]]],
          phase: Callable[[str], None]) -> None:
    """The rows from `rows()` (one table's each call, in LOADED_TABLES order) into the store."""
    db = sqlite3.connect(database, isolation_level=None)
    apply_pragmas(db)
    # Loading only: no journal (a failed build is thrown away, never opened), no fsync, a big
    # cache, and no foreign key lookups (every id refers to a row loaded before it, by
    # construction). The store goes back to WAL below and the measurement reopens it with
    # the hub's own pragmas.
    if db.execute("PRAGMA journal_mode=OFF").fetchone()[0] != "off":
        raise RuntimeError("could not leave WAL mode to load the office")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-400000")
    db.execute("PRAGMA temp_store=MEMORY")
    db.execute("PRAGMA foreign_keys=OFF")
    # The outbox capture triggers (kiosk/storage/replication.py) would queue every loaded row
    # for central with a JSON payload and three index entries (3 M entries, two thirds of the
    # old file). Capture is off while loading, as when the hub applies what central sent; a
    # real office's outbox would have been drained by sync long ago.
    capture = db.execute("SELECT applying FROM sync_control WHERE id = 1").fetchone()
    outbox = db.execute("SELECT COUNT(*) FROM sync_outbox").fetchone()[0]
    db.execute("INSERT OR REPLACE INTO sync_control (id, applying) VALUES (1, 1)")
    # Secondary indexes are built once from sorted keys after the load rather than row by
    # row in random key order; from the SQL the migrations wrote. (The UNIQUE constraints'
    # autoindexes cannot be dropped; they grow as the rows arrive.)
    indexes = db.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN (?, ?, ?) ORDER BY rowid", LOADED_TABLES).fetchall()
    for name, _table, _sql in indexes:
        db.execute(f"DROP INDEX {name}")
    # FTS5 is filled in one pass after the load ('rebuild'), much faster than row by row
    # through the insert triggers; the triggers are put back exactly as the migration made them.
    insert_triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
        "('fts_persons_ai', 'fts_businesses_ai') ORDER BY rowid").fetchall()
    for trigger, _sql in insert_triggers:
        db.execute(f"DROP TRIGGER {trigger}")
    phase("empty office (migrations, demo catalogue)")

    def load(table: str) -> None:
        db.execute("BEGIN")
        loaded = db.executemany(INSERTS[table], rows()).rowcount
        if table == "expedientes":
            for office_id, year, last in db.execute(
                    "SELECT office_id, year, MAX(seq) FROM expedientes GROUP BY office_id, year"
                    ).fetchall():
                db.execute("INSERT OR REPLACE INTO year_sequences (office_id, year, series, "
                           "last) VALUES (?, ?, 'EXP', ?)", (office_id, year, last))
        db.execute("COMMIT")
        phase(f"{loaded:,} {table}")

    def build_indexes(*tables: str) -> None:
        db.execute("BEGIN")
        for _name, table, sql in indexes:
            if table in tables:
                db.execute(sql)
        db.execute("COMMIT")
        phase(f"{' and '.join(tables)}' secondary indexes")

    load("persons")
    load("businesses")
    # Their name index and secondary indexes are built while the other process makes the
    # first expedientes.
    db.execute("BEGIN")
    for fts in ("fts_persons", "fts_businesses"):
        db.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    for _trigger, sql in insert_triggers:
        db.execute(sql)
    db.execute("COMMIT")
    phase("the name index (FTS5)")
    build_indexes("persons", "businesses")
    load("expedientes")
    build_indexes("expedientes")

    if capture is None:
        db.execute("DELETE FROM sync_control WHERE id = 1")
    else:
        db.execute("UPDATE sync_control SET applying = ? WHERE id = 1", capture)
    if db.execute("SELECT COUNT(*) FROM sync_outbox").fetchone()[0] != outbox:
        raise RuntimeError("the load left entries in the outbox")
    if db.execute("PRAGMA journal_mode=WAL").fetchone()[0] != "wal":
        raise RuntimeError("could not put the office back in WAL mode")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    phase("back to WAL")


def office_for(cache_dir: Path, persons: int, seed: int, rebuild: bool,
               log: Callable[[str], None]) -> tuple[Path, bool]:
    """The generated office for these parameters: built once, then reused (bench/datasets.py)."""
    return cached_office(cache_dir, "search",
                         f"p{persons}-e{persons * EXPEDIENTES_PER_PERSON}-s{seed}",
                         GENERATOR_VERSION, rebuild,
                         lambda folder: build(folder, persons, seed, log), log)


# --- queries ---------------------------------------------------------------------------------


def sample_queries(db_path: Path, reps: int, seed: int) -> dict[str, list[str]]:
    """`reps` queries per shape, from rows picked at random (seeded)."""
    rng = random.Random(seed + 1)
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        n_exp = db.execute("SELECT MAX(rowid) FROM expedientes").fetchone()[0]

        def row(sql: str, top: int) -> tuple[Any, ...]:
            while True:
                found = db.execute(sql, (rng.randint(1, top),)).fetchone()
                if found is not None:
                    return tuple(found)

        queries: dict[str, list[str]] = {shape: [] for shape in SHAPES}
        for i in range(reps):
            number, code = row("SELECT number, tracking_code FROM expedientes WHERE rowid = ?",
                               n_exp)
            office, year, seq = number.split("-")
            queries["number"].append((number, number.lower(), f"{year}-{int(seq)}",
                                      f"{office.lower()}-{year}-{int(seq)}")[i % 4])
            queries["tracking"].append(format_tracking_code(code).lower())
            # Someone who filed something (most persons have; a few have not).
            dni, given, paternal, maternal = row(
                "SELECT p.doc_number, p.given_names, p.paternal_surname, p.maternal_surname "
                "FROM expedientes e JOIN persons p ON p.id = e.person_id WHERE e.rowid = ?",
                n_exp)
            queries["dni"].append(dni)
            queries["full_name"].append(f"{given} {paternal} {maternal}")
            queries["both_surnames"].append(f"{paternal} {maternal}")
            queries["surname_given"].append(f"{paternal} {given.split()[0]}")
            queries["ruc"].append(row(
                "SELECT b.ruc FROM expedientes e JOIN businesses b ON b.id = e.business_id "
                "WHERE e.rowid = ?", n_exp)[0])
        ids = [row("SELECT id FROM expedientes WHERE rowid = ?", n_exp)[0] for _ in range(reps)]
        queries["_floor_ids"] = ids
    finally:
        db.close()
    return queries


class Floor:
    """An indexed lookup by primary key on a raw connection with the hub's pragmas."""

    def __init__(self, db_path: Path, ids: list[str]) -> None:
        self._db = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        apply_pragmas(self._db)
        self._ids = ids
        self._next = 0
        self.samples: list[int] = []

    def lookup(self, record: bool = True) -> None:
        key = self._ids[self._next % len(self._ids)]
        self._next += 1
        t0 = time.perf_counter_ns()
        row = self._db.execute("SELECT * FROM expedientes WHERE id = ?", (key,)).fetchone()
        elapsed = time.perf_counter_ns() - t0
        if row is None:
            raise RuntimeError(f"floor: expediente {key} not found")
        if record:
            self.samples.append(elapsed)

    def close(self) -> None:
        self._db.close()


@dataclass(frozen=True)
class Summary:
    n: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    empty: int  # queries that found nothing (should be 0)

    @classmethod
    def of(cls, samples_ns: Sequence[int], empty: int = 0) -> Summary:
        ms = [s / 1e6 for s in samples_ns]
        p50, p95 = percentile(ms, 0.50), percentile(ms, 0.95)
        if p50 is None or p95 is None:
            raise ValueError("no samples")
        return cls(len(ms), p50, p95, max(ms), empty)


def timed(floor: Floor, run: Callable[[str], Sequence[object]], queries: list[str],
          warmup: int) -> Summary:
    for query in queries[:warmup]:
        run(query)
        floor.lookup(record=False)
    samples: list[int] = []
    empty = 0
    for query in queries:
        floor.lookup()
        t0 = time.perf_counter_ns()
        found = run(query)
        samples.append(time.perf_counter_ns() - t0)
        empty += not found
    return Summary.of(samples, empty)


# --- report ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_PERSONS:,} persons and {QUICK_REPS} queries per shape: "
                             "a CI smoke run of a few seconds")
    parser.add_argument("--persons", type=int, default=None,
                        help=f"persons in the office (default {FULL_PERSONS:,}); "
                             f"expedientes are {EXPEDIENTES_PER_PERSON}x")
    parser.add_argument("--reps", type=int, default=None,
                        help=f"queries per shape (default {DEFAULT_REPS})")
    parser.add_argument("--seed", type=int, default=SEED)
    add_cache_arguments(parser)
    parser.add_argument("--json", action="store_true",
                        help="print a one-line JSON summary as the last output")
    args = parser.parse_args(argv)
    persons = args.persons or (QUICK_PERSONS if args.quick else FULL_PERSONS)
    reps = args.reps or (QUICK_REPS if args.quick else DEFAULT_REPS)
    if persons < 100 or reps < 2:
        parser.error("--persons must be at least 100 and --reps at least 2")
    warmup = 5 if args.quick else 20
    cache_dir = cache_dir_of(args)

    started = time.perf_counter()
    print(f"search bench: {persons:,} persons, {persons * EXPEDIENTES_PER_PERSON:,} "
          f"expedientes, {reps} queries per shape (+{warmup} warm-up), seed {args.seed}")
    root, cached = office_for(cache_dir, persons, args.seed, args.rebuild,
                              lambda line: print(line, flush=True))
    db_path = DataDir(root).database
    size_mb = db_path.stat().st_size / 1e6
    print(f"  office {root} ({'cached' if cached else 'built now'}, {size_mb:,.0f} MB), "
          f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} cpus")
    print(f"  note: {MACHINE_NOTE}")
    queries = sample_queries(db_path, reps, args.seed)
    floor_ids = queries.pop("_floor_ids")

    hub = OfficeHub(DataDir(root))
    floor = Floor(db_path, floor_ids)
    results: dict[str, Summary] = {}
    try:
        for shape in SHAPES:
            results[f"expedientes.{shape}"] = timed(
                floor, lambda q: hub.search_expedientes(SYSTEM, q), queries[shape], warmup)
        for shape in NAME_SHAPES:
            results[f"persons.{shape}"] = timed(
                floor, lambda q: hub.find_persons(SYSTEM, q), queries[shape], warmup)
    finally:
        floor.close()
        hub.close()

    fl = Summary.of(floor.samples)
    print("latency (ms):")
    print(f"  {'floor: PK lookup':<30} p50 {fl.p50_ms:7.3f}   p95 {fl.p95_ms:7.3f}   "
          f"max {fl.max_ms:7.2f}   (n={fl.n})")
    passed = True
    for label, s in results.items():
        ok = s.p95_ms <= P95_TARGET_MS
        passed &= ok
        print(f"  {label:<30} p50 {s.p50_ms:7.2f}   p95 {s.p95_ms:7.2f}   max {s.max_ms:7.2f}"
              f"   x{s.p50_ms / fl.p50_ms:6.0f} floor p50   {'PASS' if ok else 'MISS'}"
              + (f"   ({s.empty} found nothing)" if s.empty else ""))
    print(f"target (informative): every shape p95 <= {P95_TARGET_MS:g} ms: "
          f"{'PASS' if passed else 'MISS'}")
    elapsed = time.perf_counter() - started
    print(f"done in {elapsed:.1f} s ({MACHINE_NOTE})")
    if args.json:
        summary: dict[str, Any] = {
            "persons": persons,
            "expedientes": persons * EXPEDIENTES_PER_PERSON,
            "reps": reps,
            "quick": args.quick,
            "cached": cached,
            "db_mb": round(size_mb, 1),
            "floor_p50_ms": round(fl.p50_ms, 4),
            "floor_p95_ms": round(fl.p95_ms, 4),
            **{f"{label}.p50_ms": round(s.p50_ms, 3) for label, s in results.items()},
            **{f"{label}.p95_ms": round(s.p95_ms, 3) for label, s in results.items()},
            **{f"{label}.ratio_p50": round(s.p50_ms / fl.p50_ms, 1)
               for label, s in results.items()},
            **{f"{label}.empty": s.empty for label, s in results.items()},
            "p95_target_ms": P95_TARGET_MS,
            "all_pass": passed,
            "elapsed_s": round(elapsed, 2),
            "note": MACHINE_NOTE,
        }
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
