"""Helpers the restoration services share (private to the package)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from credit_portal.audit.services import audit_event_record
from credit_portal.calendar import add_working_days
from credit_portal.casework import settings_row_add, text_clean
from credit_portal.errors import DomainError, NotFound
from registry.models import Decision
from registry.roles import Viewer
from registry.services import official_required, platform_admin_required

from ..models import RestorationApplication, RestorationBar, RestorationConfig


def restoration_config() -> RestorationConfig:
    """The settings in force (the newest row; the defaults when none was saved)."""
    return RestorationConfig.in_force()


CONFIG_LIMITS = {
    "accept_days": (1, 10),
    "decide_days": (1, 60),
    "effect_days": (1, 10),
    "unrated_min_months": (0, 60),
    "upload_max_bytes": (64 * 1024, 50 * 1024 * 1024),
    "upload_max_files": (0, 20),
}


def restoration_config_set(*, actor, **values: int) -> RestorationConfig:
    """Change the clocks and upload limits (platform administrators): a new row, audited."""
    platform_admin_required(actor)
    return settings_row_add(
        RestorationConfig, CONFIG_LIMITS, values, actor=actor, action="restoration_config.set"
    )


def _working_day(start: datetime.date, days: int) -> datetime.date:
    return add_working_days(start, days).value


def _handled(actor, application_id) -> tuple[Viewer, RestorationApplication]:
    """The official's viewer and the application, locked, if it is the official's
    department's; another department's application is not found (nothing leaks)."""
    viewer = official_required(actor)
    try:
        pk = int(application_id)
    except (TypeError, ValueError):
        pk = 0
    application = (
        RestorationApplication.objects.select_for_update(of=("self",))
        .select_related("entity", "department", "commitment")
        .filter(pk=pk, department=viewer.department)
        .first()
        if 0 < pk < 2**63
        else None
    )
    if application is None:
        raise NotFound(
            _("信用修复申请不存在。/ No such restoration application."),
            code="application_not_found",
        )
    return viewer, application


def restoration_bar_add(*, actor, rule: str, catalogue_item=None, penalty_type: str = ""):
    """Configure a kind of record that is never restored early (platform administrators):
    by catalogue item, penalty type or both, with the rule an applicant is shown. Audited; a
    bar is retired with ``restoration_bar_retire``, never edited, so what applied stays."""
    platform_admin_required(actor)
    rule = text_clean(rule, "rule", _("规定 / rule"), limit=2000)
    if penalty_type and penalty_type not in Decision.PenaltyType.values:
        raise DomainError(_("处罚种类无效。/ Unknown penalty type."), field="penalty_type")
    if catalogue_item is None and not penalty_type:
        raise DomainError(
            _("请选择目录项或处罚种类。/ Choose a catalogue item or a penalty type."),
            field="catalogue_item",
        )
    bar = RestorationBar.objects.create(
        rule=rule, catalogue_item=catalogue_item, penalty_type=penalty_type or ""
    )
    audit_event_record(
        actor=actor,
        action="restoration_bar.add",
        target=bar,
        after={
            "catalogue_item": catalogue_item.code if catalogue_item else None,
            "penalty_type": penalty_type,
            "rule": rule,
        },
    )
    return bar


def restoration_bar_retire(*, actor, bar_id: int) -> RestorationBar:
    platform_admin_required(actor)
    bar = RestorationBar.objects.get(pk=bar_id)
    if bar.active:
        bar.active = False
        bar.save(update_fields=["active"])
        audit_event_record(actor=actor, action="restoration_bar.retire", target=bar)
    return bar
