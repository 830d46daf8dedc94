"""Writes of the ratings app: evaluation models (versioned), rating runs and their chunks
(35/6). The nightly run is set-based: one INSERT ... SELECT per chunk of 50,000 entities, each
chunk one transaction taken by one worker, so a run fans out over workers, is idempotent per
(entity, run) and resumes after a crash (ARCHITECTURE 6)."""

from __future__ import annotations

import datetime
import secrets
import time
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import Conflict, DomainError, NotFound, PermissionDenied
from credit_portal.outbox.models import Event
from credit_portal.outbox.services import event_publish
from registry import selectors as registry_selectors
from registry.models import CatalogueItem, DepartmentMembership, Severity
from registry.roles import Role, viewer_for
from registry.services import (
    decision_publish,
    decision_record,
    regulator_required,
    standing_grades_changed,
    standing_grades_sql,
)

from . import defaults, scoring, selectors, spotcheck
from .models import (
    GRADES,
    EvaluationModel,
    Indicator,
    RatingChunk,
    RatingConfig,
    RatingRun,
    SpotCheck,
    SpotCheckPlan,
    SupervisionTier,
)
from .selectors import GRADE_VERSION_KEY

CHANGED_SPLIT = 4  # a changed run's list goes to at least this many chunks ...
CHANGED_MIN_CHUNK = 2_000  # ... of at least this many entities
WORK_MEM = "256MB"  # the chunk's aggregate: 5x faster than at the 4 MB default (ARCHITECTURE 6)


@transaction.atomic
def rating_config_set(*, actor, public_grades: bool, chunk_size: Any) -> RatingConfig:
    """Change the settings (platform administrators): whether grades are public, and how many
    entities a chunk of a run holds."""
    platform_admin_required(actor)
    try:
        size = int(chunk_size)
    except (TypeError, ValueError):
        size = 0
    if not 1_000 <= size <= 1_000_000:
        raise DomainError(
            _("每批主体数须在 1,000 至 1,000,000 之间。/ Between 1,000 and 1,000,000."),
            code="invalid_chunk_size",
            field="chunk_size",
        )
    config = RatingConfig.objects.create(public_grades=bool(public_grades), chunk_size=size)
    transaction.on_commit(_grades_changed)
    audit_event_record(
        actor=actor,
        action="rating_config.set",
        target=config,
        after={"public_grades": config.public_grades, "chunk_size": size},
    )
    return config


def _grades_changed() -> None:
    """Public pages are cached under the published-grades version: let them see the change."""
    cache.delete(GRADE_VERSION_KEY)


def platform_admin_required(actor) -> None:
    if actor is not None and viewer_for(actor).role != Role.PLATFORM_ADMIN:
        raise PermissionDenied(
            _("只有平台管理员可以维护信用评价。/ Only platform administrators may do this.")
        )


# --- evaluation models -----------------------------------------------------------------------
def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(scoring.CENT)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(
            _("“%(field)s”应为数字。/ %(field)s must be a number.") % {"field": field},
            code="invalid_number",
            field=field,
        ) from None
    if abs(number) >= Decimal("100000"):
        raise DomainError(
            _("“%(field)s”超出范围。/ %(field)s is out of range.") % {"field": field},
            code="invalid_number",
            field=field,
        )
    return number


