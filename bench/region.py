"""A region of offices built straight into central's PostgreSQL (bench/central_scale.py).

The catalogue is the demo office's, pushed once through the real sync path and copied to every
office in SQL. The year's tickets, their events, expedientes (with their citizens, events and
payments) and ratings are made by the server itself, `INSERT … SELECT` over
`generate_series`, seeded, in two sessions at once (one per core): no row goes through
Python. Proportions follow `kiosk/simulate.py` (services, preferential share, no-shows,
service times) and a real pushed day (events per ticket, sync bookkeeping per change).

`event_days`: events, citizens, payments and the sync bookkeeping (`sync_applied`) only for the
region's last days, so a year fits a shared disk; storage per office-day is measured on those
days (bench/central_scale.py says so next to the figure).

The events chain as a hub's do (kiosk/rules/audit.py): per office in their `seq` order, each
`prev_hash` the hash before it and each `hash` what its content gives with the hub's office id
central knows (`office_links.hub_office_id`). A hash chain cannot be made in one `INSERT …
SELECT`: the events are generated into a staging table, read back in order by Python (one
process per core) and inserted with their hashes. Their `seq` and outbox seq (`_sync_seq`)
are the same number and unique per office, as a hub's are.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import psycopg

from kiosk.rules.audit import GENESIS, event_hash
from kiosk.rules.queue import PREFERENTIAL_CATEGORIES
from kiosk.simulate import MEDIAN_SERVICE_MIN, PREFERENTIAL_MIX, SERVICE_MIX
from sync.wire import as_utc

Log = Callable[[str], None]

EXPEDIENTE_EVERY = 12  # one finished ticket in 12 files an expediente (~8 %, ~40 a day)
RATED_SHARE = 0.25
PAID_SHARE = 0.75
# Outbox seqs a ticket's rows take, from (its day's index × tickets + its number) × SEQ_STEP:
# the ticket +0 and its events +0…+4, its rating and that event +5, its expediente +6 and
# that one's events +6…+10: no two events of an office share one, as on a hub.
SEQ_STEP = 12


@dataclass(frozen=True)
class Region:
    offices: int
    days: list[date]  # working days, in order
    tickets: int  # per office and day
    event_days: int
    seed: int = 7

    @property
    def event_from(self) -> date:
        return self.days[max(0, len(self.days) - self.event_days)]


def office_code(prefix: str, n: int) -> str:
    """R + three letters: RAAA, RAAB, … (office codes are letters only)."""
    letters = ""
    for _ in range(3):
        n, digit = divmod(n, 26)
        letters = chr(65 + digit) + letters
    return prefix + letters


def working_days(first: date, count: int, holidays: set[date]) -> list[date]:
    days: list[date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def _choice_sql(weights: dict[str, float], value: str, then: Callable[[int, str], str]) -> str:
    """A CASE over cumulative `weights` for a uniform `value` in [0, 1)."""
    total = sum(weights.values())
    parts, running = [], 0.0
    for i, key in enumerate(weights):
        running += weights[key] / total
        if i == len(weights) - 1:
            parts.append(f"ELSE {then(i, key)}")
        else:
            parts.append(f"WHEN {value} < {running:.6f} THEN {then(i, key)}")
    return "CASE " + " ".join(parts) + " END"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def build_region(dsn: str, region: Region, template_office: str, log: Log) -> None:
    """Fill central's database at `dsn` (migrated, with the template office's catalogue pushed
    in) with `region`; the template office is removed at the end."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        _offices(conn, region, template_office)
        conn.execute("DROP TABLE IF EXISTS bench_event")
        conn.execute("CREATE UNLOGGED TABLE bench_event (LIKE events)")  # unchained events
        log(f"{region.offices} offices with the demo catalogue")
    ranges = _split(region.offices, 2)
    phases: list[tuple[str, Callable[[psycopg.Connection[Any], int, int], None]]] = [
        ("tickets", lambda c, a, b: _tickets(c, region, a, b)),
        ("ratings", lambda c, a, b: _ratings(c, region, a, b)),
        ("expedientes", lambda c, a, b: _expedientes(c, region, a, b)),
        ("ticket events", lambda c, a, b: _ticket_events(c, region, a, b)),
        ("expediente events, citizens, payments", lambda c, a, b: _expediente_rows(
            c, region, a, b)),
    ]
    for name, phase in phases:
        _parallel(dsn, ranges, phase)
        log(f"{name} done")
    started = time.perf_counter()
    chained, hashing, inserting = chain_events(dsn, ranges)
    log(f"{chained:,} events chained in {time.perf_counter() - started:.1f} s (a process: "
        f"read and hashed in {hashing:.1f} s, inserted in {inserting:.1f} s)")
    _parallel(dsn, ranges, lambda c, a, b: _applied(c, region, a, b))
    log("sync bookkeeping done")
    with psycopg.connect(dsn, autocommit=True) as conn:
        if conn.execute("SELECT to_regclass('central_stats_dirty')").fetchone() != (None,):
            # What pushes would have marked: central builds their figures (refresh).
            conn.execute("INSERT INTO central_stats_dirty (office_id, day, mark) SELECT "
                         "DISTINCT office_id, business_date, 1 FROM tickets")
        # As if every office had pushed it all: central's link says how far each got.
        conn.execute("UPDATE office_links l SET last_seq = s.top, last_push_at = s.at FROM "
                     "(SELECT office_id, max(_sync_seq) AS top, max(updated_at) AS at "
                     "FROM tickets GROUP BY office_id) s WHERE l.office_id = s.office_id")
        if conn.execute("SELECT 1 FROM information_schema.columns WHERE table_name = "
                        "'office_links' AND column_name = 'acked_seq'").fetchone():
            conn.execute("UPDATE office_links SET acked_seq = last_seq")  # all settled
        conn.execute("DROP TABLE bench_office, bench_procedure, bench_event")
        _forget_template(conn, template_office)
        conn.execute("VACUUM ANALYZE")
    log("vacuumed and analysed")


