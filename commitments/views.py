"""Public commitment pages: the published templates (35/1), a signed-in entity making a
voluntary public commitment and registering its own credit information (35/5), and the free
integrity education on offer (35/2). Thin: the services decide."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal.errors import DomainError, NotFound
from credit_portal.web import (
    add_domain_error,
    error_page,
    forbidden,
    form_error_status,
    paginate,
)
from registry.roles import Role, viewer_for

from . import selectors, services
from .forms import DisclosureForm, VoluntaryCommitmentForm
from .models import CommitmentKind


def template_list(request: HttpRequest) -> HttpResponse:
    """Every published version of every standard commitment template."""
    templates = list(selectors.published_templates())
    return render(request, "commitments/template_list.html", {"templates": templates})


@login_required
def voluntary_commitment_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    if viewer.role != Role.ENTITY_USER:
        return forbidden(
            request,
            _("只有市场主体账号可以作出主动公示型承诺。/ Only entity accounts make these."),
        )
    template = services.current_template(CommitmentKind.VOLUNTARY, None)
    if template is None:
        return error_page(
            request,
            NotFound(
                _("暂无可用的承诺书格式文本。/ No commitment template has been published yet."),
                code="template_not_found",
            ),
        )
    form = VoluntaryCommitmentForm(request.POST or None, initial={"template_id": template.pk})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                commitment = services.commitment_make(
                    actor=request.user,
                    uscc=viewer.entity_uscc,
                    kind=CommitmentKind.VOLUNTARY,
                    template_id=form.cleaned_data["template_id"],
                    department_code=form.cleaned_data["department"].code,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = form_error_status(exc)
            else:
                messages.success(
                    request,
                    _("承诺已作出，编号 %(number)s。") % {"number": commitment.number},
                )
                url = reverse("public:entity", args=[viewer.entity_uscc])
                return redirect(f"{url}?tab=commitments#tabs")
        else:
            status = 400
    return render(
        request,
        "commitments/voluntary_form.html",
        {"form": form, "template": template},
        status=status,
    )


def _entity_only(request: HttpRequest):
    viewer = viewer_for(request.user)
    if viewer.role != Role.ENTITY_USER:
        return viewer, forbidden(
            request,
            _(
                "只有市场主体账号可以注册本主体的信用信息。/ Only entity accounts register "
                "their own credit information."
            ),
        )
    return viewer, None


@login_required
def registration_list(request: HttpRequest) -> HttpResponse:
    """What the signed-in entity registered: pending, verified, rejected (with the reason)."""
    viewer, refusal = _entity_only(request)
    if refusal:
        return refusal
    page, base_qs = paginate(request, selectors.entity_disclosures(viewer))
    return render(request, "commitments/registration_list.html", {"page": page, "base_qs": base_qs})


@login_required
def registration_new(request: HttpRequest) -> HttpResponse:
    viewer, refusal = _entity_only(request)
    if refusal:
        return refusal
    form = DisclosureForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.disclosure_submit(
                    actor=request.user,
                    uscc=viewer.entity_uscc,
                    department_code=data["department"].code,
                    kind=data["kind"],
                    title=data["title"],
                    content=data["content"],
                    authenticity_committed=data["authenticity_committed"],
                    sharing_consented=data["sharing_consented"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = form_error_status(exc)
            else:
                messages.success(request, _("已提交，待核实部门核实通过后公示。"))
                return redirect("commitments:registrations")
        else:
            status = 400
    return render(request, "commitments/registration_form.html", {"form": form}, status=status)


def education_list(request: HttpRequest) -> HttpResponse:
    """Integrity education on offer: free, voluntary, a condition of nothing (35/2)."""
    since = None if request.GET.get("all") else timezone.now() - datetime.timedelta(days=1)
    page, base_qs = paginate(request, selectors.education_sessions_public(since=since))
    return render(
        request,
        "commitments/education_list.html",
        {"page": page, "base_qs": base_qs, "showing_all": since is None},
    )