def _clean_indicator(raw: dict, position: int) -> dict:
    code = str(raw.get("code", "")).strip()
    name = str(raw.get("name", "")).strip()
    if not code or not name:
        raise DomainError(
            _("第%(n)d个指标缺少编码或名称。/ Indicator %(n)d needs a code and a name.")
            % {"n": position},
            code="indicator_invalid",
            field="indicators",
        )
    source = raw.get("source", "")
    if source not in Indicator.Source.values:
        raise DomainError(
            _("指标“%(code)s”的来源无效。/ Indicator “%(code)s” has an unknown source.")
            % {"code": code},
            code="indicator_invalid",
            field="indicators",
        )
    kinds = list(raw.get("catalogue_kinds") or [])
    severities = list(raw.get("severities") or [])
    polarity = raw.get("polarity") or ""
    flag = raw.get("flag") or ""
    allowed_flags = {
        Indicator.Source.RECORDS: ("",),
        Indicator.Source.STANDING: scoring.STANDING_FLAGS,
        Indicator.Source.COMMITMENTS: scoring.COMMITMENT_FLAGS,
        Indicator.Source.DISCLOSURES: ("verified",),
    }[source]
    bad = (
        not set(kinds) <= set(CatalogueItem.Kind.values)
        or not set(severities) <= set(Severity.values)
        or polarity not in ("", *CatalogueItem.Polarity.values)
        or flag not in allowed_flags
        or (source != Indicator.Source.RECORDS and (kinds or severities or polarity))
    )
    if source == Indicator.Source.DISCLOSURES:
        flag = "verified"
    elif source != Indicator.Source.RECORDS and not flag:
        bad = True
    if bad:
        raise DomainError(
            _("指标“%(code)s”的条件无效。/ Indicator “%(code)s” has invalid conditions.")
            % {"code": code},
            code="indicator_invalid",
            field="indicators",
        )
    max_age = raw.get("max_age_days")
    if max_age in ("", None):
        max_age = None
    else:
        try:
            max_age = int(max_age)
        except (TypeError, ValueError):
            max_age = -1
        if not 1 <= max_age <= 36500:
            raise DomainError(
                _("指标“%(code)s”的计入期限无效。/ Indicator “%(code)s”: invalid period.")
                % {"code": code},
                code="indicator_invalid",
                field="indicators",
            )
    max_effect = raw.get("max_effect")
    max_effect = None if max_effect in ("", None) else _decimal(max_effect, "max_effect")
    if max_effect is not None and max_effect <= 0:
        raise DomainError(
            _("影响上限须为正数。/ The largest effect must be positive."),
            code="indicator_invalid",
            field="indicators",
        )
    return {
        "position": position,
        "code": code,
        "name": name,
        "source": source,
        "catalogue_kinds": kinds,
        "polarity": polarity,
        "severities": severities,
        "max_age_days": max_age,
        "flag": flag,
        "weight": _decimal(raw.get("weight"), "weight"),
        "max_effect": max_effect,
    }


@transaction.atomic
def model_create(
    *,
    actor,
    code: str,
    name: str,
    base_score: Any,
    cap: Any,
    band_a: Any,
    band_b: Any,
    band_c: Any,
    indicators: Iterable[dict],
    industry: str = "",
) -> EvaluationModel:
    """Write the next version of model ``code`` (a draft until ``model_publish``). Editing a
    model is writing its next version: the published ones never change."""
    platform_admin_required(actor)
    code, name, industry = (code or "").strip(), (name or "").strip(), (industry or "").strip()
    if not code or not name:
        raise DomainError(_("请填写模型编码和名称。/ Enter the code and the name."), field="code")
    if industry and not (industry.isascii() and industry.isalnum()):
        raise DomainError(
            _("行业代码为GB/T 4754门类字母或数字代码。/ The industry is a GB/T 4754 code."),
            code="invalid_industry",
            field="industry",
        )
    numbers = {
        key: _decimal(value, key)
        for key, value in (
            ("base_score", base_score),
            ("cap", cap),
            ("band_a", band_a),
            ("band_b", band_b),
            ("band_c", band_c),
        )
    }
    if not (numbers["cap"] >= numbers["band_a"] > numbers["band_b"] > numbers["band_c"] > 0):
        raise DomainError(
            _("分档须满足 最高分 ≥ A > B > C > 0。/ Bands must satisfy cap ≥ A > B > C > 0."),
            code="invalid_bands",
            field="band_a",
        )
    if not 0 <= numbers["base_score"] <= numbers["cap"]:
        raise DomainError(
            _("基础分须在 0 与最高分之间。/ The base score lies between 0 and the cap."),
            code="invalid_base",
            field="base_score",
        )
    rows = [_clean_indicator(raw, n) for n, raw in enumerate(indicators, start=1)]
    if not rows:
        raise DomainError(
            _("模型至少要有一个指标。/ A model has at least one indicator."),
            code="indicators_required",
            field="indicators",
        )
    if len({r["code"] for r in rows}) != len(rows):
        raise DomainError(
            _("指标编码重复。/ Indicator codes repeat."),
            code="indicator_invalid",
            field="indicators",
        )
    with connection.cursor() as cursor:  # versions of one code are numbered one by one
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"ratings.model:{code}"]
        )
    previous = EvaluationModel.objects.filter(code=code).order_by("-version").first()
    if previous is not None and previous.industry != industry:
        raise DomainError(
            _("同一模型的行业不能改变。/ A model's industry cannot change."),
            code="industry_changed",
            field="industry",
        )
    model = EvaluationModel.objects.create(
        code=code,
        version=(previous.version if previous else 0) + 1,
        name=name,
        industry=industry,
        **numbers,
    )
    Indicator.objects.bulk_create(Indicator(model=model, **row) for row in rows)
    audit_event_record(
        actor=actor,
        action="evaluation_model.create",
        target=model,
        after={"code": code, "version": model.version, "indicators": len(rows)},
    )
    return model


