"""The restoration cards of the workbench home (registered in RestorationConfig.ready): the
department's applications waiting for a step, and the escalations its head is told of."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credit_portal.navigation import HomeCard
from registry.roles import Role, Viewer

from . import selectors


def home_cards(viewer: Viewer) -> list[HomeCard]:
    if not (viewer.is_regulator or viewer.role == Role.PLATFORM_ADMIN):
        return []
    waiting = selectors.applications_for(viewer, status="open").count()
    cards = [
        HomeCard(
            title=_("信用修复"),
            url=reverse("restoration-workbench:applications"),
            description=_("受理和审查信用修复申请；准予修复后停止公示、解除惩戒。"),
            count=waiting,
            waiting=ngettext("办理中的修复申请 %(n)d 件", "办理中的修复申请 %(n)d 件", waiting)
            % {"n": waiting}
            if waiting
            else "",
        )
    ]
    if viewer.role in (Role.DEPARTMENT_HEAD, Role.PLATFORM_ADMIN):
        escalated = selectors.escalations_for(viewer).count()
        cards.append(
            HomeCard(
                title=_("修复超期督办"),
                url=reverse("restoration-workbench:escalations"),
                description=_("期限届满未办结的信用修复申请。"),
                count=escalated,
                waiting=ngettext("超期事项 %(n)d 件", "超期事项 %(n)d 件", escalated)
                % {"n": escalated}
                if escalated
                else "",
            )
        )
    return cards
