"""Benchmark the bulk import of decisions against PostgreSQL's own COPY (a script, not a test).

    .venv/bin/python bench/import_decisions_bench.py [ROWS] [--entities N] [--seed S]
                                                     [--explain] [--keep]

Creates a scratch database ``bench_import_<pid>`` on the server named by ``DATABASE_URL``
(default ``postgres://postgres@127.0.0.1:5432/``; only the server is used), migrates it, copies
``--entities`` market entities (default 10,000) and writes a CSV of ROWS decisions (default
1,000,000; Chinese headers and labels, as a department's case system exports them). Then, in
the same run and on the same file, it times:

  (a) PostgreSQL's own ``COPY ... FROM STDIN (FORMAT csv)`` into an unindexed table with the
      file's columns (the floor: parsing and writing the rows, nothing else);
  (b) ``registry.imports.decision_import`` (read, stage, check, due dates, insert with the
      ownership rows, commit with the deferred foreign-key checks);
  (c) the same import again (every row a duplicate: nothing stored);

and prints rows/s for each and the ratio (b)/(a) (goal: at least 0.4). ``--explain`` then
imports the file once more for a second department with ``EXPLAIN (ANALYZE, BUFFERS)`` on the
check and insert statements and foreign keys checked immediately, prints the plans and rolls
back. The scratch database is dropped at the end unless ``--keep`` is given.

``--database NAME`` measures on an existing seeded database instead (``./scripts/bench --jobs``:
the data the pages were measured on): the file names a sample of its entities, and everything
runs in one transaction that is rolled back, the deferred foreign-key checks forced inside the
timed import, so the database is left as it was.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import logging
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_demo_bench import DEFAULT_SERVER, admin_connection, database_url  # noqa: E402

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
HEADER = [
    "决定类别",
    "统一社会信用代码",
    "决定文书号",
    "决定日期",
    "标题",
    "内容",
    "依据",
    "严重程度",
    "处罚种类",
    "罚没金额",
]
LICENCE_TITLES = ["食品经营许可", "药品经营许可证核发", "道路运输经营许可", "建筑工程施工许可"]
PENALTY_TITLES = [
    ("销售过期食品", "《中华人民共和国食品安全法》第一百二十四条"),
    ("未按规定公示年度报告", "《企业信息公示暂行条例》第十八条"),
    ("虚假宣传", "《中华人民共和国反不正当竞争法》第二十条"),
    ("无照经营", "《无证无照经营查处办法》第十三条"),
]
OTHER_KINDS = [
    ("行政检查", "日常监督检查"),
    ("行政奖励", "守合同重信用企业"),
    ("行政确认", "登记确认"),
]
SEVERITIES = ["一般"] * 6 + ["轻微"] * 2 + ["严重", "警告"]
PENALTY_TYPES = ["罚款"] * 7 + ["警告", "没收违法所得", "责令停产停业"]


# --- the scratch database -------------------------------------------------------------------
@contextmanager
def scratch_database(prefix: str, keep: bool):
    """Create, migrate and (unless ``keep``) drop ``<prefix>_<pid>``; yields its URL."""
    server_url = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    name = f"{prefix}_{os.getpid()}"
    url = database_url(server_url, name)
    admin = admin_connection(server_url)
    with admin.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"PostgreSQL {cursor.fetchone()[0]}; scratch database {name}")
        cursor.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
            ).format(sql.Identifier(name))
        )
    try:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS}
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
        print(f"migrated in {time.monotonic() - started:.1f} s")
        yield url
    finally:
        if keep:
            print(f"kept {name}")
        else:
            if "django.db" in sys.modules:  # close Django's connection before DROP DATABASE
                from django.db import connections

                connections.close_all()
            with admin.cursor() as cursor:
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.close()


SETTINGS = "credit_portal.settings.base"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()


def department_staff(code: str):
    """A department and one staff member, through the services."""
    from django.contrib.auth import get_user_model

    from demo.sign_ins import seed_actor
    from registry import services

    admin = seed_actor()
    department = services.department_create(
        actor=admin, code=code, name=f"基准测试部门{code}", registers_entities=True
    )
    user = get_user_model().objects.create_user(username=f"bench-{code.lower()}")
    services.membership_set(actor=admin, user=user, department=department)
    return department, get_user_model().objects.get(pk=user.pk)


def _uscc(rng: random.Random) -> str:
    from stdnum.cn import uscc as stdnum_uscc

    body = "91110105" + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + stdnum_uscc.calc_check_digit(body)


def copy_entities(count: int, department, seed: int = 1) -> list[str]:
    """``count`` registered market entities, written with one COPY."""
    from django.db import connection, transaction

    rng = random.Random(seed)
    codes = sorted({_uscc(rng) for _ in range(count * 2)})[:count]
    rng.shuffle(codes)
    buffer = io.StringIO()
    for i, code in enumerate(codes):
        name = f"基准测试{i}科技有限公司"
        buffer.write(
            f"{code}\t{name}\t{{}}\t基准测试{i}\tenterprise\t110105\t\tf\tactive\t\\N\t\\N\t\t"
            f"2026-01-01 00:00:00+08\t2026-01-01 00:00:00+08\t{department.pk}\n"
        )
    buffer.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.copy_expert(
            "COPY registry_marketentity (uscc, name, former_names, search_names, kind, region, "
            "industry, state_owned, status, established, deregistered, address, created_at, "
            "updated_at, registration_authority_id) FROM STDIN",
            buffer,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_marketentity")
    return codes


def write_csv(path: Path, rows: int, usccs: list[str], seed: int = 1) -> None:
    """ROWS decisions as a Chinese office exports them: Chinese headers and labels."""
    rng = random.Random(seed)
    first = dt.date(2025, 1, 1).toordinal()
    last = dt.date(2026, 11, 20).toordinal()
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            day = dt.date.fromordinal(rng.randint(first, last))
            uscc = rng.choice(usccs)
            roll = rng.random()
            if roll < 0.55:
                title = rng.choice(LICENCE_TITLES)
                writer.writerow(
                    (
                        "行政许可",
                        uscc,
                        f"京市监许〔{day.year}〕{i}号",
                        day.isoformat(),
                        title,
                        f"准予{title}，有效期五年。",
                        "《中华人民共和国行政许可法》",
                        "",
                        "",
                        "",
                    )
                )
            elif roll < 0.93:
                title, basis = rng.choice(PENALTY_TITLES)
                writer.writerow(
                    (
                        "行政处罚",
                        uscc,
                        f"京市监罚〔{day.year}〕{i}号",
                        day.isoformat(),
                        title,
                        f"当事人{title}，责令改正并处罚款。",
                        basis,
                        rng.choice(SEVERITIES),
                        rng.choice(PENALTY_TYPES),
                        f"{rng.randint(1, 2000) * 500}.00",
                    )
                )
            else:
                kind, title = rng.choice(OTHER_KINDS)
                number = f"京市监决〔{day.year}〕{i}号"
                writer.writerow((kind, uscc, number, day.isoformat(), title, "", "", "", "", ""))


# --- the measurements ---------------------------------------------------------------------------
def time_plain_copy(path: Path) -> float:
    """PostgreSQL's own COPY of the file into an unindexed table with its columns."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_plain_copy (kind text, uscc text, document_number text, "
            "decision_date date, title text, content text, legal_basis text, severity text, "
            "penalty_type text, penalty_amount numeric)"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, path.open("rb") as handle:
        cursor.copy_expert(
            "COPY bench_plain_copy FROM STDIN WITH (FORMAT csv, HEADER true)", handle, 1 << 20
        )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_plain_copy")
        copied = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_plain_copy")
    print(f"  (a) COPY into an unindexed table: {copied:,} rows in {seconds:.1f} s")
    return seconds