@transaction.atomic
def model_publish(*, actor, model_id: int) -> EvaluationModel:
    """Publish a version: the next run rates with it; it never changes again."""
    platform_admin_required(actor)
    try:
        model = EvaluationModel.objects.select_for_update().get(pk=int(model_id))
    except (EvaluationModel.DoesNotExist, TypeError, ValueError):
        raise NotFound(
            _("评价模型不存在。/ No such evaluation model."), code="model_not_found"
        ) from None
    if model.published_at is not None:
        return model
    if not model.industry and model.code != "public":
        raise DomainError(
            _("公共模型的编码为 public。/ The public model's code is “public”."),
            code="public_model_code",
        )
    newer = EvaluationModel.objects.filter(
        code=model.code, version__gt=model.version, published_at__isnull=False
    ).exists()
    if newer:
        raise DomainError(
            _("已发布更新的版本。/ A newer version is published already."),
            code="model_outdated",
        )
    model.published_at = timezone.now()
    model.save(update_fields=["published_at"])
    audit_event_record(actor=actor, action="evaluation_model.publish", target=model)
    return model


def model_revise(*, actor, model_id: int, **changes: Any) -> EvaluationModel:
    """The next version of a model, from an existing one with ``changes`` (any of
    ``model_create``'s arguments) applied."""
    try:
        source = EvaluationModel.objects.get(pk=int(model_id))
    except (EvaluationModel.DoesNotExist, TypeError, ValueError):
        raise NotFound(
            _("评价模型不存在。/ No such evaluation model."), code="model_not_found"
        ) from None
    current = {
        "code": source.code,
        "name": source.name,
        "industry": source.industry,
        "base_score": source.base_score,
        "cap": source.cap,
        "band_a": source.band_a,
        "band_b": source.band_b,
        "band_c": source.band_c,
        "indicators": list(
            source.indicators.order_by("position").values(
                "code",
                "name",
                "source",
                "catalogue_kinds",
                "polarity",
                "severities",
                "max_age_days",
                "flag",
                "weight",
                "max_effect",
            )
        ),
    }
    return model_create(actor=actor, **{**current, **changes})


# --- runs -------------------------------------------------------------------------------------
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
            transaction.on_commit(_grades_changed)
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


# --- configuration ----------------------------------------------------------------------------
DEFAULT_TIERS = defaults.TIERS


@transaction.atomic
def tier_set(*, actor, grade: str, ratio: Any, name: str = "") -> SupervisionTier:
    """Set a grade's spot-check ratio (platform administrators); A's may not exceed B's, nor
    B's C's, nor C's D's (fewer checks for good credit, 35/7)."""
    platform_admin_required(actor)
    if grade not in GRADES:
        raise DomainError(_("信用等级无效。/ Unknown grade."), code="invalid_grade", field="grade")
    try:
        value = Decimal(str(ratio)).quantize(Decimal("0.0001"))
    except (InvalidOperation, TypeError, ValueError):
        value = Decimal(-1)
    if not Decimal(0) <= value <= Decimal(1):
        raise DomainError(
            _("抽查比例须在 0 至 1 之间。/ The ratio lies between 0 and 1."),
            code="invalid_ratio",
            field="ratio",
        )
    ratios = tier_ratios()
    ratios[grade] = value
    ordered = [ratios[g] for g in GRADES]
    if ordered != sorted(ordered):
        raise DomainError(
            _(
                "抽查比例须随等级降低而不减（A ≤ B ≤ C ≤ D）。/ Ratios must not fall as grades "
                "fall (A ≤ B ≤ C ≤ D)."
            ),
            code="ratios_out_of_order",
            field="ratio",
        )
    default_name = dict((g, n) for g, n, _r in DEFAULT_TIERS)[grade]
    tier, _created = SupervisionTier.objects.update_or_create(
        grade=grade, defaults={"ratio": value, "name": (name or "").strip() or default_name}
    )
    audit_event_record(
        actor=actor, action="supervision_tier.set", target=tier, after={"ratio": str(value)}
    )
    return tier


