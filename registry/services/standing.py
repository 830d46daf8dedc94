"""The standing summary of an entity, kept current by the higher apps."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError

from ..models import EntityStanding
from ..roles import viewer_for
from ._common import _entity

# --- the standing summary (kept current by the higher apps) -----------------------------------
STANDING_FIELDS = ("punishment_listed", "attention_listed", "red_listed", "grade")


@transaction.atomic
def standing_update(*, actor, uscc: str, reason: str = "", **fields: Any) -> EntityStanding:
    """Set an entity's standing summary (docs/architecture.md §3). Called by the services of the
    apps that decide it (discipline lists, ratings grades), which have checked who may act; the
    change is audited here. Unchanged values write nothing."""
    unknown = set(fields) - set(STANDING_FIELDS)
    if unknown:
        raise DomainError(
            _("不能修改这些字段：%(f)s / These fields cannot be changed: %(f)s")
            % {"f": ", ".join(sorted(unknown))}
        )
    if fields.get("grade", "") not in ("", *EntityStanding.Grade.values):
        raise DomainError(
            _("信用等级只能是A、B、C、D或空。/ The grade must be A, B, C, D or empty."),
            code="invalid_grade",
            field="grade",
        )
    entity = _entity(uscc)
    EntityStanding.objects.get_or_create(entity=entity)  # a row to lock (unique: race-safe)
    standing = EntityStanding.objects.select_for_update().get(entity=entity)
    before = {f: getattr(standing, f) for f in STANDING_FIELDS}
    after = {**before, **fields}
    if after == before:
        return standing
    for field, value in fields.items():
        setattr(standing, field, value)
    standing.save(update_fields=[*fields, "updated_at"])
    viewer = viewer_for(actor) if actor is not None else None
    audit_event_record(
        actor=actor,
        action="standing.update",
        target=standing,
        department_code=viewer.department_code if viewer and viewer.is_regulator else "",
        before=before,
        after=after,
        reason=reason,
    )
    return standing


def standing_grades_sql(source_sql: str) -> str:
    """Set-based: the statement giving each entity the grade ``source_sql`` yields (columns
    uscc, grade) where it differs from its current one (ratings' nightly run; docs/architecture.md
    §6 forbids a per-entity loop), returning the entities it changed, so that a caller can run
    it in a WITH clause of its own statement, fed by that statement's RETURNING rows.
    ``updated_at`` is left alone: it tells when the list flags changed, which is what the
    next run of changed entities looks for (a row made here gets ``%(standing_as_at)s``, the
    time the grades' data was read, a parameter the caller passes)."""
    return f"""
        INSERT INTO registry_entitystanding
            (entity_id, punishment_listed, attention_listed, red_listed, grade, updated_at)
        SELECT src.uscc, false, false, false, src.grade, %(standing_as_at)s
        FROM ({source_sql}) AS src (uscc, grade)
        WHERE src.grade IN ('A', 'B', 'C', 'D')
        ORDER BY src.uscc  -- the order the page-version triggers lock rows in (no deadlock)
        ON CONFLICT (entity_id) DO UPDATE SET grade = EXCLUDED.grade
        WHERE registry_entitystanding.grade IS DISTINCT FROM EXCLUDED.grade
        RETURNING entity_id"""


def standing_grades_changed(*, changed: int, action: str) -> None:
    """The job-level audit event of a ``standing_grades_sql`` statement, with the count it
    changed (a grade's history is the ratings themselves). In the caller's transaction."""
    if changed:
        audit_event_record(
            actor=None,
            action=action,
            target_type="registry.entitystanding",
            target_id="*",
            after={"grades_changed": changed},
        )
