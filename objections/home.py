"""The objections cards of the workbench home (registered in ObjectionsConfig.ready): the
department's open objections and tip-offs, and the escalations its head and the platform
administrators are told of."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credit_portal.navigation import HomeCard
from registry.roles import Role, Viewer

from . import selectors
from .models import Objection, TipOff


def home_cards(viewer: Viewer) -> list[HomeCard]:
    if not (viewer.is_regulator or viewer.role == Role.PLATFORM_ADMIN):
        return []
    objections = selectors.objections_for(viewer, status="open").count()
    # Waiting to be taken: "open" in the queue's sense also counts the ones being handled.
    tipoffs = selectors.tipoffs_for(viewer).filter(status=TipOff.Status.OPEN).count()
    if viewer.role == Role.PLATFORM_ADMIN:
        objections = selectors.objections_for(viewer, status=Objection.Status.FORWARDING).count()
    escalated = selectors.escalations_for(viewer).filter(read_at=None).count()
    cards = [
        HomeCard(
            title=_("异议核查"),
            url=reverse("objections-workbench:objections"),
            description=_("核查对本部门信息的异议；核查期间相关惩戒措施暂停执行。"),
            count=objections,
            waiting=ngettext("办理中的异议 %(n)d 件", "办理中的异议 %(n)d 件", objections)
            % {"n": objections}
            if objections
            else "",
        ),
        HomeCard(
            title=_("投诉举报"),
            url=reverse("objections-workbench:tipoffs"),
            description=_("认领并办理转交本部门的举报；举报人信息仅承办人可见。"),
            count=tipoffs,
            waiting=ngettext("待认领的举报 %(n)d 件", "待认领的举报 %(n)d 件", tipoffs)
            % {"n": tipoffs}
            if tipoffs
            else "",
        ),
    ]
    if viewer.role in (Role.DEPARTMENT_HEAD, Role.PLATFORM_ADMIN):
        cards.append(
            HomeCard(
                title=_("超期督办"),
                url=reverse("objections-workbench:escalations"),
                description=_("期限届满未办理的异议和举报。"),
                count=escalated,
                waiting=ngettext("超期事项 %(n)d 件", "超期事项 %(n)d 件", escalated)
                % {"n": escalated}
                if escalated
                else "",
            )
        )
    return cards