def _split(count: int, parts: int) -> list[tuple[int, int]]:
    step = -(-count // parts)
    return [(a, min(count, a + step)) for a in range(0, count, step)]


def _parallel(dsn: str, ranges: Sequence[tuple[int, int]],
              phase: Callable[[psycopg.Connection[Any], int, int], None]) -> None:
    errors: list[BaseException] = []

    def run(first: int, last: int) -> None:
        try:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("SET synchronous_commit = off")
                conn.execute("SET work_mem = '256MB'")
                phase(conn, first, last)
        except BaseException as exc:  # reported by the caller's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=r) for r in ranges]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


# --- offices and their catalogue -------------------------------------------------------------

_CATALOGUE = ("services", "counters", "counter_services", "procedures", "procedure_versions",
              "users")
# Columns holding ids of the template's own rows: each office gets its own.
_ID_COLUMNS = {"services": ("id",), "counters": ("id", "current_ticket_id"),
               "counter_services": ("counter_id", "service_id"),
               "procedures": ("id",), "procedure_versions": ("id", "procedure_id"),
               "users": ("id",)}


def _new_id(expression: str, office: str) -> str:
    return (f"CASE WHEN {expression} IS NULL THEN NULL "
            f"ELSE md5({expression} || {office})::uuid::text END")


def _offices(conn: psycopg.Connection[Any], region: Region, template: str) -> None:
    tid = conn.execute("SELECT id FROM offices WHERE code = %s", (template,)).fetchone()
    assert tid is not None, "template office missing"
    template_id = str(tid[0])
    conn.execute("DROP TABLE IF EXISTS bench_office")
    conn.execute("CREATE UNLOGGED TABLE bench_office (n int PRIMARY KEY, id text, code text)")
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO bench_office VALUES (%s, md5('office' || %s)::uuid::text, %s)",
                        [(n, n, office_code("R", n)) for n in range(region.offices)])
    conn.execute("INSERT INTO offices (id, code, name, created_at) SELECT id, code, "
                 "'CAC ' || code, now() FROM bench_office")
    conn.execute("INSERT INTO office_links (office_id, hub_office_id, last_seq, protocol) "
                 "SELECT id, id, 0, 2 FROM bench_office")
    for table in _CATALOGUE:
        columns = [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "ORDER BY ordinal_position", (table,))]
        values = []
        for column in columns:
            if column == "office_id":
                values.append("o.id")
            elif column in _ID_COLUMNS[table]:
                values.append(_new_id(f"t.{column}", "o.code"))
            elif column == "username" or column == "full_name":
                values.append(f"t.{column}")
            else:
                values.append(f"t.{column}")
        listed = ", ".join(f'"{c}"' for c in columns)
        if "office_id" in columns:
            where = "t.office_id = %s"
        else:  # counter_services, procedure_versions: through their parent
            parent, key = (("counters", "counter_id") if table == "counter_services"
                           else ("procedures", "procedure_id"))
            where = f"t.{key} IN (SELECT id FROM {parent} WHERE office_id = %s)"
        conn.execute(f"INSERT INTO {table} ({listed}) SELECT {', '.join(values)} "
                     f"FROM {table} t CROSS JOIN bench_office o WHERE {where}", (template_id,))
    # What the generator picks from, per office: services by the mix, clerks by counter.
    conn.execute("ALTER TABLE bench_office ADD services text[], ADD counters int[], "
                 "ADD clerks text[], ADD procedures text[], ADD versions text[]")
    mix = list(SERVICE_MIX)
    conn.execute(
        "UPDATE bench_office b SET services = (SELECT array_agg(s.id ORDER BY "
        "array_position(%s::text[], s.code)) FROM services s WHERE s.office_id = b.id "
        "AND s.code = ANY(%s::text[])), "
        "counters = (SELECT array_agg(c.number ORDER BY c.number) FROM counters c "
        "WHERE c.office_id = b.id), "
        "clerks = (SELECT array_agg(u.id ORDER BY u.username) FROM users u "
        "WHERE u.office_id = b.id AND u.role <> 'admin'), "
        "procedures = (SELECT array_agg(p.id ORDER BY p.code) FROM procedures p "
        "WHERE p.office_id = b.id), "
        "versions = (SELECT array_agg(v.id ORDER BY p.code) FROM procedures p JOIN "
        "procedure_versions v ON v.procedure_id = p.id WHERE p.office_id = b.id)",
        (mix, mix))
    # Each office's procedures with their terms, numbered: what an expediente draws from.
    conn.execute("ALTER TABLE bench_office ADD procedure_count int")
    conn.execute("UPDATE bench_office b SET procedure_count = cardinality(procedures)")
    conn.execute("DROP TABLE IF EXISTS bench_procedure")
    conn.execute(
        "CREATE UNLOGGED TABLE bench_procedure AS SELECT b.n, (row_number() OVER (PARTITION "
        "BY b.n ORDER BY p.code) - 1)::int AS i, p.id, p.category, p.area, v.id AS "
        "version_id, v.deadline_working_days, v.calificacion, v.fee_value FROM bench_office "
        "b JOIN procedures p ON p.office_id = b.id JOIN procedure_versions v ON "
        "v.procedure_id = p.id")
    conn.execute("ALTER TABLE bench_procedure ADD PRIMARY KEY (n, i)")
    missing = conn.execute("SELECT count(*) FROM bench_office WHERE services IS NULL OR "
                           "clerks IS NULL OR procedures IS NULL").fetchone()
    assert missing is not None and missing[0] == 0, "the demo catalogue changed"


