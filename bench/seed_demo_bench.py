"""Benchmark ``manage.py seed_demo`` on a scratch database (a script, not a test).

    .venv/bin/python bench/seed_demo_bench.py [ENTITIES] [--seed S] [--records-per-entity R]
                                              [--keep]

Creates a scratch database ``bench_seed_demo_<pid>`` on the server named by ``DATABASE_URL``
(default ``postgres://postgres@127.0.0.1:5432/``; only the server is used, never that
database), migrates it, runs ``seed_demo`` in a child process and prints entities/s, records/s,
the total seconds and the child's peak RSS. The scratch database is dropped at the end unless
``--keep`` is given.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/credit_portal"


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_connection(server_url: str):
    conn = psycopg2.connect(database_url(server_url, "postgres"))
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    return conn


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run a child; return (wall seconds, peak RSS in KiB, output)."""
    started = time.monotonic()
    proc = subprocess.Popen(
        args, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = []
    assert proc.stdout is not None
    for line in proc.stdout:
        output.append(line)
        print("    " + line, end="", flush=True)
    # wait4 gives this child's own resource usage (ru_maxrss is in KiB on Linux).
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[1:3])} failed with exit code {proc.returncode}")
    return seconds, usage.ru_maxrss, "".join(output)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("entities", nargs="?", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--records-per-entity", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)

    server_url = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    name = f"bench_seed_demo_{os.getpid()}"
    url = database_url(server_url, name)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "credit_portal.settings.dev",
        "PYTHONUNBUFFERED": "1",
    }
    python = sys.executable
    print(f"machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"scratch database: {name}")
    admin = admin_connection(server_url)
    with admin.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"PostgreSQL {cursor.fetchone()[0]}")
        # UTF-8 ctype: pg_trgm ignores Chinese under "C" (docs/architecture.md §6).
        cursor.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
            ).format(sql.Identifier(name))
        )
    try:
        print("migrating ...")
        migrate_seconds, _rss, _out = run_child(
            [python, "manage.py", "migrate", "--noinput", "-v", "0"], env
        )
        print(f"seed_demo --entities {args.entities} --seed {args.seed} ...")
        seconds, rss_kib, _out = run_child(
            [
                python,
                "manage.py",
                "seed_demo",
                "--entities",
                str(args.entities),
                "--seed",
                str(args.seed),
                "--records-per-entity",
                str(args.records_per_entity),
            ],
            env,
        )
        conn = psycopg2.connect(url)
        with conn, conn.cursor() as cursor:
            counts = {}
            for table in (
                "registry_marketentity",
                "registry_person",
                "registry_entityrole",
                "registry_creditrecord",
                "registry_creditrecordgroupobjectpermission",
            ):
                cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                counts[table] = cursor.fetchone()[0]
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
        conn.close()  # psycopg2's "with" commits but does not close; DROP DATABASE needs it gone
        entities = counts["registry_marketentity"]
        records = counts["registry_creditrecord"]
        print()
        print("result / 结果")
        print(f"  migrate             {migrate_seconds:10.1f} s")
        print(f"  seed_demo total     {seconds:10.1f} s  (process start to exit)")
        print(f"  entities            {entities:10,}  {entities / seconds:10,.0f} /s")
        print(f"  persons             {counts['registry_person']:10,}")
        print(f"  roles               {counts['registry_entityrole']:10,}")
        print(f"  records             {records:10,}  {records / seconds:10,.0f} /s")
        print(f"  record permissions  {counts['registry_creditrecordgroupobjectpermission']:10,}")
        print(f"  peak RSS            {rss_kib / 1024:10.0f} MiB")
        print(f"  database size       {size:>10}")
    finally:
        if args.keep:
            print(f"kept: DATABASE_URL={url}")
        else:
            with admin.cursor() as cursor:
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
