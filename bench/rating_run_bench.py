"""Benchmark the nightly re-rating against a bare SQL aggregate (a script, not a test).

    .venv/bin/python bench/rating_run_bench.py [ENTITIES] [--records N] [--workers W]
                                               [--chunk-size C] [--keep]

Creates a scratch database ``bench_rating_<pid>`` on the server named by ``DATABASE_URL``
(default ``postgres://postgres@127.0.0.1:5432/``), migrates it and writes, with set-based SQL,
ENTITIES market entities (default 1,000,000) in 31 provinces and ``--records`` credit records
(default 10 per entity), in arrival order (each record's entity drawn at random, as records
come in over time, so an entity's records are spread over the table): about 45 % penalties of
every severity, 35 % licences, 8 % inspections, 5 % judicial, 5 % rewards, 2 % abnormal
operation, dated over four years, with 1.5 % of them corrected or revoked by a later record.
After ``VACUUM ANALYZE`` it measures, in the same run:

  (a) two bare aggregates over the records (work_mem 256 MB, PostgreSQL's parallel workers
      allowed): the rating's own, every entity's record counts for every record indicator of
      the models in force as one statement over the whole table with nothing else (no
      chunks, worker, score or writes; the issue's "bare SQL aggregate over the same
      records"), and the floor, ``SELECT entity_id, count(*) ... GROUP BY 1``, which reads no
      column a rating needs and is answered from the smallest index;
  (b) a full rating run of the default public model: ``ratings.services.run_start`` cuts the
      run into chunks, which a real Celery worker (``--workers`` processes, default 2, Redis
      broker db 15) rates; timed from the start to the run's ``finished_at``;
  (c) a second full run (grades now known: only changes are written to the standing summary);
  (d) after a new penalty for ``--changed-share`` of the entities (default 1 %), a "changed"
      run started a day later, as the nightly job would be: it finds what changed (new
      records, records aged out of a window) and rates only those entities;
  (e) a full run after a revision of the public model (base score 85 to 95) that moves most
      grades, so that most of the standing summary's rows are updated;

and prints seconds, entities/s, the ratios (b)/(a) (goal: at most 3) and the worker's peak
resident memory (goal: under 500 MB a process), read from /proc every 0.2 s.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_decisions_bench import department_staff, scratch_database, setup_django  # noqa: E402

BROKER = "redis://127.0.0.1:6379/15"
PROVINCES = [
    "110105", "120101", "130102", "140105", "150102", "210102", "220102", "230102", "310104",
    "320102", "330102", "340102", "350102", "360102", "370102", "410102", "420102", "430102",
    "440106", "450102", "460105", "500101", "510104", "520102", "530102", "540102", "610102",
    "620102", "630102", "640104", "650102",
]  # fmt: skip


def generate(entities: int, records: int, department_id: int) -> None:
    from django.db import connection, transaction

    regions = "ARRAY[" + ",".join(f"'{r}'" for r in PROVINCES) + "]"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # The trigram index serves the public name search only; rebuilt after the load.
        cursor.execute("DROP INDEX IF EXISTS entity_search_trgm")
        started = time.monotonic()
        cursor.execute(
            f"""
            INSERT INTO registry_marketentity (uscc, name, former_names, search_names, kind,
                region, industry, state_owned, status, address, created_at, updated_at,
                registration_authority_id)
            SELECT '91' || r || lpad(i::text, 9, '0') || 'X', '基准测试' || i || '有限公司',
                   '{{}}', '基准测试' || i, 'enterprise', r,
                   (ARRAY['C','F','G','H','I','K','L','M','E','A'])[1 + i %% 10] || (10 + i %% 80),
                   false, 'active', '', now() - interval '1 day', now() - interval '1 day', %s
            FROM generate_series(1, %s) AS i,
                 LATERAL (SELECT ({regions})[1 + i %% {len(PROVINCES)}] AS r) AS reg
            """,
            [department_id, entities],
        )
        print(f"entities: {entities:,} in {time.monotonic() - started:.1f} s", flush=True)
        started = time.monotonic()
        cursor.execute(
            """
            CREATE TEMP TABLE ent ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY uscc) AS n, uscc FROM registry_marketentity
            """
        )
        cursor.execute("CREATE INDEX ON ent (n)")
        cursor.execute(
            "SELECT code, id FROM registry_catalogueitem WHERE code IN "
            "('CF', 'XK', 'JC', 'SF', 'JL', 'YC')"
        )
        items = dict(cursor.fetchall())
        cursor.execute(
            f"""
            INSERT INTO registry_creditrecord (entity_id, catalogue_item_id,
                source_department_id, action, scope, severity, title, content,
                document_number, legal_basis, conduct_date, decision_date, reason, created_at)
            SELECT ent.uscc, k.item, %(dept)s, 'original', 'public', k.severity,
                   '基准测试记录' || g.i, '因违反有关规定，依法作出处理决定。', 'BENCH-' || g.i,
                   '', g.day, g.day, '', g.day + time '10:00'
            FROM (
                SELECT i, 1 + (hashint4(i) & 2147483647) %% %(entities)s AS n,
                       (hashint4(i + 7) & 2147483647) %% 100 AS roll,
                       current_date - ((hashint4(i + 13) & 2147483647) %% 1460) AS day
                FROM generate_series(1, %(records)s) AS i
            ) g
            JOIN ent ON ent.n = g.n
            CROSS JOIN LATERAL (
                SELECT CASE
                    WHEN g.roll < 45 THEN {items["CF"]} WHEN g.roll < 80 THEN {items["XK"]}
                    WHEN g.roll < 88 THEN {items["JC"]} WHEN g.roll < 93 THEN {items["SF"]}
                    WHEN g.roll < 98 THEN {items["JL"]} ELSE {items.get("YC", items["JC"])}
                END AS item,
                CASE
                    WHEN g.roll < 45 THEN (ARRAY['warning','minor','general','general',
                                                 'general','serious'])[1 + g.roll %% 6]
                    WHEN g.roll BETWEEN 88 AND 92 THEN 'general' ELSE 'none'
                END AS severity
            ) k
            ORDER BY g.day, g.i
            """,
            {"dept": department_id, "entities": entities, "records": records},
        )
        # 1.5 % corrected (two thirds) or revoked (one third), by a later record.
        cursor.execute(
            """
            INSERT INTO registry_creditrecord (entity_id, catalogue_item_id,
                source_department_id, action, supersedes_id, scope, severity, title, content,
                document_number, legal_basis, conduct_date, decision_date, reason, created_at)
            SELECT entity_id, catalogue_item_id, source_department_id,
                   CASE WHEN id % 3 = 0 THEN 'revocation' ELSE 'correction' END, id, scope,
                   severity, title, content, document_number, '', conduct_date, decision_date,
                   '基准测试更正', created_at + interval '1 day'
            FROM registry_creditrecord WHERE (hashint4(id::int + 99) & 2147483647) % 1000 < 15
            """
        )
        cursor.execute("SELECT count(*) FROM registry_creditrecord")
        total = cursor.fetchone()[0]
        print(f"records: {total:,} in {time.monotonic() - started:.1f} s", flush=True)
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX entity_search_trgm ON registry_marketentity "
            "USING gin (search_names gin_trgm_ops)"
        )
        cursor.execute("VACUUM ANALYZE")
    print(f"indexes and VACUUM ANALYZE in {time.monotonic() - started:.1f} s", flush=True)


def bare_aggregate() -> float:
    """The floor: the narrowest aggregate over the records, an index-only count per entity."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        started = time.monotonic()
        cursor.execute(
            "SELECT count(*) FROM (SELECT entity_id, count(*) FROM registry_creditrecord "
            "GROUP BY 1) t"
        )
        cursor.fetchone()
        return time.monotonic() - started


