"""Public commitment pages: the published templates (35/1), and a signed-in entity making a
voluntary public commitment. Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from credit_portal.errors import DomainError, NotFound
from registry.forms import add_domain_error, local_label
from registry.roles import Role, viewer_for
from registry.views import error_page, forbidden, form_error_status

from . import selectors, services
from .forms import VoluntaryCommitmentForm
from .models import CommitmentKind


def template_list(request: HttpRequest) -> HttpResponse:
    """Every published version of every standard commitment template."""
    templates = list(selectors.published_templates())
    for template in templates:
        template.kind_label = local_label(CommitmentKind(template.kind).label)
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
