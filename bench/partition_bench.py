"""Partitioning the decisions by province, measured before it is built (docs/scaling.md §4).

    .venv/bin/python bench/partition_bench.py --database bench_pages_1000000 [--repeat 50]

On a seeded database (``./scripts/bench --entities N`` makes one), it copies
``registry_decision`` into a scratch table list-partitioned on the province of the entity's
USCC (positions 3-4) with the published board's partial index on each partition, then times the
same reads on the table and on the partitioned copy, in the same run: the public board's first
page across the country (newest first, a date filter), the board of one province, and one
entity's decisions. Each read runs ``--repeat`` times; it prints the median and p95 in ms and
the ratio partitioned / table. The scratch table is dropped at the end. Nothing of the portal
reads it: this measures the step, it does not take it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import urllib.parse

import psycopg2

SCRATCH = "bench_decision_by_province"


def url_for(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def build(cursor) -> float:
    started = time.monotonic()
    cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
    cursor.execute(
        f"CREATE TABLE {SCRATCH} (LIKE registry_decision INCLUDING DEFAULTS, "
        "province text NOT NULL) PARTITION BY LIST (province)"
    )
    cursor.execute("SELECT DISTINCT substr(entity_id, 3, 2) FROM registry_decision ORDER BY 1")
    for (province,) in cursor.fetchall():
        cursor.execute(
            f"CREATE TABLE {SCRATCH}_{province} PARTITION OF {SCRATCH} FOR VALUES IN ('{province}')"
        )
    cursor.execute(
        f"INSERT INTO {SCRATCH} SELECT d.*, substr(d.entity_id, 3, 2) FROM registry_decision d"
    )
    # The table's indexes that these reads use, on every partition.
    cursor.execute(
        f"CREATE INDEX ON {SCRATCH} (decision_date DESC, id DESC) WHERE status = 'published'"
    )
    cursor.execute(f"CREATE INDEX ON {SCRATCH} (entity_id, kind, decision_date)")
    cursor.execute(f"VACUUM ANALYZE {SCRATCH}")
    return time.monotonic() - started


def timed(cursor, sql: str, params: list, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    connection = psycopg2.connect(url_for(args.database))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_decision")
        total = cursor.fetchone()[0]
        print(f"{total:,} decisions; building the partitioned copy", flush=True)
        print(f"copied, indexed and analysed in {build(cursor):.1f} s", flush=True)
        cursor.execute(
            "SELECT entity_id FROM registry_decision WHERE status = 'published' "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        )
        uscc = cursor.fetchone()[0]
        province = uscc[2:4]
        board = (
            "SELECT id, entity_id, title, decision_date FROM {table} WHERE status = 'published' "
            "AND decision_date >= %s {extra} ORDER BY decision_date DESC, id DESC LIMIT 20"
        )
        reads = [
            ("board, first page (all provinces)", board, "", ["2025-06-01"]),
            (
                "board, first page of one province",
                board,
                "AND {province} = %s",
                ["2025-06-01", province],
            ),
            (
                "one entity's decisions",
                "SELECT id, title FROM {table} WHERE entity_id = %s {extra} "
                "ORDER BY decision_date DESC LIMIT 20",
                "AND {province} = %s",
                [uscc, province],
            ),
        ]
        print("read | table p50 / p95 ms | partitioned p50 / p95 ms | ratio of p50")
        for label, sql, extra, params in reads:
            plain_sql = sql.format(
                table="registry_decision", extra=extra.format(province="substr(entity_id, 3, 2)")
            )
            parted_sql = sql.format(table=SCRATCH, extra=extra.format(province="province"))
            timed(cursor, plain_sql, params, 3)  # warm both
            timed(cursor, parted_sql, params, 3)
            plain = timed(cursor, plain_sql, params, args.repeat)
            parted = timed(cursor, parted_sql, params, args.repeat)

            def p(xs, q):
                return statistics.quantiles(xs, n=100)[q - 1]

            print(
                f"{label} | {statistics.median(plain):.2f} / {p(plain, 95):.2f} | "
                f"{statistics.median(parted):.2f} / {p(parted, 95):.2f} | "
                f"{statistics.median(parted) / statistics.median(plain):.2f}",
                flush=True,
            )
        cursor.execute(f"DROP TABLE {SCRATCH}")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