def time_import(staff, path: Path, label: str):
    from registry.imports import decision_import

    started = time.perf_counter()
    with path.open("rb") as handle:
        batch = decision_import(actor=staff, file=handle, filename=path.name)
    seconds = time.perf_counter() - started  # includes the commit (deferred FK checks)
    print(
        f"  {label}: {batch.rows_total:,} rows in {seconds:.1f} s: stored {batch.rows_stored:,}, "
        f"duplicate {batch.rows_duplicate:,}, rejected {batch.rows_rejected:,}"
    )
    return seconds, batch


class Rollback(Exception):
    pass


def explain_import(staff, path: Path) -> None:
    """Import again for another department with EXPLAIN ANALYZE on the heavy statements and
    foreign keys checked at once (so their trigger time shows), then roll back."""
    from django.db import connection, transaction

    from registry.imports import decision_import

    def explain(execute, statement, params, many, context):
        text = statement.lstrip()
        if text.startswith(("CREATE TEMPORARY TABLE import_checked", "WITH inserted AS")):
            cursor = context["cursor"]
            execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params, many, context)
            print("\n".join("    " + row[0] for row in cursor.fetchall()))
            return None
        return execute(statement, params, many, context)

    try:
        with transaction.atomic(), connection.execute_wrapper(explain):
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with path.open("rb") as handle:
                decision_import(actor=staff, file=handle, filename=path.name)
            raise Rollback
    except Rollback:
        pass


