"""The service: ``decision_import`` reads, stages, checks and inserts a file in one transaction."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import closing
from typing import IO

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record

from ..models import ImportBatch
from ..roles import Viewer
from ..services import decisions_lock, publicity_config, regulator_required
from .checks import (
    CHECK_SQL,
    CREATE_STAGE,
    INSERT_SQL,
    REPEATS_SQL,
    _any_check,
    _check_params,
    _compute_dues,
    _stage_sql,
)
from .file_format import READ_CHUNK, ImportError_
from .reading import _copy_chunks, _CopySource, _csv_rows, _format_of, _scan, _Staged, _xlsx_rows
from .report import _error_rows

logger = logging.getLogger(__name__)


# --- the service --------------------------------------------------------------------------------
@transaction.atomic
def decision_import(*, actor, file: IO[bytes], filename: str) -> ImportBatch:
    """Import a department's decisions from a CSV or .xlsx file (35/15), by the rules of
    ``services.decision_record``: valid rows are stored, every bad row is reported, a decision
    already recorded is a duplicate (not stored again), and nothing is half-written."""
    viewer: Viewer = regulator_required(actor)
    department = viewer.department
    filename = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:255] or "upload"
    scan = _scan(file)
    if scan.size == 0:
        raise ImportError_(_("文件是空的。/ The file is empty."), code="import_empty")
    kind = _format_of(filename, scan.head)
    rows = _xlsx_rows(file) if kind == "xlsx" else _csv_rows(file, scan.utf8)
    today = timezone.localdate()
    staged = _Staged()
    phases = _Phases()
    with closing(rows), connection.cursor() as cursor:
        # The job's own memory for sorts and hashes (docs/architecture.md §6: work_mem).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(CREATE_STAGE)
        chunks = _copy_chunks(rows, staged)
        first = next(chunks, None)  # reads the header: its errors come before any COPY
        if staged.error is not None:
            raise staged.error
        source = _CopySource(_chain(first, chunks))
        cursor.copy_expert(_stage_sql(staged.keys), source, READ_CHUNK)
        if staged.error is not None:
            raise staged.error
        cursor.execute("ANALYZE import_stage")
        phases.done("read and copy")
        params = _check_params(today)
        cursor.execute(REPEATS_SQL, params)
        cursor.execute(CHECK_SQL.replace("ANY_CHECK", _any_check()), params)
        cursor.execute("ANALYZE import_checked")
        cursor.execute("SELECT count(*) FILTER (WHERE ok) FROM import_checked")
        valid = cursor.fetchone()[0]
        phases.done("check")
        rejected, report = _error_rows(cursor, today, staged.names or {})
        phases.done("error report")
        _compute_dues(cursor, publicity_config().publish_within)
        phases.done("due dates")
        # From here to the commit the department records nothing else, so the anti-join in
        # INSERT_SQL is exact and two imports of one file cannot deadlock; the lock is taken
        # this late so that reading and checking a large file does not hold up the workbench.
        decisions_lock(department)
        # INSERT_SQL's anti-join reads the table it inserts into. Planned while that table is
        # (nearly) empty, a nested loop over a sequential scan would rescan it for every row,
        # rows just inserted included (quadratic; see services.publicity_flag_overdue). Without
        # sequential scans the decisions are probed through their unique index, however many
        # other departments' decisions the table holds.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            INSERT_SQL,
            {
                "department": department.pk,
                "user": actor.pk if getattr(actor, "pk", None) else None,
            },
        )
        stored = cursor.rowcount
        cursor.execute("RESET enable_seqscan")
        cursor.execute("DROP TABLE import_stage, import_repeats, import_checked, import_dues")
        phases.done("insert")
    batch = ImportBatch.objects.create(
        department=department,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        filename=filename,
        file_sha256=scan.sha256,
        rows_total=staged.rows,
        rows_stored=stored,
        rows_duplicate=valid - stored,
        rows_rejected=rejected,
        error_report=report if rejected else "",
    )
    audit_event_record(
        actor=actor,
        action="decision.import",
        target=batch,
        department_code=viewer.department_code,
        after={
            "filename": filename,
            "sha256": scan.sha256,
            "rows": staged.rows,
            "stored": stored,
            "duplicate": valid - stored,
            "rejected": rejected,
        },
    )
    logger.debug("decision_import %s: %s", batch.pk, phases)
    return batch


class _Phases:
    """Seconds per phase (logged at DEBUG; the benchmark prints them). Commit comes after."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = now - self._last
        self._last = now

    def __str__(self) -> str:
        return ", ".join(f"{name} {s:.2f} s" for name, s in self.seconds.items())


def _chain(first: str | None, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest
