"""The registry: market entities keyed on the USCC, persons and roles, departments, the credit
information catalogue and the append-only credit record (2019 No. 35, arts. 4 and 17;
2022 opinions, art. 21 on the catalogue).
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .page_versions import page_version_triggers, publication_triggers


class Department(models.Model):
    """A regulator. Records, listings and cases are owned by departments (guardian group).

    Decisions are owned through the department itself: the groups holding ``manage_decisions``
    on a department (its own group, from creation) publish and withdraw its decisions, so a
    merged department's successor can be given them with one row, and a bulk import writes no
    ownership row per decision."""

    code = models.CharField(_("部门代码 / code"), max_length=40, unique=True)
    name = models.CharField(_("名称 / name"), max_length=200)
    name_en = models.CharField(_("英文名称 / English name"), max_length=200, blank=True)
    region = models.CharField(_("行政区划 / region"), max_length=6, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级部门 / higher authority"),
    )
    registers_entities = models.BooleanField(
        _("登记机关 / registration authority"),
        default=False,
        help_text=_("可登记市场主体 / may register market entities"),
    )
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="department")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("部门 / department")
        verbose_name_plural = _("部门 / departments")
        permissions = [
            (
                "manage_decisions",
                _("公示或撤下该部门的行政决定 / publish or withdraw the department's decisions"),
            ),
            (
                "manage_commitments",
                _(
                    "办理向该部门作出的承诺和自愿注册信息 / handle the commitments and "
                    "voluntary registrations made to the department"
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentMembership(models.Model):
    """A regulator's place: one department, as staff or head."""

    class Role(models.TextChoices):
        STAFF = "staff", _("部门工作人员 / department staff")
        HEAD = "head", _("部门负责人 / department head")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("部门成员 / department member")
        verbose_name_plural = _("部门成员 / department members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.department}"


class Bigrams(models.Func):
    """``registry_bigrams(text)``: the two-character pieces of a text, as ``names.bigrams``
    computes them (the SQL function is created by migration 0013)."""

    function = "registry_bigrams"
    output_field = ArrayField(models.TextField())


class MarketEntity(models.Model):
    """A market entity, for life, under its unified social credit code (35/4)."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业 / enterprise")
        INDIVIDUAL = "individual", _("个体工商户 / individual business")
        COOPERATIVE = "cooperative", _("农民专业合作社 / farmers' co-operative")
        SOCIAL_ORG = "social_org", _("社会组织 / social organisation")
        PUBLIC_INSTITUTION = "public_institution", _("事业单位 / public institution")
        STATE_ORGAN = "state_organ", _("机关 / state organ")

    class Status(models.TextChoices):
        ACTIVE = "active", _("存续 / active")
        REVOKED = "revoked", _("吊销 / licence revoked")
        DEREGISTERED = "deregistered", _("注销 / deregistered")

    uscc = models.CharField(_("统一社会信用代码 / USCC"), max_length=18, primary_key=True)
    name = models.CharField(_("名称 / name"), max_length=200)
    former_names = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        verbose_name=_("曾用名 / former names"),
    )
    # Current and former names with generic suffixes stripped, for trigram search.
    search_names = models.TextField(editable=False, default="")
    kind = models.CharField(_("主体类型 / kind"), max_length=20, choices=Kind.choices)
    region = models.CharField(_("行政区划 / region"), max_length=6, db_index=True)
    industry = models.CharField(
        _("行业 / industry (GB/T 4754)"), max_length=5, blank=True, db_index=True
    )
    state_owned = models.BooleanField(_("国有企业 / state-owned"), default=False)
    registration_authority = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="registered_entities",
        verbose_name=_("登记机关 / registration authority"),
    )
    status = models.CharField(
        _("登记状态 / status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    established = models.DateField(_("成立日期 / established"), null=True, blank=True)
    deregistered = models.DateField(_("注销日期 / deregistered"), null=True, blank=True)
    address = models.CharField(_("住所 / address"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["uscc"]
        verbose_name = _("市场主体 / market entity")
        verbose_name_plural = _("市场主体 / market entities")
        indexes = [
            GinIndex(
                name="entity_search_trgm", fields=["search_names"], opclasses=["gin_trgm_ops"]
            ),
            # Substrings of two or more characters (selectors.entity_search): the names'
            # two-character pieces, which the trigram index cannot look up.
            GinIndex(Bigrams(F("search_names")), name="entity_search_bigram"),
            # What the nightly rating and its chunk bounds read of every entity, index-only in
            # code order: entities are stored in arrival order, so a chunk's codes are on
            # every page of the table.
            models.Index(
                fields=["uscc"], include=["status", "created_at", "industry"], name="entity_rating"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    uscc__regex=r"^[0-9ANY][0-9A-HJ-NPQRTUWXY][0-9]{6}"
                    r"[0-9A-HJ-NPQRTUWXY]{10}$"
                ),
                name="entity_uscc_format",
            ),
        ]
        triggers = page_version_triggers("entity", "SELECT uscc FROM changed", ["update"])

    def __str__(self) -> str:
        return f"{self.name} ({self.uscc})"

    @property
    def province(self) -> str:
        return self.region[:2]


class Person(models.Model):
    """A natural person. The ID number is stored encrypted, found by a keyed hash, and shown
    masked on every public page (2022 opinions: security of personal information)."""

    class IdKind(models.TextChoices):
        RESIDENT = "resident", _("居民身份证 / resident identity card")
        PASSPORT = "passport", _("护照 / passport")
        OTHER = "other", _("其他证件 / other document")

    name = models.CharField(_("姓名 / name"), max_length=100)
    id_kind = models.CharField(max_length=10, choices=IdKind.choices, default=IdKind.RESIDENT)
    id_number_encrypted = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(
        _("证件号码（脱敏）/ ID number (masked)"), max_length=40, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        # A rename shows on the pages of the entities the person has a role in.
        triggers = page_version_triggers(
            "person",
            "SELECT r.entity_id FROM changed p JOIN registry_entityrole r ON r.person_id = p.id",
            ["update"],
        )
        verbose_name = _("自然人 / person")
        verbose_name_plural = _("自然人 / persons")

    def __str__(self) -> str:
        return f"{self.name} {self.id_number_masked}"


class EntityRole(models.Model):
    """A person's role in an entity; personal liability follows it (33/19, 35/11)."""

    class Kind(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人 / legal representative")
        PRINCIPAL = "principal", _("主要负责人 / principal")
        ACTUAL_CONTROLLER = "actual_controller", _("实际控制人 / actual controller")

    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="roles")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="roles")
    kind = models.CharField(_("角色 / role"), max_length=30, choices=Kind.choices)
    since = models.DateField(_("起始日期 / since"), null=True, blank=True)
    until = models.DateField(_("终止日期 / until"), null=True, blank=True)

    class Meta:
        ordering = ["entity", "kind"]
        verbose_name = _("主体人员 / entity role")
        verbose_name_plural = _("主体人员 / entity roles")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "person", "kind"],
                condition=Q(until__isnull=True),
                name="entity_role_current_unique",
            ),
        ]
        triggers = page_version_triggers("entity_role", "SELECT entity_id FROM changed")

    def __str__(self) -> str:
        return f"{self.entity_id} {self.get_kind_display()} {self.person.name}"


