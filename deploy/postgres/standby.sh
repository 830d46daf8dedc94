#!/usr/bin/env bash
# A hot standby of the primary (docker-compose profile "replica", docs/scaling.md): on first
# start, copy the primary with pg_basebackup -R (which writes the standby's connection and
# standby.signal), then run PostgreSQL as a read-only standby. Runs as the postgres user.
# tests/test_replica.py starts its standby with this same file.
#   PRIMARY_HOST, PRIMARY_PORT (5432), REPLICATION_USER (replicator), REPLICATION_PASSWORD
#   PGDATA: the standby's data directory. Extra arguments go to postgres.
set -euo pipefail
: "${PGDATA:?set PGDATA}" "${PRIMARY_HOST:?set PRIMARY_HOST}"
port="${PRIMARY_PORT:-5432}"
user="${REPLICATION_USER:-replicator}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD (of the replication role on the primary)}"
    until pg_isready -q -h "$PRIMARY_HOST" -p "$port"; do
        echo "standby: waiting for the primary at $PRIMARY_HOST:$port"
        sleep 2
    done
    mkdir -p "$PGDATA"
    chmod 700 "$PGDATA"
    PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -p "$port" \
        -U "$user" -D "$PGDATA" -R -X stream -c fast ${BASEBACKUP_OPTIONS:-}
fi
exec postgres -D "$PGDATA" -c hot_standby=on "$@"
