"""Public reads from a real streaming replica (issue 17, credit_portal.replicas): a primary
and a hot standby made with the machine's PostgreSQL binaries (initdb, pg_basebackup -R), the
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


@pytest.fixture(scope="module")
def primary_and_standby():
    home = tempfile.mkdtemp(prefix="replica-test-")
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    primary, standby = os.path.join(home, "primary"), os.path.join(home, "standby")
    p1, p2 = free_port(), free_port()
    options = f"-k {home} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(str(BIN / "initdb"), "-D", primary, "-A", "trust", "-U", "postgres", "-E", "UTF8",
        "--locale=C.UTF-8", "--no-sync")  # fmt: skip
    run(str(BIN / "pg_ctl"), "-D", primary, "-l", f"{primary}.log", "-w", "start",
        "-o", f"-p {p1} {options} -c wal_level=replica -c max_wal_senders=4")  # fmt: skip
    try:
        run(str(BIN / "createdb"), "-h", "127.0.0.1", "-p", str(p1), "-U", "postgres", "portal")
        run(str(BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(p1), "-U", "postgres",
            "-D", standby, "-R", "-X", "stream", "-c", "fast", "--no-sync")  # fmt: skip
        run(str(BIN / "pg_ctl"), "-D", standby, "-l", f"{standby}.log", "-w", "start",
            "-o", f"-p {p2} {options} -c hot_standby=on")  # fmt: skip
        yield (
            f"postgres://postgres@127.0.0.1:{p1}/portal",
            f"postgres://postgres@127.0.0.1:{p2}/portal",
        )
    finally:
        for data in (standby, primary):
            if os.path.exists(os.path.join(data, "postmaster.pid")):
                subprocess.run(
                    as_postgres(str(BIN / "pg_ctl"), "-D", data, "-m", "immediate", "stop"),
                    capture_output=True,
                )
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
