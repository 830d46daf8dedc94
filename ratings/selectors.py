"""Reads of the ratings app with rules: an entity's rating and its explanation, who sees the
grade, a run's progress, the grade distribution and the grade changes for subscribers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from credit_portal.audit.services import access_log_record
from registry.models import MarketEntity
from registry.roles import Role, Viewer

from . import scoring, spotcheck
from .models import (
    EvaluationModel,
    Rating,
    RatingConfig,
    RatingRun,
    SpotCheck,
    SpotCheckPlan,
    SupervisionTier,
)


def rating_config() -> RatingConfig:
    return RatingConfig.objects.order_by("-pk").first() or RatingConfig()


def _of_entity(entity: MarketEntity) -> QuerySet[Rating]:
    """An entity's ratings, newest first. Ratings have no index by entity (it cost every
    chunk of a run about a sixth more, bench/README): the runs are few (one a night and the
    changed runs), so the (run, entity) key is probed once per run."""
    run_ids = list(RatingRun.objects.order_by("-id").values_list("pk", flat=True))
    return (
        Rating.objects.filter(run_id__in=run_ids, entity=entity)
        .select_related("model", "run")
        .order_by("-run_id")
    )


def latest_rating(entity: MarketEntity) -> Rating | None:
    """The entity's rating in the newest run that rated it."""
    return _of_entity(entity).first()


def may_see_rating(viewer: Viewer, entity: MarketEntity) -> bool:
    """The explanation goes to the entity itself and to regulators (35/6); the public sees
    the grade only where configuration says so (``grade_is_public``)."""
    if viewer.role == Role.PLATFORM_ADMIN or viewer.is_regulator:
        return True
    return viewer.role == Role.ENTITY_USER and viewer.entity_uscc == entity.uscc


def rating_read(viewer: Viewer, entity: MarketEntity, *, purpose: str = "") -> Rating | None:
    """The entity's latest rating for a viewer who may see it, the read logged (a rating's
    explanation is not public; the entity reading its own is not logged)."""
    rating = latest_rating(entity)
    if rating is not None and not (
        viewer.role == Role.ENTITY_USER and viewer.entity_uscc == entity.uscc
    ):
        access_log_record(
            actor=viewer.user,
            uscc=entity.uscc,
            department_code=viewer.department_code,
            purpose=purpose,
            what=f"rating (run {rating.run_id})",
        )
    return rating


def grade_is_public() -> bool:
    return rating_config().public_grades


# Whether grades are public, and the newest finished run: part of a public page's cache key.
# Two columns for the page's own version query (disclosure.selectors.entity_page_version), so
# a cached page costs that one query and no cache read for the grades; both lookups read a
# handful of rows (a configuration row; runs newest first by primary key).
GRADE_VERSION_SQL = """
    (SELECT public_grades FROM ratings_ratingconfig ORDER BY id DESC LIMIT 1),
    (SELECT id FROM ratings_ratingrun WHERE status = 'finished' ORDER BY id DESC LIMIT 1)"""


def public_grade(entity: MarketEntity, *, public: bool) -> Rating | None:
    """The entity's latest grade for the public page, where configuration publishes grades."""
    return latest_rating(entity) if public else None


def explain(rating: Rating) -> scoring.Explanation:
    """Points per indicator, score and grade, recomputed from the stored inputs and model."""
    return scoring.explain(scoring.model_of(rating.model), rating.inputs)


@dataclass(frozen=True)
class Progress:
    run: RatingRun
    percent: int
    eta: datetime.timedelta | None


def run_progress(run: RatingRun) -> Progress:
    """How far a run is, and when it should end at the pace so far."""
    total = max(run.chunks_total, 1)
    percent = 100 if run.status == RatingRun.Status.FINISHED else run.chunks_done * 100 // total
    eta = None
    if run.status == RatingRun.Status.RUNNING and run.chunks_done:
        elapsed = timezone.now() - run.created_at
        eta = elapsed * (run.chunks_total - run.chunks_done) / run.chunks_done
    return Progress(run=run, percent=percent, eta=eta)


def runs() -> QuerySet[RatingRun]:
    return RatingRun.objects.order_by("-id")


def latest_finished_run() -> RatingRun | None:
    return RatingRun.objects.filter(status=RatingRun.Status.FINISHED, kind="full").first()