def _forget_template(conn: psycopg.Connection[Any], template: str) -> None:
    row = conn.execute("SELECT id FROM offices WHERE code = %s", (template,)).fetchone()
    if row is None:
        return
    template_id = row[0]
    for (table,) in conn.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'office_id' "
            "AND table_schema = 'public' AND table_name NOT IN ('offices', "
            "'central_credentials', 'office_links')").fetchall():
        conn.execute(f'DELETE FROM "{table}" WHERE office_id = %s', (template_id,))
    conn.execute("DELETE FROM counter_services WHERE counter_id NOT IN (SELECT id FROM counters)")
    conn.execute("DELETE FROM procedure_versions WHERE procedure_id NOT IN "
                 "(SELECT id FROM procedures)")
    conn.execute("DELETE FROM central_credentials WHERE office_id = %s", (template_id,))
    conn.execute("DELETE FROM office_links WHERE office_id = %s", (template_id,))
    conn.execute("DELETE FROM offices WHERE id = %s", (template_id,))


# --- the year --------------------------------------------------------------------------------

def _days_sql(region: Region) -> str:
    listed = ", ".join(f"('{d.isoformat()}'::date, {i})" for i, d in enumerate(region.days))
    return f"(VALUES {listed}) AS d(day, i)"


def _normal(a: str, b: str) -> str:
    """A standard normal from two uniforms (Box–Muller)."""
    return f"(sqrt(-2 * ln(greatest({a}, 1e-12))) * cos(2 * pi() * {b}))"


