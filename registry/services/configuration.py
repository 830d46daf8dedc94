"""The publicity rules and configuration, edited by platform administrators in the admin."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.errors import DomainError

from ..models import PublicityConfig, PublicityRule
from .access import platform_admin_required

# --- publicity configuration (edited by platform administrators in the admin) ------------------
RULE_FIELDS = ("published", "min_months", "max_months")
CONFIG_FIELDS = ("publish_within", "withdraw_within")


def publicity_rule_check(
    *, published: bool, min_months: int | None, max_months: int | None
) -> None:
    """A rule must make sense: the minimum (restoration) never exceeds the maximum (display)."""
    if max_months is not None and max_months < 1:
        raise DomainError(
            _(
                "最长公示期至少1个月；不限请留空。/ The maximum is at least 1 month; leave it "
                "empty for no limit."
            ),
            field="max_months",
        )
    if published and min_months is not None and max_months is not None and min_months > max_months:
        raise DomainError(
            _("最短公示期不能长于最长公示期。/ The minimum cannot exceed the maximum."),
            code="min_exceeds_max",
            field="min_months",
        )


def publicity_config_check(*, publish_within: int, withdraw_within: int) -> None:
    """Working-day deadlines are at least 1; publication may be stricter than the national
    7 working days (35/15, 33/17), never looser."""
    if not 1 <= publish_within <= 7:
        raise DomainError(
            _(
                "公示时限为1至7个工作日（国办发〔2019〕35号）。/ Publication is due within 1 to 7 "
                "working days (2019 No. 35)."
            ),
            field="publish_within",
        )
    if withdraw_within < 1:
        raise DomainError(
            _("撤下时限至少1个工作日。/ Withdrawal is due within at least 1 working day."),
            field="withdraw_within",
        )


def _configuration_update(
    *, actor, obj, allowed: tuple[str, ...], check, action: str, fields: dict[str, Any]
):
    """Lock the configuration row, refuse unknown fields, return early when nothing changes,
    check the new values as a whole, save them and audit before and after."""
    platform_admin_required(actor)
    unknown = set(fields) - set(allowed)
    if unknown:
        raise DomainError(
            _("不能修改这些字段：%(f)s / These fields cannot be changed: %(f)s")
            % {"f": ", ".join(sorted(unknown))}
        )
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = {f: getattr(locked, f) for f in allowed}
    after = {**before, **fields}
    if after == before:
        return locked
    check(**after)
    for field, value in fields.items():
        setattr(locked, field, value)
    locked.save(update_fields=list(fields))
    audit_event_record(actor=actor, action=action, target=locked, before=before, after=after)
    return locked


@transaction.atomic
def publicity_rule_update(*, actor, rule: PublicityRule, **fields: Any) -> PublicityRule:
    """Change how long decisions of a severity are shown. Applies to publications from now on;
    windows already opened keep their dates."""
    return _configuration_update(
        actor=actor,
        obj=rule,
        allowed=RULE_FIELDS,
        check=publicity_rule_check,
        action="publicity_rule.update",
        fields=fields,
    )


@transaction.atomic
def publicity_config_update(*, actor, config: PublicityConfig, **fields: Any) -> PublicityConfig:
    """Change the working-day deadlines. Applies to decisions recorded or changed from now on;
    due dates already computed stay as they are."""
    return _configuration_update(
        actor=actor,
        obj=config,
        allowed=CONFIG_FIELDS,
        check=publicity_config_check,
        action="publicity_config.update",
        fields=fields,
    )
