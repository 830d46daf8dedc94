"""Credit commitments before the fact (2019 No. 35, arts. 1-2; 2016 No. 33, art. 4).

An applicant who commits to meet a licence's conditions is served at once (approval on
commitment); one in good standing whose papers are incomplete is accepted on a written promise
to supply them by a deadline (acceptance with missing materials). Each commitment is made on a
published, versioned standard template and numbered; how it is kept is recorded by the
department and becomes part of the credit record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import CreditRecord, Department, MarketEntity
from registry.page_versions import page_version_triggers


class CommitmentKind(models.TextChoices):
    """The kinds of docs/architecture.md §5 (35/1, 33/4)."""

    APPROVAL = "approval", _("告知承诺 / approval on commitment")
    MISSING_MATERIALS = "missing_materials", _("容缺受理 / acceptance with missing materials")
    CERTIFICATION = "certification", _("证明事项告知承诺 / certification substitute")
    RESTORATION = "restoration", _("信用修复承诺 / restoration commitment")
    SELF_DISCIPLINE = "self_discipline", _("行业自律承诺 / industry self-discipline")
    VOLUNTARY = "voluntary", _("主动公示型承诺 / voluntary public commitment")


# Kinds made in a licensing procedure: they name the licensing item.
ITEM_KINDS = (CommitmentKind.APPROVAL, CommitmentKind.MISSING_MATERIALS)


class LicensingItem(models.Model):
    """An administrative licensing item of the catalogue, with whether credit commitment
    applies to it (35/1: "approval on commitment" for the items where it is allowed)."""

    code = models.CharField(_("事项编码 / code"), max_length=40, unique=True)
    name = models.CharField(_("事项名称 / name"), max_length=200)
    name_en = models.CharField(_("英文名称 / English name"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="licensing_items",
        verbose_name=_("实施部门 / competent department"),
    )
    commitment_applies = models.BooleanField(
        _("实行告知承诺 / approval on commitment applies"), default=False
    )
    missing_materials_allowed = models.BooleanField(
        _("可容缺受理 / acceptance with missing materials allowed"), default=False
    )
    active = models.BooleanField(_("有效 / active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政许可事项 / licensing item")
        verbose_name_plural = _("行政许可事项 / licensing items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CommitmentTemplate(models.Model):
    """The standard text of a commitment of one kind (and licensing item), versioned: a
    published version never changes; a new text is a new version. Published on the public
    site (35/1: "standard and uniform commitment documents")."""

    kind = models.CharField(_("承诺类型 / kind"), max_length=20, choices=CommitmentKind.choices)
    item = models.ForeignKey(
        LicensingItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="templates",
        verbose_name=_("行政许可事项 / licensing item"),
    )
    version = models.PositiveIntegerField(_("版本 / version"))
    title = models.CharField(_("标题 / title"), max_length=200)
    text = models.TextField(_("承诺内容 / text"))
    published_at = models.DateTimeField(_("发布时间 / published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "item", "-version"]
        verbose_name = _("承诺书格式文本 / commitment template")
        verbose_name_plural = _("承诺书格式文本 / commitment templates")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "item", "version"],
                name="template_version_once",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Commitment(models.Model):
    """A commitment made by (or recorded for) a market entity to a department, on one version
    of a template, under a number: 6-digit region + 8-digit date + 6-digit serial (default)."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("履行中 / in force")
        FULFILLED = "fulfilled", _("已履行 / fulfilled")
        PARTIAL = "partial", _("部分履行 / partly fulfilled")
        BREACHED = "breached", _("未履行 / breached")

    class Fulfilment(models.TextChoices):
        FULL = "full", _("全部履行 / full")
        PARTIAL = "partial", _("部分履行 / partial")
        NONE = "none", _("未履行 / none")

    number = models.CharField(_("承诺编号 / number"), max_length=20, unique=True)
    kind = models.CharField(_("承诺类型 / kind"), max_length=20, choices=CommitmentKind.choices)
    template = models.ForeignKey(
        CommitmentTemplate,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("格式文本 / template"),
    )
    entity = models.ForeignKey(
        MarketEntity,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("市场主体 / market entity"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("受理部门 / department"),
    )
    item = models.ForeignKey(
        LicensingItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("行政许可事项 / licensing item"),
    )
    status = models.CharField(
        _("状态 / status"), max_length=10, choices=Status.choices, default=Status.IN_FORCE
    )
    public = models.BooleanField(_("公开 / public"), default=False)
    made_at = models.DateTimeField(_("承诺时间 / made"), auto_now_add=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    fulfilment = models.CharField(
        _("履行情况 / fulfilment"), max_length=10, choices=Fulfilment.choices, blank=True
    )
    fulfilment_note = models.TextField(_("履行说明 / note"), blank=True)
    fulfilment_recorded_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(_("认定未履行时间 / breached"), null=True, blank=True)
    # The negative credit record the breach wrote (catalogue item WY).
    breach_record = models.OneToOneField(
        CreditRecord,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="breached_commitment",
        verbose_name=_("失信记录 / breach record"),
    )

    class Meta:
        ordering = ["-made_at", "-id"]
        verbose_name = _("信用承诺 / credit commitment")
        verbose_name_plural = _("信用承诺 / credit commitments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=ITEM_KINDS) | Q(item__isnull=False),
                name="commitment_item_for_licensing_kinds",
            ),
        ]
        indexes = [
            models.Index(fields=["entity", "-made_at"], name="commitment_entity"),
            models.Index(fields=["department", "status"], name="commitment_department"),
        ]
        # The entity page shows public (voluntary) commitments only.
        triggers = page_version_triggers("commitment", "SELECT entity_id FROM changed WHERE public")

    def __str__(self) -> str:
        return self.number


class MissingMaterial(models.Model):
    """A material to be supplied by a deadline under acceptance with missing materials."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="materials")
    name = models.CharField(_("材料名称 / material"), max_length=200)
    deadline = models.DateField(_("补正期限 / deadline"))
    supplied_at = models.DateTimeField(_("补正时间 / supplied"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("容缺材料 / missing material")
        verbose_name_plural = _("容缺材料 / missing materials")
        indexes = [
            # The nightly deadline job: unsupplied materials by deadline.
            models.Index(
                fields=["deadline"], condition=Q(supplied_at__isnull=True), name="material_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.deadline})"


class CommitmentSerial(models.Model):
    """The last serial used for a region and day (the number's last 6 digits)."""

    region = models.CharField(max_length=6)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "day"], name="serial_per_region_day")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.day}: {self.last}"


