"""Deployment configuration (docs/architecture.md §7): the compose file and ``check --deploy``."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"


def _secrets_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        PERSON_ID_KEY=secrets.token_urlsafe(32),
        **extra,
    )
    return env


def test_compose_file_has_the_services_and_health_checks():
    """Given the compose file, then postgres, redis and web are health-checked and beat is one."""
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]

    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "UTF8" in services["postgres"]["environment"]["POSTGRES_INITDB_ARGS"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "credit_portal.settings.production"
        for key in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PERSON_ID_KEY", "ALLOWED_HOSTS"):
            assert key in env, f"{name} lacks {key}"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


@pytest.mark.parametrize("profile", [[], ["--profile", "replica"]])
def test_compose_config_validates(profile):
    """When docker-compose is installed, it accepts the file, with the replica profile too
    (no engine needed for config)."""
    binary = shutil.which("docker-compose")
    if binary is None:
        # No validator here: the structural test above is what can be checked.
        yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
        return
    result = subprocess.run(
        [binary, "-f", str(COMPOSE), *profile, "config", "-q"],
        cwd=ROOT,
        env=_secrets_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_refuses_to_start_without_secrets():
    """Given no SECRET_KEY / PERSON_ID_KEY, the file refuses instead of using a default secret."""
    text = COMPOSE.read_text(encoding="utf-8")
    assert "${SECRET_KEY:?" in text
    assert "${PERSON_ID_KEY:?" in text
    binary = shutil.which("docker-compose")
    if binary is not None:
        env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "PERSON_ID_KEY")}
        result = subprocess.run(
            [binary, "-f", str(COMPOSE), "config", "-q"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_check_deploy():
    """Given production settings and real secrets, ``check --deploy`` reports nothing."""
    env = _secrets_env(DJANGO_SETTINGS_MODULE="credit_portal.settings.production")
    # check --deploy opens no connection; this only keeps manage.py from starting the
    # embedded server when the suite runs without DATABASE_URL.
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/credit_portal")
    for key in ("DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "ALLOWED_HOSTS"):
        env.pop(key, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_replica_profile_runs_the_scripts_the_replica_test_runs():
    """docker compose --profile replica adds a hot standby built by deploy/postgres/standby.sh
    from a primary prepared by deploy/postgres/primary-replication.sh (the two scripts
    tests/test_replica.py builds its real standby with); the app reads DATABASE_REPLICA_URLS."""
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    replica = services["postgres-replica"]
    assert replica["profiles"] == ["replica"]
    assert "/deploy/standby.sh" in replica["entrypoint"]
    assert "./deploy/postgres/standby.sh:/deploy/standby.sh:ro" in replica["volumes"]
    assert any(
        v.startswith("./deploy/postgres/primary-replication.sh:/docker-entrypoint-initdb.d/")
        for v in services["postgres"]["volumes"]
    )
    for name in ("web", "worker", "beat"):
        assert "DATABASE_REPLICA_URLS" in services[name]["environment"]
    for script in ("standby.sh", "primary-replication.sh"):
        assert (ROOT / "deploy" / "postgres" / script).exists()
