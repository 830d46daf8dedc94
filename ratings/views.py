"""Rating pages. Workbench: runs with their progress, the grade distribution and changes
(charts), an entity's rating explained. Public site: the signed-in entity's own rating.
Thin: the services decide, the selectors choose what is shown."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credit_portal.errors import DomainError
from registry import selectors as registry_selectors
from registry.roles import Role, viewer_for
from registry.views import error_page, forbidden, paginate, region_label, workbench_view

from . import selectors, services, tasks
from .models import RatingRun

GRADES = "ABCD"


def _chart(rows: list[tuple[str, dict[str, int]]], label) -> dict:
    return {
        "labels": [label(key) for key, _counts in rows],
        "grades": list(GRADES),
        "series": {g: [counts[g] for _key, counts in rows] for g in GRADES},
    }


@workbench_view
def overview(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    page, base_qs = paginate(request, selectors.runs(), per_page=10)
    progress = [selectors.run_progress(run) for run in page.object_list]
    latest = selectors.latest_finished_run()
    by_region = selectors.grade_distribution("region")
    by_industry = selectors.grade_distribution("industry")
    running = any(p.run.status == RatingRun.Status.RUNNING for p in progress)
    return render(
        request,
        "ratings/overview.html",
        {
            "page": page,
            "base_qs": base_qs,
            "progress": progress,
            "running": running,
            "latest": latest,
            "changes": selectors.change_summary(latest) if latest else [],
            "by_region": [(region_label(k + "0000"), c) for k, c in by_region],
            "by_industry": by_industry,
            "chart": {
                "region": _chart(by_region, lambda k: region_label(k + "0000")),
                "industry": _chart(by_industry, lambda k: k or "—"),
            },
            "may_start": viewer.role == Role.PLATFORM_ADMIN,
        },
    )


@require_POST
@workbench_view
def start(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", RatingRun.Kind.CHANGED)
    try:
        run, chunk_ids = services.run_start(actor=request.user, kind=kind)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("ratings-workbench:overview")
    if chunk_ids:
        tasks.rating_stage.delay(run.pk)
    messages.success(
        request, _("评价批次 %(id)s 已开始，共 %(n)d 批。") % {"id": run.pk, "n": len(chunk_ids)}
    )
    return redirect("ratings-workbench:overview")


def _entity_context(entity, rating) -> dict:
    return {
        "entity": entity,
        "rating": rating,
        "explanation": selectors.explain(rating) if rating else None,
    }


@workbench_view
def entity(request: HttpRequest, uscc: str) -> HttpResponse:
    viewer = request.viewer
    try:
        target = registry_selectors.entity_get(uscc)
    except DomainError as exc:
        return error_page(request, exc)
    if not selectors.may_see_rating(viewer, target):
        return forbidden(request, _("无权查看该主体的信用评价。"))
    latest = selectors.rating_read(viewer, target, purpose="workbench view")
    history = list(selectors.entity_ratings(target)[:12])
    context = _entity_context(target, latest)
    context["history"] = history
    return render(request, "ratings/entity.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in entity's own rating and how it was reached (35/6)."""
    viewer = viewer_for(request.user)
    if viewer.role != Role.ENTITY_USER:
        return forbidden(request, _("只有市场主体账号可以查看本主体的信用评价。"))
    target = registry_selectors.entity_get(viewer.entity_uscc)
    context = _entity_context(target, selectors.latest_rating(target))
    context["public"] = True
    return render(request, "ratings/entity.html", context)