class CommitmentConfig(models.Model):
    """Configuration, the newest row in force (each change adds one, so the history stays):
    the lowest grade still "in good standing" for acceptance with missing materials once
    ratings exist (35/1), and the longest deadline for a material."""

    min_grade_missing_materials = models.CharField(
        _("容缺受理的最低信用等级 / lowest grade for acceptance with missing materials"),
        max_length=1,
        blank=True,
        default="B",
    )
    max_material_days = models.PositiveSmallIntegerField(
        _("补正期限最长天数 / longest deadline for a material (days)"), default=90
    )

    class Meta:
        verbose_name = _("信用承诺设置 / commitment settings")
        verbose_name_plural = _("信用承诺设置 / commitment settings")

    def __str__(self) -> str:
        return f"{self.min_grade_missing_materials}/{self.max_material_days}"


# --- integrity education (35/2) -------------------------------------------------------------------
class EducationSession(models.Model):
    """A session of integrity education, held at a service window or online. It is free, and
    nothing may depend on it (35/2: never a condition of registration or access), so this
    model has no fee and no service checks attendance."""

    class Mode(models.TextChoices):
        WINDOW = "window", _("窗口现场 / at a service window")
        ONLINE = "online", _("线上 / online")

    title = models.CharField(_("课程名称 / course"), max_length=200)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="education_sessions",
        verbose_name=_("举办部门 / department"),
    )
    mode = models.CharField(_("方式 / mode"), max_length=10, choices=Mode.choices)
    starts_at = models.DateTimeField(_("开始时间 / starts"))
    place = models.CharField(_("地点或网址 / place or address"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("诚信教育 / integrity education session")
        verbose_name_plural = _("诚信教育 / integrity education sessions")

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class EducationAttendance(models.Model):
    """An entity's attendance at a session (voluntary; recorded, never required)."""

    session = models.ForeignKey(
        EducationSession, on_delete=models.PROTECT, related_name="attendances"
    )
    entity = models.ForeignKey(
        MarketEntity, on_delete=models.PROTECT, related_name="education_attendances"
    )
    attendee = models.CharField(_("参加人 / attendee"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("诚信教育参加记录 / attendance")
        verbose_name_plural = _("诚信教育参加记录 / attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "entity"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} @ {self.session_id}"


# --- voluntarily registered credit information (35/5) ---------------------------------------------
class VoluntaryDisclosure(models.Model):
    """Credit information an entity registers itself, vouching for its truth and consenting to
    its sharing (35/5). A department verifies it; only verified items count for evaluation and
    reports and are shown publicly."""

    class Kind(models.TextChoices):
        QUALIFICATION = "qualification", _("资质证书 / qualification certificate")
        OPERATION = "operation", _("市场经营 / market operation")
        CONTRACT = "contract", _("合同履约 / contract performance")
        PUBLIC_INTEREST = "public_interest", _("社会公益 / public-interest activity")

    class Status(models.TextChoices):
        PENDING = "pending", _("待核实 / pending")
        VERIFIED = "verified", _("已核实 / verified")
        REJECTED = "rejected", _("未通过 / rejected")
        REVOKED = "revoked", _("已撤销 / revoked")

    entity = models.ForeignKey(
        MarketEntity,
        on_delete=models.PROTECT,
        related_name="voluntary_disclosures",
        verbose_name=_("市场主体 / market entity"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="voluntary_disclosures",
        verbose_name=_("核实部门 / verifying department"),
    )
    kind = models.CharField(_("类别 / kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题 / title"), max_length=200)
    content = models.TextField(_("内容 / content"))
    authenticity_committed = models.BooleanField(_("承诺真实 / vouched for"))
    sharing_consented = models.BooleanField(_("同意共享 / consents to sharing"))
    status = models.CharField(
        _("状态 / status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("理由 / reason"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    submitted_at = models.DateTimeField(_("提交时间 / submitted"), auto_now_add=True)
    decided_at = models.DateTimeField(_("核实时间 / decided"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        triggers = page_version_triggers("disclosure", "SELECT entity_id FROM changed")
        verbose_name = _("自愿注册信用信息 / voluntarily registered information")
        verbose_name_plural = _("自愿注册信用信息 / voluntarily registered information")
        constraints = [
            # Both promises are part of the submission (35/5): never stored without them.
            models.CheckConstraint(
                condition=Q(authenticity_committed=True, sharing_consented=True),
                name="disclosure_vouched_and_consented",
            ),
        ]
        indexes = [
            models.Index(fields=["entity", "status"], name="disclosure_entity"),
            models.Index(fields=["department", "status"], name="disclosure_department"),
        ]

    def __str__(self) -> str:
        return self.title
