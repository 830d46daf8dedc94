"""Public reads from streaming replicas (issue 17, "beyond one machine"): when
``DATABASE_REPLICA_URLS`` names replicas, the reads of a public request (anonymous pages and
API reads, as ``query_limits.bounded`` decides) go to one of them, chosen per request; every
write, and every read of a department's or an administrator's request, goes to the primary.
A replica is read-only by PostgreSQL's own rule (hot standby), so a write sent there by mistake
would fail rather than fork the data; the router never sends one.

Public pages may lag the primary by the replication delay (usually under a second): what they
show is already published, and the entity page's cache follows the replica's own data.
"""

from __future__ import annotations

import contextvars
import random

from django.conf import settings

_replica: contextvars.ContextVar[str | None] = contextvars.ContextVar("replica", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def public_reads_begin() -> contextvars.Token | None:
    """Send this request's reads to a replica, if any is configured; the token ends it."""
    aliases = replica_aliases()
    if not aliases:
        return None
    return _replica.set(random.choice(aliases))


def public_reads_end(token: contextvars.Token | None) -> None:
    if token is not None:
        _replica.reset(token)


def current_replica() -> str | None:
    return _replica.get()


class PublicReadRouter:
    """Reads of a public request to its replica; everything else to the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        return _replica.get()

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas hold the primary's data

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == "default"