def tier_ratios() -> dict[str, Decimal]:
    ratios = {g: r for g, _n, r in DEFAULT_TIERS}
    ratios.update(SupervisionTier.objects.values_list("grade", "ratio"))
    return ratios


# --- double-random spot checks (35/7) ---------------------------------------------------------
@transaction.atomic
def plan_create(
    *,
    actor,
    title: str,
    items: str,
    period_start: datetime.date,
    period_end: datetime.date,
    inspector_ids: Iterable[int],
    region_prefix: str = "",
    industry_prefix: str = "",
    per_check: int = 2,
    conflict_days: int = 365,
) -> SpotCheckPlan:
    """A department's spot-check plan with its pool of inspectors (department staff)."""
    viewer = regulator_required(actor)
    if not (title or "").strip() or not (items or "").strip():
        raise DomainError(
            _("请填写计划名称和检查事项。/ Enter the title and the inspection items."),
            field="title",
        )
    if period_start is None or period_end is None or period_end < period_start:
        raise DomainError(
            _("检查期间无效。/ The period is invalid."), code="invalid_period", field="period_end"
        )
    region_prefix, industry_prefix = (region_prefix or "").strip(), (industry_prefix or "").strip()
    if region_prefix and not (region_prefix.isdigit() and len(region_prefix) <= 6):
        raise DomainError(
            _("区划代码前缀为至多6位数字。/ A region prefix has up to 6 digits."),
            code="invalid_region",
            field="region_prefix",
        )
    if industry_prefix and not (industry_prefix.isascii() and industry_prefix.isalnum()):
        raise DomainError(
            _("行业代码前缀无效。/ The industry prefix is invalid."),
            code="invalid_industry",
            field="industry_prefix",
        )
    if not 1 <= int(per_check) <= 5:
        raise DomainError(
            _("每户检查人员为1至5人。/ One to five inspectors a check."),
            code="invalid_per_check",
            field="per_check",
        )
    ids = sorted({int(i) for i in inspector_ids})
    members = set(
        DepartmentMembership.objects.filter(user_id__in=ids).values_list("user_id", flat=True)
    )
    if not ids or members != set(ids):
        raise DomainError(
            _("检查人员须为部门工作人员。/ Inspectors are department staff."),
            code="invalid_inspectors",
            field="inspectors",
        )
    if len(ids) < int(per_check):
        raise DomainError(
            _("检查人员库人数少于每户检查人员数。/ The pool is smaller than a check's team."),
            code="pool_too_small",
            field="inspectors",
        )
    plan = SpotCheckPlan.objects.create(
        department=viewer.department,
        title=title.strip(),
        items=items.strip(),
        period_start=period_start,
        period_end=period_end,
        region_prefix=region_prefix,
        industry_prefix=industry_prefix,
        per_check=int(per_check),
        conflict_days=int(conflict_days),
    )
    plan.inspectors.set(ids)
    audit_event_record(
        actor=actor,
        action="spot_check_plan.create",
        target=plan,
        department_code=viewer.department_code,
        after={"title": plan.title, "inspectors": len(ids)},
    )
    return plan


def _draw_inputs(plan: SpotCheckPlan, now: datetime.datetime) -> dict:
    """What the draw is computed from, read once and stored with the plan: the population
    by tier (red-listed entities in tier A, ungraded ones in B), the pool with departments,
    recent checks of the pool's inspectors, and the tiers' ratios."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT CASE WHEN st.red_listed THEN 'A'
                        ELSE COALESCE(NULLIF(st.grade, ''), 'B') END AS tier,
                   e.uscc, e.registration_authority_id
            FROM registry_marketentity e
            LEFT JOIN registry_entitystanding st ON st.entity_id = e.uscc
            WHERE e.status = 'active' AND e.region LIKE %(region)s AND e.industry LIKE %(industry)s
            ORDER BY 1, 2
            """,
            {"region": plan.region_prefix + "%", "industry": plan.industry_prefix + "%"},
        )
        population: dict[str, list] = {}
        for tier, uscc, authority in cursor.fetchall():
            population.setdefault(tier, []).append([uscc, authority])
    inspectors = sorted(
        DepartmentMembership.objects.filter(user__in=plan.inspectors.all()).values_list(
            "user_id", "department_id"
        )
    )
    since = now - datetime.timedelta(days=plan.conflict_days)
    recent = sorted(
        SpotCheck.inspectors.through.objects.filter(
            user_id__in=[i for i, _d in inspectors], spotcheck__plan__drawn_at__gte=since
        ).values_list("spotcheck__entity_id", "user_id")
    )
    return {
        "population": population,
        "inspectors": [list(i) for i in inspectors],
        "recent": [list(r) for r in recent],
        "ratios": {g: str(r) for g, r in tier_ratios().items()},
        "per_check": plan.per_check,
    }