def _tickets(conn: psycopg.Connection[Any], region: Region, first: int, last: int) -> None:
    conn.execute("SELECT setseed(%s)", (((region.seed * 7919 + first) % 1000) / 1000,))
    services = list(SERVICE_MIX)
    service = _choice_sql(SERVICE_MIX, "r.u1", lambda i, _: f"{i + 1}")
    median = _choice_sql(SERVICE_MIX, "r.u1",
                         lambda _, code: f"{MEDIAN_SERVICE_MIN.get(code, 5.0) * 60}")
    prefix = _choice_sql(SERVICE_MIX, "r.u1", lambda i, _: _quote("ABCDEFGH"[i]))
    preferential = _choice_sql(PREFERENTIAL_MIX, "r.u3 / 0.12", lambda _, k: _quote(k))
    assert set(PREFERENTIAL_MIX) <= set(PREFERENTIAL_CATEGORIES)
    # Per office a busyness (median wait 4–20 min); per ticket a log-normal wait around it,
    # longer around the 10:00 peak; the status: 6 % no-show, 2 % expired uncalled.
    conn.execute(f"""
        INSERT INTO tickets (id, office_id, business_date, series, seq, number, service_id,
            origin_service_id, preferential, status, issued_at, called_at, last_called_at,
            started_at, finished_at, missed_at, counter_number, outcome, recalls, transfers,
            updated_at, user_id, _sync_seq)
        SELECT md5(o.code || d.day || k)::uuid, o.id, d.day, p.prefix, k,
            p.prefix || '-' || lpad(k::text, 3, '0'), o.services[p.service],
            o.services[p.service], CASE WHEN r.u3 < 0.12 THEN {preferential} END,
            CASE WHEN r.u4 < 0.02 THEN 'expired' WHEN r.u4 < 0.08 THEN 'no_show'
                 ELSE 'finished' END,
            t.issued,
            CASE WHEN r.u4 >= 0.02 THEN t.called END,
            CASE WHEN r.u4 >= 0.02 THEN t.called END,
            CASE WHEN r.u4 >= 0.08 THEN t.started END,
            CASE WHEN r.u4 >= 0.08 THEN t.finished END,
            CASE WHEN r.u4 >= 0.02 AND r.u4 < 0.08 THEN t.called + interval '120 seconds' END,
            CASE WHEN r.u4 >= 0.02 THEN o.counters[1 + (k % cardinality(o.counters))] END,
            CASE WHEN r.u4 >= 0.08 THEN 'atendido' END, 0, 0,
            CASE WHEN r.u4 < 0.02 THEN t.issued + interval '10 hours'
                 WHEN r.u4 < 0.08 THEN t.called + interval '120 seconds' ELSE t.finished END,
            CASE WHEN r.u4 >= 0.02 THEN o.clerks[1 + (k % cardinality(o.clerks))] END,
            (d.i * {region.tickets} + k) * {SEQ_STEP}
        FROM bench_office o CROSS JOIN {_days_sql(region)}
        CROSS JOIN generate_series(1, {region.tickets}) AS k
        CROSS JOIN LATERAL (SELECT random() AS u1, random() AS u2, random() AS u3,
                                   random() AS u4, random() AS u5, random() AS u6,
                                   random() AS u7, random() AS u8, k AS again) AS r
        CROSS JOIN LATERAL (SELECT {service} AS service, {prefix} AS prefix,
                                   {median} AS median_service) AS p
        CROSS JOIN LATERAL (SELECT
            (d.day + time '13:00') + make_interval(secs => (k - 1 + r.u5) * 30600.0
                                                    / {region.tickets}) AS issued,
            least(10800, (240 + 960 * ((o.n * 7919) % 97) / 96.0)
                  * exp(0.6 * {_normal('r.u6', 'r.u7')})) AS wait,
            15 + 60 * r.u8 AS walk,
            least(5400, p.median_service * exp(0.5 * {_normal('r.u2', 'r.u8')})) AS service
            ) AS w
        CROSS JOIN LATERAL (SELECT w.issued AS issued,
            w.issued + make_interval(secs => w.wait) AS called,
            w.issued + make_interval(secs => w.wait + w.walk) AS started,
            w.issued + make_interval(secs => w.wait + w.walk + w.service) AS finished) AS t
        WHERE o.n >= {first} AND o.n < {last}
        """)
    assert services  # the mix names the demo's services (checked in _offices)


