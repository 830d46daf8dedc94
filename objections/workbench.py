"""Workbench pages for the handlers of objections and tip-offs, mounted at
/workbench/objections/ (namespace "objections-workbench"). Thin: selectors decide who sees
what (the filer's contact and a tip-off's reporter are opened only on request and logged),
services decide what may be done."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from credit_portal.errors import DomainError
from credit_portal.web import case_action, error_page, file_download, paginate
from registry.access import department_view, workbench_view
from registry.roles import Role, Viewer

from . import selectors, services
from .forms import CloseForm, ForwardForm, NoteForm, ProposeForm
from .models import Objection, TipOff

OBJECTION_TABS = {
    "open": gettext_lazy("办理中"),
    Objection.Status.FORWARDING: gettext_lazy("待转办"),
    Objection.Status.PROPOSED: gettext_lazy("待审核"),
    Objection.Status.DECIDED: gettext_lazy("已办结"),
}
TIPOFF_TABS = {
    "open": gettext_lazy("办理中"),
    TipOff.Status.FORWARDING: gettext_lazy("待转办"),
    TipOff.Status.CLOSED: gettext_lazy("已办结"),
}


def _tabs(tabs: dict, current: str) -> list[tuple[str, str, bool]]:
    return [(key, title, key == current) for key, title in tabs.items()]


@workbench_view
def objections(request: HttpRequest) -> HttpResponse:
    """The department's objections with their clocks (platform administrators: all, and
    those to forward)."""
    viewer: Viewer = request.viewer
    status = request.GET.get("status", "open")
    status = status if status in OBJECTION_TABS else "open"
    q = request.GET.get("q", "").strip()[:40]
    page, base_qs = paginate(request, selectors.objections_for(viewer, status=status, q=q))
    return render(
        request,
        "objections/workbench/objections.html",
        {
            "page": page,
            "base_qs": base_qs,
            "tabs": _tabs(OBJECTION_TABS, status),
            "q": q,
            "today": timezone.localdate(),
        },
    )


def _render_objection(
    request: HttpRequest, objection: Objection, *, forms: dict | None = None, status: int = 200
) -> HttpResponse:
    viewer: Viewer = request.viewer
    holder = viewer.is_regulator and viewer.department.pk == objection.department_id
    forms = forms or {}
    context = {
        "objection": objection,
        "effects": list(objection.effects.order_by("kind", "object_id")),
        "evidence": list(objection.evidence.all()),
        "escalations": list(objection.escalations.all()),
        "holder": holder,
        "may_propose": holder and objection.status == Objection.Status.REVIEWING,
        "may_approve": holder
        and viewer.role == Role.DEPARTMENT_HEAD
        and objection.status == Objection.Status.PROPOSED,
        "is_proposer": objection.proposed_by_id == request.user.pk,
        "may_forward": viewer.role == Role.PLATFORM_ADMIN
        and objection.status == Objection.Status.FORWARDING,
        "filer": forms.pop("filer", None),
        "propose_form": forms.get("propose") or ProposeForm(),
        "note_form": forms.get("note") or NoteForm(),
        "forward_form": forms.get("forward") or ForwardForm(),
        "today": timezone.localdate(),
    }
    return render(request, "objections/workbench/objection.html", context, status=status)


@workbench_view
def objection(request: HttpRequest, objection_id: int) -> HttpResponse:
    try:
        found = selectors.objection_get(request.viewer, objection_id)
    except DomainError as exc:
        return error_page(request, exc)
    return _render_objection(request, found)


@require_POST
@department_view
def objection_filer(request: HttpRequest, objection_id: int) -> HttpResponse:
    """Open the filer's name and contact (the read is logged)."""
    try:
        found = selectors.objection_get(request.viewer, objection_id)
        filer = selectors.objection_filer(request.viewer, found)
    except DomainError as exc:
        return error_page(request, exc)
    return _render_objection(request, found, forms={"filer": filer})


def _act(request: HttpRequest, objection_id: int, form_key: str, form, call) -> HttpResponse:
    try:
        found = selectors.objection_get(request.viewer, objection_id)
    except DomainError as exc:
        return error_page(request, exc)
    return case_action(
        request, found, _render_objection, "objections-workbench:objection", form_key, form, call
    )


@require_POST
@department_view
def objection_propose(request: HttpRequest, objection_id: int) -> HttpResponse:
    return _act(
        request,
        objection_id,
        "propose",
        ProposeForm(request.POST),
        lambda f: services.objection_propose(
            actor=request.user,
            objection_id=objection_id,
            outcome=f.cleaned_data["outcome"],
            reasons=f.cleaned_data["reasons"],
            correction=f.correction(),
        ),
    )


@require_POST
@department_view
def objection_approve(request: HttpRequest, objection_id: int) -> HttpResponse:
    return _act(
        request,
        objection_id,
        "note",
        NoteForm({"note": "-"}),
        lambda f: services.objection_approve(actor=request.user, objection_id=objection_id),
    )