def bare_inputs_aggregate() -> float:
    """The rating's own aggregate, bare: every entity's record counts for every record
    indicator of the models in force, as one statement over the whole table (no chunks, no
    worker, no score, nothing written). Every column is summed, so that none is optimised
    away. Timed with the planner's plan (parallel scans of the table, hash aggregates) and
    with the index-only plan the chunks use (scans off, sorted aggregates); the faster
    counts."""
    from django.db import connection, transaction
    from django.utils import timezone

    from ratings import scoring

    sql = scoring.record_counts_sql(scoring.models_in_force(), lambda col: "true")
    params = {"as_at": timezone.now(), "as_of": timezone.localdate()}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({sql}) t LIMIT 0", params)
        columns = [c.name for c in cursor.description if c.name != "entity_id"]
    sums = ", ".join(f"sum({c})" for c in columns)
    times = []
    for plan in ["", "SET LOCAL enable_seqscan = off; SET LOCAL enable_hashagg = off"]:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'; SET LOCAL jit = off")
            if plan:
                cursor.execute(plan)
            started = time.monotonic()
            cursor.execute(f"SELECT count(*), {sums} FROM ({sql}) t", params)
            cursor.fetchone()
            times.append(time.monotonic() - started)
    print(f"  (planner's plan {times[0]:.1f} s, index-only plan {times[1]:.1f} s)", flush=True)
    return min(times)