def _ratings(conn: psycopg.Connection[Any], region: Region, first: int, last: int) -> None:
    conn.execute(f"""
        INSERT INTO ratings (id, office_id, ticket_id, business_date, score, service_id,
            counter_number, user_id, device_id, created_at, _sync_seq)
        SELECT md5('rating' || t.id)::uuid::text, t.office_id, t.id, t.business_date,
            CASE WHEN h < 0.05 THEN 1 WHEN h < 0.12 THEN 2 WHEN h < 0.3 THEN 3
                 WHEN h < 0.65 THEN 4 ELSE 5 END,
            t.service_id, t.counter_number, t.user_id, NULL,
            t.finished_at + interval '40 seconds', t._sync_seq + 5
        FROM tickets t JOIN bench_office o ON o.id = t.office_id
        CROSS JOIN LATERAL (SELECT ('x' || substr(md5(t.id::text), 1, 8))::bit(32)::bigint
                                   / 4294967296.0 AS u,
                                   ('x' || substr(md5(t.id::text), 9, 8))::bit(32)::bigint
                                   / 4294967296.0 AS h) AS r
        WHERE t.status = 'finished' AND r.u < {RATED_SHARE}
          AND o.n >= {first} AND o.n < {last}
        """)


def _expedientes(conn: psycopg.Connection[Any], region: Region, first: int, last: int) -> None:
    """One finished ticket in EXPEDIENTE_EVERY files an expediente: its procedure, terms and
    fate (decided 1–25 days later, or still open) drawn from its id."""
    conn.execute(f"""
        INSERT INTO expedientes (id, office_id, number, year, seq, tracking_code, procedure_id,
            procedure_version_id, category, person_id, business_id, status, area, filed_at,
            deadline_working_days, calificacion, due_date, observed_at, observation_due,
            stopped_working_days, fee, fee_basis, paid, pages, requirements_presented,
            details, acta_id, itse_done, decided_at, delivered_at, created_by, updated_at,
            _sync_seq)
        SELECT md5('exp' || t.id)::uuid::text, t.office_id,
            o.code || '-' || extract(year FROM t.business_date) || '-' ||
                lpad((row_number() OVER (PARTITION BY t.office_id,
                      extract(year FROM t.business_date) ORDER BY t.finished_at))::text, 6, '0'),
            extract(year FROM t.business_date)::int,
            row_number() OVER (PARTITION BY t.office_id, extract(year FROM t.business_date)
                               ORDER BY t.finished_at),
            upper(substr(md5('tracking' || t.id), 1, 13)),
            p.id, p.version_id, p.category,
            md5('person' || t.id)::uuid::text, NULL,
            CASE WHEN f.u < 0.55 THEN 'aprobado' WHEN f.u < 0.62 THEN 'denegado'
                 WHEN f.u < 0.70 THEN 'entregado' WHEN f.u < 0.75 THEN 'observado'
                 WHEN f.u < 0.85 THEN 'en_area' ELSE 'recibido' END,
            p.area, t.finished_at - interval '3 minutes', p.deadline_working_days,
            p.calificacion, t.business_date + (p.deadline_working_days * 7 / 5),
            CASE WHEN f.u >= 0.70 AND f.u < 0.75 THEN t.finished_at + interval '2 days' END,
            CASE WHEN f.u >= 0.70 AND f.u < 0.75 THEN t.business_date + 12 END,
            0, p.fee_value, 'TUPA', CASE WHEN f.u < 0.75 THEN p.fee_value ELSE '0.00' END,
            (2 + 10 * f.g)::int, '[1, 2]', '{{}}', NULL, false,
            CASE WHEN f.u < 0.70
                 THEN t.finished_at + make_interval(days => 1 + (24 * f.g)::int) END,
            CASE WHEN f.u >= 0.62 AND f.u < 0.70
                 THEN t.finished_at + make_interval(days => 2 + (24 * f.g)::int) END,
            t.user_id, t.finished_at, t._sync_seq + 6
        FROM tickets t JOIN bench_office o ON o.id = t.office_id
        CROSS JOIN LATERAL (SELECT ('x' || substr(md5('e' || t.id), 1, 8))::bit(32)::bigint
                                   / 4294967296.0 AS u,
                                   ('x' || substr(md5('e' || t.id), 9, 8))::bit(32)::bigint
                                   / 4294967296.0 AS g,
                                   ('x' || substr(md5('e' || t.id), 17, 4))::bit(16)::int
                                   AS pick) AS f
        JOIN bench_procedure p ON p.n = o.n AND p.i = f.pick % o.procedure_count
        WHERE t.status = 'finished' AND t.seq % {EXPEDIENTE_EVERY} = 0
          AND o.n >= {first} AND o.n < {last}
        """)


