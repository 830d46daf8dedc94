"""Objections to what the portal shows or applies, and tip-offs about dishonest conduct
(2019 No. 35, art. 17; 2016 No. 33, arts. 13 and 22; docs/architecture.md §5).

An objection names one item (a credit record, a published decision, a listing, a measure task,
an access ban, a rating, or "other" information the filer cannot point at). Filing marks the
item "异议处理中" and suspends everything that rests on it in the same transaction; each thing
suspended is an ``ObjectionEffect`` so that the outcome can restore or end exactly those. The
filer follows the case with its tracking number and secret code. A tip-off reports conduct of
an entity to the competent department; its reporter is kept encrypted and shown only to the
staff member handling it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credit_portal.uploads import evidence_storage
from registry.models import CreditRecord, Department, MarketEntity
from registry.page_versions import page_version_triggers


class ObjectionConfig(models.Model):
    """The clocks and upload limits; each change adds a row, the newest is in force
    (defaults from docs/architecture.md §5: marked within 1 working day, decided within 5)."""

    mark_days = models.PositiveSmallIntegerField(
        _("标注期限（工作日）/ mark within (working days)"), default=1
    )
    decide_days = models.PositiveSmallIntegerField(
        _("核查决定期限（工作日）/ decide within (working days)"), default=5
    )
    forward_days = models.PositiveSmallIntegerField(
        _("转办期限（工作日）/ forward within (working days)"), default=2
    )
    # SAMR's procedure (Order 2 of 2018 as amended, art. 18) gives 15 working days to decide
    # whether a reported matter is taken up; provinces may set another figure here.
    tipoff_days = models.PositiveSmallIntegerField(
        _("举报处理期限（工作日）/ handle tip-offs within (working days)"), default=15
    )
    upload_max_bytes = models.PositiveIntegerField(
        _("单个附件上限（字节）/ largest file (bytes)"), default=5 * 1024 * 1024
    )
    upload_max_files = models.PositiveSmallIntegerField(_("附件数量上限 / most files"), default=5)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("异议与举报设置 / objection settings")
        verbose_name_plural = _("异议与举报设置 / objection settings")

    def __str__(self) -> str:
        return f"objection settings #{self.pk}"


class Target(models.TextChoices):
    RECORD = "record", _("信用记录 / credit record")
    DECISION = "decision", _("行政决定 / administrative decision")
    LISTING = "listing", _("名单 / listing")
    TASK = "task", _("惩戒措施 / measure applied")
    BAN = "ban", _("禁入决定 / access ban")
    RATING = "rating", _("信用评价 / credit rating")
    OTHER = "other", _("其他信息 / other information")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("异议成立 / upheld")
    PARTLY = "partly", _("部分成立 / partly upheld")
    REJECTED = "rejected", _("异议不成立 / rejected")


class Objection(models.Model):
    """One objection, from filing to its outcome (35/17, 33/22)."""

    class Status(models.TextChoices):
        FORWARDING = "forwarding", _("待转办 / to be forwarded")
        REVIEWING = "reviewing", _("异议处理中 / under review")
        PROPOSED = "proposed", _("处理意见待审核 / outcome proposed")
        DECIDED = "decided", _("已办结 / decided")

    OPEN = (Status.FORWARDING, Status.REVIEWING, Status.PROPOSED)

    tracking_number = models.CharField(_("受理编号 / tracking number"), max_length=20, unique=True)
    code_hash = models.CharField(max_length=64, editable=False)
    entity = models.ForeignKey(
        MarketEntity, on_delete=models.PROTECT, related_name="+", verbose_name=_("主体 / entity")
    )
    target_kind = models.CharField(
        _("异议对象 / item"), max_length=10, choices=Target.choices, default=Target.OTHER
    )
    target_id = models.BigIntegerField(_("对象编号 / item id"), null=True, blank=True)
    target_label = models.CharField(_("对象摘要 / item"), max_length=300, blank=True)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("核查部门 / holder department"),
    )
    status = models.CharField(
        _("状态 / status"), max_length=12, choices=Status.choices, default=Status.REVIEWING
    )
    grounds = models.TextField(_("异议理由 / grounds"))
    # The filer's name and contact are personal information: encrypted at rest and shown
    # to the holder department's staff only (selectors.objection_filer).
    filer_sealed = models.TextField(editable=False)
    filer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("提交时间 / filed"), auto_now_add=True)
    mark_due = models.DateField(_("标注期限 / mark by"))
    marked_at = models.DateTimeField(_("标注时间 / marked"), null=True, blank=True)
    forward_due = models.DateField(_("转办期限 / forward by"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("转办时间 / forwarded"), null=True, blank=True)
    decide_due = models.DateField(_("决定期限 / decide by"), null=True, blank=True)
    proposed_outcome = models.CharField(
        _("拟处理结果 / proposed outcome"), max_length=10, choices=Outcome.choices, blank=True
    )
    proposal = models.JSONField(default=dict, blank=True)  # the correction asked for, if any
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        _("处理结果 / outcome"), max_length=10, choices=Outcome.choices, blank=True
    )
    reasons = models.TextField(_("处理理由 / reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("办结时间 / decided"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("异议 / objection")
        verbose_name_plural = _("异议 / objections")
        indexes = [
            models.Index(
                fields=["department", "decide_due"],
                name="objection_open_queue",
                condition=Q(status__in=["reviewing", "proposed"]),
            ),
            models.Index(fields=["target_kind", "target_id"], name="objection_target"),
            models.Index(fields=["entity", "status"], name="objection_entity"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_kind="other") | Q(target_id__isnull=False),
                name="objection_target_named",
            ),
            models.CheckConstraint(
                condition=Q(status="forwarding") | Q(department__isnull=False),
                name="objection_holder_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | ~Q(outcome=""),
                name="objection_decided_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number


class ObjectionEffect(models.Model):
    """One thing an objection marked or suspended. ``applied`` says whether this objection
    suspended it (False: it was suspended already, by another objection), so that closing
    the objection resumes only what no other open objection still holds."""

    class Kind(models.TextChoices):
        RECORD = "record", _("信用记录（标注）/ record (marked)")
        DECISION = "decision", _("行政决定（标注）/ decision (marked)")
        LISTING = "listing", _("名单（暂停）/ listing (suspended)")
        TASK = "task", _("惩戒措施（暂停）/ measure task (suspended)")
        BAN = "ban", _("禁入（暂停）/ access ban (suspended)")
        RATING = "rating", _("信用评价（标注）/ rating (marked)")

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="effects")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    applied = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end = models.CharField(max_length=10, blank=True)  # resumed / ended

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["objection", "kind", "object_id"], name="objection_effect_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="objection_effect_item")]
        # The entity page marks items under objection ("异议处理中").
        triggers = page_version_triggers(
            "objection_effect",
            "SELECT o.entity_id FROM changed e"
            " JOIN objections_objection o ON o.id = e.objection_id",
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class TipOff(models.Model):
    """A report of dishonest conduct (33/13), routed to the competent department."""

    class Status(models.TextChoices):
        FORWARDING = "forwarding", _("待转办 / to be forwarded")
        OPEN = "open", _("待处理 / open")
        HANDLING = "handling", _("处理中 / being handled")
        CLOSED = "closed", _("已办结 / closed")

    class Outcome(models.TextChoices):
        SUBSTANTIATED = "substantiated", _("举报属实 / substantiated")
        UNSUBSTANTIATED = "unsubstantiated", _("举报不属实 / not substantiated")
        OUT_OF_SCOPE = "out_of_scope", _("不属于本部门职责 / outside the department's remit")

    OPEN = (Status.FORWARDING, Status.OPEN, Status.HANDLING)

    tracking_number = models.CharField(_("受理编号 / tracking number"), max_length=20, unique=True)
    code_hash = models.CharField(max_length=64, editable=False)
    entity = models.ForeignKey(
        MarketEntity,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("被举报主体 / entity"),
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("承办部门 / department"),
    )
    status = models.CharField(
        _("状态 / status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    conduct = models.TextField(_("举报事项 / conduct reported"))
    conduct_date = models.DateField(_("发生日期 / date"), null=True, blank=True)
    # Name, ID and contact of the reporter (33/13): encrypted at rest, readable only by the
    # handler (selectors.tipoff_reporter), never by the entity, other staff, the API or pages.
    reporter_sealed = models.TextField(editable=False)
    anonymous = models.BooleanField(_("匿名举报 / anonymous"), default=False)
    filed_at = models.DateTimeField(_("提交时间 / filed"), auto_now_add=True)
    forward_due = models.DateField(_("转办期限 / forward by"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("转办时间 / forwarded"), null=True, blank=True)
    due = models.DateField(_("办理期限 / due"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("承办人 / handler"),
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        _("处理结果 / outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    reply = models.TextField(_("答复 / reply"), blank=True)
    record = models.ForeignKey(
        CreditRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间 / closed"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("投诉举报 / tip-off")
        verbose_name_plural = _("投诉举报 / tip-offs")
        indexes = [
            models.Index(
                fields=["department", "due"],
                name="tipoff_open_queue",
                condition=Q(status__in=["open", "handling"]),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="forwarding") | Q(department__isnull=False),
                name="tipoff_department_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="handling") | Q(handler__isnull=False),
                name="tipoff_handler_named",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number


class Evidence(models.Model):
    """A file a filer or reporter attached: its type checked by content, stored under
    ``EVIDENCE_ROOT`` (outside the static root) and served only to the case's handlers."""

    objection = models.ForeignKey(
        Objection, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    tipoff = models.ForeignKey(
        TipOff, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(storage=evidence_storage, upload_to="%Y/%m/")
    name = models.CharField(_("文件名 / file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(objection__isnull=False, tipoff__isnull=True)
                | Q(objection__isnull=True, tipoff__isnull=False),
                name="evidence_one_case",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Escalation(models.Model):
    """A clock that ran out, escalated exactly once (the unique constraint) to the
    department's head and the platform administrators."""

    class Clock(models.TextChoices):
        MARK = "mark", _("标注超期 / not marked in time")
        FORWARD = "forward", _("转办超期 / not forwarded in time")
        DECIDE = "decide", _("决定超期 / not decided in time")
        TIPOFF = "tipoff", _("举报办理超期 / tip-off overdue")

    objection = models.ForeignKey(
        Objection, null=True, blank=True, on_delete=models.CASCADE, related_name="escalations"
    )
    tipoff = models.ForeignKey(
        TipOff, null=True, blank=True, on_delete=models.CASCADE, related_name="escalations"
    )
    clock = models.CharField(max_length=10, choices=Clock.choices)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField()
    escalated_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-escalated_at", "-id"]
        verbose_name = _("超期督办 / escalation")
        verbose_name_plural = _("超期督办 / escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["objection", "clock"],
                condition=Q(objection__isnull=False),
                name="escalation_once_objection",
            ),
            models.UniqueConstraint(
                fields=["tipoff", "clock"],
                condition=Q(tipoff__isnull=False),
                name="escalation_once_tipoff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clock} {self.due}"