class PeakRss(threading.Thread):
    """The largest resident set of any process in the worker's tree, and of the tree."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_process, self.peak_total, self.stop = pid, 0, 0, False

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _tree(self) -> list[int]:
        pids, frontier = [self.pid], [self.pid]
        while frontier:
            parent = frontier.pop()
            try:
                children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
            except OSError:
                children = []
            pids.extend(int(c) for c in children)
            frontier.extend(int(c) for c in children)
        return pids

    def run(self) -> None:
        while not self.stop:
            sizes = [self._rss(p) for p in self._tree()]
            self.peak_process = max(self.peak_process, *sizes, 0)
            self.peak_total = max(self.peak_total, sum(sizes))
            time.sleep(0.2)


def append_changes(share: float, department_id: int) -> int:
    """A night's new records: one penalty each for ``share`` of the entities, at random.
    Returns how many entities got one."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM registry_catalogueitem WHERE code = 'CF'")
        (item,) = cursor.fetchone()
        cursor.execute(
            """
            INSERT INTO registry_creditrecord (entity_id, catalogue_item_id,
                source_department_id, action, scope, severity, title, content,
                document_number, legal_basis, conduct_date, decision_date, reason, created_at)
            SELECT uscc, %(item)s, %(dept)s, 'original', 'public', 'general', '基准测试新增处罚',
                   '依法作出处理决定。', 'BENCH-NEW-' || uscc, '', current_date, current_date, '',
                   now()
            FROM registry_marketentity TABLESAMPLE BERNOULLI (%(percent)s) REPEATABLE (7)
            """,
            {"item": item, "dept": department_id, "percent": share * 100},
        )
        return cursor.rowcount


def revise_public_model() -> None:
    """Publish the public model's next version with a base score ten points higher (lower,
    when a seeded database rated before has it at 95 already: scores stop at 100)."""
    from decimal import Decimal

    from ratings import services
    from ratings.models import EvaluationModel

    current = EvaluationModel.objects.filter(code="public", published_at__isnull=False)
    current = current.order_by("-version").first()
    step = Decimal(10) if current.base_score + 10 <= 100 else Decimal(-10)
    revised = services.model_revise(
        actor=None, model_id=current.pk, base_score=current.base_score + step
    )
    services.model_publish(actor=None, model_id=revised.pk)