def grade_distribution(by: str) -> list[tuple[str, dict[str, int]]]:
    """Entities per current grade, by province (the region's first two digits) or industry
    section (its first character), from the standing summary the runs keep current."""
    key = {"region": "left(e.region, 2)", "industry": "left(e.industry, 1)"}[by]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT {key} AS k, s.grade, count(*)
            FROM registry_entitystanding s JOIN registry_marketentity e ON e.uscc = s.entity_id
            WHERE s.grade <> ''
            GROUP BY 1, 2 ORDER BY 1, 2
            """
        )
        rows = cursor.fetchall()
    table: dict[str, dict[str, int]] = {}
    for k, grade, n in rows:
        table.setdefault(k or "", {g: 0 for g in "ABCD"})[grade] = n
    return sorted(table.items())


def grade_changes(run: RatingRun) -> QuerySet[Rating]:
    """The entities whose grade the run changed (for subscribers: departments, banks,
    associations), in USCC order."""
    return (
        Rating.objects.filter(run=run)
        .exclude(grade=F("previous_grade"))
        .only("entity_id", "grade", "previous_grade", "score", "run_id")
        .order_by("entity_id")
    )


def change_summary(run: RatingRun) -> list[tuple[str, str, int]]:
    """How many entities moved from each grade to each other in a run (blank: first rated)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT previous_grade, grade, count(*) FROM ratings_rating
            WHERE run_id = %s AND grade <> previous_grade GROUP BY 1, 2 ORDER BY 1, 2
            """,
            [run.pk],
        )
        return cursor.fetchall()


def entity_ratings(entity: MarketEntity) -> QuerySet[Rating]:
    """An entity's ratings, newest first."""
    return _of_entity(entity)


def published_models() -> QuerySet[EvaluationModel]:
    return (
        EvaluationModel.objects.filter(published_at__isnull=False)
        .prefetch_related("indicators")
        .order_by("code", "-version")
    )


def tiers() -> QuerySet[SupervisionTier]:
    return SupervisionTier.objects.order_by("grade")


def grade_changes_export(viewer: Viewer, run: RatingRun):
    """Every grade change of a run as rows, streamed; the export is logged as one read."""
    access_log_record(
        actor=viewer.user,
        uscc="*",
        department_code=viewer.department_code,
        purpose="export",
        what=f"grade changes (run {run.pk})",
    )
    return (
        grade_changes(run)
        .values_list("entity_id", "previous_grade", "grade", "score", "run_id")
        .iterator(chunk_size=5000)
    )


def draw_replay(plan) -> list:
    """The plan's draw computed again from its stored seed and inputs (an audit: it must
    equal what was drawn)."""
    if not plan.seed or plan.draw_inputs is None:
        return []
    return spotcheck.draw_from_inputs(plan.draw_inputs, plan.seed)


def draw_replay_matches(plan, checks: list[SpotCheck]) -> bool:
    """Whether replaying the plan's stored seed and inputs gives exactly the stored checks
    (never true for a plan not drawn yet)."""
    replay = sorted((d.uscc, d.tier, d.inspectors) for d in draw_replay(plan))
    stored = sorted(
        (c.entity_id, c.tier, tuple(sorted(u.pk for u in c.inspectors.all()))) for c in checks
    )
    return bool(plan.seed) and replay == stored


def plans_visible(viewer: Viewer) -> QuerySet[SpotCheckPlan]:
    """A department's own plans (the platform: all)."""
    qs = SpotCheckPlan.objects.select_related("department").prefetch_related("inspectors")
    if viewer.role == Role.PLATFORM_ADMIN:
        return qs.order_by("-id")
    if not viewer.is_regulator:
        return qs.none()
    return qs.filter(department=viewer.department).order_by("-id")


def plan_checks(plan: SpotCheckPlan) -> QuerySet[SpotCheck]:
    return SpotCheck.objects.filter(plan=plan).prefetch_related("inspectors").order_by("entity")


def checks_visible(viewer: Viewer) -> QuerySet[SpotCheck]:
    """Checks the viewer was drawn for, and those of its department's plans."""
    qs = SpotCheck.objects.prefetch_related("inspectors").order_by("-plan_id", "entity_id")
    if viewer.role == Role.PLATFORM_ADMIN:
        return qs
    if not viewer.is_regulator:
        return qs.none()
    return qs.filter(Q(inspectors=viewer.user) | Q(plan__department=viewer.department)).distinct()
