"""Credit restoration (2019 No. 35, art. 13; 2016 No. 33, art. 21; 2022 opinions, art. 20;
docs/architecture.md §5).

An entity that corrected its conduct applies on the public site for one or several of its
items at once: a published negative record past its minimum publicity period (a penalty, a
commitment breach), or a listing the list rule lets it leave early. Eligibility is computed
from the record, not asked. The submission becomes one application per department that holds
the items, so the entity never needs to know which department that is. Each application is
accepted or refused, then decided with four eyes on the official calendar; an approval stops
display everywhere and ends joint punishment in one transaction, and the after-commit work
(notices, the effect clock) is safe to run twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from credit_portal.uploads import evidence_storage
from discipline.models import Listing
from registry.models import CatalogueItem, CreditRecord, Decision, Department, MarketEntity


class RestorationConfig(models.Model):
    """The clocks and upload limits; each change adds a row, the newest is in force
    (defaults from docs/architecture.md §5: accepted or refused within 2 working days, decided
    within 5, effects within 3)."""

    accept_days = models.PositiveSmallIntegerField(
        _("受理期限（工作日）/ accept or refuse within (working days)"), default=2
    )
    decide_days = models.PositiveSmallIntegerField(
        _("决定期限（工作日）/ decide within (working days)"), default=5
    )
    effect_days = models.PositiveSmallIntegerField(
        _("生效期限（工作日）/ take effect within (working days)"), default=3
    )
    # A negative record written without a severity (a commitment breach) has no minimum in
    # the publicity rules: this one applies (the shortest period of docs/architecture.md §5).
    unrated_min_months = models.PositiveSmallIntegerField(
        _("无严重程度记录的最短公示期（月）/ minimum for records without a severity (months)"),
        default=3,
    )
    upload_max_bytes = models.PositiveIntegerField(
        _("单个附件上限（字节）/ largest file (bytes)"), default=5 * 1024 * 1024
    )
    upload_max_files = models.PositiveSmallIntegerField(_("附件数量上限 / most files"), default=5)
    reconsideration = models.TextField(
        _("救济途径 / how to seek review"),
        default=(
            "对不予受理或不予修复决定不服的，可以自收到决定之日起六十日内依法申请行政复议，"
            "或者在六个月内依法提起行政诉讼。/ If you disagree with a refusal, you may apply "
            "for administrative reconsideration within 60 days of receiving it, or bring an "
            "administrative lawsuit within six months."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("信用修复设置 / restoration settings")
        verbose_name_plural = _("信用修复设置 / restoration settings")

    def __str__(self) -> str:
        return f"restoration settings #{self.pk}"

    @classmethod
    def in_force(cls) -> RestorationConfig:
        """The settings in force: the newest row, or the defaults when none was saved."""
        return cls.objects.first() or cls()


class RestorationBar(models.Model):
    """A kind of record that may never be restored early (by catalogue item, by penalty type,
    or both): an application for one is refused with this rule."""

    catalogue_item = models.ForeignKey(
        CatalogueItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("目录项 / catalogue item"),
    )
    penalty_type = models.CharField(
        _("处罚种类 / penalty type"),
        max_length=12,
        choices=Decision.PenaltyType.choices,
        blank=True,
    )
    rule = models.TextField(_("规定 / rule"))
    active = models.BooleanField(_("有效 / in force"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("不予提前修复的情形 / not restorable early")
        verbose_name_plural = _("不予提前修复的情形 / not restorable early")
        constraints = [
            models.CheckConstraint(
                condition=Q(catalogue_item__isnull=False) | ~Q(penalty_type=""),
                name="restoration_bar_names_something",
            )
        ]

    def __str__(self) -> str:
        return self.rule[:60]


class RestorationApplication(models.Model):
    """One application to one department, from submission to its effects (35/13)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待受理 / awaiting acceptance")
        REFUSED = "refused", _("不予受理 / refused")
        ACCEPTED = "accepted", _("已受理（审查中）/ accepted, under review")
        PROPOSED = "proposed", _("审查意见待审核 / decision proposed")
        APPROVED = "approved", _("准予修复 / restored")
        REJECTED = "rejected", _("不予修复 / not restored")

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("准予修复 / restore")
        REJECT = "reject", _("不予修复 / do not restore")

    OPEN = (Status.SUBMITTED, Status.ACCEPTED, Status.PROPOSED)
    DONE = (Status.REFUSED, Status.APPROVED, Status.REJECTED)

    number = models.CharField(_("申请编号 / application number"), max_length=20, unique=True)
    entity = models.ForeignKey(
        MarketEntity,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("市场主体 / market entity"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("办理部门 / handling department"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("信用修复承诺 / restoration commitment"),
    )
    correction = models.TextField(_("纠正失信行为情况 / how the conduct was corrected"))
    contact = models.CharField(_("联系方式 / contact"), max_length=100, blank=True)
    status = models.CharField(
        _("状态 / status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("提交时间 / submitted"), auto_now_add=True)
    accept_due = models.DateField(_("受理期限 / accept by"))
    accepted_at = models.DateTimeField(_("受理时间 / accepted"), null=True, blank=True)
    decide_due = models.DateField(_("决定期限 / decide by"), null=True, blank=True)
    proposed_outcome = models.CharField(
        _("拟决定 / proposed"), max_length=10, choices=Outcome.choices, blank=True
    )
    proposed_reasons = models.TextField(_("审查意见 / proposed reasons"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(_("决定理由 / reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间 / decided"), null=True, blank=True)
    effect_due = models.DateField(_("生效期限 / effective by"), null=True, blank=True)
    effective_at = models.DateTimeField(_("生效时间 / took effect"), null=True, blank=True)
    # A broken restoration commitment republished the restored records (once).
    republished_at = models.DateTimeField(_("重新公示时间 / republished"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("信用修复申请 / restoration application")
        verbose_name_plural = _("信用修复申请 / restoration applications")
        indexes = [
            models.Index(fields=["department", "status", "submitted_at"], name="restoration_queue"),
            models.Index(fields=["entity", "-submitted_at"], name="restoration_entity"),
            models.Index(
                fields=["effect_due"],
                condition=Q(status="approved", effective_at__isnull=True),
                name="restoration_effect_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["refused", "approved", "rejected"]) | ~Q(reasons=""),
                name="restoration_decided_with_reasons",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class RestorationItem(models.Model):
    """One item an application asks to restore: a credit record or a listing."""

    class Kind(models.TextChoices):
        RECORD = "record", _("失信记录 / record")
        LISTING = "listing", _("名单 / listing")

    application = models.ForeignKey(
        RestorationApplication, on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("类别 / kind"), max_length=10, choices=Kind.choices)
    record = models.ForeignKey(
        CreditRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    listing = models.ForeignKey(
        Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("摘要 / item"), max_length=300)
    # The correction the portal found itself (decision fulfilled, rectification completed);
    # empty: the entity's uploaded proof is what shows it.
    found_proof = models.CharField(
        _("系统核实的纠正情况 / proof found"), max_length=200, blank=True
    )
    restored_at = models.DateTimeField(_("修复时间 / restored"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="record", record__isnull=False, listing__isnull=True)
                | Q(kind="listing", listing__isnull=False, record__isnull=True),
                name="restoration_item_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class RestorationEvidence(models.Model):
    """A file the applicant attached, its type checked by content; none is required where
    the portal found the correction itself, and none is ever sold or charged for."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("纠正失信行为的证明 / proof of correction")
        VERIFICATION = "verification", _("信用核查 / credit verification")
        REPORT = "report", _("信用报告 / credit report")
        PUBLIC_INTEREST = "public_interest", _("公益慈善活动 / public-interest activity")
        TRAINING = "training", _("专题培训 / training")
        OTHER = "other", _("其他材料 / other")

    application = models.ForeignKey(
        RestorationApplication, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("材料类别 / kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(storage=evidence_storage, upload_to="restoration/%Y/%m/")
    name = models.CharField(_("文件名 / file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RestorationEscalation(models.Model):
    """A clock that ran out, escalated exactly once (the unique constraint) to the
    department's head and the platform administrators."""

    class Clock(models.TextChoices):
        ACCEPT = "accept", _("受理超期 / not accepted in time")
        DECIDE = "decide", _("决定超期 / not decided in time")
        EFFECT = "effect", _("生效超期 / effects late")

    application = models.ForeignKey(
        RestorationApplication, on_delete=models.CASCADE, related_name="escalations"
    )
    clock = models.CharField(_("超期环节 / clock"), max_length=10, choices=Clock.choices)
    due = models.DateField(_("期限 / due"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "clock"], name="restoration_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.clock}"
