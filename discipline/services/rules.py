"""The published rules: list rules and the measures list, both versioned (35/8, 33/3)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError, NotFound
from registry.models import Department
from registry.services import platform_admin_required

from ..models import BanField, BasisKind, ListKind, ListRule, Measure
from ._common import _days, _get, _required_text

# --- the published rules: list rules and the measures list (versioned) ------------------------
RULE_TEXTS = ("code", "name", "standards", "procedure", "objection_route", "exit_conditions")
RULE_FIELDS = (
    *RULE_TEXTS,
    "kind",
    "name_en",
    "bases",
    "period_months",
    "statement_days",
    "restoration_after_months",
    "legal_basis",
)


def _check_rule(fields: dict[str, Any]) -> None:
    _required_text(fields, RULE_TEXTS)
    if fields.get("kind") not in ListKind.values:
        raise DomainError(
            _("名单类别无效。/ Unknown list kind."), code="invalid_kind", field="kind"
        )
    bases = list(fields.get("bases") or [])
    if not bases or any(b not in BasisKind.values for b in bases):
        raise DomainError(
            _("请选择认定依据（司法裁判、行政处罚、行政强制或表彰奖励）。/ Choose the bases.") + "",
            code="invalid_bases",
            field="bases",
        )
    if fields["kind"] != ListKind.RED and BasisKind.REWARD in bases:
        raise DomainError(
            _("表彰奖励只能作为红名单的认定依据。/ A reward is a basis of red lists only."),
            code="invalid_bases",
            field="bases",
        )
    if fields["kind"] == ListKind.RED and set(bases) != {BasisKind.REWARD}:
        raise DomainError(
            _("红名单依据表彰奖励认定。/ Red lists are recognised on commendations or rewards."),
            code="invalid_bases",
            field="bases",
        )
    period = fields.get("period_months")
    if period not in (None, ""):
        _days(period, "period_months", 1, 600)
    _days(fields.get("statement_days", 5), "statement_days", 1, 30)
    after = fields.get("restoration_after_months")
    if after not in (None, ""):
        _days(after, "restoration_after_months", 0, 600)


@transaction.atomic
def list_rule_create(*, actor, departments: Sequence[Department], **fields: Any) -> ListRule:
    """A new list rule, or the next draft version of an existing code (platform
    administrators). It is used only once published (35/9: published before use)."""
    platform_admin_required(actor)
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise DomainError(_("未知字段：%(f)s / Unknown fields: %(f)s") % {"f": sorted(unknown)})
    fields.setdefault("statement_days", 5)
    _check_rule(fields)
    if not departments:
        raise DomainError(
            _("请指定有权认定的部门。/ Name the departments that may recognise."),
            code="required",
            field="departments",
        )
    code = fields["code"].strip()
    latest = ListRule.objects.select_for_update().filter(code=code).order_by("-version").first()
    if latest is not None and latest.kind != fields["kind"]:
        raise DomainError(
            _("同一规则编码的名单类别不能改变。/ A rule code keeps its list kind."),
            code="invalid_kind",
            field="kind",
        )
    fields["period_months"] = fields.get("period_months") or None
    if fields.get("restoration_after_months") == "":
        fields["restoration_after_months"] = None
    rule = ListRule.objects.create(
        **{**fields, "code": code}, version=(latest.version + 1) if latest else 1
    )
    rule.recognising_departments.set(departments)
    audit_event_record(
        actor=actor,
        action="list_rule.create",
        target=rule,
        after={"code": code, "version": rule.version, "kind": rule.kind},
    )
    return rule


def _version_publish(*, actor, model, pk, missing: str, action: str):
    """Publish a draft version: in force from now on; the version it replaces is retired
    (what was made under that one keeps it)."""
    platform_admin_required(actor)
    obj = _get(model.objects.select_for_update(), pk, missing)
    if obj.published_at is not None:
        return obj
    now = timezone.now()
    model.objects.filter(code=obj.code, published_at__isnull=False, retired_at=None).update(
        retired_at=now
    )
    obj.published_at = now
    obj.save(update_fields=["published_at"])
    audit_event_record(
        actor=actor, action=action, target=obj, after={"code": obj.code, "version": obj.version}
    )
    return obj


@transaction.atomic
def list_rule_publish(*, actor, rule_id: int) -> ListRule:
    """Publish a list rule version (35/9: published before use); listings keep theirs."""
    return _version_publish(
        actor=actor,
        model=ListRule,
        pk=rule_id,
        missing=_("规则不存在。/ No such rule."),
        action="list_rule.publish",
    )


def rule_in_force(code: str) -> ListRule:
    rule = (
        ListRule.objects.filter(code=code, published_at__isnull=False, retired_at=None)
        .order_by("-version")
        .first()
    )
    if rule is None:
        raise NotFound(
            _("没有已发布的名单认定规则“%(code)s”。/ No published list rule %(code)s.")
            % {"code": code},
            code="rule_not_found",
        )
    return rule


MEASURE_TEXTS = ("code", "name", "legal_basis")
MEASURE_FIELDS = (
    *MEASURE_TEXTS,
    "name_en",
    "category",
    "effect",
    "mandatory",
    "list_kinds",
    "ban_field",
)


@transaction.atomic
def measure_create(*, actor, department: Department, **fields: Any) -> Measure:
    """A new measure of the measures list, or the next draft version of a code (platform
    administrators; 33/9-15: each with category, mandatory or recommended, legal basis,
    implementing department and list kinds)."""
    platform_admin_required(actor)
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise DomainError(_("未知字段：%(f)s / Unknown fields: %(f)s") % {"f": sorted(unknown)})
    _required_text(fields, MEASURE_TEXTS)
    if fields.get("category") not in Measure.Category.values:
        raise DomainError(_("措施类别无效。/ Unknown category."), field="category")
    effect = fields.setdefault("effect", Measure.Effect.PUNISHMENT)
    if effect not in Measure.Effect.values:
        raise DomainError(_("措施性质无效。/ Unknown effect."), field="effect")
    kinds = list(fields.get("list_kinds") or [])
    if not kinds or any(k not in ListKind.values for k in kinds):
        raise DomainError(
            _("请选择适用的名单类别。/ Choose the list kinds it applies to."),
            code="invalid_kinds",
            field="list_kinds",
        )
    if (effect == Measure.Effect.INCENTIVE) != (set(kinds) == {ListKind.RED}):
        raise DomainError(
            _(
                "激励措施适用于红名单，惩戒措施适用于惩戒和重点关注名单。/ Incentives apply to red "
                "lists, punishments to the punishment and key-attention lists."
            ),
            code="invalid_kinds",
            field="list_kinds",
        )
    if fields.get("ban_field") and fields["ban_field"] not in BanField.values:
        raise DomainError(_("禁入领域无效。/ Unknown access-ban field."), field="ban_field")
    code = fields["code"].strip()
    latest = Measure.objects.select_for_update().filter(code=code).order_by("-version").first()
    measure = Measure.objects.create(
        **{**fields, "code": code},
        department=department,
        version=(latest.version + 1) if latest else 1,
    )
    audit_event_record(
        actor=actor,
        action="measure.create",
        target=measure,
        after={"code": code, "version": measure.version, "department": department.code},
    )
    return measure


@transaction.atomic
def measure_publish(*, actor, measure_id: int) -> Measure:
    """Publish a measure version; tasks made under the one it replaces keep their measure."""
    return _version_publish(
        actor=actor,
        model=Measure,
        pk=measure_id,
        missing=_("措施不存在。/ No such measure."),
        action="measure.publish",
    )


def measures_in_force(kind: str):
    return Measure.objects.filter(
        published_at__isnull=False, retired_at=None, list_kinds__contains=[kind]
    )