def _event_sql(stream: str, source: str, kinds: str, region: Region) -> str:
    """Events of `source` rows: one per (kind, moment, data) of `kinds` that is not NULL,
    into the staging table (`chain_events` gives them their hashes)."""
    return f"""
        INSERT INTO bench_event (seq, id, office_id, stream, stream_id, kind, occurred_at, hlc,
            device_id, data, _sync_seq)
        SELECT x.sync_seq + e.n, md5(x.id || e.kind)::uuid::text, x.office_id, '{stream}',
            x.id, e.kind, e.at,
            lpad(((extract(epoch FROM e.at) * 1000)::bigint)::text, 13, '0') || '.00000.'
                || o.code,
            md5('device' || o.code || (x.sync_seq % 7))::uuid::text, e.data, x.sync_seq + e.n
        FROM {source} JOIN bench_office o ON o.id = x.office_id
        CROSS JOIN LATERAL (VALUES {kinds}) AS e(n, kind, at, data)
        WHERE e.at IS NOT NULL AND x.business_date >= '{region.event_from.isoformat()}'
        """


def _ticket_events(conn: psycopg.Connection[Any], region: Region, first: int, last: int
                   ) -> None:
    who = "'who_id', x.user_id, 'who', 'ana'"
    kinds = (
        "(0, 'issued', x.issued_at, json_build_object('number', x.number, 'service_id', "
        "x.service_id, 'preferential', x.preferential, 'ahead', x.seq % 17)), "
        f"(1, 'called', x.called_at, json_build_object('number', x.number, 'counter', "
        f"x.counter_number, {who})), "
        f"(2, 'started', x.started_at, json_build_object('number', x.number, 'counter', "
        f"x.counter_number, {who})), "
        f"(3, 'finished', x.finished_at, json_build_object('number', x.number, 'counter', "
        f"x.counter_number, 'outcome', x.outcome, {who})), "
        f"(4, 'no_show', x.missed_at, json_build_object('number', x.number, 'counter', "
        f"x.counter_number, {who}))")
    source = f"tickets x WHERE x.office_id IN (SELECT id FROM bench_office WHERE n >= {first} " \
             f"AND n < {last})"
    conn.execute(_event_sql("ticket", f"(SELECT *, _sync_seq AS sync_seq FROM {source}) x",
                            kinds, region))
    # A rating is a fact of the ticket's stream too.
    conn.execute(_event_sql(
        "ticket", "(SELECT t.id, t.office_id, t.business_date, t.number, r.score, "
        "r.created_at, r._sync_seq AS sync_seq FROM ratings r JOIN tickets t ON t.id = "
        f"r.ticket_id WHERE r.office_id IN (SELECT id FROM bench_office WHERE n >= {first} "
        f"AND n < {last})) x",
        "(0, 'rated', x.created_at, json_build_object('number', x.number, 'score', x.score))",
        region))