class PublicityScope(models.TextChoices):
    """Who may see a kind of credit information (2022/21: unified catalogue)."""

    PUBLIC = "public", _("社会公开 / public")
    SHARED = "shared", _("政务共享 / shared between departments")
    AUTHORISED = "authorised", _("授权查询 / authorised query")


class Severity(models.TextChoices):
    NONE = "none", _("不适用 / not applicable")
    WARNING = "warning", _("警告 / warning")
    MINOR = "minor", _("轻微 / minor")
    GENERAL = "general", _("一般 / general")
    SERIOUS = "serious", _("严重 / serious")


class CatalogueItem(models.Model):
    """What may be collected at all, and who may see it (2022 opinions, art. 21)."""

    class Kind(models.TextChoices):
        LICENCE = "licence", _("行政许可 / administrative licence")
        PENALTY = "penalty", _("行政处罚 / administrative penalty")
        COMPULSION = "compulsion", _("行政强制 / administrative compulsion")
        CONFIRMATION = "confirmation", _("行政确认 / administrative confirmation")
        EXPROPRIATION = "expropriation", _("行政征收 / administrative expropriation")
        PAYMENT = "payment", _("行政给付 / administrative payment")
        RULING = "ruling", _("行政裁决 / administrative ruling")
        COMPENSATION = "compensation", _("行政补偿 / administrative compensation")
        REWARD = "reward", _("行政奖励 / administrative reward")
        INSPECTION = "inspection", _("行政检查 / administrative inspection")
        JUDICIAL = "judicial", _("司法判决 / judicial information")
        COMMITMENT = "commitment", _("信用承诺履行 / commitment performance")
        INTERVIEW = "interview", _("约谈 / interview")
        COMPLAINT = "complaint", _("投诉举报 / complaint")
        VOLUNTARY = "voluntary", _("自愿注册 / voluntarily registered")
        LISTING = "listing", _("名单信息 / list membership")
        ABNORMAL = "abnormal", _("经营异常 / abnormal operation")
        TAX = "tax", _("纳税信用 / tax credit")

    class Polarity(models.TextChoices):
        NEGATIVE = "negative", _("失信 / negative")
        POSITIVE = "positive", _("守信 / positive")
        NEUTRAL = "neutral", _("中性 / neutral")

    code = models.CharField(_("目录编码 / code"), max_length=20, unique=True)
    name = models.CharField(_("名称 / name"), max_length=200)
    name_en = models.CharField(_("英文名称 / English name"), max_length=200)
    kind = models.CharField(_("类别 / kind"), max_length=20, choices=Kind.choices)
    polarity = models.CharField(_("性质 / polarity"), max_length=10, choices=Polarity.choices)
    severities = ArrayField(
        models.CharField(max_length=10, choices=Severity.choices),
        default=list,
        blank=True,
        verbose_name=_("严重程度 / severity tiers"),
    )
    publicity_scope = models.CharField(
        _("公开范围 / publicity scope"), max_length=12, choices=PublicityScope.choices
    )
    masking_rule = models.CharField(_("脱敏规则 / masking rule"), max_length=300, blank=True)
    publicity_period_rule = models.CharField(
        _("公示期限规则 / publicity period rule"), max_length=300, blank=True
    )
    legal_basis = models.TextField(_("依据 / legal basis"), blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("信用信息目录项 / catalogue item")
        verbose_name_plural = _("信用信息目录 / credit information catalogue")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CreditRecord(models.Model):
    """One entry of the credit record ledger, keyed on the USCC (35/4, 35/17).

    Append-only: a database trigger refuses UPDATE and DELETE. A correction or revocation is a
    new record that ``supersedes`` the old one; a record superseded by another is history.
    """

    class Action(models.TextChoices):
        ORIGINAL = "original", _("首次记录 / original")
        CORRECTION = "correction", _("更正 / correction")
        REVOCATION = "revocation", _("撤销 / revocation")

    entity = models.ForeignKey(
        MarketEntity,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("市场主体 / market entity"),
        db_index=False,  # record_entity_scope and record_rating_inputs lead with the entity
    )
    catalogue_item = models.ForeignKey(
        CatalogueItem,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("目录项 / catalogue item"),
    )
    source_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("来源部门 / source department"),
    )
    action = models.CharField(max_length=12, choices=Action.choices, default=Action.ORIGINAL)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("取代记录 / supersedes"),
    )
    scope = models.CharField(
        _("公开范围 / publicity scope"), max_length=12, choices=PublicityScope.choices
    )
    severity = models.CharField(
        _("严重程度 / severity"), max_length=10, choices=Severity.choices, default=Severity.NONE
    )
    title = models.CharField(_("标题 / title"), max_length=300)
    content = models.TextField(_("内容 / content"), blank=True)
    document_number = models.CharField(_("文书号 / document number"), max_length=100, blank=True)
    legal_basis = models.TextField(_("依据 / legal basis"), blank=True)
    conduct_date = models.DateField(_("行为日期 / conduct date"), null=True, blank=True)
    decision_date = models.DateField(_("决定日期 / decision date"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间 / published"), null=True, blank=True)
    reason = models.TextField(_("更正或撤销理由 / reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Indexed with the id (record_created): the records list reads newest first by both.
    created_at = models.DateTimeField(_("记录时间 / recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("信用记录 / credit record")
        verbose_name_plural = _("信用记录 / credit records")
        permissions = [("supersede_creditrecord", _("更正或撤销信用记录 / correct or revoke"))]
        indexes = [
            models.Index(fields=["entity", "scope"], name="record_entity_scope"),
            models.Index(fields=["source_department", "created_at"], name="record_dept_created"),
            # What the nightly rating counts, readable without the heap (index-only) and in
            # entity order, so that a chunk of entities reads only its own slice: records in
            # arrival order put an entity's rows all over the table (bench/README.md).
            models.Index(
                fields=["entity"],
                include=[
                    "id",
                    "catalogue_item",
                    "severity",
                    "decision_date",
                    "conduct_date",
                    "created_at",
                ],
                condition=~Q(action="revocation"),
                name="record_rating_inputs",
            ),
            # Newest first, ties by id (the API's records list and its keys, the changed-entity
            # scan of the nightly rating): a bulk load records thousands at one instant, and
            # by time alone the first page sorted all of them.
            models.Index(fields=["created_at", "id"], name="record_created"),
            # The few records that correct or revoke another, by entity.
            models.Index(
                fields=["entity"],
                include=["supersedes", "created_at"],
                condition=Q(supersedes__isnull=False),
                name="record_superseding",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action="original", supersedes__isnull=True)
                | (~Q(action="original") & Q(supersedes__isnull=False)),
                name="record_supersedes_matches_action",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="credit_record_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
            *page_version_triggers("credit_record", "SELECT entity_id FROM changed", ["insert"]),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.title}"


# django-guardian object permissions with direct foreign keys (fast joins, one row per grant).
class EntityStanding(models.Model):
    """The small standing summary of an entity (docs/architecture.md §3): whether it is on a
    joint-punishment or key-attention list, red-listed, and its current grade. The apps that
    decide these (discipline, ratings) keep it current through ``services.standing_update``,
    so that lower apps (commitments: acceptance with missing materials, 35/1) can ask "is this
    entity in good standing?" without importing them. No row: nothing known against it."""

    class Grade(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"
        D = "D", "D"

    entity = models.OneToOneField(
        MarketEntity, primary_key=True, on_delete=models.PROTECT, related_name="standing"
    )
    punishment_listed = models.BooleanField(
        _("列入失信联合惩戒对象名单 / on a joint-punishment list"), default=False
    )
    attention_listed = models.BooleanField(
        _("列入重点关注名单 / on a key-attention list"), default=False
    )
    red_listed = models.BooleanField(_("列入红名单 / red-listed"), default=False)
    grade = models.CharField(_("信用等级 / grade"), max_length=1, choices=Grade.choices, blank=True)
    updated_at = models.DateTimeField(_("更新时间 / updated"), auto_now=True)
    # What the public entity page shows changed (registry.page_versions): its cache version.
    page_version = models.BigIntegerField(
        _("页面版本 / page version"), default=0, db_default=0, editable=False
    )

    class Meta:
        verbose_name = _("主体信用状况 / entity standing")
        verbose_name_plural = _("主体信用状况 / entity standings")

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.grade or '-'}"


class MarketEntityGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(MarketEntity, on_delete=models.CASCADE)


class MarketEntityUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(MarketEntity, on_delete=models.CASCADE)


class CreditRecordGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(CreditRecord, on_delete=models.PROTECT)


class CreditRecordUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(CreditRecord, on_delete=models.PROTECT)


class EntityAccount(models.Model):
    """An entity user: a sign-in that has proven control of a USCC."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entity_account"
    )
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="accounts")
    verified_at = models.DateTimeField(_("核验时间 / verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("主体账号 / entity account")
        verbose_name_plural = _("主体账号 / entity accounts")

    def __str__(self) -> str:
        return f"{self.user} → {self.entity_id}"


class ApiClient(models.Model):
    """A department system or credit agency using the API with a scoped token.

    The token is shown once; only its SHA-256 is stored. The client acts through its own user,
    which belongs to its department, so permissions work the same as for staff.
    """

    name = models.CharField(_("名称 / name"), max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    token_prefix = models.CharField(max_length=8, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口客户端 / API client")
        verbose_name_plural = _("接口客户端 / API clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"


# --- Decisions and their publicity (2019 No. 35, art. 15; 2016 No. 33, art. 17) ---------------
class PublicityRule(models.Model):
    """How long a decision of a severity is shown (configuration; docs/architecture.md §5 defaults:
    warnings not published; minor 3 months; general 3-12 months; serious 12-36 months)."""

    severity = models.CharField(
        _("严重程度 / severity"), max_length=10, choices=Severity.choices, unique=True
    )
    published = models.BooleanField(_("公示 / published"), default=True)
    min_months = models.PositiveSmallIntegerField(
        _("最短公示期（月）/ minimum (months)"),
        null=True,
        blank=True,
        help_text=_("期满后可申请信用修复 / restoration may be applied for after it"),
    )
    max_months = models.PositiveSmallIntegerField(
        _("最长公示期（月）/ maximum (months)"),
        null=True,
        blank=True,
        help_text=_("期满自动停止公示；空表示不限 / display stops then; empty: no limit"),
    )

    class Meta:
        ordering = ["severity"]
        verbose_name = _("公示期限规则 / publicity rule")
        verbose_name_plural = _("公示期限规则 / publicity rules")

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.min_months}-{self.max_months}"


class PublicityConfig(models.Model):
    """Deadlines in working days (configuration, one row): publish within 7 (35/15), withdraw a
    changed decision within 3 (default)."""

    publish_within = models.PositiveSmallIntegerField(
        _("公示时限（工作日）/ publish within (working days)"), default=7
    )
    withdraw_within = models.PositiveSmallIntegerField(
        _("撤下时限（工作日）/ withdraw within (working days)"), default=3
    )

    class Meta:
        verbose_name = _("公示时限 / publicity deadlines")
        verbose_name_plural = _("公示时限 / publicity deadlines")

    def __str__(self) -> str:
        return f"{self.publish_within}/{self.withdraw_within}"


class Decision(models.Model):
    """An administrative decision of one of the ten publicity kinds ("double publicity" and the
    eight others, 35/15). Publishing it writes the credit record and its publicity window."""

    class Kind(models.TextChoices):
        LICENCE = "licence", _("行政许可 / licence")
        PENALTY = "penalty", _("行政处罚 / penalty")
        COMPULSION = "compulsion", _("行政强制 / compulsion")
        CONFIRMATION = "confirmation", _("行政确认 / confirmation")
        EXPROPRIATION = "expropriation", _("行政征收 / expropriation")
        PAYMENT = "payment", _("行政给付 / payment")
        RULING = "ruling", _("行政裁决 / ruling")
        COMPENSATION = "compensation", _("行政补偿 / compensation")
        REWARD = "reward", _("行政奖励 / reward")
        INSPECTION = "inspection", _("行政检查 / inspection")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("待公示 / awaiting publication")
        PUBLISHED = "published", _("已公示 / published")
        WITHDRAWN = "withdrawn", _("已撤下 / withdrawn")

    class Change(models.TextChoices):
        CHANGED = "changed", _("变更 / changed")
        REVOKED = "revoked", _("撤销 / revoked")
        ANNULLED = "annulled", _("确认无效 / annulled")

    class PenaltyType(models.TextChoices):
        WARNING = "warning", _("警告、通报批评 / warning")
        FINE = "fine", _("罚款、没收违法所得 / fine or confiscation")
        SUSPENSION = "suspension", _("暂扣许可证件、降低资质等级 / licence suspension")
        RESTRICTION = "restriction", _("限制开展生产经营活动、责令停产停业 / restriction")
        REVOCATION = "revocation", _("吊销许可证件 / licence revocation")
        DETENTION = "detention", _("行政拘留 / detention")
        OTHER = "other", _("其他 / other")

    # Foreign keys without their own index where an index in Meta starts with them: every
    # index is paid for by each of a bulk import's million rows (bench/import_decisions_bench).
    kind = models.CharField(_("决定类别 / kind"), max_length=16, choices=Kind.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("决定部门 / deciding department"),
        db_index=False,
    )
    entity = models.ForeignKey(
        MarketEntity,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("市场主体 / market entity"),
        db_index=False,
    )
    document_number = models.CharField(_("决定文书号 / document number"), max_length=100)
    decision_date = models.DateField(_("决定日期 / decision date"))
    title = models.CharField(_("标题 / title"), max_length=300)
    content = models.TextField(_("内容 / content"), blank=True)
    legal_basis = models.TextField(_("依据 / legal basis"), blank=True)
    severity = models.CharField(
        _("严重程度 / severity"), max_length=10, choices=Severity.choices, default=Severity.NONE
    )
    penalty_type = models.CharField(
        _("处罚种类 / penalty type"), max_length=12, choices=PenaltyType.choices, blank=True
    )
    penalty_amount = models.DecimalField(
        _("罚没金额（元）/ amount (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("状态 / status"), max_length=10, choices=Status.choices, default=Status.RECORDED
    )
    # Indexed only where it is searched: the open decisions' due dates (decision_open_due).
    publicity_due = models.DateField(_("公示截止日 / publicity due"))
    publicity_due_provisional = models.BooleanField(
        _("截止日为临时计算 / due date provisional"), default=False
    )
    published_at = models.DateTimeField(_("公示时间 / published"), null=True, blank=True)
    record = models.OneToOneField(
        CreditRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="decision"
    )
    change = models.CharField(
        _("变更情况 / change"), max_length=10, choices=Change.choices, blank=True
    )
    change_reason = models.TextField(_("变更理由 / reason"), blank=True)
    change_date = models.DateField(
        _("变更日期 / date of the change"),
        null=True,
        blank=True,
        help_text=_(
            "决定被变更、撤销或确认无效之日；撤下时限自此起算。/ The day the decision was "
            "changed, revoked or annulled; the withdrawal deadline counts from it."
        ),
    )
    changed_at = models.DateTimeField(null=True, blank=True)  # when the change was recorded
    # The entity did what the decision required (fine paid, order carried out), as the deciding
    # department recorded it: restoration counts it without asking the entity for proof.
    fulfilled_on = models.DateField(_("履行完毕日期 / fulfilled on"), null=True, blank=True)
    # db_default: bulk imports and the demo loader write rows with COPY, naming their columns.
    fulfilment_note = models.TextField(
        _("履行说明 / fulfilment note"), blank=True, default="", db_default=""
    )
    withdrawal_due = models.DateField(_("撤下截止日 / withdrawal due"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤下时间 / withdrawn"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # never searched by; a user with decisions is protected all the same
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decision_date", "-id"]
        verbose_name = _("行政决定 / administrative decision")
        verbose_name_plural = _("行政决定 / administrative decisions")
        constraints = [
            # Re-importing or re-posting the same decision never duplicates it.
            models.UniqueConstraint(
                fields=["department", "kind", "document_number"], name="decision_unique_document"
            ),
        ]
        indexes = [
            models.Index(
                fields=["publicity_due"],
                condition=Q(status="recorded"),
                name="decision_open_due",
            ),
            models.Index(fields=["department", "kind", "decision_date"], name="decision_dept_kind"),
            models.Index(fields=["entity", "kind", "decision_date"], name="decision_entity_kind"),
            # The public publicity board, newest first, all kinds or one: partial, so bulk
            # imports (status "recorded") do not pay for them; publication does, once.
            models.Index(
                fields=["-decision_date", "-id"],
                condition=Q(status="published"),
                name="decision_published",
            ),
            models.Index(
                fields=["kind", "-decision_date", "-id"],
                condition=Q(status="published"),
                name="decision_published_kind",
            ),
        ]
        triggers = [
            *page_version_triggers("decision", "SELECT entity_id FROM changed"),
            # Published, withdrawn: on (or off) the public board. Recorded ones never are.
            *publication_triggers("decision", "SELECT 1 FROM changed WHERE status <> 'recorded'"),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.title}"


class PublicityWindow(models.Model):
    """When a published record is shown: from publication; restoration may be applied for from
    ``restoration_from``; display stops at ``shown_until`` or when withdrawn (ledger keeps it)."""

    class StopReason(models.TextChoices):
        EXPIRED = "expired", _("期满 / period ended")
        WITHDRAWN = "withdrawn", _("决定变更撤下 / decision changed")
        RESTORED = "restored", _("信用修复 / restored")

    record = models.OneToOneField(CreditRecord, on_delete=models.PROTECT, related_name="window")
    shown_from = models.DateTimeField(_("公示起始 / shown from"))
    restoration_from = models.DateField(_("可申请修复日 / restoration from"), null=True, blank=True)
    restoration_open = models.BooleanField(_("已可申请修复 / restoration open"), default=False)
    shown_until = models.DateField(_("公示截止 / shown until"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("停止公示时间 / stopped"), null=True, blank=True)
    stop_reason = models.CharField(max_length=10, choices=StopReason.choices, blank=True)
    # A broken restoration commitment shows the record again for the maximum period, once.
    republished_at = models.DateTimeField(_("重新公示时间 / republished"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示期 / publicity window")
        verbose_name_plural = _("公示期 / publicity windows")
        indexes = [
            models.Index(
                fields=["shown_until"], condition=Q(stopped_at__isnull=True), name="window_open"
            ),
            # The few restored records, which the nightly rating leaves out (record_counts_sql).
            models.Index(
                fields=["record", "stopped_at"],
                condition=Q(stop_reason="restored"),
                name="window_restored",
            ),
        ]
        triggers = [
            *page_version_triggers(
                "window",
                "SELECT r.entity_id FROM changed w"
                " JOIN registry_creditrecord r ON r.id = w.record_id",
            ),
            *publication_triggers("window", "SELECT 1 FROM changed"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.shown_from:%Y-%m-%d} → {self.shown_until}"


class PublicationCounter(models.Model):
    """One row: a counter PostgreSQL bumps in the statement that publishes, withdraws or stops
    showing a decision (``page_versions.publication_triggers``), so that the public board's
    cached pages are replaced at once (issue 17: a cache that publication invalidates)."""

    version = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("公示版本 / publication counter")
        verbose_name_plural = _("公示版本 / publication counter")

    def __str__(self) -> str:
        return str(self.version)


class DepartmentAlert(models.Model):
    """An item in a department's workbench queue (e.g. a decision past its publicity due date)."""

    class Kind(models.TextChoices):
        PUBLICITY_OVERDUE = "publicity_overdue", _("逾期未公示 / publication overdue")

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("部门待办提醒 / department alert")
        verbose_name_plural = _("部门待办提醒 / department alerts")
        constraints = [
            models.UniqueConstraint(fields=["kind", "decision"], name="alert_once_per_decision"),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.kind} {self.decision_id}"


class ImportBatch(models.Model):
    """One bulk import of decisions from a CSV or Excel file by a department (35/15; the
    service is ``registry.imports.decision_import``). Keeps the counts and the error report
    (a CSV of line, column, value and reason) for download; the file itself is not kept."""

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="import_batches",
        verbose_name=_("导入部门 / department"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("上传人 / uploaded by"),
    )
    filename = models.CharField(_("文件名 / file name"), max_length=255)
    file_sha256 = models.CharField(_("文件SHA-256 / file SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("导入时间 / imported"), auto_now_add=True)
    rows_total = models.PositiveIntegerField(_("数据行 / rows"), default=0)
    rows_stored = models.PositiveIntegerField(_("已导入 / stored"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("已存在 / duplicates"), default=0)
    rows_rejected = models.PositiveIntegerField(_("有错误 / rejected"), default=0)
    error_report = models.TextField(_("错误报告（CSV）/ error report (CSV)"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("批量导入 / bulk import")
        verbose_name_plural = _("批量导入 / bulk imports")
        indexes = [
            models.Index(fields=["department", "-created_at"], name="import_batch_dept_created"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"
