"""The discipline cards of the workbench home (registered in DisciplineConfig.ready): what
waits for the department. Counts are the viewer's department's only."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credit_portal.navigation import HomeCard
from registry.roles import Viewer

from . import selectors


def home_cards(viewer: Viewer) -> list[HomeCard]:
    if not viewer.is_regulator:
        return []
    counts = selectors.workbench_counts(viewer)
    ready, tasks, overdue = counts["ready"], counts["tasks_open"], counts["tasks_overdue"]
    interviews, warnings = counts["interviews_due"], counts["warnings_open"]
    return [
        HomeCard(
            title=_("信用名单"),
            url=reverse("discipline-workbench:listings") + "?status=proposed",
            description=_("拟列入、列入、暂停和移出本部门认定的名单；陈述申辩期满后作出决定。"),
            count=ready,
            waiting=ngettext(
                "陈述申辩期已满或已陈述、待作出决定的拟列入名单 %(n)d 项",
                "陈述申辩期已满或已陈述、待作出决定的拟列入名单 %(n)d 项",
                ready,
            )
            % {"n": ready}
            if ready
            else "",
        ),
        HomeCard(
            title=_("惩戒措施任务"),
            url=reverse("discipline-workbench:tasks"),
            description=_("实施名单所涉的惩戒措施并反馈；名单移出后确认解除。"),
            count=tasks,
            waiting=(
                ngettext(
                    "待实施的惩戒措施任务 %(n)d 项，其中逾期 %(overdue)d 项",
                    "待实施的惩戒措施任务 %(n)d 项，其中逾期 %(overdue)d 项",
                    tasks,
                )
                % {"n": tasks, "overdue": overdue}
                if tasks
                else ""
            ),
        ),
        HomeCard(
            title=_("限期整改与约谈"),
            url=reverse("discipline-workbench:rectifications"),
            description=_("下达限期整改；逾期未整改的进行提示约谈、警示约谈。"),
            count=interviews,
            waiting=ngettext("待进行的约谈 %(n)d 次", "待进行的约谈 %(n)d 次", interviews)
            % {"n": interviews}
            if interviews
            else "",
        ),
        HomeCard(
            title=_("禁入与任职预警"),
            url=reverse("discipline-workbench:bans"),
            description=_("市场和行业禁入；被禁入或失信的责任人在其他主体任职的预警。"),
            count=warnings,
            waiting=ngettext("待处理的任职预警 %(n)d 条", "待处理的任职预警 %(n)d 条", warnings)
            % {"n": warnings}
            if warnings
            else "",
        ),
    ]