def _expediente_rows(conn: psycopg.Connection[Any], region: Region, first: int, last: int
                     ) -> None:
    mine = (f"office_id IN (SELECT id FROM bench_office WHERE n >= {first} AND n < {last}) "
            f"AND filed_at >= '{region.event_from.isoformat()}'")
    kinds = ("(0, 'filed', x.filed_at, json_build_object('number', x.number, 'procedure_id', "
             "x.procedure_id, 'person_id', x.person_id, 'fee', x.fee, 'tracking_code', "
             "x.tracking_code)), "
             "(1, 'paid', CASE WHEN x.paid <> '0.00' THEN x.filed_at + interval '1 minute' END, "
             "json_build_object('amount', x.paid, 'method', 'efectivo')), "
             "(2, 'derived', x.filed_at + interval '1 hour', json_build_object('area', x.area)), "
             "(3, CASE WHEN x.status = 'denegado' THEN 'denied' ELSE 'approved' END, "
             "x.decided_at, json_build_object('note', 'Conforme')), "
             "(4, 'delivered', x.delivered_at, json_build_object('to', 'titular'))")
    conn.execute(_event_sql(
        "expediente", f"(SELECT *, (filed_at AT TIME ZONE 'UTC' AT TIME ZONE "
        f"'America/Lima')::date AS business_date, _sync_seq AS sync_seq FROM expedientes "
        f"WHERE {mine}) x", kinds, region))
    conn.execute(f"""
        INSERT INTO persons (id, office_id, doc_type, doc_number, given_names,
            paternal_surname, maternal_surname, search_name, phone, email, address,
            created_at, updated_at, _sync_seq)
        SELECT person_id, office_id, 'DNI', lpad((abs(hashtext(person_id)) % 100000000)::text,
            8, '0'), 'Juan Carlos', 'Quispe', 'Mamani', 'quispe mamani juan carlos',
            '976543210', NULL, 'Jr. Amalia Puga 123', filed_at, filed_at, _sync_seq - 1
        FROM expedientes WHERE {mine}
        """)
    conn.execute(f"""
        INSERT INTO payments (id, office_id, expediente_id, receipt_number, amount, method,
            voucher_number, cash_received, user_id, counter_number, paid_at, business_date,
            _sync_seq)
        SELECT md5('pay' || id)::uuid::text, office_id, id,
            split_part(number, '-', 1) || '-R-' || year || '-' || lpad(seq::text, 6, '0'),
            paid, 'efectivo', NULL, paid, created_by, 1, filed_at + interval '1 minute',
            (filed_at AT TIME ZONE 'UTC' AT TIME ZONE 'America/Lima')::date, _sync_seq + 1
        FROM expedientes WHERE {mine} AND paid <> '0.00'
        """)


