"""The public site and API under load, each page as a ratio to a plain Django view served by the
same server in the same run (issue 17). Run it with ./scripts/bench.

    ./scripts/bench --entities 100000            # seeds bench_pages_100000 once, then reuses it
    ./scripts/bench --database bench_seed_demo_1 # an existing seeded database
    ./scripts/bench --entities 1000000 --clients 1 8 --seconds 5 --jobs

It uses the PostgreSQL server of DATABASE_URL (default 127.0.0.1:5432; only the server part),
seeds ``bench_pages_<N>`` with ``manage.py seed_demo --records-per-entity 2`` when it does not
exist (the demo's distributions), migrates it, starts gunicorn with the production settings (2
workers, DEBUG off; the local-memory cache each worker has, or with ``--redis URL`` a Redis
database both share, as deployed), measures every page with
1 and then C concurrent clients for a few seconds each, and writes
``bench/results/<date>-<N>.json`` and ``.md``. Queries rotate (search words, filter dates,
entities) so a page's cache does not answer for it, except the rows marked "cache hit". With
``--jobs`` it then runs the jobs on the same data: the re-rate (``bench/rating_run_bench.py
--database``: first, second, changed and revised runs against the bare aggregates of the same
run), the decision import against COPY of the same file (``import_decisions_bench.py
--database``, 200,000 rows) and the publicity deadline job over its open decisions
(``deadline_job_bench.py --database``); the last two are rolled back.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def server_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def psql(url: str, sql: str) -> str:
    out = subprocess.run(
        ["psql", url, "-Atc", sql], check=True, capture_output=True, text=True
    ).stdout
    return out.strip()


def manage(url: str, *args: str, env: dict | None = None) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        check=True,
        env={**os.environ, "DATABASE_URL": url, **(env or {})},
    )


def ensure_database(name: str, entities: int) -> str:
    admin = server_url("postgres")
    url = server_url(name)
    exists = psql(admin, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    if not exists:
        print(f"bench: creating {name} and seeding {entities:,} entities (minutes)", flush=True)
        psql(
            admin,
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'",
        )
        manage(url, "migrate", "--no-input", "-v", "0")
        manage(url, "seed_demo", f"--entities={entities}", "--records-per-entity=2")
    else:
        manage(url, "migrate", "--no-input", "-v", "0")
    # As autovacuum leaves a loaded database: statistics, and the visibility map that
    # index-only reads need (fresh from the load, a rating chunk read the heap 8x slower).
    psql(url, "VACUUM (ANALYZE)")
    # What the hourly beat job keeps for the public pages (the timeliness snapshots).
    manage(
        url,
        "shell",
        "-c",
        "from disclosure.services import timeliness_snapshots_refresh; "
        "timeliness_snapshots_refresh()",
    )
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, static_root: str, redis: str = "") -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "credit_portal.settings.production",
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "PERSON_ID_KEY": "bench-only-person-key",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": static_root,
        "BENCH_PLAIN_VIEW": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    if redis:  # the cache shared by the workers, as deployed (emptied first)
        env["REDIS_URL"] = redis
        subprocess.run(["redis-cli", "-u", redis, "FLUSHDB"], check=True, capture_output=True)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "credit_portal.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/bench/plain/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("bench: the server did not start")


def get(port: int, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    finally:
        conn.close()


def measure(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """``clients`` threads request ``paths`` in turn (each its own rotation) for ``seconds``."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        n = offset
        while time.monotonic() < stop:
            status, ms = get(port, paths[n % len(paths)])
            n += clients
            with lock:
                latencies.append(ms)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {
        "requests": len(latencies),
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(latencies[-1], 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
        "statuses": statuses,
    }


def pages(url: str) -> dict[str, list[str]]:
    """The pages, each with its rotation of paths (drawn from the seeded data)."""
    rng = random.Random(1)
    names = psql(url, "SELECT search_names FROM registry_marketentity ORDER BY uscc LIMIT 2000")
    words = set()
    for line in names.splitlines():
        core = line.split(" | ")[0]
        if len(core) >= 4:
            start = rng.randrange(0, len(core) - 1)
            words.add(core[start : start + rng.choice((2, 3, 4))])
    words = sorted(w for w in words if len(w) >= 2)[:300]
    usccs = psql(
        url,
        "SELECT entity_id FROM registry_decision WHERE status = 'published' "
        "GROUP BY entity_id ORDER BY entity_id LIMIT 300",
    ).splitlines()
    deep = psql(
        url,
        "SELECT decision_date || '.' || id FROM registry_decision WHERE status = 'published' "
        "ORDER BY decision_date DESC, id DESC OFFSET 20000 LIMIT 1",
    )
    # 1,000 pages of 20 deep, by key, for the records and the entities of one province.
    record_deep = psql(
        url,
        "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') "
        "|| '+00:00.' || id FROM registry_creditrecord ORDER BY created_at DESC, id DESC "
        "OFFSET 20000 LIMIT 1",
    )
    entity_deep = psql(
        url,
        "SELECT uscc FROM registry_marketentity WHERE region LIKE '44%' ORDER BY uscc "
        "OFFSET 20000 LIMIT 1",
    )
    days = [
        (datetime.date(2025, 1, 1) + datetime.timedelta(days=n)).isoformat() for n in range(600)
    ]
    quote = urllib.parse.quote
    return {
        "plain view (reference)": ["/bench/plain/"],
        "name search, 2-4 characters": [f"/search/?q={quote(w)}" for w in words],
        "search by USCC": [f"/search/?q={u}" for u in usccs],
        "publicity board, first page": [f"/publicity/?date_from={d}" for d in days],
        "publicity board, 1,000 pages deep (key)": [f"/publicity/?after={deep}"],
        "API decisions, first page": [f"/api/v1/decisions/?date_from={d}" for d in days],
        "API decisions, 1,000 pages deep (key)": [f"/api/v1/decisions/?after={deep}"],
        "API entities by province": [
            "/api/v1/entities/?province=11",
            "/api/v1/entities/?province=44",
        ],
        "API entities by province, 1,000 pages deep (key)": [
            f"/api/v1/entities/?province=44&after={entity_deep}"
        ],
        "API records, first page": [f"/api/v1/records/?conduct_date_after={d}" for d in days],
        "API records, 1,000 pages deep (key)": [f"/api/v1/records/?after={quote(record_deep)}"],
        "public lists (punishment, red)": ["/lists/punishment/", "/lists/red/"],
        "statistics pages": [
            "/statistics/",
            "/lists/statistics/",
            "/objections/statistics/",
            "/restoration/statistics/",
        ],
        "API entity detail": [f"/api/v1/entities/{u}/" for u in usccs],
        "entity page (rotating)": [f"/entity/{u}/" for u in usccs],
        "entity page (cache hit)": [f"/entity/{usccs[0]}/"],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--database", help="an existing seeded database to use instead")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--jobs",
        action="store_true",
        help="then run the jobs on the same data (re-rate, import against COPY, deadline job)",
    )
    parser.add_argument(
        "--redis",
        default="",
        metavar="URL",
        help="serve with this Redis database as the shared cache (it is emptied first); "
        "default: each worker's own memory",
    )
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="WORD",
        help="only the pages whose label has one of these words (the plain view always)",
    )
    args = parser.parse_args(argv)
    name = args.database or f"bench_pages_{args.entities}"
    url = ensure_database(name, args.entities)
    entities = int(psql(url, "SELECT count(*) FROM registry_marketentity"))
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        server = start_server(url, port, static_root, args.redis)
        try:
            wanted = args.pages or [""]
            rotations = {
                label: paths
                for label, paths in pages(url).items()
                if label.startswith("plain") or any(w in label for w in wanted)
            }
            results: dict[str, dict] = {}
            for label, paths in rotations.items():
                for path in paths[:3]:
                    get(port, path)  # warm the workers and the page's first cache
                results[label] = {
                    str(c): measure(port, paths, c, args.seconds) for c in args.clients
                }
                print(f"{label}: {json.dumps(results[label])}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    jobs = jobs_on(name) if args.jobs else []
    write(results, entities, args, name, jobs)
    return 0


MEASURED = re.compile(r"^(\w[^*]*?:|  \(planner)")


def job(label: str, script: str, *args: str) -> list[str]:
    """One job bench on the same seeded data; its result lines, prefixed with ``label``."""
    done = subprocess.run(
        [PYTHON, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:  # the pages' figures are still written, with the failure
        tail = done.stderr.strip().splitlines()[-1:] or ["(no output)"]
        print(f"{label}: FAILED: {tail[0]}", flush=True)
        return [f"{label}: FAILED ({script} exit {done.returncode}): {tail[0]}"]
    # The bench's own lines, not the Celery worker's start-up banner it lets through.
    lines = [f"{label}: {line}" for line in done.stdout.splitlines() if MEASURED.match(line)]
    for line in lines:
        print(line, flush=True)
    return lines


def jobs_on(name: str) -> list[str]:
    """The nightly re-rate, the decision import and the deadline job on the seeded data."""
    return [
        *job("rating", "rating_run_bench.py", "--database", name),
        *job("import", "import_decisions_bench.py", "200000", "--database", name),
        *job("deadline", "deadline_job_bench.py", "--database", name),
    ]


def write(results: dict, entities: int, args, name: str, jobs: list[str]) -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    meta = {
        "date": stamp,
        "entities": entities,
        "database": name,
        "cores": os.cpu_count(),
        "load_average": os.getloadavg(),
        "clients": args.clients,
        "seconds": args.seconds,
        "cache": "redis" if args.redis else "per-worker memory",
    }
    (out / f"{stamp}-{entities}.json").write_text(
        json.dumps({"meta": meta, "pages": results, "jobs": jobs}, ensure_ascii=False, indent=2)
    )
    reference = results["plain view (reference)"]
    lines = [
        f"{entities:,} entities, {os.cpu_count()} cores, load {meta['load_average'][0]:.1f}, "
        f"gunicorn 2 workers, {args.seconds:g} s a cell, cache: {meta['cache']}",
        "",
        "| page | clients | req/s | ratio to plain | p50 ms | p95 ms | p99 ms | max ms "
        "| statuses |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, by_clients in results.items():
        for clients, row in by_clients.items():
            ratio = row["per_second"] / max(reference[clients]["per_second"], 0.1)
            lines.append(
                f"| {label} | {clients} | {row['per_second']} | {ratio:.3f} | {row['p50_ms']} "
                f"| {row['p95_ms']} | {row['p99_ms']} | {row['max_ms']} | {row['statuses']} |"
            )
    if jobs:
        lines += ["", "Nightly re-rate on the same data (bench/rating_run_bench.py):", ""]
        lines += [f"    {line}" for line in jobs]
    text = "\n".join(lines) + "\n"
    (out / f"{stamp}-{entities}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
