"""Public pages: file an objection or a tip-off, and follow it by tracking number and code.
Thin: the forms shape input, the services decide (35/17, 33/13, 33/22)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from credit_portal.errors import DomainError
from credit_portal.web import add_domain_error, form_error_status
from registry.roles import Role, viewer_for
from registry.selectors import entity_get

from . import selectors, services
from .forms import ObjectionForm, StatusForm, TipOffForm
from .models import Objection, Outcome, TipOff

FILED_KEY = "objections-filed"


def _limited(request: HttpRequest, group: str) -> bool:
    """The per-address limit on filings and look-ups (``OBJECTION_RATE``), counted on POST."""
    return is_ratelimited(
        request,
        group=group,
        key="ip",
        rate=settings.OBJECTION_RATE,
        method="POST",
        increment=True,
    )


def _too_many(form) -> int:
    form.add_error(
        None,
        _(
            "提交过于频繁，请稍后再试。本次提交未被保存。/ Too many submissions from your "
            "address; try again later. Nothing was saved."
        ),
    )
    return 429


def _files_again(form, request: HttpRequest) -> None:
    if request.FILES:
        form.add_error(
            "evidence",
            _("出于安全原因，请重新选择附件。/ For security, choose the files again."),
        )


def _prefill(request: HttpRequest, viewer) -> tuple[dict, object | None, str]:
    """The form's initial values from the link that led here, and the item's label when the
    link names an item the entity has (a wrong link just leaves the label out)."""
    initial = {
        "uscc": request.GET.get("uscc", "")[:40] or viewer.entity_uscc,
        "target_kind": request.GET.get("target", "other")[:10],
        "target_id": request.GET.get("id", "")[:20],
    }
    entity, label = None, ""
    if initial["uscc"]:
        try:
            entity = entity_get(initial["uscc"])
            own = viewer.role == Role.ENTITY_USER and viewer.entity_uscc == entity.uscc
            label = services.item_resolve(
                entity, initial["target_kind"], initial["target_id"], own=own
            ).label
        except DomainError:
            pass
    return initial, entity, label


def _filing(request: HttpRequest, form, kind: str, file, template: str, context: dict):
    """The filing pages' one flow: the rate limit, the form, the service (``file`` of the
    cleaned data), the number and code on success; on a refusal the form again with the
    message at its field, everything typed kept (files must be chosen again)."""
    status = 200
    if request.method == "POST":
        if _limited(request, f"{kind}-file"):
            status = _too_many(form)
        elif form.is_valid():
            try:
                filed = file(form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = form_error_status(exc)
            else:
                return _filed(request, kind, filed)
        else:
            status = 400
        if status != 200:
            _files_again(form, request)
    config = services.objection_config()
    context = {
        "form": form,
        "config": config,
        "max_mb": config.upload_max_bytes / 1024 / 1024,
        **context,
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def objection_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    entity_user = viewer.role == Role.ENTITY_USER
    initial, entity, label = _prefill(request, viewer)
    form = ObjectionForm(
        request.POST or None, request.FILES or None, initial=initial, captcha=not entity_user
    )

    def file(data: dict):
        return services.objection_file(
            actor=request.user,
            uscc=data["uscc"],
            target_kind=data["target_kind"],
            target_id=data["target_id"] or None,
            grounds=data["grounds"],
            filer_name=data["filer_name"],
            filer_contact=data["filer_contact"],
            files=data["evidence"],
        )

    return _filing(
        request,
        form,
        "objection",
        file,
        "objections/public/objection_form.html",
        {"entity": entity, "item_label": label},
    )


def _filed(request: HttpRequest, kind: str, filed) -> HttpResponse:
    """Show the number and code once, on a page of their own (a reload files nothing)."""
    request.session[FILED_KEY] = {
        "kind": kind,
        "tracking_number": filed.tracking_number,
        "code": filed.code,
        "uscc": filed.case.entity_id,
    }
    return redirect("objections:filed")


def filed(request: HttpRequest) -> HttpResponse:
    shown = request.session.pop(FILED_KEY, None)
    if shown is None:
        return redirect("objections:status")
    return render(request, "objections/public/filed.html", {"filed": shown})


@require_http_methods(["GET", "POST"])
def tipoff_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    entity_user = viewer.role == Role.ENTITY_USER
    initial = {"uscc": request.GET.get("uscc", "")[:40]}
    form = TipOffForm(
        request.POST or None, request.FILES or None, initial=initial, captcha=not entity_user
    )

    def file(data: dict):
        return services.tipoff_file(
            actor=request.user,
            uscc=data["uscc"],
            department_code=data["department"].code if data["department"] else "",
            conduct=data["conduct"],
            conduct_date=data["conduct_date"],
            reporter_name=data["reporter_name"],
            reporter_contact=data["reporter_contact"],
            anonymous=data["anonymous"],
            files=data["evidence"],
        )

    return _filing(request, form, "tipoff", file, "objections/public/tipoff_form.html", {})


def _status(request: HttpRequest, kind: str) -> HttpResponse:
    """The look-up is a POST (the code stays out of addresses and logs) and is rate-limited
    like filing (guessing codes); a wrong number or code gets one answer."""
    form = StatusForm(request.POST or None, initial={"tracking_number": request.GET.get("n", "")})
    status, case = 200, None
    if request.method == "POST":
        if _limited(request, "case-status"):
            status = _too_many(form)
        elif form.is_valid():
            look_up = selectors.objection_status if kind == "objection" else selectors.tipoff_status
            try:
                case = look_up(form.cleaned_data["tracking_number"], form.cleaned_data["code"])
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
        else:
            status = 400
    template = (
        "objections/public/objection_status.html"
        if kind == "objection"
        else "objections/public/tipoff_status.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "case": case,
            "kind": kind,
            "rejected": isinstance(case, Objection) and case.outcome == Outcome.REJECTED,
            "closed": isinstance(case, TipOff) and case.status == TipOff.Status.CLOSED,
            "other_url": reverse(
                "objections:tipoff-status" if kind == "objection" else "objections:status"
            ),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def objection_status(request: HttpRequest) -> HttpResponse:
    return _status(request, "objection")


@require_http_methods(["GET", "POST"])
def tipoff_status(request: HttpRequest) -> HttpResponse:
    return _status(request, "tipoff")


# --- public statistics ------------------------------------------------------------------------
def statistics(request: HttpRequest) -> HttpResponse:
    """Objections by department and by kind of item, tip-offs by department: filed, decided,
    upheld rate and mean days to decision, as tables with bar charts drawn in CSS (the table is
    the accessible form)."""
    tables = [
        (_("异议（按核查部门）"), selectors.objection_statistics("department")),
        (_("异议（按信息类别）"), selectors.objection_statistics("kind")),
        (_("投诉举报（按承办部门）"), selectors.tipoff_statistics()),
    ]
    shown = []
    for title, rows in tables:
        widest = max((row.filed for row in rows), default=0) or 1
        shown.append(
            {
                "title": title,
                "rows": [(row, round(100 * row.filed / widest)) for row in rows],
            }
        )
    return render(request, "objections/public/statistics.html", {"tables": shown})
