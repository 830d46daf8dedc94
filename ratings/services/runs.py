"""Rating runs and their chunks (35/6). The nightly run is set-based: one INSERT ... SELECT per
chunk of 50,000 entities, each chunk one transaction taken by one worker, so a run fans out
over workers, is idempotent per (entity, run) and resumes after a crash (docs/architecture.md §6).
The transaction that finishes a run publishes its notice to subscribers (credit_portal.outbox)."""

from __future__ import annotations

import datetime
import time
from collections.abc import Sequence

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import Conflict, DomainError
from credit_portal.outbox.models import Event
from credit_portal.outbox.services import event_publish
from registry import selectors as registry_selectors
from registry.services import standing_grades_changed, standing_grades_sql

from .. import scoring, selectors
from ..models import Indicator, RatingChunk, RatingRun
from .configuration import platform_admin_required

CHANGED_SPLIT = 4  # a changed run's list goes to at least this many chunks ...
CHANGED_MIN_CHUNK = 2_000  # ... of at least this many entities
# The chunk's aggregate: 5x faster than at the 4 MB default (docs/architecture.md §6).
WORK_MEM = "256MB"


def _chunk_bounds(as_at: datetime.datetime, size: int) -> list[tuple[str, str]]:
    """USCC ranges of ``size`` entities each, from one index-only pass over the keys."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT uscc FROM (
                SELECT uscc, row_number() OVER (ORDER BY uscc) AS n
                FROM registry_marketentity
                WHERE status <> 'deregistered' AND created_at <= %s
            ) numbered WHERE n %% %s = 1 ORDER BY uscc
            """,
            [as_at, size],
        )
        starts = [row[0] for row in cursor.fetchall()]
    if not starts:
        return []
    # The first range is open below and the last open above, so no entity falls outside.
    froms = ["", *starts[1:]]
    tos = [*starts[1:], ""]
    return list(zip(froms, tos, strict=True))


