"""The commitments cards of the workbench home (registered in CommitmentsConfig.ready): how
many commitments and registrations wait for the department. A breach the nightly job found
shows here as a count, so the department is told without looking for it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credit_portal.navigation import HomeCard
from registry.roles import Viewer

from . import selectors


def home_cards(viewer: Viewer) -> list[HomeCard]:
    counts = selectors.department_task_counts(viewer)
    if not counts:
        return []
    queue = reverse("commitments-workbench:queue")
    breached = counts["breached_new"]
    due = counts["materials"] + counts["record"]
    return [
        HomeCard(
            title=_("信用承诺"),
            url=f"{queue}?queue=breached" if breached else queue,
            description=_("待补正材料、待记录履行和已认定未履行的承诺；录入窗口签署的承诺。"),
            count=breached + due,
            waiting=(
                ngettext(
                    "近 7 日认定未履行的承诺 %(n)d 项（已记入信用记录）",
                    "近 7 日认定未履行的承诺 %(n)d 项（已记入信用记录）",
                    breached,
                )
                % {"n": breached}
                if breached
                else ""
            ),
        ),
        HomeCard(
            title=_("自愿注册核实"),
            url=reverse("commitments-workbench:registrations"),
            description=_("核实市场主体自愿注册的信用信息，通过后方可公示和用于评价。"),
            count=counts["registrations"],
            waiting=(
                ngettext(
                    "待核实的自愿注册信息 %(n)d 条",
                    "待核实的自愿注册信息 %(n)d 条",
                    counts["registrations"],
                )
                % {"n": counts["registrations"]}
                if counts["registrations"]
                else ""
            ),
        ),
        HomeCard(
            title=_("诚信教育"),
            url=reverse("commitments-workbench:education"),
            description=_("发布免费的诚信教育场次，记录参加情况；不作为任何办事的前置条件。"),
        ),
    ]
