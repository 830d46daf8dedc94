"""Workbench pages for the departments that handle restoration applications, mounted at
/workbench/restoration/ (namespace "restoration-workbench"). Thin: selectors decide who sees
what, services decide what may be done (staff propose, a head approves, never the proposer)."""

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
from .forms import NoteForm, ProposeForm, ReasonsForm
from .models import RestorationApplication

S = RestorationApplication.Status
TABS = {
    "open": gettext_lazy("办理中"),
    S.SUBMITTED: gettext_lazy("待受理"),
    S.ACCEPTED: gettext_lazy("审查中"),
    S.PROPOSED: gettext_lazy("待审核"),
    "done": gettext_lazy("已办结"),
}


@workbench_view
def applications(request: HttpRequest) -> HttpResponse:
    """The department's applications with their clocks (platform administrators: all)."""
    status = request.GET.get("status", "open")
    status = status if status in TABS else "open"
    q = request.GET.get("q", "").strip()[:60]
    page, base_qs = paginate(
        request, selectors.applications_for(request.viewer, status=status, q=q)
    )
    return render(
        request,
        "restoration/workbench/applications.html",
        {
            "page": page,
            "base_qs": base_qs,
            "tabs": [(key, title, key == status) for key, title in TABS.items()],
            "q": q,
            "today": timezone.localdate(),
        },
    )


def _render(
    request: HttpRequest,
    application: RestorationApplication,
    *,
    forms: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer: Viewer = request.viewer
    forms = forms or {}
    handler = (
        viewer.is_regulator
        and viewer.role != Role.API_CLIENT
        and viewer.department.pk == application.department_id
    )
    context = {
        "application": application,
        "items": list(application.items.select_related("record", "listing")),
        "evidence": list(application.evidence.all()),
        "escalations": list(application.escalations.all()),
        "may_accept": handler and application.status == S.SUBMITTED,
        "may_propose": handler and application.status == S.ACCEPTED,
        "may_approve": handler
        and viewer.role == Role.DEPARTMENT_HEAD
        and application.status == S.PROPOSED,
        "is_proposer": application.proposed_by_id == request.user.pk,
        "refuse_form": forms.get("refuse") or ReasonsForm(),
        "propose_form": forms.get("propose") or ProposeForm(),
        "note_form": forms.get("note") or NoteForm(),
        "today": timezone.localdate(),
    }
    return render(request, "restoration/workbench/application.html", context, status=status)


@workbench_view
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    try:
        found = selectors.application_get(request.viewer, application_id)
    except DomainError as exc:
        return error_page(request, exc)
    return _render(request, found)


def _act(request: HttpRequest, application_id: int, form_key: str, form, call) -> HttpResponse:
    try:
        found = selectors.application_get(request.viewer, application_id)
    except DomainError as exc:
        return error_page(request, exc)
    return case_action(
        request, found, _render, "restoration-workbench:application", form_key, form, call
    )


@require_POST
@department_view
def accept(request: HttpRequest, application_id: int) -> HttpResponse:
    return _act(
        request,
        application_id,
        "",
        None,
        lambda f: services.restoration_accept(actor=request.user, application_id=application_id),
    )


@require_POST
@department_view
def refuse(request: HttpRequest, application_id: int) -> HttpResponse:
    return _act(
        request,
        application_id,
        "refuse",
        ReasonsForm(request.POST),
        lambda f: services.restoration_refuse(
            actor=request.user, application_id=application_id, reasons=f.cleaned_data["reasons"]
        ),
    )


@require_POST
@department_view
def propose(request: HttpRequest, application_id: int) -> HttpResponse:
    return _act(
        request,
        application_id,
        "propose",
        ProposeForm(request.POST),
        lambda f: services.restoration_propose(
            actor=request.user, application_id=application_id, **f.cleaned_data
        ),
    )


@require_POST
@department_view
def approve(request: HttpRequest, application_id: int) -> HttpResponse:
    return _act(
        request,
        application_id,
        "note",
        NoteForm({"note": "-"}),
        lambda f: services.restoration_approve(actor=request.user, application_id=application_id),
    )


@require_POST
@department_view
def send_back(request: HttpRequest, application_id: int) -> HttpResponse:
    return _act(
        request,
        application_id,
        "note",
        NoteForm(request.POST),
        lambda f: services.restoration_return(
            actor=request.user, application_id=application_id, note=f.cleaned_data["note"]
        ),
    )


@workbench_view
def escalations(request: HttpRequest) -> HttpResponse:
    """Clocks that ran out, for the department's head and the platform administrators."""
    page, base_qs = paginate(request, selectors.escalations_for(request.viewer))
    return render(
        request, "restoration/workbench/escalations.html", {"page": page, "base_qs": base_qs}
    )


@workbench_view
def evidence(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """A file, to the handling department only, always as a download."""
    try:
        found = selectors.evidence_get(request.viewer, evidence_id)
    except DomainError as exc:
        return error_page(request, exc)
    return file_download(found)