@require_POST
@department_view
def objection_return(request: HttpRequest, objection_id: int) -> HttpResponse:
    return _act(
        request,
        objection_id,
        "note",
        NoteForm(request.POST),
        lambda f: services.objection_return(
            actor=request.user, objection_id=objection_id, note=f.cleaned_data["note"]
        ),
    )


@require_POST
@workbench_view
def objection_forward(request: HttpRequest, objection_id: int) -> HttpResponse:
    return _act(
        request,
        objection_id,
        "forward",
        ForwardForm(request.POST),
        lambda f: services.objection_forward(
            actor=request.user,
            objection_id=objection_id,
            department_code=f.cleaned_data["department"].code,
        ),
    )


# --- tip-offs -----------------------------------------------------------------------------------
@workbench_view
def tipoffs(request: HttpRequest) -> HttpResponse:
    viewer: Viewer = request.viewer
    status = request.GET.get("status", "open")
    status = status if status in TIPOFF_TABS else "open"
    page, base_qs = paginate(request, selectors.tipoffs_for(viewer, status=status))
    return render(
        request,
        "objections/workbench/tipoffs.html",
        {
            "page": page,
            "base_qs": base_qs,
            "tabs": _tabs(TIPOFF_TABS, status),
            "today": timezone.localdate(),
        },
    )


def _render_tipoff(
    request: HttpRequest, tipoff: TipOff, *, forms: dict | None = None, status: int = 200
) -> HttpResponse:
    viewer: Viewer = request.viewer
    forms = forms or {}
    handler = selectors.may_see_reporter(viewer, tipoff)
    context = {
        "tipoff": tipoff,
        "handler": handler,
        # 33/13: the reporter is opened for the handler only (and logged), nobody else.
        "reporter": selectors.tipoff_reporter(viewer, tipoff) if handler else None,
        "evidence": list(tipoff.evidence.all()) if handler else [],
        "may_claim": viewer.is_regulator
        and viewer.department.pk == tipoff.department_id
        and tipoff.status == TipOff.Status.OPEN,
        "may_close": handler and tipoff.status == TipOff.Status.HANDLING,
        "may_forward": viewer.role == Role.PLATFORM_ADMIN
        and tipoff.status == TipOff.Status.FORWARDING,
        "close_form": forms.get("close") or CloseForm(),
        "forward_form": forms.get("forward") or ForwardForm(),
    }
    return render(request, "objections/workbench/tipoff.html", context, status=status)


@workbench_view
def tipoff(request: HttpRequest, tipoff_id: int) -> HttpResponse:
    try:
        found = selectors.tipoff_get(request.viewer, tipoff_id)
    except DomainError as exc:
        return error_page(request, exc)
    return _render_tipoff(request, found)


def _tipoff_act(request: HttpRequest, tipoff_id: int, form_key: str, form, call) -> HttpResponse:
    try:
        found = selectors.tipoff_get(request.viewer, tipoff_id)
    except DomainError as exc:
        return error_page(request, exc)
    return case_action(
        request, found, _render_tipoff, "objections-workbench:tipoff", form_key, form, call
    )


@require_POST
@department_view
def tipoff_claim(request: HttpRequest, tipoff_id: int) -> HttpResponse:
    return _tipoff_act(
        request,
        tipoff_id,
        "",
        None,
        lambda f: services.tipoff_claim(actor=request.user, tipoff_id=tipoff_id),
    )


@require_POST
@department_view
def tipoff_close(request: HttpRequest, tipoff_id: int) -> HttpResponse:
    return _tipoff_act(
        request,
        tipoff_id,
        "close",
        CloseForm(request.POST),
        lambda f: services.tipoff_close(actor=request.user, tipoff_id=tipoff_id, **f.cleaned_data),
    )


@require_POST
@workbench_view
def tipoff_forward(request: HttpRequest, tipoff_id: int) -> HttpResponse:
    return _tipoff_act(
        request,
        tipoff_id,
        "forward",
        ForwardForm(request.POST),
        lambda f: services.tipoff_forward(
            actor=request.user,
            tipoff_id=tipoff_id,
            department_code=f.cleaned_data["department"].code,
        ),
    )


# --- escalations and evidence ---------------------------------------------------------------
@workbench_view
def escalations(request: HttpRequest) -> HttpResponse:
    """Clocks that ran out, for the holder department's head and the platform administrators."""
    page, base_qs = paginate(request, selectors.escalations_for(request.viewer))
    return render(
        request, "objections/workbench/escalations.html", {"page": page, "base_qs": base_qs}
    )


@workbench_view
def evidence(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """A file, to the case's handlers only, always as a download (never rendered inline)."""
    try:
        found = selectors.evidence_get(request.viewer, evidence_id)
    except DomainError as exc:
        return error_page(request, exc)
    return file_download(found)