@transaction.atomic
def plan_draw(*, actor, plan_id: int) -> SpotCheckPlan:
    """Draw the targets and their inspectors (once): a fresh random seed, stored with the
    inputs, so that anyone can replay the draw (``selectors.draw_replay``)."""
    viewer = regulator_required(actor)
    try:
        plan = SpotCheckPlan.objects.select_for_update().get(pk=int(plan_id))
    except (SpotCheckPlan.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("抽查计划不存在。/ No such plan."), code="plan_not_found") from None
    if plan.department_id != viewer.department.pk:
        raise PermissionDenied(_("该计划属于其他部门。/ Another department's plan."))
    if plan.status != SpotCheckPlan.Status.DRAFT:
        raise Conflict(_("该计划已抽取。/ The plan has been drawn already."), code="plan_drawn")
    now = timezone.now()
    inputs = _draw_inputs(plan, now)
    seed = secrets.token_hex(16)
    drawn = spotcheck.draw_from_inputs(inputs, seed)
    checks = SpotCheck.objects.bulk_create(
        SpotCheck(plan=plan, entity_id=d.uscc, tier=d.tier) for d in drawn
    )
    SpotCheck.inspectors.through.objects.bulk_create(
        SpotCheck.inspectors.through(spotcheck_id=check.pk, user_id=user)
        for check, d in zip(checks, drawn, strict=True)
        for user in d.inspectors
    )
    plan.status, plan.seed, plan.draw_inputs, plan.drawn_at = (
        SpotCheckPlan.Status.DRAWN,
        seed,
        inputs,
        now,
    )
    plan.save(update_fields=["status", "seed", "draw_inputs", "drawn_at"])
    audit_event_record(
        actor=actor,
        action="spot_check_plan.draw",
        target=plan,
        department_code=viewer.department_code,
        after={
            "seed": seed,
            "targets": len(drawn),
            "unassigned": sum(1 for d in drawn if not d.inspectors),
        },
    )
    return plan


RESULT_TITLES = {
    SpotCheck.Result.NO_PROBLEM: "双随机抽查：未发现问题",
    SpotCheck.Result.PROBLEMS: "双随机抽查：发现问题",
    SpotCheck.Result.NOT_LOCATED: "双随机抽查：通过登记的住所无法联系",
}


@transaction.atomic
def check_result_record(*, actor, check_id: int, result: str, note: str = "") -> SpotCheck:
    """An assigned inspector records the result; it becomes an inspection decision of the
    plan's department, published at once (well within the 7 working days, 35/15)."""
    viewer = regulator_required(actor)
    try:
        check = (
            SpotCheck.objects.select_for_update(of=("self",))
            .select_related("plan")
            .get(pk=int(check_id))
        )
    except (SpotCheck.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("抽查任务不存在。/ No such check."), code="check_not_found") from None
    if not check.inspectors.filter(pk=actor.pk).exists():
        raise PermissionDenied(
            _("只有被抽中的检查人员可以录入结果。/ Only the drawn inspectors record the result.")
        )
    if result not in SpotCheck.Result.values:
        raise DomainError(
            _("检查结果无效。/ Unknown result."), code="invalid_result", field="result"
        )
    if check.result:
        raise Conflict(_("检查结果已录入。/ The result is recorded already."), code="result_exists")
    decision = decision_record(
        actor=actor,
        uscc=check.entity_id,
        kind="inspection",
        document_number=f"SC-{check.plan_id}-{check.pk}",
        decision_date=timezone.localdate(),
        title=f"{check.plan.title}：{RESULT_TITLES[result]}",
        content=f"{check.plan.items}\n{note}".strip(),
    )
    decision_publish(actor=actor, decision_id=decision.pk)
    check.result, check.note, check.recorded_at, check.decision = (
        result,
        note.strip(),
        timezone.now(),
        decision,
    )
    check.save(update_fields=["result", "note", "recorded_at", "decision"])
    audit_event_record(
        actor=actor,
        action="spot_check.result",
        target=check,
        department_code=viewer.department_code,
        after={"result": result, "decision": decision.pk},
    )
    return check


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
