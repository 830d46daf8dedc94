"""Discipline after the fact (2019 No. 35, arts. 8-12; 2016 No. 33, arts. 3-5, 9-15, 18-20).

Lists (joint punishment, key attention, red) have published, versioned rules; departments with
authority under a rule propose listings on a basis document, hear the entity, decide and
publish. A listing sets tasks for the departments that implement the measures list; it marks
the entity's responsible persons. Rectification orders escalate to interviews held by the
recognising department. Access bans bind an entity and its responsible persons. State tables
and guards are in ``transitions.py``; every write is a service in the ``services`` package.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from registry.models import CreditRecord, Decision, Department, EntityRole, MarketEntity, Person
from registry.page_versions import page_version_triggers


class ListKind(models.TextChoices):
    PUNISHMENT = "punishment", _("失信联合惩戒对象名单 / joint-punishment list")
    ATTENTION = "attention", _("重点关注名单 / key-attention list")
    RED = "red", _("红名单 / red list")


class BasisKind(models.TextChoices):
    """What a listing is recognised on (35/9): a judicial ruling, an administrative penalty or
    compulsion; a red listing on a commendation or reward."""

    JUDICIAL = "judicial", _("司法裁判 / judicial ruling")
    PENALTY = "penalty", _("行政处罚 / administrative penalty")
    COMPULSION = "compulsion", _("行政强制 / administrative compulsion")
    REWARD = "reward", _("表彰奖励 / commendation or reward")


class ListRule(models.Model):
    """The published rules of one list (35/9: "standards, procedure, objection route, exit
    conditions"), versioned: a published version never changes, a revision is a new version,
    and a listing keeps the version it was made under. Only the departments named may list
    under it (``recognising_departments``)."""

    code = models.CharField(_("规则编码 / code"), max_length=40)
    version = models.PositiveIntegerField(_("版本 / version"), default=1)
    kind = models.CharField(_("名单类别 / list kind"), max_length=12, choices=ListKind.choices)
    name = models.CharField(_("名称 / name"), max_length=200)
    name_en = models.CharField(_("英文名称 / English name"), max_length=200, blank=True)
    bases = ArrayField(
        models.CharField(max_length=12, choices=BasisKind.choices),
        verbose_name=_("认定依据 / recognition bases"),
    )
    standards = models.TextField(_("认定标准 / standards"))
    procedure = models.TextField(_("认定程序 / procedure"))
    objection_route = models.TextField(_("异议途径 / objection route"))
    exit_conditions = models.TextField(_("移出条件 / exit conditions"))
    period_months = models.PositiveSmallIntegerField(
        _("惩戒期限（月）/ period (months)"),
        null=True,
        blank=True,
        help_text=_("留空表示至移出为止 / blank: until removed"),
    )
    statement_days = models.PositiveSmallIntegerField(
        _("陈述申辩期（工作日）/ statement period (working days)"), default=5
    )
    # 33/21: the punishment period the initiating department sets; a corrected entity may
    # apply for restoration once this part of it has passed.
    restoration_after_months = models.PositiveSmallIntegerField(
        _("最短惩戒期（月）/ restorable after (months)"),
        null=True,
        blank=True,
        default=12,
        help_text=_(
            "列入满此月数后可申请信用修复；留空表示不可提前修复。/ Restoration may be applied "
            "for once the listing is this many months old; blank: never before the period ends."
        ),
    )
    legal_basis = models.TextField(_("依据 / legal basis"), blank=True)
    recognising_departments = models.ManyToManyField(
        Department, related_name="list_rules", verbose_name=_("认定部门 / recognising departments")
    )
    published_at = models.DateTimeField(_("发布时间 / published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("停用时间 / retired"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="list_rule_version"),
            models.CheckConstraint(
                condition=Q(statement_days__gte=1) & Q(statement_days__lte=30),
                name="list_rule_statement_days",
            ),
        ]
        verbose_name = _("名单认定规则 / list rule")
        verbose_name_plural = _("名单认定规则 / list rules")

    def __str__(self) -> str:
        return f"{self.code} v{self.version} {self.name}"

    @property
    def display_name(self) -> str:
        """The English name on English pages, where one is given."""
        english = (translation.get_language() or "").startswith("en")
        return self.name_en if english and self.name_en else self.name


class Listing(models.Model):
    """An entity on a list, from proposal to exit (35/9-10, 33/22). ``kind`` copies the
    rule's, so that one open listing per entity, list and department is a constraint."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("拟列入（陈述申辩期）/ proposed")
        LISTED = "listed", _("已列入 / listed")
        SUSPENDED = "suspended", _("异议核查中（暂停惩戒）/ suspended (objection)")
        REJECTED = "rejected", _("决定不予列入 / not listed")
        EXITED = "exited", _("已移出 / removed")

    class ExitReason(models.TextChoices):
        EXPIRY = "expiry", _("期满移出 / period ended")
        RESTORATION = "restoration", _("信用修复 / credit restoration")
        OBJECTION = "objection", _("异议成立 / objection upheld")
        REVOKED = "revoked", _("依据撤销 / basis revoked")

    OPEN = (Status.PROPOSED, Status.LISTED, Status.SUSPENDED)

    rule = models.ForeignKey(
        ListRule, on_delete=models.PROTECT, related_name="listings", verbose_name=_("规则 / rule")
    )
    kind = models.CharField(_("名单类别 / list kind"), max_length=12, choices=ListKind.choices)
    entity = models.ForeignKey(
        MarketEntity,
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("市场主体 / market entity"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("认定部门 / recognising department"),
    )
    status = models.CharField(
        _("状态 / status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    facts = models.TextField(_("认定事实 / facts"))
    proposed_at = models.DateTimeField(_("拟列入时间 / proposed"), auto_now_add=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    statement_due = models.DateField(_("陈述申辩截止日 / statement due"))
    statement = models.TextField(_("陈述申辩 / statement"), blank=True)
    statement_at = models.DateTimeField(_("陈述时间 / statement made"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间 / decided"), null=True, blank=True)
    decision_note = models.TextField(_("决定说明 / decision note"), blank=True)
    listed_from = models.DateField(_("列入日期 / listed from"), null=True, blank=True)
    listed_until = models.DateField(_("惩戒期满日 / listed until"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("暂停时间 / suspended"), null=True, blank=True)
    exit_reason = models.CharField(
        _("移出原因 / exit reason"), max_length=12, choices=ExitReason.choices, blank=True
    )
    exit_note = models.TextField(_("移出说明 / exit note"), blank=True)
    exited_at = models.DateTimeField(_("移出时间 / removed"), null=True, blank=True)
    record = models.OneToOneField(
        CreditRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="listing"
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "kind", "department"],
                condition=Q(status__in=["proposed", "listed", "suspended"]),
                name="listing_one_open",
            )
        ]
        indexes = [
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["entity", "status"]),
        ]
        triggers = page_version_triggers("listing", "SELECT entity_id FROM changed")
        verbose_name = _("名单 / listing")
        verbose_name_plural = _("名单 / listings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.entity_id}"


class ListingBasis(models.Model):
    """A document a listing is recognised on (35/9); a listing needs at least one."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="bases")
    kind = models.CharField(_("依据类别 / basis"), max_length=12, choices=BasisKind.choices)
    document_number = models.CharField(_("文书号 / document number"), max_length=100)
    title = models.CharField(_("文书名称 / title"), max_length=300)
    issued_on = models.DateField(_("文书日期 / date"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="listing_bases"
    )

    class Meta:
        ordering = ["listing", "id"]
        verbose_name = _("认定依据 / basis document")
        verbose_name_plural = _("认定依据 / basis documents")

    def __str__(self) -> str:
        return self.document_number


class Rectification(models.Model):
    """A rectification order with a deadline (35/11). A missed deadline gives the recognising
    department a reminder interview to hold, and a missed second deadline a warning one."""

    class Status(models.TextChoices):
        ORDERED = "ordered", _("整改中 / ordered")
        OVERDUE = "overdue", _("逾期未整改（待提示约谈）/ overdue: reminder interview due")
        REMINDED = "reminded", _("已提示约谈 / reminded")
        ESCALATED = "escalated", _("再次逾期（待警示约谈）/ overdue again: warning interview due")
        WARNED = "warned", _("已警示约谈 / warned")
        RECTIFIED = "rectified", _("已整改 / rectified")

    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("认定部门 / recognising department"),
    )
    listing = models.ForeignKey(
        Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="rectifications"
    )
    requirement = models.TextField(_("整改要求 / requirement"))
    deadline = models.DateField(_("整改期限 / deadline"))
    status = models.CharField(
        _("状态 / status"), max_length=12, choices=Status.choices, default=Status.ORDERED
    )
    ordered_at = models.DateTimeField(auto_now_add=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rectified_at = models.DateTimeField(_("整改完成 / rectified"), null=True, blank=True)
    note = models.TextField(_("说明 / note"), blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        verbose_name = _("限期整改 / rectification order")
        verbose_name_plural = _("限期整改 / rectification orders")

    def __str__(self) -> str:
        return f"{self.entity_id} {self.deadline}"


class Interview(models.Model):
    """A reminder or warning interview ("who recognises, interviews", 35/11); its record
    enters the credit record (catalogue item YT)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("提示约谈 / reminder interview")
        WARNING = "warning", _("警示约谈 / warning interview")

    class Status(models.TextChoices):
        DUE = "due", _("待约谈 / due")
        HELD = "held", _("已约谈 / held")
        CANCELLED = "cancelled", _("已取消（已整改）/ cancelled (rectified)")

    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="interviews"
    )
    kind = models.CharField(_("约谈类别 / kind"), max_length=10, choices=Kind.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="interviews")
    status = models.CharField(
        _("状态 / status"), max_length=10, choices=Status.choices, default=Status.DUE
    )
    due_by = models.DateField(_("约谈期限 / hold by"))
    created_at = models.DateTimeField(auto_now_add=True)
    held_on = models.DateField(_("约谈日期 / held on"), null=True, blank=True)
    attendees = models.CharField(_("参加人员 / attendees"), max_length=300, blank=True)
    summary = models.TextField(_("约谈记录 / record"), blank=True)
    record = models.OneToOneField(
        CreditRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="interview"
    )

    class Meta:
        ordering = ["due_by", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rectification", "kind"], name="interview_one_per_kind")
        ]
        verbose_name = _("约谈 / interview")
        verbose_name_plural = _("约谈 / interviews")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.rectification_id}"


class Measure(models.Model):
    """One entry of the measures list (33/9-15, 2022 "basic list of punishment measures"):
    public and versioned like the list rules. Incentive measures (the green channel, 33/5)
    apply to red lists. A measure with ``ban_field`` is also refused by an access ban there."""

    class Category(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("行政性 / administrative")
        MARKET = "market", _("市场性 / market")
        INDUSTRY = "industry", _("行业性 / industry")
        SOCIAL = "social", _("社会性 / social")

    class Effect(models.TextChoices):
        PUNISHMENT = "punishment", _("惩戒 / punishment")
        INCENTIVE = "incentive", _("激励 / incentive")

    code = models.CharField(_("措施编码 / code"), max_length=40)
    version = models.PositiveIntegerField(_("版本 / version"), default=1)
    name = models.CharField(_("措施名称 / name"), max_length=300)
    name_en = models.CharField(_("英文名称 / English name"), max_length=300, blank=True)
    category = models.CharField(_("类别 / category"), max_length=16, choices=Category.choices)
    effect = models.CharField(
        _("性质 / effect"), max_length=12, choices=Effect.choices, default=Effect.PUNISHMENT
    )
    mandatory = models.BooleanField(_("强制性 / mandatory"), default=True)
    legal_basis = models.TextField(_("依据 / legal basis"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("实施部门 / implementing department"),
    )
    list_kinds = ArrayField(
        models.CharField(max_length=12, choices=ListKind.choices),
        verbose_name=_("适用名单 / list kinds"),
    )
    ban_field = models.CharField(_("禁入领域 / access-ban field"), max_length=20, blank=True)
    published_at = models.DateTimeField(_("发布时间 / published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("停用时间 / retired"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="measure_version"),
        ]
        verbose_name = _("惩戒措施 / measure")
        verbose_name_plural = _("惩戒措施清单 / measures list")

    def __str__(self) -> str:
        return f"{self.code} v{self.version} {self.name}"

    @property
    def display_name(self) -> str:
        """The English name on English pages, where one is given."""
        english = (translation.get_language() or "").startswith("en")
        return self.name_en if english and self.name_en else self.name


class MeasureTask(models.Model):
    """What a listing asks of one implementing department (33/18: trigger and feedback):
    exactly one per (listing, department), with one item per measure it implements."""

    class Status(models.TextChoices):
        OPEN = "open", _("待实施 / open")
        FED_BACK = "fed_back", _("已反馈 / fed back")
        LIFTING = "lifting", _("待解除 / to be lifted")
        LIFTED = "lifted", _("已解除 / lifted")
        CANCELLED = "cancelled", _("已撤销（未实施前移出）/ cancelled (removed before feedback)")
        SUSPENDED = "suspended", _("异议核查中（暂停实施）/ suspended (objection)")

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="tasks")
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="measure_tasks",
        verbose_name=_("实施部门 / implementing department"),
    )
    status = models.CharField(
        _("状态 / status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    feedback_due = models.DateField(_("反馈期限 / feedback due"))
    fed_back_at = models.DateTimeField(_("反馈时间 / fed back"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("解除时间 / lifted"), null=True, blank=True)
    # While an objection is checked (33/22) the task is suspended; it returns to the status
    # it had (open or fed back) when the objection fails.
    suspended_from = models.CharField(max_length=10, choices=Status.choices, blank=True)
    suspended_at = models.DateTimeField(_("暂停时间 / suspended"), null=True, blank=True)
    suspend_reason = models.TextField(_("暂停理由 / reason for suspension"), blank=True)

    class Meta:
        ordering = ["feedback_due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "department"], name="measure_task_one"),
        ]
        indexes = [models.Index(fields=["department", "status"])]
        verbose_name = _("惩戒措施任务 / measure task")
        verbose_name_plural = _("惩戒措施任务 / measure tasks")

    def __str__(self) -> str:
        return f"{self.listing_id} → {self.department_id}"


class MeasureTaskItem(models.Model):
    """The feedback on one measure of a task: applied, or (recommended measures only) not
    applied with the reason."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待反馈 / pending")
        APPLIED = "applied", _("已实施 / applied")
        NOT_APPLIED = "not_applied", _("未实施（说明理由）/ not applied (reason given)")

    task = models.ForeignKey(MeasureTask, on_delete=models.CASCADE, related_name="items")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="task_items")
    outcome = models.CharField(
        _("实施情况 / outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    reason = models.TextField(_("理由 / reason"), blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task", "measure__code"]
        constraints = [
            models.UniqueConstraint(fields=["task", "measure"], name="measure_task_item_one"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}:{self.measure_id} {self.outcome}"


class BanField(models.TextChoices):
    """The key fields of market and industry access bans (35/10)."""

    FOOD_DRUGS = "food_drugs", _("食品药品 / food and drugs")
    ECOLOGY = "ecology", _("生态环境 / ecology and environment")
    ENGINEERING = "engineering", _("工程质量 / engineering quality")
    SAFETY = "safety", _("安全生产 / production safety")
    CARE = "care", _("养老托幼 / elderly and child care")
    URBAN = "urban", _("城市运行安全 / urban operational safety")


class AccessBan(models.Model):
    """A market and industry access ban (35/10): time-limited or lifelong (``ends`` blank),
    binding the entity and the responsible persons named when it was imposed."""

    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="access_bans")
    field = models.CharField(_("禁入领域 / field"), max_length=20, choices=BanField.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="access_bans")
    listing = models.ForeignKey(
        Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="access_bans"
    )
    starts = models.DateField(_("起始日期 / from"))
    ends = models.DateField(
        _("截止日期 / until"),
        null=True,
        blank=True,
        help_text=_("留空为终身禁入 / blank: lifelong"),
    )
    reason = models.TextField(_("理由 / reason"))
    legal_basis = models.TextField(_("依据 / legal basis"))
    persons = models.ManyToManyField(
        Person, through="AccessBanPerson", related_name="access_bans", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(_("解除时间 / lifted"), null=True, blank=True)
    lift_reason = models.TextField(_("解除理由 / lift reason"), blank=True)
    # An objection against the ban itself suspends it (33/22); a ban resting on a suspended
    # listing does not bind either (selectors.ban_suspended).
    suspended_at = models.DateTimeField(_("暂停时间 / suspended"), null=True, blank=True)
    suspend_reason = models.TextField(_("暂停理由 / reason for suspension"), blank=True)

    class Meta:
        ordering = ["-starts", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                name="access_ban_dates",
            )
        ]
        verbose_name = _("市场和行业禁入 / access ban")
        verbose_name_plural = _("市场和行业禁入 / access bans")

    def __str__(self) -> str:
        return f"{self.get_field_display()} {self.entity_id}"


class AccessBanPerson(models.Model):
    ban = models.ForeignKey(AccessBan, on_delete=models.CASCADE, related_name="bound")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, choices=EntityRole.Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ban", "person", "role"], name="access_ban_person")
        ]

    def __str__(self) -> str:
        return f"{self.ban_id}:{self.person_id}"


class PersonMark(models.Model):
    """Dishonesty recorded on a listed entity's legal representative, principal or actual
    controller (33/13: personal liability); lifted when the listing exits."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="person_marks")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dishonesty_marks")
    role = models.CharField(_("角色 / role"), max_length=30, choices=EntityRole.Kind.choices)
    marked_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["listing", "person", "role"], name="person_mark_one")
        ]
        verbose_name = _("个人失信记录 / personal dishonesty mark")
        verbose_name_plural = _("个人失信记录 / personal dishonesty marks")

    def __str__(self) -> str:
        return f"{self.person_id} ({self.listing_id})"


class LiabilityWarning(models.Model):
    """A banned or marked person recorded in a role of another entity: a warning to the
    regulators of that entity (33/13: restrict them from serving as legal representative)."""

    role = models.ForeignKey(EntityRole, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="liability_warnings"
    )
    ban = models.ForeignKey(AccessBan, null=True, blank=True, on_delete=models.PROTECT)
    mark = models.ForeignKey(PersonMark, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("处理说明 / note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "ban"], condition=Q(ban__isnull=False), name="warning_ban_one"
            ),
            models.UniqueConstraint(
                fields=["role", "mark"], condition=Q(mark__isnull=False), name="warning_mark_one"
            ),
        ]
        verbose_name = _("任职预警 / appointment warning")
        verbose_name_plural = _("任职预警 / appointment warnings")

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.entity_id}"


class AuthorityNotice(models.Model):
    """Notice of a listed state organ, public institution or state-owned enterprise to its
    higher authority and the audit office (33/13)."""

    class Recipient(models.TextChoices):
        HIGHER_AUTHORITY = "higher_authority", _("上级主管部门 / higher authority")
        AUDIT_OFFICE = "audit_office", _("审计机关 / audit office")

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="notices")
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="authority_notices"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "recipient"], name="authority_notice_one")
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} → {self.department_id}"


class DisciplineConfig(models.Model):
    """Settings of the discipline rules; each change adds a row, the newest is in force."""

    feedback_days = models.PositiveSmallIntegerField(
        _("措施反馈期限（工作日）/ feedback within (working days)"), default=5
    )
    interview_days = models.PositiveSmallIntegerField(
        _("约谈期限（工作日）/ hold interviews within (working days)"), default=5
    )
    red_clean_years = models.PositiveSmallIntegerField(
        _("无失信记录年限（红名单激励）/ clean years for incentives"), default=3
    )
    audit_office = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审计机关 / audit office"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("惩戒设置 / discipline settings")
        verbose_name_plural = _("惩戒设置 / discipline settings")

    def __str__(self) -> str:
        return f"discipline settings #{self.pk}"
