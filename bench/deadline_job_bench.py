"""Benchmark the hourly publicity-deadline job over open decisions (a script, not a test).

    .venv/bin/python bench/deadline_job_bench.py [DECISIONS] [--today YYYY-MM-DD]
                                                 [--entities N] [--explain] [--keep]

Creates a scratch database ``bench_deadline_<pid>`` on the server named by ``DATABASE_URL``
(default ``postgres://postgres@127.0.0.1:5432/``; only the server is used), migrates it, copies
``--entities`` market entities (default 10,000) and DECISIONS open decisions (default
1,000,000; status "recorded", never flagged) of 20 departments with COPY, decision dates over
2025-2026 and their due dates 7 working days on. After ``VACUUM ANALYZE`` (the state a live
table is in) it times ``registry.services.publicity_flag_overdue`` (goal: under 30 s on 2
cores), then a second run, which must flag nothing. By default "today" is after every due date,
so the first run flags every decision and queues as many alerts (the worst case).
``--explain`` then deletes the alerts (the flags), runs the job's statement under ``EXPLAIN
(ANALYZE, BUFFERS)`` with foreign keys checked immediately, prints the plan and rolls back.

``--database NAME`` times the job on an existing seeded database instead (``./scripts/bench
--jobs``: the open decisions of the data the pages were measured on), in a transaction that is
rolled back with the foreign keys checked inside the timing, so the database is left as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_decisions_bench import (
    Rollback,
    copy_entities,
    department_staff,
    scratch_database,
    setup_django,
)
from seed_demo_bench import DEFAULT_SERVER, database_url

DEPARTMENTS = 20
KINDS = ["licence"] * 11 + ["penalty"] * 8 + ["inspection"]


def copy_open_decisions(count: int, departments: list, usccs: list[str], seed: int = 1) -> None:
    """``count`` recorded, unflagged decisions with due dates from the official calendar."""
    from django.db import connection, transaction

    from demo.specs import WorkingDays

    rng = random.Random(seed)
    first, last = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
    calendar = WorkingDays.from_database(first, last + dt.timedelta(days=60))
    days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
    dues = {day: calendar.add(day, 7) for day in days}
    buffer = io.StringIO()
    for i in range(count):
        day = rng.choice(days)
        due, provisional = dues[day]
        kind = rng.choice(KINDS)
        penalty = kind == "penalty"
        buffer.write(
            f"{kind}\t{rng.choice(departments).pk}\t{rng.choice(usccs)}\t"
            f"京决〔{day.year}〕{i}号\t{day.isoformat()}\t行政决定{i}\t\t\t"
            f"{'general' if penalty else 'none'}\t{'fine' if penalty else ''}\t"
            f"{'5000.00' if penalty else chr(92) + 'N'}\trecorded\t{due.isoformat()}\t"
            f"{'t' if provisional else 'f'}\t\t\t2026-01-01 00:00:00+08\n"
        )
    buffer.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.copy_expert(
            "COPY registry_decision (kind, department_id, entity_id, document_number, "
            "decision_date, title, content, legal_basis, severity, penalty_type, penalty_amount, "
            "status, publicity_due, publicity_due_provisional, change, change_reason, "
            "created_at) FROM STDIN",
            buffer,
        )
    vacuum()


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run in a transaction
        cursor.execute("VACUUM ANALYZE registry_decision")
        cursor.execute("VACUUM ANALYZE registry_departmentalert")


def time_job(today: dt.date, label: str) -> tuple[float, int]:
    from registry.services import publicity_flag_overdue

    started = time.perf_counter()
    flagged = publicity_flag_overdue(today=today)  # its own transaction: includes the commit
    seconds = time.perf_counter() - started
    print(f"  {label}: flagged {flagged:,} in {seconds:.1f} s")
    return seconds, flagged


def explain_job(today: dt.date) -> None:
    from django.db import connection, transaction

    from registry.services import publicity_flag_overdue

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_departmentalert")
    vacuum()

    def explain(execute, statement, params, many, context):
        if "INSERT INTO registry_departmentalert" in statement:
            cursor = context["cursor"]
            execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params, many, context)
            print("\n".join("    " + row[0] for row in cursor.fetchall()))
            return None
        return execute(statement, params, many, context)

    try:
        with transaction.atomic(), connection.execute_wrapper(explain):
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            publicity_flag_overdue(today=today)
            raise Rollback
    except Rollback:
        pass


def seeded_database(name: str, today: dt.date) -> int:
    """The job on an existing seeded database, rolled back (see the top)."""
    server_url = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    setup_django(database_url(server_url, name))
    from django.db import connection, transaction

    from registry.services import publicity_flag_overdue

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_decision WHERE status = 'recorded'")
        open_decisions = cursor.fetchone()[0]
    try:
        with transaction.atomic():
            started = time.perf_counter()
            flagged = publicity_flag_overdue(today=today)
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            seconds = time.perf_counter() - started
            print(f"deadline job: {open_decisions:,} open decisions of {name}, flagged "
                  f"{flagged:,} in {seconds:.1f} s (goal < 30 s)")  # fmt: skip
            raise Rollback
    except Rollback:
        pass
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("decisions", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2027, 2, 1))
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--database", help="an existing seeded database (rolled back)")
    args = parser.parse_args(argv)
    print(f"machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.database:
        return seeded_database(args.database, args.today)
    with scratch_database("bench_deadline", args.keep) as url:
        setup_django(url)
        departments = [department_staff(f"BENCH-{n:02d}")[0] for n in range(DEPARTMENTS)]
        usccs = copy_entities(args.entities, departments[0], args.seed)
        started = time.perf_counter()
        copy_open_decisions(args.decisions, departments, usccs, args.seed)
        print(
            f"{args.decisions:,} open decisions copied and vacuumed in "
            f"{time.perf_counter() - started:.1f} s"
        )
        print(f"timings (today = {args.today}) / 计时")
        first, flagged = time_job(args.today, "first run ")
        second, again = time_job(args.today, "second run")
        print()
        print("result / 结果")
        print(f"  open decisions          {args.decisions:10,}")
        print(f"  first run               {first:10.1f} s  flagged {flagged:,} (goal < 30 s)")
        print(f"  second run (idempotent) {second:10.1f} s  flagged {again:,}")
        print(f"  load average            {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if args.explain:
            print("\nEXPLAIN ANALYZE of the first run (foreign keys immediate, rolled back)")
            explain_job(args.today)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