def chain_events(dsn: str, ranges: Sequence[tuple[int, int]]) -> tuple[int, float, float]:
    """The staged events into `events`, hashed as their hubs chain them: how many, and the
    longest seconds a process spent reading and hashing them, and inserting them. Hashing
    is Python's (the hub's own function): one process per range of offices, forked (no
    other thread runs here; spawned ones import the bench again, seconds on a busy machine)."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(len(ranges), mp_context=context) as pool:
        done = list(pool.map(_chain_offices, [dsn] * len(ranges), *zip(*ranges, strict=True)))
    return (sum(d[0] for d in done), max(d[1] for d in done), max(d[2] for d in done))


def _chain_offices(dsn: str, first: int, last: int) -> tuple[int, float, float]:
    """Chain the offices `first`…`last - 1`: their events read in `seq` order (a cursor on
    the server), the hashes copied into a temporary table, then the events inserted whole."""
    with psycopg.connect(dsn, autocommit=True) as reader, \
            psycopg.connect(dsn, autocommit=True) as writer:
        writer.execute("SET synchronous_commit = off")
        writer.execute("SET work_mem = '256MB'")
        writer.execute("CREATE TEMPORARY TABLE chain (id text, prev_hash text, hash text)")
        count, started = 0, time.perf_counter()
        with reader.transaction(), reader.cursor(name="events") as rows, \
                writer.cursor().copy("COPY chain FROM STDIN") as copy:
            rows.itersize = 5000
            rows.execute(
                "SELECT e.office_id, l.hub_office_id, e.id, e.stream, e.stream_id, e.kind, "
                "e.occurred_at, e.hlc, e.device_id, e.data FROM bench_event e "
                "JOIN bench_office o ON o.id = e.office_id "
                "JOIN office_links l ON l.office_id = e.office_id "
                "WHERE o.n >= %s AND o.n < %s ORDER BY e.office_id, e.seq", (first, last))
            office, previous = None, GENESIS
            for (office_id, hub_office, event_id, stream, stream_id, kind, occurred_at, hlc,
                 device_id, data) in rows:
                if office_id != office:  # each office's chain starts afresh
                    office, previous = office_id, GENESIS
                sealed = event_hash(previous, event_id=event_id, office_id=hub_office,
                                    stream=stream, stream_id=stream_id, kind=kind,
                                    occurred_at=as_utc(occurred_at), hlc=hlc,
                                    device_id=device_id, data=data)
                copy.write_row((event_id, previous, sealed))
                previous = sealed
                count += 1
        hashed = time.perf_counter()
        columns = [r[0] for r in writer.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' "
            "AND table_schema = 'public' ORDER BY ordinal_position")]
        picked = ", ".join(f"c.{c}" if c in ("prev_hash", "hash") else f"e.{c}"
                           for c in columns)
        writer.execute(f"INSERT INTO events ({', '.join(columns)}) SELECT {picked} "
                       "FROM bench_event e JOIN chain c ON c.id = e.id")
    return count, hashed - started, time.perf_counter() - hashed


def _applied(conn: psycopg.Connection[Any], region: Region, first: int, last: int) -> None:
    """What central records of every change it applied (`sync_applied`): one row per pushed
    row version (a ticket travels about twice: issued, then done) over the event days, each at
    its outbox seq as a hub's (the row's last version at the row's `_sync_seq`: the fold
    forgets an archived event's id by it)."""
    since = region.event_from.isoformat()
    mine = f"office_id IN (SELECT id FROM bench_office WHERE n >= {first} AND n < {last})"
    for table, copies, day in (("tickets", 2, "business_date"), ("events", 1, "occurred_at"),
                               ("ratings", 1, "business_date"),
                               ("expedientes", 2, "filed_at"), ("persons", 1, "created_at"),
                               ("payments", 1, "business_date")):
        conn.execute(f"""
            INSERT INTO sync_applied (office_id, mutation_id, seq, applied_at)
            SELECT office_id, md5('{table}' || id || c), _sync_seq - {copies} + c,
                {day}::timestamp + interval '13 hours'
            FROM {table} CROSS JOIN generate_series(1, {copies}) AS c
            WHERE {mine} AND {day} >= '{since}'
            """)
