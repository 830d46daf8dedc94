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

from credit_portal.errors import DomainError, NotFound
from credit_portal.web import (
    add_domain_error,
    error_page,
    forbidden,
    form_error_status,
    paginate,
)
from registry import selectors as registry_selectors
from registry.access import department_view, workbench_view
from registry.labels import region_label
from registry.roles import Role, viewer_for

from . import selectors, services, tasks
from .forms import PlanForm, ResultForm
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
    tasks.enqueue(chunk_ids)
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


# --- double-random spot checks (35/7) ---------------------------------------------------------
@department_view
def plans(request: HttpRequest) -> HttpResponse:
    """The department's plans, the form for a new one, and the checks the viewer was drawn for."""
    viewer = request.viewer
    form = PlanForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.plan_create(
                    actor=request.user,
                    title=data["title"],
                    items=data["items"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    inspector_ids=[u.pk for u in data["inspectors"]],
                    region_prefix=data["region_prefix"],
                    industry_prefix=data["industry_prefix"],
                    per_check=data["per_check"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = form_error_status(exc)
            else:
                messages.success(request, _("抽查计划已保存。"))
                return redirect("ratings-workbench:plan", plan_id=plan.pk)
        else:
            status = 400
    page, base_qs = paginate(request, selectors.plans_visible(viewer))
    mine = list(selectors.checks_visible(viewer).filter(inspectors=request.user, result="")[:50])
    return render(
        request,
        "ratings/plans.html",
        {"page": page, "base_qs": base_qs, "form": form, "mine": mine},
        status=status,
    )


def _render_plan(request, plan, status=200) -> HttpResponse:
    checks = list(selectors.plan_checks(plan).select_related("entity"))
    return render(
        request,
        "ratings/plan.html",
        {
            "plan": plan,
            "checks": checks,
            "replay_matches": selectors.draw_replay_matches(plan, checks),
            "result_form": ResultForm(),
        },
        status=status,
    )


def _no_plan(request: HttpRequest) -> HttpResponse:
    return error_page(
        request, NotFound(_("抽查计划不存在。/ No such plan."), code="plan_not_found")
    )


@workbench_view
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    found = selectors.plans_visible(request.viewer).filter(pk=plan_id).first()
    return _render_plan(request, found) if found else _no_plan(request)


@require_POST
@workbench_view
def plan_draw(request: HttpRequest, plan_id: int) -> HttpResponse:
    found = selectors.plans_visible(request.viewer).filter(pk=plan_id).first()
    if found is None:
        return _no_plan(request)
    try:
        services.plan_draw(actor=request.user, plan_id=found.pk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已随机抽取检查对象和检查人员。"))
    return redirect("ratings-workbench:plan", plan_id=found.pk)


@require_POST
@workbench_view
def check_result(request: HttpRequest, check_id: int) -> HttpResponse:
    viewer = request.viewer
    check = selectors.checks_visible(viewer).filter(pk=check_id).first()
    if check is None:
        return error_page(
            request, NotFound(_("抽查任务不存在。/ No such check."), code="check_not_found")
        )
    form = ResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择检查结果。"))
        return redirect("ratings-workbench:plan", plan_id=check.plan_id)
    try:
        services.check_result_record(
            actor=request.user,
            check_id=check.pk,
            result=form.cleaned_data["result"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("检查结果已录入，并作为行政检查信息公示。"))
    return redirect("ratings-workbench:plan", plan_id=check.plan_id)
