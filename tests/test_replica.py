"""Public reads from a real streaming replica (issue 17, credit_portal.replicas): a primary
and a hot standby made with the machine's PostgreSQL binaries by the docker-compose replica
profile's scripts (deploy/postgres: a replication role, pg_basebackup -R), the
portal migrated on the primary with DATABASE_REPLICA_URLS naming the standby; an anonymous API
read is answered by the standby, a department's read and every write go to the primary, and the
standby refuses a write."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
BIN = Path(BINDIRS[-1]) if BINDIRS else None

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(
        BIN is None or not (BIN / "pg_basebackup").exists(),
        reason="needs the PostgreSQL server binaries (Debian's postgresql package)",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*command: str) -> list[str]:
    """PostgreSQL's server tools refuse to run as root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


def run(*command: str, **kwargs) -> None:
    subprocess.run(as_postgres(*command), check=True, capture_output=True, text=True, **kwargs)


DEPLOY = ROOT / "deploy" / "postgres"
PASSWORD = "portal-test-password"  # a password for the superuser: TCP asks for it (scram)
REPLICATION_PASSWORD = "replication-test-password"


def ready(port: int, home: str, server: subprocess.Popen, log: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        probe = [str(BIN / "pg_isready"), "-q", "-h", home, "-p", str(port)]
        if subprocess.run(probe).returncode == 0:
            return
        time.sleep(0.2)
    raise TimeoutError(f"PostgreSQL on port {port} did not start:\n{Path(log).read_text()}")


@pytest.fixture(scope="module")
def primary_and_standby():
    """A primary made ready by the compose file's deploy/postgres/primary-replication.sh and a
    standby started by its deploy/postgres/standby.sh: the replica profile's own scripts."""
    home = tempfile.mkdtemp(prefix="replica-test-")
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    primary, standby = os.path.join(home, "primary"), os.path.join(home, "standby")
    pwfile = os.path.join(home, "pw")
    Path(pwfile).write_text(PASSWORD)
    if os.geteuid() == 0:
        shutil.chown(pwfile, "postgres", "postgres")
    p1, p2 = free_port(), free_port()
    options = f"-k {home} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(str(BIN / "initdb"), "-D", primary, "--auth-local=trust", "--auth-host=scram-sha-256",
        f"--pwfile={pwfile}", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
        "--no-sync")  # fmt: skip
    path = f"{BIN}:{os.environ.get('PATH', '')}"
    env = ["env", f"PATH={path}", f"PGHOST={home}", f"PGPORT={p1}", f"PGDATA={primary}",
           f"REPLICATION_PASSWORD={REPLICATION_PASSWORD}", "POSTGRES_USER=postgres",
           "POSTGRES_DB=postgres"]  # fmt: skip
    run(str(BIN / "pg_ctl"), "-D", primary, "-l", f"{primary}.log", "-w", "start",
        "-o", f"-p {p1} {options} -c wal_level=replica -c max_wal_senders=4")  # fmt: skip
    standby_server = None
    try:
        # As the postgres image runs it: on the new cluster's server, then a (re)start.
        run(*env, "bash", str(DEPLOY / "primary-replication.sh"))
        run(str(BIN / "pg_ctl"), "-D", primary, "reload")
        run(str(BIN / "createdb"), "-h", home, "-p", str(p1), "-U", "postgres", "portal")
        standby_env = ["env", f"PATH={path}", f"PGDATA={standby}", "PRIMARY_HOST=127.0.0.1",
                       f"PRIMARY_PORT={p1}", f"REPLICATION_PASSWORD={REPLICATION_PASSWORD}",
                       "BASEBACKUP_OPTIONS=--no-sync"]  # fmt: skip
        command = [
            *standby_env,
            "bash",
            str(DEPLOY / "standby.sh"),
            "-p",
            str(p2),
            *options.split(),
        ]
        with open(f"{standby}.log", "w") as log:
            standby_server = subprocess.Popen(
                as_postgres(*command), stdout=log, stderr=subprocess.STDOUT
            )
        ready(p2, home, standby_server, f"{standby}.log")
        yield (
            f"postgres://postgres:{PASSWORD}@127.0.0.1:{p1}/portal",
            f"postgres://postgres:{PASSWORD}@127.0.0.1:{p2}/portal",
        )
    finally:
        for data in (standby, primary):
            if os.path.exists(os.path.join(data, "postmaster.pid")):
                subprocess.run(
                    as_postgres(str(BIN / "pg_ctl"), "-D", data, "-m", "immediate", "stop"),
                    capture_output=True,
                )
        if standby_server is not None:
            standby_server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


PROBE = r"""
import json, time
from django.db import connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext
from credit_portal import replicas
from registry.models import CatalogueItem

deadline = time.time() + 60  # the standby replays the migrations' WAL
while time.time() < deadline:
    try:
        if CatalogueItem.objects.using("replica1").exists():
            break
    except Exception:
        pass
    time.sleep(0.2)
out = {}
with connections["replica1"].cursor() as cursor:
    cursor.execute("SELECT pg_is_in_recovery()")
    out["standby_in_recovery"] = cursor.fetchone()[0]
with CaptureQueriesContext(connections["replica1"]) as on_standby, \
        CaptureQueriesContext(connections["default"]) as on_primary:
    response = Client().get("/api/v1/entities/?province=11")
out["status"] = response.status_code
out["public_read_on_standby"] = len(on_standby.captured_queries)
out["public_read_on_primary"] = len(on_primary.captured_queries)
with CaptureQueriesContext(connections["replica1"]) as on_standby:
    CatalogueItem.objects.count()
out["other_read_on_standby"] = len(on_standby.captured_queries)
token = replicas.public_reads_begin()
out["router_read"] = router.db_for_read(CatalogueItem)
out["router_write"] = router.db_for_write(CatalogueItem)
replicas.public_reads_end(token)
try:
    with connections["replica1"].cursor() as cursor:
        cursor.execute("CREATE TABLE written_on_standby (x int)")
    out["standby_write"] = "accepted"
except Exception as exc:
    out["standby_write"] = str(exc).splitlines()[0]
print("RESULT " + json.dumps(out))
"""


def test_public_reads_are_served_by_the_standby_and_writes_stay_on_the_primary(
    primary_and_standby,
):
    primary, standby = primary_and_standby
    env = {
        **os.environ,
        "DATABASE_URL": primary,
        "DATABASE_REPLICA_URLS": standby,
        "DJANGO_SETTINGS_MODULE": "credit_portal.settings.base",
        "CELERY_SKIP_CHECKS": "1",
        "ALLOWED_HOSTS": "testserver",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    probe = subprocess.run(
        [*manage, "shell", "-c", PROBE],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in probe.stdout.splitlines() if x.startswith("RESULT "))
    out = json.loads(line.removeprefix("RESULT "))
    assert out["standby_in_recovery"] is True
    assert out["status"] == 200
    assert out["public_read_on_standby"] >= 1 and out["public_read_on_primary"] == 0
    assert out["other_read_on_standby"] == 0
    assert (out["router_read"], out["router_write"]) == ("replica1", "default")
    assert "read-only transaction" in out["standby_write"]