def seeded_database(name: str, rows: int, entities: int) -> int:
    """The import against COPY on an existing seeded database, rolled back (see the top)."""
    server_url = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    setup_django(database_url(server_url, name))
    from django.db import connection, transaction

    from registry.imports import decision_import

    with tempfile.TemporaryDirectory() as tmp:
        try:
            with transaction.atomic():
                _department, staff = department_staff(f"BENCH-I{os.getpid()}")
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT uscc FROM registry_marketentity TABLESAMPLE SYSTEM (5) "
                        "REPEATABLE (1) WHERE status = 'active' LIMIT %s",
                        [entities],
                    )
                    usccs = [row[0] for row in cursor.fetchall()]
                path = Path(tmp) / "decisions.csv"
                write_csv(path, rows, usccs)
                print(f"{rows:,} rows for {len(usccs):,} entities of {name}")
                plain = time_plain_copy(path)
                started = time.perf_counter()
                with path.open("rb") as handle:
                    batch = decision_import(actor=staff, file=handle, filename=path.name)
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the commit's checks
                imported = time.perf_counter() - started
                print(
                    f"  (b) decision_import: {batch.rows_total:,} rows in {imported:.1f} s: "
                    f"stored {batch.rows_stored:,}, rejected {batch.rows_rejected:,}"
                )
                print(f"import: {rows / imported:,.0f} rows/s, COPY {rows / plain:,.0f} rows/s, "
                      f"ratio {plain / imported:.2f} (goal >= 0.4)")  # fmt: skip
                raise Rollback
        except Rollback:
            pass
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--database", help="an existing seeded database (rolled back)")
    args = parser.parse_args(argv)
    print(f"machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.database:
        return seeded_database(args.database, args.rows, args.entities)
    with scratch_database("bench_import", args.keep) as url, tempfile.TemporaryDirectory() as tmp:
        setup_django(url)
        logging.basicConfig(format="    %(message)s")
        logging.getLogger("registry.imports").setLevel(logging.DEBUG)
        department, staff = department_staff("BENCH-A")
        started = time.perf_counter()
        usccs = copy_entities(args.entities, department, args.seed)
        print(f"{len(usccs):,} entities in {time.perf_counter() - started:.1f} s")
        path = Path(tmp) / "decisions.csv"
        started = time.perf_counter()
        write_csv(path, args.rows, usccs, args.seed)
        size = path.stat().st_size
        print(
            f"{args.rows:,} rows written in {time.perf_counter() - started:.1f} s "
            f"({size / 1e6:.0f} MB)"
        )
        print("timings / 计时")
        plain = time_plain_copy(path)
        imported, batch = time_import(staff, path, "(b) decision_import")
        again, _batch = time_import(staff, path, "(c) the same file again")
        print()
        print("result / 结果")
        print(f"  (a) COPY, unindexed     {args.rows / plain:10,.0f} rows/s")
        print(f"  (b) decision_import     {batch.rows_total / imported:10,.0f} rows/s")
        print(f"  (c) re-import           {batch.rows_total / again:10,.0f} rows/s")
        print(f"  ratio (b)/(a)           {plain / imported:10.2f}  (goal >= 0.4)")
        print(f"  load average            {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if args.explain:
            print("\nEXPLAIN ANALYZE (another department, foreign keys immediate, rolled back)")
            _department, other = department_staff("BENCH-B")
            explain_import(other, path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