def _changed_since(
    previous: RatingRun | None,
    as_at: datetime.datetime,
    models: Sequence[scoring.Model] = (),
) -> list[str] | None:
    """Entities whose inputs changed after the last run's data point: new or superseded
    records, standing changes, commitments and registrations made or decided since, and
    records that aged out of an indicator's window between the two runs' days (a penalty
    older than a year stops counting with no new row anywhere). None: everything changed
    (never rated, or the models in force are not the ones the last run used)."""
    if previous is None:
        return None
    if models and {m.id for m in models} != set(previous.models_used.values_list("pk", flat=True)):
        return None
    since = previous.as_at
    as_of = timezone.localtime(as_at).date()
    # No day has passed since the last run: nothing can have aged out, and the scan of the
    # record table by day (no index) would find nothing.
    windows = sorted(
        {
            int(ind.max_age_days)
            for m in models
            for ind in m.indicators
            if ind.source == Indicator.Source.RECORDS and ind.max_age_days is not None
        }
        if as_of > previous.as_of
        else ()
    )
    aged = " OR ".join(
        f"({registry_selectors.record_day_sql()} BETWEEN %(prev)s::date - {w} + 1 "
        f"AND %(as_of)s::date - {w})"
        for w in windows
    )
    # Revocations count for nothing; leaving them out lets the scan read the rating index
    # (record_rating_inputs, a third of the table's size) instead of the table.
    aged_sql = (
        "UNION SELECT r.entity_id FROM registry_creditrecord r "
        f"WHERE r.action <> 'revocation' AND ({aged})"
        if aged
        else ""
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT entity_id FROM registry_creditrecord WHERE created_at > %(s)s
            UNION SELECT entity_id FROM registry_entitystanding WHERE updated_at > %(s)s
            UNION SELECT entity_id FROM commitments_commitment
                WHERE made_at > %(s)s OR fulfilment_recorded_at > %(s)s OR breached_at > %(s)s
            UNION SELECT entity_id FROM commitments_voluntarydisclosure WHERE decided_at > %(s)s
            UNION SELECT uscc FROM registry_marketentity WHERE created_at > %(s)s
            {aged_sql}
            """,
            {"s": since, "prev": previous.as_of, "as_of": as_of},
        )
        return sorted(row[0] for row in cursor.fetchall())


def run_start(*, actor=None, kind: str = RatingRun.Kind.FULL) -> tuple[RatingRun, list[int]]:
    """Open a run (all entities, or those whose inputs changed since the last finished run)
    and cut it into chunks; returns the run and the chunk ids to hand to workers. One run at
    a time: a second start while one runs is refused (two beats start nothing twice)."""
    platform_admin_required(actor)
    if kind not in RatingRun.Kind.values:
        raise DomainError(_("评价类型无效。/ Unknown run kind."), code="invalid_kind", field="kind")
    models = scoring.models_in_force()
    if not any(not m.industry for m in models):
        raise DomainError(
            _("尚未发布公共评价模型。/ No public evaluation model is published."),
            code="no_public_model",
        )
    try:
        with transaction.atomic():
            as_at = timezone.now()
            run = RatingRun.objects.create(kind=kind, as_at=as_at, as_of=timezone.localdate())
            run.models_used.set([m.id for m in models])
            size = max(1, selectors.rating_config().chunk_size)
            if kind == RatingRun.Kind.FULL:
                chunks = [
                    RatingChunk(run=run, seq=n, uscc_from=lo, uscc_to=hi)
                    for n, (lo, hi) in enumerate(_chunk_bounds(as_at, size))
                ]
            else:
                previous = RatingRun.objects.filter(status=RatingRun.Status.FINISHED).first()
                changed = _changed_since(previous, as_at, models)
                if changed is None:  # never rated: everything has changed
                    chunks = [
                        RatingChunk(run=run, seq=n, uscc_from=lo, uscc_to=hi)
                        for n, (lo, hi) in enumerate(_chunk_bounds(as_at, size))
                    ]
                else:
                    # Split even a short list, so that the workers share it.
                    size = min(size, max(CHANGED_MIN_CHUNK, -(-len(changed) // CHANGED_SPLIT)))
                    chunks = [
                        RatingChunk(run=run, seq=n, usccs=changed[i : i + size])
                        for n, i in enumerate(range(0, len(changed), size))
                    ]
            RatingChunk.objects.bulk_create(chunks)
            run.chunks_total = len(chunks)
            if not chunks:
                run.status = RatingRun.Status.FINISHED
                run.finished_at = timezone.now()
                run_finished_publish(run)
            run.save(update_fields=["chunks_total", "status", "finished_at"])
            audit_event_record(
                actor=actor,
                action="rating_run.start",
                target=run,
                after={"kind": kind, "chunks": len(chunks), "models": [m.id for m in models]},
            )
    except IntegrityError:
        raise Conflict(
            _("已有评价批次在进行中。/ A rating run is in progress already."),
            code="run_in_progress",
        ) from None
    return run, [c.pk for c in chunks]


def _run_models(run: RatingRun) -> list[scoring.Model]:
    return scoring.in_match_order(scoring.model_of(m) for m in run.models_used.all())


def _chunk_filter(chunk: RatingChunk):
    if chunk.usccs is not None:
        return (lambda col: f"{col} = ANY(%(usccs)s)"), {"usccs": chunk.usccs}
    parts, params = [], {}
    if chunk.uscc_from:
        parts.append("{col} >= %(lo)s")
        params["lo"] = chunk.uscc_from
    if chunk.uscc_to:
        parts.append("{col} < %(hi)s")
        params["hi"] = chunk.uscc_to
    template = " AND ".join(parts) or "true"
    return (lambda col: template.format(col=col)), params


def _chunk_sql(run: RatingRun, entity_filter) -> str:
    """One statement for a chunk: its ratings, and from the rows the insert returns (not read
    back) the grades that changed, onto the standing summary. It selects the counts of both."""
    changes = standing_grades_sql(
        "SELECT entity_id, grade FROM rated WHERE grade <> previous_grade"
    )
    return f"""
        WITH rated AS ({scoring.rating_sql(_run_models(run), run.pk, entity_filter)}
                       RETURNING entity_id, grade, previous_grade),
             changed AS ({changes})
        SELECT (SELECT count(*) FROM rated), (SELECT count(*) FROM changed)
    """


def chunk_rate(chunk_id: int) -> int:
    """Rate one chunk in one transaction: the ratings, the changed grades on the standing
    summary, the chunk marked done and the run's counters. A chunk already done, or being
    rated by another worker (SKIP LOCKED), is left alone, so a task delivered twice or a
    chunk re-queued after a crash rates nobody twice. Returns the entities rated."""
    started = time.monotonic()
    with transaction.atomic():
        chunk = (
            # Lock the chunk only: its run row is shared by the chunks rated alongside.
            RatingChunk.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=chunk_id, done=False)
            .select_related("run")
            .first()
        )
        if chunk is None:
            return 0
        run = chunk.run
        entity_filter, params = _chunk_filter(chunk)
        params.update(run=run.pk, as_at=run.as_at, as_of=run.as_of, standing_as_at=run.as_at)
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cursor.execute("SET LOCAL jit = off")  # compiling costs more than it saves here
            cursor.execute(_chunk_sql(run, entity_filter), params)
            rated, changed = cursor.fetchone()
        standing_grades_changed(changed=changed, action="rating_run.grades")
        chunk.done, chunk.rows = True, rated
        chunk.seconds, chunk.done_at = time.monotonic() - started, timezone.now()
        chunk.save(update_fields=["done", "rows", "seconds", "done_at"])
        # The run row is locked last and briefly: counters add up, and the chunk that
        # completes the run is the one that sees every other chunk counted.
        run = RatingRun.objects.select_for_update().get(pk=run.pk)
        run.chunks_done = F("chunks_done") + 1
        run.rated = F("rated") + rated
        run.grades_changed = F("grades_changed") + changed
        run.save(update_fields=["chunks_done", "rated", "grades_changed"])
        run.refresh_from_db()
        if run.chunks_done >= run.chunks_total and run.status == RatingRun.Status.RUNNING:
            run.status, run.finished_at = RatingRun.Status.FINISHED, timezone.now()
            run.save(update_fields=["status", "finished_at"])
            run_finished_publish(run)
            audit_event_record(
                actor=None,
                action="rating_run.finish",
                target=run,
                after={"rated": run.rated, "grades_changed": run.grades_changed},
            )
    return rated


def pending_chunks(run_id: int | None = None) -> list[int]:
    """Chunks of running runs not yet done (to hand to workers again after a crash)."""
    qs = RatingChunk.objects.filter(done=False, run__status=RatingRun.Status.RUNNING)
    if run_id is not None:
        qs = qs.filter(run_id=run_id)
    return list(qs.order_by("run", "seq").values_list("pk", flat=True))


# --- telling subscribers that a run finished (through credit_portal.outbox) ------------------
RUN_FINISHED = "rating_run.finished"  # the outbox topic (and the notice's "event")


def run_finished_key(run_id: int) -> str:
    """The idempotency key of a run's notice: one event per run, however often it is told."""
    return f"{RUN_FINISHED}:{run_id}"


def run_finished_publish(run: RatingRun) -> Event:
    """Publish the notice of a finished run in the caller's transaction (the one that
    finishes the run), so that it is never lost nor written for a run that rolled back; the
    outbox fans it out to the active subscribers of the topic and relays it. Once per run.
    The notice says which run finished, with its counts, and where to read its grade changes
    (with the subscriber's API token): no rating or other non-public data is pushed."""
    return event_publish(
        kind=RUN_FINISHED,
        payload={
            "run": {
                "id": run.pk,
                "kind": run.kind,
                "as_of": run.as_of.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "rated": run.rated,
                "grades_changed": run.grades_changed,
            },
            "changes_url": reverse("ratings-api:rating-run-changes", args=[run.pk]),
            "export_url": reverse("ratings-api:rating-run-export", args=[run.pk]),
        },
        idempotency_key=run_finished_key(run.pk),
    )
