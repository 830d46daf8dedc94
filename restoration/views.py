"""Public pages of credit restoration: what may be restored and when, the application (signed
in as the entity), its status, and public statistics. Thin: the selectors compute eligibility,
the services decide (35/13: one website, free)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from credit_portal.errors import DomainError, PermissionDenied
from credit_portal.web import add_domain_error, error_page, form_error_status, paginate
from registry.roles import Role, viewer_for
from registry.selectors import entity_get

from . import selectors, services
from .forms import ApplyForm

RECEIPT_KEY = "restoration-applied"


def _entity_viewer(request: HttpRequest):
    viewer = viewer_for(request.user)
    return viewer if viewer.role == Role.ENTITY_USER else None


def index(request: HttpRequest) -> HttpResponse:
    """What restoration is, and for a signed-in entity: what it may restore now (and from when
    for the rest), and its applications."""
    viewer = _entity_viewer(request)
    context: dict = {"config": services.restoration_config(), "viewer": viewer}
    if viewer is not None:
        entity = entity_get(viewer.entity_uscc)
        found = selectors.candidates_for(viewer, entity)
        page, base_qs = paginate(request, selectors.applications_for(viewer))
        context |= {
            "entity": entity,
            "eligible": [c for c in found if c.eligible],
            "waiting": [c for c in found if not c.eligible],
            "page": page,
            "base_qs": base_qs,
        }
    return render(request, "restoration/public/index.html", context)


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    viewer = _entity_viewer(request)
    if viewer is None:
        if request.user.is_authenticated:
            return error_page(
                request,
                PermissionDenied(
                    _(
                        "信用修复由市场主体本单位账号申请。/ Restoration is applied for with the "
                        "entity's own account."
                    ),
                    code="entity_account_required",
                ),
            )
        return redirect_to_login(request.get_full_path())
    entity = entity_get(viewer.entity_uscc)
    found = selectors.candidates_for(viewer, entity)
    template = services.restoration_template()
    chosen = request.GET.getlist("item")
    form = ApplyForm(
        request.POST or None,
        request.FILES or None,
        candidates=found,
        initial={"items": chosen, "template_id": template.pk if template else None},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = services.restoration_apply(
                    actor=request.user,
                    items=data["items"],
                    correction=data["correction"],
                    commitment_template_id=data["template_id"],
                    commitment_accepted=data["commitment"],
                    contact=data["contact"],
                    proof=data["proof"],
                    supporting=data["supporting"],
                    supporting_kind=data["supporting_kind"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = form_error_status(exc)
            else:
                request.session[RECEIPT_KEY] = [a.number for a in made]
                return redirect("restoration:applied")
        else:
            status = 400
        if request.FILES:
            form.add_error(
                None, _("出于安全原因，请重新选择附件。/ For security, choose the files again.")
            )
    config = services.restoration_config()
    return render(
        request,
        "restoration/public/apply.html",
        {
            "form": form,
            "entity": entity,
            "template": template,
            "eligible": [c for c in found if c.eligible],
            "waiting": [c for c in found if not c.eligible],
            "config": config,
            "max_mb": config.upload_max_bytes / 1024 / 1024,
        },
        status=status,
    )


def applied(request: HttpRequest) -> HttpResponse:
    """The receipt, once (a reload applies for nothing)."""
    numbers = request.session.pop(RECEIPT_KEY, None)
    if not numbers:
        return redirect("restoration:index")
    viewer = viewer_for(request.user)
    made = list(selectors.applications_for(viewer).filter(number__in=numbers))
    return render(request, "restoration/public/applied.html", {"applications": made})


def application(request: HttpRequest, number: str) -> HttpResponse:
    """The applicant's status page: where the application is, its clocks, the decision with
    reasons, and on a refusal how to seek review."""
    viewer = _entity_viewer(request)
    if viewer is None:
        return redirect_to_login(request.get_full_path())
    try:
        found = selectors.application_by_number(viewer, number)
    except DomainError as exc:
        return error_page(request, exc)
    return render(
        request,
        "restoration/public/application.html",
        {
            "application": found,
            "items": list(found.items.all()),
            "evidence": list(found.evidence.all()),
            "config": services.restoration_config(),
        },
    )


def statistics(request: HttpRequest) -> HttpResponse:
    """Applications, approval rate and median handling time by department."""
    rows = selectors.restoration_statistics()
    widest = max((row.applications for row in rows), default=0) or 1
    return render(
        request,
        "restoration/public/statistics.html",
        {"rows": [(row, round(100 * row.applications / widest)) for row in rows]},
    )
