#!/usr/bin/env bash
# The primary's side of a streaming replica (docker-compose profile "replica", docs/scaling.md):
# a replication role and a pg_hba line for it. The postgres image runs this once, from
# /docker-entrypoint-initdb.d, when it creates the cluster; tests/test_replica.py runs the same
# file against its primary. Without REPLICATION_PASSWORD it does nothing (no replica wanted).
set -euo pipefail
if [ -z "${REPLICATION_PASSWORD:-}" ]; then
    echo "primary-replication: REPLICATION_PASSWORD is not set: no replication role made"
    exit 0
fi
user="${REPLICATION_USER:-replicator}"
psql -v ON_ERROR_STOP=1 -v user="$user" -v password="$REPLICATION_PASSWORD" \
    --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" <<'SQL'
SELECT format('CREATE ROLE %I WITH REPLICATION LOGIN PASSWORD %L', :'user', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SQL
line="host replication $user all scram-sha-256"
grep -qxF "$line" "$PGDATA/pg_hba.conf" || echo "$line" >> "$PGDATA/pg_hba.conf"