def timed_run(
    label: str, entities: int | None, kind: str = "full", next_day: bool = False
) -> float:
    """One run from its start to its ``finished_at``. ``next_day``: the run is started a day
    later (as the nightly job is), so records that aged out of a window count as changes."""
    import datetime
    from unittest import mock

    from django.utils import timezone

    from ratings import services, tasks
    from ratings.models import RatingRun

    started = time.monotonic()
    offset = datetime.timedelta(days=1 if next_day else 0)
    later = timezone.now() + offset
    with mock.patch.object(timezone, "now", lambda: later):
        run, chunk_ids = services.run_start(kind=kind)
    tasks.enqueue(chunk_ids)
    while True:
        run.refresh_from_db()
        if run.status == RatingRun.Status.FINISHED:
            break
        time.sleep(0.2)
    wall = time.monotonic() - started
    # A run started "a day later" has its created_at a day ahead.
    seconds = (run.finished_at - (run.created_at - offset)).total_seconds()
    print(
        f"{label}: {run.rated:,} rated in {seconds:.1f} s ({run.rated / seconds:,.0f}/s; "
        f"{wall:.1f} s wall), {run.chunks_total} chunks, "
        f"{run.grades_changed:,} grades changed",
        flush=True,
    )
    if entities is None:  # a seeded database: who is rated is the rating's own rule
        pass
    elif kind == "full":
        assert run.rated == entities, (run.rated, entities)
    else:  # the changed entities and those whose records aged out of a window
        assert run.rated >= entities, (run.rated, entities)
    return seconds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("entities", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--database",
        help="rate an existing seeded database (e.g. seed_demo's) instead of generating one",
    )
    parser.add_argument(
        "--changed-share", type=float, default=0.01, help="entities with a new record (d)"
    )
    args = parser.parse_args(argv)
    records = args.records if args.records is not None else args.entities * 10
    os.environ["REDIS_URL"] = BROKER  # before Django reads its settings: the bench's own queue
    print(
        f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if args.database:  # the same data the page bench measured (./scripts/bench --jobs)
        base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        parts = urllib.parse.urlsplit(base)
        place = contextlib.nullcontext(
            urllib.parse.urlunsplit(parts._replace(path=f"/{args.database}"))
        )
    else:
        place = scratch_database("bench_rating", args.keep)
    with place as url:
        setup_django(url)
        from django.db import connection

        from ratings.models import RatingConfig

        # A seeded database is rated again and again: a department of this run's own.
        department, _staff = department_staff(f"BENCH-R{os.getpid()}" if args.database else "BENCH")
        if not args.database:
            generate(args.entities, records, department.pk)
        RatingConfig.objects.create(chunk_size=args.chunk_size)
        floor = bare_aggregate()
        print(f"bare aggregate (index-only count): {floor:.1f} s", flush=True)
        inputs = bare_inputs_aggregate()
        print(f"bare aggregate of the rating's inputs: {inputs:.1f} s", flush=True)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "REDIS_URL": BROKER,
            "DJANGO_SETTINGS_MODULE": "credit_portal.settings.base",
        }
        subprocess.run(["redis-cli", "-n", "15", "FLUSHDB"], check=True, capture_output=True)
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "credit_portal", "worker",
                "--concurrency", str(args.workers), "--loglevel", "WARNING",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "-Q", "celery,long,outbox",  # the chunks are routed to "long"
            ],
            cwd=BASE_DIR,
            env=env,
        )  # fmt: skip
        monitor = PeakRss(worker.pid)
        monitor.start()
        try:
            time.sleep(4)  # the worker's start-up, not part of the run
            every = None if args.database else _count_entities(connection)
            first = timed_run("first run", every)
            second = timed_run("second run", every)
            changed = append_changes(args.changed_share, department.pk)
            print(f"new penalties for {changed:,} entities", flush=True)
            nightly = timed_run(
                "changed run, next day",
                None if args.database else changed,
                "changed",
                next_day=True,
            )
            revise_public_model()
            revision = timed_run("full run after a model revision", every)
            floor_again = bare_aggregate()
            print(f"bare aggregate (index-only count) again: {floor_again:.1f} s", flush=True)
            inputs_again = bare_inputs_aggregate()
            print(f"bare aggregate of the rating's inputs again: {inputs_again:.1f} s", flush=True)
        finally:
            monitor.stop = True
            worker.terminate()
            worker.wait(30)
        for name, base in [
            ("the rating's inputs aggregate", min(inputs, inputs_again)),
            ("the index-only count", min(floor, floor_again)),
        ]:
            print(
                f"ratio to {name}: first run {first / base:.2f}; second {second / base:.2f}; "
                f"changed run {nightly / base:.2f}; after a revision {revision / base:.2f}"
            )
        print(
            f"worker peak RSS: {monitor.peak_process / 2**20:.0f} MiB a process, "
            f"{monitor.peak_total / 2**20:.0f} MiB all {args.workers + 1} processes"
        )
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


def _count_entities(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_marketentity")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
