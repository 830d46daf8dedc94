"""Public credit comprehensive evaluation (35/6) and graded supervision (35/7): versioned
evaluation models with their indicators, rating runs split into chunks, the ratings, and the
supervision tiers that map a grade to a spot-check ratio."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import CatalogueItem, MarketEntity, Severity

GRADES = ("A", "B", "C", "D")


# --- evaluation models ------------------------------------------------------------------------
class EvaluationModel(models.Model):
    """One version of an evaluation model. The public model (no industry code) rates every
    entity; an industry model refines it for entities whose GB/T 4754 industry code starts
    with its code (the longest match wins). A published version never changes: editing makes
    the next version, and every rating keeps the version it was computed with."""

    code = models.CharField(_("模型编码 / code"), max_length=30)
    version = models.PositiveIntegerField(_("版本 / version"))
    name = models.CharField(_("名称 / name"), max_length=200)
    industry = models.CharField(
        _("适用行业代码（空：公共模型）/ industry code (blank: the public model)"),
        max_length=5,
        blank=True,
    )
    base_score = models.DecimalField(_("基础分 / base score"), max_digits=7, decimal_places=2)
    cap = models.DecimalField(_("最高分 / cap"), max_digits=7, decimal_places=2)
    band_a = models.DecimalField(_("A级最低分 / lowest A"), max_digits=7, decimal_places=2)
    band_b = models.DecimalField(_("B级最低分 / lowest B"), max_digits=7, decimal_places=2)
    band_c = models.DecimalField(_("C级最低分 / lowest C"), max_digits=7, decimal_places=2)
    published_at = models.DateTimeField(_("发布时间 / published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("评价模型 / evaluation model")
        verbose_name_plural = _("评价模型 / evaluation models")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="evaluation_model_version"),
            models.CheckConstraint(
                condition=Q(cap__gte=models.F("band_a"))
                & Q(band_a__gt=models.F("band_b"))
                & Q(band_b__gt=models.F("band_c"))
                & Q(band_c__gt=0),
                name="evaluation_model_bands",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Indicator(models.Model):
    """One indicator of a model version: what it counts and how many points each counts for
    (negative weights lower the score), with an optional cap on its total effect."""

    class Source(models.TextChoices):
        RECORDS = "records", _("信用记录 / credit records")
        STANDING = "standing", _("名单状态 / list standing")
        COMMITMENTS = "commitments", _("信用承诺履行 / commitment fulfilment")
        DISCLOSURES = "disclosures", _("自愿注册信息（已核实）/ verified voluntary information")

    class Flag(models.TextChoices):
        PUNISHMENT = "punishment_listed", _("失信联合惩戒对象名单 / joint-punishment list")
        ATTENTION = "attention_listed", _("重点关注名单 / key-attention list")
        RED = "red_listed", _("红名单 / red list")
        FULFILLED = "fulfilled", _("全部履行 / fulfilled")
        PARTIAL = "partial", _("部分履行 / partly kept")
        BREACHED = "breached", _("未履行 / breached")
        VERIFIED = "verified", _("已核实 / verified")

    model = models.ForeignKey(EvaluationModel, on_delete=models.PROTECT, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("序号 / position"))
    code = models.CharField(_("指标编码 / code"), max_length=30)
    name = models.CharField(_("名称 / name"), max_length=200)
    source = models.CharField(_("来源 / source"), max_length=12, choices=Source.choices)
    # Records: which ones count (empty: any), and for how long.
    catalogue_kinds = ArrayField(
        models.CharField(max_length=20, choices=CatalogueItem.Kind.choices),
        default=list,
        blank=True,
        verbose_name=_("目录类别 / catalogue kinds"),
    )
    polarity = models.CharField(
        _("性质 / polarity"), max_length=10, choices=CatalogueItem.Polarity.choices, blank=True
    )
    severities = ArrayField(
        models.CharField(max_length=10, choices=Severity.choices),
        default=list,
        blank=True,
        verbose_name=_("严重程度 / severities"),
    )
    max_age_days = models.PositiveIntegerField(
        _("计入期限（天，空：不限）/ counted for (days; blank: always)"), null=True, blank=True
    )
    # Standing, commitments, disclosures: which flag or status counts.
    flag = models.CharField(_("状态 / flag"), max_length=20, choices=Flag.choices, blank=True)
    weight = models.DecimalField(_("每项分值 / points each"), max_digits=7, decimal_places=2)
    max_effect = models.DecimalField(
        _("影响上限（分，空：不限）/ largest effect (points; blank: none)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["model", "position"]
        verbose_name = _("评价指标 / indicator")
        verbose_name_plural = _("评价指标 / indicators")
        constraints = [
            models.UniqueConstraint(fields=["model", "code"], name="indicator_code_once"),
            models.UniqueConstraint(fields=["model", "position"], name="indicator_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# --- runs, chunks and ratings -----------------------------------------------------------------
class RatingRun(models.Model):
    """One re-rating: of every entity (nightly) or of those whose inputs changed (on demand).
    It rates what the register held at ``as_at``, with the model versions published then, in
    chunks that workers take one at a time."""

    class Kind(models.TextChoices):
        FULL = "full", _("全量 / all entities")
        CHANGED = "changed", _("增量 / entities whose inputs changed")

    class Status(models.TextChoices):
        RUNNING = "running", _("进行中 / running")
        FINISHED = "finished", _("已完成 / finished")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    as_at = models.DateTimeField(_("数据截止时间 / data as at"))
    as_of = models.DateField(_("评价基准日 / as of"))
    models_used = models.ManyToManyField(EvaluationModel, related_name="+")
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    grades_changed = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("评价批次 / rating run")
        verbose_name_plural = _("评价批次 / rating runs")
        constraints = [
            # One run at a time: a second nightly start while one runs is refused.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="running"), name="one_rating_run_running"
            )
        ]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.kind}, {self.status})"


class RatingChunk(models.Model):
    """A slice of a run: the entities with USCC in [``uscc_from``, ``uscc_to``) (a blank end is
    open), or, for a run of changed entities, those listed. Rated in one transaction."""

    run = models.ForeignKey(RatingRun, on_delete=models.CASCADE, related_name="chunks")
    seq = models.PositiveIntegerField()
    uscc_from = models.CharField(max_length=18, blank=True)
    uscc_to = models.CharField(max_length=18, blank=True)
    usccs = ArrayField(models.CharField(max_length=18), null=True, blank=True)
    done = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "seq"]
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="rating_chunk_seq")]

    def __str__(self) -> str:
        return f"run {self.run_id} chunk {self.seq}"


class Rating(models.Model):
    """An entity's rating in one run: the counts each indicator found (``inputs``, in the
    model's indicator order), the score and grade they give under ``model``. The explanation
    (points per indicator) is the inputs times the model's weights, so it and the score can be
    recomputed from this row alone."""

    # Written a million at a time, so kept lean (bench/README): its one index is the primary
    # key (run, entity), which finds a run's rows, keeps an entity to once a run and, probed
    # once per run, an entity's history; no id column (its sequence and index), no index by
    # entity and no foreign-key triggers (each would check every row at commit). The one
    # statement that writes ratings takes all three ids from the rows it joins, and none of
    # those rows is ever deleted.
    pk = models.CompositePrimaryKey("run", "entity")
    run = models.ForeignKey(
        RatingRun, on_delete=models.DO_NOTHING, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    entity = models.ForeignKey(
        MarketEntity, on_delete=models.DO_NOTHING, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    model = models.ForeignKey(
        EvaluationModel, on_delete=models.DO_NOTHING, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    inputs = ArrayField(models.IntegerField())
    score = models.DecimalField(max_digits=7, decimal_places=2)
    grade = models.CharField(max_length=1)
    previous_grade = models.CharField(max_length=1, blank=True)

    class Meta:
        verbose_name = _("信用评价结果 / rating")
        verbose_name_plural = _("信用评价结果 / ratings")

    def __str__(self) -> str:
        return f"{self.entity_id} {self.grade} ({self.score}, run {self.run_id})"


# --- configuration --------------------------------------------------------------------------
class RatingConfig(models.Model):
    """Whether the public site and API show grades (35/6: evaluation results are used in
    supervision; publishing them is a policy choice). The newest row is in force."""

    public_grades = models.BooleanField(_("向社会公开信用等级 / grades are public"), default=False)
    chunk_size = models.PositiveIntegerField(_("每批主体数 / entities per chunk"), default=50_000)

    class Meta:
        verbose_name = _("信用评价设置 / rating settings")
        verbose_name_plural = _("信用评价设置 / rating settings")

    def __str__(self) -> str:
        return f"public grades: {self.public_grades}, chunk {self.chunk_size}"


class SupervisionTier(models.Model):
    """Graded supervision (35/7): a grade's tier and its spot-check ratio, fewer checks for A,
    most for D. Configuration, one row per grade."""

    grade = models.CharField(_("信用等级 / grade"), max_length=1, unique=True)
    name = models.CharField(_("监管类别 / tier"), max_length=100)
    ratio = models.DecimalField(
        _("抽查比例 / spot-check ratio"),
        max_digits=5,
        decimal_places=4,
        help_text=_("0 至 1，如 0.05 即 5% / between 0 and 1, e.g. 0.05 for 5%"),
    )

    class Meta:
        ordering = ["grade"]
        verbose_name = _("监管类别 / supervision tier")
        verbose_name_plural = _("监管类别 / supervision tiers")
        constraints = [
            models.CheckConstraint(
                condition=Q(ratio__gte=Decimal("0")) & Q(ratio__lte=Decimal("1")),
                name="tier_ratio_0_1",
            ),
            models.CheckConstraint(condition=Q(grade__in=GRADES), name="tier_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.grade}: {self.name} ({self.ratio})"


# --- double-random spot checks (35/7) ---------------------------------------------------------
class SpotCheckPlan(models.Model):
    """A "double random, one public" plan: what is inspected, among which entities, in which
    period, by which pool of inspectors. The draw stores its seed and inputs for replay."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待抽取 / to draw")
        DRAWN = "drawn", _("已抽取 / drawn")

    department = models.ForeignKey(
        "registry.Department", on_delete=models.PROTECT, related_name="spot_check_plans"
    )
    title = models.CharField(_("计划名称 / title"), max_length=200)
    items = models.TextField(_("检查事项 / inspection items"))
    period_start = models.DateField(_("开始日期 / from"))
    period_end = models.DateField(_("结束日期 / to"))
    region_prefix = models.CharField(
        _("区划代码前缀 / region code prefix"), max_length=6, blank=True
    )
    industry_prefix = models.CharField(
        _("行业代码前缀 / industry prefix"), max_length=5, blank=True
    )
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    per_check = models.PositiveSmallIntegerField(
        _("每户检查人员数 / inspectors a check"), default=2
    )
    conflict_days = models.PositiveIntegerField(
        _("回避期（天）/ recent-check exclusion (days)"), default=365
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    seed = models.CharField(max_length=64, blank=True)
    draw_inputs = models.JSONField(null=True, blank=True, editable=False)
    drawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("双随机抽查计划 / spot-check plan")
        verbose_name_plural = _("双随机抽查计划 / spot-check plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SpotCheck(models.Model):
    """One drawn target of a plan, the tier it was drawn in, and the result the inspectors
    record, published as an inspection decision."""

    class Result(models.TextChoices):
        NO_PROBLEM = "no_problem", _("未发现问题 / no problem found")
        PROBLEMS = "problems", _("发现问题 / problems found")
        NOT_LOCATED = "not_located", _("通过登记的住所无法联系 / not found at its address")

    plan = models.ForeignKey(SpotCheckPlan, on_delete=models.PROTECT, related_name="checks")
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+")
    tier = models.CharField(max_length=1)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="spot_checks")
    result = models.CharField(max_length=12, choices=Result.choices, blank=True)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(
        "registry.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "entity"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "entity"], name="spot_check_once_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.entity_id}"
