"""Helpers the restoration services share (private to the package)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from credit_portal.calendar import add_working_days
from credit_portal.casework import settings_row_add
from credit_portal.errors import NotFound, PermissionDenied
from registry.roles import Role, Viewer
from registry.services import platform_admin_required, regulator_required

from ..models import RestorationApplication, RestorationConfig


def restoration_config() -> RestorationConfig:
    """The settings in force (the newest row; the defaults when none was saved)."""
    return RestorationConfig.objects.first() or RestorationConfig()


CONFIG_LIMITS = {
    "accept_days": (1, 10),
    "decide_days": (1, 60),
    "effect_days": (1, 10),
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


def _official(actor) -> Viewer:
    """Applications are handled by department officials: staff propose, heads approve; an
    API client reads but never decides (four eyes need two persons)."""
    viewer = regulator_required(actor)
    if viewer.role == Role.API_CLIENT:
        raise PermissionDenied(
            _(
                "信用修复申请须由部门工作人员办理、负责人审核。/ Restoration applications are "
                "handled by department officials, not API clients."
            ),
            code="person_required",
        )
    return viewer


def _handled(actor, application_id) -> tuple[Viewer, RestorationApplication]:
    """The official's viewer and the application, locked, if it is the official's
    department's; another department's application is not found (nothing leaks)."""
    viewer = _official(actor)
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
